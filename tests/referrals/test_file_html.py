"""`referrals.file_html` writes the person's page's referrals block as its templates do
(`people/_referrals.html` with `referrals/_status.html` and `referrals/_outcome.html`)."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from amorce.partners.models import Partner
from amorce.people.models import Person
from amorce.referrals.file_html import outcome_html, referrals_html, status_html
from amorce.referrals.models import FinancingKind, Purpose, Referral, RefusalReason, Status

VARIANTS = {
    "purpose": Purpose.values,
    "status": Status.values,
    "sent_on": [date(2026, 1, 5), date(2025, 12, 31)],
    "transmitted": [True, False],
    "consent_on": [None, date(2026, 1, 4)],
    "consent_withdrawn_on": [None, date(2026, 2, 1)],
    "refusal_reason": ["", *RefusalReason.values],
    "financing_kind": ["", *FinancingKind.values],
    "financing_amount": [
        None,
        Decimal("0"),
        Decimal("1500"),
        Decimal("1234.56"),
        Decimal("12500.50"),
        Decimal("2500000.1"),
    ],
    "financing_granted": [None, True, False],
    "company_created": [None, True, False],
}
PARTNERS = [
    Partner(pk=7, name="ADIE", phone=""),
    Partner(pk=8, name="Initiative <Aude> & « Co »", phone="04 68 00 00 00"),
    Partner(pk=9, name="BGE", phone="<tel> & 1"),
]


def referrals(rng: random.Random, count: int) -> list[Referral]:
    made = []
    for index in range(count):
        values = {name: rng.choice(options) for name, options in VARIANTS.items()}
        referral = Referral(pk=index + 1, **values)
        referral.partner = rng.choice(PARTNERS)
        made.append(referral)
    return made


def test_status_and_outcome_are_their_templates():
    for referral in referrals(random.Random(1), 600):
        context = {"referral": referral}
        assert status_html(referral) == render_to_string("referrals/_status.html", context)
        assert outcome_html(referral) == render_to_string("referrals/_outcome.html", context)


@pytest.mark.parametrize("seed", range(60))
def test_the_block_is_its_template_byte_for_byte(seed):
    rng = random.Random(seed)
    person = Person(pk=31, first_name=rng.choice(["Awa", "<Léa> & Zoé"]), last_name="N'Diaye")
    rows = referrals(rng, rng.choice([0, 1, 2, 5]))
    without_access = {partner.pk for partner in PARTNERS if rng.random() < 0.5}
    context = {"person": person, "referrals": rows, "partners_without_access": without_access}
    expected = render_to_string("people/_referrals.html", context)
    assert referrals_html(person, rows, without_access) == expected


def test_the_cases_cover_every_branch():
    rows = referrals(random.Random(1), 600)
    outcomes = "".join(outcome_html(referral) for referral in rows)
    page = render_to_string(
        "people/_referrals.html",
        {"person": Person(pk=1), "referrals": rows, "partners_without_access": {8}},
    )
    for shown in (
        "1\xa0234,56 €",
        "2\xa0500\xa0000,10 €",
        "montant non renseigné",
        "Financement (type non renseigné) accordé",
        "non accordé",
        "Clôturée, entreprise créée",
        "—",
    ):
        assert shown in outcomes, shown
    for shown in ("n'a pas d'accès\u202f: relancez par téléphone (04 68 00 00 00)", "Saisie après"):
        assert shown in page, shown
