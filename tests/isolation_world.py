"""One rich site A (and a site B) for the isolation walk of `test_isolation.py`.

Site A holds something behind every URL pattern: persons whose names, e-mails,
phones, addresses and notes are made of tokens that cannot appear by chance, so
that finding one in a response means it leaked. Everything is written through the
domain functions the pages call, as far as they exist.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from amorce.accounts.models import Membership, Organisation, Role
from amorce.actions import planning as action_planning
from amorce.actions.models import CollectiveAction, Kind
from amorce.agreements.models import Agreement, FunderLogo, Funding, Objective
from amorce.committees import planning as committee_planning
from amorce.committees.models import Committee
from amorce.companies.models import CompanyCheck
from amorce.exchange.models import WorkbookImport
from amorce.mentors import actions as mentor_actions
from amorce.mentors.models import ContactPreference, Mentor
from amorce.partners.models import Network, Partner, PartnerContact
from amorce.people import actions as people_actions
from amorce.people.choices import ConsentScope
from amorce.people.journey import Step
from amorce.people.models import Person
from amorce.permanences import appointments
from amorce.permanences import planning as permanence_planning
from amorce.permanences.models import LeaderCalendar, OfficeHours, Venue, Weekday
from amorce.referrals import actions as referral_actions
from amorce.spreadsheets.models import SpreadsheetMapping, SpreadsheetUpload
from amorce.territories.models import Qpv
from tests.factories import MembershipFactory, OrganisationFactory, SiteFactory, UserFactory

CARCASSONNE = ["11069", "11001"]
NARBONNE = ["11262"]


@dataclass
class Secret:
    """What must not leak about one person of site A, by kind."""

    person: Person
    name: list[str]
    contact: list[str]
    address: list[str]
    notes: list[str] = field(default_factory=list)
    project: list[str] = field(default_factory=list)  # what a partner may read of a referral

    def tokens(self, *kinds):
        return [(f"A person's {kind}", token) for kind in kinds for token in getattr(self, kind)]


@dataclass
class World:
    site_a: object
    site_b: object
    users: dict  # role name -> user
    objects: dict  # name -> object of site A (what the URL kwargs are filled with)
    secrets: list[Secret]
    referred: Person  # the one person referred to the partner with access
    calendar_token: str
    objects_b: dict  # the same for site B, whose leader sends its forms naming A's objects
    # Names of site A's own records (not persons): a list or a select of another site's
    # pages offering one of them is a queryset left unscoped.
    records: dict = field(default_factory=dict)


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def member(role, *, email, organisation, site=None, first_name="Agent", last_name="Test"):
    user = UserFactory(email=email, first_name=first_name, last_name=last_name)
    MembershipFactory(user=user, organisation=organisation, role=role, site=site)
    return user


def person(site, leader, first, last, *, email, phone, address, idea, qpv=None, days=300):
    """A person met at intake `days` ago, through the same steps as a leader's pages."""
    someone = Person.objects.create(
        site=site,
        first_name=first,
        last_name=last,
        sex=Person.Sex.FEMALE,
        birth_date=date(1990, 4, 12),
        email=email,
        phone=phone,
        address=address,
        postcode="11000",
        commune_id="11069",
        idea=idea,
        qpv_code=qpv.code if qpv else "",
        qpv_name=qpv.name if qpv else "",
        qpv_generation=qpv.generation if qpv else None,
    )
    people_actions.open_journey(someone, days_ago(days), author=leader)
    return someone


