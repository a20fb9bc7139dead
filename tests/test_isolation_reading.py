"""The isolation walk's eyes: a name is found however a page writes it, and a small
count is told from a count of events."""

import io
import json
import zipfile

from openpyxl import Workbook

from tests.isolation import leaks, small_counts, text_of

TOKENS = [("name", "Zéphyrine"), ("name", "Quartzbleu"), ("contact", "0791827364")]


def test_a_name_is_found_whatever_its_case_accents_or_escaping():
    assert leaks("<td>QUARTZBLEU Zephyrine</td>", TOKENS) == [
        "name « Zéphyrine »",
        "name « Quartzbleu »",
    ]
    page = text_of(b"<p>Z&eacute;phyrine</p>", "text/html")
    assert leaks(page, TOKENS) == ["name « Zéphyrine »"]


def test_a_phone_is_found_however_it_is_spaced():
    for written in ("07 91 82 73 64", "07.91.82.73.64", "07\u202f91\u202f82\u202f73\u202f64"):
        assert leaks(f"Tél. : {written}", TOKENS) == ["contact « 0791827364 »"]


def test_json_is_read_unescaped():
    body = json.dumps({"person": "Zéphyrine"}).encode()  # "Z\\u00e9phyrine"
    assert leaks(text_of(body, "application/json"), TOKENS) == ["name « Zéphyrine »"]


def test_a_workbook_and_a_zip_are_read_inside():
    workbook = Workbook()
    workbook.active.append(["Quartzbleu"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = buffer.getvalue()
    assert "Quartzbleu" in text_of(
        xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("personnes.csv", "nom\nQuartzbleu\n")
        zipped.writestr("classeur.xlsx", xlsx)
    text = text_of(archive.getvalue(), "application/zip")
    assert text.count("Quartzbleu") == 2


def test_small_counts_of_people_only():
    figure = '<li><span class="figure__value">{}</span><span class="figure__label">{}</span></li>'
    page = (
        figure.format(3, "résidents en QPV")
        + figure.format(2, "communes au territoire")
        + figure.format("&lt; 5", "personnes")
        + "<table><thead><tr><th>Site</th><th>Actions</th><th>Personnes</th></tr></thead>"
        + "<tbody><tr><td>Alpha</td><td>4</td><td>12</td></tr>"
        + "<tr><td>Bravo</td><td>1</td><td>2</td></tr></tbody></table>"
    )
    assert small_counts(page) == [
        "« 3 » résidents en QPV",
        "« 2 » in column Personnes",
    ]
