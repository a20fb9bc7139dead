"""Load QPV perimeters of one generation from an official GeoJSON file.

The whole file is read and checked before anything is written: a refused file
leaves the perimeters in place. A valid file replaces the generation in one
transaction (upsert by code, removal of the codes it no longer lists).
"""

import gzip
import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.db import transaction
from shapely.geometry import shape

from amorce.core.models import ReferenceDataset
from amorce.core.text import fold
from amorce.territories.models import Commune, Generation, Qpv

CODE_PREFIX = {Generation.QPV_2015: "QP", Generation.QPV_2024: "QN"}
POLYGONAL = {"Polygon", "MultiPolygon"}
# Property names of the 2024 and 2015 files, compared in lower case.
CODE_KEYS = ("code_qp",)
NAME_KEYS = ("lib_qp", "nom_qp")
COMMUNE_CODE_KEYS = ("insee_com", "code_commune")
COMMUNE_NAME_KEYS = ("commune_qp",)
DEPARTEMENT_KEYS = ("insee_dep", "code_departement")
SEPARATORS = re.compile(r"\s*[,;]\s*")
CODE_MAX_LENGTH = Qpv._meta.get_field("code").max_length
NAME_MAX_LENGTH = Qpv._meta.get_field("name").max_length


class QpvFileError(Exception):
    """A QPV file that cannot be imported; the message says where and why, in French."""


@dataclass
class QpvImportReport:
    generation: int
    created: int = 0
    updated: int = 0
    removed: int = 0
    repaired: int = 0
    unknown_communes: int = 0

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        return (
            f"QPV {self.generation} : {quantity(self.imported, 'périmètre importé')} "
            f"({quantity(self.created, 'créé')}, {number(self.updated)} mis à jour, "
            f"{quantity(self.removed, 'supprimé')}) ; "
            f"{quantity(self.repaired, 'géométrie réparée', 'géométries réparées')} ; "
            f"{quantity(self.unknown_communes, 'commune inconnue', 'communes inconnues')}."
        )


def quantity(count: int, singular: str, plural: str = "") -> str:
    """French puts 0 and 1 in the singular: "0 créé", "1\u202f584 périmètres importés"."""
    plural = plural or " ".join(word + "s" for word in singular.split())
    return f"{number(count)} {singular if count <= 1 else plural}"


def number(count: int) -> str:
    return f"{count:,}".replace(",", "\u202f")  # narrow no-break space, as French writes it


@dataclass
class ParsedQpv:
    code: str
    name: str
    departement_code: str
    commune_codes: list[str]
    commune_names: list[str]
    geometry: shapely.Geometry
    repaired: bool


def import_qpv_file(path, generation) -> QpvImportReport:
    """Replace the perimeters of `generation` by those of the file at `path`."""
    path = Path(path)
    generation = Generation(int(generation))
    data = read_file(path)
    features = parse_feature_collection(geojson_bytes(data, path.name), path.name)
    parsed = [parse_feature(feature, position, generation) for position, feature in features]
    refuse_duplicate_codes(parsed)
    report = write_generation(parsed, generation, path.name, hashlib.sha256(data).hexdigest())
    forget_cached_index(generation)
    return report


# Reading -----------------------------------------------------------------------------------


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise QpvFileError(f"Fichier introuvable : {path}.") from error
    except OSError as error:
        raise QpvFileError(f"Impossible de lire le fichier {path} : {error}.") from error


def geojson_bytes(data: bytes, file_name: str) -> bytes:
    """The GeoJSON text inside a plain, gzipped or zipped file (the official download is a ZIP)."""
    try:
        if data[:4] == b"PK\x03\x04":
            return geojson_in_zip(data, file_name)
        if data[:2] == b"\x1f\x8b":
            return gzip.decompress(data)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as error:
        raise QpvFileError(f"Archive {file_name} illisible : {error}.") from error
    return data


