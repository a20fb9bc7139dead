"""How fast does one site's workbook come back, and does it come back whole? Exports the
largest `bench-*` site, imports the file into an empty site on the same territory (timed),
compares the copy's export with the site's, then imports the file again into the copy
(timed: every row must be unchanged), and prints the figures: wall-clock and this
process's CPU time (on SQLite the database works in the process; a loaded machine
stretches the wall-clock, not the CPU time), with the production settings (DEBUG off)
as `run.py`. Run `generate.py --scale 0.05 --sites 1`
first for one site of ~10 000 persons.

    .venv/bin/python benchmarks/roundtrip.py [--site bench-001] [--once]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import django
from server import production_environment

# As `run.py` measures the import: DEBUG off (with it, every query is also logged, and on
# SQLite each bulk insert's parameters are quoted again by a second query).
production_environment()
django.setup()

from _common import database_label  # noqa: E402
from django.db.models import Count  # noqa: E402
from sessions import IMPORT_SLUG  # noqa: E402
from workbook import IMPORT_HOST, remove_import_site, workbook_rows  # noqa: E402

from amorce.exchange import files, importer  # noqa: E402
from amorce.exchange.export import sheets_of_site  # noqa: E402
from amorce.sites.actions import create_site  # noqa: E402
from amorce.sites.models import Site  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="the site to export (default: the largest bench-*)")
    parser.add_argument("--once", action="store_true", help="skip the second import")
    args = parser.parse_args()
    sites = Site.objects.filter(slug__startswith="bench-").exclude(slug=IMPORT_SLUG)
    site = (
        sites.get(slug=args.site)
        if args.site
        else sites.annotate(size=Count("persons")).order_by("-size").first()
    )
    if site is None:
        sys.exit("Aucun site bench-* : lancer d'abord generate.py.")
    remove_import_site()
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "classeur.xlsx"
            began = time.perf_counter()
            original = sheets_of_site(site)
            path.write_bytes(files.write_workbook(original, "xlsx"))
            exported = time.perf_counter() - began
            rows = workbook_rows(path)
            data = path.read_bytes()
        target = create_site(
            slug=IMPORT_SLUG,
            name="Bench import — site vide",
            host_organisation_name=IMPORT_HOST,
            communes=list(site.communes.all()),
        )
        began, cpu = time.perf_counter(), time.process_time()
        first = importer.run(target, data, "classeur.xlsx", valid_only=True)
        imported, imported_cpu = time.perf_counter() - began, time.process_time() - cpu
        if not args.once:
            same = sheets_of_site(target) == original  # ids included: kept as external ids
            began, cpu = time.perf_counter(), time.process_time()
            again = importer.run(target, data, "classeur.xlsx", valid_only=True)
            reimported, reimported_cpu = time.perf_counter() - began, time.process_time() - cpu
    finally:
        remove_import_site()
    persons = first.tallies["personnes"].created
    print(f"Base : {database_label()} ; site {site.slug}")
    print(f"Classeur : {sum(rows.values())} lignes, {persons} personnes ; export {exported:.1f} s")
    print(
        f"Import dans un site vide : {imported:.1f} s ({persons / imported:.0f} personnes/s), "
        f"dont {imported_cpu:.1f} s de processeur pour ce processus"
    )
    for line in first.summary():
        print(f"  {line}")
    if args.once:
        print(f"Refus : {first.refused}")
        return
    print(f"Export de la copie identique à celui du site : {'oui' if same else 'NON'}")
    print(
        f"Second import du même classeur : {reimported:.1f} s, "
        f"dont {reimported_cpu:.1f} s de processeur pour ce processus"
    )
    for line in again.summary():
        print(f"  {line}")
    print(f"Refus : {first.refused} au premier import, {again.refused} au second")


if __name__ == "__main__":
    main()
