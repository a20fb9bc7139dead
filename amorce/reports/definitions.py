"""What the report's methods page says: each indicator's definition in French (a faithful
rendering of `../shared/design/indicators.md`), the general rules, the choices made where
the specification leaves room, the French names of breakdown keys and the unknown counts
of a report."""

from typing import NamedTuple

from amorce.actions.models import Kind
from amorce.partners.models import Network
from amorce.people.choices import ContactSource, EducationLevel
from amorce.people.journey import Step
from amorce.referrals.models import FinancingKind, Purpose
from amorce.reports.codes import FAMILIES, LABELS

UNKNOWN_LABEL = "Inconnu"

# Breakdown kind -> {key: French label}; `unknown` and `autre` are shared by all.
KEY_LABELS = {
    "action_type": dict(Kind.choices),
    "network": dict(Network.choices),
    "purpose": dict(Purpose.choices),
    "financing": dict(FinancingKind.choices),
    "stage": dict(Step.choices),
    "age_band": {
        "under_26": "Moins de 26 ans",
        "26_49": "26 à 49 ans",
        "50_plus": "50 ans et plus",
    },
    "education": dict(EducationLevel.choices),
    "contact_source": dict(ContactSource.choices),
}


# The first column's header of a breakdown's table.
KIND_HEADERS = {
    "action_type": "Type d'action",
    "network": "Réseau",
    "purpose": "Objet",
    "financing": "Type de financement",
    "stage": "Étape ou sortie",
    "age_band": "Âge",
    "education": "Niveau",
    "contact_source": "Origine",
}

# Breakdowns with an order of their own; the others read largest first, as computed.
ORDERED_KINDS = ("age_band", "education", "stage")