def geojson_in_zip(data: bytes, file_name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [
            name
            for name in archive.namelist()
            if name.lower().endswith(".geojson") and not name.startswith("__MACOSX/")
        ]
        if len(members) != 1:
            raise QpvFileError(
                f"L'archive {file_name} doit contenir un seul fichier .geojson ; "
                f"elle en contient {len(members)}."
            )
        return archive.read(members[0])


def parse_feature_collection(raw: bytes, file_name: str) -> list[tuple[int, dict]]:
    """Return the features numbered from 1, as a person reading the file would count them."""
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise QpvFileError(f"{file_name} n'est pas un fichier texte UTF-8 : {error}.") from error
    except json.JSONDecodeError as error:
        raise QpvFileError(
            f"{file_name} n'est pas un JSON valide (ligne {error.lineno}, "
            f"colonne {error.colno} : {error.msg})."
        ) from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise QpvFileError(f"{file_name} n'est pas une FeatureCollection GeoJSON.")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise QpvFileError(f"{file_name} ne contient aucune entité (« features » vide).")
    return list(enumerate(features, start=1))


# Checking one feature ----------------------------------------------------------------------


def parse_feature(feature, position: int, generation: Generation) -> ParsedQpv:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise QpvFileError(f"Entité n° {position} : propriétés absentes.")
    properties = {str(key).lower(): value for key, value in feature["properties"].items()}
    code = first_text(properties, CODE_KEYS).upper()
    where = f"Entité n° {position} ({code or 'sans code'})"
    name = first_text(properties, NAME_KEYS)
    check_code(code, where, generation)
    if not name:
        raise QpvFileError(f"{where} : nom du quartier absent (lib_qp ou nom_qp).")
    if len(name) > NAME_MAX_LENGTH:
        raise QpvFileError(f"{where} : nom de plus de {NAME_MAX_LENGTH} caractères.")
    geometry, repaired = parse_geometry(feature.get("geometry"), where)
    commune_codes = split_codes(first_text(properties, COMMUNE_CODE_KEYS))
    commune_names = [] if commune_codes else split_names(first_text(properties, COMMUNE_NAME_KEYS))
    return ParsedQpv(
        code=code,
        name=name,
        departement_code=departement_code(properties, commune_codes, code),
        commune_codes=commune_codes,
        commune_names=commune_names,
        geometry=geometry,
        repaired=repaired,
    )


def first_text(properties: dict, keys: tuple[str, ...]) -> str:
    for key in keys:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def check_code(code: str, where: str, generation: Generation) -> None:
    if not code:
        raise QpvFileError(f"{where} : code du quartier absent (code_qp).")
    prefix = CODE_PREFIX[generation]
    if not code.startswith(prefix):
        raise QpvFileError(
            f"{where} : ce code n'est pas de la génération {generation.label} "
            f"(les codes {generation.label} commencent par {prefix})."
        )
    if len(code) > CODE_MAX_LENGTH:
        raise QpvFileError(f"{where} : code de plus de {CODE_MAX_LENGTH} caractères.")


def parse_geometry(geojson, where: str) -> tuple[shapely.Geometry, bool]:
    """Return the polygonal geometry, repaired when invalid, and whether it was repaired."""
    kind = geojson.get("type") if isinstance(geojson, dict) else None
    if kind not in POLYGONAL:
        raise QpvFileError(
            f"{where} : géométrie de type {kind or 'absent'}, Polygon ou MultiPolygon attendu."
        )
    try:
        geometry = shapely.force_2d(shape(geojson))
    except (ValueError, TypeError, IndexError, KeyError, shapely.errors.GEOSException) as error:
        raise QpvFileError(f"{where} : coordonnées illisibles ({error}).") from error
    if geometry.is_empty:
        raise QpvFileError(f"{where} : géométrie vide.")
    if geometry.is_valid:
        return geometry, False
    repaired = polygonal_part(shapely.make_valid(geometry))
    if repaired.is_empty:
        raise QpvFileError(f"{where} : géométrie invalide et irréparable (surface nulle).")
    return repaired, True


def polygonal_part(geometry: shapely.Geometry) -> shapely.Geometry:
    """make_valid may return lines or points beside the polygons (collapsed spikes): drop them."""
    if geometry.geom_type in POLYGONAL:
        return geometry
    parts = shapely.get_parts(geometry)
    polygons = [part for part in parts if part.geom_type in POLYGONAL]
    return shapely.union_all(polygons) if polygons else shapely.MultiPolygon()


def split_codes(text: str) -> list[str]:
    codes = [code.upper() for code in SEPARATORS.split(text) if code]
    # Spreadsheet round trips drop the leading zero of Ain…Ardèche communes ("1053").
    return list(dict.fromkeys(code.zfill(5) if code.isdigit() else code for code in codes))


def split_names(text: str) -> list[str]:
    return [name for name in SEPARATORS.split(text) if name]


def departement_code(properties: dict, commune_codes: list[str], qpv_code: str) -> str:
    explicit = first_text(properties, DEPARTEMENT_KEYS).upper()
    if explicit:
        return explicit.zfill(2) if explicit.isdigit() else explicit
    if commune_codes:
        first = commune_codes[0]
        return first[:3] if first.startswith("97") else first[:2]
    # QP011002, QN01104I: the three characters after the prefix, "011" for the Aude.
    padded = qpv_code[2:5]
    return padded[1:] if padded.startswith("0") else padded


def refuse_duplicate_codes(parsed: list[ParsedQpv]) -> None:
    seen = set()
    for position, qpv in enumerate(parsed, start=1):
        if qpv.code in seen:
            raise QpvFileError(
                f"Entité n° {position} ({qpv.code}) : code en double dans le fichier."
            )
        seen.add(qpv.code)


# Writing -----------------------------------------------------------------------------------


def write_generation(
    parsed: list[ParsedQpv], generation: Generation, source: str, digest: str
) -> QpvImportReport:
    codes = {qpv.code for qpv in parsed}
    with transaction.atomic():
        existing = set(Qpv.objects.filter(generation=generation).values_list("code", flat=True))
        gone = existing - codes
        if gone:
            Qpv.objects.filter(generation=generation, code__in=gone).delete()
        upsert_perimeters(parsed, generation)
        unknown_communes = link_communes(parsed, generation)
        ReferenceDataset.objects.update_or_create(
            name=f"qpv-{int(generation)}",
            defaults={"source": source, "checksum": digest, "rows": len(parsed)},
        )
    return QpvImportReport(
        generation=int(generation),
        created=len(codes - existing),
        updated=len(codes & existing),
        removed=len(gone),
        repaired=sum(qpv.repaired for qpv in parsed),
        unknown_communes=unknown_communes,
    )


def upsert_perimeters(parsed: list[ParsedQpv], generation: Generation) -> None:
    rows = [as_model(qpv, generation) for qpv in parsed]
    Qpv.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "generation",
            "departement_code",
            "geometry",
            "min_longitude",
            "min_latitude",
            "max_longitude",
            "max_latitude",
        ],
    )


