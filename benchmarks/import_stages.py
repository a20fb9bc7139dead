"""Where the workbook import's time goes, stage by stage: exports the largest `bench-*`
site once to a file (kept, reused), then imports it into the empty `bench-import` site
`--times` times (removed after each), printing per stage the wall-clock and this
process's CPU time (PostgreSQL works in its own process: wall minus CPU is mostly the
database and the wait for a core). `--profile FILE` writes a cProfile of the last import;
`--orm` writes with bulk_create instead of PostgreSQL's COPY (to compare).

    .venv/bin/python benchmarks/import_stages.py [--file classeur.xlsx] [--times 2] [--orm]
"""

import argparse
import cProfile
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

SPENT = defaultdict(lambda: [0.0, 0.0])


def timed(owner, name: str, label: str) -> None:
    original = getattr(owner, name, None)
    if original is None:  # an older version of the import
        return

    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label][0] += time.perf_counter() - wall
            SPENT[label][1] += time.process_time() - cpu

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default="/tmp/import-bench/classeur.xlsx")
    parser.add_argument("--times", type=int, default=1)
    parser.add_argument("--profile", help="write a cProfile of the last import here")
    parser.add_argument("--orm", action="store_true", help="bulk_create rather than COPY")
    args = parser.parse_args()
    site = largest_site()
    path = Path(args.file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files.write_workbook(sheets_of_site(site), "xlsx"))
    data = path.read_bytes()
    if args.orm:
        from amorce.exchange import inserts

        inserts.uses_copy = lambda: False
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
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        outcome = importer.run(target, data, path.name, valid_only=True)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        persons = outcome.tallies["personnes"].created
        print(
            f"import {attempt}: {wall:.1f} s, {cpu:.1f} s CPU, {persons} personnes, "
            f"{outcome.refused} refus ; pour 10 000 : {wall * 10000 / persons:.1f} s"
        )
        for label, (w, c) in SPENT.items():
            print(f"  {label:32} {w:6.2f} s  {c:6.2f} s CPU")
    remove_import_site()


if __name__ == "__main__":
    main()
