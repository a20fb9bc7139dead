"""Small counts hidden for reports that leave the site (`indicators.md`, Small counts).

The one masking function of the product: reports, home pages, a site's page, the sites'
list and every download that a funder, the network (or the platform admin) sees go
through `hide`/`mask_report`/`mask_counts`; only a site's own leader sees raw counts.

A count of people from 1 to 4 becomes "<5" and the shares built on it become None. Where
a breakdown's cells add up to a total shown beside them, one hidden cell could be
recovered by subtraction, so the smallest other cell is hidden too (None): the "second
cell". Counts of events (collective actions, meetings) are not about one person and are
shown as they are. An amount of financing summing 1 to 4 granted financings is None: one
loan's amount is that person's. Targets and budget stay."""

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
    "welcomed",
    "detected",
    "amorces",
    "companies_created",
    "jobs_created",
    "situation_at_end",
)
SHARE_OF_MET = ("oriented", "positive_exits", "defused")
# Counts of events, never masked (indicators.md): not about one person.
EVENT_COUNTS = ("collective_actions", "meetings")


def is_small(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 4


def hide(n):
    return HIDDEN if is_small(n) else n


def mask_counts(counts: dict, *, total_key: str | None = None) -> dict:
    """A dashboard's counts of people (a site's persons, persons per QPV…) as a funder or
    the network may see them; with `total_key`, the other cells add up to that total and
    the second-cell rule applies."""
    if total_key is None:
        return {key: hide(n) for key, n in counts.items()}
    cells = {key: n for key, n in counts.items() if key != total_key}
    return hide_with_second_cell(cells, counts[total_key]) | {total_key: hide(counts[total_key])}


def mask_report(report: dict, *, financings: dict | None = None) -> dict:
    """The report as it leaves the site. `financings` counts the granted financings
    behind `financing_amount` (`{"value": n, "by_type": {kind: n}}`): an amount summing
    1 to 4 of them is hidden; without it, every amount is hidden rather than guessed."""
    masked = copy.deepcopy(report)
    masked["masked"] = True
    raw = report["indicators"]
    out = masked["indicators"]
    for code, key, total in ADDITIVE:
        out[code][key] = hide_with_second_cell(raw[code][key], raw[total]["value"])
    for code in PLAIN_COUNTS:
        out[code]["value"] = hide(raw[code]["value"])
    mask_met_total(raw, out)
    mask_amounts(out["financing_amount"], financings)
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
        if item["indicator"] not in EVENT_COUNTS and is_small(item["actual"]):
            item["actual"], item["achieved"] = HIDDEN, None
    return masked


def mask_amounts(amounts: dict, financings: dict | None) -> None:
    """`financing_amount`: None where 1 to 4 financings make the sum; where one type is
    hidden beside a total that is not, the type of the fewest other financings too."""
    if financings is None:
        amounts["value"] = None
        amounts["by_type"] = dict.fromkeys(amounts["by_type"])
        return
    counts = financings["by_type"]
    shown = hide_with_second_cell(counts, financings["value"])
    for kind in amounts["by_type"]:
        if shown.get(kind, 0) in (HIDDEN, None):
            amounts["by_type"][kind] = None
    if is_small(financings["value"]):
        amounts["value"] = None


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
