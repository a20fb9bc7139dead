"""`amorce qpv LATITUDE LONGITUDE`: which QPV contains this point?"""

import math
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from amorce.territories.models import Generation
from amorce.territories.qpv import QpvCheck, check_point


class Command(BaseCommand):
    help = "Indique le quartier prioritaire (QPV) qui contient un point WGS84."

    def add_arguments(self, parser):
        parser.add_argument("latitude", help="latitude en degrés décimaux, ex. 43.2130")
        parser.add_argument("longitude", help="longitude en degrés décimaux, ex. 2.3530")
        parser.add_argument(
            "--generation",
            type=int,
            choices=Generation.values,
            help="génération des périmètres (par défaut : celle en vigueur à la date)",
        )
        parser.add_argument(
            "--date", dest="on", help="date du contrôle, AAAA-MM-JJ (par défaut : aujourd'hui)"
        )

    def handle(self, *args, latitude, longitude, generation, on, **options):
        latitude = parse_degrees(latitude, "latitude", 90)
        longitude = parse_degrees(longitude, "longitude", 180)
        check = check_point(latitude, longitude, generation=generation, on=parse_date(on))
        self.stdout.write(describe(check))


def parse_degrees(text: str, label: str, limit: int) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise CommandError(
            f"{label} illisible : « {text} » (attendu : un nombre, ex. 43.2130)."
        ) from None
    if not math.isfinite(value) or abs(value) > limit:
        raise CommandError(f"{label} hors limites : {text} (entre -{limit} et {limit}).")
    return value


def parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"date illisible : « {text} » (attendu : AAAA-MM-JJ).") from None


def describe(check: QpvCheck) -> str:
    generation = Generation(check.generation).label
    place = f"{check.match.code} {check.match.name}" if check.match else "hors QPV"
    line = f"{place} ({generation})"
    if check.to_verify:
        line += f" — à vérifier : {distance_text(check.distance_to_boundary_m)} d'une limite"
    return line


def distance_text(metres: float) -> str:
    return "à moins d'1 m" if metres < 1 else f"à {round(metres)} m"
