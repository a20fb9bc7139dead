from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.people.actions import give_consent, open_journey
from amorce.people.choices import ConsentScope
from amorce.people.models import Criterion, Person
from tests.factories import PersonFactory


def edit_url(person):
    return reverse("people:edit", args=[person.pk])


def filled_in(form, **changes) -> dict:
    """What the browser would send back for this form, with `changes` typed in."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def person(site, leader):
    person = PersonFactory(
        site=site,
        first_name="Hélène",
        last_name="Dupré",
        phone="06 12 34 56 78",
        email="helene@example.org",
        commune_id="11069",
        postcode="11000",
        birth_date=date(1990, 4, 12),
        situation="demandeur_emploi",
    )
    open_journey(person, date(2025, 1, 6), author=leader)
    return person


def open_form(client, person):
    response = client.get(edit_url(person))
    assert response.status_code == 200
    return response.context["form"]


@pytest.mark.django_db
class TestEditPage:
    def test_the_form_shows_the_file_and_the_view_is_audited(self, as_user, leader, person):
        response = as_user(leader).get(edit_url(person))
        page = response.content.decode()
        assert 'value="Hélène"' in page and 'value="06 12 34 56 78"' in page
        assert 'value="Carcassonne"' in page and 'value="1990-04-12"' in page
        assert 'name="version" value="1"' in page
        assert "intake_date" not in page
        entry = AuditEntry.objects.get(person=person)
        assert (entry.action, entry.actor) == ("view", leader)

    def test_a_leader_saves_changes_and_they_are_audited(self, as_user, leader, person):
        client = as_user(leader)
        form = open_form(client, person)
        response = client.post(
            edit_url(person), filled_in(form, phone="0799887766", commune="Narbonne", postcode="")
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("people:detail", args=[person.pk])
        person.refresh_from_db()
        assert person.phone == "07 99 88 77 66"
        assert person.commune_id == "11262" and person.postcode == "11100"
        assert person.version == 2
        assert person.current_step == "detected"  # the journey is untouched
        entry = AuditEntry.objects.filter(action="change").get()
        assert entry.person == person
        assert "Téléphone" in entry.target and "Commune" in entry.target
        assert "0799887766" not in entry.target

    def test_errors_are_in_french_and_keep_the_input(self, as_user, leader, person):
        client = as_user(leader)
        form = open_form(client, person)
        response = client.post(
            edit_url(person), filled_in(form, last_name="", email="pas-un-email", idea="Café")
        )
        page = response.content.decode()
        assert "Indiquez le nom." in page
        assert "Adresse e-mail invalide" in page
        assert 'value="pas-un-email"' in page and "Café</textarea>" in page
        person.refresh_from_db()
        assert person.last_name == "Dupré" and person.version == 1

    def test_new_coordinates_get_a_qpv_check_as_of_today(self, as_user, leader, person):
        client = as_user(leader)
        form = open_form(client, person)
        client.post(edit_url(person), filled_in(form, latitude="43.2130", longitude="2.3530"))
        person.refresh_from_db()
        assert (person.qpv_code, person.qpv_generation) == ("QN01104I", 2024)
        assert person.qpv_checked_on == timezone.localdate()


@pytest.mark.django_db
class TestEditCriteriaAndConsents:
    def test_a_sensitive_criterion_needs_the_agreement(self, as_user, leader, person):
        client = as_user(leader)
        form = open_form(client, person)
        response = client.post(edit_url(person), filled_in(form, criteria=["rqth"]))
        assert "RQTH et AAH ne s&#x27;enregistrent" in response.content.decode()
        person.refresh_from_db()
        assert person.version == 1  # the whole save was rolled back
        assert not person.criteria.exists()

    def test_with_the_agreement_it_is_stored(self, as_user, leader, person):
        client = as_user(leader)
        form = open_form(client, person)
        client.post(edit_url(person), filled_in(form, criteria=["rqth"], sensitive_agreed="on"))
        assert list(person.criteria.values_list("code", flat=True)) == ["rqth"]
        assert person.has_consent(ConsentScope.SENSITIVE_CRITERIA)

    def test_withdrawing_the_agreement_erases_rqth_and_aah(self, as_user, leader, person):
        give_consent(person, ConsentScope.SENSITIVE_CRITERIA, date(2025, 1, 6), author=leader)
        person.criteria.set(Criterion.objects.filter(code__in=["rqth", "aah", "rsa"]))
        client = as_user(leader)
        form = open_form(client, person)
        assert form["sensitive_agreed"].value() is True
        response = client.post(edit_url(person), filled_in(form, sensitive_agreed=None))
        assert response.status_code == 302
        assert list(person.criteria.values_list("code", flat=True)) == ["rsa"]
        consent = person.consents.get(scope=ConsentScope.SENSITIVE_CRITERIA)
        assert consent.withdrawn_on == timezone.localdate()

    def test_the_contact_agreement_can_be_given_and_withdrawn(self, as_user, leader, person):
        client = as_user(leader)
        client.post(edit_url(person), filled_in(open_form(client, person), contact_agreed="on"))
        assert person.has_consent(ConsentScope.CONTACT)
        client.post(edit_url(person), filled_in(open_form(client, person), contact_agreed=None))
        assert not person.has_consent(ConsentScope.CONTACT)
        assert person.consents.filter(scope=ConsentScope.CONTACT).count() == 1


@pytest.mark.django_db
class TestConcurrentEdits:
    def test_a_stale_form_is_refused_with_the_other_change_shown(self, as_user, leader, person):
        client = as_user(leader)
        first, second = open_form(client, person), open_form(client, person)

        saved = client.post(edit_url(person), filled_in(first, phone="07 00 00 00 01"))
        assert saved.status_code == 302
        response = client.post(edit_url(person), filled_in(second, email="nouveau@example.org"))
        page = response.content.decode()

        assert response.status_code == 200
        assert "Quelqu'un a modifié cette fiche" in page
        assert "Téléphone — valeur enregistrée entre-temps : 07 00 00 00 01" in page
        assert "Valeur enregistrée entre-temps : 07 00 00 00 01" in page  # next to the field
        assert "E-mail — valeur" not in page  # the user's own change is not the other's
        assert 'value="nouveau@example.org"' in page  # the input is kept
        person.refresh_from_db()
        assert person.phone == "07 00 00 00 01"  # nothing overwritten
        assert person.email == "helene@example.org"
        assert person.version == 2

        # Having read it, saving again goes through with the user's version.
        refreshed = response.context["form"]
        assert refreshed["version"].value() == 2
        response = client.post(edit_url(person), filled_in(refreshed))
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.email == "nouveau@example.org"
        assert person.phone == "06 12 34 56 78"  # the second user kept their value
        assert person.version == 3

    def test_a_changed_criterion_is_shown_by_label(self, as_user, leader, person):
        client = as_user(leader)
        first, second = open_form(client, person), open_form(client, person)
        client.post(edit_url(person), filled_in(first, criteria=["rsa"]))
        response = client.post(edit_url(person), filled_in(second, idea="Traiteur"))
        assert "valeur enregistrée entre-temps : Bénéficiaire du RSA" in response.content.decode()
        assert not Person.objects.get().idea

    def test_a_forged_version_cannot_overwrite(self, as_user, leader, person):
        client = as_user(leader)
        form = open_form(client, person)
        response = client.post(edit_url(person), filled_in(form, version="7", phone="0700000002"))
        assert response.status_code == 200
        person.refresh_from_db()
        assert person.phone == "06 12 34 56 78"


@pytest.mark.django_db
class TestEditAccess:
    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize("role", ["partner", "funder", "network", "admin_user"])
    def test_other_roles_get_403(self, request, as_user, role, method, person):
        client = as_user(request.getfixturevalue(role))
        response = getattr(client, method)(edit_url(person), {"first_name": "X", "version": "1"})
        assert response.status_code == 403
        person.refresh_from_db()
        assert person.first_name == "Hélène"

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_leader_of_another_site_gets_404(self, as_user, outsider, person, method):
        client = as_user(outsider)
        data = {"first_name": "X", "last_name": "Y", "version": "1"}
        response = getattr(client, method)(edit_url(person), data)
        assert response.status_code == 404
        person.refresh_from_db()
        assert person.first_name == "Hélène"
        assert not AuditEntry.objects.exists()

    def test_an_unknown_person_is_404(self, as_user, leader):
        assert as_user(leader).get(reverse("people:edit", args=[999999])).status_code == 404
