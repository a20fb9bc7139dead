"""SIRET numbers: 14 digits whose Luhn key checks, except La Poste's establishments."""

from django.core.exceptions import ValidationError

LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(value: str) -> str:
    return "".join(value.split())


def validate_siret(value: str) -> None:
    siret = normalise_siret(value)
    if len(siret) != 14 or not siret.isdigit():
        raise ValidationError("Un SIRET compte 14 chiffres.", code="siret_length")
    # La Poste's establishments share one SIREN; their SIRET digits sum to a multiple of 5.
    if siret.startswith(LA_POSTE_SIREN) and siret != "35600000000048":
        if sum(int(c) for c in siret) % 5 == 0:
            return
        raise ValidationError("Ce SIRET de La Poste n'est pas valide.", code="siret_key")
    if not luhn_ok(siret):
        raise ValidationError(
            "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas (faute de frappe ?).",
            code="siret_key",
        )
