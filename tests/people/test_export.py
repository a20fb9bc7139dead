"""The XLSX export of the filtered list: leaders only, audited, one row per person."""

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from amorce.audit.models import AuditEntry
from amorce.people import actions
from amorce.people.choices import ConsentScope
from amorce.people.export import COLUMNS
from amorce.people.journey import Step
from amorce.people.models import Criterion
from tests.factories import PersonFactory

URL = reverse("people:export")
TODAY = timezone.localdate()


def content_of(response) -> bytes:
    """Reading the whole stream also closes the response and its temporary file."""
    return b"".join(response.streaming_content)


def sheet_of(response):
    return load_workbook(io.BytesIO(content_of(response)))["Personnes"]


def rows_of(response):
    sheet = sheet_of(response)
    # Date cells read back as midnight datetimes.
    header, *rows = [
        [v.date() if isinstance(v, datetime) else v for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    return header, [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def export(as_user, leader):
    client = as_user(leader)
    return lambda **params: client.get(URL, params)


# Who may export ---------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["partner", "funder", "network", "admin_user"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_roles_get_403(request, as_user, user, method):
    client = as_user(request.getfixturevalue(user))
    assert getattr(client, method)(URL).status_code == 403
    assert not AuditEntry.objects.exists()


def test_a_leader_cannot_post_to_the_export(as_user, leader):
    assert as_user(leader).post(URL).status_code == 405


def test_a_leader_of_another_site_never_exports_this_site_s_persons(as_user, outsider, site):
    PersonFactory(site=site, first_name="Samira", last_name="Benali")
    PersonFactory(site=outsider.memberships.get().site, first_name="Paul", last_name="Martin")
    client = as_user(outsider)
    for params in ({}, {"q": "Samira Benali"}):
        _, rows = rows_of(client.get(URL, params))
        assert "Benali" not in [row["Nom"] for row in rows]
    assert rows == []


# The file ---------------------------------------------------------------------------------


def test_the_file_is_an_xlsx_named_after_the_site_and_the_day(export, site):
    response = export()
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    expected = f"personnes-carcassonne-{TODAY:%Y-%m-%d}.xlsx"
    assert f'attachment; filename="{expected}"' == response["Content-Disposition"]
    assert content_of(response).startswith(b"PK")


def test_one_row_per_person_with_french_headers_and_real_dates(export, site, leader):
    person = PersonFactory(
        site=site,
        first_name="Hélène",
        last_name="Da Silva",
        sex="F",
        birth_date=date(1990, 5, 17),
        phone="06 12 34 56 78",
        email="helene@exemple.fr",
        address="3 rue des Lilas",
        postcode="11000",
        commune_id="11069",
        qpv_code="QN01106M",
        qpv_generation=2024,
        current_step=Step.EMERGING,
        journey_open=True,
        last_contact_on=date(2026, 1, 5),
    )
    person.criteria.add(Criterion.objects.get(code="rsa"), Criterion.objects.get(code="ass"))
    header, rows = rows_of(export())
    assert header == [title for title, _ in COLUMNS]
    assert rows == [
        {
            "Nom": "Da Silva",
            "Prénom": "Hélène",
            "Sexe": "Femme",
            "Date de naissance": date(1990, 5, 17),
            "Téléphone": "06 12 34 56 78",
            "E-mail": "helene@exemple.fr",
            "Adresse": "3 rue des Lilas",
            "Code postal": "11000",
            "Commune": "Carcassonne",
            "Code INSEE": "11069",
            "Code QPV": "QN01106M",
            "Génération QPV": 2024,
            "Étape": "En amorçage",
            "Parcours en cours": "Oui",
            "Dernier contact": date(2026, 1, 5),
            "Critères déclarés": "rsa; ass",
        }
    ]


def test_dates_are_shown_as_dd_mm_yyyy(export, site):
    PersonFactory(site=site, birth_date=date(1990, 5, 17))
    sheet = sheet_of(export())
    assert sheet["D2"].number_format == "DD/MM/YYYY"
    assert sheet["D2"].is_date


def test_the_export_applies_the_list_s_filters_and_sort(export, site):
    PersonFactory(site=site, last_name="Bernard", current_step=Step.WELCOMED)
    PersonFactory(site=site, last_name="Arnaud", current_step=Step.WELCOMED)
    PersonFactory(site=site, last_name="Claude", current_step=Step.DETECTED)
    _, rows = rows_of(export(step="welcomed", sort="-nom"))
    assert [row["Nom"] for row in rows] == ["Bernard", "Arnaud"]


def test_the_export_searches_by_name_without_accents(export, site):
    PersonFactory(site=site, first_name="Hélène", last_name="Da Silva")
    PersonFactory(site=site, first_name="Samira", last_name="Benali")
    _, rows = rows_of(export(q="helene"))
    assert [row["Prénom"] for row in rows] == ["Hélène"]


def test_sensitive_criteria_appear_only_while_the_agreement_stands(export, site, leader):
    rqth, rsa = Criterion.objects.get(code="rqth"), Criterion.objects.get(code="rsa")
    agreed = PersonFactory(site=site, last_name="Accord")
    actions.give_consent(agreed, ConsentScope.SENSITIVE_CRITERIA, TODAY, author=leader)
    actions.set_criteria(agreed, [rsa, rqth], sensitive_agreed=True)
    # Stored before the agreement was withdrawn by some other path: never exported.
    withdrawn = PersonFactory(site=site, last_name="Retrait")
    actions.give_consent(withdrawn, ConsentScope.SENSITIVE_CRITERIA, TODAY, author=leader)
    withdrawn.criteria.add(rsa, rqth)
    withdrawn.consents.update(withdrawn_on=TODAY)
    _, rows = rows_of(export())
    assert {row["Nom"]: row["Critères déclarés"] for row in rows} == {
        "Accord": "rsa; rqth",
        "Retrait": "rsa",
    }


def test_typed_text_is_never_a_formula(export, site):
    PersonFactory(site=site, last_name='=HYPERLINK("http://x")', address="rue\x07 des Lilas")
    sheet = sheet_of(export())
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["G2"].value == "rue des Lilas"


def test_an_empty_list_gives_the_header_row_only(export, site):
    header, rows = rows_of(export(q="personne"))
    assert header[0] == "Nom" and rows == []


# Audit and performance --------------------------------------------------------------------


def test_the_export_is_recorded_in_the_audit_journal(export, site, leader):
    PersonFactory.create_batch(3, site=site, current_step=Step.WELCOMED)
    PersonFactory(site=site, current_step=Step.DETECTED)
    content_of(export(step="welcomed"))
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.EXPORT
    assert entry.actor == leader
    assert entry.site == site
    assert entry.person is None
    assert entry.target == "Export de la liste : 3 personnes (Étape : Accueilli)"


@pytest.mark.parametrize("size", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_data(
    export, site, leader, size, django_assert_max_num_queries
):
    rsa, rqth = Criterion.objects.get(code="rsa"), Criterion.objects.get(code="rqth")
    for person in PersonFactory.create_batch(size, site=site, commune_id="11069"):
        actions.give_consent(person, ConsentScope.SENSITIVE_CRITERIA, TODAY, author=leader)
        person.criteria.add(rsa, rqth)
    with django_assert_max_num_queries(11):
        response = export()
    assert len(rows_of(response)[1]) == size
