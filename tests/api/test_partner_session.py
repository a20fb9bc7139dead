"""A partner's scripted session through the API: list, accept, close with a financing;
then the leader's page and the report show it."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from amorce.audit.models import AuditEntry
from amorce.referrals.models import Referral, Status
from amorce.reports.compute import compute_report

TODAY = timezone.localdate


def test_a_partner_lists_accepts_and_closes_with_a_financing(
    api, bearer, as_user, partner, leader, porteur, adie, send
):
    referral = send(porteur, adie, days_ago=3)
    auth = bearer(partner)

    listed = api.get(reverse("api:orientations"), {"statut": "sent"}, headers=auth)
    assert listed.status_code == 200, listed.content
    [row] = listed.json()["results"]
    assert row["id"] == referral.pk
    assert row["personne"]["nom"] == "Haddad" and row["personne"]["telephone"]
    assert row["statut"] == "sent"

    read = api.get(reverse("api:orientation", args=[referral.pk]), headers=auth)
    etag = read["ETag"]
    accepted = api.post(
        reverse("api:accepter", args=[referral.pk]),
        {"commentaire": "Rendez-vous pris"},
        content_type="application/json",
        headers=auth | {"If-Match": etag},
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["statut"] == "accepted"
    assert accepted["ETag"] != etag

    # The old ETag no longer matches: a second client that read before is refused.
    stale = api.post(
        reverse("api:cloturer", args=[referral.pk]),
        {"financement_accorde": True, "financement": "microcredit", "montant": 4500},
        content_type="application/json",
        headers=auth | {"If-Match": etag},
    )
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert Referral.objects.get().status == Status.ACCEPTED

    closed = api.post(
        reverse("api:cloturer", args=[referral.pk]),
        {
            "financement_accorde": True,
            "financement": "microcredit",
            "montant": "4500.00",
            "entreprise_creee": False,
        },
        content_type="application/json",
        headers=auth | {"If-Match": accepted["ETag"]},
    )
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["statut"] == "done"
    assert body["resultat"]["financement"] == "microcredit"
    assert Decimal(str(body["resultat"]["montant"])) == Decimal("4500")
    assert [event["type"] for event in body["historique"]] == ["sent", "accepted", "done"]

    referral.refresh_from_db()
    assert referral.financing_granted and referral.financing_amount == Decimal("4500")
    # The same log and journal as the pages: who answered, and each read of the person.
    assert "Microcrédit accordé" in referral.events.last().note
    assert AuditEntry.objects.filter(person=porteur, actor=partner, action="view").exists()
    assert AuditEntry.objects.filter(person=porteur, actor=partner, action="change").count() == 2

    page = as_user(leader).get(reverse("people:detail", args=[porteur.pk])).content.decode()
    assert "Microcrédit accordé" in page

    year = TODAY().year
    report = compute_report([porteur.site], date(year, 1, 1), date(year, 12, 31))
    amount = find(report, "financing_amount")
    assert amount["by_type"]["microcredit"] == 4500


def test_a_second_answer_is_a_conflict_not_an_overwrite(api, bearer, partner, porteur, adie, send):
    referral = send(porteur, adie)
    auth = bearer(partner)
    url = reverse("api:refuser", args=[referral.pk])
    first = api.post(url, {"motif": "not_eligible"}, content_type="application/json", headers=auth)
    again = api.post(
        reverse("api:accepter", args=[referral.pk]), {}, content_type="application/json",
        headers=auth,
    )  # fmt: skip

    assert first.status_code == 200
    assert again.status_code == 409
    assert again.json()["title"] == "Conflit"
    assert Referral.objects.get().status == Status.REFUSED


def test_a_refusal_without_a_reason_names_the_field(api, bearer, partner, porteur, adie, send):
    referral = send(porteur, adie)
    response = api.post(
        reverse("api:refuser", args=[referral.pk]), {}, content_type="application/json",
        headers=bearer(partner),
    )  # fmt: skip

    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["champ"] == "motif"
    assert "motif" in problem["detail"]
    assert Referral.objects.get().status == Status.SENT


def test_a_granted_financing_without_amount_is_refused_by_the_domain(
    api, bearer, partner, porteur, adie, send
):
    referral = send(porteur, adie)
    response = api.post(
        reverse("api:cloturer", args=[referral.pk]),
        {"financement_accorde": True, "financement": "microcredit"},
        content_type="application/json",
        headers=bearer(partner),
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"champ": "montant", "message": "Indiquez le montant accordé, en euros."}
    ]
    assert Referral.objects.get().status == Status.SENT


def find(tree, key):
    """The first value under `key` anywhere in the report's JSON form."""
    if isinstance(tree, dict):
        if key in tree:
            return tree[key]
        tree = list(tree.values())
    if isinstance(tree, list):
        for value in tree:
            found = find(value, key)
            if found is not None:
                return found
    return None
