"""The journey chart's funnel of one cohort, on the paper site of `test_on_paper.py`:
the journeys started in 2024 and the stages they reached by 31/12/2024."""

from datetime import date

import pytest

from amorce.reports.charts import build_charts
from amorce.reports.compute import compute_report
from tests.reports.paper_site import build_paper_site

START, END = date(2024, 1, 1), date(2024, 12, 31)


@pytest.fixture
def paper(site, other_site, leader):
    return build_paper_site(site, other_site, leader)


def test_the_funnel_follows_the_journeys_started_in_the_period(site, paper):
    funnel = compute_report([site], START, END)["funnel"]
    # Started in 2024 (the 11 of `detected`): P01 P03 P04 P05 P06-2 P12 P13 P14 P16 P17 P19.
    # Welcomed by 31/12: all but P14 (first met 01/01/2025) = 10; P18, welcomed in 2024
    # but started in 2023, is not of the cohort.
    # Emerging or further: P01 P03 (oriented, emerging skipped) P04 P06-2 (creating)
    # P12 (created) P13 P19 = 7. Oriented or further: P01 P03 P06-2 P12 P13 P19 = 6 (P04
    # stays emerging). Creating or further: P01 P06-2 P12 = 3; created: the same 3 (P13's
    # company is of 01/01/2025).
    assert funnel == {
        "started": 11,
        "reached": {
            "welcomed": 10,
            "emerging": 7,
            "oriented": 6,
            "creating": 3,
            "created": 3,
        },
    }


def test_the_funnel_narrows_and_stops_at_the_period_end(site, paper):
    funnel = compute_report([site], START, date(2024, 6, 30))["funnel"]
    reached = list(funnel["reached"].values())
    assert reached == sorted(reached, reverse=True)
    assert funnel["started"] >= reached[0]
    assert funnel["reached"]["created"] == 0  # P01 created on 01/09, P06-2 15/10


def test_a_masked_report_hides_the_funnels_small_counts(site, paper):
    report = compute_report([site], START, END, masked=True)
    assert report["funnel"] == {
        "started": 11,
        "reached": {
            "welcomed": 10,
            "emerging": 7,
            "oriented": 6,
            "creating": "<5",
            "created": "<5",
        },
    }
    chart = build_charts(report)["journey"]
    assert "Orientés : 6" in chart
    assert "Entreprise créée" not in chart
