"""The journey and person facts the reports read (`JourneyFacts`, `PersonFacts`), kept up
to date at write time: every domain write that changes a journey's transitions or a
person's meetings ends with `refresh_facts(person_ids)` in its transaction (people.actions,
people.merge, the workbook import for its whole site). `rebuild` writes them from
scratch, `differences` compares the kept rows with a rebuild (`amorce facts rebuild`,
`amorce facts check`).

Everything is set-based SQL over the truth (transitions, meetings): a refresh is a delete
and one INSERT … SELECT per table, whatever the number of persons; the SQL names tables
and columns only, so the data migration runs it on the historical schema too."""

from collections.abc import Iterable

from django.db import connection, transaction

from amorce.people.journey import REACH_ORDER

JOURNEY_TABLE = "people_journeyfacts"
PERSON_TABLE = "people_personfacts"
CHUNK = 500  # ids per statement (SQLite's variables)

REACH_COLUMNS = tuple(f"{step}_on" for step in REACH_ORDER)
JOURNEY_COLUMNS = (
    "journey_id",
    "person_id",
    "site_id",
    *REACH_COLUMNS,
    "last_on",
    "last_step",
    "first_met_on",
)
PERSON_COLUMNS = (
    "person_id",
    "site_id",
    "first_met_on",
    "first_met_journey_id",
    "first_met_situation_id",
    "last_met_on",
)


def _reach(step_index: int) -> str:
    """The first date at this stage or a later one (skipped stages are reached then)."""
    later = ", ".join(f"'{step}'" for step in REACH_ORDER[step_index:])
    return f'MIN(CASE WHEN t.step IN ({later}) THEN t."on" END)'


def journey_select(condition: str) -> str:
    """SELECT of JOURNEY_COLUMNS for the journeys `condition` (on `j` and `p`) chooses."""
    # detected: the first transition whatever its step; the others by the reaching rule.
    first_any = 'MIN(t."on")'
    firsts = ",\n".join(
        f"{_reach(index) if index else first_any} AS {column}"
        for index, column in enumerate(REACH_COLUMNS)
    )
    return f"""
WITH chosen AS (
    SELECT j.id, j.person_id, p.site_id FROM people_journey j
    JOIN people_person p ON p.id = j.person_id WHERE {condition}
),
firsts AS (
    SELECT t.journey_id, {firsts} FROM people_transition t
    WHERE t.journey_id IN (SELECT id FROM chosen) GROUP BY t.journey_id
),
ranked AS (
    SELECT t.journey_id, t."on", t.step, ROW_NUMBER() OVER (
        PARTITION BY t.journey_id ORDER BY t."on" DESC, t.id DESC) AS position
    FROM people_transition t WHERE t.journey_id IN (SELECT id FROM chosen)
),
met AS (
    SELECT m.journey_id, MIN(m."on") AS first_met_on FROM people_meeting m
    WHERE m.journey_id IN (SELECT id FROM chosen) GROUP BY m.journey_id
)
SELECT c.id, c.person_id, c.site_id, {", ".join(f"f.{column}" for column in REACH_COLUMNS)},
    r."on", COALESCE(r.step, ''), met.first_met_on
FROM chosen c
LEFT JOIN firsts f ON f.journey_id = c.id
LEFT JOIN ranked r ON r.journey_id = c.id AND r.position = 1
LEFT JOIN met ON met.journey_id = c.id"""


def person_select(condition: str) -> str:
    """SELECT of PERSON_COLUMNS for the persons `condition` (on `p`) chooses and who were
    met at least once (the situation: that of the first meeting's journey, if any)."""
    return f"""
WITH ranked AS (
    SELECT m.person_id, p.site_id, m."on", m.journey_id,
        MAX(m."on") OVER (PARTITION BY m.person_id) AS last_met_on,
        ROW_NUMBER() OVER (PARTITION BY m.person_id ORDER BY m."on", m.id) AS position
    FROM people_meeting m JOIN people_person p ON p.id = m.person_id WHERE {condition}
)
SELECT r.person_id, r.site_id, r."on", r.journey_id, s.id, r.last_met_on
FROM ranked r LEFT JOIN people_initialsituation s ON s.journey_id = r.journey_id
WHERE r.position = 1"""


