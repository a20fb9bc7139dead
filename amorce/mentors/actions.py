"""Every write of the mentors' directory: save a mentor, introduce a person, record
whether it helped. Views audit; these functions keep the rules."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from amorce.mentors.models import Helped, Introduction, Mentor


def save_mentor(mentor: Mentor) -> Mentor:
    if mentor.agreed_on is None:
        raise ValidationError(
            {"agreed_on": "Indiquez la date de son accord pour figurer dans l'annuaire."}
        )
    if mentor.agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": "La date de l'accord ne peut pas être dans le futur."})
    mentor.save()
    return mentor


@transaction.atomic
def introduce(mentor: Mentor, person, *, on: date, note: str = "", project=None, author=None):
    if mentor.site_id != person.site_id:
        raise ValidationError("Ce référent n'est pas dans l'annuaire du site de la personne.")
    if not mentor.is_active:
        raise ValidationError("Ce référent n'est plus actif.")
    if on > timezone.localdate():
        raise ValidationError({"introduced_on": "La date ne peut pas être dans le futur."})
    return Introduction.objects.create(
        mentor=mentor,
        person=person,
        project=project,
        introduced_on=on,
        note=note,
        recorded_by=author,
    )


def record_outcome(introduction: Introduction, helped: str, *, on: date | None = None):
    if helped not in Helped.values:
        raise ValidationError({"helped": "Choisissez oui, non ou pas encore de nouvelles."})
    introduction.helped = helped
    introduction.followed_up_on = on or timezone.localdate()
    introduction.save(update_fields=["helped", "followed_up_on"])
    return introduction
