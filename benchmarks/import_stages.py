"""Where the workbook import's time goes, stage by stage: exports the largest `bench-*`
site once to a file (kept, reused), then imports it into the empty `bench-import` site
`--times` times (removed after each), printing per stage the wall-clock and this
process's CPU time (PostgreSQL works in its own process: wall minus CPU is mostly the
database and the wait for a core). `--profile FILE` writes a cProfile of the last import;
`--orm` writes with bulk_create instead of PostgreSQL's COPY (to compare). On PostgreSQL
on this machine, the database backend's own CPU time is given too (from /proc), and
`--tables` times the insert of each table.

    .venv/bin/python benchmarks/import_stages.py [--file classeur.xlsx] [--times 2] [--orm]
"""

import argparse
import cProfile
import os
import time
from collections import defaultdict
from pathlib import Path

import django
from django.db import connections
from server import production_environment

production_environment()
django.setup()

from sessions import IMPORT_SLUG, largest_site  # noqa: E402
from workbook import IMPORT_HOST, remove_import_site  # noqa: E402

from amorce.exchange import files, importer, plan, write  # noqa: E402
from amorce.exchange.export import sheets_of_site  # noqa: E402
from amorce.sites.actions import create_site  # noqa: E402

SPENT = defaultdict(lambda: [0.0, 0.0, 0.0])
BACKEND = {"stat": None}


def backend_cpu() -> float:
    """Seconds of CPU of this connection's PostgreSQL backend (a local server), else 0."""
    path = BACKEND["stat"]
    if path is None:
        return 0.0
    try:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def find_backend() -> None:
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        path = f"/proc/{cursor.fetchone()[0]}/stat"
    BACKEND["stat"] = path if Path(path).exists() else None


def timed(owner, name: str, label: str) -> None:
    original = getattr(owner, name, None)
    if original is None:  # an older version of the import
        return

    def wrapper(*args, **kwargs):
        wall, cpu, database = time.perf_counter(), time.process_time(), backend_cpu()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label][0] += time.perf_counter() - wall
            SPENT[label][1] += time.process_time() - cpu
            SPENT[label][2] += backend_cpu() - database

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default="/tmp/import-bench/classeur.xlsx")
    parser.add_argument("--times", type=int, default=1)
    parser.add_argument("--profile", help="write a cProfile of the last import here")
    parser.add_argument("--orm", action="store_true", help="bulk_create rather than COPY")
    parser.add_argument("--tables", action="store_true", help="time each table's insert")
    args = parser.parse_args()
    site = largest_site()
    path = Path(args.file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files.write_workbook(sheets_of_site(site), "xlsx"))
    data = path.read_bytes()
    from amorce.exchange import inserts

    if args.orm:
        inserts.uses_copy = lambda: False
    if args.tables:
        insert = write.insert

        def each_table(model, instances):
            timed_insert = insert
            label = f"    {model._meta.db_table} ({len(instances)})"
            SPENT[label]  # listed in the order of the writes
            wall, cpu, database = time.perf_counter(), time.process_time(), backend_cpu()
            try:
                return timed_insert(model, instances)
            finally:
                SPENT[label][0] += time.perf_counter() - wall
                SPENT[label][1] += time.process_time() - cpu
                SPENT[label][2] += backend_cpu() - database

        write.insert = each_table
    timed(files, "read_workbook", "lecture (calamine)")
    timed(importer, "typed_rows", "cellules (typed_rows)")
    timed(plan.Plan, "build", "plan")
    timed(plan, "Existing", "  dont existant")
    timed(importer, "write", "écritures (write)")
    timed(write, "insert", "écritures : lignes")
    timed(write, "write_links", "écritures : liens")
    timed(write, "write_updates", "écritures : mises à jour")
    timed(write, "refresh_statistics", "écritures : ANALYZE")
    timed(importer, "refresh_site_facts", "faits (refresh_site_facts)")
    timed(connections["default"], "commit", "COMMIT (clés étrangères différées)")
    for attempt in range(1, args.times + 1):
        remove_import_site()
        SPENT.clear()
        target = create_site(
            slug=IMPORT_SLUG,
            name="Bench import — site vide",
            host_organisation_name=IMPORT_HOST,
            communes=list(site.communes.all()),
        )
        profiler = cProfile.Profile() if args.profile and attempt == args.times else None
        find_backend()
        wall, cpu, database = time.perf_counter(), time.process_time(), backend_cpu()
        if profiler:
            profiler.enable()
        outcome = importer.run(target, data, path.name, valid_only=True)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        database = backend_cpu() - database
        persons = outcome.tallies["personnes"].created
        print(
            f"import {attempt}: {wall:.1f} s, {cpu:.1f} s CPU, {database:.1f} s CPU de la base, "
            f"{persons} personnes, {outcome.refused} refus ; "
            f"pour 10 000 : {wall * 10000 / persons:.1f} s"
        )
        for label, (w, c, d) in SPENT.items():
            print(f"  {label:40} {w:6.2f} s  {c:6.2f} s CPU  {d:6.2f} s CPU base")
    remove_import_site()


if __name__ == "__main__":
    main()
