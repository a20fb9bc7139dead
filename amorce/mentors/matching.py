"""Which mentors to suggest for a person: those of the latest project's trade first, then
the nearest. Communes carry no coordinates in Amorce, so "distance" is a tier: the same
commune, the same intercommunality (EPCI), the same département, farther or unknown."""

from dataclasses import dataclass

from amorce.mentors.models import Introduction, Mentor, french_name_order, trade_labels
from amorce.people.models import Person, Project
from amorce.people.timeline import absent, presence, projects_of, rows_of

DISTANCE_TIERS = ("Même commune", "Même intercommunalité", "Même département", "Plus loin")
FARTHEST = len(DISTANCE_TIERS) - 1


@dataclass(frozen=True)
class Suggestion:
    mentor: Mentor
    same_trade: bool
    tier: int

    @property
    def distance_label(self) -> str:
        return DISTANCE_TIERS[self.tier]


def latest_project(person: Person) -> Project | None:
    return max(projects_of(person), key=lambda p: (p.started_on, p.pk), default=None)


def introductions_of(person: Person) -> list[Introduction]:
    """Newest first; shared by the mentors' block of the person's page and her timeline."""
    if absent(person, "mentor_introductions"):
        return []
    queryset = Introduction.objects.select_related("mentor", "recorded_by")
    return rows_of(person, "mentor_introductions", queryset.order_by("-introduced_on", "-pk"))


presence("mentor_introductions", lambda: Introduction.objects.all())
presence("site_mentors", lambda: Mentor.objects.filter(is_active=True), "site", "site_id")


def distance_tier(mentor_commune, person_commune) -> int:
    if person_commune is None:
        return FARTHEST
    if mentor_commune.code == person_commune.code:
        return 0
    if mentor_commune.epci_id and mentor_commune.epci_id == person_commune.epci_id:
        return 1
    if mentor_commune.departement_id == person_commune.departement_id:
        return 2
    return FARTHEST


def suggest_mentors(person: Person, project: Project | None, limit: int = 5) -> list[Suggestion]:
    """The site's active mentors, best first: same NAF division, then distance tier, then
    name. Without a trade to compare (no project or no NAF code), distance alone."""
    if absent(person, "site_mentors"):
        return []
    trade = project.naf.division if project is not None and project.naf else None
    mentors = Mentor.objects.filter(site_id=person.site_id, is_active=True).select_related(
        "commune"
    )
    suggestions = [
        Suggestion(
            mentor=mentor,
            same_trade=trade is not None and mentor.trade == trade,
            tier=distance_tier(mentor.commune, person.commune),
        )
        for mentor in mentors
    ]
    labels = trade_labels({s.mentor.trade for s in suggestions})
    for suggestion in suggestions:
        suggestion.mentor.trade_display = labels.get(suggestion.mentor.trade, "")
    suggestions.sort(key=lambda s: (not s.same_trade, s.tier, french_name_order(s.mentor)))
    return suggestions[:limit]
