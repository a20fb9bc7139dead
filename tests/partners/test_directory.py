"""The directory's writes: partners, their contacts, their staff's accounts."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from amorce.accounts.models import Membership, Organisation, Role
from amorce.actions.planning import partners_named
from amorce.notifications.models import Notification
from amorce.partners import directory
from amorce.partners.models import Network, Offer, Partner
from amorce.territories.models import Commune
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.partners.factories import PartnerContactFactory, PartnerFactory


def new_partner(site, name="BGE Aude", **fields):
    return Partner(site=site, name=name, network=Network.BGE, **fields)


def test_it_creates_a_partner_with_an_organisation_of_its_name(site):
    partner = directory.save_partner(new_partner(site), communes=[])

    assert partner.pk
    assert partner.organisation.name == "BGE Aude"
    assert partner.organisation.kind == Organisation.Kind.PARTNER


def test_a_name_never_joins_another_sites_organisation(site, other_site):
    """Typing the name of an organisation that serves another site does not join it: its
    staff would otherwise answer for both sites (issue 26)."""
    bge = OrganisationFactory(name="bge aude", kind=Organisation.Kind.PARTNER)
    PartnerFactory(site=other_site, name="BGE", organisation=bge)

    partner = directory.save_partner(new_partner(site), communes=[])

    assert partner.organisation != bge
    assert partner.organisation.name == "BGE Aude (CitésLab Carcassonne)"


def test_it_links_a_partner_to_an_organisation_of_its_own_directory(site):
    adie = OrganisationFactory(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)
    PartnerFactory(site=site, name="ADIE Carcassonne", organisation=adie)

    partner = directory.save_partner(new_partner(site, "ADIE"), communes=[], organisation=adie)

    assert partner.organisation == adie
    assert not Organisation.objects.filter(name="ADIE").exists()


def test_a_leader_cannot_link_a_partner_to_another_sites_organisation(site, other_site):
    adie = OrganisationFactory(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)
    PartnerFactory(site=other_site, name="ADIE Narbonne", organisation=adie)

    with pytest.raises(ValidationError) as error:
        directory.save_partner(new_partner(site, "ADIE"), communes=[], organisation=adie)

    assert "administrateur" in error.value.message_dict["organisation"][0]
    assert not Partner.objects.filter(site=site).exists()


def test_the_admin_links_a_partner_to_another_sites_organisation(site, other_site):
    adie = OrganisationFactory(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)
    PartnerFactory(site=other_site, name="ADIE Narbonne", organisation=adie)
    partner = directory.save_partner(new_partner(site, "ADIE"), communes=[])

    directory.link_organisation(partner, adie)

    assert Partner.objects.get(pk=partner.pk).organisation == adie
    assert list(directory.organisations_of_site(site)) == [adie]


def test_it_refuses_an_organisation_that_is_not_a_partner(site):
    funder = OrganisationFactory(name="Carcassonne Agglo", kind=Organisation.Kind.FUNDER)

    with pytest.raises(ValidationError) as error:
        directory.save_partner(new_partner(site), communes=[], organisation=funder)

    assert "organisation" in error.value.message_dict
    assert not Partner.objects.exists()


def test_a_name_taken_by_another_kind_of_organisation_gets_its_own(site):
    host = OrganisationFactory(name="BGE Aude", kind=Organisation.Kind.HOST)

    partner = directory.save_partner(new_partner(site), communes=[])

    assert partner.organisation != host
    assert partner.organisation.kind == Organisation.Kind.PARTNER


def test_it_refuses_a_name_taken_in_the_site_whatever_the_case(site):
    PartnerFactory(site=site, name="BGE Aude")

    with pytest.raises(ValidationError) as error:
        directory.save_partner(new_partner(site, "bge  aude"), communes=[])

    assert "nom" in error.value.message_dict["name"][0]


def test_it_accepts_the_same_name_at_another_site(site, other_site):
    PartnerFactory(site=other_site, name="BGE Aude")

    assert directory.save_partner(new_partner(site), communes=[]).pk


def test_it_keeps_a_partners_own_name_on_edit(site):
    partner = directory.save_partner(new_partner(site), communes=[])
    partner.phone = "04 68 00 30 30"

    directory.save_partner(partner, communes=[])

    assert Partner.objects.get().phone == "04 68 00 30 30"


def test_it_records_the_communes_covered(site):
    aigues_vives = Commune.objects.get(code="11001")

    partner = directory.save_partner(new_partner(site), communes=[aigues_vives])

    assert list(partner.communes.all()) == [aigues_vives]


def test_it_refuses_a_commune_outside_the_site(site, other_site):
    narbonne = Commune.objects.get(code="11262")

    with pytest.raises(ValidationError) as error:
        directory.save_partner(new_partner(site), communes=[narbonne])

    assert "Narbonne" in error.value.message_dict["communes"][0]


def test_partners_named_keeps_creating_partners_by_name(site):
    partners = partners_named(site, ["BGE", "Mission Locale"])

    assert [partner.name for partner in partners] == ["BGE", "Mission Locale"]


def test_editing_a_partner_created_by_name_gives_it_an_organisation(site):
    (partner,) = partners_named(site, ["Mission Locale"])

    directory.save_partner(partner, communes=[])

    assert partner.organisation.name == "Mission Locale"


def test_it_lists_the_active_partners_offering_a_purpose(site, other_site):
    PartnerFactory(site=site, name="ADIE", offers_financing=True)
    PartnerFactory(site=site, name="BGE", offers_support=True)
    PartnerFactory(site=site, name="Ancien", offers_financing=True, is_active=False)
    PartnerFactory(site=other_site, name="Initiative", offers_financing=True)

    offering = directory.partners_offering(site, Offer.FINANCING)

    assert [partner.name for partner in offering] == ["ADIE"]
    assert not directory.partners_offering(site, "autre").exists()


def test_it_adds_and_removes_a_contact(site):
    partner = PartnerFactory(site=site)

    contact = directory.add_contact(partner, name="Marc  Fabre", function="Conseiller")
    assert list(partner.contacts.all()) == [contact]
    assert contact.name == "Marc Fabre"

    directory.remove_contact(contact)
    assert not partner.contacts.exists()


def test_it_refuses_a_contact_without_a_name(site):
    with pytest.raises(ValidationError):
        directory.add_contact(PartnerFactory(site=site), name=" ")


def test_it_gives_a_staff_member_a_partner_account(site):
    partner = directory.save_partner(new_partner(site), communes=[])

    user, created = directory.give_staff_access(
        partner, email="marc@bge.example.org", first_name="Marc", last_name="Fabre"
    )

    membership = user.memberships.get()
    assert (membership.role, membership.organisation, membership.site) == (
        Role.PARTNER,
        partner.organisation,
        site,
    )
    assert created
    assert list(directory.staff_of(partner)) == [user]
    assert mail.outbox == []  # the view sends the welcome e-mail
    assert not Notification.objects.exists()


def test_it_reuses_an_existing_user_whatever_the_case_of_the_email(site):
    partner = directory.save_partner(new_partner(site), communes=[])
    known = UserFactory(email="marc@bge.example.org", first_name="Marc")
    password = known.password

    user, created = directory.give_staff_access(
        partner, email="Marc@BGE.example.org", first_name="Intrus", last_name="Fabre"
    )

    assert (user, created) == (known, False)
    assert user.memberships.filter(role=Role.PARTNER).count() == 1
    known.refresh_from_db()
    assert (known.password, known.first_name) == (password, "Marc")  # never handed over
    (notice,) = Notification.objects.all()
    assert notice.to == "marc@bge.example.org"
    assert "CitésLab Carcassonne" in notice.body


def test_access_is_given_site_by_site(site, other_site):
    """The same organisation serves two sites: each site's leader opens its own
    referrals; access from one site never reaches the other's."""
    adie = OrganisationFactory(name="ADIE Occitanie", kind=Organisation.Kind.PARTNER)
    here = PartnerFactory(site=site, name="ADIE", organisation=adie)
    there = PartnerFactory(site=other_site, name="ADIE", organisation=adie)

    user, _ = directory.give_staff_access(here, email="k@adie.example.org", first_name="K",
                                          last_name="M")  # fmt: skip

    assert list(directory.staff_of(here)) == [user]
    assert not directory.staff_of(there).exists()
    directory.give_staff_access(there, email="k@adie.example.org", first_name="K", last_name="M")
    assert sorted(m.site.slug for m in user.memberships.all()) == ["carcassonne", "narbonne"]

    assert directory.withdraw_staff_access(here, user) == 1
    assert not directory.staff_of(here).exists()
    assert list(directory.staff_of(there)) == [user]


