from datetime import date

import pytest

from amorce.people.journey import Step
from amorce.people.listing import rows_html
from amorce.people.models import Person


def row(**fields) -> str:
    person = Person(pk=7, first_name="Inès", last_name="Ben <Ali>", **fields)
    return rows_html([person], date(2026, 11, 24))


def test_a_row_links_the_file_and_escapes_the_name():
    html = row()
    assert '<a href="/personnes/7/">BEN &lt;ALI&gt; Inès</a>' in html


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"qpv_code": "QN01101M", "qpv_name": "Ozanam", "qpv_generation": 2024},
         '<span class="badge badge--qpv" title="QPV 2024">QN01101M Ozanam</span>'),
        ({"qpv_generation": 2024}, '<span class="muted">Hors QPV</span>'),
        ({}, '<span class="muted">Non contrôlé</span>'),
        ({"qpv_to_verify": True}, '<span class="badge badge--warn">À vérifier</span>'),
    ],
)  # fmt: skip
def test_a_row_says_where_the_person_lives(fields, shown):
    assert shown in row(**fields)


def test_a_row_gives_age_step_and_last_contact():
    html = row(
        birth_date=date(1990, 11, 25),
        current_step=Step.WELCOMED,
        journey_open=False,
        last_contact_on=date(2026, 3, 4),
    )
    assert '<td class="num">35 ans</td>' in html
    assert f'{Step.WELCOMED.label} <span class="muted">(clos)</span>' in html
    assert '<td class="date">04/03/2026</td>' in html


def test_a_row_without_facts_shows_dashes():
    html = row()
    assert html.count('<span class="muted">—</span>') == 2  # age, commune
    assert "<td>—</td>" in html  # step
    assert '<span class="muted">Aucun</span>' in html
