"""The person's page's referrals block written in Python: `people/_referrals.html` with the
`referrals/_status.html` and `referrals/_outcome.html` it includes per row. Those templates
stay the reference (the board, the inbox and the partner's page include them too); a test
holds both to the same HTML, byte for byte, over referrals of every kind. Including two
templates per row cost the page more than reading the referrals did (`benchmarks/cpu.py`)."""

from html import escape

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe

from amorce.people.file_html import dmy, person_url
from amorce.referrals.models import Referral, Status

# What the rows keep of `Referral.Status` as the template compares it.
AWAITING = (Status.SENT, Status.ACCEPTED)

HEAD = (
    '<section class="card" aria-labelledby="referrals-title">\n'
    '  <h2 id="referrals-title">Orientations</h2>\n'
    "  "
)


def referrals_html(person, referrals: list[Referral], without_access: set) -> SafeString:
    """`people/_referrals.html` for `person`, her `referrals` and the partners among them
    nobody can log in for (`without_access`, their pks)."""
    if not referrals:
        url = person_url("referrals:create", person.pk)
        return mark_safe(
            f'{HEAD}\n  <p class="muted">Aucune orientation. <a href="{url}">'
            "Orienter vers un partenaire</a></p>\n  \n</section>\n"
        )
    rows = "".join(row_html(referral, without_access) for referral in referrals)
    return mark_safe(
        f"{HEAD}\n"
        '  <div class="table-wrap">\n'
        "    <table>\n"
        f'      <caption class="visually-hidden">Orientations de {escape(str(person))}, '
        "les plus récentes d'abord</caption>\n"
        "      <thead><tr>\n"
        '        <th scope="col">Envoyée le</th><th scope="col">Partenaire</th>'
        '<th scope="col">Objet</th>\n'
        '        <th scope="col">Statut</th><th scope="col">Résultat</th>'
        '<th scope="col">Partage de la fiche</th>\n'
        "      </tr></thead>\n"
        f"      <tbody>\n      {rows}\n"
        "      </tbody>\n"
        "    </table>\n"
        "  </div>\n"
        "  \n</section>\n"
    )


def row_html(referral: Referral, without_access: set) -> str:
    partner = escape(str(referral.partner))
    no_access = ""
    if referral.status in AWAITING and referral.partner_id in without_access:
        phone = referral.partner.phone
        phone = f" ({escape(phone)})" if phone else ""
        no_access = (
            f"<br><span class=\"referral-no-access\">{partner} n'a pas d'accès\u202f: "
            f"relancez par téléphone{phone}</span>"
        )
    if not referral.transmitted:
        share = '<span class="muted">Saisie après coup</span>'
    elif referral.consent_withdrawn_on:
        share = f"Accord retiré le {dmy(referral.consent_withdrawn_on)}"
    else:
        share = (
            f"Accord du {dmy(referral.consent_on)} "
            '<span class="muted">(retrait\u202f: « Accords de la personne »)</span>'
        )
    return (
        "\n        <tr>\n"
        f"          <td>{dmy(referral.sent_on)}</td>\n"
        f'          <th scope="row">{partner}</th>\n'
        f"          <td>{escape(str(referral.get_purpose_display()))}</td>\n"
        f"          <td>{status_html(referral)}{no_access}</td>\n"
        f"          <td>{outcome_html(referral)}</td>\n"
        "          <td>\n"
        f"            {share}\n"
        "            \n"
        "          </td>\n"
        "        </tr>\n      "
    )


def status_html(referral: Referral) -> str:
    """`referrals/_status.html`."""
    return (
        f'<span class="badge referral-status referral-status--{escape(referral.status)}">'
        f"{escape(str(referral.get_status_display()))}</span>\n"
    )


def outcome_html(referral: Referral) -> str:
    """`referrals/_outcome.html`."""
    if referral.status == Status.REFUSED:
        outcome = escape(str(referral.get_refusal_reason_display()))
    elif referral.status == Status.DONE:
        kind = escape(str(referral.get_financing_kind_display()))
        if referral.financing_granted:
            if referral.financing_amount is None:
                amount = "montant non renseigné"
            else:
                amount = f"{floatformat(referral.financing_amount, '-2g')} €"
            outcome = f"{kind or 'Financement (type non renseigné)'} accordé : {amount}"
        elif referral.financing_granted is False:
            outcome = f"{kind or 'Financement'} non accordé"
        else:
            outcome = "Clôturée"
        if referral.company_created:
            outcome += ", entreprise créée"
    else:
        outcome = "—"
    return outcome + "\n"
