from pathlib import Path

from amorce.activities.models import NafCode
from amorce.core.reference import load_once, read_csv, upsert
from amorce.core.text import fold

NAF_FILE = Path(__file__).resolve().parent / "data" / "naf_rev2_sous_classes.csv"


def load_naf_file(path: Path) -> int:
    rows = [
        NafCode(
            code=r["code"],
            label=r["libelle"],
            division=r["division"],
            division_label=r["libelle_division"],
            section=r["section"],
            section_label=r["libelle_section"],
            search_text=fold(f"{r['code']} {r['code'].replace('.', '')} {r['libelle']}"),
        )
        for r in read_csv(path)
    ]
    fields = ["label", "division", "division_label", "section", "section_label", "search_text"]
    return upsert(NafCode, rows, key="code", fields=fields)


def load_naf_codes(force: bool = False) -> None:
    load_once("naf", NAF_FILE, load_naf_file, force=force)
