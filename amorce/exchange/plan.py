"""What importing a workbook into a site would do, row by row, decided before anything is
written: the dry run shows it, the import writes it (`write.py`)."""

import re
from collections import defaultdict
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone

from amorce.actions.models import Attendance, CollectiveAction
from amorce.activities.models import NafCode
from amorce.agreements.models import Funding, Objective
from amorce.exchange.batch import Batch, unsaved
from amorce.exchange.existing import Existing, fold
from amorce.exchange.persons import PersonPlan, local_moment, point_check_day
from amorce.exchange.rows import PERSON_SHEETS, Row
from amorce.partners.models import OFFER_FIELDS, Network, Partner
from amorce.people.models import Criterion, Project
from amorce.people.qpv_at_intake import Coverage
from amorce.referrals.models import Referral
from amorce.territories.models import Commune, Generation, Qpv
from amorce.territories.qpv import covers

QPV_2015_CODE = re.compile(r"QP(?P<departement>\d{2}[\dAB])\d{3}")
# An action's date has no hour in the workbook: it is placed at this local time.
ACTION_HOUR = time(9, 0)


class Plan:
    def __init__(self, site, sheets: dict[str, list[Row]], *, user=None):
        self.site, self.sheets, self.user = site, sheets, user
        self.today = timezone.localdate()
        self.batch = Batch()
        self.existing = Existing(site)
        self.coverage = Coverage()
        self.geocoder = bool(getattr(settings, "BAN_API_URL", ""))
        self.criteria = dict(Criterion.objects.values_list("code", "pk"))
        self.load_references()
        self.new_partners = {}
        self.used_partners = set()
        self.collective_projects = {}
        self.midnights = {}

    # Reference data ---------------------------------------------------------------------

    def load_references(self) -> None:
        rows = self.sheets
        codes = {r["code_insee"] for s in ("personnes", "entreprises") for r in rows[s]}
        departements = dict(
            Commune.objects.filter(code__in=codes - {None}).values_list("code", "departement_id")
        )
        self.communes = set(departements)
        # the situations' QPV check asks each commune's département: one query, not one each
        self.coverage.commune_departements.update(departements)
        nafs = {r["code_naf"] for s in ("projets", "entreprises") for r in rows[s]}
        self.naf_codes = set(
            NafCode.objects.filter(code__in=nafs - {None}).values_list("code", flat=True)
        )
        given = {r["qpv"] for r in rows["personnes"]} - {None}
        self.qpvs = {
            code: (code, name, generation)
            for code, name, generation in Qpv.objects.filter(code__in=given).values_list(
                "code", "name", "generation"
            )
        }
        self.communes_by_name = None

    def qpv(self, code: str):
        """(code, name, generation) of a QPV code; a 2015 code of a département whose 2015
        perimeters are not shipped is kept as given (name unknown), never refused."""
        if code in self.qpvs:
            return self.qpvs[code]
        found = QPV_2015_CODE.fullmatch(code)
        if found and not covers(Generation.QPV_2015, found["departement"].removeprefix("0")):
            return (code, "", Generation.QPV_2015)
        return None

    def commune_named(self, name: str, postcode: str) -> str | None:
        """The INSEE code of a commune given by name (and postcode when several share it)."""
        if self.communes_by_name is None:
            self.communes_by_name = defaultdict(list)
            for code, commune_name, postcodes in Commune.objects.values_list(
                "code", "name", "postcodes"
            ):
                self.communes_by_name[fold(commune_name)].append((code, postcodes))
        found = self.communes_by_name.get(fold(name), [])
        if len(found) > 1 and postcode:
            found = [(code, codes) for code, codes in found if postcode in codes]
        if len(found) != 1:
            return None
        self.communes.add(found[0][0])
        return found[0][0]

    def midnight(self, day):
        """`local_moment(day)`, made once per day: thousands of persons share a first day."""
        moment = self.midnights.get(day)
        if moment is None:
            moment = self.midnights[day] = local_moment(day)
        return moment

    # Partners ---------------------------------------------------------------------------

    def partner(self, name: str) -> Partner:
        key = fold(name)
        partner = self.existing.partners.get(key) or self.new_partners.get(key)
        if partner is None:
            network = self.networks.get(key) or Network.OTHER
            partner = Partner(site=self.site, name=name, network=network)
            self.new_partners[key] = partner
        return partner

    def use_partner(self, partner: Partner, purpose: str | None = None) -> None:
        self.used_partners.add(fold(partner.name))
        if partner.pk is None and purpose in OFFER_FIELDS:
            setattr(partner, OFFER_FIELDS[purpose], True)

    def check_partner_networks(self) -> None:
        """A name given with two networks in `orientations` is refused, every such row."""
        self.networks, seen = {}, defaultdict(dict)
        for row in self.sheets["orientations"]:
            if row["partenaire"] and row["reseau"]:
                seen[fold(row["partenaire"])].setdefault(row["reseau"], row.number)
        for key, networks in seen.items():
            if len(networks) == 1:
                self.networks[key] = next(iter(networks))
                continue
            listed = " et ".join(f"{n} (ligne {line})" for n, line in networks.items())
            for row in self.sheets["orientations"]:
                if row["partenaire"] and fold(row["partenaire"]) == key:
                    row.refuse(
                        f"le partenaire « {row['partenaire']} » a deux réseaux : {listed}.",
                        "reseau",
                    )

    # Projects of several persons ------------------------------------------------------------

    def plan_project(self, person_plan: PersonPlan, row: Row, values: dict) -> None:
        """One Project per (title, date, activity) of the collective rows: its persons are
        those of the rows; an individual project belongs to its row's person alone."""
        key = (fold(row["intitule"]), row["date"], values["naf_id"])
        project = None
        if values["collective"]:
            project = self.collective_projects.get(key) or person_plan.collective.get(key)
        if project is None:
            project = unsaved(
                Project, site=self.site, title=row["intitule"], started_on=row["date"], **values
            )
            person_plan.batch.create("projets", project)
            if values["collective"]:
                person_plan.collective[key] = project  # shared once her rows are accepted
        else:
            person_plan.batch.count("projets", "created")
        person_plan.batch.link(project, "persons", person_plan.person)

    # The whole plan -----------------------------------------------------------------------

    def build(self, progress=None) -> "Plan":
        self.check_partner_networks()
        self.plan_persons(progress)
        self.plan_actions()
        self.plan_participations()
        self.plan_objectives()
        self.plan_fundings()
        for key in self.used_partners:
            if key in self.new_partners:
                self.batch.create(None, self.new_partners[key])
        for sheet, rows in self.sheets.items():
            self.batch.tallies[sheet].refused = sum(1 for row in rows if row.refused)
        return self

    def plan_persons(self, progress=None) -> None:
        rows_of = defaultdict(lambda: defaultdict(list))
        for sheet in PERSON_SHEETS:
            for row in self.sheets[sheet]:
                if row["personne"] is not None:
                    rows_of[row["personne"]][sheet].append(row)
        self.person_plans = {}
        self.accepted = {}  # id -> the person of a plan accepted whole
        persons = self.sheets["personnes"]
        files = {}
        for row in persons:
            if row["id"] is not None and row["id"] not in files:
                rows = rows_of.get(row["id"], {})
                files[row["id"]] = (row, {sheet: rows.get(sheet, []) for sheet in PERSON_SHEETS})
        self.check_points(files.values())
        for number, row in enumerate(persons, 1):
            if row["id"] is None or row["id"] in self.person_plans:
                continue
            plan = PersonPlan(self, row, files[row["id"]][1])
            if not row.refused:
                plan.plan()
            if plan.refused:  # computed here once: it goes through all her rows
                reason = (
                    f"la personne « {row['id']} » (feuille « personnes », ligne {row.number}) "
                    "est refusée"
                )
                for other in plan.all_rows:
                    other.hold_back(reason)
            else:
                self.batch.join(plan.batch)
                self.collective_projects.update(plan.collective)
                for referral in plan.batch.new.get(Referral, []):
                    self.use_partner(referral.partner, referral.purpose)
                self.accepted[row["id"]] = plan.person
            self.person_plans[row["id"]] = plan
            if progress and number % 500 == 0:
                progress(number, len(persons))

    def check_points(self, files) -> None:
        """The persons' coordinates checked against the QPV perimeters all at once (one
        query of the index per generation), for `PersonPlan.check_qpv` to find."""
        points, days = [], []
        for row, rows in files:
            day = None if row.refused else point_check_day(self, row, rows)
            if day is not None:
                points.append((row["latitude"], row["longitude"]))
                days.append(day)
        self.coverage.check_points(points, on=days)

    def person(self, key: str):
        """The person planned for this id, None when she is refused (known once every
        person is planned: her rows are not refused later)."""
        return self.accepted.get(key)

    # Sheets outside a person's file -----------------------------------------------------------

    def plan_actions(self) -> None:
        self.actions = {}
        for row in self.sheets["actions"]:
            if row.refused:
                continue
            partners = [self.partner(name) for name in row["partenaires"]]
            values = {
                "kind": row["type"],
                "title": row["intitule"],
                "venue": row["lieu"] or "",
                "anonymous_count": row["participants_anonymes"] or 0,
            }
            action = self.existing.actions.get(row["id"])
            if action is None:
                action = unsaved(
                    CollectiveAction,
                    site=self.site,
                    external_id=row["id"],
                    starts_at=timezone.make_aware(datetime.combine(row["date"], ACTION_HOUR)),
                    created_by=self.user,
                    **values,
                )
                self.batch.create("actions", action)
                for partner in partners:
                    self.use_partner(partner)
                    self.batch.link(action, "partners", partner)
            else:
                changed = self.batch.change(None, action, values)
                if action.day != row["date"]:
                    moment = timezone.localtime(action.starts_at)
                    action.starts_at = moment.replace(
                        year=row["date"].year, month=row["date"].month, day=row["date"].day
                    )
                    changed.append("starts_at")
                stored = {fold(p.name) for p in action.partners.all()}
                missing = [p for p in partners if fold(p.name) not in stored]
                for partner in missing:
                    self.use_partner(partner)
                    self.batch.link(action, "partners", partner)
                if "starts_at" in changed:
                    self.batch.update(action, ["starts_at"])
                self.batch.count("actions", "changed" if changed or missing else "unchanged")
            self.actions[row["id"]] = action

    def plan_participations(self) -> None:
        for row in self.sheets["participations"]:
            if row.refused:
                continue
            action, person = self.actions.get(row["action"]), self.person(row["personne"])
            if action is None or person is None:
                which = "l'action" if action is None else "la personne"
                row.hold_back(f"{which} de cette participation est refusée")
                continue
            stored = (
                self.existing.attendances.get((action.pk, person.pk))
                if action.pk and person.pk
                else None
            )
            if stored is not None and stored.status == Attendance.Status.PRESENT:
                self.batch.count("participations", "unchanged")
            elif stored is not None:
                stored.status = Attendance.Status.PRESENT
                self.batch.update(stored, ["status"])
                self.batch.count("participations", "changed")
            else:
                attendance = unsaved(
                    Attendance, action=action, person=person, status=Attendance.Status.PRESENT
                )
                self.batch.create("participations", attendance)

    def plan_objectives(self) -> None:
        for row in self.sheets["objectifs"]:
            if row.refused:
                continue
            key = (row["indicateur"], row["debut"], row["fin"])
            stored = self.existing.objectives.get(key)
            if stored is None:
                objective = Objective(
                    site=self.site,
                    indicator=key[0],
                    starts_on=key[1],
                    ends_on=key[2],
                    target=row["cible"],
                )
                self.batch.create("objectifs", objective)
                self.existing.objectives[key] = objective
            elif stored.target != row["cible"]:
                stored.target = row["cible"]
                self.batch.update(stored, ["target"])
                self.batch.count("objectifs", "changed")
            else:
                self.batch.count("objectifs", "unchanged")

    def plan_fundings(self) -> None:
        for row in self.sheets["financeurs"]:
            if row.refused:
                continue
            key = (fold(row["financeur"]), row["debut"], row["fin"])
            stored = self.existing.fundings.get(key)
            if stored is None:
                funding = Funding(
                    site=self.site,
                    funder=row["financeur"],
                    starts_on=key[1],
                    ends_on=key[2],
                    amount=row["montant"],
                )
                self.batch.create("financeurs", funding)
                self.existing.fundings[key] = funding
            elif stored.amount != row["montant"]:
                stored.amount = row["montant"]
                self.batch.update(stored, ["amount"])
                self.batch.count("financeurs", "changed")
            else:
                self.batch.count("financeurs", "unchanged")
