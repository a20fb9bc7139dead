"""The actions board: who reaches it, planning and editing an action, the list."""

from datetime import UTC, date, time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from amorce.actions import planning
from amorce.actions.models import Attendance, CollectiveAction, Kind
from amorce.audit.models import AuditEntry
from amorce.partners.models import Partner
from tests.actions.factories import AttendanceFactory, CollectiveActionFactory, paris
from tests.factories import PersonFactory

Status = Attendance.Status
TODAY = timezone.localdate()
LIST_URL = reverse("actions:list")
CREATE_URL = reverse("actions:create")


def edit_url(action):
    return reverse("actions:edit", args=[action.pk])


def board_urls(action):
    return [
        LIST_URL,
        CREATE_URL,
        edit_url(action),
        reverse("actions:sheet", args=[action.pk]),
    ]


def plan_data(**overrides):
    return {
        "kind": Kind.CAFE_CREA,
        "title": "Café-créa de printemps",
        "day": "2026-04-14",
        "start_time": "14:00",
        "duration_minutes": "120",
        "venue": "Maison des associations",
        "partner_names": "BGE ; Mission Locale",
        "target_public": "entreprendre au féminin",
        "capacity": "12",
        "school_name": "",
        "class_level": "",
        "notes": "",
        **overrides,
    }


def titles(response):
    return [action.title for action in response.context["page"].object_list]


# Who reaches the board ---------------------------------------------------------------------


@pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_roles_get_403_on_every_url(request, as_user, site, user, method):
    action = CollectiveActionFactory(site=site)
    client = as_user(request.getfixturevalue(user))
    for url in board_urls(action):
        assert getattr(client, method)(url).status_code == 403, url
    assert CollectiveAction.objects.count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_leader_of_another_site_gets_404_on_this_site_s_action(as_user, outsider, site, method):
    action = CollectiveActionFactory(site=site, title="Café-créa de Carcassonne")
    client = as_user(outsider)
    # The sheet only answers GET: a POST gets 405 whatever the action, revealing nothing.
    urls = board_urls(action)[2:] if method == "get" else [edit_url(action)]
    for url in urls:
        assert getattr(client, method)(url, plan_data()).status_code == 404, url
    action.refresh_from_db()
    assert action.title == "Café-créa de Carcassonne"
    assert not AuditEntry.objects.exists()


def test_a_leader_of_another_site_never_sees_this_site_s_actions_in_the_list(
    as_user, outsider, site
):
    CollectiveActionFactory(site=site, starts_at=paris(TODAY), anonymous_count=8)
    response = as_user(outsider).get(LIST_URL)
    assert response.status_code == 200
    assert titles(response) == []
    assert response.context["kinds"] == []


def test_an_anonymous_visitor_is_sent_to_login(client, site):
    action = CollectiveActionFactory(site=site)
    for url in board_urls(action):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("url", [LIST_URL, "sheet"])
def test_a_leader_cannot_post_to_the_list_or_the_sheet(as_user, leader, site, url):
    action = CollectiveActionFactory(site=site)
    url = reverse("actions:sheet", args=[action.pk]) if url == "sheet" else url
    assert as_user(leader).post(url).status_code == 405


# Planning an action ------------------------------------------------------------------------


def test_a_leader_plans_an_action_of_her_site(as_user, leader, site):
    response = as_user(leader).post(CREATE_URL, plan_data())
    action = CollectiveAction.objects.get()
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    assert action.site == site
    assert action.created_by == leader
    assert action.title == "Café-créa de printemps"
    assert action.capacity == 12
    assert action.duration_minutes == 120
    assert action.target_public == "entreprendre au féminin"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Action « Café-créa de printemps » planifiée."]


def test_the_date_and_time_are_paris_time(as_user, leader, site):
    as_user(leader).post(CREATE_URL, plan_data(day="2026-04-14", start_time="14:00"))
    starts_at = CollectiveAction.objects.get().starts_at
    assert starts_at.utcoffset() is not None
    assert starts_at == paris(date(2026, 4, 14), time(14))
    assert starts_at.astimezone(UTC).hour == 12  # summer time: UTC+2


