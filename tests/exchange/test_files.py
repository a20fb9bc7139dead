"""The exchange workbook as a file: XLSX or a ZIP of CSV, read raw, written from values,
refused whole with every structural problem named in French."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from amorce.exchange.columns import SHEETS, column_names
from amorce.exchange.files import read_workbook, write_workbook
from amorce.exchange.problems import Problem, WorkbookError

PERSON = {
    "id": "P-001",
    "nom": "Martin",
    "prenom": "Hélène",
    "date_naissance": date(1984, 3, 7),
    "telephone": "0612345678",
    "code_postal": "01100",
    "code_insee": "01053",
    "latitude": 43.21,
    "inscrit_france_travail": True,
    "rqth": False,
    "duree_chomage_mois": 14,
    "minima": ["rsa", "aah"],
    "consentement_sensible": None,
}
REFERRAL = {
    "personne": "P-001",
    "date": date(2024, 2, 1),
    "partenaire": "ADIE Aude",
    "objet": "financement",
    "montant": Decimal("1500.50"),
}


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def zip_of(files: dict[str, bytes | str]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return output.getvalue()


def refusal(data: bytes, filename: str = "") -> list[Problem]:
    with pytest.raises(WorkbookError) as error:
        read_workbook(data, filename)
    return error.value.problems


def only_message(data: bytes, filename: str = "") -> str:
    [problem] = refusal(data, filename)
    return problem.message


# Round trips


def test_xlsx_round_trip_gives_back_the_values():
    sheets = read_workbook(write_workbook({"personnes": [PERSON], "orientations": [REFERRAL]}))

    person = sheets["personnes"].rows[0]
    assert person.number == 2
    assert person.values["id"] == "P-001"
    assert person.values["prenom"] == "Hélène"
    assert person.values["date_naissance"] == date(1984, 3, 7)  # a date cell, not text
    assert person.values["code_postal"] == "01100"
    assert person.values["code_insee"] == "01053"
    assert person.values["telephone"] == "0612345678"
    assert person.values["latitude"] == 43.21
    assert person.values["duree_chomage_mois"] == 14
    assert person.values["inscrit_france_travail"] == "oui"
    assert person.values["rqth"] == "non"
    assert person.values["minima"] == "rsa;aah"
    assert person.values["consentement_sensible"] is None
    assert person.values["courriel"] is None
    assert sheets["orientations"].rows[0].values["montant"] == 1500.5


def test_zip_round_trip_gives_back_the_values_as_text():
    sheets = read_workbook(
        write_workbook({"personnes": [PERSON], "orientations": [REFERRAL]}, fmt="zip")
    )

    person = sheets["personnes"].rows[0].values
    assert person["date_naissance"] == "1984-03-07"
    assert person["code_postal"] == "01100"
    assert person["latitude"] == "43.21"
    assert person["duree_chomage_mois"] == "14"
    assert person["inscrit_france_travail"] == "oui"
    assert person["minima"] == "rsa;aah"
    assert person["consentement_sensible"] is None
    assert sheets["orientations"].rows[0].values["montant"] == "1500.50"


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_every_sheet_is_written_in_order_with_its_header_even_empty(fmt):
    sheets = read_workbook(write_workbook({"personnes": [PERSON]}, fmt=fmt))

    assert list(sheets) == list(SHEETS)
    for name, sheet in sheets.items():
        assert sheet.columns == list(column_names(name))
    assert sheets["parcours"].rows == []


def test_zip_holds_utf8_comma_separated_csv_files_without_bom():
    data = write_workbook({"personnes": [PERSON]}, fmt="zip")

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [f"{name}.csv" for name in SHEETS]
        content = archive.read("personnes.csv")
    assert content.startswith(b"id,nom,prenom,")
    assert "\nP-001,Martin,Hélène,,1984-03-07,".encode() in content
    assert b"\r" not in content


def test_xlsx_keeps_digit_codes_as_text_and_shows_dates_the_french_way():
    data = write_workbook({"personnes": [PERSON]})

    worksheet = load_workbook(io.BytesIO(data))["personnes"]
    header = [cell.value for cell in worksheet[1]]
    row = dict(zip(header, worksheet[2], strict=True))
    assert row["code_postal"].data_type == "s"
    assert row["telephone"].data_type == "s"
    assert row["date_naissance"].number_format == "DD/MM/YYYY"
    assert worksheet["A1"].font.bold
    assert worksheet.freeze_panes == "A2"


def test_text_that_looks_like_a_formula_is_written_as_text():
    data = write_workbook({"personnes": [{**PERSON, "nom": "=1+1"}]})

    assert read_workbook(data)["personnes"].rows[0].values["nom"] == "=1+1"


def test_markup_is_escaped_and_characters_xml_cannot_hold_are_dropped():
    """The hand-written XLSX (kept: XlsxWriter's constant-memory mode took 5 times its
    time on a 20 000-person site, issue 20) escapes text and drops control characters,
    which no XML file may hold; openpyxl and calamine both read it."""
    person = {"id": 'P<1> & "2"', "nom": "Dur\x01and\x1f", "adresse": "  <b>]]></b>  "}
    data = write_workbook({"personnes": [person]}, "xlsx")

    row = read_workbook(data)["personnes"].rows[0].values
    assert (row["id"], row["nom"], row["adresse"]) == ('P<1> & "2"', "Durand", "<b>]]></b>")
    sheet = load_workbook(io.BytesIO(data), read_only=True)["personnes"]
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2, max_col=3))] == [
        'P<1> & "2"',
        "Durand",
        None,
    ]


def test_writing_refuses_an_unknown_sheet_column_or_format():
    with pytest.raises(ValueError):
        write_workbook({"people": []})
    with pytest.raises(ValueError):
        write_workbook({"personnes": [{"id": "1", "surname": "X"}]})
    with pytest.raises(ValueError):
        write_workbook({}, fmt="ods")


# Reading CSV archives


def test_semicolon_separated_csv_is_read():
    data = zip_of({"personnes.csv": 'id;prenom;adresse\n1;Ana;"2; rue Haute"\n'})

    row = read_workbook(data)["personnes"].rows[0]
    assert row.values == {"id": "1", "prenom": "Ana", "adresse": "2; rue Haute"}


def test_utf8_bom_and_crlf_line_ends_are_accepted():
    data = zip_of({"personnes.csv": "\ufeffid,prenom\r\n1,Hélène\r\n".encode()})

    assert read_workbook(data)["personnes"].rows[0].values == {"id": "1", "prenom": "Hélène"}


def test_csv_files_in_one_folder_are_read_and_system_files_ignored():
    data = zip_of(
        {
            "export/personnes.csv": "id,prenom\n1,Ana\n",
            "export/.DS_Store": b"\0",
            "__MACOSX/export/._personnes.csv": b"\0",
        }
    )

    assert read_workbook(data)["personnes"].rows[0].values == {"id": "1", "prenom": "Ana"}


def test_quoted_fields_may_hold_commas_and_line_breaks():
    data = zip_of({"entretiens.csv": 'personne,date,objet\n1,2024-01-02,"prêt, puis\nbanque"\n'})

    [row] = read_workbook(data)["entretiens"].rows
    assert row.values["objet"] == "prêt, puis\nbanque"


def test_blank_csv_lines_are_skipped_but_counted():
    data = zip_of({"personnes.csv": "id,prenom\n1,Ana\n\n , \n2,Léo\n"})

    rows = read_workbook(data)["personnes"].rows
    assert [(row.number, row.values["id"]) for row in rows] == [(2, "1"), (5, "2")]


# Reading XLSX


def test_blank_xlsx_rows_are_skipped_but_counted_and_cells_stripped():
    data = xlsx(
        {
            "personnes": [
                [" id ", "prenom", "nom"],
                ["1", "  Ana ", "  "],
                [None, None, None],
                [],
                [2, "Léo", None],
            ]
        }
    )

    rows = read_workbook(data)["personnes"].rows
    assert [(row.number, row.values) for row in rows] == [
        (2, {"id": "1", "prenom": "Ana", "nom": None}),
        (5, {"id": 2, "prenom": "Léo", "nom": None}),
    ]


def test_a_sheet_with_a_header_only_has_no_rows_and_an_empty_sheet_is_ignored():
    data = xlsx({"parcours": [["personne", "date", "etape"]], "Feuil1": []})

    sheets = read_workbook(data)
    assert list(sheets) == ["parcours"]
    assert sheets["parcours"].rows == []


def test_short_rows_get_every_column_of_the_header():
    data = xlsx({"personnes": [["id", "prenom", "nom"], ["1", "Ana"]]})

    assert read_workbook(data)["personnes"].rows[0].values["nom"] is None


# Refusals


def test_a_file_over_the_limit_is_refused(settings):
    settings.EXCHANGE_MAX_BYTES = 2 * 1024 * 1024
    data = b"PK" + b"\0" * (3 * 1024 * 1024)

    message = only_message(data)
    assert "3 Mo" in message
    assert "limite de 2 Mo" in message


@pytest.mark.parametrize(
    ("data", "filename", "hint"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 ...", "bilan.pdf", "un PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "vieux.xls", "format .xlsx"),
        (b"id,prenom\n1,Ana\n", "personnes.csv", "archive .zip"),
        (b"PK\x03\x04 not really a zip", "abime.zip", ""),
        (b"", "vide.xlsx", "vide"),
    ],
)
def test_a_file_that_is_no_workbook_says_what_is_expected(data, filename, hint):
    message = only_message(data, filename)

    assert "un classeur .xlsx ou une archive .zip de fichiers CSV" in message
    assert hint in message


def test_an_archive_that_expands_far_beyond_the_limit_is_refused(settings):
    settings.EXCHANGE_MAX_BYTES = 100_000
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("personnes.csv", "id,prenom\n" + "1,Ana\n" * 1_000_000)

    assert "Une fois décompressé" in only_message(output.getvalue())


def test_a_damaged_xlsx_is_refused():
    data = zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<broken"})

    assert "endommagé" in only_message(data)


def test_an_open_document_spreadsheet_is_refused_with_the_way_out():
    data = zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})

    assert ".ods" in only_message(data)


def test_a_latin1_csv_is_refused_with_its_line_and_the_fix():
    data = zip_of({"personnes.csv": "id,prenom\n1,Ana\n2,Hélène\n".encode("cp1252")})

    [problem] = refusal(data)
    assert (problem.sheet, problem.row) == ("personnes", 3)
    assert "personnes.csv" in problem.message
    assert "UTF-8" in problem.message
    assert "Windows-1252" in problem.message
    assert "enregistrez-le au format CSV UTF-8" in problem.message


def test_an_unknown_sheet_is_named_with_the_expected_ones():
    data = xlsx({"personnes": [["id", "prenom"]], "Feuil1": [["notes"], ["à voir"]]})

    [problem] = refusal(data)
    assert problem.sheet == "Feuil1"
    assert "feuille inconnue" in problem.message
    assert "personnes, parcours, projets" in problem.message


def test_an_unknown_csv_file_gets_the_right_name_suggested():
    data = zip_of({"Personnes.csv": "id,prenom\n1,Ana\n", "notes.txt": "à voir"})

    messages = [problem.message for problem in refusal(data)]
    assert any("Personnes.csv" in m and "« personnes »" in m for m in messages)
    assert any("notes.txt" in m for m in messages)


def test_an_unknown_column_with_an_accent_gets_the_right_name_suggested():
    data = xlsx({"personnes": [["id", "Prénom", "Date naissance"], ["1", "Ana", None]]})

    problems = refusal(data)
    accented = next(p for p in problems if p.column == "Prénom")
    assert (accented.sheet, accented.row) == ("personnes", 1)
    assert "« prenom »" in accented.message
    spaced = next(p for p in problems if p.column == "Date naissance")
    assert "« date_naissance »" in spaced.message


def test_an_unknown_column_lists_the_expected_ones():
    data = xlsx({"parcours": [["personne", "date", "etape", "remarque"]]})

    [problem] = refusal(data)
    assert problem.column == "remarque"
    assert "personne, date, etape, commentaire" in problem.message


def test_a_missing_required_column_is_refused():
    data = zip_of({"parcours.csv": "personne,etape\n1,welcomed\n"})

    [problem] = refusal(data)
    assert (problem.sheet, problem.row, problem.column) == ("parcours", 1, "date")
    assert "obligatoire" in problem.message


def test_a_duplicated_column_is_refused():
    data = xlsx({"personnes": [["id", "prenom", "nom", "prenom"], ["1", "Ana", "B", "C"]]})

    [problem] = refusal(data)
    assert problem.column == "prenom"
    assert "B et D" in problem.message


def test_values_under_an_empty_header_cell_are_refused():
    data = xlsx({"personnes": [["id", None, "prenom"], ["1", None, "Ana"], ["2", "?", "Léo"]]})

    [problem] = refusal(data)
    assert (problem.sheet, problem.row) == ("personnes", 1)
    assert "colonne B" in problem.message
    assert "ligne 3" in problem.message


def test_a_header_below_an_empty_first_line_is_refused():
    data = zip_of({"personnes.csv": "\nid,prenom\n1,Ana\n"})

    [problem] = refusal(data)
    assert (problem.sheet, problem.row) == ("personnes", 1)
    assert "la ligne 1 est vide" in problem.message


def test_values_beyond_the_header_are_refused():
    data = zip_of({"personnes.csv": "id,prenom\n1,Ana,en trop\n"})

    assert "colonne C" in only_message(data)


def test_every_structural_problem_is_reported_at_once():
    data = zip_of(
        {
            "personnes.csv": "id,Prénom\n1,Ana\n",
            "parcours.csv": "personne,date,etape,etape\n",
            "notes.csv": "x\n",
            "entretiens.csv": "personne,date\n1,Hélène\n".encode("cp1252"),
        }
    )

    places = {(problem.sheet, problem.column) for problem in refusal(data)}
    assert places == {
        ("personnes", "Prénom"),
        ("personnes", "prenom"),
        ("parcours", "etape"),
        ("notes", ""),
        ("entretiens", ""),
    }


# Refused rows


def test_refused_rows_carry_a_red_comment_on_each_faulty_cell():
    rows = [
        {**PERSON, "id": "P-7", "sexe": "X", "__row__": 9},
        {**PERSON, "id": "P-8", "__row__": 12},
    ]
    problems = [
        Problem("code inconnu « X ».", "personnes", 9, "sexe"),
        Problem("autre raison.", "personnes", 9, "sexe"),
        Problem("personne en double.", "personnes", 12),
        Problem("sans rapport.", "parcours", 9, "date"),
    ]

    data = write_workbook({"personnes": rows}, problems=problems)

    worksheet = load_workbook(io.BytesIO(data))["personnes"]
    header = [cell.value for cell in worksheet[1]]
    assert "__row__" not in header
    sex = worksheet.cell(row=2, column=header.index("sexe") + 1)
    assert sex.comment.text == "code inconnu « X ».\nautre raison."
    assert sex.fill.fgColor.rgb.endswith("FFC7CE")
    assert worksheet["A3"].comment.text == "personne en double."
    assert worksheet["A2"].comment is None
    assert worksheet.cell(row=3, column=header.index("sexe") + 1).comment is None
