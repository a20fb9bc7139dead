import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from amorce.audit.models import AuditEntry


def run_report(*args, tmp_path):
    output = tmp_path / "bilan"
    call_command("report", *args, "--output", str(output), stdout=StringIO())
    return output.read_bytes()


@pytest.mark.django_db
class TestReportCommand:
    def test_json_of_two_sites_matches_the_spec_shape(self, site, other_site, tmp_path):
        report = json.loads(
            run_report(
                "--site",
                "carcassonne",
                "--site",
                "narbonne",
                "--start",
                "2024-01-01",
                "--end",
                "2024-12-31",
                "--format",
                "json",
                tmp_path=tmp_path,
            )
        )
        assert report["scope"] == {"sites": ["carcassonne", "narbonne"]}
        assert report["period"] == {"start": "2024-01-01", "end": "2024-12-31"}
        assert report["masked"] is False
        assert report["indicators"]["met_individually"] == {"value": 0}
        assert AuditEntry.objects.get().action == AuditEntry.Action.DOWNLOAD

    def test_all_sites_masked(self, site, other_site, tmp_path):
        report = json.loads(
            run_report(
                "--all",
                "--start",
                "2024-01-01",
                "--end",
                "2024-12-31",
                "--masked",
                tmp_path=tmp_path,
            )
        )
        assert report["scope"]["sites"] == ["carcassonne", "narbonne"]
        assert report["masked"] is True

    @pytest.mark.parametrize(("fmt", "start"), [("pdf", b"%PDF"), ("xlsx", b"PK")])
    def test_files(self, site, tmp_path, fmt, start):
        body = run_report(
            "--site",
            "carcassonne",
            "--start",
            "2024-01-01",
            "--end",
            "2024-12-31",
            "--format",
            fmt,
            tmp_path=tmp_path,
        )
        assert body.startswith(start)

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--site", "nulle-part"], "Site inconnu : nulle-part."),
            ([], "Indiquez --site"),
            (["--site", "carcassonne", "--end", "2023-01-01"], "précède son début"),
        ],
    )
    def test_bad_arguments_say_why_in_french(self, site, args, message):
        base = {"--start": "2024-01-01", "--end": "2024-12-31"}
        if "--end" in args:
            base.pop("--end")
        flat = [item for pair in base.items() for item in pair]
        with pytest.raises(CommandError, match=message):
            call_command("report", *args, *flat, stdout=StringIO())
