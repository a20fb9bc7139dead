"""How fast does Amorce answer over HTTP? Serves the app as in production (gunicorn, DEBUG
off) and loads it with locust on loopback, as the leader of the largest generated site.

Measures each page of a leader's day, the reports (site and network, JSON) and the
workbook export at 1 and 10 concurrent users, beside two reference points measured in the
same run: the floor (a fixed answer behind the same login stack) and the peer (Django
admin's change list of persons with the same search). Adds QPV lookups per second and
the workbook import rate; `--soak 600` adds ten minutes of a leader's day mixed at 10
users. Prints a table, the targets, and writes benchmarks/results/run-<database>.json.
Run `generate.py` first, on a database migrated with DJANGO_SETTINGS_MODULE=benchmarks.settings.

    .venv/bin/python benchmarks/run.py [--seconds 20] [--soak 600] [--only fiche]
"""

import argparse
import json
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import django
from server import ROOT, WORKERS, collect_static, get, gunicorn, production_environment

production_environment()
sys.path.append(str(ROOT))  # benchmarks.settings
django.setup()

from _common import bench_sites, database_label, machine_label  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from endpoints import (  # noqa: E402
    FLOOR,
    PEER,
    endpoints,
    frequent_surname,
    remove_week_fixture,
    week_fixture,
)
from load import by_endpoint, run_locust, summarise  # noqa: E402
from report import describe_data  # noqa: E402
from sessions import (  # noqa: E402
    admin_user,
    forget_bench_audit,
    forget_sessions,
    largest_site,
    leader_of,
    network_user,
    verified_session,
)
from workbook import measure_import, remove_import_site  # noqa: E402

