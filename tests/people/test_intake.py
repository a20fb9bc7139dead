from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.people.actions import criteria_of
from amorce.people.choices import ConsentScope
from amorce.people.journey import Step
from amorce.people.models import Person
from tests.factories import PersonFactory

URL = reverse("people:create")
BASTIDE_PONT_VIEUX = ("43.2130", "2.3530")  # inside both generations' perimeter


def intake_form(**overrides):
    data = {
        "first_name": "Hélène",
        "last_name": "Dupré",
        "sex": "",
        "registered_france_travail": "",
        "intake_date": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def created(client, **overrides) -> Person:
    response = client.post(URL, intake_form(**overrides))
    assert response.status_code == 302, response.context["form"].errors
    return Person.objects.get()


@pytest.mark.django_db
class TestIntakeForm:
    def test_a_leader_sees_the_form_with_the_site_communes(self, as_user, leader):
        response = as_user(leader).get(URL)
        page = response.content.decode()
        assert response.status_code == 200
        assert '<option value="Carcassonne">11000</option>' in page
        assert 'list="communes-du-site"' in page
        assert f'value="{timezone.localdate().isoformat()}"' in page  # intake date: today
        assert 'type="date"' in page
        assert "La personne accepte que ces informations soient enregistrées" in page
        assert "Bénéficiaire du RSA" in page  # criteria come from the data
        assert "Ces informations servent seulement à accompagner la personne" in page

    def test_a_leader_creates_a_person_with_every_field(self, as_user, leader, site):
        client = as_user(leader)
        response = client.post(
            URL,
            intake_form(
                sex="F",
                birth_date="1990-04-12",
                phone="+33 6 12 34 56 78",
                email="helene.dupre@example.org",
                address="3 rue Voltaire",
                postcode="",
                commune="carcassonne",
                situation="demandeur_emploi",
                registered_france_travail="oui",
                unemployment_months="18",
                criteria=["rsa", "rqth"],
                sensitive_agreed="on",
                education_level="bac",
                contact_source="centre_social",
                idea="Un salon de coiffure à domicile",
                intake_date="2025-09-15",
                contact_agreed="on",
            ),
        )
        person = Person.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("people:detail", args=[person.pk])
        assert [str(m) for m in get_messages(response.wsgi_request)] == ["Fiche créée"]
        assert person.site == site
        assert (person.first_name, person.last_name, person.sex) == ("Hélène", "Dupré", "F")
        assert person.birth_date == date(1990, 4, 12)
        assert person.phone == "06 12 34 56 78"
        assert person.email == "helene.dupre@example.org"
        assert person.address == "3 rue Voltaire"
        assert person.commune_id == "11069"
        assert person.postcode == "11000"  # filled from the commune
        assert person.situation == "demandeur_emploi"
        assert person.registered_france_travail is True
        assert person.unemployment_months == 18
        assert person.education_level == "bac"
        assert person.contact_source == "centre_social"
        assert person.idea == "Un salon de coiffure à domicile"
        assert set(person.criteria.values_list("code", flat=True)) == {"rsa", "rqth"}
        assert person.has_consent(ConsentScope.SENSITIVE_CRITERIA)
        assert person.has_consent(ConsentScope.CONTACT)
        assert person.consents.get(scope=ConsentScope.CONTACT).given_on == date(2025, 9, 15)
        journey = person.journeys.get()
        assert (journey.step, journey.opened_on) == (Step.DETECTED, date(2025, 9, 15))
        assert journey.transitions.get().author == leader
        assert person.current_step == Step.DETECTED and person.journey_open
        entry = AuditEntry.objects.get(person=person)
        assert (entry.action, entry.actor) == ("create", leader)

    def test_only_names_are_required(self, as_user, leader):
        person = created(as_user(leader))
        assert person.name_key == "dupre helene dupre"
        assert person.registered_france_travail is None
        assert not person.consents.exists()

    def test_missing_names_are_named_in_french_and_nothing_is_lost(self, as_user, leader):
        response = as_user(leader).post(
            URL, intake_form(first_name="", last_name="", phone="06 11 22 33 44", idea="Épicerie")
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Indiquez le prénom." in page and "Indiquez le nom." in page
        assert 'href="#id_first_name"' in page
        assert 'value="06 11 22 33 44"' in page
        assert "Épicerie</textarea>" in page
        assert not Person.objects.exists()

    def test_the_audit_is_written_only_for_a_created_file(self, as_user, leader):
        as_user(leader).post(URL, intake_form(first_name=""))
        assert not AuditEntry.objects.exists()


@pytest.mark.django_db
class TestSensitiveCriteria:
    def test_rqth_without_the_agreement_is_refused_on_that_field(self, as_user, leader):
        response = as_user(leader).post(URL, intake_form(criteria=["rqth", "rsa"]))
        page = response.content.decode()
        assert response.status_code == 200
        assert "RQTH et AAH ne s&#x27;enregistrent qu&#x27;avec l&#x27;accord" in page
        assert 'href="#id_criteria_0"' in page or 'href="#id_criteria"' in page
        assert 'value="rqth"' in page and "checked" in page  # the ticks are kept
        assert not Person.objects.exists()

    def test_aah_with_the_agreement_is_stored_with_the_consent(self, as_user, leader):
        person = created(as_user(leader), criteria=["aah"], sensitive_agreed="on")
        assert list(person.criteria.values_list("code", flat=True)) == ["aah"]
        consent = person.consents.get(scope=ConsentScope.SENSITIVE_CRITERIA)
        assert consent.recorded_by == leader
        assert consent.withdrawn_on is None

    def test_the_agreement_alone_is_recorded(self, as_user, leader):
        person = created(as_user(leader), sensitive_agreed="on")
        assert person.has_consent(ConsentScope.SENSITIVE_CRITERIA)
        assert not person.criteria.exists()

    def test_derived_criteria_cannot_be_ticked(self, as_user, leader):
        response = as_user(leader).post(URL, intake_form(criteria=["deld"]))
        assert response.status_code == 200
        assert "criteria" in response.context["form"].errors


@pytest.mark.django_db
class TestDeld:
    def test_deld_is_derived_from_a_registered_long_unemployment(self, as_user, leader):
        person = created(
            as_user(leader),
            situation="demandeur_emploi",
            registered_france_travail="oui",
            unemployment_months="12",
        )
        assert person.is_deld
        codes = {c.code for c in criteria_of(person, timezone.localdate())}
        assert "deld" in codes

    def test_eleven_months_is_not_deld(self, as_user, leader):
        person = created(
            as_user(leader),
            situation="demandeur_emploi",
            registered_france_travail="oui",
            unemployment_months="11",
        )
        assert not person.is_deld

    def test_the_form_shows_the_derived_deld(self, as_user, leader):
        response = as_user(leader).post(
            URL,
            intake_form(
                first_name="",
                situation="demandeur_emploi",
                registered_france_travail="oui",
                unemployment_months="24",
            ),
        )
        assert "DELD (calculé) : <strong>oui</strong>" in response.content.decode()

    def test_a_negative_length_is_refused_in_french(self, as_user, leader):
        response = as_user(leader).post(URL, intake_form(unemployment_months="-2"))
        assert "Durée de chômage : un nombre de mois positif." in response.content.decode()


@pytest.mark.django_db
class TestQpvAtIntake:
    def test_a_point_today_is_checked_against_the_2024_perimeters(self, as_user, leader):
        lat, lon = BASTIDE_PONT_VIEUX
        person = created(as_user(leader), latitude=lat, longitude=lon)
        assert (person.qpv_code, person.qpv_generation) == ("QN01104I", 2024)
        assert person.qpv_name == "Bastide Pont-Vieux"
        assert person.qpv_source == Person.QpvSource.COORDINATES
        assert person.qpv_checked_on == timezone.localdate()

    def test_an_intake_dated_2023_uses_the_2015_perimeters(self, as_user, leader):
        lat, lon = BASTIDE_PONT_VIEUX
        person = created(as_user(leader), latitude=lat, longitude=lon, intake_date="2023-06-01")
        assert (person.qpv_code, person.qpv_generation) == ("QP011004", 2015)
        assert person.qpv_checked_on == date(2023, 6, 1)

    def test_without_coordinates_no_check_is_claimed(self, as_user, leader):
        person = created(as_user(leader))
        assert person.qpv_generation is None and person.qpv_checked_on is None

    def test_a_latitude_without_longitude_is_refused(self, as_user, leader):
        response = as_user(leader).post(URL, intake_form(latitude="43.2"))
        assert "Indiquez la latitude et la longitude" in response.content.decode()
        assert not Person.objects.exists()


@pytest.mark.django_db
class TestIntakeDate:
    def test_a_future_intake_date_is_refused(self, as_user, leader):
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = as_user(leader).post(URL, intake_form(intake_date=tomorrow.isoformat()))
        page = response.content.decode()
        assert "La date de l&#x27;accueil ne peut pas être dans le futur." in page
        assert 'href="#id_intake_date"' in page
        assert not Person.objects.exists()

    def test_a_future_birth_date_is_refused(self, as_user, leader):
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = as_user(leader).post(URL, intake_form(birth_date=tomorrow.isoformat()))
        assert "La date de naissance ne peut pas être dans le futur." in response.content.decode()

    def test_a_date_typed_day_first_is_accepted(self, as_user, leader):
        person = created(as_user(leader), birth_date="12/04/1990")
        assert person.birth_date == date(1990, 4, 12)

    def test_a_malformed_date_is_refused_in_french(self, as_user, leader):
        response = as_user(leader).post(URL, intake_form(birth_date="1990-13-45"))
        assert "Saisissez une date valide, au format JJ/MM/AAAA." in response.content.decode()


@pytest.mark.django_db
class TestCommune:
    def test_any_french_commune_is_accepted_by_insee_code(self, as_user, leader):
        person = created(as_user(leader), commune="75056", postcode="75011")
        assert person.commune.name == "Paris"

    def test_a_name_typed_without_accents_or_hyphens_is_found(self, as_user, leader):
        person = created(as_user(leader), commune="villefranche de lauragais")
        assert person.commune.name == "Villefranche-de-Lauragais"

    def test_an_ambiguous_name_is_settled_by_the_postcode(self, as_user, leader):
        person = created(as_user(leader), commune="Saint-Denis", postcode="93200")
        assert person.commune_id == "93066"

    def test_an_ambiguous_name_without_postcode_is_explained(self, as_user, leader):
        response = as_user(leader).post(URL, intake_form(commune="Saint-Denis"))
        assert "Plusieurs communes s&#x27;appellent « Saint-Denis »" in response.content.decode()

    def test_an_unknown_commune_is_named(self, as_user, leader):
        response = as_user(leader).post(URL, intake_form(commune="Atlantide", address="1 quai"))
        page = response.content.decode()
        assert "Commune : Commune inconnue : « Atlantide »" in page
        assert 'value="Atlantide"' in page and 'value="1 quai"' in page
        assert not Person.objects.exists()

    def test_an_unknown_insee_code_is_named(self, as_user, leader):
        response = as_user(leader).post(URL, intake_form(commune="99999"))
        assert "Commune inconnue : aucun code INSEE 99999." in response.content.decode()

    def test_a_postcode_of_another_commune_is_refused(self, as_user, leader):
        response = as_user(leader).post(URL, intake_form(commune="Carcassonne", postcode="11100"))
        assert "Le code postal 11100 n&#x27;est pas celui de Carcassonne" in (
            response.content.decode()
        )

    def test_a_postcode_alone_finds_its_only_commune(self, as_user, leader):
        person = created(as_user(leader), postcode="11000")
        assert person.commune_id == "11069"


@pytest.mark.django_db
class TestDuplicatesAtIntake:
    def test_a_same_site_match_is_shown_and_creation_needs_confirmation(
        self, as_user, leader, site
    ):
        known = PersonFactory(site=site, first_name="Hélène", last_name="Dupré")
        client = as_user(leader)
        response = client.post(URL, intake_form(first_name="helene", last_name="dupre"))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Une fiche semblable existe déjà sur votre site" in page
        assert reverse("people:detail", args=[known.pk]) in page and "Ouvrir sa fiche" in page
        assert 'href="#id_create_anyway"' in page and 'id="id_create_anyway"' in page
        assert Person.objects.count() == 1

        response = client.post(
            URL, intake_form(first_name="helene", last_name="dupre", create_anyway="on")
        )
        assert response.status_code == 302
        assert Person.objects.count() == 2

    def test_another_site_is_only_a_warning(self, as_user, leader, other_site, outsider):
        PersonFactory(site=other_site, first_name="Hélène", last_name="Dupré", phone="0699887766")
        response = as_user(leader).post(URL, intake_form())
        assert response.status_code == 302
        warnings = [str(m) for m in get_messages(response.wsgi_request)]
        assert warnings == [
            "Fiche créée",
            "Cette personne est déjà suivie par CitésLab Narbonne "
            f"(chef de projet : {outsider.get_full_name()})",
        ]

    def test_the_form_has_the_live_check_and_works_without_it(self, as_user, leader):
        page = as_user(leader).get(URL).content.decode()
        assert f'hx-post="{reverse("people:duplicates")}"' in page
        assert "htmx-2.0.11.min.js" in page


@pytest.mark.django_db
class TestIntakeAccess:
    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize("role", ["partner", "funder", "network", "admin_user"])
    def test_other_roles_get_403(self, request, as_user, role, method):
        client = as_user(request.getfixturevalue(role))
        response = getattr(client, method)(URL, intake_form())
        assert response.status_code == 403
        assert not Person.objects.exists()

    def test_a_leader_of_another_site_creates_on_their_own_site_only(
        self, as_user, outsider, other_site, site
    ):
        person = created(as_user(outsider))
        assert person.site == other_site

    def test_a_leader_of_two_sites_creates_on_the_active_one(
        self, as_user, two_sites_leader, other_site
    ):
        client = as_user(two_sites_leader)
        membership = two_sites_leader.memberships.get(site=other_site)
        client.post(reverse("accounts:switch"), {"membership": membership.pk})
        person = created(client)
        assert person.site == other_site

    def test_a_leader_without_second_factor_is_sent_to_it(self, as_user, leader):
        response = as_user(leader, verified=False).get(URL)
        assert response.status_code == 302
        assert not Person.objects.exists()
