"""The engine, exact: spreadsheets made the way sites make them become the expected
exchange rows; what no mapping covers is reported, never guessed."""

from datetime import date, datetime

import pytest

from amorce.spreadsheets import reading, steps, suggest, values
from amorce.spreadsheets.convert import convert
from tests.spreadsheets.sheets import SIRET, csv_cp1252, workbook

SPEC = {
    "sheets": ["2024"],
    "header_row": 3,
    "columns": {
        "NOM Prénom": "nom_prenom",
        "Civilité": "personnes.sexe",
        "Tél.": "personnes.telephone",
        "cp": "personnes.code_postal",
        "Date 1er RDV": "entretiens.date",
        "Orienté vers": "orientations.partenaire",
        "Date orientation": "orientations.date",
        "Origine": "personnes.origine",
        "STATUT": "parcours.etape",
        "Date création": "entreprises.date_creation",
        "Siret": "entreprises.siret",
    },
    "values": {
        "personnes.sexe": {"Mme": "F", "Madame": "F", "F": "F", "M.": "H"},
        "personnes.origine": {
            "Pôle emploi": "france_travail",
            "bouche à oreille": "bouche_a_oreille",
            "Mission locale": "mission_locale",
        },
        "orientations.partenaire": {"ADIE": "ADIE Aude", "BGE": "BGE Sud"},
        "parcours.etape": {"Créé": "created", "en cours": "emerging", "abandon": ""},
    },
    "constants": {"orientations.objet": "financement"},
}


def ids(result):
    return [row["id"] for row in result.sheets["personnes"]]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (45302, date(2024, 1, 11)),  # an Excel serial (1900 system)
        (45302.0, date(2024, 1, 11)),
        (datetime(2024, 4, 2, 0, 0), date(2024, 4, 2)),  # noqa: DTZ001
        ("12/03/2021", date(2021, 3, 12)),
        ("12/03/21", date(2021, 3, 12)),
        ("12-03-2021", date(2021, 3, 12)),
        ("12.03.2021", date(2021, 3, 12)),
        ("2021-03-12", date(2021, 3, 12)),
        ("12 mars 2021", date(2021, 3, 12)),
        ("1er Février 2021", date(2021, 2, 1)),
        (" 2 AVRIL 2024 ", date(2024, 4, 2)),
    ],
)
def test_dates_however_typed(raw, expected):
    assert values.to_date(raw, date(2026, 1, 1)) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("mars 2021", "le jour manque"),
        ("03/2021", "le jour manque"),
        ("31/02/2021", "date qui existe"),
        ("2021", "pas une date"),
        (12, "un nombre"),
        ("demain", "pas une date"),
    ],
)
def test_dates_refused_rather_than_invented(raw, reason):
    with pytest.raises(values.Unreadable, match=reason):
        values.to_date(raw)


def test_postcodes_phones_siret_and_names():
    assert values.postcode(1100) == "01100"
    assert values.postcode("11 100") == "11100"
    assert values.phone(612345678) == "06 12 34 56 78"
    assert values.phone("06.11.22.33.44") == "06 11 22 33 44"
    assert values.siret(float(SIRET)) == SIRET
    assert values.split_name("DIALLO Aïcha") == ("DIALLO", "Aïcha")
    assert values.split_name("Jean-Marc LE GALL") == ("LE GALL", "Jean-Marc")
    assert values.split_name("N'DIAYE Marie Claire") == ("N'DIAYE", "Marie Claire")
    for ambiguous in ("Aïcha Diallo", "DIALLO AICHA", "Ana DA SILVA Maria"):
        with pytest.raises(values.Unreadable):
            values.split_name(ambiguous)
    with pytest.raises(values.Unreadable):
        values.postcode("Carcassonne")


def test_the_header_row_is_found_below_a_merged_title():
    sheets = reading.read(workbook(), "suivi.xlsx")
    assert [s.name for s in sheets] == ["2024"]
    assert sheets[0].header_row() == 3
    assert sheets[0].columns(3)[:3] == ["NOM Prénom", "Civilité", "Tél."]


