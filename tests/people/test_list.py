"""The list of persons: who reaches it, search, filters, sort, pagination, query count."""

from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.people.choices import Situation
from amorce.people.filters import months_before, territory_of
from amorce.people.journey import Step
from amorce.people.models import Criterion
from amorce.territories.models import Commune, Qpv
from tests.factories import PersonFactory, SiteFactory

URL = reverse("people:list")
TODAY = timezone.localdate()
CARCASSONNE, ALAIRAC, NARBONNE = "11069", "11001", "11262"


def names(response):
    return [f"{p.first_name} {p.last_name}" for p in response.context["page"].object_list]


@pytest.fixture
def browse(as_user, leader):
    client = as_user(leader)
    return lambda **params: client.get(URL, params)


# Who reaches the list ---------------------------------------------------------------------


@pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_roles_get_403(request, as_user, user, method):
    client = as_user(request.getfixturevalue(user))
    assert getattr(client, method)(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_leader_sees_the_list(as_user, leader, site):
    PersonFactory(site=site, first_name="Samira", last_name="Benali")
    response = as_user(leader).get(URL)
    assert response.status_code == 200
    assert "Samira" in response.content.decode()


def test_a_leader_cannot_post_to_the_list(as_user, leader):
    assert as_user(leader).post(URL).status_code == 405


def test_a_leader_of_another_site_never_sees_this_site_s_persons(as_user, outsider, site):
    person = PersonFactory(site=site, first_name="Samira", last_name="Benali")
    client = as_user(outsider)
    for params in ({}, {"q": "Samira Benali"}, {"q": "benali"}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert names(response) == []
        assert reverse("people:detail", args=[person.pk]) not in response.content.decode()


def test_the_list_records_nothing_in_the_audit_journal(browse, site):
    PersonFactory(site=site)
    browse()
    assert not AuditEntry.objects.exists()


# Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["helene", "HÉLÈNE", "hel", "da silva helene", "silv"])
def test_the_search_ignores_accents_case_and_order(browse, site, text):
    PersonFactory(site=site, first_name="Hélène", last_name="Da Silva")
    PersonFactory(site=site, first_name="Samira", last_name="Benali")
    assert names(browse(q=text)) == ["Hélène Da Silva"]


def test_a_partial_name_in_any_order_finds_the_person(browse, site):
    PersonFactory(site=site, first_name="Samira", last_name="Benali")
    assert names(browse(q="bena sam")) == ["Samira Benali"]


@pytest.mark.parametrize("text", ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "5678"])
def test_the_search_finds_a_phone_number_however_it_is_typed(browse, site, text):
    PersonFactory(site=site, first_name="Samira", last_name="Benali", phone="+33 6 12 34 56 78")
    PersonFactory(site=site, first_name="Paul", last_name="Martin", phone="04 68 00 00 00")
    assert names(browse(q=text)) == ["Samira Benali"]


def test_the_search_finds_an_e_mail(browse, site):
    PersonFactory(site=site, first_name="Samira", last_name="Benali", email="samira@exemple.fr")
    PersonFactory(site=site, first_name="Paul", last_name="Martin", email="paul@exemple.fr")
    assert names(browse(q="SAMIRA@exemple")) == ["Samira Benali"]


# Filters ----------------------------------------------------------------------------------


def test_the_step_filter(browse, site):
    PersonFactory(site=site, first_name="A", current_step=Step.WELCOMED, journey_open=True)
    PersonFactory(site=site, first_name="B", current_step=Step.EMERGING, journey_open=True)
    assert [p.first_name for p in browse(step="emerging").context["page"]] == ["B"]


def test_the_open_and_closed_filter(browse, site):
    PersonFactory(site=site, first_name="A", current_step=Step.WELCOMED, journey_open=True)
    PersonFactory(site=site, first_name="B", current_step=Step.ABANDONED, journey_open=False)
    assert [p.first_name for p in browse(status="en_cours").context["page"]] == ["A"]
    assert [p.first_name for p in browse(status="clos").context["page"]] == ["B"]


@pytest.fixture
def qpv_persons(site):
    checked = {"qpv_generation": 2024, "qpv_checked_on": TODAY}
    PersonFactory(site=site, first_name="Conte", qpv_code="QN01102I", **checked)
    PersonFactory(site=site, first_name="Grazailles", qpv_code="QN01106M", **checked)
    PersonFactory(site=site, first_name="Bord", qpv_code="", qpv_to_verify=True, **checked)
    PersonFactory(site=site, first_name="Dehors", qpv_code="", **checked)
    PersonFactory(site=site, first_name="Inconnu")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("QN01106M", ["Grazailles"]),
        ("oui", ["Conte", "Grazailles"]),
        ("non", ["Bord", "Dehors"]),
        ("a_verifier", ["Bord"]),
        ("non_controle", ["Inconnu"]),
    ],
)
def test_the_qpv_filter(browse, qpv_persons, value, expected):
    response = browse(qpv=value)
    assert sorted(p.first_name for p in response.context["page"]) == expected


