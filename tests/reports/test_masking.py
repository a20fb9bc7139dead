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
