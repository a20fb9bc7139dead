"""Small counts hidden for reports that leave the site (`indicators.md`, Small counts).

A count from 1 to 4 becomes "<5" and the shares built on it become None. Where a
breakdown's cells add up to a total shown beside them, one hidden cell could be
recovered by subtraction, so the smallest other cell is hidden too (None): the
"second cell". Amounts of money and targets are not counts of people and stay."""

import copy

HIDDEN = "<5"

SHARES = (
    "women_share",
    "territory_share",
    "qpv_share",
    "job_seekers_share",
    "precarity_share",
    "individual_share",
    "companies_financed_share",
)
# Breakdowns whose cells add up to a total: (indicator, breakdown key, total indicator).
ADDITIVE = (
    ("collective_actions", "by_type", "collective_actions"),
    ("situation_at_end", "by_stage", "situation_at_end"),
    ("age_bands", "by_band", "met_individually"),
    ("education_levels", "by_level", "met_individually"),
    ("contact_sources", "by_source", "met_individually"),
)
PLAIN_COUNTS = (
    "met_individually",
    "met_collectively",
    "met_total",
    "pupils_reached",
    "collective_actions",
    "meetings",
    "welcomed",
    "detected",
    "amorces",
    "companies_created",
    "jobs_created",
    "situation_at_end",
)
SHARE_OF_MET = ("oriented", "positive_exits", "defused")


def is_small(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 4


def hide(n):
    return HIDDEN if is_small(n) else n


def mask_report(report: dict) -> dict:
    masked = copy.deepcopy(report)
    masked["masked"] = True
    raw = report["indicators"]
    out = masked["indicators"]
    for code, key, total in ADDITIVE:
        out[code][key] = hide_with_second_cell(raw[code][key], raw[total]["value"])
    for code in PLAIN_COUNTS:
        out[code]["value"] = hide(raw[code]["value"])
    out["meetings"]["unknown_duration"] = hide(raw["meetings"]["unknown_duration"])
    mask_met_total(raw, out)
    for code in SHARES:
        out[code].update(hidden_share(raw[code]))
    for code, commune in raw["qpv_share"]["by_commune"].items():
        out["qpv_share"]["by_commune"][code] = hidden_share(commune)
    met = raw["met_individually"]["value"]
    for code in SHARE_OF_MET:
        mask_share_of_met(raw[code], out[code], met)
    for key in ("by_network", "by_purpose"):
        out["oriented"][key] = {name: hide(n) for name, n in raw["oriented"][key].items()}
    for months in (12, 24, 36):
        mask_survival(out[f"survival_{months}m"])
    for item in out["objectives"]["items"]:
        if is_small(item["actual"]):
            item["actual"], item["achieved"] = HIDDEN, None
    return masked


def hide_with_second_cell(cells: dict, total) -> dict:
    hidden = {key: hide(n) for key, n in cells.items()}
    small = [key for key, n in cells.items() if is_small(n)]
    if len(small) == 1 and not is_small(total):
        others = [(n, key) for key, n in cells.items() if key not in small and n]
        if others:
            hidden[min(others)[1]] = None
    return hidden


def mask_met_total(raw: dict, out: dict) -> None:
    """met_total = individually + collectively: one hidden addend gives the other away."""
    parts = ("met_individually", "met_collectively")
    small = [code for code in parts if is_small(raw[code]["value"])]
    if len(small) == 1 and not is_small(raw["met_total"]["value"]):
        (other,) = set(parts) - set(small)
        out[other]["value"] = None


def hidden_share(figures: dict) -> dict:
    result = dict(figures)
    for key in ("numerator", "known", "unknown"):
        if key in figures:
            result[key] = hide(figures[key])
    if is_small(figures["numerator"]) or is_small(figures["known"]):
        result["value"] = None
    return result


def mask_share_of_met(raw: dict, out: dict, met) -> None:
    """The share's numerator (persons met and concerned) is not in the JSON: it is
    share × met, exact to the unit below 10 000 persons met."""
    numerator = round(raw["share"] * met) if raw["share"] is not None else 0
    out["value"] = hide(raw["value"])
    if is_small(raw["value"]) or is_small(met) or is_small(numerator):
        out["share"] = None


def mask_survival(figures: dict) -> None:
    small = is_small(figures["active"]) or is_small(figures["inactive"])
    for key in ("active", "inactive", "unknown"):
        figures[key] = hide(figures[key])
    if small:
        figures["value"] = None
