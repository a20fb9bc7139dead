"""How fast is the report (bilan)? Times `compute_report` on the generated network.

Three cases, each run `--repeat` times after one warm-up run (which also counts the
queries): one site of about 1 000 persons met over the last three years (target
0.5 s), the whole network over the last three years and over its whole history
(target 10 s on PostgreSQL). Prints min and median, writes
benchmarks/results/report-<postgresql|sqlite>.json. Run `generate.py` first.

    .venv/bin/python benchmarks/report.py [--repeat 5] [--site bench-012] [--masked]
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from _common import bench_sites, database_label, machine_label  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Min  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from amorce.actions.models import Attendance, CollectiveAction  # noqa: E402
from amorce.companies.models import Company  # noqa: E402
from amorce.core.dates import add_months  # noqa: E402
from amorce.people.models import Journey, Meeting, Person, Transition  # noqa: E402
from amorce.referrals.models import Referral  # noqa: E402
from amorce.reports.compute import compute_report  # noqa: E402
from amorce.sites.models import Site  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
SITE_PERSONS = 1_000  # persons met individually over the period, for the one-site case
SITE_TARGET = 0.5  # seconds
NETWORK_TARGET = 10.0
CASE_LABELS = (
    ("un site, 3 ans", "site"),
    ("réseau, 3 ans", "network"),
    ("réseau, tout l'historique", "history"),
)
CASES = tuple(key for _, key in CASE_LABELS)
SLOWEST = 3  # queries of the warm-up run listed in the results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case")
    parser.add_argument("--site", help="slug of the one-site case (default: the site closest "
                        f"to {SITE_PERSONS} persons met over the last three years)")  # fmt: skip
    parser.add_argument("--masked", action="store_true", help="the masked report (funders)")
    parser.add_argument("--case", action="append", choices=CASES, help="only these cases")
    args = parser.parse_args()

    end = timezone.localdate()
    start = add_months(end, -36) + timedelta(days=1)  # three whole years, `end` included
    everything = Transition.objects.aggregate(first=Min("on"))["first"] or start
    network = Site.objects.all()
    site = pick_site(args.site, start, end)
    if site is None:
        sys.exit("Aucun site bench-* : lancer d'abord benchmarks/generate.py.")
    site_label, network_label, history_label = (label for label, _ in CASE_LABELS)
    cases = {
        "site": (site_label, Site.objects.filter(pk=site.pk), start, end, SITE_TARGET),
        "network": (network_label, network, start, end, NETWORK_TARGET),
        "history": (history_label, network, everything, end, NETWORK_TARGET),
    }
    print(f"Base {database_label()} : {describe_data()}", flush=True)
    results = [
        measure(name, sites, first, last, target, args.repeat, args.masked)
        for name, sites, first, last, target in (cases[case] for case in args.case or CASES)
    ]
    write_results(results, args)


def pick_site(slug: str | None, start: date, end: date) -> Site | None:
    """The bench site whose count of persons met individually over the period is the
    closest to SITE_PERSONS (or the one named)."""
    if slug:
        return Site.objects.get(slug=slug)
    met = (
        Meeting.objects.filter(person__site__in=bench_sites(), on__gte=start, on__lte=end)
        .values("person__site")
        .annotate(persons=Count("person", distinct=True))
        .values_list("person__site", "persons")
    )
    closest = min(met, key=lambda row: abs(row[1] - SITE_PERSONS), default=None)
    return Site.objects.get(pk=closest[0]) if closest else None


def measure(name, sites, start, end, target, repeat, masked) -> dict:
    with CaptureQueriesContext(connection) as queries:
        warm_up, report = timed(sites, start, end, masked)
    runs = [timed(sites, start, end, masked)[0] for _ in range(repeat)]
    best, median = min(runs), statistics.median(runs)
    scope = f"{len(sites)} site(s)" if len(sites) > 1 else sites[0].slug
    met = report["indicators"]["met_individually"]["value"]
    verdict = "dans la cible" if median <= target else "AU-DELÀ DE LA CIBLE"
    print(
        f"{name} ({scope}, du {start:%d/%m/%Y} au {end:%d/%m/%Y}, {met} personnes reçues) : "
        f"min {best:.3f} s, médiane {median:.3f} s sur {repeat} ; 1er passage {warm_up:.3f} s, "
        f"{len(queries)} requêtes ; cible {target} s : {verdict}",
        flush=True,
    )
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:SLOWEST]
    return {
        "case": name,
        "sites": len(sites),
        "site": sites[0].slug if len(sites) == 1 else None,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "met_individually": met,
        "queries": len(queries),
        "first_run_s": round(warm_up, 4),
        "runs_s": [round(run, 4) for run in runs],
        "min_s": round(best, 4),
        "median_s": round(median, 4),
        "target_s": target,
        "within_target": median <= target,
        "slowest_queries": [{"s": float(q["time"]), "sql": q["sql"][:500]} for q in slowest],
    }


def timed(sites, start, end, masked) -> tuple[float, dict]:
    began = time.perf_counter()
    report = compute_report(sites, start, end, masked=masked)
    return time.perf_counter() - began, report


def describe_data() -> str:
    counts = {
        "sites": Site.objects.count(),
        "personnes": Person.objects.count(),
        "parcours": Journey.objects.count(),
        "entretiens": Meeting.objects.count(),
        "actions collectives": CollectiveAction.objects.count(),
        "participations": Attendance.objects.count(),
        "orientations": Referral.objects.count(),
        "entreprises": Company.objects.count(),
    }
    return ", ".join(f"{count:,} {label}".replace(",", "\u202f") for label, count in counts.items())


def write_results(results: list[dict], args) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"report-{database_label()}.json"
    if args.case and path.exists():  # keep the earlier figures of the cases not re-run
        measured = {result["case"] for result in results}
        earlier = json.loads(path.read_text(encoding="utf-8"))["cases"]
        results = [r for r in earlier if r["case"] not in measured] + results
        labels = [label for label, *_ in CASE_LABELS]
        results.sort(key=lambda result: labels.index(result["case"]))
    document = {
        "database": database_label(),
        "measured_at": timezone.localtime().isoformat(timespec="seconds"),
        "machine": machine_label(),
        "data": describe_data(),
        "repeat": args.repeat,
        "masked": args.masked,
        "cases": results,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Résultats : {path}")


if __name__ == "__main__":
    main()
