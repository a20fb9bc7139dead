from datetime import timedelta

import pytest
from django.urls import reverse

from amorce.audit.models import AuditEntry
from amorce.committees import planning
from amorce.committees.models import Committee, Status
from tests.committees.conftest import TODAY


@pytest.fixture
def case(committee, porteur):
    return planning.add_case(committee, porteur, "Quel accompagnement ?")


def urls(committee, case):
    pk = committee.pk
    return [
        ("get", reverse("committees:detail", args=[pk])),
        ("get", reverse("committees:edit", args=[pk])),
        ("get", reverse("committees:agenda", args=[pk])),
        ("get", reverse("committees:decisions", args=[pk])),
        ("post", reverse("committees:case_add", args=[pk])),
        ("get", reverse("committees:person_search", args=[pk])),
        ("post", reverse("committees:case_remove", args=[pk, case.pk])),
    ]


def test_an_outsider_gets_404_on_every_committee_page(as_user, outsider, committee, case):
    client = as_user(outsider)
    for method, url in urls(committee, case):
        assert getattr(client, method)(url).status_code == 404, url


@pytest.mark.parametrize("role", ["partner", "funder"])
def test_partners_and_funders_are_refused(request, as_user, committee, case, role):
    client = as_user(request.getfixturevalue(role))
    everything = [
        *urls(committee, case),
        ("get", reverse("committees:list")),
        ("get", reverse("committees:create")),
    ]
    for method, url in everything:
        assert getattr(client, method)(url).status_code == 403, url


def test_the_leader_prepares_a_committee(as_user, leader, site, mission_locale):
    response = as_user(leader).post(
        reverse("committees:create"),
        {
            "title": "Comité de suivi",
            "date": (TODAY() + timedelta(days=7)).isoformat(),
            "place": "Maison des services",
            "invited_partners": [mission_locale.pk],
            "other_invited": "travailleurs sociaux du Département",
        },
    )
    committee = Committee.objects.get()
    assert response.status_code == 302
    assert committee.site == site and list(committee.invited_partners.all()) == [mission_locale]


def test_the_list_and_the_page_show_the_committee(as_user, leader, committee, case):
    client = as_user(leader)
    assert "Maison des services" in client.get(reverse("committees:list")).content.decode()
    page = client.get(reverse("committees:detail", args=[committee.pk])).content.decode()
    assert "Samira Benali" in page and "Quel accompagnement ?" in page


def test_a_suggestion_is_put_on_the_agenda(as_user, leader, committee, porteur):
    response = as_user(leader).post(
        reverse("committees:case_add", args=[committee.pk]),
        {"person": porteur.pk, "question": "Qui reprend contact ?"},
    )
    assert response.status_code == 302
    assert committee.cases.get().person == porteur
    assert AuditEntry.objects.filter(person=porteur, action="change").exists()


def test_the_person_to_put_on_the_agenda_is_searched_not_listed(
    as_user, leader, committee, porteur, other_site
):
    from tests.factories import PersonFactory

    PersonFactory(site=other_site, first_name="Samia", last_name="Benamar")
    client = as_user(leader)
    url = reverse("committees:detail", args=[committee.pk])
    page = client.get(url).content.decode()
    assert "Samira" not in page.split('id="add-title"')[1].split("Suggestions")[0]
    assert "<select" not in page.split('id="add-title"')[1].split("Suggestions")[0]

    found = client.get(
        reverse("committees:person_search", args=[committee.pk]),
        {"q": "bena"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert f'name="person" value="{porteur.pk}"' in found and "Benamar" not in found

    without_js = client.get(url, {"q": "sami"}).content.decode()
    assert f'name="person" value="{porteur.pk}"' in without_js


def test_a_missing_person_is_named_in_the_errors(as_user, leader, committee):
    response = as_user(leader).post(
        reverse("committees:case_add", args=[committee.pk]), {"question": "?"}
    )
    assert "Recherchez la personne par son nom" in response.content.decode()


def test_another_sites_person_cannot_be_added(as_user, leader, committee, other_site):
    from tests.factories import PersonFactory

    stranger = PersonFactory(site=other_site)
    response = as_user(leader).post(
        reverse("committees:case_add", args=[committee.pk]),
        {"person": stranger.pk, "question": "?"},
    )
    assert response.status_code == 200 and not committee.cases.exists()


def test_the_agenda_pdf_is_audited(as_user, leader, committee, case):
    response = as_user(leader).get(reverse("committees:agenda", args=[committee.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export").exists()


def decision_data(case, **fields):
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1"}
    data |= {f"form-0-{name}": value for name, value in fields.items()}
    return data


def test_decisions_in_one_screen(as_user, leader, committee, case, porteur, bge):
    client = as_user(leader)
    page = client.get(reverse("committees:decisions", args=[committee.pk]))
    assert "Samira Benali" in page.content.decode()
    due = (TODAY() + timedelta(days=30)).isoformat()
    response = client.post(
        reverse("committees:decisions", args=[committee.pk]),
        decision_data(case, lead_partner=bge.pk, next_step="Atelier étude de marché", due_on=due),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    committee.refresh_from_db()
    assert case.lead_partner == bge and case.is_decided and committee.status == Status.HELD
    assert planning.current_lead(porteur).partner == bge
    assert AuditEntry.objects.filter(person=porteur, target__startswith="Décision").exists()
    file = client.get(reverse("people:detail", args=[porteur.pk])).content.decode()
    assert "Atelier étude de marché" in file


def test_a_decision_needs_a_next_step(as_user, leader, committee, case, bge):
    response = as_user(leader).post(
        reverse("committees:decisions", args=[committee.pk]),
        decision_data(case, lead_partner=bge.pk, next_step="", due_on=""),
    )
    assert response.status_code == 200
    assert "Indiquez la prochaine étape" in response.content.decode()
    case.refresh_from_db()
    assert not case.is_decided


def test_the_lead_include_shows_the_current_lead(committee, case, porteur, bge):
    from django.template.loader import render_to_string

    assert "Suivi par" not in render_to_string("committees/_lead.html", {"person": porteur})
    planning.record_decision(case, planning.Decision(bge, "Suite", None), on=TODAY())
    html = render_to_string("committees/_lead.html", {"person": porteur})
    assert "BGE" in html and f"{TODAY():%d/%m/%Y}" in html