def test_the_date_can_be_typed_day_first(as_user, leader, site):
    as_user(leader).post(CREATE_URL, plan_data(day="14/01/2026", start_time="09:30"))
    assert CollectiveAction.objects.get().starts_at == paris(date(2026, 1, 14), time(9, 30))


def test_partner_names_become_partners_of_the_site(as_user, leader, site, other_site):
    bge = Partner.objects.create(site=site, name="BGE")
    Partner.objects.create(site=other_site, name="Mission Locale")
    as_user(leader).post(CREATE_URL, plan_data(partner_names="bge ;  Mission  Locale ;"))
    action = CollectiveAction.objects.get()
    partners = list(action.partners.order_by("name"))
    assert [p.name for p in partners] == ["BGE", "Mission Locale"]
    assert partners[0] == bge
    assert partners[1].site == site


def test_a_school_session_keeps_its_establishment_and_class(as_user, leader, site):
    data = plan_data(kind=Kind.SCHOOL, school_name="Collège Varsovie", class_level="3e")
    as_user(leader).post(CREATE_URL, data)
    action = CollectiveAction.objects.get()
    assert (action.school_name, action.class_level) == ("Collège Varsovie", "3e")


def test_another_type_drops_school_fields(as_user, leader, site):
    data = plan_data(kind=Kind.FORUM, school_name="Collège Varsovie", class_level="3e")
    as_user(leader).post(CREATE_URL, data)
    action = CollectiveAction.objects.get()
    assert (action.school_name, action.class_level) == ("", "")