def build_world() -> World:  # noqa: PLR0915 - one scene, written in order
    site_a = SiteFactory(slug="site-a-walk", name="CitésLab Alpha", communes=CARCASSONNE)
    site_b = SiteFactory(slug="site-b-walk", name="CitésLab Bravo", communes=NARBONNE)
    leader = member(
        Role.LEADER, email="leader.a@example.org", organisation=site_a.host_organisation,
        site=site_a, first_name="Lina", last_name="Alpha",
    )  # fmt: skip
    leader_b = member(
        Role.LEADER, email="leader.b@example.org", organisation=site_b.host_organisation,
        site=site_b, first_name="Oscar", last_name="Bravo",
    )  # fmt: skip
    qpv = Qpv.objects.filter(communes="11069", generation=2024).order_by("code").first()

    # Persons: 3 in one QPV (a small count a funder must never see unmasked), 6 in all.
    zephyrine = person(
        site_a, leader, "Zéphyrine", "Quartzbleu", email="zephyrine.quartzbleu@exemple.test",
        phone="0791827364", address="17 impasse des Orvetsdores", idea="Biscuiterie Nacrelune",
        qpv=qpv,
    )  # fmt: skip
    anatole = person(
        site_a, leader, "Anatole", "Brumegivre", email="anatole.brumegivre@exemple.test",
        phone="0792837465", address="4 chemin de Cardelinoux", idea="Garage Pourpremoteur",
        qpv=qpv,
    )  # fmt: skip
    philomene = person(
        site_a, leader, "Philomène", "Ocrevif", email="philomene.ocrevif@exemple.test",
        phone="0793848576", address="9 rue des Tamarinsgris", idea="Atelier Saulegivre",
        qpv=qpv,
    )  # fmt: skip
    barnabe = person(
        site_a, leader, "Barnabé", "Sylvecorne", email="barnabe.sylvecorne@exemple.test",
        phone="0794859687", address="2 place Vermicellane", idea="Traiteur Gruppendor",
    )  # fmt: skip
    barnabe_twin = person(
        site_a, leader, "Barnabé", "Sylvecorne", email="b.sylvecorne@exemple.test",
        phone="0795860798", address="2 place Vermicellane", idea="", days=200,
    )  # fmt: skip
    hortense = person(
        site_a, leader, "Hortense", "Zinzolabre", email="hortense.zinzolabre@exemple.test",
        phone="0796871809", address="31 allée Pichoumerle", idea="Fleuriste Ambrevole",
    )  # fmt: skip

    for someone, note in [
        (zephyrine, "Notes Kestrelvent sur sa situation"),
        (anatole, "Notes Fennogrive sur son projet"),
        (philomene, "Notes Lustrapic et ses freins"),
        (barnabe, "Notes Morvandelle du premier entretien"),
        (hortense, "Notes Tourbillaque confidentielles"),
    ]:
        people_actions.record_meeting(
            someone, author=leader, on=days_ago(280), duration_minutes=60, notes=note,
            subject="Premier entretien",
        )  # fmt: skip
    for someone in (zephyrine, philomene):
        people_actions.give_consent(someone, ConsentScope.CONTACT, days_ago(280), author=leader)
    people_actions.create_project(
        [zephyrine], started_on=days_ago(270), title="Projet Quartzbleu biscuits"
    )
    project = people_actions.create_project(
        [philomene], started_on=days_ago(270), title="Projet Ocrevif atelier"
    )

    # Partners: one with access to A's referrals, one linked in A's directory whose staff
    # were given access by site B only.
    org_access = OrganisationFactory(name="ADIE Walk", kind=Organisation.Kind.PARTNER)
    org_other = OrganisationFactory(name="BGE Walk", kind=Organisation.Kind.PARTNER)
    partner_access = Partner.objects.create(
        site=site_a, name="ADIE Alpha", network=Network.ADIE, organisation=org_access,
        offers_financing=True, offers_support=True,
    )  # fmt: skip
    partner_other = Partner.objects.create(
        site=site_a, name="BGE Alpha", network=Network.BGE, organisation=org_other,
        offers_financing=True, offers_support=True,
    )  # fmt: skip
    Partner.objects.create(
        site=site_b, name="BGE Bravo", network=Network.BGE, organisation=org_other,
        offers_support=True,
    )  # fmt: skip
    contact = PartnerContact.objects.create(
        partner=partner_access, name="Conseillère Adie", email="conseil@adie.example.org"
    )
    partner_user = member(
        Role.PARTNER, email="staff@adie.example.org", organisation=org_access, site=site_a
    )
    partner_nosite_user = member(
        Role.PARTNER, email="staff@bge.example.org", organisation=org_other, site=site_b
    )
    referral = referral_actions.send_referral(
        zephyrine, partner_access, purpose="financement", consent_on=days_ago(150),
        author=leader, on=days_ago(150), message="Message Pimprenaude au partenaire",
    )  # fmt: skip
    referral_other = referral_actions.send_referral(
        anatole, partner_other, purpose="financement", consent_on=days_ago(150),
        author=leader, on=days_ago(150), message="Message Caravelude au partenaire",
    )  # fmt: skip

    # A company and its checks.
    people_actions.move_journey(
        anatole, Step.CREATED, days_ago(100), author=leader,
        company=people_actions.CompanyFacts(
            created_on=days_ago(100), legal_form="micro", name="Garage Brumegivre"
        ),
    )  # fmt: skip
    company = anatole.companies.get()
    CompanyCheck.objects.create(
        company=company, month=6, checked_on=days_ago(5), active=True, jobs=1,
        note="Point Glissandrel", author=leader,
    )  # fmt: skip

    # A collective action held, with attendance and an idea.
    action = CollectiveAction(
        site=site_a, kind=Kind.CAFE_CREA, title="Café-créa Alpha", starts_at=at(days_ago(60), 14),
        venue="Maison des associations", capacity=12, created_by=leader,
    )  # fmt: skip
    action_planning.save_action(action, partners=[partner_access])
    attendance = action_planning.register(action, philomene)
    action_planning.register(action, hortense)
    action_planning.take_attendance(
        action, {philomene.pk: "present", hortense.pk: "absent"}, anonymous_count=2
    )
    attendance.refresh_from_db()
    action_planning.note_idea(attendance, "Idée Pivoinardise")

    # Venues, office hours, an appointment and the leader's calendar feed.
    venue = Venue.objects.create(
        site=site_a, name="Bureau Alpha", kind=Venue.Kind.OFFICE, address="1 rue du Site"
    )
    hours = permanence_planning.save_office_hours(
        OfficeHours(
            site=site_a, leader=leader, venue=venue, weekday=Weekday.MONDAY,
            starts_at=time(9), ends_at=time(12), slot_minutes=45, valid_from=date(2025, 1, 5),
        )
    )  # fmt: skip
    next_monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    while not permanence_planning.is_planned(hours, next_monday):
        next_monday += timedelta(days=7)
    appointment = appointments.book(
        philomene, at(next_monday, 9), leader=leader, author=leader, office_hours=hours,
        note="Rendez-vous Ombrelunette",
    )  # fmt: skip
    calendar = LeaderCalendar.objects.create(user=leader)

    # A committee with a case, a mentor and an introduction.
    committee = Committee(
        site=site_a, date=timezone.localdate() + timedelta(days=10), place="Mairie Alpha"
    )
    committee_planning.save_committee(committee, invited_partners=[partner_access], author=leader)
    case = committee_planning.add_case(committee, philomene, "Question Galetombe du financement")
    mentor = mentor_actions.save_mentor(
        Mentor(
            site=site_a, first_name="Mentor", last_name="Alpha", company_name="Boulangerie Alpha",
            trade="10", commune_id="11069", contact_preference=ContactPreference.LEADER,
            agreed_on=days_ago(400),
        )
    )  # fmt: skip
    introduction = mentor_actions.introduce(
        mentor, philomene, on=days_ago(30), note="Mise en relation Cendrefilou",
        project=project, author=leader,
    )  # fmt: skip

    # An agreement with a funding line and an objective; the funder funds site A only.
    funder_org = OrganisationFactory(name="Agglo Alpha", kind=Organisation.Kind.FUNDER)
    site_a.funders.add(funder_org)
    agreement = Agreement.objects.create(
        site=site_a,
        title="Convention Alpha",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    funding = Funding.objects.create(
        agreement=agreement, site=site_a, funder="État", amount=Decimal("50000"),
        starts_on=agreement.starts_on, ends_on=agreement.ends_on,
    )  # fmt: skip
    objective = Objective.objects.create(
        agreement=agreement, site=site_a, indicator="companies_created", target=10,
        starts_on=agreement.starts_on, ends_on=agreement.ends_on,
    )  # fmt: skip

    # A workbook import whose refused rows name a person.
    refused = Workbook()
    refused.active.append(["nom", "prénom", "motif"])
    refused.active.append(["Quartzbleu", "Zéphyrine", "Date invalide"])
    buffer = io.BytesIO()
    refused.save(buffer)
    workbook_import = WorkbookImport.objects.create(
        site=site_a, uploaded_by=leader, filename="alpha.xlsx",
        status=WorkbookImport.Status.CHECKED, refused=buffer.getvalue(),
    )  # fmt: skip

    # A site's own spreadsheet naming the person: being mapped, and converted.
    own_sheet = "NOM Prénom;Tél.\nQUARTZBLEU Zéphyrine;0791827364\n".encode("cp1252")
    spreadsheet_upload = SpreadsheetUpload.objects.create(
        site=site_a, uploaded_by=leader, filename="alpha.csv", data=own_sheet,
        spec={"sheets": ["alpha"], "header_row": 1, "columns_set": True,
              "columns": {"NOM Prénom": "nom_prenom", "Tél.": "personnes.telephone"}},
    )  # fmt: skip
    converted = WorkbookImport.objects.create(
        site=site_a, uploaded_by=leader, filename="alpha (converti).xlsx",
        status=WorkbookImport.Status.CHECKED, data=buffer.getvalue(),
    )  # fmt: skip
    spreadsheet_converted = SpreadsheetUpload.objects.create(
        site=site_a, uploaded_by=leader, filename="alpha.csv", data=own_sheet,
        spec=spreadsheet_upload.spec, workbook=converted,
    )  # fmt: skip
    spreadsheet_mapping = SpreadsheetMapping.objects.create(
        site=site_a, name="Suivi alpha", spec=spreadsheet_upload.spec, created_by=leader
    )

    objects_b = build_site_b(site_b, leader_b)

    users = {
        "owner": leader,
        "owner_unverified": leader,
        "leader_b": leader_b,
        "partner_access": partner_user,
        "partner_other": partner_nosite_user,
        "funder": member(Role.FUNDER, email="funder@alpha.example.org", organisation=funder_org),
        "network": member(
            Role.NETWORK,
            email="network@example.org",
            organisation=OrganisationFactory(name="Réseau", kind=Organisation.Kind.NETWORK),
        ),
        "admin": member(
            Role.ADMIN,
            email="admin@example.org",
            organisation=OrganisationFactory(name="Opérateur", kind=Organisation.Kind.OPERATOR),
        ),
    }
    # A funder's logo the leader uploaded for the reports' cover.
    logo = FunderLogo.objects.create(
        site=site_a, funder="Agglo Alpha", content_type="image/png", image=b"\x89PNG",
        width=1, height=1,
    )  # fmt: skip

    objects = {
        "site": site_a,
        "logo": logo,
        "staff_user": partner_user,
        "person": zephyrine,
        "other_person": anatole,
        "attendee": philomene,
        "project": project,
        "duplicate": barnabe,
        "duplicate_twin": barnabe_twin,
        "consent": zephyrine.consents.first(),
        "referral": referral,
        "referral_other": referral_other,
        "partner": partner_access,
        "partner_contact": contact,
        "company": company,
        "action": action,
        "venue": venue,
        "hours": hours,
        "hours_day": next_monday,
        "appointment": appointment,
        "committee": committee,
        "case": case,
        "mentor": mentor,
        "introduction": introduction,
        "agreement": agreement,
        "funding": funding,
        "objective": objective,
        "workbook_import": workbook_import,
        "spreadsheet_upload": spreadsheet_upload,
        "spreadsheet_converted": spreadsheet_converted,
        "spreadsheet_mapping": spreadsheet_mapping,
        "leader_user": leader,
        "leader_membership": Membership.objects.get(user=leader),
    }
    secrets = [
        Secret(
            zephyrine,
            name=["Zéphyrine", "Quartzbleu"],
            contact=["zephyrine.quartzbleu@exemple.test", "0791827364"],
            address=["Orvetsdores"],
            notes=["Kestrelvent"],
        ),
        Secret(
            anatole,
            name=["Anatole", "Brumegivre"],
            contact=["anatole.brumegivre@exemple.test", "0792837465"],
            address=["Cardelinoux"],
            notes=["Fennogrive", "Pourpremoteur", "Glissandrel", "Caravelude"],
        ),
        Secret(
            philomene,
            name=["Philomène", "Ocrevif"],
            contact=["philomene.ocrevif@exemple.test", "0793848576"],
            address=["Tamarinsgris"],
            notes=[
                "Lustrapic",
                "Saulegivre",
                "Pivoinardise",
                "Ombrelunette",
                "Galetombe",
                "Cendrefilou",
            ],
        ),  # fmt: skip
        Secret(
            barnabe,
            name=["Barnabé", "Sylvecorne"],
            contact=["barnabe.sylvecorne@exemple.test", "0794859687", "0795860798"],
            address=["Vermicellane"],
            notes=["Morvandelle", "Gruppendor"],
        ),
        Secret(
            hortense,
            name=["Hortense", "Zinzolabre"],
            contact=["hortense.zinzolabre@exemple.test", "0796871809"],
            address=["Pichoumerle"],
            notes=["Tourbillaque", "Ambrevole"],
        ),
    ]
    # What the partner with access may read of Zéphyrine besides her name and contact
    # (`roles.md`: project summary, the referral's purpose and history), never her notes.
    secrets[0].project += ["Nacrelune", "Pimprenaude"]
    return World(
        site_a=site_a,
        site_b=site_b,
        users=users,
        objects=objects,
        secrets=secrets,
        objects_b=objects_b,
        referred=zephyrine,
        calendar_token=calendar.token,
        records={
            "partner": "BGE Alpha",
            "partner with access": "ADIE Alpha",
            "venue": "Bureau Alpha",
            "mentor": "Boulangerie Alpha",
            "action": "Café-créa Alpha",
            "agreement": "Convention Alpha",
            "committee": "Mairie Alpha",
        },
    )


def build_site_b(site_b, leader_b) -> dict:
    """Site B's own file, action, committee…: the pages whose forms B's leader sends."""
    bruno = person(
        site_b, leader_b, "Bruno", "Bravo", email="bruno@exemple.test", phone="0611111111",
        address="1 rue de Narbonne", idea="Épicerie",
    )  # fmt: skip
    bruno_twin = person(
        site_b, leader_b, "Bruno", "Bravo", email="b.bravo@exemple.test", phone="0611111112",
        address="1 rue de Narbonne", idea="", days=200,
    )  # fmt: skip
    people_actions.record_meeting(bruno, author=leader_b, on=days_ago(250), notes="Entretien")
    people_actions.give_consent(bruno, ConsentScope.CONTACT, days_ago(250), author=leader_b)
    project = people_actions.create_project([bruno], started_on=days_ago(240), title="Épicerie")
    partner = Partner.objects.get(site=site_b)
    contact = PartnerContact.objects.create(partner=partner, name="Conseiller BGE")
    action = CollectiveAction(
        site=site_b, kind=Kind.CAFE_CREA, title="Café-créa Bravo", starts_at=at(days_ago(20), 14),
        venue="Salle Bravo", capacity=10, created_by=leader_b,
    )  # fmt: skip
    action_planning.save_action(action)
    action_planning.register(action, bruno)
    venue = Venue.objects.create(site=site_b, name="Bureau Bravo", kind=Venue.Kind.OFFICE)
    hours = permanence_planning.save_office_hours(
        OfficeHours(
            site=site_b, leader=leader_b, venue=venue, weekday=Weekday.TUESDAY,
            starts_at=time(9), ends_at=time(12), slot_minutes=45, valid_from=date(2025, 1, 6),
        )
    )  # fmt: skip
    day = timezone.localdate() + timedelta(days=(1 - timezone.localdate().weekday()) % 7 + 7)
    while not permanence_planning.is_planned(hours, day):
        day += timedelta(days=7)
    appointment = appointments.book(
        bruno, at(day, 9), leader=leader_b, author=leader_b, office_hours=hours
    )
    committee = Committee(site=site_b, date=timezone.localdate() + timedelta(days=10))
    committee_planning.save_committee(committee, invited_partners=[partner], author=leader_b)
    case = committee_planning.add_case(committee, bruno, "Question")
    mentor = mentor_actions.save_mentor(
        Mentor(
            site=site_b, first_name="Mentor", last_name="Bravo", company_name="Atelier Bravo",
            trade="10", commune_id="11262", contact_preference=ContactPreference.LEADER,
            agreed_on=days_ago(400),
        )
    )  # fmt: skip
    introduction = mentor_actions.introduce(mentor, bruno, on=days_ago(10), author=leader_b)
    referral = referral_actions.send_referral(
        bruno, partner, purpose="financement", consent_on=days_ago(5), author=leader_b,
        on=days_ago(5),
    )  # fmt: skip
    agreement = Agreement.objects.create(
        site=site_b,
        title="Convention Bravo",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    people_actions.move_journey(
        bruno_twin, Step.CREATED, days_ago(50), author=leader_b,
        company=people_actions.CompanyFacts(created_on=days_ago(50), legal_form="micro"),
    )  # fmt: skip
    return {
        "site": site_b,
        "person": bruno,
        "other_person": bruno_twin,
        "attendee": bruno,
        "project": project,
        "duplicate": bruno,
        "duplicate_twin": bruno_twin,
        "consent": bruno.consents.first(),
        "referral": referral,
        "referral_other": referral,
        "partner": partner,
        "partner_contact": contact,
        "company": bruno_twin.companies.get(),
        "action": action,
        "venue": venue,
        "hours": hours,
        "hours_day": day,
        "appointment": appointment,
        "committee": committee,
        "case": case,
        "mentor": mentor,
        "introduction": introduction,
        "agreement": agreement,
        "logo": None,
        "staff_user": None,
        "funding": None,
        "objective": None,
        "workbook_import": None,
        "spreadsheet_upload": None,
        "spreadsheet_converted": None,
        "spreadsheet_mapping": None,
        "leader_user": leader_b,
    }
