import factory

from amorce.partners.models import Network, Partner
from tests.factories import OrganisationFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    network = Network.ADIE
    offers_financing = True
    organisation = factory.SubFactory(
        OrganisationFactory, name=factory.SelfAttribute("..name"), kind="partner"
    )
