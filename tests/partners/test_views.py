"""The partner directory's pages: who reaches them, the list, the form, the card."""

import pytest
from django.core import mail
from django.urls import reverse

from amorce.accounts.models import Organisation, Role, User
from amorce.audit.models import AuditEntry
from amorce.partners.models import Network, Partner
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.partners.factories import PartnerContactFactory, PartnerFactory

LIST_URL = reverse("partners:list")
CREATE_URL = reverse("partners:create")


def url(name, partner, *args):
    return reverse(f"partners:{name}", args=[partner.pk, *args])


def partner_data(**overrides):
    return {
        "name": "BGE Aude",
        "network": Network.BGE,
        "organisation": "",
        "offers": ["accompagnement", "formation"],
        "email": "aude@bge.example.org",
        "phone": "04 68 00 30 30",
        "address": "Carcassonne",
        "website": "https://bge.example.org",
        "notes": "Permanence le mardi.",
        "communes": [],
        "is_active": "on",
        **overrides,
    }


def access_data(**overrides):
    return {
        "acces-email": "marc@bge.example.org",
        "acces-first_name": "Marc",
        "acces-last_name": "Fabre",
        **overrides,
    }


@pytest.fixture
def bge(site):
    organisation = OrganisationFactory(name="BGE Aude", kind=Organisation.Kind.PARTNER)
    return PartnerFactory(site=site, name="BGE Aude", organisation=organisation)


@pytest.fixture
def elsewhere(other_site):
    """A partner of the other site, with a contact: what the outsider's leader owns."""
    partner = PartnerFactory(site=other_site, name="Initiative Narbonne")
    PartnerContactFactory(partner=partner)
    return partner


# Who reaches the directory -----------------------------------------------------------------


