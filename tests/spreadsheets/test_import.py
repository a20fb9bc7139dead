"""The converted workbook goes through the exchange import unchanged: a clean sheet has no
refusal in the dry run, the import writes it, the bilan counts it; a saved mapping
brings next month's file the same way and updates rather than duplicates."""

from datetime import date

import pytest

from amorce.exchange import files, importer
from amorce.people.models import Journey, Person
from amorce.reports.compute import compute_report
from amorce.spreadsheets import actions, steps
from amorce.spreadsheets.models import SpreadsheetMapping, SpreadsheetUpload
from tests.spreadsheets.sheets import ROWS, workbook
from tests.spreadsheets.test_engine import SPEC


def converted(site, user, data, mapping=None, spec=SPEC):
    upload = actions.start_upload(site, user, "suivi.xlsx", data, mapping)
    if mapping is None:
        upload.spec = spec
        upload.save()
    return upload, actions.conversion(upload)


def test_a_clean_sheet_dry_runs_without_refusal_then_imports_and_counts(site, leader):
    _upload, result = converted(site, leader, workbook())
    data = files.write_workbook(result.sheets, "xlsx")

    outcome, _plan = importer.examine(site, data, "suivi (converti).xlsx")
    assert outcome.refused == 0, [str(p) for p in outcome.problems]
    assert outcome.tallies["personnes"].created == 4

    outcome = importer.run(site, data, "suivi (converti).xlsx", user=leader)
    assert outcome.written
    persons = Person.objects.filter(site=site)
    assert sorted(persons.values_list("last_name", "postcode")) == [
        ("BENALI", "11000"), ("DIALLO", "11100"), ("LEFEBVRE", "11100"), ("MARTIN", "01100")
    ]  # fmt: skip
    diallo = persons.get(last_name="DIALLO")
    journey = Journey.objects.get(person=diallo)
    steps_of = [t.step for t in journey.transitions.order_by("on", "pk")]
    assert steps_of == ["detected", "welcomed", "oriented", "created"]
    assert journey.closed_on == date(2024, 6, 7)
    indicators = compute_report([site], date(2024, 1, 1), date(2024, 12, 31))["indicators"]
    assert indicators["detected"]["value"] == 4
    assert indicators["welcomed"]["value"] == 4  # each first meeting welcomes
    assert indicators["companies_created"]["value"] == 1


def test_a_saved_mapping_brings_next_months_file_and_flags_new_values(site, leader):
    upload, _result = converted(site, leader, workbook())
    mapping = actions.save_mapping(site, leader, "Suivi mensuel", upload.spec, upload)
    assert SpreadsheetMapping.objects.get(site=site).name == "Suivi mensuel"
    importer.run(site, files.write_workbook(actions.conversion(upload).sheets), user=leader)

    # Next month: the same people, a new one with a civility never seen before.
    rows = [*ROWS, ["ROUX Théo", "Mr", None, 11100, "03/06/2024"]]
    second = actions.start_upload(site, leader, "suivi-juin.xlsx", workbook(rows), mapping)
    assert second.spec["columns"] == SPEC["columns"] and second.spec["header_row"] == 3
    fields = {f.key: f for f in steps.coded_fields(actions.read_upload(second), second.spec, site)}
    assert [v.value for v in fields["personnes.sexe"].values if v.new] == ["Mr"]

    result = actions.conversion(second)
    assert dict(result.uncovered["personnes.sexe"]) == {"Mr": [("2024", 9)]}
    outcome = importer.run(site, files.write_workbook(result.sheets), user=leader)
    assert outcome.written
    assert outcome.tallies["personnes"].created == 1  # ROUX only: the others updated
    assert Person.objects.filter(site=site).count() == 5
    assert Person.objects.get(last_name="ROUX").sex == ""  # « Mr » not covered: unknown


def test_convert_upload_hands_over_to_the_exchange_dry_run(site, leader, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    upload, _result = converted(site, leader, workbook())
    workbook_import = actions.convert_upload(upload, leader)

    assert workbook_import.site == site and upload.workbook == workbook_import
    assert workbook_import.filename == "suivi (converti).xlsx"
    assert upload.report["persons"] == 4 and upload.report["totals"]
    assert set(files.read_workbook(bytes(workbook_import.data))) >= {"personnes", "parcours"}


def test_mappings_are_named_once_per_site(site, leader):
    first = actions.save_mapping(site, leader, "  Suivi  2024 ", {"header_row": 3})
    assert first.name == "Suivi 2024"
    again = actions.save_mapping(site, leader, "Suivi 2024", {"header_row": 4})
    assert again.pk == first.pk and again.spec == {"header_row": 4}
    other = actions.save_mapping(site, leader, "Autre", {})
    with pytest.raises(Exception, match="déjà"):
        actions.rename_mapping(other, "Suivi 2024")
    actions.delete_mapping(other)
    assert list(SpreadsheetMapping.objects.values_list("name", flat=True)) == ["Suivi 2024"]


def test_converting_twice_gives_the_same_workbook(site, leader):
    upload, _result = converted(site, leader, workbook())
    first = actions.convert_upload(upload, leader)
    again = actions.convert_upload(SpreadsheetUpload.objects.get(pk=upload.pk), leader)
    assert again.pk == first.pk
