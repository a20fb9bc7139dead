"""Issue 20's table from the figures `make bench` just wrote: each row's measure, its
target and whether it holds (✓/✗), read from benchmarks/results/report-<database>.json
and run-<database>.json. A figure not measured (a database skipped, `run.py --only`)
shows « — ».

    .venv/bin/python benchmarks/summary.py
"""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
IMPORT_PERSONS = 10_000  # the import: 10 000 persons with their rows

# report.py's cases, by label (its CASE_LABELS)
SITE_CASE, NETWORK_CASE, HISTORY_CASE = (
    "un site, 3 ans",
    "réseau, 3 ans",
    "réseau, tout l'historique",
)


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def report_median(document: dict | None, case: str) -> float | None:
    for result in (document or {}).get("cases", []):
        if result["case"] == case:
            return result["median_s"]
    return None


def floor_ratio(document: dict | None, endpoint: str, users: int) -> float | None:
    for result in (document or {}).get("results", []):
        if result["endpoint"] == endpoint and result["users"] == users:
            return result.get("p95_over_floor")
    return None


def import_seconds(document: dict | None) -> tuple[float | None, str]:
    """The import's seconds brought to 10 000 persons (run.py imports the largest site)."""
    workbook = (document or {}).get("workbook") or {}
    seconds, persons = workbook.get("import_s"), workbook.get("persons")
    if not seconds or not persons:
        return None, ""
    return seconds * IMPORT_PERSONS / persons, f" ({seconds:.1f} s pour {persons} personnes)"


def rows() -> list[tuple[str, float | None, float, str, str]]:
    """(figure, value, bound, unit, note); a value holds when it is at most its bound."""
    pg_report, sqlite_report = load("report-postgresql"), load("report-sqlite")
    pg_run = load("run-postgresql")
    imported, note = import_seconds(pg_run)
    return [
        ("Fiche, p95 à 10 utilisateurs / plancher", floor_ratio(pg_run, "fiche", 10), 2.5, "×", ""),
        ("Fiche, p95 à 1 utilisateur / plancher", floor_ratio(pg_run, "fiche", 1), 3, "×", ""),
        (
            "Liste filtrée, p95 à 10 utilisateurs / plancher",
            floor_ratio(pg_run, "liste_filtree", 10),
            2.5,
            "×",
            "",
        ),
        (
            "Liste, recherche, p95 à 10 utilisateurs / plancher",
            floor_ratio(pg_run, "liste_recherche", 10),
            2,
            "×",
            "",
        ),
        ("Bilan du réseau, 3 ans (PostgreSQL)", report_median(pg_report, NETWORK_CASE), 2, "s", ""),
        (
            "Bilan du réseau, tout l'historique (PostgreSQL)",
            report_median(pg_report, HISTORY_CASE),
            3,
            "s",
            "",
        ),
        (
            "Bilan du réseau, tout l'historique (SQLite)",
            report_median(sqlite_report, HISTORY_CASE),
            15,
            "s",
            "",
        ),
        ("Bilan d'un site, 3 ans (PostgreSQL)", report_median(pg_report, SITE_CASE), 0.12, "s", ""),
        ("Import du classeur, 10 000 personnes", imported, 15, "s", note),
    ]


def number(value: float, unit: str) -> str:
    digits = 1 if unit == "×" or value >= 10 else 2 if value >= 1 else 3
    return f"{value:.{digits}f}".replace(".", ",") + ("×" if unit == "×" else "\u202fs")


def main() -> None:
    print("Issue 20 — chiffres de cette mesure")
    table = rows()
    width = max(len(label) for label, *_ in table)
    print(f"| {'chiffre'.ljust(width)} | maintenant |    cible |   |")
    print(f"|{'-' * (width + 2)}|-----------:|---------:|:-:|")
    for label, value, bound, unit, note in table:
        now = "—" if value is None else number(value, unit)
        verdict = "—" if value is None else "✓" if value <= bound else "✗"
        target = f"≤ {bound:g}".replace(".", ",") + ("×" if unit == "×" else "\u202fs")
        print(f"| {label.ljust(width)} | {now:>10} | {target:>8} | {verdict} |{note}")


if __name__ == "__main__":
    main()
