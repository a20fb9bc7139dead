"""`privacy.file_html` writes the person's page's consents block as
`privacy/_consents.html` does, its forms' CSRF token included."""

import random
from datetime import date

import pytest
from django.template.loader import render_to_string

from amorce.partners.models import Partner
from amorce.people.choices import ConsentScope
from amorce.people.models import Consent, Person
from amorce.privacy.file_html import consents_html
from amorce.referrals.models import Referral

TOKEN = "k3Y<&>" * 10
PARTNERS = [Partner(pk=3, name="ADIE"), Partner(pk=4, name="Initiative <Aude> & « Co »")]


def consents(rng: random.Random) -> list[Consent]:
    return [
        Consent(
            pk=index + 1,
            scope=rng.choice(ConsentScope.values),
            given_on=date(2026, 1, rng.randint(1, 28)),
            withdrawn_on=rng.choice([None, date(2026, 3, 2)]),
        )
        for index in range(rng.choice([0, 1, 3]))
    ]


def referrals(rng: random.Random) -> list[Referral]:
    made = []
    for index in range(rng.choice([0, 1, 2, 4])):
        referral = Referral(
            pk=index + 10,
            transmitted=rng.choice([True, False]),
            consent_on=rng.choice([None, date(2026, 2, 5)]),
            consent_withdrawn_on=rng.choice([None, date(2026, 4, 1)]),
            share_sensitive=rng.choice([True, False]),
        )
        referral.partner = rng.choice(PARTNERS)
        made.append(referral)
    return made


def case(seed: int):
    rng = random.Random(seed)
    person = Person(pk=31, first_name=rng.choice(["Awa", "<Léa> & Zoé"]), last_name="N'Diaye")
    context = {"person": person, "consents": consents(rng), "referrals": referrals(rng)}
    expected = render_to_string("privacy/_consents.html", context | {"csrf_token": TOKEN})
    return context, expected


@pytest.mark.parametrize("seed", range(80))
def test_the_block_is_its_template_byte_for_byte(seed):
    context, expected = case(seed)
    assert consents_html(*context.values(), TOKEN) == expected


def test_the_cases_cover_every_branch():
    pages = "".join(case(seed)[1] for seed in range(80))
    for shown in (
        "Aucun accord enregistré.",
        "Partager la fiche avec Initiative &lt;Aude&gt; &amp; « Co » (RQTH, AAH compris)",
        'aria-label="Retirer l\'accord de partage avec ADIE"',
        "/donnees/personne/31/accords/",
        "/orientations/10/retrait-accord/",
        'value="k3Y&lt;&amp;&gt;k3Y',
        "<td>—</td>",
    ):
        assert shown in pages, shown
