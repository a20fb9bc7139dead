"""A small client of the national register of companies (Sirene), through the public
« API Recherche d'entreprises » (https://recherche-entreprises.api.gouv.fr, no key).

Two questions only, both on `GET /search`:
- `establishment(siret)`: the establishment and its company (name, legal form, activity,
  creation and closure, address and coordinates), or None when the register does not
  know the SIRET;
- `count_active(naf, commune=…|epci=…|departement=…)`: how many active companies of an
  activity have an establishment there (France when no place is given).

The URL is the `SIRENE_API_URL` setting; empty, nothing is asked and every call raises
`SireneUnavailable`, which callers turn into "the lookup is off" or "try later". So does
whatever goes wrong on the way: network, timeout, HTTP 429 (the API allows 7 calls a
second per address), a 5xx, an answer that is not the documented JSON. Calls are spaced
(`MIN_INTERVAL` within a process) and answers kept `SIRENE_CACHE_SECONDS` in the cache.

Parameters and answer shape are those of the API's source (annuaire-entreprises-data-
gouv-fr/search-api: `app/controller/search_params_model.py`, `app/models/unite_legale.py`):
`q`, `activite_principale`, `code_commune`, `epci`, `departement`, `etat_administratif`
(A: active, C: ceased, for the company), `minimal`, `page`, `per_page`; results with
`siren`, `nom_complet`, `nature_juridique`, `activite_principale` (+ the temporary
`activite_principale_naf25`), `date_creation`, `date_fermeture`, `etat_administratif`,
`nombre_etablissements_ouverts`, `siege` and `matching_etablissements` (establishments:
`siret`, `adresse`, `code_postal`, `commune`, `libelle_commune`, `latitude`, `longitude`
(strings), `etat_administratif` A or F, `date_fermeture`…); `total_results` is capped at
10 000.
"""

import threading
import time
from dataclasses import dataclass
from datetime import date

import httpx
from django.conf import settings
from django.core.cache import cache

from amorce.activities.models import NafCode

TIMEOUT = httpx.Timeout(5.0)
TOO_MANY_REQUESTS = 429
# Seconds between two calls of one process: under the API's 7 calls a second.
MIN_INTERVAL = 0.2
# The API never counts beyond this (`total_results` is capped).
MAX_TOTAL = 10_000
# INSEE switches Sirene to NAF 2025 on this date: an answer without the temporary
# `activite_principale_naf25` field after it carries NAF 2025 codes.
NAF_2025_FROM = date(2027, 1, 1)
REV2, NAF25 = "rev2", "naf2025"

_lock = threading.Lock()
_last_call = 0.0


class SireneUnavailable(Exception):
    """The register is off, unreachable, busy or answered nonsense: try later."""


def enabled() -> bool:
    return bool(settings.SIRENE_API_URL)


# Legal forms ---------------------------------------------------------------------------------

# INSEE's catégories juridiques (nature_juridique) -> companies.LegalForm; others "autre".
LEGAL_FORMS = {
    "1000": "ei",  # entrepreneur individuel (micro or not: the register does not say)
    "5498": "eurl",  # SARL unipersonnelle
    "5499": "sarl",
    "5710": "sas",
    "5720": "sasu",
    "5458": "scop",  # SARL coopérative ouvrière de production
    "5558": "scop",
    "5658": "scop",
}


def legal_form_of(nature_juridique: str | None) -> str:
    """The application's legal form for an INSEE category; "" when the register is silent."""
    code = (nature_juridique or "").strip()
    if not code:
        return ""
    if code in LEGAL_FORMS:
        return LEGAL_FORMS[code]
    if code.startswith("92"):
        return "association"
    if code.startswith("54"):
        return "sarl"
    if code.startswith("57"):
        return "sas"
    return "autre"


# Activities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    raw: str  # the code as the register gives it: "56.10C"
    nomenclature: str  # REV2 or NAF25
    naf: str | None  # the shipped NAF rév. 2 code it maps to, if any


def activity_of(data: dict, today: date | None = None) -> Activity | None:
    """The register's activity code, mapped to a shipped NAF rév. 2 code when it is one.

    Until 2027 `activite_principale` is NAF rév. 2 and `activite_principale_naf25` the new
    one; once INSEE has switched, the temporary field is gone and `activite_principale`
    is NAF 2025, whose codes look the same but mean other things: not mapped (the leader
    chooses), the raw code kept."""
    today = today or date.today()  # noqa: DTZ011 (a plain date is enough here)
    code = (data.get("activite_principale") or "").strip()
    naf25 = (data.get("activite_principale_naf25") or "").strip()
    if code and ("activite_principale_naf25" in data or today < NAF_2025_FROM):
        known = NafCode.objects.filter(pk=code).values_list("pk", flat=True).first()
        return Activity(code, REV2, known)
    if code or naf25:
        return Activity(code or naf25, NAF25, None)
    return None


