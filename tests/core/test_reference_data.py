import json

import pytest

from amorce.activities.models import NafCode
from amorce.core.models import ReferenceDataset
from amorce.core.reference import load_once
from amorce.people import criteria
from amorce.people.models import Criterion
from amorce.territories.models import Commune, Epci, Qpv


@pytest.mark.django_db
class TestShippedReferenceData:
    def test_migrate_alone_loads_the_map_of_france(self):
        assert Commune.objects.count() == 34969
        assert Epci.objects.get(siren="200035715").communes.count() == 83
        carcassonne = Commune.objects.get(code="11069")
        assert carcassonne.name == "Carcassonne" and carcassonne.postcode_list == ["11000"]
        assert Qpv.objects.filter(generation=2024).count() == 1584
        assert Qpv.objects.filter(generation=2015).count() == 105

    def test_migrate_alone_loads_naf_codes(self):
        assert NafCode.objects.count() == 732
        assert NafCode.objects.get(code="96.02A").label == "Coiffure"
        assert NafCode.objects.filter(search_text__contains="coiffure").exists()

    def test_criteria_are_data_with_a_sensitive_flag(self):
        assert set(Criterion.objects.filter(sensitive=True).values_list("code", flat=True)) == {
            "aah",
            "rqth",
        }
        assert Criterion.objects.get(code="deld").derived

    def test_a_criterion_is_added_without_code(self, tmp_path, monkeypatch):
        entries = json.loads(criteria.CRITERIA_FILE.read_text(encoding="utf-8"))
        entries.append({"code": "ase", "label": "Sortant de l'ASE", "sensitive": False})
        path = tmp_path / "criteria.json"
        path.write_text(json.dumps(entries), encoding="utf-8")
        monkeypatch.setattr(criteria, "CRITERIA_FILE", path)
        criteria.load_criteria()
        assert Criterion.objects.get(code="ase").label == "Sortant de l'ASE"

    def test_a_retired_criterion_is_kept_inactive(self, tmp_path, monkeypatch):
        entries = [e for e in json.loads(criteria.CRITERIA_FILE.read_text()) if e["code"] != "ass"]
        path = tmp_path / "criteria.json"
        path.write_text(json.dumps(entries), encoding="utf-8")
        monkeypatch.setattr(criteria, "CRITERIA_FILE", path)
        criteria.load_criteria()
        assert not Criterion.objects.get(code="ass").is_active

    def test_loading_twice_does_nothing_the_second_time(self, tmp_path):
        calls = []
        path = tmp_path / "data.csv"
        path.write_text("a\n1\n")
        assert load_once("sample", path, lambda p: calls.append(p) or 1)
        assert not load_once("sample", path, lambda p: calls.append(p) or 1)
        assert len(calls) == 1
        path.write_text("a\n2\n")
        assert load_once("sample", path, lambda p: calls.append(p) or 1)
        assert ReferenceDataset.objects.get(name="sample").rows == 1
