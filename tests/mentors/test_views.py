"""The mentors' pages: who reaches them, the directory, the form, the mentor's page, the
introduction from a person's page and its follow-up."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.mentors.models import Helped, Introduction, Mentor
from amorce.people.actions import create_project
from amorce.people.timeline import timeline_of
from tests.factories import PersonFactory
from tests.mentors.factories import MentorFactory

LIST_URL = reverse("mentors:list")
CREATE_URL = reverse("mentors:create")


def mentor_data(**overrides):
    return {
        "first_name": "Lucie",
        "last_name": "Ferrand",
        "company_name": "L'Atelier de Lucie",
        "trade": "96",
        "commune": "11069",
        "contact_preference": "telephone",
        "phone": "06 12 34 56 78",
        "email": "",
        "can_help_with": "Choisir un local, fixer ses prix.",
        "availability": "Le lundi",
        "agreed_on": "2026-02-10",
        "is_active": "on",
        **overrides,
    }


@pytest.fixture
def mentor(site):
    return MentorFactory(site=site, first_name="Lucie", last_name="Ferrand", trade="96")


@pytest.fixture
def person(site):
    person = PersonFactory(site=site, first_name="Samia", last_name="Benali", commune_id="11069")
    create_project([person], title="Salon de coiffure", naf_id="96.02A",
                   started_on=datetime.date(2026, 3, 1))  # fmt: skip
    return person


@pytest.fixture
def introduction(mentor, person):
    return Introduction.objects.create(
        mentor=mentor, person=person, introduced_on=datetime.date(2026, 3, 5)
    )


def urls(mentor, person, introduction):
    """Every page, with its method."""
    return [
        ("get", LIST_URL),
        ("get", CREATE_URL),
        ("get", reverse("mentors:detail", args=[mentor.pk])),
        ("get", reverse("mentors:edit", args=[mentor.pk])),
        ("post", reverse("mentors:introduce", args=[person.pk])),
        ("post", reverse("mentors:outcome", args=[introduction.pk])),
    ]


class TestAccess:
    @pytest.mark.parametrize("role", ["partner", "funder", "network", "admin_user"])
    def test_other_roles_get_403_on_every_page(
        self, request, as_user, role, mentor, person, introduction
    ):
        client = as_user(request.getfixturevalue(role))
        for method, url in urls(mentor, person, introduction):
            assert getattr(client, method)(url).status_code == 403, url

    def test_a_leader_of_another_site_gets_404_on_this_site_s_objects(
        self, as_user, outsider, mentor, person, introduction
    ):
        client = as_user(outsider)
        for method, url in urls(mentor, person, introduction)[2:]:
            assert getattr(client, method)(url).status_code == 404, url
        assert "Ferrand" not in client.get(LIST_URL).content.decode()
        assert introduction.helped == Helped.UNKNOWN
        assert Introduction.objects.count() == 1

    def test_a_leader_cannot_introduce_another_site_s_mentor(
        self, as_user, leader, other_site, person
    ):
        elsewhere = MentorFactory(site=other_site)
        response = as_user(leader).post(
            reverse("mentors:introduce", args=[person.pk]),
            {"relation-mentor": elsewhere.pk, "relation-introduced_on": "2026-03-05"},
        )
        assert response.status_code == 404
        assert not Introduction.objects.exists()

    def test_anonymous_visitors_are_sent_to_the_login_page(self, client, mentor):
        response = client.get(reverse("mentors:detail", args=[mentor.pk]))
        assert response.status_code == 302


class TestDirectory:
    def test_the_list_filters_by_trade_and_commune(self, as_user, leader, site, mentor):
        MentorFactory(site=site, last_name="Mitron", trade="10", commune_id="11001")
        client = as_user(leader)

        everyone = client.get(LIST_URL).content.decode()
        bakers = client.get(LIST_URL, {"trade": "10"}).content.decode()
        in_carcassonne = client.get(LIST_URL, {"commune": "11069"}).content.decode()

        assert "Ferrand" in everyone and "Mitron" in everyone
        assert "Mitron" in bakers and "Ferrand" not in bakers
        assert "Ferrand" in in_carcassonne and "Mitron" not in in_carcassonne

    def test_a_bad_filter_is_reported_and_ignored(self, as_user, leader, mentor):
        response = as_user(leader).get(LIST_URL, {"trade": "zz"})
        assert response.status_code == 200
        assert "Choisissez une valeur de la liste." in response.content.decode()
        assert "Ferrand" in response.content.decode()

    def test_a_leader_adds_a_mentor(self, as_user, leader, site):
        response = as_user(leader).post(CREATE_URL, mentor_data())

        mentor = Mentor.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("mentors:detail", args=[mentor.pk])
        assert mentor.site == site
        assert mentor.agreed_on == datetime.date(2026, 2, 10)
        assert AuditEntry.objects.filter(action="create", site=site).exists()

    def test_the_agreement_date_is_required(self, as_user, leader):
        response = as_user(leader).post(CREATE_URL, mentor_data(agreed_on=""))

        assert response.status_code == 200
        assert "Indiquez la date de son accord pour figurer dans l&#x27;annuaire." in (
            response.content.decode()
        )
        assert not Mentor.objects.exists()

    def test_the_agreement_cannot_be_in_the_future(self, as_user, leader):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = as_user(leader).post(CREATE_URL, mentor_data(agreed_on=tomorrow.isoformat()))

        assert "La date de l&#x27;accord ne peut pas être dans le futur." in (
            response.content.decode()
        )
        assert not Mentor.objects.exists()

    def test_a_phone_is_needed_when_they_prefer_the_phone(self, as_user, leader):
        response = as_user(leader).post(CREATE_URL, mentor_data(phone=""))

        assert "Indiquez son téléphone" in response.content.decode()
        assert not Mentor.objects.exists()

    def test_a_leader_edits_a_mentor(self, as_user, leader, mentor):
        url = reverse("mentors:edit", args=[mentor.pk])
        response = as_user(leader).post(url, mentor_data(availability="Le samedi matin"))

        assert response.status_code == 302
        mentor.refresh_from_db()
        assert mentor.availability == "Le samedi matin"

    def test_the_mentor_s_page_lists_introductions_and_is_audited(
        self, as_user, leader, mentor, introduction
    ):
        response = as_user(leader).get(reverse("mentors:detail", args=[mentor.pk]))

        page = response.content.decode()
        assert "Samia Benali" in page or "Benali" in page
        assert "05/03/2026" in page
        entry = AuditEntry.objects.get(action="view")
        assert "Ferrand" in entry.target


class TestIntroductions:
    def test_the_person_block_suggests_the_hairdresser_first(self, site, leader, person):
        MentorFactory(site=site, last_name="Mitron", trade="10", commune_id="11069")
        MentorFactory(site=site, last_name="Coiffeuse", trade="96", commune_id="11262")
        request = RequestFactory().get("/")
        request.user = leader

        html = render_to_string("mentors/_suggestions.html", {"person": person}, request=request)

        assert html.index("Coiffeuse") < html.index("Mitron")
        assert "Mettre en relation" in html

    def test_an_introduction_lands_on_the_person_s_timeline(self, as_user, leader, mentor, person):
        response = as_user(leader).post(
            reverse("mentors:introduce", args=[person.pk]),
            {
                "relation-mentor": mentor.pk,
                "relation-introduced_on": "2026-03-05",
                "relation-note": "Appeler le lundi",
            },
        )

        assert response.status_code == 302
        assert response.url.endswith("#referents")
        introduction = Introduction.objects.get()
        assert introduction.project.title == "Salon de coiffure"
        assert introduction.recorded_by == leader
        [event] = [e for e in timeline_of(person) if e.kind == "mentor"]
        assert event.on == datetime.date(2026, 3, 5)
        assert "Lucie Ferrand" in event.title
        assert event.text == "Appeler le lundi"
        assert AuditEntry.objects.filter(person=person, action="change").exists()

    def test_an_introduction_without_date_is_refused(self, as_user, leader, mentor, person):
        as_user(leader).post(
            reverse("mentors:introduce", args=[person.pk]), {"relation-mentor": mentor.pk}
        )
        assert not Introduction.objects.exists()

    def test_the_leader_records_that_it_helped(self, as_user, leader, introduction):
        response = as_user(leader).post(
            reverse("mentors:outcome", args=[introduction.pk]),
            {"helped": "oui", "retour": "referent"},
        )

        assert response.url == reverse("mentors:detail", args=[introduction.mentor_id])
        introduction.refresh_from_db()
        assert introduction.helped == Helped.YES
        assert introduction.followed_up_on == timezone.localdate()
        [event] = [e for e in timeline_of(introduction.person) if e.kind == "mentor"]
        assert any(detail.startswith("Ça a aidé : oui") for detail in event.details)

    def test_an_answer_other_than_yes_or_no_is_refused(self, as_user, leader, introduction):
        as_user(leader).post(reverse("mentors:outcome", args=[introduction.pk]), {"helped": "x"})

        introduction.refresh_from_db()
        assert introduction.helped == Helped.UNKNOWN


def test_the_leader_opens_every_page(as_user, leader, mentor, introduction):
    client = as_user(leader)
    for url in [LIST_URL, CREATE_URL, reverse("mentors:edit", args=[mentor.pk])]:
        assert client.get(url).status_code == 200, url
