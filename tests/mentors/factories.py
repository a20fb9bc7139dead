import datetime

import factory

from amorce.mentors.models import ContactPreference, Mentor


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n:03d}")
    company_name = factory.Sequence(lambda n: f"Entreprise {n}")
    trade = "96"
    commune_id = "11069"
    contact_preference = ContactPreference.LEADER
    agreed_on = datetime.date(2026, 1, 5)
