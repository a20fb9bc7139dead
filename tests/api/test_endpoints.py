"""Each endpoint as each role: what the pages' rules (roles.md) let it reach, and only that."""

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.people import actions as people_actions
from amorce.people.models import Person
from amorce.referrals.models import Referral, Status
from tests.factories import PersonFactory

TODAY = timezone.localdate

TOKEN_ENDPOINTS = [
    "orientations", "personnes", "parcours", "entretiens", "entreprises", "sites", "bilans",
]  # fmt: skip
# Who gets a 200 on each list (roles.md); everyone else a 403 problem.
ALLOWED = {
    "orientations": {"leader", "partner"},
    "personnes": {"leader"},
    "parcours": {"leader"},
    "entretiens": {"leader"},
    "entreprises": {"leader"},
    "sites": {"leader", "funder", "network", "admin_user"},
    "bilans": {"leader", "funder", "network"},
}
ROLES = ["leader", "partner", "funder", "network", "admin_user"]


@pytest.fixture
def sent(porteur, adie, send):
    return send(porteur, adie, days_ago=2)


def get_as(api, bearer, user, name, *args, **params):
    headers = bearer(user) if user is not None else {}
    return api.get(reverse(f"api:{name}", args=args), params, headers=headers)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", TOKEN_ENDPOINTS)
def test_each_list_answers_the_roles_of_the_pages(request, api, bearer, sent, role, name):
    user = request.getfixturevalue(role)
    response = get_as(api, bearer, user, name)
    if role in ALLOWED[name]:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert "Haddad" not in response.content.decode()