def test_suggestions_from_headers_and_values():
    assert suggest.from_header("NOM Prénom") == "nom_prenom"
    assert suggest.from_header("Tél. portable") == "personnes.telephone"
    assert suggest.from_header("Date 1er RDV") == "entretiens.date"
    assert suggest.from_header("Né(e) le") == "personnes.date_naissance"
    assert suggest.from_header("Orienté vers") == "orientations.partenaire"
    assert suggest.from_header("CODE POSTAL") == "personnes.code_postal"
    assert suggest.from_header("Remarques") is None
    assert suggest.from_values([SIRET, "73282932000074", None]) == "entreprises.siret"
    assert suggest.from_values(["12345678901234", "98765432109876"]) is None  # bad Luhn keys
    assert suggest.from_values(["F", "H", "Mme", "M."]) == "personnes.sexe"
    assert suggest.from_values([11100, 1100, "11000"]) == "personnes.code_postal"
    assert suggest.from_values(["0611223344", 612345678]) == "personnes.telephone"
    dates = ["12/03/2024", datetime(2024, 1, 2)]  # noqa: DTZ001 (as spreadsheets hold them)
    assert suggest.from_values(dates) == "entretiens.date"
    assert suggest.from_values(["02/03/1990", "1985-07-14"]) == "personnes.date_naissance"
    assert suggest.value_code("personnes.origine", "Pôle emploi", ()) == "france_travail"
    assert suggest.value_code("personnes.origine", "Bouche à oreille", ()) == "bouche_a_oreille"
    assert suggest.value_code("personnes.sexe", "Mlle", ()) == "F"


def test_a_spreadsheet_becomes_the_expected_exchange_rows():
    result = convert(reading.read(workbook(), "suivi.xlsx"), SPEC, today=date(2026, 1, 1))

    p1, p2, p3, p4 = ids(result)
    assert all(key.startswith("tableur-") for key in (p1, p2, p3, p4))
    assert result.sheets["personnes"] == [
        {"id": p1, "nom": "DIALLO", "prenom": "Aïcha", "sexe": "F", "telephone": "06 11 22 33 44",
         "code_postal": "11100", "origine": "france_travail"},
        {"id": p2, "nom": "MARTIN", "prenom": "Hugo", "sexe": "H", "telephone": "06 12 34 56 78",
         "code_postal": "01100", "origine": "bouche_a_oreille"},
        {"id": p3, "nom": "BENALI", "prenom": "Samira", "sexe": "F", "code_postal": "11000",
         "origine": "mission_locale"},
        {"id": p4, "nom": "LEFEBVRE", "prenom": "Zoé", "sexe": "F", "telephone": "06 99 88 77 66",
         "code_postal": "11100"},
    ]  # fmt: skip
    assert result.sheets["entretiens"] == [
        {"personne": p1, "date": date(2024, 1, 11)},
        {"personne": p2, "date": date(2024, 3, 12)},
        {"personne": p3, "date": date(2024, 4, 2)},
        {"personne": p4, "date": date(2024, 4, 2)},
    ]
    assert result.sheets["orientations"] == [
        {"personne": p1, "date": date(2024, 2, 8), "partenaire": "ADIE Aude", "objet": "financement"},  # noqa: E501
        {"personne": p3, "date": date(2024, 5, 3), "partenaire": "BGE Sud", "objet": "financement"},
    ]  # fmt: skip
    assert result.sheets["entreprises"] == [
        {"personne": p1, "date_creation": date(2024, 6, 7), "siret": SIRET}
    ]
    # The journey the dates imply: detected on the earliest, welcomed by the first meeting,
    # oriented by a referral about financing, created by the company, the status's step.
    assert result.sheets["parcours"] == [
        {"personne": p1, "date": date(2024, 1, 11), "etape": "detected"},
        {"personne": p1, "date": date(2024, 1, 11), "etape": "welcomed"},
        {"personne": p1, "date": date(2024, 2, 8), "etape": "oriented"},
        {"personne": p1, "date": date(2024, 6, 7), "etape": "created"},
        {"personne": p2, "date": date(2024, 3, 12), "etape": "detected"},
        {"personne": p2, "date": date(2024, 3, 12), "etape": "welcomed"},
        {"personne": p2, "date": date(2024, 3, 12), "etape": "emerging"},
        {"personne": p3, "date": date(2024, 4, 2), "etape": "detected"},
        {"personne": p3, "date": date(2024, 4, 2), "etape": "welcomed"},
        {"personne": p3, "date": date(2024, 5, 3), "etape": "oriented"},
        {"personne": p4, "date": date(2024, 4, 2), "etape": "detected"},
        {"personne": p4, "date": date(2024, 4, 2), "etape": "welcomed"},
    ]
    # The blank line and the totals row are left out, and said so.
    assert result.blank_lines == 1  # row 6; row 2 is above the header
    assert [str(n) for n in result.totals] == ["2024, ligne 9 : ligne de totaux, laissée de côté."]
    assert result.rows_read == 4
    # « abandon » was mapped to « leave unknown »: no step, and nothing uncovered.
    assert dict(result.uncovered) == {}


