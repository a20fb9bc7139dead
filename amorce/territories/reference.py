"""The shipped map of France: départements, EPCI, communes and QPV perimeters."""

from pathlib import Path

from amorce.core.reference import load_once, read_csv, upsert
from amorce.territories.models import Commune, Departement, Epci, Generation, Qpv

DATA = Path(__file__).resolve().parent / "data"

SHIPPED_QPV = {
    Generation.QPV_2024: DATA / "qpv2024_france_wgs84.geojson.gz",
    Generation.QPV_2015: DATA / "qp2015_occitanie_hackaviz2021.geojson.gz",
}


def load_departements(path: Path) -> int:
    rows = [
        Departement(
            code=r["code"], name=r["nom"], region_code=r["region"], region_name=r["nom_region"]
        )
        for r in read_csv(path)
    ]
    return upsert(Departement, rows, key="code", fields=["name", "region_code", "region_name"])


def load_epcis(path: Path) -> int:
    rows = [Epci(siren=r["siren"], name=r["nom"], kind=r["type"]) for r in read_csv(path)]
    return upsert(Epci, rows, key="siren", fields=["name", "kind"])


def load_communes(path: Path) -> int:
    epcis = set(Epci.objects.values_list("siren", flat=True))
    rows = [
        Commune(
            code=r["code_insee"],
            name=r["nom"],
            departement_id=r["departement"],
            epci_id=r["epci_siren"] if r["epci_siren"] in epcis else None,
            population=int(r["population"] or 0),
            postcodes=r["codes_postaux"],
        )
        for r in read_csv(path)
        if r["type"] == "commune-actuelle"
    ]
    return upsert(
        Commune, rows, key="code", fields=["name", "departement", "epci", "population", "postcodes"]
    )


def load_map_of_france(force: bool = False) -> None:
    load_once("departements", DATA / "departements_2026.csv", load_departements, force=force)
    load_once("epci", DATA / "epci_2026.csv", load_epcis, force=force)
    load_once("communes", DATA / "communes_2026.csv.gz", load_communes, force=force)
    load_shipped_qpv()


def load_shipped_qpv() -> None:
    """Load each shipped QPV generation unless perimeters of that generation exist.

    An admin may have imported a newer official file with `amorce import-qpv`:
    the shipped copy never overwrites it.
    """
    from amorce.territories.qpv_import import import_qpv_file

    for generation, path in SHIPPED_QPV.items():
        if not Qpv.objects.filter(generation=generation).exists():
            import_qpv_file(path, generation)
