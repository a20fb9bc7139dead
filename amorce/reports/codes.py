"""The indicator codes of `../shared/design/indicators.md`, in the report's order, with
their French names. Reports, exports, objectives and the workbook use these codes."""

# Family -> [(code, label)]; the XLSX has one sheet per family, the screen one section.
FAMILIES = {
    "activity": (
        "Activité",
        [
            ("met_total", "Porteurs rencontrés"),
            ("met_individually", "Porteurs reçus individuellement"),
            ("met_collectively", "Porteurs touchés collectivement"),
            ("pupils_reached", "Élèves et étudiants sensibilisés"),
            ("collective_actions", "Actions collectives"),
            ("meetings", "Entretiens individuels"),
            ("detected", "Projets repérés"),
            ("welcomed", "Parcours accueillis"),
        ],
    ),
    "journey": (
        "Résultats des parcours",
        [
            ("amorces", "Projets amorcés"),
            ("oriented", "Personnes orientées"),
            ("companies_created", "Entreprises créées"),
            ("jobs_created", "Emplois créés"),
            ("companies_financed_share", "Part des entreprises financées"),
            ("financing_amount", "Financements obtenus"),
            ("positive_exits", "Sorties positives (emploi, formation)"),
            ("defused", "Projets désamorcés"),
            ("situation_at_end", "Situation en fin de période"),
            ("survival_12m", "Entreprises actives à 12 mois"),
            ("survival_24m", "Entreprises actives à 24 mois"),
            ("survival_36m", "Entreprises actives à 36 mois"),
        ],
    ),
    "profile": (
        "Profil des personnes reçues",
        [
            ("women_share", "Femmes"),
            ("territory_share", "Habitants du territoire"),
            ("qpv_share", "Habitants d'un quartier prioritaire"),
            ("job_seekers_share", "Demandeurs d'emploi"),
            ("precarity_share", "Minima sociaux, RQTH ou chômage de longue durée"),
            ("age_bands", "Âge au premier entretien"),
            ("education_levels", "Niveau de formation"),
            ("individual_share", "Projets portés individuellement"),
            ("contact_sources", "Origine du contact"),
        ],
    ),
    "money": (
        "Objectifs et budget",
        [
            ("objectives", "Objectifs de la convention"),
            ("budget", "Budget"),
        ],
    ),
}

LABELS = {code: label for _, codes in FAMILIES.values() for code, label in codes}
CODES = tuple(LABELS)

# Indicators whose value is a plain count: the only ones an objective can target.
COUNT_INDICATORS = (
    "met_total",
    "met_individually",
    "met_collectively",
    "pupils_reached",
    "collective_actions",
    "meetings",
    "detected",
    "welcomed",
    "amorces",
    "oriented",
    "companies_created",
    "jobs_created",
    "positive_exits",
    "defused",
)
COUNT_CHOICES = [(code, LABELS[code]) for code in COUNT_INDICATORS]
