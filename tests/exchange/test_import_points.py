"""An import with coordinates checks every person's point against the QPV perimeters in
one vectorised query (`territories.qpv.check_points`), with the answers `check_point`
gives one by one: on the generation in force on her first day."""

from datetime import date

import pytest

from amorce.exchange import importer
from amorce.people import geocoding, qpv_at_intake
from amorce.people.models import Person
from amorce.territories import qpv
from amorce.territories.qpv import check_point
from tests.exchange.workbooks import workbook

BASTIDE = (43.2130, 2.3530)  # inside QN01104I (2024) and QP011004 (2015)
CITE = (43.2065, 2.3640)  # outside every QPV


def person(key: str, point, first_day: str) -> tuple[dict, dict]:
    row = {"id": key, "nom": "Durand", "prenom": key, "code_insee": "11069"}
    if point is not None:
        row |= {"latitude": point[0], "longitude": point[1]}
    return row, {"personne": key, "date": first_day, "etape": "detected"}


def sheets(*persons) -> dict:
    return {
        "personnes": [row for row, _ in persons],
        "parcours": [transition for _, transition in persons],
        "entretiens": [
            {"personne": row["id"], "date": transition["date"], "duree_minutes": 30}
            for row, transition in persons
        ],
    }


@pytest.fixture
def bulk_only(monkeypatch):
    """Every point answered by the one bulk call: a look-up one by one fails the test."""
    calls = []

    def one_by_one(*args, **kwargs):
        raise AssertionError("a point checked one by one")

    def spy(points, **kwargs):
        calls.append(len(points))
        return qpv.check_points(points, **kwargs)

    monkeypatch.setattr(geocoding, "check_point", one_by_one)
    monkeypatch.setattr(qpv_at_intake, "check_point", one_by_one)
    monkeypatch.setattr(qpv_at_intake, "check_points", spy)
    return calls


def test_the_points_are_checked_in_one_bulk_call_on_each_first_day(site, bulk_only):
    data = workbook(
        sheets(
            person("P1", BASTIDE, "2023-05-02"),  # 2015 perimeters then
            person("P2", BASTIDE, "2024-05-02"),  # 2024 perimeters
            person("P3", CITE, "2024-05-02"),
            person("P4", None, "2024-05-02"),
        )
    )
    outcome = importer.run(site, data, "classeur.xlsx")

    assert outcome.written and not outcome.problems
    assert bulk_only == [3]
    expected = {
        "P1": check_point(*BASTIDE, on=date(2023, 5, 2)),
        "P2": check_point(*BASTIDE, on=date(2024, 5, 2)),
        "P3": check_point(*CITE, on=date(2024, 5, 2)),
    }
    assert expected["P1"].match.code == "QP011004" and expected["P2"].match.code == "QN01104I"
    for key, check in expected.items():
        stored = Person.objects.get(site=site, external_id=key)
        assert (stored.qpv_code, stored.qpv_generation, stored.qpv_to_verify) == (
            check.match.code if check.match else "",
            check.generation,
            check.to_verify,
        )
        assert stored.qpv_source == Person.QpvSource.COORDINATES
        situation = stored.journeys.get().initial_situation
        assert situation.in_qpv is check.in_qpv
    assert Person.objects.get(site=site, external_id="P4").qpv_generation is None


def test_impossible_coordinates_are_still_refused_on_their_row(site, bulk_only):
    data = workbook(
        sheets(person("P1", BASTIDE, "2024-05-02"), person("P2", (91.0, 2.0), "2024-05-02"))
    )
    outcome = importer.run(site, data, "classeur.xlsx", valid_only=True)

    assert {(p.row, p.column) for p in outcome.problems} == {(3, "latitude")}
    assert Person.objects.get(site=site, external_id="P1").qpv_code == "QN01104I"
    assert bulk_only == [1]