def test_it_gives_back_a_withdrawn_access(site):
    partner = directory.save_partner(new_partner(site), communes=[])
    user = UserFactory(email="marc@bge.example.org")
    MembershipFactory(
        user=user, organisation=partner.organisation, role=Role.PARTNER, site=site,
        is_active=False,
    )  # fmt: skip

    directory.give_staff_access(partner, email=user.email, first_name="M", last_name="F")

    assert Membership.objects.get(user=user).is_active


def test_it_refuses_access_to_a_deactivated_account(site):
    partner = directory.save_partner(new_partner(site), communes=[])
    UserFactory(email="marc@bge.example.org", is_active=False)

    with pytest.raises(ValidationError) as error:
        directory.give_staff_access(
            partner, email="marc@bge.example.org", first_name="M", last_name="F"
        )

    assert "email" in error.value.message_dict
    assert not Membership.objects.exists()


def test_access_to_a_partner_without_organisation_links_one_first(site):
    (partner,) = partners_named(site, ["Mission Locale"])

    user, _ = directory.give_staff_access(
        partner, email="lea@ml.example.org", first_name="Léa", last_name="Roux"
    )

    partner.refresh_from_db()
    assert partner.organisation.kind == Organisation.Kind.PARTNER
    assert user.memberships.get().organisation == partner.organisation


def test_staff_leaves_out_other_roles_and_withdrawn_accesses(site):
    partner = directory.save_partner(new_partner(site), communes=[])
    organisation = partner.organisation
    MembershipFactory(organisation=organisation, role=Role.PARTNER, site=site, is_active=False)
    MembershipFactory(organisation=organisation, role=Role.FUNDER)
    PartnerContactFactory(partner=partner)

    assert not directory.staff_of(partner).exists()