def as_model(qpv: ParsedQpv, generation: Generation) -> Qpv:
    min_longitude, min_latitude, max_longitude, max_latitude = qpv.geometry.bounds
    return Qpv(
        code=qpv.code,
        name=qpv.name,
        generation=generation,
        departement_code=qpv.departement_code,
        geometry=shapely.to_wkb(qpv.geometry),
        min_longitude=min_longitude,
        min_latitude=min_latitude,
        max_longitude=max_longitude,
        max_latitude=max_latitude,
    )


def link_communes(parsed: list[ParsedQpv], generation: Generation) -> int:
    """Point each QPV at its communes; return how many commune references matched none."""
    ids = dict(Qpv.objects.filter(generation=generation).values_list("code", "id"))
    communes = CommuneFinder(parsed)
    links, unknown = [], 0
    for qpv in parsed:
        found = communes.resolve(qpv)
        unknown += len(qpv.commune_codes or qpv.commune_names) - len(found)
        links += [(ids[qpv.code], code) for code in found]
    through = Qpv.communes.through
    through.objects.filter(qpv__generation=generation).delete()
    through.objects.bulk_create(
        [through(qpv_id=qpv_id, commune_id=code) for qpv_id, code in links], batch_size=2000
    )
    return unknown


class CommuneFinder:
    """Commune rows named by code (2024 and Hackaviz files) or by name (official 2015 file)."""

    def __init__(self, parsed: list[ParsedQpv]):
        codes = {code for qpv in parsed for code in qpv.commune_codes}
        self.known_codes = set(
            Commune.objects.filter(code__in=codes).values_list("code", flat=True)
        )
        departements = {qpv.departement_code for qpv in parsed if qpv.commune_names}
        self.by_name = {
            (departement, fold(name)): code
            for code, name, departement in Commune.objects.filter(
                departement_id__in=departements
            ).values_list("code", "name", "departement_id")
        }

    def resolve(self, qpv: ParsedQpv) -> list[str]:
        if qpv.commune_codes:
            return [code for code in qpv.commune_codes if code in self.known_codes]
        found = (self.by_name.get((qpv.departement_code, fold(name))) for name in qpv.commune_names)
        return list(dict.fromkeys(code for code in found if code))


def forget_cached_index(generation: Generation) -> None:
    from amorce.territories import qpv

    qpv.invalidate(generation)
