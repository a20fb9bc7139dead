import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from amorce.accounts.models import Membership, Organisation, Role, User
from amorce.people.models import Person
from amorce.sites.models import Site

PASSWORD = "motdepasse-de-test"  # every factory user's password, for tests that type it


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.HOST


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"site-{n}")
    name = factory.Sequence(lambda n: f"CitésLab {n}")
    host_organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def communes(self, create, codes, **kwargs):
        if create and codes:
            self.communes.set(codes)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.LEADER
    site = None


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Application"
    confirmed = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    site = factory.SubFactory(SiteFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    sex = Person.Sex.FEMALE