def test_the_form_always_shows_the_school_fieldset_and_the_datalists(as_user, leader, site):
    CollectiveActionFactory(site=site, venue="Médiathèque Grain d'Aile")
    CollectiveActionFactory(venue="Ailleurs, autre site")
    Partner.objects.create(site=site, name="ADIE Carcassonne")
    html = as_user(leader).get(CREATE_URL).content.decode()
    assert "data-school-fields" in html
    assert 'type="date"' in html and 'type="time"' in html
    assert '<option value="Médiathèque Grain d&#x27;Aile">' in html
    assert "Ailleurs, autre site" not in html
    assert '<option value="ADIE Carcassonne">' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "", "Choisissez le type d&#x27;action."),
        ("title", "", "Indiquez l&#x27;intitulé de l&#x27;action."),
        ("day", "", "Indiquez la date de l&#x27;action."),
        ("day", "31/02/2026", "Saisissez une date valide, au format JJ/MM/AAAA."),
        ("start_time", "", "Indiquez l&#x27;heure de début."),
        ("start_time", "midi", "Saisissez une heure valide, au format HH:MM"),
        ("capacity", "0", "Le nombre de places est d&#x27;au moins 1."),
        ("capacity", "douze", "Nombre de places : saisissez un nombre entier."),
        ("duration_minutes", "0", "La durée est d&#x27;au moins 1 minute."),
    ],
)
def test_a_wrong_value_is_explained_in_french_and_nothing_typed_is_lost(
    as_user, leader, site, field, value, message
):
    response = as_user(leader).post(CREATE_URL, plan_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert escape(f"{form[field].label}\u202f:") in html  # the summary names the field
    assert 'value="Café-créa de printemps"' in html or field == "title"
    assert 'value="BGE ; Mission Locale"' in html
    assert not CollectiveAction.objects.exists()


# Editing an action -------------------------------------------------------------------------


def test_the_edit_form_shows_the_action_as_saved(as_user, leader, site):
    partner = Partner.objects.create(site=site, name="BGE")
    action = CollectiveActionFactory(
        site=site, starts_at=paris(date(2026, 3, 5), time(9, 30)), partners=[partner]
    )
    html = as_user(leader).get(edit_url(action)).content.decode()
    assert 'value="2026-03-05"' in html
    assert 'value="09:30"' in html
    assert 'value="BGE"' in html


def test_a_leader_edits_her_action(as_user, leader, site):
    action = CollectiveActionFactory(site=site, title="Ancien titre")
    response = as_user(leader).post(edit_url(action), plan_data(title="Nouveau titre"))
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    action.refresh_from_db()
    assert action.title == "Nouveau titre"
    assert sorted(action.partners.values_list("name", flat=True)) == ["BGE", "Mission Locale"]
    assert action.site == site


def test_emptying_the_partners_removes_them(as_user, leader, site):
    action = CollectiveActionFactory(
        site=site, partners=[Partner.objects.create(site=site, name="BGE")]
    )
    as_user(leader).post(edit_url(action), plan_data(partner_names=""))
    assert not action.partners.exists()


def test_capacity_under_the_seats_taken_is_refused_on_its_field(as_user, leader, site):
    action = CollectiveActionFactory(site=site, capacity=5, title="Café-créa")
    for _ in range(3):
        AttendanceFactory(action=action)
    data = plan_data(capacity="2", partner_names="Nouveau partenaire")
    response = as_user(leader).post(edit_url(action), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["capacity"] == [
        "3 personnes sont déjà inscrites : gardez au moins 3 places."
    ]
    assert 'value="2"' in response.content.decode()
    action.refresh_from_db()
    assert (action.capacity, action.title) == (5, "Café-créa")
    assert not Partner.objects.filter(name="Nouveau partenaire").exists()


def test_more_capacity_seats_the_waiting_list(as_user, leader, site):
    action = CollectiveActionFactory(site=site, capacity=1)
    AttendanceFactory(action=action)
    waiting = AttendanceFactory(action=action, status=Status.WAITING)
    as_user(leader).post(edit_url(action), plan_data(capacity="2"))
    waiting.refresh_from_db()
    assert waiting.status == Status.REGISTERED


# The list ----------------------------------------------------------------------------------


@pytest.fixture
def browse(as_user, leader):
    client = as_user(leader)
    return lambda **params: client.get(LIST_URL, params)


def test_the_list_shows_the_current_year_newest_first(browse, site):
    year = TODAY.year
    CollectiveActionFactory(site=site, title="Janvier", starts_at=paris(date(year, 1, 10)))
    CollectiveActionFactory(site=site, title="Décembre", starts_at=paris(date(year, 12, 10)))
    CollectiveActionFactory(site=site, title="L'an dernier", starts_at=paris(date(year - 1, 6, 1)))
    response = browse()
    assert titles(response) == ["Décembre", "Janvier"]
    html = response.content.decode()
    assert f'value="{year}-01-01"' in html and f'value="{year}-12-31"' in html


def test_an_empty_period_shows_every_year(browse, site):
    CollectiveActionFactory(site=site, title="2019", starts_at=paris(date(2019, 6, 1)))
    assert titles(browse(start="", end="")) == ["2019"]


def test_the_list_filters_by_type_period_venue_and_partner(browse, site):
    bge = Partner.objects.create(site=site, name="BGE")
    day = date(2025, 5, 20)
    CollectiveActionFactory(site=site, title="A", starts_at=paris(day), venue="Médiathèque")
    CollectiveActionFactory(
        site=site, title="B", kind=Kind.FORUM, starts_at=paris(day), partners=[bge]
    )
    CollectiveActionFactory(site=site, title="C", starts_at=paris(day + timedelta(days=30)))
    period = {"start": "01/05/2025", "end": "31/05/2025"}
    assert titles(browse(**period)) == ["A", "B"] or titles(browse(**period)) == ["B", "A"]
    assert titles(browse(kind=Kind.FORUM, **period)) == ["B"]
    assert titles(browse(venue="médiat", **period)) == ["A"]
    assert titles(browse(partner=str(bge.pk), **period)) == ["B"]
    assert titles(browse(start="2025-06-01", end="2025-06-30")) == ["C"]


def test_an_invalid_filter_is_reported_and_ignored(browse, site):
    CollectiveActionFactory(site=site, title="A", starts_at=paris(TODAY))
    response = browse(kind="inconnu", end="pas une date")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Type : Choisissez une valeur de la liste." in html
    assert "Au : Saisissez une date valide, au format JJ/MM/AAAA." in html
    assert titles(response) == ["A"]


def test_an_end_before_the_start_is_reported(browse, site):
    html = browse(start="2026-05-01", end="2026-04-01").content.decode()
    assert "La date de fin (Au) doit être après la date de début (Du)." in html


def test_the_list_shows_counts_per_action(browse, site):
    partner = Partner.objects.create(site=site, name="Mission Locale")
    action = CollectiveActionFactory(
        site=site, starts_at=paris(TODAY), anonymous_count=8, partners=[partner]
    )
    AttendanceFactory(action=action, status=Status.PRESENT)
    AttendanceFactory(action=action, status=Status.ABSENT)
    AttendanceFactory(action=action, status=Status.WAITING)
    response = browse(start="", end="")
    row = response.context["page"].object_list[0]
    assert (row.seated_count, row.present_count, row.anonymous_count) == (2, 1, 8)
    assert "Mission Locale" in response.content.decode()


def test_the_counts_per_type_cover_the_filtered_period(browse, site):
    day = date(2025, 3, 1)
    cafe = CollectiveActionFactory(site=site, starts_at=paris(day), anonymous_count=8)
    AttendanceFactory(action=cafe, status=Status.PRESENT)
    AttendanceFactory(action=cafe, status=Status.PRESENT)
    AttendanceFactory(action=cafe, status=Status.ABSENT)
    CollectiveActionFactory(site=site, starts_at=paris(day))
    CollectiveActionFactory(site=site, kind=Kind.SCHOOL, starts_at=paris(day), anonymous_count=30)
    CollectiveActionFactory(site=site, kind=Kind.SCHOOL, starts_at=paris(date(2024, 3, 1)))
    response = browse(start="2025-01-01", end="2025-12-31")
    kinds = {row["kind"]: row for row in response.context["kinds"]}
    assert (kinds["cafe_crea"]["actions"], kinds["cafe_crea"]["named"]) == (2, 2)
    assert kinds["cafe_crea"]["anonymous"] == 8
    assert (kinds["school"]["actions"], kinds["school"]["anonymous"]) == (1, 30)
    assert response.context["totals"] == {"actions": 3, "named": 2, "anonymous": 38}
    assert "Intervention en milieu scolaire" in response.content.decode()


def test_the_list_is_paginated_by_50(browse, site):
    for n in range(51):
        CollectiveActionFactory(site=site, starts_at=paris(TODAY) - timedelta(minutes=n))
    assert len(browse(start="", end="").context["page"].object_list) == 50
    assert len(browse(start="", end="", page="2").context["page"].object_list) == 1


def test_the_list_records_nothing_in_the_audit_journal(browse, site):
    CollectiveActionFactory(site=site)
    browse()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    browse, site, count, django_assert_max_num_queries
):
    partners = [Partner.objects.create(site=site, name=f"Partenaire {n}") for n in range(2)]
    for n in range(count):
        action = CollectiveActionFactory(
            site=site, kind=list(Kind)[n % 9], starts_at=paris(TODAY), partners=partners
        )
        planning.register(action, PersonFactory(site=site))
    browse()  # warm the session
    with django_assert_max_num_queries(12):
        response = browse()
    assert response.context["totals"]["actions"] == count


def test_the_form_pages_run_a_fixed_number_of_queries(
    as_user, leader, site, django_assert_max_num_queries
):
    for n in range(20):
        Partner.objects.create(site=site, name=f"Partenaire {n}")
        CollectiveActionFactory(site=site, venue=f"Lieu {n}")
    client = as_user(leader)
    client.get(CREATE_URL)
    with django_assert_max_num_queries(10):
        client.get(CREATE_URL)
