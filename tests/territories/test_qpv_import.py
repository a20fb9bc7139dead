"""Importing official QPV files: all or nothing, repaired geometries, bulk writes."""

import gzip
import hashlib
import json
import zipfile

import pytest
import shapely

from amorce.core.models import ReferenceDataset
from amorce.territories import qpv
from amorce.territories.models import Qpv
from amorce.territories.qpv_import import QpvFileError, import_qpv_file
from amorce.territories.reference import SHIPPED_QPV

BASTIDE = (43.2130, 2.3530)


def square(longitude: float, latitude: float, size: float = 0.01) -> dict:
    box = shapely.box(longitude, latitude, longitude + size, latitude + size)
    return shapely.geometry.mapping(shapely.MultiPolygon([box]))


def feature(code, name="Quartier test", communes="11069", geometry=None, **properties):
    return {
        "type": "Feature",
        "properties": {"code_qp": code, "lib_qp": name, "insee_com": communes, **properties},
        "geometry": geometry or square(2.0, 43.0),
    }


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def write(path, content) -> str:
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return str(path)


def snapshot() -> dict:
    """What a refused import must leave as it was."""
    return {
        "count": Qpv.objects.filter(generation=2024).count(),
        "bastide": bytes(Qpv.objects.get(code="QN01104I").geometry),
        "dataset": ReferenceDataset.objects.filter(name="qpv-2024").values().get(),
    }


@pytest.mark.django_db
class TestRefusedFiles:
    BOW_TIE_POINT = {"type": "Point", "coordinates": [2.0, 43.0]}

    @pytest.mark.parametrize(
        "content, message",
        [
            ("{not json", r"n'est pas un JSON valide \(ligne 1, colonne 2"),
            ([1, 2], "n'est pas une FeatureCollection"),
            ({"type": "Feature", "properties": {}}, "n'est pas une FeatureCollection"),
            (collection(), "ne contient aucune entité"),
            (
                collection(feature("QN99901N"), feature("QN99902N", geometry=BOW_TIE_POINT)),
                r"Entité n° 2 \(QN99902N\) : géométrie de type Point, Polygon ou MultiPolygon",
            ),
            (
                collection(feature("QN99901N"), feature("QP011004")),
                r"Entité n° 2 \(QP011004\) : ce code n'est pas de la génération QPV 2024 "
                r"\(les codes QPV 2024 commencent par QN\)",
            ),
            (
                collection(feature("QN99901N"), feature("QN99902N"), feature("QN99901N")),
                r"Entité n° 3 \(QN99901N\) : code en double dans le fichier",
            ),
            (
                collection(feature("QN99901N", name="")),
                r"Entité n° 1 \(QN99901N\) : nom du quartier absent",
            ),
            (
                collection({"type": "Feature", "properties": {"lib_qp": "X"}, "geometry": None}),
                r"Entité n° 1 \(sans code\) : code du quartier absent",
            ),
        ],
        ids=[
            "not-json",
            "a-list",
            "a-single-feature",
            "no-features",
            "point-geometry",
            "code-of-2015",
            "duplicate-code",
            "no-name",
            "no-code",
        ],
    )
    def test_a_malformed_file_is_refused_and_changes_nothing(self, tmp_path, content, message):
        before = snapshot()
        with pytest.raises(QpvFileError, match=message):
            import_qpv_file(write(tmp_path / "qpv.geojson", content), 2024)
        assert snapshot() == before

    def test_a_2024_code_in_a_2015_file_is_refused(self, tmp_path):
        path = write(tmp_path / "qp.geojson", collection(feature("QN99901N")))
        with pytest.raises(QpvFileError, match="les codes QPV 2015 commencent par QP"):
            import_qpv_file(path, 2015)
        assert Qpv.objects.filter(generation=2015).count() == 105

    def test_a_missing_file_is_refused(self, tmp_path):
        with pytest.raises(QpvFileError, match="Fichier introuvable"):
            import_qpv_file(tmp_path / "absent.geojson", 2024)

    def test_a_zip_without_geojson_is_refused(self, tmp_path):
        path = tmp_path / "qpv.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("LISEZMOI.txt", "rien")
        with pytest.raises(QpvFileError, match="un seul fichier .geojson ; elle en contient 0"):
            import_qpv_file(path, 2024)