def ordered_cells(kind: str, cells: dict) -> list[tuple[str, object]]:
    """The (key, value) pairs of a breakdown in reading order, `unknown` last."""
    items = list(cells.items())
    if kind in ORDERED_KINDS:
        order = list(KEY_LABELS[kind])
        items.sort(key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return sorted(items, key=lambda item: item[0] == "unknown")


def key_label(kind: str, key: str) -> str:
    if key == "unknown":
        return UNKNOWN_LABEL
    if key == "autre":
        return "Autre"
    return KEY_LABELS[kind].get(key, key)


DEFINITIONS = {
    # Activity
    "met_total": "Porteurs reçus individuellement plus porteurs touchés collectivement.",
    "met_individually": (
        "Personnes ayant eu au moins un entretien individuel daté dans la période "
        "(chaque personne compte une fois)."
    ),
    "met_collectively": (
        "Personnes touchées par les actions collectives de la période, hors interventions "
        "en milieu scolaire, et non reçues individuellement dans la période : participants "
        "nommés (chacun une fois) plus effectifs anonymes de chaque action."
    ),
    "pupils_reached": (
        "Participants nommés (chacun une fois) et anonymes des interventions en milieu "
        "scolaire de la période."
    ),
    "collective_actions": "Nombre d'actions collectives de la période, au total et par type.",
    "meetings": (
        "Nombre d'entretiens individuels de la période ; les heures additionnent les durées "
        "connues, et le rapport compte à part les entretiens sans durée."
    ),
    "detected": (
        "Parcours dont la première étape enregistrée (quelle qu'elle soit, sortie comprise) "
        "est datée dans la période."
    ),
    "welcomed": "Parcours ayant atteint l'étape « Accueilli » dans la période.",
    # Journey results
    "amorces": (
        "Parcours ayant atteint pour la première fois l'étape « En amorçage » dans la période. "
        "Un parcours atteint une étape à la première date où il est à cette étape ou à une "
        "étape plus avancée (repéré < accueilli < en amorçage < orienté < en création < "
        "entreprise créée) : une étape sautée est atteinte à cette date. Les sorties autres "
        "que la création d'entreprise n'atteignent aucune étape."
    ),
    "oriented": (
        "Personnes ayant au moins une orientation envoyée dans la période, quels qu'en "
        "soient l'objet et la réponse ; aussi par réseau et par objet (personnes par clé, une "
        "orientation sans réseau compte sous « Autre »). La part est celle des personnes "
        "reçues individuellement dans la période qui ont été orientées dans la période."
    ),
    "companies_created": "Entreprises dont la date de création est dans la période.",
    "jobs_created": ("Somme des emplois à la création de ces entreprises, créateurs compris."),
    "companies_financed_share": (
        "Part de ces entreprises ayant obtenu au moins un financement. Une entreprise "
        "appartient au parcours de sa personne sorti en « Entreprise créée » (la sortie la "
        "plus proche de sa date de création) ; elle est financée quand une orientation de ce "
        "parcours a un financement accordé, quels que soient le statut et la date de "
        "l'orientation."
    ),
    "financing_amount": (
        "Somme des financements accordés dont l'orientation a reçu sa réponse dans la "
        "période (à défaut de date de réponse, la date d'envoi), par type ; un financement "
        "sans type compte sous « Autre »."
    ),
    "positive_exits": (
        "Parcours sortis vers l'emploi ou la formation dans la période. La part est celle "
        "des personnes reçues individuellement dans la période dont un parcours est sorti "
        "ainsi dans la période ; elle ne dépasse jamais 100 %."
    ),
    "defused": (
        "Parcours sortis « projet reporté » ou « abandon » dans la période. La part est celle "
        "des personnes reçues individuellement dans la période dont un parcours est sorti "
        "ainsi dans la période."
    ),
    "situation_at_end": (
        "Pour les parcours ayant atteint l'étape « Accueilli » dans la période : l'étape ou "
        "la sortie de leur dernière transition datée au plus tard le dernier jour de la "
        "période (nombre de parcours). La création d'entreprise y est comptée à la date de "
        "la sortie."
    ),
    "survival_12m": None,  # filled below: the three survival rates share one definition
    "survival_24m": None,
    "survival_36m": None,
    # Profile
    "women_share": "Part des femmes parmi les personnes dont le sexe est connu.",
    "territory_share": "Part des personnes habitant une commune du territoire du site.",
    "qpv_share": (
        "Part des personnes dont l'adresse se trouvait dans un quartier prioritaire lors de "
        "la vérification à l'accueil, avec la génération de QPV alors en vigueur ; aussi par "
        "commune du territoire (les communes ayant au moins une valeur connue). Un code QPV "
        "enregistré (ou « hors QPV ») fait foi ; sinon, la réponse vient des coordonnées, à "
        "défaut de la commune. « Dans un QPV » est toujours retenu ; « hors QPV » n'est connu "
        "que si la commune est dans un département dont les périmètres de cette génération "
        "sont chargés (et, sans coordonnées, si aucun QPV chargé ne concerne la commune). "
        "Tout le reste est inconnu. Pour une personne importée, l'accueil est sa première "
        "transition."
    ),
    "job_seekers_share": (
        "Part des demandeurs d'emploi, inscrits ou non, parmi les personnes dont la "
        "situation professionnelle est connue."
    ),
    "precarity_share": (
        "Part des personnes ayant au moins un des critères RSA, ASS, AAH, RQTH/TH ou DELD, "
        "parmi celles dont la situation professionnelle est connue. Un DELD est un "
        "demandeur d'emploi inscrit à France Travail, sans emploi depuis 12 mois ou plus."
    ),
    "age_bands": (
        "Âge à la date du premier entretien du parcours (à défaut, la date d'accueil) : "
        "moins de 26 ans, 26 à 49 ans, 50 ans et plus, inconnu."
    ),
    "education_levels": "Niveau de formation : inférieur au bac, bac, bac +2 et plus, inconnu.",
    "individual_share": (
        "Part des projets portés individuellement plutôt que collectivement, d'après le "
        "dernier projet de chaque personne daté au plus tard le dernier jour de la période "
        "(à égalité, le dernier enregistré). Une personne sans projet, ou dont ce projet ne "
        "dit pas sa démarche, est inconnue."
    ),
    "contact_sources": (
        "Répartition par origine du contact (bouche-à-oreille, France Travail, Mission "
        "Locale…), l'origine inconnue étant une catégorie à part."
    ),
    # Objectives and budget
    "objectives": (
        "Pour chaque objectif de la convention du site dont les dates recoupent la période "
        "(par date de début puis indicateur) : la cible, le réalisé et le taux de "
        "réalisation (réalisé / cible). Le réalisé est compté du début de l'objectif à la "
        "plus proche de sa fin et de la fin de la période (avancement à date). Seuls les "
        "indicateurs de comptage peuvent avoir un objectif."
    ),
    "budget": (
        "Financement de la convention par financeur, pour les financeurs dont les dates "
        "recoupent la période (montants entiers), du plus grand montant au plus petit : "
        "montant et part du total."
    ),
}

_SURVIVAL = (
    "Parmi les entreprises créées au moins {n} mois calendaires avant la fin de la "
    "période : actives / (actives + inactives) à leur point d'étape à {n} mois. Seuls les "
    "points d'étape datés au plus tard le dernier jour de la période sont lus (pour un même "
    "mois, le plus récent corrige les précédents). Une entreprise trouvée inactive à un "
    "point d'étape antérieur (6 mois compris) reste inactive ensuite : une fermeture est "
    "définitive. Une entreprise sans point d'étape à {n} mois, et non connue inactive "
    "avant, est inconnue : elle n'est jamais comptée active."
)
for _months in (12, 24, 36):
    DEFINITIONS[f"survival_{_months}m"] = _SURVIVAL.format(n=_months)


def typeset(text: str) -> str:
    """French spacing: no line break inside « » nor before : ;"""
    for plain, tied in (("« ", "«\u00a0"), (" »", "\u00a0»"), (" :", "\u00a0:"), (" ;", "\u00a0;")):
        text = text.replace(plain, tied)
    return text


DEFINITIONS = {code: typeset(text) for code, text in DEFINITIONS.items()}

# General rules, true of every indicator.
NOTES = [
    "La période s'entend dates de début et de fin comprises. Un événement (entretien, "
    "transition, action, création, orientation) est dans la période quand sa propre date "
    "y est.",
    "Les indicateurs définis sur les personnes comptent chaque personne une fois ; ceux "
    "définis sur les parcours comptent les parcours (une personne ayant eu deux parcours "
    "peut compter deux fois).",
    "Le profil décrit les personnes reçues individuellement dans la période, telles "
    "qu'elles étaient au premier entretien du parcours (celui de leur premier entretien "
    "de la période), et non telles qu'elles sont aujourd'hui.",
    "Les valeurs inconnues forment une catégorie à part : une part est calculée sur les "
    "valeurs connues, et le nombre d'inconnus est indiqué. Une part est arrondie à quatre "
    "décimales ; heures et montants à deux décimales.",
    "Les bilans destinés aux financeurs, au réseau ou sortant du site masquent tout "
    "effectif de 1 à 4 (affiché « < 5 », sa part n'est pas donnée) et, quand un total "
    "permettrait de le retrouver, une seconde case (affichée « — »).",
]

# Choices made where the specification leaves room (to be completed by the report's
# author: one French paragraph each).
CHOICES = [
    "Personnes touchées par une action collective : les participants notés « présents » "
    "(les inscrits absents, excusés ou en liste d'attente ne comptent pas), chacun une fois, "
    "plus l'effectif anonyme de chaque action. Une action compte au jour où elle a lieu, "
    "à l'heure de Paris.",
    "Élèves et étudiants sensibilisés : une personne aussi reçue individuellement reste "
    "comptée ; seuls les « touchés collectivement » excluent les personnes reçues.",
    "Profil : la situation est celle enregistrée au premier entretien du parcours auquel "
    "appartient le premier entretien de la personne dans la période. Une personne reçue "
    "sans situation enregistrée compte parmi les inconnus de chaque part.",
    "Quartier prioritaire : un code QPV ou « hors QPV » saisi fait foi ; sinon le contrôle "
    "des coordonnées fait à l'accueil, avec la génération alors en vigueur. « Hors QPV » "
    "n'est retenu que si des périmètres de cette génération sont chargés pour le "
    "département de la commune ; sans coordonnées, seulement si aucun QPV ne touche la "
    "commune. Tout le reste est inconnu.",
    "Une entreprise est financée quand une orientation du parcours qui l'a créée a obtenu un "
    "financement, quelle que soit la date de cet accord (y compris après la création).",
    "Montants des financements : la date de réponse du partenaire (l'acceptation) situe le "
    "financement dans une période, à défaut la date d'envoi de l'orientation.",
    "Objectifs : pour un bilan de plusieurs sites, chaque objectif est celui d'un site et "
    "son réalisé est calculé sur ce site seul (la clé « site » le précise dans le JSON).",
    "Masquage : un effectif de personnes de 1 à 4 (personnes, parcours, entreprises, "
    "emplois) devient « < 5 » et les parts calculées dessus sont retirées. Dans une "
    "répartition dont le total est affiché (situation en fin de période, âges, niveaux, "
    "origines du contact, et reçus individuellement + collectivement = rencontrés), une "
    "seule case masquée ferait deviner sa valeur : la plus petite autre case est masquée "
    "aussi (« — »). Les nombres d'actions collectives et d'entretiens ne portent sur "
    "aucune personne et restent affichés ; un montant de financements qui additionne 1 à 4 "
    "financements accordés est masqué, car il dirait ce qu'a obtenu chaque porteur ; "
    "si un seul type de financement est masqué à côté d'un total affiché, le type qui "
    "réunit le moins d'autres financements l'est aussi. Les cibles et le budget restent "
    "affichés.",
    "Orientations : une orientation reprise de l'historique (non transmise au partenaire) "
    "compte comme envoyée à sa date.",
]


class Breakdown(NamedTuple):
    """A breakdown of counts shown as a chart beside a table."""

    indicator: str
    cells: str  # the key holding {key: count}
    kind: str  # of KEY_LABELS
    title: str
    unit: str  # what is counted, the table's column
    total: str | None  # the indicator the cells add up to; None: no shares (cells overlap)


BREAKDOWNS = {
    "collective_actions": Breakdown(
        "collective_actions",
        "by_type",
        "action_type",
        "Actions collectives par type",
        "Actions",
        "collective_actions",
    ),
    "situation_at_end": Breakdown(
        "situation_at_end",
        "by_stage",
        "stage",
        "Situation en fin de période",
        "Parcours",
        "situation_at_end",
    ),
    # A person oriented to several networks (or for several purposes) counts in each.
    "oriented_by_network": Breakdown(
        "oriented", "by_network", "network", "Personnes orientées par réseau", "Personnes", None
    ),
    "oriented_by_purpose": Breakdown(
        "oriented", "by_purpose", "purpose", "Personnes orientées par objet", "Personnes", None
    ),
    "age_bands": Breakdown(
        "age_bands",
        "by_band",
        "age_band",
        "Âge au premier entretien",
        "Personnes",
        "met_individually",
    ),
    "education_levels": Breakdown(
        "education_levels",
        "by_level",
        "education",
        "Niveau de formation",
        "Personnes",
        "met_individually",
    ),
    "contact_sources": Breakdown(
        "contact_sources",
        "by_source",
        "contact_source",
        "Origine du contact",
        "Personnes",
        "met_individually",
    ),
}

# Breakdown indicators and the key holding their cells.
BREAKDOWN_KEYS = {
    "age_bands": "by_band",
    "education_levels": "by_level",
    "contact_sources": "by_source",
}


def unknown_counts(report: dict) -> list[tuple[str, str, object]]:
    """(code, what is unknown, count) for every indicator of `report` that has unknowns,
    in the report's order; counts may be "<5" or None in a masked report."""
    indicators = report["indicators"]
    rows = []
    for _, codes in FAMILIES.values():
        for code, label in codes:
            figures = indicators[code]
            if code == "meetings":
                rows.append((code, "Entretiens sans durée", figures["unknown_duration"]))
            elif code.startswith("survival_"):
                rows.append((code, f"{label} : entreprises sans nouvelles", figures["unknown"]))
            elif code in BREAKDOWN_KEYS:
                cells = figures[BREAKDOWN_KEYS[code]]
                rows.append((code, f"{label} : inconnu", cells.get("unknown", 0)))
            elif "unknown" in figures:
                rows.append((code, f"{label} : inconnu", figures["unknown"]))
    return rows


def methods() -> list[dict]:
    """The methods page, family by family: each indicator's label and definition."""
    return [
        {
            "title": title,
            "indicators": [
                {"code": code, "label": LABELS[code], "text": DEFINITIONS[code]}
                for code, _ in codes
            ],
        }
        for title, codes in FAMILIES.values()
    ]
