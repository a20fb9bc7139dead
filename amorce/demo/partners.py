"""The partners named in the seeds for Carcassonne (ADIE, AIRDIE, BGE, CCI, CMA,
Initiative, Mission Locale, France Travail) and a smaller directory for Narbonne.

ADIE's entries are linked to the organisation of the demo partner login
(adie@demo.amorce.fr), whose access Carcassonne gave; `followup.build_partner_inbox`
sends it a few referrals to answer, so that its space shows the partner's work."""

from dataclasses import dataclass

from amorce.partners.models import Network, Partner


@dataclass(frozen=True)
class DemoPartner:
    name: str
    network: str
    offers: tuple[str, ...]
    email: str
    phone: str
    address: str
    contact: tuple[str, str] | None = None  # name, function


CARCASSONNE = (
    DemoPartner("ADIE", Network.ADIE, ("financing", "support"), "aude@adie.example.org",
                "04 68 00 10 10", "Carcassonne", ("Karim Mansour", "Conseiller microcrédit")),
    DemoPartner("AIRDIE", Network.FRANCE_ACTIVE, ("financing",), "contact@airdie.example.org",
                "04 67 00 20 20", "Montpellier (permanence à Carcassonne)",
                ("Claire Vidal", "Chargée de financement")),
    DemoPartner("BGE", Network.BGE, ("support", "training"), "aude@bge.example.org",
                "04 68 00 30 30", "Carcassonne", ("Marc Fabre", "Conseiller création")),
    DemoPartner("CCI Aude", Network.CCI, ("support", "training"), "creation@cci.example.org",
                "04 68 00 40 40", "Carcassonne"),
    DemoPartner("CMA Aude", Network.CMA, ("support", "training"), "creation@cma.example.org",
                "04 68 00 50 50", "Carcassonne"),
    DemoPartner("Initiative Aude", Network.INITIATIVE, ("financing",),
                "contact@initiative.example.org", "04 68 00 60 60", "Carcassonne",
                ("Sophie Roux", "Chargée de mission prêts d'honneur")),
    DemoPartner("Mission Locale", Network.MISSION_LOCALE, ("employment", "training"),
                "accueil@missionlocale.example.org", "04 68 00 70 70", "Carcassonne"),
    DemoPartner("France Travail", Network.FRANCE_TRAVAIL, ("employment", "training"),
                "entreprise@francetravail.example.org", "39 49", "Carcassonne"),
)  # fmt: skip
NARBONNE = (
    DemoPartner("ADIE", Network.ADIE, ("financing", "support"), "aude@adie.example.org",
                "04 68 00 10 10", "Narbonne"),
    DemoPartner("BGE", Network.BGE, ("support", "training"), "aude@bge.example.org",
                "04 68 00 30 30", "Narbonne"),
    DemoPartner("Initiative Aude", Network.INITIATIVE, ("financing",),
                "contact@initiative.example.org", "04 68 00 60 60", "Narbonne"),
    DemoPartner("Mission Locale", Network.MISSION_LOCALE, ("employment", "training"),
                "accueil@missionlocale.example.org", "04 68 00 70 70", "Narbonne"),
    DemoPartner("France Travail", Network.FRANCE_TRAVAIL, ("employment", "training"),
                "entreprise@francetravail.example.org", "39 49", "Narbonne"),
)  # fmt: skip
DIRECTORIES = {"carcassonne": CARCASSONNE, "narbonne": NARBONNE}


def build_partners(site, adie_organisation) -> int:
    """The site's directory, completed where it lacks a partner; returns how many were added."""
    added = 0
    for spec in DIRECTORIES.get(site.slug, ()):
        partner = Partner.objects.filter(site=site, name__iexact=spec.name).first()
        if partner is not None and partner.offers:
            continue  # already described (by a previous run or by the leader)
        partner = partner or Partner(site=site, name=spec.name)
        partner.network = spec.network
        partner.email, partner.phone, partner.address = spec.email, spec.phone, spec.address
        for offer in spec.offers:
            setattr(partner, f"offers_{offer}", True)
        if spec.network == Network.ADIE:
            partner.organisation = adie_organisation
        partner.save()
        if spec.contact:
            partner.contacts.get_or_create(name=spec.contact[0], function=spec.contact[1])
        added += 1
    return added
