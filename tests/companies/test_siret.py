import pytest
from django.core.exceptions import ValidationError

from amorce.companies.siret import validate_siret


@pytest.mark.parametrize(
    "siret", ["73282932000074", "732 829 320 00074", "35600000000048", "35600000049837"]
)
def test_valid_sirets_pass(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("73282932000075", "clé de contrôle"),
        ("7328293200007", "14 chiffres"),
        ("7328293200007A", "14 chiffres"),
        ("35600000049838", "La Poste"),
    ],
)
def test_invalid_sirets_are_refused_in_french(siret, message):
    with pytest.raises(ValidationError, match=message):
        validate_siret(siret)
