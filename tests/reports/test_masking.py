from datetime import date

import pytest

from amorce.reports.compute import compute_report
from amorce.reports.masking import HIDDEN, hidden_share, hide_with_second_cell, mask_report


def test_counts_from_1_to_4_are_hidden_and_0_or_5_are_not():
    cells = {"a": 0, "b": 1, "c": 4, "d": 5}
    assert hide_with_second_cell(cells, total=10) == {"a": 0, "b": HIDDEN, "c": HIDDEN, "d": 5}


def test_one_hidden_cell_beside_a_total_hides_the_smallest_other_cell_too():
    # 3 = 40 - 20 - 17: with the total shown, hiding 3 alone would not hide it.
    cells = {"under_26": 3, "26_49": 20, "50_plus": 17}
    assert hide_with_second_cell(cells, total=40) == {
        "under_26": HIDDEN,
        "26_49": 20,
        "50_plus": None,
    }


def test_no_second_cell_when_the_total_is_itself_hidden():
    assert hide_with_second_cell({"cafe_crea": 3}, total=3) == {"cafe_crea": HIDDEN}


def test_a_share_built_on_a_hidden_count_is_null():
    assert hidden_share({"value": 0.75, "numerator": 3, "known": 4, "unknown": 0}) == {
        "value": None,
        "numerator": HIDDEN,
        "known": HIDDEN,
        "unknown": 0,
    }
    assert hidden_share({"value": 0.5, "numerator": 10, "known": 20, "unknown": 2}) == {
        "value": 0.5,
        "numerator": 10,
        "known": 20,
        "unknown": HIDDEN,
    }


@pytest.mark.django_db
def test_a_masked_report_hides_small_counts_and_says_so(site):
    report = compute_report([site], date(2024, 1, 1), date(2024, 12, 31))
    report["indicators"]["met_individually"]["value"] = 2
    report["indicators"]["met_collectively"]["value"] = 30
    report["indicators"]["met_total"]["value"] = 32
    report["indicators"]["oriented"].update(value=2, share=1.0, by_network={"adie": 2})
    report["indicators"]["survival_12m"].update(value=0.75, active=3, inactive=1, unknown=7)
    masked = mask_report(report)
    figures = masked["indicators"]
    assert masked["masked"] is True
    assert report["masked"] is False  # the original is left alone
    assert figures["met_individually"]["value"] == HIDDEN
    assert figures["met_collectively"]["value"] is None  # 32 - 30 would give it away
    assert figures["met_total"]["value"] == 32
    assert figures["oriented"] == {
        "value": HIDDEN,
        "share": None,
        "by_network": {"adie": HIDDEN},
        "by_purpose": {},
    }
    assert figures["survival_12m"] == {
        "value": None,
        "active": HIDDEN,
        "inactive": HIDDEN,
        "unknown": 7,
    }


@pytest.mark.django_db
def test_an_objective_with_a_small_actual_hides_its_achievement(site):
    report = compute_report([site], date(2024, 1, 1), date(2024, 12, 31))
    report["indicators"]["objectives"]["items"] = [
        {
            "indicator": "companies_created",
            "start": "2024-01-01",
            "end": "2024-12-31",
            "target": 12,
            "actual": 3,
            "achieved": 0.25,
        }
    ]
    item = mask_report(report)["indicators"]["objectives"]["items"][0]
    assert (item["target"], item["actual"], item["achieved"]) == (12, HIDDEN, None)


@pytest.mark.django_db
def test_events_are_never_masked_and_amounts_of_few_financings_are_hidden(site):
    """indicators.md, Small counts: collective actions and meetings are events, shown as
    they are; an amount summing 1 to 4 granted financings is null (one loan is one
    person's), and a second type where one hidden type could be subtracted from the
    total."""
    report = compute_report([site], date(2024, 1, 1), date(2024, 12, 31))
    figures = report["indicators"]
    figures["collective_actions"].update(value=3, by_type={"cafe_crea": 2, "school": 1})
    figures["meetings"].update(value=2, hours=3.0, unknown_duration=1)
    figures["financing_amount"] = {
        "value": 31000.0,
        "by_type": {"microcredit": 20000.0, "pret_honneur": 8000.0, "garantie": 3000.0},
    }
    financings = {"value": 12, "by_type": {"microcredit": 6, "pret_honneur": 5, "garantie": 1}}
    report["indicators"]["objectives"]["items"] = [
        {"indicator": "collective_actions", "start": "2024-01-01", "end": "2024-12-31",
         "target": 10, "actual": 3, "achieved": 0.3, "site": "carcassonne"},
    ]  # fmt: skip

    masked = mask_report(report, financings=financings)["indicators"]

    assert masked["collective_actions"] == {"value": 3, "by_type": {"cafe_crea": 2, "school": 1}}
    assert masked["meetings"] == {"value": 2, "hours": 3.0, "unknown_duration": 1}
    # 1 guarantee: hidden; 31 000 - 20 000 - 8 000 would give it: the type of the fewest
    # other financings (5 honour loans) goes too; the total of 12 financings stays.
    assert masked["financing_amount"] == {
        "value": 31000.0,
        "by_type": {"microcredit": 20000.0, "pret_honneur": None, "garantie": None},
    }
    assert masked["objectives"]["items"][0]["actual"] == 3  # an objective on events
    few = mask_report(report, financings={"value": 3, "by_type": {"microcredit": 3}})
    assert few["indicators"]["financing_amount"]["value"] is None


@pytest.mark.django_db
def test_a_masked_report_counts_the_financings_itself(site, leader):
    """`compute_report(masked=True)` passes the financings' counts: one granted loan's
    amount never leaves the site."""
    from decimal import Decimal

    from amorce.referrals.models import Referral
    from tests.factories import PersonFactory
    from tests.referrals.factories import PartnerFactory

    person = PersonFactory(site=site)
    Referral.objects.create(
        person=person, partner=PartnerFactory(site=site), purpose="financement",
        sent_on=date(2024, 3, 1), consent_on=date(2024, 3, 1), status="done",
        answered_on=date(2024, 3, 10), financing_granted=True, financing_kind="microcredit",
        financing_amount=Decimal("4000"),
    )  # fmt: skip

    raw = compute_report([site], date(2024, 1, 1), date(2024, 12, 31))
    masked = compute_report([site], date(2024, 1, 1), date(2024, 12, 31), masked=True)

    assert raw["indicators"]["financing_amount"]["value"] == 4000.0
    assert masked["indicators"]["financing_amount"] == {
        "value": None,
        "by_type": {"microcredit": None},
    }
