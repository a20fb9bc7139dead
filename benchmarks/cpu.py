"""What a page costs the processor per request, in process: Python (`process_time`) plus
the PostgreSQL server process of the connection (its user and system time read in
/proc), through Django's test client with the server's production settings (`DEBUG`
off), as the leader of the largest generated site, with the same paths as `run.py`.

At 10 users two workers keep both cores busy, so `run.py`'s p95 ratio to the floor
follows the ratio of these costs; this measures a change in a minute, with much less
noise than a load run, and `--profile` says where a page spends it (pyinstrument, when
installed: `.venv/bin/pip install pyinstrument`). The endpoints are taken in turns,
`--rounds` times, so a change of the machine's mood falls on all of them.

    .venv/bin/python benchmarks/cpu.py [-n 400] [--only fiche] [--profile fiche]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from server import ROOT, collect_static, production_environment

production_environment()
sys.path.append(str(ROOT))  # benchmarks.settings

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from endpoints import FLOOR, endpoints, frequent_surname  # noqa: E402
from sessions import forget_sessions, largest_site, leader_of, verified_session  # noqa: E402

PAGES = (FLOOR, "fiche", "liste_filtree", "liste_recherche")
TICKS = os.sysconf("SC_CLK_TCK")


def server_seconds(pid: int | None) -> float:
    """User plus system time of the database's server process (0 off PostgreSQL: SQLite
    runs inside this process, in its `process_time`)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=400, help="requests per page")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--only", action="append", help="these pages (and the floor)")
    parser.add_argument("--profile", help="profile this page instead (pyinstrument)")
    arguments = parser.parse_args()

    collect_static()  # DEBUG off: templates name the files of the static manifest
    site = largest_site()
    if site is None:
        sys.exit("Aucun réseau généré : lancez d'abord benchmarks/generate.py.")
    session = verified_session(leader_of(site))
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    paths = {e.key: e.paths for e in endpoints(site, frequent_surname(site), 2026)}
    pages = [FLOOR, *(arguments.only or PAGES[1:])]
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]

    def get(key: str, i: int) -> None:
        choices = paths[key]
        response = client.get(choices[i % len(choices)], secure=True)
        if response.status_code != 200:
            sys.exit(f"{key} : réponse {response.status_code}")

    try:
        for key in pages:  # warm: templates, prepared queries, caches
            for i in range(20):
                get(key, i)
        if arguments.profile:
            profile(get, arguments.profile, arguments.n)
            return
        per_round = max(1, arguments.n // arguments.rounds)
        costs: dict[str, list[tuple[float, float]]] = {key: [] for key in pages}
        for r in range(arguments.rounds):
            for key in pages:
                python, server = time.process_time(), server_seconds(pid)
                for i in range(per_round):
                    get(key, r * per_round + i)
                costs[key].append(
                    (
                        (time.process_time() - python) / per_round,
                        (server_seconds(pid) - server) / per_round,
                    )
                )
    finally:
        forget_sessions([session])

    def total(key: str) -> float:
        return statistics.median(p + s for p, s in costs[key])

    print(f"{connection.vendor}, site {site.slug}, {per_round * arguments.rounds} requêtes/page")
    print(f"{'page':<18}{'Python':>9}{'serveur':>9}{'total':>9}{'/ plancher':>12}")
    for key in pages:
        python = statistics.median(p for p, _ in costs[key]) * 1000
        server = statistics.median(s for _, s in costs[key]) * 1000
        ratio = total(key) / total(FLOOR)
        print(f"{key:<18}{python:>7.2f}ms{server:>7.2f}ms{total(key) * 1000:>7.2f}ms{ratio:>12.2f}")


def profile(get, key: str, n: int) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:  # a tool for developers, not in the lock
        sys.exit("--profile demande pyinstrument : .venv/bin/pip install pyinstrument")

    profiler = Profiler(interval=0.0002)
    profiler.start()
    for i in range(n):
        get(key, i)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