def test_a_value_no_mapping_covers_is_reported_never_guessed():
    spec = {**SPEC, "values": {**SPEC["values"], "personnes.sexe": {"Mme": "F"}}}
    result = convert(reading.read(workbook(), "suivi.xlsx"), spec)

    sexes = [row.get("sexe") for row in result.sheets["personnes"]]
    assert sexes == ["F", None, None, None]  # « F » is a code, yet not mapped: not taken
    uncovered = dict(result.uncovered["personnes.sexe"])
    assert uncovered == {"M.": [("2024", 5)], "Madame": [("2024", 7)], "F": [("2024", 8)]}
    assert {
        "field": "Sexe (sexe)", "value": "F", "count": 1, "rows": "2024 l. 8"
    } in result.as_dict()["uncovered"]  # fmt: skip


def test_unreadable_cells_are_left_empty_and_listed():
    rows = [["DIALLO Aïcha", "Mme", "pas de tel", "Carcassonne", "mars 2024"]]
    headers = ["NOM Prénom", "Civilité", "Tél.", "cp", "Date 1er RDV"]
    result = convert(reading.read(workbook(rows, headers, totals=False), "x.xlsx"), SPEC)

    assert result.sheets["personnes"][0] == {
        "id": result.sheets["personnes"][0]["id"], "nom": "DIALLO", "prenom": "Aïcha", "sexe": "F"
    }  # fmt: skip
    assert "entretiens" not in result.sheets
    assert [str(n) for n in result.unreadable] == [
        "2024, ligne 4, colonne « Tél. » : « pas de tel » n'est pas un numéro de téléphone "
        "(10 chiffres).",
        "2024, ligne 4, colonne « cp » : « Carcassonne » n'est pas un code postal (5 chiffres).",
        "2024, ligne 4, colonne « Date 1er RDV » : « mars 2024 » : le jour manque (il ne sera "
        "pas inventé).",
    ]


