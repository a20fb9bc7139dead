"""Content-Security-Policy violation reports, as browsers post them to `core:csp_report`.

Two formats: the legacy `report-uri` one (`application/csp-report`, one object under
"csp-report", hyphenated keys) and the Reporting API's (`application/reports+json`, a
list of reports whose "body" has camelCase keys). Only what tells a developer which
rule blocked what is kept: the directive, the blocked resource and where it happened,
each URL cut to its scheme, host and path (a query string may hold a searched name),
never the sample of the blocked code, the user agent or the address."""

import json
import logging
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger("amorce.csp")

MAX_BYTES = 16 * 1024  # a report is a few hundred bytes; more is not a browser's report
MAX_REPORTS = 20  # per request (the Reporting API batches them)
MAX_FIELD = 200  # characters kept of any one value


def without_query(value) -> str:
    """A URL without its query and fragment; keywords such as "inline" or "eval" as is."""
    if not isinstance(value, str):
        return ""
    value = value[: MAX_FIELD * 4]
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if not parts.scheme:
        return value[:MAX_FIELD]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))[:MAX_FIELD]


def text(value) -> str:
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def number(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def violation(fields: dict, *, camel: bool) -> dict:
    """The kept fields of one report's body, under the same names for both formats."""

    def get(hyphenated, camel_name):
        return fields.get(camel_name if camel else hyphenated)

    directive = get("effective-directive", "effectiveDirective") or get(
        "violated-directive", "violatedDirective"
    )
    return {
        "directive": text(directive),
        "blocked": without_query(get("blocked-uri", "blockedURL")),
        "document": without_query(get("document-uri", "documentURL")),
        "source": without_query(get("source-file", "sourceFile")),
        "line": number(get("line-number", "lineNumber")),
        "disposition": text(get("disposition", "disposition")),
    }


def parse(body: bytes) -> list[dict]:
    """The violations of a report body in either format; [] for anything else."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return []
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [violation(data["csp-report"], camel=False)]
    if isinstance(data, list):
        return [
            violation(report["body"], camel=True)
            for report in data[:MAX_REPORTS]
            if isinstance(report, dict)
            and report.get("type") == "csp-violation"
            and isinstance(report.get("body"), dict)
        ]
    return []


def log_violations(violations: list[dict]) -> None:
    for found in violations:
        if not found["directive"]:
            continue
        logger.warning(
            "CSP violation: %s blocked %s on %s (%s line %s, %s)",
            found["directive"],
            found["blocked"] or "?",
            found["document"] or "?",
            found["source"] or "?",
            found["line"] if found["line"] is not None else "?",
            found["disposition"] or "enforce",
        )