def test_the_qpv_filter_offers_the_qpv_of_the_site_s_territory_only(browse, site):
    choices = dict(browse().context["form"].fields["qpv"].choices)
    assert "QN01106M" in choices  # Grazailles, Carcassonne
    assert "QP011006" in choices  # same neighbourhood, 2015 generation
    assert not any(code.startswith("QN11262") for code in choices)


@pytest.mark.parametrize("codes", [["11069", "11001"], ["11262", "11069"], []])
def test_the_territory_s_choices_come_in_the_order_of_their_own_queries(db, codes):
    """One query gives the QPV and the communes as a query each gave them."""
    site = SiteFactory(communes=codes)
    qpvs = Qpv.objects.filter(communes__sites=site).distinct().order_by("-generation", "code")
    communes = Commune.objects.filter(sites=site).order_by("name")
    assert territory_of(site) == (
        list(qpvs.values_list("code", "name", "generation")),
        list(communes.values_list("code", "name")),
    )


def test_a_qpv_code_of_another_territory_is_refused_in_french(browse, site):
    PersonFactory(site=site, first_name="Conte", qpv_code="QN01102I")
    response = browse(qpv="QN99999X")
    assert "Choisissez une valeur de la liste." in response.content.decode()
    assert names(response) == [f"Conte {response.context['page'][0].last_name}"]


def test_a_declared_criterion_filter(browse, site):
    rsa = Criterion.objects.get(code="rsa")
    PersonFactory(site=site, first_name="Rsa").criteria.add(rsa)
    PersonFactory(site=site, first_name="Autre")
    assert [p.first_name for p in browse(criterion="rsa").context["page"]] == ["Rsa"]


def test_derived_criteria_are_read_from_the_file(browse, site):
    PersonFactory(site=site, first_name="Femme", sex="F", qpv_code="QN01102I")
    PersonFactory(
        site=site,
        first_name="Deld",
        sex="H",
        situation=Situation.JOB_SEEKER,
        registered_france_travail=True,
        unemployment_months=18,
    )
    PersonFactory(
        site=site,
        first_name="Recent",
        sex="H",
        situation=Situation.JOB_SEEKER,
        registered_france_travail=True,
        unemployment_months=3,
    )
    first_names = {
        code: [p.first_name for p in browse(criterion=code).context["page"]]
        for code in ("woman", "qpv", "deld")
    }
    assert first_names == {"woman": ["Femme"], "qpv": ["Femme"], "deld": ["Deld"]}


def test_age_criteria_use_today_s_age(browse, site):
    young = TODAY.replace(year=TODAY.year - 20) - timedelta(days=1)
    PersonFactory(site=site, first_name="Jeune", birth_date=young)
    PersonFactory(site=site, first_name="Senior", birth_date=date(1960, 1, 1))
    assert [p.first_name for p in browse(criterion="under_26").context["page"]] == ["Jeune"]
    assert [p.first_name for p in browse(criterion="over_50").context["page"]] == ["Senior"]


def test_the_commune_filter(browse, site):
    PersonFactory(site=site, first_name="Carcassonne", commune_id=CARCASSONNE)
    PersonFactory(site=site, first_name="Alairac", commune_id=ALAIRAC)
    PersonFactory(site=site, first_name="Narbonne", commune_id=NARBONNE)
    PersonFactory(site=site, first_name="Sans")
    assert [p.first_name for p in browse(commune=ALAIRAC).context["page"]] == ["Alairac"]
    outside = browse(commune="hors_territoire").context["page"]
    assert [p.first_name for p in outside] == ["Narbonne"]


