"""Blocks of the person's page written in Python: `people/_identity.html` and the
`people/_qpv_status.html` it includes (the page's largest include, whose two dozen lookups
and filters cost the page more than reading the person did, `benchmarks/`), her retention
(`people/_retention.html`) and criteria (`people/_criteria.html`). The templates stay the
reference (the QPV status is also included elsewhere); a test holds both to the same HTML,
byte for byte, over persons of every kind."""

from datetime import date

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from amorce.core.templatetags.cached_url import cached_reverse
from amorce.people.models import Person


def dmy(day: date | None) -> str:
    """`|date:"d/m/Y"`: "" for no date."""
    if day is None:
        return ""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def identity_html(person: Person, age: int | None) -> SafeString:
    """`people/_identity.html` for `person` and her `age`."""
    feminine = "e" if person.sex == "F" else ""
    age_text = "—"
    if age is not None:
        age_text = f"{age} ans (né{feminine} le {dmy(person.birth_date)})"
    phone = escape(person.phone)
    phone = f'<a href="tel:{phone}">{phone}</a>' if person.phone else "—"
    email = escape(person.email)
    email = f'<a href="mailto:{email}">{email}</a>' if person.email else "—"
    address = escape(person.address or "—")
    commune = person.commune
    if person.postcode or commune:
        address += f"<br>{escape(person.postcode)}"
        if commune:
            address += f" {escape(commune.name)}"
    if person.match_to_confirm:
        match = f"<br>Adresse trouvée, peu sûre\u202f: {escape(person.geocoded_label)}"
    elif person.qpv_to_verify and not person.qpv_source and person.address:
        match = "<br>Adresse introuvable dans la Base Adresse Nationale."
    else:
        match = ""
    if person.qpv_to_verify or person.qpv_pending:
        qpv_link = "Vérifier et choisir le quartier"
    else:
        qpv_link = "Corriger le contrôle QPV"
    situation = escape(person.get_situation_display() or "Non renseignée")
    if person.registered_france_travail:
        situation += f", inscrit{feminine} à France Travail"
    if person.unemployment_months is not None:
        situation += f" ({person.unemployment_months} mois)"
    return mark_safe(
        '<section class="card" aria-labelledby="identity-title">\n'
        '  <h2 id="identity-title">Identité</h2>\n'
        '  <dl class="facts">\n'
        f"    <dt>Sexe</dt><dd>{escape(person.get_sex_display() or 'Non renseigné')}</dd>\n"
        f"    <dt>Âge</dt><dd>{age_text}</dd>\n"
        f"    <dt>Téléphone</dt><dd>{phone}</dd>\n"
        f"    <dt>E-mail</dt><dd>{email}</dd>\n"
        f"    <dt>Adresse</dt><dd>{address}</dd>\n"
        "    <dt>Quartier prioritaire</dt>\n"
        "    <dd>\n"
        f"      {qpv_status_html(person)}\n"
        f"      {match}\n"
        f'      <br><a href="{escape(qpv_url(person.pk))}">'
        f"{qpv_link}</a>\n"
        "    </dd>\n"
        "    <dt>Situation</dt>\n"
        f"    <dd>{situation}</dd>\n"
        "    <dt>Niveau de formation</dt>"
        f"<dd>{escape(person.get_education_level_display() or '—')}</dd>\n"
        "    <dt>Origine du contact</dt>"
        f"<dd>{escape(person.get_contact_source_display() or '—')}</dd>\n"
        f"    <dt>L'idée</dt><dd>{linebreaksbr(person.idea or '—', autoescape=True)}</dd>\n"
        "    <dt>Connue depuis le</dt>"
        f"<dd>{dmy(template_localtime(person.created_at)) if person.created_at else ''}</dd>\n"
        f"    <dt>Dernier contact</dt><dd>{dmy(person.last_contact_on) or '—'}</dd>\n"
        "  </dl>\n"
        "</section>\n"
    )


def qpv_url(pk: int) -> str:
    return cached_reverse("people:qpv", pk) or reverse("people:qpv", args=[pk])


