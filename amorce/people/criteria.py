"""Target-group criteria are data: add one to data/criteria.json, no code needed."""

import json
from pathlib import Path

from amorce.core.reference import load_once
from amorce.people.filters import forget_criteria
from amorce.people.models import Criterion

CRITERIA_FILE = Path(__file__).resolve().parent / "data" / "criteria.json"


def load_criteria_file(path: Path) -> int:
    entries = json.loads(path.read_text(encoding="utf-8"))
    for position, entry in enumerate(entries):
        Criterion.objects.update_or_create(
            code=entry["code"],
            defaults={
                "label": entry["label"],
                "description": entry.get("description", ""),
                "sensitive": entry.get("sensitive", False),
                "derived": entry.get("derived", False),
                "position": position,
                "is_active": True,
            },
        )
    # A criterion removed from the file is retired, not deleted: past records keep it.
    Criterion.objects.exclude(code__in=[e["code"] for e in entries]).update(is_active=False)
    forget_criteria()  # the list's filter keeps the active ones (an update sends no signal)
    return len(entries)


def load_criteria(force: bool = False) -> None:
    load_once("criteria", CRITERIA_FILE, load_criteria_file, force=force)