def test_last_contact_older_than_n_months_includes_never_contacted(browse, site):
    PersonFactory(site=site, first_name="Recent", last_contact_on=TODAY - timedelta(days=10))
    PersonFactory(site=site, first_name="Ancien", last_contact_on=months_before(TODAY, 7))
    PersonFactory(site=site, first_name="Jamais", last_contact_on=None)
    response = browse(silent_months=6)
    assert sorted(p.first_name for p in response.context["page"]) == ["Ancien", "Jamais"]


def test_an_invalid_number_of_months_is_explained_in_french_and_kept(browse, site):
    PersonFactory(site=site, first_name="Samira", last_name="Benali")
    response = browse(silent_months="abc", q="samira")
    page = response.content.decode()
    assert "Sans contact depuis (mois) : Saisissez un nombre de mois" in page
    assert 'value="abc"' in page and 'value="samira"' in page
    assert names(response) == ["Samira Benali"]  # the valid filters still apply


def test_filters_combine(browse, site):
    PersonFactory(site=site, first_name="Ok", current_step=Step.WELCOMED, commune_id=ALAIRAC)
    PersonFactory(site=site, first_name="Non", current_step=Step.WELCOMED)
    PersonFactory(site=site, first_name="Non2", current_step=Step.DETECTED, commune_id=ALAIRAC)
    response = browse(step="welcomed", commune=ALAIRAC)
    assert [p.first_name for p in response.context["page"]] == ["Ok"]


# Sort and pagination ----------------------------------------------------------------------


def test_sorts(browse, site):
    PersonFactory(
        site=site,
        last_name="Bernard",
        current_step=Step.CREATED,
        last_contact_on=date(2025, 1, 1),
    )
    PersonFactory(site=site, last_name="Arnaud", current_step=Step.EMERGING, last_contact_on=None)
    PersonFactory(
        site=site,
        last_name="Claude",
        current_step=Step.DETECTED,
        last_contact_on=date(2025, 6, 1),
    )

    def order(sort):
        return [p.last_name for p in browse(sort=sort).context["page"]]

    assert order("nom") == ["Arnaud", "Bernard", "Claude"]
    assert order("-nom") == ["Claude", "Bernard", "Arnaud"]
    assert order("etape") == ["Claude", "Arnaud", "Bernard"]  # journey order, not A → Z
    assert order("-etape") == ["Bernard", "Arnaud", "Claude"]
    assert order("-contact") == ["Claude", "Bernard", "Arnaud"]  # never contacted last
    assert order("contact") == ["Arnaud", "Bernard", "Claude"]  # never contacted first


@pytest.mark.parametrize("q", ["", "e"])
def test_names_sort_in_french_order(browse, site, q):
    for last_name in ["Ezra", "Élie", "de Lattre", "Eboué", "Dupont", "ÉVRARD"]:
        PersonFactory(site=site, first_name="Léa", last_name=last_name)

    order = [p.last_name for p in browse(sort="nom", q=q).context["page"]]
    assert order == ["de Lattre", "Dupont", "Eboué", "Élie", "ÉVRARD", "Ezra"]


def test_sort_by_created_date(browse, site):
    now = timezone.now()
    PersonFactory(site=site, last_name="Ancienne", created_at=now - timedelta(days=400))
    PersonFactory(site=site, last_name="Nouvelle", created_at=now)
    assert [p.last_name for p in browse(sort="-creation").context["page"]] == [
        "Nouvelle",
        "Ancienne",
    ]
    assert [p.last_name for p in browse(sort="creation").context["page"]][0] == "Ancienne"


def test_pages_of_50_with_links_that_keep_the_filters(browse, site):
    PersonFactory.create_batch(51, site=site, current_step=Step.WELCOMED)
    PersonFactory(site=site, current_step=Step.DETECTED)
    response = browse(step="welcomed")
    assert len(response.context["page"]) == 50
    page = response.content.decode()
    assert "<strong>51</strong> personnes" in page
    assert "?step=welcomed&amp;page=2" in page
    assert len(browse(step="welcomed", page=2).context["page"]) == 1


def test_a_page_number_out_of_range_shows_the_last_page(browse, site):
    PersonFactory(site=site)
    assert browse(page=99).status_code == 200


