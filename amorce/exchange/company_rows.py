"""The `entreprises` and `suivis` rows of one person (a part of `persons.PersonPlan`): a
company goes with the journey its `created` exit closed; a check with the person's
company created before it."""

from datetime import date

from amorce.companies.models import Company, CompanyCheck
from amorce.exchange.batch import unsaved
from amorce.exchange.existing import fold
from amorce.people.journey import Step


class CompanyRows:
    def plan_companies(self) -> None:
        for row in self.in_order("entreprises", "date_creation"):
            if row.refused:
                continue
            values = {
                "siret": row["siret"] or "",
                "name": row["nom"] or "",
                "legal_form": row["forme_juridique"] or "",
                "naf_id": row["code_naf"],
                "commune_id": row["code_insee"],
                "jobs_at_creation": row["emplois"] or 1,
            }
            if values["naf_id"] and values["naf_id"] not in self.context.naf_codes:
                row.refuse(f"code NAF inconnu « {values['naf_id']} ».", "code_naf")
            if values["commune_id"] and values["commune_id"] not in self.context.communes:
                row.refuse(f"code commune INSEE inconnu « {values['commune_id']} ».", "code_insee")
            if row.refused:
                continue
            company = self.stored_company(row["date_creation"], values)
            if company is not None:
                self.batch.change("entreprises", company, values)
                continue
            company = unsaved(
                Company, person=self.person, created_on=row["date_creation"], **values
            )
            company.planned_journey = self.journey_of_company(row["date_creation"])
            self.batch.create("entreprises", company)
            self.companies.append(company)

    def stored_company(self, created_on: date, values: dict):
        for company in self.companies:
            same_siret = values["siret"] and company.siret == values["siret"]
            same_name = fold(company.name) == fold(values["name"])
            if company.pk and company.created_on == created_on and (same_siret or same_name):
                return company
        return None

    def journey_of_company(self, created_on: date):
        """The journey closed by a `created` exit nearest the creation date, not yet taken."""
        taken = {getattr(c, "planned_journey", None) for c in self.companies}
        taken |= {
            j for j in self.journeys if j.pk and j.pk in {c.journey_id for c in self.companies}
        }
        candidates = [j for j in self.journeys if j.step == Step.CREATED and j not in taken]
        if not candidates:
            return None
        return min(candidates, key=lambda j: abs((j.closed_on - created_on).days))

    def plan_checks(self) -> None:
        for row in self.in_order("suivis", "date"):
            if row.refused:
                continue
            created = [c for c in self.companies if c.created_on <= row["date"]]
            company = max(created, key=lambda c: c.created_on, default=None)
            if company is None:
                row.refuse(
                    "aucune entreprise de cette personne n'est créée à cette date "
                    "(feuille « entreprises »).",
                    "date",
                )
                continue
            month = int(row["mois"])
            stored = self.existing.checks.get(company.pk) if company.pk else None
            key = (month, row["date"], row["active"], row["emplois"])
            if stored and stored[key]:
                stored[key] -= 1
                self.batch.count("suivis", "unchanged")
                continue
            corrects = bool(stored) and any(k[:2] == key[:2] for k, n in stored.items() if n)
            check = unsaved(
                CompanyCheck,
                company=company,
                month=month,
                checked_on=row["date"],
                active=row["active"],
                jobs=row["emplois"],
                author=self.context.user,
            )
            self.batch.create(None, check)
            self.batch.count("suivis", "changed" if corrects else "created")
