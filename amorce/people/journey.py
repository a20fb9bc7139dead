"""The stages and exits of a journey (`../shared/design/journey.md`)."""

from django.db import models


class Step(models.TextChoices):
    DETECTED = "detected", "Repéré"
    WELCOMED = "welcomed", "Accueilli"
    EMERGING = "emerging", "En amorçage"
    ORIENTED = "oriented", "Orienté"
    CREATING = "creating", "En création"
    CREATED = "created", "Entreprise créée"
    EMPLOYMENT = "employment", "Sortie positive — emploi"
    TRAINING = "training", "Sortie positive — formation"
    POSTPONED = "postponed", "Désamorcé — projet reporté"
    ABANDONED = "abandoned", "Désamorcé — abandon"
    LOST = "lost", "Perdu de vue"
    MOVED = "moved", "Hors territoire"


STAGES = (Step.DETECTED, Step.WELCOMED, Step.EMERGING, Step.ORIENTED, Step.CREATING)
EXITS = (
    Step.CREATED,
    Step.EMPLOYMENT,
    Step.TRAINING,
    Step.POSTPONED,
    Step.ABANDONED,
    Step.LOST,
    Step.MOVED,
)
# A journey "reaches" a stage when it is there or further along this order.
REACH_ORDER = (*STAGES, Step.CREATED)


def is_exit(step: str) -> bool:
    return step in EXITS


def rank(step: str) -> int | None:
    """Position along detected < … < created; None for exits that reach no stage."""
    return REACH_ORDER.index(step) if step in REACH_ORDER else None