def test_the_export_link_carries_the_filters(browse, site):
    PersonFactory(site=site, current_step=Step.WELCOMED)
    page = browse(step="welcomed", page=1).content.decode()
    assert f"{reverse('people:export')}?step=welcomed" in page


def test_htmx_gets_the_results_only(as_user, leader, site):
    PersonFactory(site=site, first_name="Samira", last_name="Benali")
    response = as_user(leader).get(URL, {"q": "sam"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "Samira" in page
    assert "<form" not in page and "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_a_row_shows_name_age_commune_qpv_step_and_last_contact(browse, site):
    PersonFactory(
        site=site,
        first_name="Samira",
        last_name="Benali",
        birth_date=TODAY.replace(year=TODAY.year - 30),
        commune_id=CARCASSONNE,
        qpv_code="QN01106M",
        qpv_name="Grazailles",
        qpv_generation=2024,
        qpv_to_verify=True,
        current_step=Step.EMERGING,
        journey_open=True,
        last_contact_on=date(2026, 1, 5),
    )
    page = browse().content.decode()
    for text in ("BENALI Samira", "30 ans", "Carcassonne", "QN01106M Grazailles", "À vérifier"):
        assert text in page
    assert "En amorçage" in page and "05/01/2026" in page


# Performance ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_data(
    browse, site, size, django_assert_max_num_queries
):
    rsa = Criterion.objects.get(code="rsa")
    for person in PersonFactory.create_batch(size, site=site, commune_id=CARCASSONNE):
        person.criteria.add(rsa)
    # The session, user, device and membership; the filters' choices (the territory's
    # communes with their QPV, the criteria); then the page, its count and its communes.
    # Counted on a second pass: a process's first request also prepares the statements it
    # will reuse (`core.prepared`, PostgreSQL).
    browse(q="b", criterion="rsa", sort="etape")
    with django_assert_max_num_queries(7):
        response = browse(q="a", criterion="rsa", sort="etape")
    assert response.status_code == 200


def test_the_filters_stay_unfolded_while_one_is_in_use(browse, site):
    assert '<details class="person-filters__more">' in browse(q="sam").content.decode()
    unfolded = '<details class="person-filters__more" open>'
    assert unfolded in browse(step="welcomed").content.decode()
    assert unfolded in browse(silent_months="abc").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_the_search_indexes_keep_a_short_pending_list(db):
    """A GIN index's pending list is read whole by every search (migration 0019)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'person_%%_trgm'"
        )
        options = dict(cursor.fetchall())
    assert options == dict.fromkeys(
        ["person_site_name_trgm", "person_phone_key_trgm", "person_email_key_trgm"],
        ["gin_pending_list_limit=256"],
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_a_search_names_the_site_as_the_index_reads_it(site):
    """btree_gin's (site, trigrams) index (migration 0022) serves `site_id = <bigint>`
    only: the page's query writes the site so (on the full-scale network, the plan reads
    that index alone: `benchmarks/README.md`)."""
    from amorce.people.listing import PAGES

    PersonFactory(site=site, first_name="Samira", last_name="Laurent")
    assert [row.first_name for row in PAGES.rows(site.pk, {"q": "laurent"}, 0, 50)] == ["Samira"]
    compiled = next(
        page
        for (shape, *_), page in PAGES._compiled[connections["default"]].items()
        if shape == (("q", 1),)
    )
    assert '"people_person"."site_id" = %s::bigint' in compiled.sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_site_name_trgm'")
        assert "gin (site_id, name_key gin_trgm_ops)" in cursor.fetchone()[0]


@pytest.mark.django_db
def test_other_workers_see_a_new_criterion_within_a_minute(monkeypatch):
    """The filter keeps the criteria per process; a change made in another worker (no
    signal reaches this one: a bulk insert stands for it) shows once they expire."""
    from amorce.people import filters

    now = [1000.0]
    monkeypatch.setattr(filters.time, "monotonic", lambda: now[0])
    filters.forget_criteria()
    before = filters.criterion_choices_with_all()
    Criterion.objects.bulk_create([Criterion(code="nouveau", label="Nouveau critère")])
    assert filters.criterion_choices_with_all() == before
    now[0] += filters.CRITERIA_SECONDS
    assert ("nouveau", "Nouveau critère") in filters.criterion_choices_with_all()