# Establishments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Establishment:
    siret: str
    siren: str
    name: str
    nature_juridique: str
    legal_form: str  # companies.LegalForm value, "" when unknown
    activity: Activity | None
    created_on: date | None
    closed: bool  # the company is closed (ceased, or its only establishment closed)
    closed_on: date | None
    address: str
    postcode: str
    commune_code: str
    commune_name: str
    latitude: float | None
    longitude: float | None


def establishment(siret: str) -> Establishment | None:
    """The register's establishment `siret` and its company; None for an unknown SIRET."""
    data = cached_get(f"etab:{siret}", {"q": siret, "page": 1, "per_page": 1})
    try:
        for result in data["results"]:
            etablissements = [
                result.get("siege") or {},
                *(result.get("matching_etablissements") or []),
            ]
            found = next((e for e in etablissements if e.get("siret") == siret), None)
            if found is not None:
                return establishment_of(result, found)
    except (KeyError, TypeError, AttributeError) as error:
        raise SireneUnavailable(f"réponse inattendue : {error!r}") from error
    return None


def establishment_of(company: dict, etab: dict) -> Establishment:
    company_ceased = company.get("etat_administratif") == "C"
    etab_closed = etab.get("etat_administratif") == "F"
    # A closed establishment of a company that has others open is a move, not a closure.
    others_open = (company.get("nombre_etablissements_ouverts") or 0) > 0
    closed = company_ceased or (etab_closed and not others_open)
    closed_on = None
    if closed:
        closed_on = parse_date(company.get("date_fermeture")) or parse_date(
            etab.get("date_fermeture")
        )
    return Establishment(
        siret=etab["siret"],
        siren=company.get("siren") or "",
        name=(company.get("nom_complet") or company.get("nom_raison_sociale") or "").strip(),
        nature_juridique=company.get("nature_juridique") or "",
        legal_form=legal_form_of(company.get("nature_juridique")),
        activity=activity_of(etab) or activity_of(company),
        created_on=parse_date(company.get("date_creation"))
        or parse_date(etab.get("date_creation")),
        closed=closed,
        closed_on=closed_on,
        address=(etab.get("adresse") or "").strip(),
        postcode=etab.get("code_postal") or "",
        commune_code=etab.get("commune") or "",
        commune_name=etab.get("libelle_commune") or "",
        latitude=parse_float(etab.get("latitude")),
        longitude=parse_float(etab.get("longitude")),
    )


def parse_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def parse_float(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# Counts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    value: int
    capped: bool  # the API stopped counting at MAX_TOTAL: "at least"


def count_active(naf: str, *, commune: str = "", epci: str = "", departement: str = "") -> Count:
    """Active companies of activity `naf` with an establishment in the place given (the
    commune's INSEE code, the EPCI's SIREN, the département's code), France without."""
    params = {"activite_principale": naf, "etat_administratif": "A"}
    if commune:
        params["code_commune"] = commune
    if epci:
        params["epci"] = epci
    if departement:
        params["departement"] = departement
    key = "count:" + ":".join(f"{k}={v}" for k, v in sorted(params.items()))
    data = cached_get(key, {**params, "minimal": "true", "page": 1, "per_page": 1})
    try:
        total = int(data["total_results"])
    except (KeyError, TypeError, ValueError) as error:
        raise SireneUnavailable(f"réponse inattendue : {error!r}") from error
    return Count(total, total >= MAX_TOTAL)


def search_url(naf: str, *, commune: str = "", departement: str = "") -> str:
    """The same list on the public site annuaire-entreprises.data.gouv.fr."""
    params = {"activite_principale": naf, "etat_administratif": "A"}
    if commune:
        params["code_commune"] = commune
    elif departement:
        params["departement"] = departement
    return str(httpx.URL("https://annuaire-entreprises.data.gouv.fr/rechercher", params=params))


# The HTTP side -------------------------------------------------------------------------------


def cached_get(key: str, params: dict) -> dict:
    if not enabled():
        raise SireneUnavailable("SIRENE_API_URL n'est pas configurée")
    cache_key = f"sirene:{key}"
    data = cache.get(cache_key)
    if data is None:
        data = get(params)
        cache.set(cache_key, data, settings.SIRENE_CACHE_SECONDS)
    return data


def get(params: dict) -> dict:
    wait_turn()
    try:
        response = httpx.get(f"{settings.SIRENE_API_URL}/search", params=params, timeout=TIMEOUT)
    except httpx.HTTPError as error:
        raise SireneUnavailable(f"{type(error).__name__}: {error}") from error
    if response.status_code != 200:
        # 429 and 5xx: busy or broken; a 4xx: a question it refuses. Either way, no answer.
        raise SireneUnavailable(f"HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError as error:
        raise SireneUnavailable(f"réponse inattendue : {error!r}") from error
    if not isinstance(data, dict) or not isinstance(data.get("results", []), list):
        raise SireneUnavailable("réponse inattendue")
    return data


def wait_turn() -> None:
    """Space this process's calls by MIN_INTERVAL seconds."""
    global _last_call
    with _lock:
        wait = _last_call + MIN_INTERVAL - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        _last_call = time.monotonic()