@pytest.mark.django_db
class TestImport:
    def test_a_self_intersecting_ring_is_repaired_and_imported(self, tmp_path):
        # A bow tie: two triangles touching at (2.005, 43.005), ring crossing itself there.
        bow_tie = {
            "type": "Polygon",
            "coordinates": [[[2.0, 43.0], [2.01, 43.01], [2.01, 43.0], [2.0, 43.01], [2.0, 43.0]]],
        }
        path = write(tmp_path / "qpv.geojson", collection(feature("QN99901N", geometry=bow_tie)))
        report = import_qpv_file(path, 2024)
        assert (report.created, report.repaired) == (1, 1)
        stored = shapely.from_wkb(bytes(Qpv.objects.get(code="QN99901N").geometry))
        assert stored.is_valid and stored.area == pytest.approx(0.01 * 0.01 / 2)
        # The import drops the cached index: the next lookup sees the new perimeter.
        assert qpv.find_qpv(43.005, 2.0075, generation=2024).code == "QN99901N"
        assert qpv.find_qpv(43.0075, 2.005, generation=2024) is None

    def test_a_zip_holding_the_geojson_imports(self, tmp_path):
        path = tmp_path / "QP2024_France_Hexagonale_Outre_Mer_WGS84.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("LISEZMOI.txt", "Source : ANCT")
            archive.writestr(
                "QP2024/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson",
                json.dumps(collection(feature("QN99901N"), feature("QN99902N"))),
            )
        report = import_qpv_file(path, 2024)
        assert (report.created, report.removed) == (2, 1584)
        assert set(Qpv.objects.filter(generation=2024).values_list("code", flat=True)) == {
            "QN99901N",
            "QN99902N",
        }

    def test_a_gzipped_geojson_imports(self, tmp_path):
        path = tmp_path / "qpv.geojson.gz"
        path.write_bytes(gzip.compress(json.dumps(collection(feature("QN99901N"))).encode()))
        assert import_qpv_file(path, 2024).created == 1

    def test_reimporting_creates_updates_and_removes(self, tmp_path):
        first = collection(
            feature("QN99901N"), feature("QN99902N", "Ancien nom"), feature("QN99903N")
        )
        report = import_qpv_file(write(tmp_path / "v1.geojson", first), 2024)
        assert (report.created, report.updated, report.removed) == (3, 0, 1584)
        ids = dict(Qpv.objects.values_list("code", "id"))

        second = collection(
            feature("QN99902N", "Nouveau nom", geometry=square(3.0, 44.0)),
            feature("QN99903N"),
            feature("QN99904N"),
        )
        report = import_qpv_file(write(tmp_path / "v2.geojson", second), 2024)
        assert (report.created, report.updated, report.removed) == (1, 2, 1)
        renamed = Qpv.objects.get(code="QN99902N")
        assert renamed.id == ids["QN99902N"] and renamed.name == "Nouveau nom"
        assert (renamed.min_longitude, renamed.min_latitude) == (3.0, 44.0)
        assert not Qpv.objects.filter(code="QN99901N").exists()
        assert Qpv.objects.filter(generation=2015).count() == 105  # the other generation stays

    def test_communes_are_linked_and_unknown_ones_counted(self, tmp_path):
        content = collection(
            feature("QN99901N", communes="11069, 11001"),
            feature("QN99902N", communes="11069; 99999", insee_dep="11"),
            feature("QN99903N", communes="97411,97415", insee_dep="974"),
        )
        report = import_qpv_file(write(tmp_path / "qpv.geojson", content), 2024)
        assert report.unknown_communes == 1
        imported = Qpv.objects.filter(generation=2024)
        linked = {q.code: {c.code for c in q.communes.all()} for q in imported}
        assert linked["QN99901N"] == {"11069", "11001"}
        assert linked["QN99902N"] == {"11069"}
        assert linked["QN99903N"] == {"97411", "97415"}
        departements = dict(imported.values_list("code", "departement_code"))
        assert departements == {"QN99901N": "11", "QN99902N": "11", "QN99903N": "974"}

    def test_a_2015_file_with_upper_case_keys_and_commune_names(self, tmp_path):
        properties = {"CODE_QP": "QP011099", "NOM_QP": "Test", "COMMUNE_QP": "Carcassonne"}
        content = collection(
            {"type": "Feature", "properties": properties, "geometry": square(2, 43)}
        )
        report = import_qpv_file(write(tmp_path / "qp.geojson", content), 2015)
        assert (report.created, report.removed, report.unknown_communes) == (1, 105, 0)
        imported = Qpv.objects.get(code="QP011099")
        assert imported.departement_code == "11" and imported.generation == 2015
        assert list(imported.communes.values_list("code", flat=True)) == ["11069"]

    def test_the_import_is_recorded_for_caches(self, tmp_path):
        before = ReferenceDataset.objects.get(name="qpv-2024")
        path = tmp_path / "qpv.geojson"
        write(path, collection(feature("QN99901N"), feature("QN99902N")))
        import_qpv_file(path, 2024)
        after = ReferenceDataset.objects.get(name="qpv-2024")
        assert (after.source, after.rows) == ("qpv.geojson", 2)
        assert after.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
        assert after.loaded_at > before.loaded_at

    def test_the_shipped_file_reloads_in_a_few_bulk_queries(self, django_assert_max_num_queries):
        with django_assert_max_num_queries(40):
            report = import_qpv_file(SHIPPED_QPV[2024], 2024)
        assert (report.created, report.updated, report.removed) == (0, 1584, 0)
        assert report.summary() == (
            "QPV 2024 : 1\u202f584 périmètres importés (0 créé, 1\u202f584 mis à jour, "
            "0 supprimé) ; 0 géométrie réparée ; 3 communes inconnues."
        )

    def test_the_shipped_2015_file_has_its_self_intersections_repaired(self):
        report = import_qpv_file(SHIPPED_QPV[2015], 2015)
        assert (report.updated, report.repaired) == (105, 32)
        geometries = shapely.from_wkb(
            [
                bytes(g)
                for g in Qpv.objects.filter(generation=2015).values_list("geometry", flat=True)
            ]
        )
        assert shapely.is_valid(geometries).all()
