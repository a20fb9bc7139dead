"""Load shipped reference files once, and again only when the file changes.

Apps call `load_once` from a post_migrate handler, so `amorce migrate` alone
leaves a usable database and re-running it costs one checksum per file.
"""

import csv
import gzip
import hashlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import transaction

from amorce.core.models import ReferenceDataset


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8-sig")
    return path.open(encoding="utf-8-sig")


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with open_text(path) as handle:
        yield from csv.DictReader(handle)


def load_once(name: str, path: Path, loader: Callable[[Path], int], *, force=False) -> bool:
    """Run `loader(path)` unless this exact file was loaded already; return whether it ran."""
    digest = checksum(path)
    current = ReferenceDataset.objects.filter(name=name).first()
    if current and current.checksum == digest and not force:
        return False
    with transaction.atomic():
        rows = loader(path)
        ReferenceDataset.objects.update_or_create(
            name=name, defaults={"source": path.name, "checksum": digest, "rows": rows}
        )
    return True


def upsert(model, rows: list, *, key: str, fields: list[str]) -> int:
    """Create missing rows and update existing ones in bulk, matched on `key`."""
    existing = set(model.objects.values_list(key, flat=True))
    new = [row for row in rows if getattr(row, key) not in existing]
    old = [row for row in rows if getattr(row, key) in existing]
    model.objects.bulk_create(new, batch_size=2000)
    if old:
        model.objects.bulk_update(old, fields, batch_size=2000)
    return len(rows)
