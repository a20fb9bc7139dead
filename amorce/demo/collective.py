"""A year of collective actions per site, through actions.planning like a leader's clicks:
café-créa and workshops with named and anonymous attendees, a school session, a
photolangage with its ideas, and a café-créa still to come with its registrations."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from amorce.actions import planning
from amorce.actions.models import Attendance, CollectiveAction, Kind

Status = Attendance.Status

PLAN = (
    # kind, title, days ago, partners, named attendees, anonymous headcount
    (Kind.CAFE_CREA, "Café-créa de la Bastide", 330, ["BGE"], 6, 4),
    (Kind.INFORMATION, "Réunion d'information : créer son activité", 300, ["France Travail"], 8, 5),
    (Kind.THEMATIC, "Entreprendre au féminin", 250, ["ADIE", "Initiative Aude"], 7, 3),
    (Kind.SCHOOL, "Intervention au lycée Jules Fil", 220, [], 0, 30),
    (Kind.PHOTOLANGAGE, "Photolangage : mes envies d'entreprendre", 180, ["Centre social"], 6, 0),
    (Kind.CREATIVITY, "Atelier créativité", 140, [], 5, 2),
    (Kind.ROUND_TABLE, "Table ronde : financer son projet", 100, ["ADIE", "BGE"], 5, 6),
    (Kind.FORUM, "Forum de l'emploi et de la création", 60, ["Mission Locale"], 3, 45),
    (Kind.CAFE_CREA, "Café-créa de Saint-Jacques", 25, ["BGE"], 6, 8),
)
IDEAS = (
    "Un food truck pour les marchés",
    "Une épicerie de produits du monde",
    "De la couture et des retouches",
    "Un service de garde d'enfants",
    "Des cours de sport en plein air",
    "Un salon de coiffure à domicile",
)
VENUES = ("Bureau CitésLab, Bastide", "Centre social Fleming", "Maison des services")


def build_collective_actions(site, author) -> int:
    if site.collective_actions.exists():
        return 0
    rng = random.Random(f"demo-actions-{site.slug}")
    persons = list(site.persons.order_by("pk"))
    today = timezone.localdate()
    for kind, title, days_ago, partners, named, anonymous in PLAN:
        action = new_action(site, author, kind, title, today - timedelta(days=days_ago), rng)
        planning.save_action(action, partners=planning.partners_named(site, partners))
        attendees = rng.sample(persons, named)
        for person in attendees:
            planning.register(action, person)
        statuses = {
            p.pk: rng.choice([Status.PRESENT] * 5 + [Status.ABSENT, Status.EXCUSED])
            for p in attendees
        }
        planning.take_attendance(action, statuses, anonymous_count=anonymous)
        if kind == Kind.PHOTOLANGAGE:
            for attendance in action.attendances.filter(status=Status.PRESENT):
                planning.note_idea(attendance, rng.choice(IDEAS))
    upcoming = new_action(
        site, author, Kind.CAFE_CREA, "Café-créa du mois", today + timedelta(days=9), rng
    )
    upcoming.capacity = 8
    planning.save_action(upcoming, partners=planning.partners_named(site, ["BGE"]))
    for person in rng.sample(persons, 10):
        planning.register(upcoming, person)
    return len(PLAN) + 1


def new_action(site, author, kind, title, day, rng) -> CollectiveAction:
    starts_at = datetime.combine(
        day, time(rng.choice((9, 14, 18))), tzinfo=timezone.get_current_timezone()
    )
    action = CollectiveAction(
        site=site, kind=kind, title=title, starts_at=starts_at, duration_minutes=120,
        venue=rng.choice(VENUES), created_by=author,
    )  # fmt: skip
    if kind == Kind.SCHOOL:
        action.school_name, action.class_level = "Lycée Jules Fil", "Terminale STMG"
    if kind == Kind.THEMATIC:
        action.target_public = "Entreprendre au féminin"
    return action
