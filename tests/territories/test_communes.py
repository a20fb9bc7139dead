import pytest
from django.core.exceptions import ValidationError

from amorce.territories.communes import commune_of_postcode, resolve_commune


@pytest.mark.django_db
class TestResolveCommune:
    @pytest.mark.parametrize("text", ["11069", "Carcassonne", "carcassonne", "Carcassonne (11069)"])
    def test_a_code_or_a_name_finds_the_commune(self, text):
        assert resolve_commune(text).pk == "11069"

    def test_accents_and_hyphens_are_optional(self):
        assert resolve_commune("Villefranche de Lauragais").pk == "31582"

    def test_an_ambiguous_name_is_settled_by_the_postcode(self):
        with pytest.raises(ValidationError, match="Plusieurs communes"):
            resolve_commune("Saint-Martin")
        assert resolve_commune("Saint-Martin", postcode="32300").pk == "32389"

    def test_an_unknown_commune_is_named_in_the_error(self):
        with pytest.raises(ValidationError) as error:
            resolve_commune("Atlantide")
        assert "Commune inconnue\u202f: « Atlantide »" in error.value.messages[0]
        with pytest.raises(ValidationError, match="aucun code INSEE 99999"):
            resolve_commune("99999")

    def test_a_postcode_of_one_commune_gives_it(self):
        assert commune_of_postcode("11000") is None  # Carcassonne and Berriac share it
        assert commune_of_postcode("11130").pk == "11379"  # Sigean