def _write(cursor, condition: str, params: list, delete_journeys: str, delete_persons: str):
    cursor.execute(f"DELETE FROM {JOURNEY_TABLE} WHERE {delete_journeys}", params)
    cursor.execute(f"DELETE FROM {PERSON_TABLE} WHERE {delete_persons}", params)
    cursor.execute(
        f"INSERT INTO {JOURNEY_TABLE} ({', '.join(JOURNEY_COLUMNS)}) {journey_select(condition)}",
        params,
    )
    cursor.execute(
        f"INSERT INTO {PERSON_TABLE} ({', '.join(PERSON_COLUMNS)}) {person_select(condition)}",
        params,
    )


def _lock(cursor, condition: str, params: list) -> None:
    """Lock the persons whose facts are rewritten, in id order, until the transaction
    ends: two writes on the same person then refresh one after the other, the second
    reading what the first committed (without it, both would delete then insert the same
    rows, and the second could miss the first's meeting or collide with its rows).
    SQLite writes one transaction at a time anyway."""
    if connection.features.has_select_for_update:
        cursor.execute(
            f"SELECT id FROM people_person WHERE {condition} ORDER BY id FOR UPDATE", params
        )


def refresh_facts(person_ids: Iterable[int]) -> None:
    """Recompute the facts of these persons' journeys and meetings from the truth. Call it
    at the end of every write that changes them, in its transaction."""
    ids = sorted({int(pk) for pk in person_ids if pk is not None})
    with transaction.atomic(), connection.cursor() as cursor:
        for index in range(0, len(ids), CHUNK):
            chunk = ids[index : index + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            _lock(cursor, f"id IN ({marks})", chunk)
            _write(
                cursor,
                f"p.id IN ({marks})",
                chunk,
                f"person_id IN ({marks})",
                f"person_id IN ({marks})",
            )


def refresh_site_facts(site_id: int) -> None:
    """Recompute one site's facts (after a workbook import's bulk writes)."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, "site_id = %s", [site_id])
        _write(cursor, "p.site_id = %s", [site_id], "site_id = %s", "site_id = %s")


def rebuild(site_ids: Iterable[int] | None = None) -> None:
    """The facts from scratch: of these sites, or of the whole network."""
    with transaction.atomic(), connection.cursor() as cursor:
        if site_ids is None:
            _write(cursor, "1 = 1", [], "1 = 1", "1 = 1")
        else:
            for site_id in site_ids:
                _write(cursor, "p.site_id = %s", [site_id], "site_id = %s", "site_id = %s")
        if connection.vendor == "postgresql":  # fresh statistics for the reports' plans
            cursor.execute(f"ANALYZE {JOURNEY_TABLE}")
            cursor.execute(f"ANALYZE {PERSON_TABLE}")


def differences(site_ids: Iterable[int] | None = None) -> dict[str, int]:
    """What differs between the kept facts and a rebuild: {what: count}, empty when none."""
    found = {}
    for table, columns, select in (
        (JOURNEY_TABLE, JOURNEY_COLUMNS, journey_select),
        (PERSON_TABLE, PERSON_COLUMNS, person_select),
    ):
        condition, params = "1 = 1", []
        kept_filter = ""
        if site_ids is not None:
            ids = [int(pk) for pk in site_ids]
            marks = ", ".join(["%s"] * len(ids))
            condition, params, kept_filter = (
                f"p.site_id IN ({marks})",
                ids,
                f"WHERE site_id IN ({marks})",
            )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table} {kept_filter}", params)
            kept = {row[0]: row for row in cursor.fetchall()}
            cursor.execute(select(condition), params)
            truth = {row[0]: _normal(row) for row in cursor.fetchall()}
        name = table.removeprefix("people_")
        missing = truth.keys() - kept.keys()
        extra = kept.keys() - truth.keys()
        if missing:
            found[f"{name} : lignes manquantes"] = len(missing)
        if extra:
            found[f"{name} : lignes en trop"] = len(extra)
        for position, column in enumerate(columns[1:], 1):
            wrong = sum(
                1
                for pk in truth.keys() & kept.keys()
                if _normal(kept[pk])[position] != truth[pk][position]
            )
            if wrong:
                found[f"{name}.{column} différent"] = wrong
    return found


def _normal(row) -> tuple:
    """SQLite answers dates computed by SQL as text: compare everything as text."""
    return tuple(None if value is None else str(value) for value in row)
