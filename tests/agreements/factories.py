from datetime import date
from decimal import Decimal

import factory

from amorce.agreements.models import Agreement, Funding, Objective


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Convention {n}")
    starts_on = date(2024, 7, 1)
    ends_on = date(2027, 6, 30)


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    agreement = factory.SubFactory(AgreementFactory)
    site = factory.SelfAttribute("agreement.site")
    funder = "État"
    amount = Decimal("72000")
    starts_on = factory.SelfAttribute("agreement.starts_on")
    ends_on = factory.SelfAttribute("agreement.ends_on")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    agreement = factory.SubFactory(AgreementFactory)
    site = factory.SelfAttribute("agreement.site")
    indicator = "companies_created"
    target = 12
    starts_on = factory.SelfAttribute("agreement.starts_on")
    ends_on = factory.SelfAttribute("agreement.ends_on")