@pytest.mark.parametrize("name", TOKEN_ENDPOINTS)
def test_without_a_token_every_private_endpoint_is_a_401_problem(api, name):
    response = api.get(reverse(f"api:{name}"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["title"] == "Authentification requise"


def test_a_leader_reads_their_site_and_the_journal_says_so(api, bearer, leader, porteur, sent):
    auth = bearer(leader)
    persons = api.get(reverse("api:personnes"), headers=auth).json()["results"]
    assert [p["nom"] for p in persons] == ["Haddad"]
    detail = api.get(reverse("api:personne", args=[porteur.pk]), headers=auth)
    assert detail.json()["telephone"] == "0612345678"
    assert detail["ETag"]
    journeys = api.get(reverse("api:parcours"), headers=auth).json()["results"]
    assert [t["etape"] for t in journeys[0]["transitions"]] == ["detected", "emerging", "oriented"]
    referrals = api.get(reverse("api:orientations"), headers=auth).json()["results"]
    assert [r["id"] for r in referrals] == [sent.pk]
    entries = AuditEntry.objects.filter(person=porteur, actor=leader, action="view")
    assert entries.count() == 4  # the list of persons, the file, the journeys, the referrals


def test_the_person_etag_follows_its_version(api, bearer, leader, porteur):
    auth = bearer(leader)
    url = reverse("api:personne", args=[porteur.pk])
    before = api.get(url, headers=auth)["ETag"]
    Person.objects.filter(pk=porteur.pk).update(version=porteur.version + 1)
    assert api.get(url, headers=auth)["ETag"] != before


def test_changes_since_leaves_out_what_did_not_change(api, bearer, leader, porteur, site):
    auth = bearer(leader)
    later = timezone.now() + timezone.timedelta(minutes=5)
    response = api.get(
        reverse("api:personnes"), {"modifie_depuis": later.isoformat()}, headers=auth
    )
    assert response.json()["results"] == []
    bad = api.get(reverse("api:personnes"), {"modifie_depuis": "hier"}, headers=auth)
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["champ"] == "modifie_depuis"


def test_another_sites_leader_reaches_nothing_of_this_site(api, bearer, outsider, porteur, sent):
    auth = bearer(outsider)
    assert api.get(reverse("api:personnes"), headers=auth).json()["results"] == []
    assert api.get(reverse("api:orientations"), headers=auth).json()["results"] == []
    for name, pk in (("personne", porteur.pk), ("orientation", sent.pk)):
        response = api.get(reverse(f"api:{name}", args=[pk]), headers=auth)
        assert response.status_code == 404
        assert "Haddad" not in response.content.decode()


def test_another_partner_sees_nothing_and_answers_nothing(api, bearer, other_partner_user, sent):
    auth = bearer(other_partner_user)
    assert api.get(reverse("api:orientations"), headers=auth).json()["results"] == []
    assert api.get(reverse("api:orientation", args=[sent.pk]), headers=auth).status_code == 404
    response = api.post(
        reverse("api:accepter", args=[sent.pk]), {}, content_type="application/json",
        headers=auth,
    )  # fmt: skip
    assert response.status_code == 404
    assert Referral.objects.get().status == Status.SENT


def test_a_partner_never_sees_a_withdrawn_referral(api, bearer, partner, leader, sent):
    from amorce.referrals import actions

    actions.withdraw_consent(sent, author=leader)
    auth = bearer(partner)
    assert api.get(reverse("api:orientations"), headers=auth).json()["results"] == []
    assert api.get(reverse("api:orientation", args=[sent.pk]), headers=auth).status_code == 404


def test_a_leader_cannot_answer_for_the_partner(api, bearer, leader, sent):
    response = api.post(
        reverse("api:accepter", args=[sent.pk]), {}, content_type="application/json",
        headers=bearer(leader),
    )  # fmt: skip
    assert response.status_code == 403
    assert Referral.objects.get().status == Status.SENT


def test_filters_of_the_partner_list(api, bearer, partner, porteur, adie, send, site):
    old = send(porteur, adie, days_ago=20)
    new = send(PersonFactory(site=site), adie, days_ago=1)
    auth = bearer(partner)

    def ids(**params):
        response = api.get(reverse("api:orientations"), params, headers=auth)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {old.pk, new.pk}
    since = (TODAY() - timezone.timedelta(days=5)).isoformat()
    assert ids(du=since) == {new.pk}
    assert ids(au=since) == {old.pk}
    assert ids(site=site.slug) == {old.pk, new.pk}
    assert ids(site="ailleurs") == set()
    assert ids(statut="done") == set()
    bad = api.get(reverse("api:orientations"), {"statut": "perdue"}, headers=auth)
    assert bad.status_code == 400 and bad.json()["errors"][0]["champ"] == "statut"


def test_pages_follow_a_cursor(api, bearer, leader, site):
    for n in range(3):
        PersonFactory(site=site, last_name=f"Nom{n}")
    auth = bearer(leader)
    first = api.get(reverse("api:personnes"), {"taille": 2}, headers=auth).json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"], headers=auth).json()
    assert len(second["results"]) == 1 and second["next"] is None
    bad = api.get(reverse("api:personnes"), {"curseur": "zzz"}, headers=auth)
    assert bad.status_code == 404 and bad["Content-Type"] == "application/problem+json"


# Reports and sites -------------------------------------------------------------------------


def test_a_funder_gets_the_masked_report_of_the_sites_it_funds(
    api, bearer, funder, site, other_site, sent
):
    auth = bearer(funder)
    sites = api.get(reverse("api:sites"), headers=auth).json()["results"]
    assert [s["slug"] for s in sites] == [site.slug]
    report = api.get(reverse("api:bilans"), {"site": site.slug}, headers=auth)
    assert report.status_code == 200
    body = report.json()
    assert body["masked"] is True and body["scope"]["sites"] == [site.slug]
    assert "indicators" in body and "funnel" in body
    refused = api.get(reverse("api:bilans"), {"site": other_site.slug}, headers=auth)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["champ"] == "site"
    assert other_site.name not in refused.content.decode()
    assert AuditEntry.objects.filter(actor=funder, action="download").count() == 1


def test_the_leader_gets_their_site_unmasked_and_the_network_every_site_masked(
    api, bearer, leader, network, site, other_site
):
    mine = api.get(reverse("api:bilans"), headers=bearer(leader)).json()
    assert mine["masked"] is False and mine["scope"]["sites"] == [site.slug]
    every = api.get(reverse("api:bilans"), {"du": "2026-01-01"}, headers=bearer(network)).json()
    assert every["masked"] is True
    assert set(every["scope"]["sites"]) == {site.slug, other_site.slug}
    bad = api.get(reverse("api:bilans"), {"du": "2026-05-01", "au": "2026-01-01"},
                  headers=bearer(network))  # fmt: skip
    assert bad.status_code == 400 and bad.json()["errors"][0]["champ"] == "au"


# Creating a person ---------------------------------------------------------------------------

NEW_PERSON = {
    "prenom": "Lina",
    "nom": "Benali",
    "telephone": "0698765432",
    "code_postal": "11000",
    "situation": "demandeur_emploi",
    "inscrit_france_travail": True,
    "duree_chomage_mois": 14,
}


def test_a_leader_creates_a_person_through_the_intake(api, bearer, leader, site):
    response = api.post(reverse("api:personnes"), NEW_PERSON, content_type="application/json",
                        headers=bearer(leader))  # fmt: skip
    assert response.status_code == 201, response.content
    person = Person.objects.get(last_name="Benali")
    assert response["Location"] == reverse("api:personne", args=[person.pk])
    assert person.phone == "06 98 76 54 32"  # cleaned by the intake form
    assert person.registered_france_travail is True and person.unemployment_months == 14
    assert person.journeys.get().step == "detected"  # intake_person opened the journey
    assert AuditEntry.objects.filter(person=person, action="create").exists()


def test_a_likely_duplicate_is_a_409_until_confirmed(api, bearer, leader, porteur):
    auth = bearer(leader)
    twin = {"prenom": "Samia", "nom": "HADDAD", "telephone": "06 12 34 56 78"}
    response = api.post(reverse("api:personnes"), twin, content_type="application/json",
                        headers=auth)  # fmt: skip
    assert response.status_code == 409
    assert response.json()["doublons"] == [porteur.pk]
    assert Person.objects.count() == 1
    confirmed = api.post(reverse("api:personnes"), twin | {"confirmer_doublon": True},
                         content_type="application/json", headers=auth)  # fmt: skip
    assert confirmed.status_code == 201


def test_a_bad_field_is_named_and_nothing_is_written(api, bearer, leader):
    body = NEW_PERSON | {"code_postal": "11", "date_naissance": "2999-01-01"}
    response = api.post(reverse("api:personnes"), body, content_type="application/json",
                        headers=bearer(leader))  # fmt: skip
    assert response.status_code == 400
    named = {error["champ"] for error in response.json()["errors"]}
    assert named == {"code_postal", "date_naissance"}
    assert not Person.objects.exists()


def test_creating_needs_the_create_scope(api, bearer, leader):
    response = api.post(reverse("api:personnes"), NEW_PERSON, content_type="application/json",
                        headers=bearer(leader, scopes=["read"]))  # fmt: skip
    assert response.status_code == 403
    assert not Person.objects.exists()


# Public ------------------------------------------------------------------------------------


def test_anyone_reads_a_sites_public_timetable(api, site):
    response = api.get(reverse("api:permanences", args=[site.slug]))
    assert response.status_code == 200 and response.json() == []
    assert api.get(reverse("api:permanences", args=["nulle-part"])).status_code == 404


def test_anyone_checks_a_point_and_nothing_is_stored(api, db):
    before = AuditEntry.objects.count()
    response = api.get(reverse("api:qpv"), {"lat": 43.2130, "lon": 2.3491})
    assert response.status_code == 200
    assert response.json()["verdict"] in {"in_qpv", "outside", "near_boundary", "not_covered"}
    bad = api.get(reverse("api:qpv"), {"lat": 123, "lon": 2})
    assert bad.status_code == 400 and bad.json()["errors"][0]["champ"] == "lat"
    assert AuditEntry.objects.count() == before


def test_the_public_check_is_rate_limited_per_address(api, db, settings):
    settings.API_RATE_PUBLIC = "2/minute"
    from django.core.cache import cache

    cache.clear()
    codes = [api.get(reverse("api:qpv"), {"lat": 43.2, "lon": 2.3}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    cache.clear()


def test_journeys_meetings_and_companies_lists_are_the_sites_own(
    api, bearer, leader, outsider, porteur, other_site
):
    stranger = PersonFactory(site=other_site)
    people_actions.open_journey(stranger, TODAY(), author=outsider)
    for person, author in ((porteur, leader), (stranger, outsider)):
        people_actions.record_meeting(person, author=author, on=TODAY(), notes="Notes privées")
    auth = bearer(leader)
    journeys = api.get(reverse("api:parcours"), headers=auth).json()["results"]
    assert {j["personne"] for j in journeys} == {porteur.pk}
    meetings = api.get(reverse("api:entretiens"), headers=auth).json()["results"]
    assert {m["personne"] for m in meetings} == {porteur.pk}
    assert api.get(reverse("api:entreprises"), headers=auth).json()["results"] == []