def qpv_status_html(person: Person) -> str:
    """`people/_qpv_status.html` for `person`."""
    if person.qpv_code:
        status = (
            f'\n  <span class="badge badge--qpv">QPV</span> {escape(person.qpv_name)} '
            f"({escape(person.qpv_code)}, {escape(person.get_qpv_generation_display())})\n"
        )
    elif person.qpv_pending:
        status = (
            '\n  <span class="badge badge--warn">Contrôle QPV en attente</span>\n'
            '  <span class="muted">la Base Adresse Nationale n\'a pas encore répondu</span>\n'
        )
    elif person.qpv_generation:
        status = f"\n  Hors QPV ({escape(person.get_qpv_generation_display())})\n"
    elif person.qpv_to_verify:
        status = '\n  <span class="muted">Non décidé</span>\n'
    else:
        status = '\n  <span class="muted">Non contrôlé</span>\n'
    to_verify = '<span class="badge badge--warn">à vérifier</span>' if person.qpv_to_verify else ""
    checked = ""
    if person.qpv_generation:
        source = (
            f" — {escape(person.get_qpv_source_display().lower())}" if person.qpv_source else ""
        )
        checked = f'<br><span class="muted">Contrôle du {dmy(person.qpv_checked_on)}{source}</span>'
    return f"{status}\n{to_verify}\n{checked}\n"


def person_url(name: str, pk: int) -> str:
    return escape(cached_reverse(name, pk) or reverse(name, args=[pk]))


def retention_html(person: Person) -> SafeString:
    """`people/_retention.html` for `person`."""
    status = person.retention
    if status:
        extension = ""
        if status.extended_until:
            extension = (
                "\n  <p>Conservation prolongée jusqu'au "
                f"{dmy(status.extended_until)}\u202f: {escape(status.extension_reason)}.</p>\n  "
            )
        body = (
            "\n  <p>\n"
            f"    Dernière activité le {dmy(status.last_activity)}\u202f: sans nouvelle activité,\n"
            f"    la fiche sera anonymisée le <strong>{dmy(status.planned_on)}</strong>.\n"
            f"  </p>\n  {extension}\n"
            "  <p>\n"
            f'    <a href="{person_url("people:retention_extend", person.pk)}">'
            "Prolonger la conservation</a>\n"
            f'    · <a href="{person_url("privacy:access", person.pk)}">'
            "Demande d'accès\u202f: tout exporter (PDF et JSON)</a>\n"
            f'    · <a href="{person_url("people:erase", person.pk)}">'
            "Demande d'effacement\u202f: anonymiser maintenant</a>\n"
            "  </p>\n  "
        )
    else:
        body = f"\n  <p>Fiche anonymisée le {dmy(person.anonymised_on)}.</p>\n  "
    return mark_safe(
        '\n<section class="card" aria-labelledby="retention-title">\n'
        '  <h2 id="retention-title">Conservation de la fiche</h2>\n'
        f"  {body}\n"
        "</section>\n\n"
    )


def criteria_html(declared: list, derived: list) -> SafeString:
    """`people/_criteria.html` for the declared and derived criteria shown."""
    return mark_safe(
        '<section class="card" aria-labelledby="criteria-title">\n'
        '  <h2 id="criteria-title">Critères</h2>\n'
        "  <h3>Déclarés</h3>\n"
        f"  {criteria_list(declared)}\n"
        "  <h3>Déduits de la fiche</h3>\n"
        f"  {criteria_list(derived)}\n"
        "</section>\n"
    )


def criteria_list(criteria: list) -> str:
    if not criteria:
        return '<p class="muted">Aucun.</p>'
    items = "".join(f"<li>{escape(criterion.label)}</li>" for criterion in criteria)
    return f"\n    <ul>{items}</ul>\n  "


def projects_html(person: Person, projects: list, idea_bank: bool, companies: list) -> SafeString:
    """`people/_projects.html` for `person`, her projects (their NAF read with them, the
    holders of collective ones prefetched) and her companies."""
    if projects:
        items = "".join(project_html(person, project) for project in projects)
    else:
        items = '\n      <p class="muted">Aucun projet.</p>\n    '
    idea = ""
    if idea_bank:
        idea = (
            f'\n      <p><a href="{person_url("companies:idea_bank", person.pk)}">'
            "Pas encore d'idée ? Ouvrir la banque d'idées</a>, avec les activités qui manquent "
            "sur le territoire.</p>\n    "
        )
    created = ""
    if companies:
        created = (
            '\n    <section class="card" aria-labelledby="companies-title">\n'
            '      <h2 id="companies-title">Entreprise créée</h2>\n'
            f"      {''.join(company_html(company) for company in companies)}\n"
            "    </section>\n  "
        )
    return mark_safe(
        '<div class="file-grid">\n'
        '  <section class="card" aria-labelledby="projects-title">\n'
        '    <h2 id="projects-title">Projets</h2>\n'
        f"    {items}\n"
        f"    {idea}\n"
        "  </section>\n"
        f"  {created}\n"
        "</div>\n"
    )