def test_a_windows_csv_with_semicolons_converts_the_same():
    sheets = reading.read(csv_cp1252(), "suivi 2024.csv")
    assert [s.name for s in sheets] == ["suivi 2024"]
    assert sheets[0].header_row() == 1
    spec = {**SPEC, "sheets": ["suivi 2024"], "header_row": 1}
    result = convert(sheets, spec, today=date(2026, 1, 1))

    names = [(row["nom"], row["prenom"]) for row in result.sheets["personnes"]]
    assert names == [("DIALLO", "Aïcha"), ("MARTIN", "Hugo"), ("BENALI", "Samira")]
    assert [row["code_postal"] for row in result.sheets["personnes"]] == ["11100", "01100", "11000"]
    assert [row["date"] for row in result.sheets["entretiens"]] == [
        date(2024, 1, 11), date(2024, 3, 12), date(2024, 4, 2)
    ]  # fmt: skip
    assert result.sheets["entreprises"][0]["siret"] == SIRET
    assert result.blank_lines == 1 and len(result.totals) == 1
    # Same persons, same ids as from the workbook: next month's file updates them.
    from_xlsx = convert(reading.read(workbook(), "suivi.xlsx"), SPEC)
    assert ids(result) == ids(from_xlsx)[:3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"%PDF-1.4 ...", "PDF"),
        (b"\x00\x01\x02binary\x00", "binaire"),
        (b"PK\x03\x04broken", "endommagé"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_in_french(data, message):
    with pytest.raises(reading.SpreadsheetError, match=message):
        reading.read(data, "x.xlsx")


def test_separators_and_encodings():
    for sep in (";", ",", "\t", "|"):
        text = f"Nom{sep}Prénom{sep}Ville\nDIALLO{sep}Aïcha{sep}Limoux\n"
        for encoding in ("utf-8", "utf-8-sig", "cp1252"):
            sheet = reading.read(text.encode(encoding), "a.csv")[0]
            assert sheet.rows == [["Nom", "Prénom", "Ville"], ["DIALLO", "Aïcha", "Limoux"]], (
                sep,
                encoding,
            )


def test_years_as_sheets_are_taken_together_and_one_person_twice_is_one():
    extra = [("2023", [["DIALLO Aïcha", "Mme", None, 11100, "05/09/2023"]])]
    sheets = reading.read(workbook(extra=extra), "suivi.xlsx")
    spec = {**SPEC, "sheets": ["2024", "2023"]}
    result = convert(sheets, spec, today=date(2026, 1, 1))

    assert len(result.sheets["personnes"]) == 4
    diallo = result.sheets["personnes"][0]["id"]
    assert [r["date"] for r in result.sheets["entretiens"] if r["personne"] == diallo] == [
        date(2024, 1, 11), date(2023, 9, 5)
    ]  # fmt: skip
    assert [str(n) for n in result.merged] == [
        "2023, ligne 4 : même personne que 2024, ligne 4 : ses dates rejoignent sa fiche."
    ]


def test_steps_show_columns_suggested_and_values_counted(site):
    sheets = reading.read(workbook(), "suivi.xlsx")
    spec = steps.initial_spec(sheets)
    assert spec == {"sheets": ["2024"], "header_row": 3}
    columns = {c.header: c for c in steps.columns(sheets, spec)}
    assert columns["Tél."].suggested == "personnes.telephone"
    # A serial is shown as written and as the date it stands for.
    assert columns["Date 1er RDV"].samples == ["45302 (11/01/2024)", "12/03/2024", "02/04/2024"]
    assert columns["Siret"].suggested == "entreprises.siret"
    fields = {f.key: f for f in steps.coded_fields(sheets, SPEC, site)}
    sexes = {(v.value, v.count, v.chosen, v.suggested) for v in fields["personnes.sexe"].values}
    assert sexes == {("Mme", 1, "F", "F"), ("M.", 1, "H", "H"), ("Madame", 1, "F", "F"),
                     ("F", 1, "F", "F")}  # fmt: skip
    statuses = {v.value: v for v in fields["parcours.etape"].values}
    assert statuses["abandon"].chosen == "" and not statuses["abandon"].new


def test_an_ods_file_from_libreoffice_reads_like_the_workbook():
    from tests.spreadsheets.sheets import ods

    data = ods(
        [
            ["Suivi 2024"],
            ["NOM Prénom", "CP", "Date 1er RDV"],
            ["DIALLO Aïcha", 1100, date(2024, 1, 11)],
        ],
        sheet="2024",
    )
    sheet = reading.read(data, "suivi.ods")[0]
    assert sheet.name == "2024" and sheet.header_row() == 2
    spec = {"sheets": ["2024"], "header_row": 2, "columns": {
        "NOM Prénom": "nom_prenom", "CP": "personnes.code_postal", "Date 1er RDV": "entretiens.date"
    }}  # fmt: skip
    result = convert([sheet], spec)
    assert result.sheets["personnes"][0]["code_postal"] == "01100"
    assert result.sheets["entretiens"][0]["date"] == date(2024, 1, 11)


def test_a_last_row_of_sums_is_a_totals_row_even_without_the_word():
    headers = ["NOM Prénom", "Entretiens", "Heures"]
    rows = [["DIALLO Aïcha", 2, 3], ["Hugo MARTIN", 1, 1.5], ["BENALI Samira", 4, 2]]
    spec = {"sheets": ["2024"], "header_row": 3, "columns": {"NOM Prénom": "nom_prenom"}}
    with_sums = workbook([*rows, [None, 7, 6.5]], headers, totals=False)
    result = convert(reading.read(with_sums, "x.xlsx"), spec)
    assert result.persons == 3
    assert [str(n) for n in result.totals] == [
        "2024, ligne 8\u202f: ligne de totaux, laissée de côté."
    ]
    # Numbers that are not the sums are a row like another (here without a name: said so).
    not_sums = workbook([*rows, [None, 8, 6.5]], headers, totals=False)
    result = convert(reading.read(not_sums, "x.xlsx"), spec)
    assert result.totals == []
    assert [str(n) for n in result.left_out] == [
        "2024, ligne 8\u202f: ligne sans nom ni prénom, laissée de côté."
    ]
