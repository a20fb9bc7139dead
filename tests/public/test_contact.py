"""The contact form: a `detected` person for the leader, and the abuse it must resist."""

from datetime import time

import pytest

from amorce.audit.models import AuditEntry
from amorce.people.journey import Step
from amorce.people.models import Person
from amorce.public import contact_requests, views
from amorce.public.timetable import TimetableRow

URL = "/carcassonne/contact/"
MONDAY = TimetableRow("Lundi", time(9), time(12), "Bureau CitésLab", "13 rue Victor Hugo", "", "")


def request_form(**changes):
    data = {
        "first_name": "Samira",
        "last_name": "Benali",
        "phone": "0612345678",
        "email": "",
        "commune": "11069",
        "idea": "Un food-truck de cuisine du monde",
        "agreed": "on",
        "website": "",
    }
    return data | changes


def test_the_form_opens_without_login(client, site):
    page = client.get(URL).content.decode()
    assert '<option value="11069">Carcassonne</option>' in page
    assert '<option value="11001">Aigues-Vives</option>' in page
    assert "Ce que deviennent vos informations" in page
    assert "2 ans après le dernier contact" in page


def test_a_request_creates_a_detected_person(client, site, leader):
    response = client.post(URL, request_form())
    assert response.status_code == 302
    assert response.url == "/carcassonne/contact/merci/"
    person = Person.objects.get()
    assert (person.site, person.first_name, person.last_name) == (site, "Samira", "Benali")
    assert person.phone == "06 12 34 56 78"
    assert person.commune_id == "11069"
    assert person.postcode == "11000"
    assert person.contact_source == "internet"
    assert person.idea == "Un food-truck de cuisine du monde"
    assert person.current_step == Step.DETECTED
    assert person.journey_open


def test_the_request_is_journaled(client, site):
    client.post(URL, request_form(), REMOTE_ADDR="203.0.113.7")
    entry = AuditEntry.objects.get()
    person = Person.objects.get()
    assert (entry.person, entry.site, entry.actor, entry.action) == (person, site, None, "create")
    assert entry.actor_label == "anonyme"
    assert entry.ip_address == "203.0.113.7"


def test_the_preferred_permanence_reaches_the_file(client, site, monkeypatch):
    monkeypatch.setattr(views, "public_timetable", lambda site: [MONDAY])
    page = client.get(URL).content.decode()
    assert "Lundi 9 h – 12 h, Bureau CitésLab" in page
    client.post(URL, request_form(permanence="Lundi 9 h – 12 h, Bureau CitésLab"))
    assert Person.objects.get().idea.endswith(
        "Permanence souhaitée : Lundi 9 h – 12 h, Bureau CitésLab"
    )


def test_an_unknown_permanence_is_refused(client, site, monkeypatch):
    monkeypatch.setattr(views, "public_timetable", lambda site: [MONDAY])
    response = client.post(URL, request_form(permanence="Dimanche minuit"))
    assert response.status_code == 200
    assert not Person.objects.exists()


def test_an_email_alone_is_enough(client, site):
    client.post(URL, request_form(phone="", email="samira@example.org"))
    assert Person.objects.get().email == "samira@example.org"


def test_a_phone_or_an_email_is_required(client, site):
    response = client.post(URL, request_form(phone="", email=""))
    assert response.status_code == 200
    assert "Indiquez un téléphone ou un e-mail" in response.content.decode()
    assert not Person.objects.exists()


def test_the_agreement_is_required(client, site):
    data = request_form()
    del data["agreed"]
    page = client.post(URL, data).content.decode()
    assert "Cochez la case" in page
    assert not Person.objects.exists()


def test_a_commune_outside_the_territory_is_refused(client, site, other_site):
    page = client.post(URL, request_form(commune="11262")).content.decode()
    assert "Choisissez votre commune dans la liste." in page
    assert not Person.objects.exists()


def test_an_empty_post_shows_the_errors(client, site):
    page = client.post(URL, {}).content.decode()
    assert "Indiquez votre prénom." in page


def test_the_thank_you_page_echoes_no_personal_data(client, site):
    response = client.post(
        URL, request_form(email="samira@example.org", phone="0612345678"), follow=True
    )
    page = response.content.decode()
    assert "Merci, votre demande est bien envoyée" in page
    for personal in ("Samira", "Benali", "06 12", "0612", "samira@", "food-truck"):
        assert personal not in page


def test_a_filled_honeypot_creates_nothing_but_looks_normal(client, site):
    response = client.post(URL, request_form(website="https://spam.example"))
    assert response.status_code == 302
    assert response.url == "/carcassonne/contact/merci/"
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, site):
    page = client.get(URL).content.decode()
    assert '<div class="trap" aria-hidden="true">' in page
    assert 'tabindex="-1"' in page


def test_requests_are_limited_per_address(client, site):
    for n in range(5):
        client.post(URL, request_form(first_name=f"Personne{n}"), REMOTE_ADDR="198.51.100.1")
    response = client.post(URL, request_form(), REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    assert "réessayez dans une heure" in response.content.decode()
    assert Person.objects.count() == 5
    # Another address is not affected.
    assert client.post(URL, request_form(), REMOTE_ADDR="198.51.100.2").status_code == 302
    assert Person.objects.count() == 6


def test_an_ipv6_client_is_counted_by_its_network(rf):
    from amorce.public.ratelimit import client_key

    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    same_network = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other = rf.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert client_key(one) == client_key(same_network) != client_key(other)


def test_a_flood_creates_a_bounded_number_of_persons(client, site, monkeypatch):
    monkeypatch.setattr(contact_requests, "DAILY_LIMIT", 3)
    for n in range(5):
        response = client.post(URL, request_form(), REMOTE_ADDR=f"192.0.2.{n}")
    assert Person.objects.count() == 3
    assert response.status_code == 200
    page = response.content.decode()
    assert "ne pouvons plus en enregistrer" in page
    assert "Samira" not in page


def test_the_daily_bound_is_per_site(client, site, other_site, monkeypatch):
    monkeypatch.setattr(contact_requests, "DAILY_LIMIT", 1)
    client.post(URL, request_form(), REMOTE_ADDR="192.0.2.1")
    client.post("/narbonne/contact/", request_form(commune="11262"), REMOTE_ADDR="192.0.2.2")
    assert Person.objects.filter(site=site).count() == 1
    assert Person.objects.filter(site=other_site).count() == 1


@pytest.mark.parametrize("field", ["first_name", "idea"])
def test_markup_typed_in_the_form_is_not_reflected(client, site, field):
    page = client.post(
        URL, request_form(**{field: "<script>alert(1)</script>", "phone": ""})
    ).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_the_request_waits_on_the_leaders_dashboard(client, site):
    from amorce.core.todo import leader_todo

    assert leader_todo(site).online_requests == []
    client.post(URL, request_form())
    assert len(leader_todo(site).online_requests) == 1


def test_a_request_marked_handled_leaves_the_inbox(client, as_user, leader, outsider, site):
    from django.urls import reverse

    from amorce.core.todo import leader_todo

    client.post(URL, request_form())
    [person] = leader_todo(site).online_requests
    url = reverse("people:callback_done", args=[person.pk])
    assert as_user(outsider).post(url).status_code == 404
    home = as_user(leader).get(reverse("core:home")).content.decode()
    assert "Demandes reçues par la page publique" in home and url in home
    assert as_user(leader).post(url).status_code == 302
    assert leader_todo(site).online_requests == []
    person.refresh_from_db()
    assert person.current_step == "detected"  # handled is not a stage: the file stays as it is
