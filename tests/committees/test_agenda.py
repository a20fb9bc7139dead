import subprocess

import pytest

from amorce.committees import agenda, planning
from amorce.people import actions as people_actions
from amorce.people.models import Criterion
from tests.committees.conftest import TODAY


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


@pytest.fixture
def noted_porteur(porteur, leader):
    people_actions.record_meeting(
        porteur, author=leader, on=TODAY(), notes="Séparation difficile, dettes importantes"
    )
    people_actions.set_criteria(
        porteur, Criterion.objects.filter(code__in=["rqth", "rsa"]), sensitive_agreed=True
    )
    porteur.idea = "Épicerie solidaire"
    porteur.phone = "0611223344"
    porteur.save()
    return porteur


def test_the_agenda_shows_first_name_initial_stage_and_question(committee, noted_porteur):
    planning.add_case(committee, noted_porteur, "Quel financement pour démarrer ?")
    text = pdf_text(agenda.render_agenda(committee))
    assert "Samira B." in text
    assert "En amorçage" in text
    assert "Quel financement pour démarrer ?" in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Mission Locale" in text


def test_the_agenda_never_shows_notes_nor_sensitive_criteria(committee, noted_porteur):
    planning.add_case(committee, noted_porteur, "Quel financement pour démarrer ?")
    text = pdf_text(agenda.render_agenda(committee))
    for secret in ("Benali", "Séparation difficile", "dettes", "RQTH", "RSA", "handicap",
                   "Épicerie", "0611223344"):  # fmt: skip
        assert secret not in text
