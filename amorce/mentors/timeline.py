"""The introductions to mentors, on the person's timeline."""

from amorce.mentors.matching import introductions_of
from amorce.mentors.models import Helped
from amorce.people.timeline import Event, name_of, register


@register
def mentor_introductions(person):
    for introduction in introductions_of(person):
        mentor = introduction.mentor
        details = [mentor.company_name]
        if introduction.helped != Helped.UNKNOWN:
            details.append(
                f"Ça a aidé : {introduction.get_helped_display().lower()}"
                f" (nouvelles du {introduction.followed_up_on:%d/%m/%Y})"
            )
        yield Event(
            on=introduction.introduced_on,
            kind="mentor",
            title=f"Mise en relation avec un référent : {mentor}",
            text=introduction.note,
            details=tuple(details),
            author=name_of(introduction.recorded_by),
            recorded_at=introduction.created_at,
        )
