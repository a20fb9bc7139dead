import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from amorce.sites.models import Site
from tests.factories import PersonFactory

CARCASSONNE_AGGLO = "200035715"


def site_form(**overrides):
    data = {
        "name": "CitésLab Test",
        "slug": "test",
        "host_organisation": "Agglo Test",
        "communes": "",
        "epci": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestSiteCreationPage:
    def test_an_admin_creates_a_site_on_a_whole_intercommunality(self, as_user, admin_user):
        client = as_user(admin_user)
        response = client.post(reverse("sites:create"), site_form(epci=CARCASSONNE_AGGLO))
        assert response.status_code == 302
        site = Site.objects.get(slug="test")
        assert site.communes.count() == 83
        assert site.communes.filter(code="11069", name="Carcassonne").exists()
        assert site.host_organisation.name == "Agglo Test"

    def test_communes_and_intercommunalities_combine(self, as_user, admin_user):
        client = as_user(admin_user)
        client.post(
            reverse("sites:create"), site_form(communes="11262, 34172", epci=CARCASSONNE_AGGLO)
        )
        assert Site.objects.get(slug="test").communes.count() == 85

    def test_an_unknown_commune_code_is_named_and_nothing_is_created(self, as_user, admin_user):
        client = as_user(admin_user)
        response = client.post(reverse("sites:create"), site_form(communes="11069, 99999"))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Code commune INSEE inconnu : 99999" in page
        assert 'href="#id_communes"' in page  # the error summary links to the field
        assert 'value="CitésLab Test"' in page  # nothing typed is lost
        assert not Site.objects.exists()

    def test_an_unknown_epci_is_named(self, as_user, admin_user):
        response = as_user(admin_user).post(reverse("sites:create"), site_form(epci="123456789"))
        assert (
            "Intercommunalité (SIREN d&#x27;EPCI) inconnue : 123456789" in response.content.decode()
        )
        assert not Site.objects.exists()

    def test_a_territory_is_required(self, as_user, admin_user):
        response = as_user(admin_user).post(reverse("sites:create"), site_form())
        assert "Indiquez au moins une commune" in response.content.decode()

    @pytest.mark.parametrize("slug", ["sites", "compte", "Pas Bon", "déjà"])
    def test_reserved_or_malformed_slugs_are_refused(self, as_user, admin_user, slug):
        response = as_user(admin_user).post(
            reverse("sites:create"), site_form(slug=slug, communes="11069")
        )
        assert response.status_code == 200
        assert not Site.objects.exists()

    def test_an_admin_edits_the_territory(self, as_user, admin_user, site):
        client = as_user(admin_user)
        response = client.post(
            reverse("sites:edit", args=[site.slug]),
            site_form(name="CitésLab Carcassonne Agglo", slug="ignored", communes="11069"),
        )
        assert response.status_code == 302
        site.refresh_from_db()
        assert site.slug == "carcassonne"
        assert list(site.communes.values_list("code", flat=True)) == ["11069"]


@pytest.mark.django_db
class TestSitesCommand:
    def test_it_adds_a_site_by_communes(self, capsys):
        call_command(
            "sites", "add", "carca", "--name", "CitésLab Carcassonne", "--communes", "11069,11001"
        )
        site = Site.objects.get(slug="carca")
        assert sorted(site.communes.values_list("code", flat=True)) == ["11001", "11069"]
        assert "2 communes" in capsys.readouterr().out

    def test_it_adds_a_site_by_epci(self):
        call_command("sites", "add", "agglo", "--name", "Agglo", "--epci", CARCASSONNE_AGGLO)
        assert Site.objects.get(slug="agglo").communes.count() == 83

    def test_an_unknown_code_is_a_clear_error(self):
        with pytest.raises(CommandError, match="Code commune INSEE inconnu : 11999"):
            call_command("sites", "add", "carca", "--name", "X", "--communes", "11069,11999")
        assert not Site.objects.exists()

    def test_an_unknown_epci_is_a_clear_error(self):
        with pytest.raises(CommandError, match="inconnue : 200000000"):
            call_command("sites", "add", "carca", "--name", "X", "--epci", "200000000")


@pytest.mark.django_db
class TestSiteOverview:
    def test_it_counts_persons_per_qpv_without_names(self, as_user, funder, site):
        PersonFactory(site=site, last_name="Zebulon", qpv_code="QN01104I", qpv_generation=2024)
        PersonFactory(site=site, last_name="Yvette")
        page = as_user(funder).get(reverse("sites:detail", args=[site.slug])).content.decode()
        assert "QN01104I" in page and "Bastide Pont-Vieux" in page
        assert "Zebulon" not in page and "Yvette" not in page

    @pytest.mark.parametrize("role", ["funder", "network", "admin_user"])
    def test_small_counts_of_people_are_masked_for_all_but_the_sites_leader(
        self, request, as_user, role, site
    ):
        """Issue 26: 2 persons, 1 in a QPV, 1 to verify were shown as they are."""
        PersonFactory(site=site, qpv_code="QN01104I", qpv_generation=2024, qpv_to_verify=True)
        PersonFactory(site=site)
        account = request.getfixturevalue(role)
        client = as_user(account)

        page = client.get(reverse("sites:detail", args=[site.slug]))
        listing = client.get(reverse("sites:list"))

        figures = page.context
        assert (figures["person_count"], figures["person_in_qpv_count"]) == ("<5", "<5")
        assert figures["person_to_verify_count"] == "<5"
        assert figures["person_in_qpv_percent"] is None
        qpvs = {q.code: q.person_count for g in figures["generations"] for q in g["qpvs"]}
        assert qpvs["QN01104I"] == "<5"
        assert "sont masqués" in page.content.decode()
        (row,) = [s for s in listing.context["sites"] if s.pk == site.pk]
        assert (row.person_count, row.person_in_qpv_count) == ("<5", "<5")

    def test_the_sites_own_leader_sees_the_counts(self, as_user, leader, site):
        PersonFactory(site=site, qpv_code="QN01104I", qpv_generation=2024)
        PersonFactory(site=site)

        for url in (reverse("sites:detail", args=[site.slug]), reverse("core:home")):
            figures = as_user(leader).get(url).context
            assert (figures["person_count"], figures["person_in_qpv_count"]) == (2, 1)
            assert figures["person_in_qpv_percent"] == 50

    def test_a_second_cell_is_masked_beside_the_total_in_qpv(self, as_user, network, site):
        # 2 in QN01104I, 7 in QN01105I: 9 in QPV shown, so 7 would give the 2 away.
        for _ in range(2):
            PersonFactory(site=site, qpv_code="QN01104I", qpv_generation=2024)
        for _ in range(7):
            PersonFactory(site=site, qpv_code="QN01105I", qpv_generation=2024)

        figures = as_user(network).get(reverse("sites:detail", args=[site.slug])).context

        assert figures["person_in_qpv_count"] == 9
        qpvs = {q.code: q.person_count for g in figures["generations"] for q in g["qpvs"]}
        assert (qpvs["QN01104I"], qpvs["QN01105I"]) == ("<5", None)


@pytest.mark.django_db
def test_the_admin_links_a_sites_partner_to_another_sites_organisation(
    as_user, admin_user, leader, site, other_site
):
    from amorce.accounts.models import Organisation
    from tests.referrals.factories import PartnerFactory

    adie = Organisation.objects.create(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)
    PartnerFactory(site=other_site, name="ADIE Narbonne", organisation=adie)
    mine = PartnerFactory(site=site, name="ADIE")
    url = reverse("sites:partners", args=[site.slug])

    assert (
        as_user(leader).post(url, {"partner": mine.pk, "organisation": adie.pk}).status_code == 403
    )
    response = as_user(admin_user).post(url, {"partner": mine.pk, "organisation": adie.pk})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.organisation == adie


@pytest.mark.django_db
def test_an_admin_links_a_funder_who_then_sees_the_site(client, as_user, admin_user, site):
    from amorce.accounts.models import Organisation, Role
    from tests.factories import MembershipFactory, UserFactory

    state = Organisation.objects.create(name="État", kind=Organisation.Kind.FUNDER)
    prefect = MembershipFactory(
        user=UserFactory(email="etat@example.org"), organisation=state, role=Role.FUNDER
    ).user
    as_user(admin_user).post(
        reverse("sites:edit", args=[site.slug]),
        site_form(name=site.name, communes="11069", funders=[state.pk]),
    )
    assert list(site.funders.all()) == [state]
    client.logout()
    assert as_user(prefect).get(reverse("sites:detail", args=[site.slug])).status_code == 200


def test_every_top_level_address_is_a_reserved_slug():
    """A site named like a section of the app would have an unreachable public page."""
    from django.urls import get_resolver

    from amorce.sites.models import RESERVED_SLUGS

    def first_segments(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns") and not route:
                yield from first_segments(pattern.url_patterns, route)
            else:
                segment = route.lstrip("^").split("/")[0]
                if segment and "<" not in segment:
                    yield segment

    taken = set(first_segments(get_resolver().url_patterns))
    assert taken - RESERVED_SLUGS == set()
