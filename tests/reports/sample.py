"""A realistic report in `indicators.md`'s JSON form (the figures of seed 000 where it
quotes them), every indicator present, and its masked variant."""

import copy

SAMPLE_REPORT = {
    "scope": {"sites": ["carcassonne"]},
    "period": {"start": "2024-01-01", "end": "2024-12-31"},
    "masked": False,
    "indicators": {
        "met_total": {"value": 1040},
        "met_individually": {"value": 600},
        "met_collectively": {"value": 440},
        "pupils_reached": {"value": 550},
        "collective_actions": {
            "value": 41,
            "by_type": {"cafe_crea": 12, "school": 9, "atelier_creativite": 8, "forum": 2},
        },
        "meetings": {"value": 1480, "hours": 1233.5, "unknown_duration": 12},
        "detected": {"value": 820},
        "welcomed": {"value": 610},
        "amorces": {"value": 300},
        "oriented": {
            "value": 410,
            "share": 0.6833,
            "by_network": {"adie": 120, "bge": 90, "initiative": 60, "autre": 3},
            "by_purpose": {"financement": 250, "accompagnement": 120, "emploi": 80},
        },
        "companies_created": {"value": 140},
        "jobs_created": {"value": 170},
        "companies_financed_share": {"value": 0.5, "numerator": 70, "known": 140, "unknown": 0},
        "financing_amount": {
            "value": 512000.0,
            "by_type": {"pret_honneur": 300000.0, "microcredit": 88000.0, "subvention": 124000.0},
        },
        "positive_exits": {"value": 118, "share": 0.1967},
        "defused": {"value": 350, "share": 0.5833},
        "situation_at_end": {
            "value": 610,
            "by_stage": {
                "creating": 250,
                "emerging": 170,
                "created": 40,
                "employment": 36,
                "welcomed": 60,
                "abandoned": 50,
                "lost": 4,
            },
        },
        "survival_12m": {"value": 0.9, "active": 90, "inactive": 10, "unknown": 5},
        "survival_24m": {"value": 0.8519, "active": 69, "inactive": 12, "unknown": 7},
        "survival_36m": {"value": 0.8, "active": 40, "inactive": 10, "unknown": 3},
        "women_share": {"value": 0.5203, "numerator": 307, "known": 590, "unknown": 10},
        "territory_share": {"value": 0.82, "numerator": 492, "known": 600, "unknown": 0},
        "qpv_share": {
            "value": 0.4505,
            "numerator": 200,
            "known": 444,
            "unknown": 156,
            "by_commune": {
                "11069": {"value": 0.6098, "numerator": 150, "known": 246},
                "11001": {"value": 0.2525, "numerator": 50, "known": 198},
            },
        },
        "job_seekers_share": {"value": 0.8, "numerator": 464, "known": 580, "unknown": 20},
        "precarity_share": {"value": 0.56, "numerator": 325, "known": 580, "unknown": 20},
        "age_bands": {"by_band": {"26_49": 400, "50_plus": 100, "under_26": 90, "unknown": 10}},
        "education_levels": {
            "by_level": {"infra_bac": 200, "bac": 150, "bac2_plus": 150, "unknown": 100}
        },
        "individual_share": {"value": 0.9375, "numerator": 450, "known": 480, "unknown": 120},
        "contact_sources": {
            "by_source": {
                "bouche_a_oreille": 210,
                "france_travail": 120,
                "mission_locale": 90,
                "centre_social": 80,
                "internet": 60,
                "unknown": 40,
            }
        },
        "objectives": {
            "items": [
                {
                    "indicator": "met_individually",
                    "start": "2024-01-01",
                    "end": "2024-12-31",
                    "target": 500,
                    "actual": 600,
                    "achieved": 1.2,
                },
                {
                    "indicator": "companies_created",
                    "start": "2024-01-01",
                    "end": "2024-12-31",
                    "target": 12,
                    "actual": 24,
                    "achieved": 2.0,
                },
                {
                    "indicator": "positive_exits",
                    "start": "2024-07-01",
                    "end": "2025-06-30",
                    "target": 40,
                    "actual": 3,
                    "achieved": 0.075,
                },
            ]
        },
        "budget": {
            "total": 180000.0,
            "by_funder": [
                {"funder": "État", "amount": 72000.0, "share": 0.4},
                {"funder": "Banque des Territoires", "amount": 54000.0, "share": 0.3},
                {"funder": "Carcassonne Agglo", "amount": 54000.0, "share": 0.3},
            ],
        },
    },
    # The cohort of the journeys started in the period and the stages they reached by its end.
    "funnel": {
        "started": 820,
        "reached": {
            "welcomed": 600,
            "emerging": 330,
            "oriented": 250,
            "creating": 120,
            "created": 45,
        },
    },
}


def masked_sample() -> dict:
    """SAMPLE_REPORT as `mask_report` leaves a site with few persons: small counts are
    "<5", shares built on them None, a second cell hidden (None)."""
    report = copy.deepcopy(SAMPLE_REPORT)
    report["masked"] = True
    ind = report["indicators"]
    ind["met_collectively"]["value"] = "<5"
    ind["met_individually"]["value"] = None  # second cell: met_total would reveal it
    ind["companies_created"]["value"] = "<5"
    ind["jobs_created"]["value"] = "<5"
    ind["companies_financed_share"].update(value=None, numerator="<5", known="<5")
    ind["oriented"]["by_network"]["autre"] = "<5"
    ind["situation_at_end"]["by_stage"].update(lost="<5", employment=None)
    ind["age_bands"]["by_band"]["unknown"] = "<5"
    ind["age_bands"]["by_band"]["50_plus"] = None
    ind["meetings"]["unknown_duration"] = "<5"
    ind["women_share"].update(unknown="<5")
    ind["survival_36m"].update(value=None, active="<5", inactive="<5", unknown="<5")
    ind["qpv_share"]["by_commune"]["11001"] = {"value": None, "numerator": "<5", "known": 198}
    ind["objectives"]["items"][2].update(actual="<5", achieved=None)
    report["funnel"]["reached"]["created"] = "<5"
    return report


def empty_sample() -> dict:
    """A period where nothing happened: zero counts, no shares, empty breakdowns."""

    def emptied(figures):
        if isinstance(figures, dict):
            return {
                key: {} if key.startswith("by_") else emptied(value)
                for key, value in figures.items()
            }
        if isinstance(figures, float) or figures is None:
            return None
        return 0 if isinstance(figures, int) else figures

    report = copy.deepcopy(SAMPLE_REPORT)
    report["indicators"] = {
        code: emptied(figures) for code, figures in report["indicators"].items()
    }
    report["indicators"]["objectives"] = {"items": []}
    report["indicators"]["budget"] = {"total": 0.0, "by_funder": []}
    report["indicators"]["meetings"]["hours"] = 0.0
    report["indicators"]["financing_amount"]["value"] = 0.0
    report["funnel"] = {"started": 0, "reached": dict.fromkeys(report["funnel"]["reached"], 0)}
    return report


COMMUNE_NAMES = {"11069": "Carcassonne", "11001": "Aigues-Vives"}
