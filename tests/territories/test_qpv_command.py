"""`amorce qpv` and `amorce import-qpv` as an operator types them."""

import io
import json

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.db import connections

from amorce.territories.models import Qpv


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestQpvCommand:
    def test_a_point_in_a_qpv(self):
        assert run("qpv", "43.2130", "2.3530") == "QN01104I Bastide Pont-Vieux (QPV 2024)\n"

    def test_a_point_outside_every_qpv(self):
        assert run("qpv", "43.2065", "2.3640") == "hors QPV (QPV 2024)\n"

    def test_a_decimal_comma_is_accepted(self):
        assert run("qpv", "43,2130", "2,3530").startswith("QN01104I ")

    def test_the_generation_can_be_chosen(self):
        output = run("qpv", "43.2130", "2.3530", "--generation", "2015")
        assert output == "QP011004 Bastide Pont-Vieux (QPV 2015)\n"

    def test_the_date_chooses_the_generation(self):
        output = run("qpv", "43.2130", "2.3530", "--date", "2023-12-31")
        assert output == "QP011004 Bastide Pont-Vieux (QPV 2015)\n"

    def test_near_a_boundary_the_answer_is_to_verify(self):
        # La Conte's centroid falls 8 m from its own boundary (a notch in the perimeter).
        assert run("qpv", "43.2131", "2.3721") == (
            "QN01102I La Conte - Ozanam (QPV 2024) — à vérifier : à 8 m d'une limite\n"
        )

    def test_a_negative_longitude_is_a_number_not_an_option(self):
        assert run("qpv", "49.1590", "-0.3410") == "QN01403M Guérinière (QPV 2024)\n"

    @pytest.mark.parametrize(
        "args, message",
        [
            (["abc", "2.35"], "latitude illisible : « abc »"),
            (["95", "2.35"], "latitude hors limites : 95"),
            (["43.2", "200"], "longitude hors limites : 200"),
            (["43.2", "nan"], "longitude hors limites : nan"),
            (["43.2", "2.35", "--date", "31/12/2023"], "date illisible : « 31/12/2023 »"),
        ],
    )
    def test_bad_input_is_explained_in_french(self, args, message):
        with pytest.raises(CommandError, match=message):
            run("qpv", *args)


@pytest.mark.django_db
class TestImportQpvCommand:
    def test_a_valid_file_prints_the_summary(self, tmp_path):
        path = tmp_path / "qpv.geojson"
        path.write_text(json.dumps(feature_collection("QN99901N")))
        output = run("import-qpv", str(path), "--generation", "2024")
        assert output.startswith("QPV 2024 : 1 périmètre importé (1 créé, 0 mis à jour, 1")
        assert Qpv.objects.filter(generation=2024).count() == 1

    def test_a_refused_file_is_a_command_error_and_changes_nothing(self, tmp_path):
        path = tmp_path / "qpv.geojson"
        path.write_text(json.dumps(feature_collection("QP011004")))
        with pytest.raises(CommandError, match=r"Import refusé, aucun périmètre modifié\. "):
            run("import-qpv", str(path), "--generation", "2024")
        assert Qpv.objects.filter(generation=2024).count() == 1584

    def test_a_missing_file_exits_with_an_error_code(self, tmp_path, monkeypatch, capsys):
        # run_from_argv closes connections when done: keep the test transaction open.
        monkeypatch.setattr(connections, "close_all", lambda: None)
        command = load_command_class("amorce.territories", "import-qpv")
        argv = ["amorce", "import-qpv", str(tmp_path / "absent.zip"), "--generation", "2024"]
        with pytest.raises(SystemExit) as exit_info:
            command.run_from_argv(argv)
        assert exit_info.value.code != 0
        assert "Fichier introuvable" in capsys.readouterr().err
        assert Qpv.objects.filter(generation=2024).count() == 1584


def feature_collection(code: str) -> dict:
    square = [[[2.0, 43.0], [2.01, 43.0], [2.01, 43.01], [2.0, 43.01], [2.0, 43.0]]]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code_qp": code, "lib_qp": "Test", "insee_com": "11069"},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
        ],
    }
