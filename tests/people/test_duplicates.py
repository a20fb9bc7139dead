from datetime import date

import pytest
from django.urls import reverse

from amorce.people.duplicates import find_duplicates, normalise_phone
from tests.factories import PersonFactory, UserFactory

URL = reverse("people:duplicates")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("06 12 34 56 78", "0612345678"),
        ("06.12.34.56.78", "0612345678"),
        ("+33 6 12 34 56 78", "0612345678"),
        ("+33 (0)6 12 34 56 78", "0612345678"),
        ("0033 6 12 34 56 78", "0612345678"),
        ("+32 470 12 34 56", "32470123456"),
        ("", ""),
    ],
)
def test_phone_numbers_are_compared_as_french_digits(typed, expected):
    assert normalise_phone(typed) == expected


@pytest.mark.django_db
class TestSameSiteMatches:
    def test_names_match_without_accents_or_case(self, site):
        known = PersonFactory(site=site, first_name="Hélène", last_name="Dupré")
        report = find_duplicates(site, first_name="helene", last_name="DUPRE")
        assert [match.person for match in report.same_site] == [known]
        assert report.same_site[0].reasons == ("même nom",)

    def test_names_typed_in_the_other_order_match(self, site):
        known = PersonFactory(site=site, first_name="Samira", last_name="Benali")
        report = find_duplicates(site, first_name="Benali", last_name="Samira")
        assert [match.person for match in report.same_site] == [known]

    def test_same_name_with_another_birth_date_is_a_namesake(self, site):
        PersonFactory(site=site, first_name="Jean", last_name="Martin", birth_date=date(1980, 1, 1))
        report = find_duplicates(
            site, first_name="Jean", last_name="Martin", birth_date=date(1990, 5, 5)
        )
        assert not report

    def test_same_name_and_birth_date_say_so(self, site):
        PersonFactory(site=site, first_name="Jean", last_name="Martin", birth_date=date(1980, 1, 1))
        report = find_duplicates(
            site, first_name="Jean", last_name="Martin", birth_date=date(1980, 1, 1)
        )
        assert report.same_site[0].reasons == ("même nom et même date de naissance",)

    def test_a_first_name_alone_finds_nobody(self, site):
        PersonFactory(site=site, first_name="Jean", last_name="Martin")
        assert not find_duplicates(site, first_name="Jean")

    def test_the_same_phone_typed_differently_matches(self, site):
        known = PersonFactory(site=site, first_name="A", last_name="B", phone="06.12.34.56.78")
        report = find_duplicates(site, first_name="X", last_name="Y", phone="+33 6 12 34 56 78")
        assert [match.person for match in report.same_site] == [known]
        assert report.same_site[0].reasons == ("même téléphone",)

    def test_a_number_ending_with_the_same_digits_is_not_the_same_phone(self, site):
        PersonFactory(site=site, phone="07 12 34 56 78")
        assert not find_duplicates(site, phone="06 12 34 56 78")

    def test_the_same_email_matches_whatever_the_case(self, site):
        known = PersonFactory(site=site, email="Helene.Dupre@Example.org")
        report = find_duplicates(site, email="helene.dupre@example.org")
        assert [match.person for match in report.same_site] == [known]

    def test_nothing_typed_finds_nothing(self, site):
        PersonFactory(site=site)
        assert not find_duplicates(site)


@pytest.mark.django_db
class TestOtherSiteMatches:
    def test_only_the_site_and_its_leaders_are_told(self, site, other_site, outsider):
        PersonFactory(site=other_site, first_name="Hélène", last_name="Dupré")
        report = find_duplicates(site, first_name="Helene", last_name="Dupre")
        assert report.same_site == []
        assert len(report.other_sites) == 1
        other = report.other_sites[0]
        assert other.site_name == "CitésLab Narbonne"
        assert other.leader_names == (outsider.get_full_name(),)

    def test_several_files_at_one_site_give_one_warning(self, site, other_site, outsider):
        PersonFactory(site=other_site, phone="0612345678")
        PersonFactory(site=other_site, email="a@example.org")
        report = find_duplicates(site, phone="06 12 34 56 78", email="A@example.org")
        assert [other.site_name for other in report.other_sites] == ["CitésLab Narbonne"]

    def test_a_site_without_leader_is_still_named(self, site, other_site):
        PersonFactory(site=other_site, email="a@example.org")
        report = find_duplicates(site, email="a@example.org")
        assert report.other_sites[0].site_name == "CitésLab Narbonne"
        assert report.other_sites[0].leader_names == ()


