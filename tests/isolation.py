"""The machinery of the isolation walk (`test_isolation.py`): every URL pattern from
Django's resolver, its parameters filled with site A's objects, and what a response
holds once read (HTML, JSON, CSV, ICS, PDF, XLSX, ZIP)."""

import html
import io
import json
import re
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name"
    route: str
    kwargs: tuple[str, ...]
    view: object


def walk(resolver=None, namespace="", prefix=""):
    """Every named URL pattern of the project, namespaces joined, in resolver order."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            # An unnamed pattern (the API's catch-all 404) has no name to reverse.
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            kwargs = tuple(entry.pattern.regex.groupindex)
            yield Pattern(name, prefix + str(entry.pattern), kwargs, entry.callback)


def urls_of(pattern: Pattern, fill) -> list[str] | None:
    """The URLs of `pattern` with each kwarg filled by `fill(pattern, kwarg)` (a value or a
    list of values, every combination), or None when one cannot be filled."""
    combos = [{}]
    for kwarg in pattern.kwargs:
        values = fill(pattern, kwarg)
        if values is None:
            return None
        if not isinstance(values, list | tuple):
            values = [values]
        combos = [{**combo, kwarg: str(value)} for combo in combos for value in values]
    return [reverse(pattern.name, kwargs=combo) for combo in combos]


def is_public(pattern: Pattern) -> bool:
    """A view marked `login_not_required` (Django 5.1+): reachable without login. The API's
    operations are all marked so (no session: a bearer token); those that need a token
    name the roles they serve (`api_roles`) and are not public."""
    if getattr(getattr(pattern.view, "cls", None), "api_roles", ()):
        return False
    return getattr(pattern.view, "login_required", True) is False


def is_api(pattern: Pattern) -> bool:
    """An operation of the open API: walked with the role's bearer token, no session."""
    return pattern.route.startswith("api/v1/")


# Reading a response --------------------------------------------------------------------------

XLSX = "spreadsheetml"


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of(content: bytes, content_type: str = "", name: str = "") -> str:
    """All the text a reader of the file would see."""
    kind = (content_type or "").lower()
    name = name.lower()
    if kind.startswith("application/pdf") or name.endswith(".pdf") or content[:5] == b"%PDF-":
        return pdf_text(content)
    if XLSX in kind or name.endswith(".xlsx"):
        return xlsx_text(content)
    zipped = "zip" in kind or name.endswith(".zip") or content[:4] == b"PK\x03\x04"
    if zipped and zipfile.is_zipfile(io.BytesIO(content)):
        return zip_text(content)
    text = content.decode("utf-8", errors="replace")
    if "json" in kind or name.endswith(".json"):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return html.unescape(text)


def pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8", errors="replace")


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    cells = [
        f"{sheet.title}: " + " | ".join("" if value is None else str(value) for value in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return "\n".join(cells)


def zip_text(content: bytes) -> str:
    """A workbook saved as XLSX is a zip too: read it as one, else each member."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        if "xl/workbook.xml" in names:
            return xlsx_text(content)
        return "\n".join(
            f"[{member}]\n" + text_of(archive.read(member), name=member) for member in names
        )


def fold(text: str) -> str:
    """Lower case, without accents: a name found whatever the page did with its case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


COMPACT = re.compile(r"[\s.\-\u00a0\u202f]+")


def compact(text: str) -> str:
    """Without spaces, dots or dashes: a phone number found however it is written."""
    return COMPACT.sub("", text)


def leaks(text: str, tokens) -> list[str]:
    """The (kind, token) pairs found in `text`."""
    folded = fold(text)
    squeezed = compact(folded)
    found = []
    for kind, token in tokens:
        needle = fold(token)
        if needle in folded or (needle.isdigit() and needle in squeezed):
            found.append(f"{kind} « {token} »")
    return found


# Small counts -----------------------------------------------------------------------------

PEOPLE_LABEL = re.compile(r"personne|résident|resident|adresse|qpv|porteu", re.IGNORECASE)


class FigureReader(HTMLParser):
    """The figures of a page (value and label) and its tables' cells under their heading."""

    def __init__(self):
        super().__init__()
        self.figures = []  # (value, label)
        self.cells = []  # (heading, value)
        self._stack = []
        self._text = []
        self._headings = []
        self._column = 0
        self._in_head = False
        self._current = None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "thead":
            self._in_head, self._headings = True, []
        elif tag == "tr":
            self._column = 0
        elif tag in ("td", "th") or "figure__value" in classes or "figure__label" in classes:
            self._current = (tag, classes)
            self._text = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        if self._current is None:
            return
        current_tag, classes = self._current
        if tag != current_tag:
            return
        text = " ".join("".join(self._text).split())
        self._current = None
        if "figure__value" in classes:
            self.figures.append([text, ""])
        elif "figure__label" in classes and self.figures:
            self.figures[-1][1] = text
        elif tag == "th" and self._in_head:
            self._headings.append(text)
        elif tag in ("td", "th"):
            heading = self._headings[self._column] if self._column < len(self._headings) else ""
            self.cells.append((heading, text))
            self._column += 1

    def handle_data(self, data):
        if self._current is not None:
            self._text.append(data)


def small_counts(page: str) -> list[str]:
    """Counts of people from 1 to 4 shown as such (`indicators.md`: "< 5" for funders)."""
    reader = FigureReader()
    reader.feed(page)
    found = [
        f"« {value} » {label}"
        for value, label in reader.figures
        if value.isdigit() and 1 <= int(value) <= 4 and PEOPLE_LABEL.search(label)
    ]
    found += [
        f"« {value} » in column {heading}"
        for heading, value in reader.cells
        if value.isdigit() and 1 <= int(value) <= 4 and PEOPLE_LABEL.search(heading)
    ]
    return found


# Writes -----------------------------------------------------------------------------------

# Tables a refused request may legitimately write: the audit journal and the login
# machinery (sessions, django-axes' attempts and logs, the TOTP devices' throttling).
WRITES_ALLOWED = {
    "audit.auditentry",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "otp_static.statictoken",
}

# Rows whose change (not only their number) must be seen: optimistic-locking versions,
# statuses and a few free texts a refused POST could overwrite.
WATCHED = {
    "people.person": ("version", "updated_at", "anonymised_on", "merged_into_id"),
    "referrals.referral": ("status", "consent_withdrawn_on"),
    "permanences.appointment": ("version", "status"),
    "accounts.user": ("is_active", "password"),
    "sites.site": ("name", "slug"),
    "people.consent": ("withdrawn_on",),
}


def snapshot_query():
    """One SQL statement giving, for each table, a row count and the largest key."""
    parts = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in WRITES_ALLOWED or model._meta.proxy or not model._meta.managed:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        numeric = model._meta.pk.get_internal_type().endswith("IntegerField")
        max_pk = f"MAX({pk})" if numeric else "0"
        parts.append(f"SELECT '{label}', COUNT(*), {max_pk} FROM {table}")
    return " UNION ALL ".join(parts)


def snapshot(query) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(query)
        state = {label: (count, top) for label, count, top in cursor.fetchall()}
    for label, fields in WATCHED.items():
        model = apps.get_model(label)
        present = [f for f in fields if f in {x.attname for x in model._meta.concrete_fields}]
        state[f"{label} fields"] = tuple(
            model._base_manager.order_by("pk").values_list("pk", *present)
        )
    return state


def changes(before: dict, after: dict) -> list[str]:
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


# Forms ------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The POST forms of a page: their action and fields, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms = []  # (action, {name: [values]}, {name: kind})
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = (attrs.get("action") or "", {}, {})
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name") and tag != "option":
            return
        _, values, kinds = self._form
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            name = attrs["name"]
            kinds[name] = kind
            if kind in ("checkbox", "radio") and name in values:
                return  # the first choice is enough
            values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = attrs["name"]
            kinds[self._select] = "select"
            values.setdefault(self._select, [])
        elif tag == "option" and self._select is not None:
            chosen = values[self._select]
            value = attrs.get("value", "")
            if value and (not chosen or "selected" in attrs):
                values[self._select] = [value]
        elif tag == "textarea":
            self._textarea = attrs["name"]
            kinds[self._textarea] = "textarea"
            values[self._textarea] = ["Essai"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(page: str) -> list:
    reader = FormReader()
    reader.feed(page)
    return reader.forms


# A plain value for an empty field of each kind, so that a form may pass validation.
PLAIN = {
    "text": "Essai",
    "search": "",
    "email": "essai@example.org",
    "tel": "0600000000",
    "number": "1",
    "time": "10:00",
    "url": "https://example.org",
}


def filled(values: dict, kinds: dict, today, *, text="Essai") -> dict:
    data = {}
    for name, given in values.items():
        kind = kinds.get(name, "text")
        ends = "end" in name or "until" in name  # after the start
        if given and any(given):
            data[name] = given
        elif kind == "date":
            data[name] = [(today.replace(year=today.year + 1) if ends else today).isoformat()]
        elif kind == "datetime-local":
            data[name] = [f"{today.isoformat()}T10:00"]
        elif kind == "time" and ends:
            data[name] = ["12:00"]
        else:
            data[name] = [PLAIN.get(kind, text)]
    return data


def cross_site_links() -> list[str]:
    """Rows that tie an object of one site to an object of another (a person of site A in
    site B's action, site A's partner invited to site B's committee…): every model whose
    site can be told, each of its foreign keys to another such model."""
    from django.db.models import F

    paths = site_paths()
    found = []
    for model, path in paths.items():
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is None or target not in paths or field.name == "merged_into":
                continue
            if path.split("__")[0] == field.name:
                continue  # the way this row's site is found: consistent by definition
            rows = (
                model._base_manager.filter(**{f"{field.name}__isnull": False})
                .exclude(**{f"{field.name}__{paths[target]}": F(path)})
                .count()
            )
            if rows:
                found.append(f"{model._meta.label}.{field.name}: {rows}")
    return found


# Models whose site is not theirs to tell: the audit journal records where its actor
# stood, and a user's membership is what gives a site.
NO_SITE_OF_THEIR_OWN = {"audit.auditentry", "accounts.membership", "accounts.user"}


def site_paths() -> dict:
    """For each model, the lookup that reaches its site's id (direct, or through the
    first foreign key that leads to one), for the models that have one."""
    paths = {}
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.label_lower not in NO_SITE_OF_THEIR_OWN
    ]
    for model in models:
        if any(f.name == "site" and f.is_relation for f in model._meta.concrete_fields):
            paths[model] = "site_id"
    for _ in range(3):  # a few hops: attendance → action → site
        for model in models:
            if model in paths:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in paths:
                    paths[model] = f"{field.name}__{paths[field.related_model]}"
                    break
    return paths