from amorce.people.models import Person  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
FULL_SCALE_PERSONS = 200_000
USERS = (1, 10)
UNAVAILABLE = "non disponible"
# (endpoint, p95 bound in ms, must beat the admin peer): at 10 users, on the full network.
TARGETS = (
    ("liste_recherche", 150, True),
    ("liste_filtree", 150, False),
    ("fiche", 150, True),
    ("bilan", 500, False),
    ("reseau_json", 10_000, False),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of each measure")
    parser.add_argument("--soak", type=int, default=0, help="seconds of mixed load at 10 users")
    parser.add_argument(
        "--only", action="append", help="only these endpoints (and the floor); no import"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--qpv-lookups", type=int, default=20_000, help="per generation")
    args = parser.parse_args()

    remove_week_fixture()
    remove_import_site()
    forget_bench_audit()
    site = largest_site()
    if site is None:
        sys.exit("Aucun site bench-* : lancer d'abord benchmarks/generate.py.")
    leader = leader_of(site)
    sessions = {
        "leader": verified_session(leader),
        "admin": verified_session(admin_user()),
        "network": verified_session(network_user()),
    }
    surname = frequent_surname(site)
    measured = [
        endpoint
        for endpoint in endpoints(site, surname, args.seed)
        if not args.only or endpoint.key in {FLOOR, *args.only}
    ]
    persons = Person.objects.filter(site__in=bench_sites()).count()
    data = describe_data()
    print(f"Base {database_label()} : {data}", flush=True)
    print(f"Site mesuré : {site.slug} ({site.persons.count()} personnes), recherche « {surname} »")
    document = {
        "database": database_label(),
        "measured_at": timezone.localtime().isoformat(timespec="seconds"),
        "machine": machine_label(),
        "data": data,
        "scale": round(persons / FULL_SCALE_PERSONS, 4),
        "site": site.slug,
        "search": surname,
        "seconds": args.seconds,
        "workers": WORKERS,
        "qpv": qpv_rates(args.qpv_lookups, args.seed),
    }
    try:
        with tempfile.TemporaryDirectory() as folder, week_fixture(site, leader, args.seed):
            document |= measure_http(measured, sessions, args, Path(folder))
            if not args.only:
                document["workbook"] = measure_import(site, Path(folder))
    finally:
        forget_sessions(sessions.values())
        forget_bench_audit()
    document["targets"] = targets(document["results"], document.get("soak"))
    print_document(document)
    write(document)


def measure_http(measured: list, sessions: dict, args, folder: Path) -> dict:
    collect_static()
    cookies = {who: f"{settings.SESSION_COOKIE_NAME}={key}" for who, key in sessions.items()}
    queries = query_counts(measured, sessions)
    plan = {"cookie_name": settings.SESSION_COOKIE_NAME, "sessions": sessions}
    results, unavailable = [], []
    log = folder / "gunicorn.log"
    with gunicorn(log) as base_url:
        for endpoint in measured:
            if not warm_up(base_url, endpoint, cookies[endpoint.who], log):
                unavailable.append({"endpoint": endpoint.key, "label": endpoint.label})
                print(f"{endpoint.label} : {UNAVAILABLE}", flush=True)
                continue
            for users in USERS:
                plan |= {"mode": endpoint.key, "endpoints": [endpoint.as_plan()]}
                stats = summarise(run_locust(base_url, plan, users, args.seconds, folder))
                results.append(
                    {"endpoint": endpoint.key, "label": endpoint.label, "users": users}
                    | stats
                    | {"queries": queries.get(endpoint.key)}
                )
                print(progress(results[-1]), flush=True)
        soak = None
        if args.soak:
            missing = {item["endpoint"] for item in unavailable}
            mixed = [e for e in measured if e.weight and e.key not in missing]
            plan |= {"mode": "mix", "endpoints": [e.as_plan() for e in mixed]}
            print(f"Charge mêlée : {args.soak} s à 10 utilisateurs…", flush=True)
            records = run_locust(base_url, plan, 10, args.soak, folder)
            soak = summarise(records) | {
                "seconds": args.soak,
                "endpoints": {key: summarise(rows) for key, rows in by_endpoint(records).items()},
            }
    add_floor_ratios(results)
    return {"results": results, "unavailable": unavailable, "soak": soak}


def query_counts(measured: list, sessions: dict) -> dict[str, int]:
    """SQL queries of one request per endpoint, served in this process (same settings),
    after a first one: a process's first request also prepares the statements it will
    reuse (`core.prepared`), as each gunicorn worker does once."""
    counts = {}
    for endpoint in measured:
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[endpoint.who]
        if not endpoint.heavy:
            client.get(endpoint.paths[0])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(endpoint.paths[0])
        if response.status_code == 200:
            counts[endpoint.key] = len(captured)
    return counts


def warm_up(base_url: str, endpoint, cookie: str, log: Path) -> bool:
    """A few requests per worker (imports, templates, the QPV index); False on a 404 (the
    page does not exist yet). Any other answer than 200 stops the run."""
    count = 1 if endpoint.heavy else 2 * WORKERS
    paths = [random.choice(endpoint.paths) for _ in range(count)]
    with ThreadPoolExecutor(WORKERS) as pool:
        answers = list(pool.map(lambda path: get(base_url + path, cookie)[0], paths))
    if 404 in answers:
        return False
    if set(answers) != {200}:
        server_log = log.read_text(encoding="utf-8")[-3000:]
        sys.exit(f"{endpoint.label} ({endpoint.paths[0]}) : {sorted(set(answers))}\n{server_log}")
    return True


def add_floor_ratios(results: list) -> None:
    floors = {r["users"]: r["p95_ms"] for r in results if r["endpoint"] == FLOOR}
    for result in results:
        floor = floors.get(result["users"])
        ratio = result["p95_ms"] / floor if floor and result["p95_ms"] is not None else None
        result["p95_over_floor"] = round(ratio, 1) if ratio is not None else None


def qpv_rates(lookups: int, seed: int) -> dict:
    """`qpv_lookup.py`'s measure: its random points, found one by one, per generation."""
    from qpv_lookup import WARM_UP, random_points

    from amorce.territories import qpv
    from amorce.territories.models import Generation

    rates = {}
    for generation in (Generation.QPV_2024, Generation.QPV_2015):
        index = qpv.index_for(generation)
        if not len(index):
            continue
        points = random_points(index, lookups, random.Random(seed))
        for latitude, longitude in points[:WARM_UP]:
            qpv.find_qpv(latitude, longitude, generation)
        began = time.perf_counter()
        for latitude, longitude in points:
            qpv.find_qpv(latitude, longitude, generation)
        rates[str(generation.label)] = round(lookups / (time.perf_counter() - began))
    return rates


def targets(results: list, soak: dict | None) -> list[dict]:
    at_ten = {r["endpoint"]: r for r in results if r["users"] == max(USERS)}
    peer = at_ten.get(PEER, {}).get("p95_ms")
    checks = []
    for key, bound, beat_peer in TARGETS:
        if key not in at_ten:
            continue
        p95, label = at_ten[key]["p95_ms"], at_ten[key]["label"]
        if p95 is None:
            continue
        checks.append(check(f"{label} : p95 < {bound} ms", p95, p95 < bound, "ms"))
        if beat_peer and peer is not None:
            checks.append(check(f"{label} : p95 < admin ({peer:.0f} ms)", p95, p95 < peer, "ms"))
    if soak is not None:
        errors = soak["errors"]
        label = f"Aucune erreur en {soak['seconds']} s mêlées"
        checks.append(check(label, errors, not errors, "erreur(s)"))
    return checks


def check(label: str, value, ok: bool, unit: str) -> dict:
    return {"target": label, "value": value, "unit": unit, "ok": ok}


def number(value, digits: int = 0) -> str:
    """French notation: 1 234,5."""
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def progress(result: dict) -> str:
    return (
        f"{result['label']}, {result['users']} utilisateur(s) : {result['requests']} requêtes, "
        f"p95 {number(result['p95_ms'])} ms, {result['errors']} erreur(s)"
    )


def print_document(document: dict) -> None:
    header = ("point mesuré", "util.", "requêtes", "p50 ms", "p95 ms", "req/s", "erreurs",
              "p95/plancher", "SQL")  # fmt: skip
    rows = [
        (r["label"], r["users"], r["requests"], number(r["p50_ms"]), number(r["p95_ms"]),
         number(r["rps"], 1), r["errors"], number(r["p95_over_floor"], 1), r["queries"] or "—")
        for r in document["results"]
    ]  # fmt: skip
    rows += [(item["label"], "—", "—", UNAVAILABLE, "", "", "", "", "")
             for item in document["unavailable"]]  # fmt: skip
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print(
        f"\nMesures HTTP ({document['database']}, échelle ≈ {number(document['scale'], 2)}, "
        f"{document['workers']} workers gunicorn, {document['seconds']} s par mesure) :"
    )
    for row in [header, *rows]:
        cells = [f"{row[0]!s:<{widths[0]}}"]
        cells += [f"{cell!s:>{width}}" for cell, width in zip(row[1:], widths[1:], strict=True)]
        print("  " + "  ".join(cells))
    for generation, rate in document["qpv"].items():
        print(f"Recherches QPV ({generation}) : {number(rate)} par seconde")
    if "workbook" in document:
        print(f"Import du classeur : {workbook_line(document['workbook'])}")
    if document.get("soak"):
        soak = document["soak"]
        print(f"Charge mêlée ({soak['seconds']} s, 10 utilisateurs) : {soak['requests']} "
              f"requêtes, p95 {number(soak['p95_ms'])} ms, {soak['errors']} erreur(s)")  # fmt: skip
        for key, stats in soak["endpoints"].items():
            if stats["errors"]:
                print(f"  {key} : {stats['errors']} erreur(s) {stats['error_kinds']}")
    note = "" if document["scale"] >= 1 else " (les cibles portent sur l'échelle 1)"
    print(f"Cibles, à 10 utilisateurs{note} :")
    for target in document["targets"]:
        mark, value = "✓" if target["ok"] else "✗", number(target["value"])
        print(f"  {mark} {target['target']} : {value} {target['unit']}")


def workbook_line(workbook: dict) -> str:
    if workbook.get("error"):
        return f"échec ({workbook['error']})"
    if not workbook.get("available"):
        return UNAVAILABLE
    refused = "; des lignes refusées (voir le JSON)" if workbook["refusals"] else ""
    return (
        f"{number(workbook['persons'])} personnes en {number(workbook['import_s'], 1)} s = "
        f"{number(workbook['persons_per_s'])} personnes/s, {number(workbook['rows_per_s'])} "
        f"lignes/s (export en {number(workbook['export_s'], 1)} s){refused}"
    )


def write(document: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"run-{document['database']}.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Résultats : {path}")


if __name__ == "__main__":
    main()