@pytest.mark.django_db
class TestDuplicateCheckEndpoint:
    def test_same_site_matches_are_shown_with_a_link(self, as_user, leader, site):
        known = PersonFactory(site=site, first_name="Hélène", last_name="Dupré")
        response = as_user(leader).post(URL, {"first_name": "helene", "last_name": "dupre"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Ouvrir sa fiche" in page
        assert reverse("people:detail", args=[known.pk]) in page
        assert "Créer quand même une nouvelle fiche" in page

    def test_another_site_reveals_only_its_name_and_leader(
        self, as_user, leader, other_site, outsider
    ):
        other = PersonFactory(
            site=other_site,
            first_name="Hélène",
            last_name="Dupré",
            phone="06 99 88 77 66",
            email="helene@example.org",
            birth_date=date(1985, 3, 4),
            address="12 rue des Lilas",
        )
        response = as_user(leader).get(
            URL, {"first_name": "helene", "last_name": "dupre", "email": ""}
        )
        page = response.content.decode()
        expected = (
            "Cette personne est déjà suivie par CitésLab Narbonne "
            f"(chef de projet : {outsider.get_full_name()})"
        )
        assert expected in page
        for secret in ("06 99 88 77 66", "helene@example.org", "1985", "Lilas", "Hélène", "Dupré"):
            assert secret not in page
        assert f"/{other.pk}/" not in page
        assert "Ouvrir sa fiche" not in page

    def test_half_typed_values_are_ignored(self, as_user, leader):
        response = as_user(leader).get(URL, {"birth_date": "19", "phone": "06"})
        assert response.status_code == 200
        assert "notice" not in response.content.decode()

    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize("role", ["partner", "funder", "network", "admin_user"])
    def test_other_roles_get_403(self, request, as_user, role, method):
        client = as_user(request.getfixturevalue(role))
        response = getattr(client, method)(URL, {"first_name": "a", "last_name": "b"})
        assert response.status_code == 403

    def test_a_leader_of_another_site_sees_this_site_only_as_elsewhere(
        self, as_user, outsider, site, leader
    ):
        PersonFactory(site=site, first_name="Hélène", last_name="Dupré")
        response = as_user(outsider).post(URL, {"first_name": "Hélène", "last_name": "Dupré"})
        page = response.content.decode()
        assert "déjà suivie par CitésLab Carcassonne" in page
        assert "Ouvrir sa fiche" not in page

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client):
        response = client.get(URL)
        assert response.status_code == 302

    def test_inactive_leaders_are_not_named(self, as_user, leader, other_site, outsider):
        outsider.is_active = False
        outsider.save()
        PersonFactory(site=other_site, email="a@example.org")
        UserFactory()  # an unrelated user must not appear either
        response = as_user(leader).get(URL, {"email": "a@example.org"})
        assert "chef de projet : non renseigné" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_check_runs_a_fixed_number_of_queries(
    as_user, leader, site, other_site, outsider, count, django_assert_max_num_queries
):
    for _ in range(count):
        PersonFactory(site=site, first_name="Hélène", last_name="Dupré", commune_id="11069")
        PersonFactory(site=other_site, email="helene@example.org")
    client = as_user(leader)
    with django_assert_max_num_queries(12):
        response = client.post(
            URL, {"first_name": "helene", "last_name": "dupre", "email": "helene@example.org"}
        )
    assert response.content.decode().count("Ouvrir sa fiche") == count