def project_html(person: Person, project) -> str:
    naf = f" — {escape(str(project.naf))}" if project.naf else ""
    if project.collective:
        holders = "".join(
            f'<a href="{person_url("people:detail", holder.pk)}">{escape(str(holder))}</a> '
            for holder in project.persons.all()
            if holder.pk != person.pk
        )
        collective = f"— projet collectif avec\n          {holders}\n        "
    elif project.collective is None:
        collective = "— démarche non renseignée\n        "
    else:
        collective = ""
    description = ""
    if project.description:
        description = f"<p>{linebreaksbr(project.description, autoescape=True)}</p>"
    market = ""
    if project.naf_id:
        url = person_url("companies:market", project.pk)
        market = (
            f'\n        <div hx-get="{url}" hx-trigger="load" hx-swap="outerHTML">\n'
            f'          <p><a href="{url}">Voir le marché local de cette activité</a></p>\n'
            "        </div>\n      "
        )
    return (
        f"\n      <h3>{escape(project.title)}</h3>\n"
        '      <p class="muted">\n'
        f"        Depuis le {dmy(project.started_on)}{naf}\n"
        f"        {collective}\n"
        "      </p>\n"
        f"      {description}\n"
        f"      {market}\n    "
    )


def company_html(company) -> str:
    if company.in_qpv:
        in_qpv = "Oui"
    elif company.in_qpv is False:
        in_qpv = "Non"
    else:
        in_qpv = "Inconnu"
    legal_form = escape(str(company.get_legal_form_display())) or "Non renseignée"
    return (
        '\n        <dl class="facts">\n'
        f"          <dt>Nom</dt><dd>{escape(company.name) or '—'}</dd>\n"
        f"          <dt>Créée le</dt><dd>{dmy(company.created_on)}</dd>\n"
        f"          <dt>Forme juridique</dt><dd>{legal_form}</dd>\n"
        f"          <dt>SIRET</dt><dd>{escape(company.siret) or '—'}</dd>\n"
        f"          <dt>Activité</dt><dd>{escape(str(company.naf)) if company.naf else '—'}</dd>\n"
        f"          <dt>Adresse</dt><dd>{escape(company.address) or '—'}</dd>\n"
        f"          <dt>Implantée en QPV</dt><dd>{in_qpv}</dd>\n"
        f"          <dt>Emplois à la création</dt><dd>{company.jobs_at_creation}</dd>\n"
        "        </dl>\n      "
    )


def lead_html(journey, journey_count: int) -> SafeString:
    """The page's lead paragraph under her name: her last journey's stage and dates."""
    if journey:
        step = escape(str(journey.get_step_display()))
        if journey.is_open:
            state = (
                f'\n      <span class="badge badge--stage">{step}</span>\n'
                f"      parcours en cours depuis le {dmy(journey.opened_on)}\n    "
            )
        else:
            state = (
                f'\n      <span class="badge">{step}</span>\n'
                f"      parcours clos le {dmy(journey.closed_on)}\n    "
            )
        rank = f"({journey_count}<sup>e</sup> parcours)" if journey_count > 1 else ""
        text = f"\n    {state}\n    {rank}\n  "
    else:
        text = "\n    Aucun parcours.\n  "
    return mark_safe(f'<p class="lead">\n  {text}\n</p>')


def actions_html(person: Person, journey) -> SafeString:
    """The page's buttons: a meeting first while her journey is open, else a new journey."""
    meeting = person_url("people:meeting_create", person.pk)
    if journey and journey.is_open:
        move = person_url("people:move", person.pk)
        first = (
            f'\n    <a class="button" href="{meeting}">Enregistrer un entretien</a>\n'
            f'    <a class="button button--secondary" href="{move}">'
            "Faire avancer le parcours</a>\n  "
        )
    else:
        first = (
            f'\n    <a class="button" href="{person_url("people:reopen", person.pk)}">'
            "Ouvrir un nouveau parcours</a>\n"
            f'    <a class="button button--secondary" href="{meeting}">'
            "Enregistrer un entretien</a>\n  "
        )
    return mark_safe(
        '<div class="page-actions" aria-label="Actions">\n'
        f"  {first}\n"
        f'  <a class="button button--secondary" href="{person_url("referrals:create", person.pk)}">'
        "Orienter vers un partenaire</a>\n"
        '  <a class="button button--secondary" '
        f'href="{person_url("people:project_create", person.pk)}">Ajouter un projet</a>\n'
        f'  <a class="button button--secondary" href="{person_url("people:edit", person.pk)}">'
        "Modifier la fiche</a>\n"
        "</div>"
    )