def test_other_sites_partners_do_not_exist_for_a_leader(as_user, leader, elsewhere):
    client = as_user(leader)
    contact = elsewhere.contacts.get()

    for path in (url("detail", elsewhere), url("edit", elsewhere)):
        assert client.get(path).status_code == 404
    posts = [
        (url("edit", elsewhere), partner_data(name="Pris")),
        (url("contact_create", elsewhere), {"contact-name": "Intrus"}),
        (url("contact_delete", elsewhere, contact.pk), {}),
        (url("access_create", elsewhere), access_data()),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Initiative Narbonne"
    assert elsewhere.contacts.count() == 1
    assert not User.objects.filter(email="marc@bge.example.org").exists()


def test_a_contact_of_another_partner_cannot_be_removed_through_mine(as_user, leader, bge):
    stranger = PartnerContactFactory(partner=PartnerFactory(site=bge.site))

    response = as_user(leader).post(url("contact_delete", bge, stranger.pk))

    assert response.status_code == 404
    assert stranger.partner.contacts.exists()


@pytest.mark.parametrize("role", ["partner", "funder", "network", "admin_user"])
def test_other_roles_are_refused(request, as_user, bge, role):
    client = as_user(request.getfixturevalue(role))
    contact = PartnerContactFactory(partner=bge)

    for path in (LIST_URL, CREATE_URL, url("detail", bge), url("edit", bge)):
        assert client.get(path).status_code == 403
    for path in (
        CREATE_URL,
        url("edit", bge),
        url("contact_create", bge),
        url("contact_delete", bge, contact.pk),
        url("access_create", bge),
    ):
        assert client.post(path, {}).status_code == 403


def test_the_directory_needs_a_login(client, bge):
    response = client.get(LIST_URL)

    assert response.status_code == 302


# The list ----------------------------------------------------------------------------------


def names(response, key="active"):
    return [partner.name for partner in response.context[key]]


def test_it_lists_the_sites_partners_with_inactive_ones_apart(as_user, leader, bge, elsewhere):
    PartnerFactory(site=bge.site, name="Ancien partenaire", is_active=False)

    response = as_user(leader).get(LIST_URL)

    assert response.status_code == 200
    assert names(response) == ["BGE Aude"]
    assert names(response, "inactive") == ["Ancien partenaire"]
    assert "Initiative Narbonne" not in response.content.decode()
    assert "Partenaires inactifs (1)" in response.content.decode()
    assert "Ajouter un partenaire" in response.content.decode()


def test_it_shows_counts_and_communes(as_user, leader, site, bge):
    PartnerContactFactory.create_batch(2, partner=bge)
    for email, active in (("a@bge.example.org", True), ("b@bge.example.org", False)):
        MembershipFactory(
            user=UserFactory(email=email), organisation=bge.organisation, role=Role.PARTNER,
            site=site, is_active=active,
        )  # fmt: skip
    MembershipFactory(organisation=bge.organisation, role=Role.FUNDER)
    local = PartnerFactory(site=site, name="Mission Locale")
    local.communes.set(["11001"])

    response = as_user(leader).get(LIST_URL)

    listed = {partner.name: partner for partner in response.context["active"]}
    assert (listed["BGE Aude"].contact_count, listed["BGE Aude"].staff_count) == (2, 1)
    page = response.content.decode()
    assert "1 compte actif" in page
    assert "tout le territoire" in page
    assert "Aigues-Vives" in page


def test_it_filters_by_network_and_offer(as_user, leader, site):
    PartnerFactory(site=site, name="ADIE", network=Network.ADIE, offers_financing=True)
    PartnerFactory(site=site, name="BGE", network=Network.BGE, offers_support=True)
    PartnerFactory(site=site, name="Initiative", network=Network.INITIATIVE, offers_financing=True)
    client = as_user(leader)

    assert names(client.get(LIST_URL, {"network": "bge"})) == ["BGE"]
    assert names(client.get(LIST_URL, {"offer": "financement"})) == ["ADIE", "Initiative"]
    both = client.get(LIST_URL, {"network": "adie", "offer": "financement"})
    assert names(both) == ["ADIE"]


def test_an_invalid_filter_is_reported_and_ignored(as_user, leader, bge):
    response = as_user(leader).get(LIST_URL, {"network": "inconnu"})

    assert names(response) == ["BGE Aude"]
    assert "Un filtre n'est pas appliqué" in response.content.decode()


def test_the_list_costs_a_fixed_number_of_queries(
    as_user, leader, site, django_assert_max_num_queries
):
    client = as_user(leader)
    client.get(LIST_URL)  # warm the session and the user's memberships
    for number in range(15):
        partner = PartnerFactory(site=site, name=f"Partenaire {number:02}")
        partner.communes.set(["11069"])
        PartnerContactFactory(partner=partner)

    with django_assert_max_num_queries(12):
        response = client.get(LIST_URL)

    assert len(response.context["active"]) == 15


# Creating and editing ----------------------------------------------------------------------


def test_the_form_renders(as_user, leader, bge):
    client = as_user(leader)

    assert "Ajouter un partenaire" in client.get(CREATE_URL).content.decode()
    page = client.get(url("edit", bge)).content.decode()
    assert "Modifier le partenaire" in page
    assert "Carcassonne" in page  # the site's communes to tick
    assert "Narbonne" not in page


def test_a_leader_adds_a_partner(as_user, leader, site):
    response = as_user(leader).post(CREATE_URL, partner_data(communes=["11001"]))

    partner = Partner.objects.get()
    assert response.status_code == 302
    assert response.url == url("detail", partner)
    assert partner.site == site
    assert partner.offers == ["accompagnement", "formation"]
    assert list(partner.communes.values_list("code", flat=True)) == ["11001"]
    assert partner.organisation.name == "BGE Aude"
    assert partner.organisation.kind == Organisation.Kind.PARTNER
    assert AuditEntry.objects.filter(action="create", site=site).exists()


def test_a_leader_cannot_link_a_partner_to_an_organisation_serving_another_site(
    as_user, leader, other_site
):
    """The hole of issue 26: linking to another site's organisation, then giving its
    staff an account, opened that site's referred persons. Only the admin links."""
    adie = OrganisationFactory(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)
    PartnerFactory(site=other_site, name="ADIE", organisation=adie)
    client = as_user(leader)

    page = client.get(CREATE_URL).content.decode()
    response = client.post(CREATE_URL, partner_data(name="ADIE", organisation=adie.pk))

    assert f'<option value="{adie.pk}"' not in page  # not even offered
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Partner.objects.filter(site__slug="carcassonne").exists()


def test_it_refuses_a_duplicate_name_on_the_field(as_user, leader, bge):
    response = as_user(leader).post(CREATE_URL, partner_data(name="bge aude"))

    assert response.status_code == 200
    assert "nommé « bge aude »" in response.context["form"].errors["name"][0]
    assert Partner.objects.count() == 1


def test_it_refuses_a_commune_of_another_site(as_user, leader, other_site):
    response = as_user(leader).post(CREATE_URL, partner_data(communes=["11262"]))

    assert "communes" in response.context["form"].errors
    assert not Partner.objects.exists()


def test_it_refuses_an_organisation_of_the_wrong_kind(as_user, leader, site):
    response = as_user(leader).post(
        CREATE_URL, partner_data(organisation=site.host_organisation.pk)
    )

    assert "organisation" in response.context["form"].errors
    assert not Partner.objects.exists()


def test_a_leader_edits_a_partner(as_user, leader, bge):
    data = partner_data(name="BGE Occitanie", offers=["financement"], is_active="")

    response = as_user(leader).post(url("edit", bge), data)

    assert response.status_code == 302
    bge.refresh_from_db()
    assert (bge.name, bge.offers, bge.is_active) == ("BGE Occitanie", ["financement"], False)
    assert bge.organisation.name == "BGE Aude"  # kept: it may serve other sites


def test_a_refused_edit_keeps_the_saved_name_in_the_title(as_user, leader, bge):
    PartnerFactory(site=bge.site, name="ADIE")

    response = as_user(leader).post(url("edit", bge), partner_data(name="ADIE"))

    assert "<title>Modifier — BGE Aude" in response.content.decode()
    bge.refresh_from_db()
    assert bge.name == "BGE Aude"


# The card: contacts and staff accounts -----------------------------------------------------


def test_the_card_shows_the_facts(as_user, leader, bge):
    PartnerContactFactory(partner=bge, name="Marc Fabre")
    MembershipFactory(
        user=UserFactory(email="lea@bge.example.org", first_name="Léa", last_name="Roux"),
        organisation=bge.organisation,
        role=Role.PARTNER,
        site=bge.site,
    )

    response = as_user(leader).get(url("detail", bge))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Marc Fabre" in page
    assert "Léa Roux" in page
    assert "Tout le territoire du site" in page
    assert response.context["referral_count"] == 0
    assert f"{reverse('referrals:board')}?partenaire={bge.pk}" in page


def test_a_leader_adds_and_removes_a_contact(as_user, leader, bge):
    client = as_user(leader)

    response = client.post(
        url("contact_create", bge), {"contact-name": "Marc Fabre", "contact-function": "Conseiller"}
    )
    assert response.status_code == 302
    contact = bge.contacts.get()
    assert contact.function == "Conseiller"

    response = client.post(url("contact_delete", bge, contact.pk))
    assert response.status_code == 302
    assert not bge.contacts.exists()
    assert AuditEntry.objects.filter(action="change", site=bge.site).count() == 2


def test_an_invalid_contact_shows_the_card_with_errors(as_user, leader, bge):
    response = as_user(leader).post(url("contact_create", bge), {"contact-name": ""})

    assert response.status_code == 200
    assert "Indiquez le nom du contact." in response.content.decode()
    assert not bge.contacts.exists()


def test_a_leader_gives_a_staff_member_access(as_user, leader, bge):
    response = as_user(leader).post(url("access_create", bge), access_data())

    assert response.status_code == 302
    user = User.objects.get(email="marc@bge.example.org")
    membership = user.memberships.get()
    assert (membership.role, membership.organisation, membership.site) == (
        Role.PARTNER, bge.organisation, bge.site
    )  # fmt: skip
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["marc@bge.example.org"]
    assert AuditEntry.objects.filter(action="create", target__contains="marc@").exists()


def test_giving_access_reuses_an_existing_user(as_user, leader, bge):
    known = UserFactory(email="marc@bge.example.org")
    password = known.password

    as_user(leader).post(
        url("access_create", bge), access_data(**{"acces-email": "MARC@bge.example.org"})
    )

    assert known.memberships.get().organisation == bge.organisation
    known.refresh_from_db()
    assert known.password == password
    assert mail.outbox == []  # no password link for an account that exists


def test_a_leader_withdraws_a_staff_members_access(as_user, leader, bge):
    client = as_user(leader)
    client.post(url("access_create", bge), access_data())
    user = User.objects.get(email="marc@bge.example.org")

    response = client.post(reverse("partners:access_withdraw", args=[bge.pk, user.pk]))

    assert response.status_code == 302
    assert not user.memberships.filter(is_active=True).exists()
    assert User.objects.filter(email__iexact="marc@bge.example.org").count() == 1
    assert len(mail.outbox) == 1


def test_an_invalid_access_shows_the_card_with_errors(as_user, leader, bge):
    response = as_user(leader).post(url("access_create", bge), access_data(**{"acces-email": "x"}))

    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    assert mail.outbox == []
