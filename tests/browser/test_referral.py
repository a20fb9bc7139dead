"""A leader refers a person to ADIE with her agreement; ADIE's adviser finds her, and
only her, accepts, then closes with a 5 000 € microcredit; the leader reads each step on
the person's timeline."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from amorce.people import actions as people_actions
from amorce.people.journey import Step
from tests.browser.accessibility import assert_accessible
from tests.browser.steps import code_for_device, log_in, submit_code, visit
from tests.factories import PersonFactory, TOTPDeviceFactory
from tests.referrals.factories import PartnerFactory


def test_a_referral_from_the_leader_to_adie_and_back(
    page, browser, live_server, screenshot, leader, partner, site
):
    today = timezone.localdate()
    samia = PersonFactory(site=site, first_name="Samia", last_name="Haddad", phone="0612345678",
                          idea="Traiteur de cuisine orientale")  # fmt: skip
    people_actions.open_journey(samia, today - timedelta(days=30), author=leader)
    people_actions.move_journey(samia, Step.EMERGING, today - timedelta(days=10), author=leader)
    PersonFactory(site=site, first_name="Yanis", last_name="Ould")  # never referred
    PartnerFactory(site=site, name="ADIE", organisation=partner.memberships.get().organisation)
    PartnerFactory(site=site, name="BGE", network="bge", organisation=None, offers_support=True)
    device = TOTPDeviceFactory(user=leader)

    log_in(page, leader.email)
    submit_code(page, code_for_device(device))
    visit(page, f"/personnes/{samia.pk}/")
    page.get_by_role("link", name="Orienter vers un partenaire").first.click()
    expect(page.get_by_role("heading", name="Orienter vers un partenaire")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("^Partenaire")).select_option(label="ADIE (financement)")
    page.get_by_label("Financement", exact=True).check()
    page.get_by_label("Message au partenaire").fill("Besoin de 5 000 € pour le matériel.")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("Sans l'accord de la personne").first).to_be_visible()
    screenshot("orientation-sans-accord")
    page.get_by_label("La personne accepte que sa fiche soit transmise à ce partenaire").check()
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("Orientation vers ADIE envoyée")).to_be_visible()
    expect(page.get_by_text("Orientation envoyée : ADIE")).to_be_visible()
    assert_accessible(page)
    screenshot("fiche-apres-orientation")

    # ADIE's adviser, on their own computer.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    leaders_page, page = page, context.new_page()
    log_in(page, partner.email)
    expect(page.get_by_role("heading", name=re.compile("Orientations reçues"))).to_be_visible()
    expect(page.get_by_role("link", name="Samia Haddad")).to_be_visible()
    expect(page.get_by_text("Ould")).to_have_count(0)
    assert_accessible(page)
    screenshot("espace-partenaire", page)
    page.get_by_role("link", name="Samia Haddad").click()
    expect(page.get_by_text("Besoin de 5 000 € pour le matériel.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accepter l'orientation").click()
    expect(
        page.get_by_text("Orientation acceptée : le chef de projet est prévenu.")
    ).to_be_visible()
    page.get_by_label("Un financement a-t-il été accordé ?").select_option(label="Oui")
    page.get_by_label("Type de financement").select_option(label="Microcrédit")
    page.get_by_label("Montant (€)").fill("5 000")
    page.get_by_role("button", name="Clôturer").click()
    expect(page.get_by_text("Microcrédit accordé : 5").first).to_be_visible()
    assert_accessible(page)
    screenshot("orientation-cloturee", page)
    context.close()

    page = leaders_page
    visit(page, f"/personnes/{samia.pk}/")
    for step in ("Orientation envoyée : ADIE", "Orientation acceptée : ADIE",
                 "Orientation clôturée : ADIE"):  # fmt: skip
        expect(page.get_by_text(step)).to_be_visible()
    expect(page.get_by_text("Étape : Orienté")).to_be_visible()
    screenshot("historique-de-la-fiche")
