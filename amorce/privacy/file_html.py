"""The person's page's consents block written in Python: `privacy/_consents.html`, which
stays the reference; a test holds both to the same HTML, byte for byte, over consents and
referrals of every kind (as `people.file_html` does for the page's other blocks)."""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from amorce.people.file_html import dmy, person_url

WITHDRAWAL = (
    '  <p class="muted">Un retrait prend effet tout de suite\u202f: le partenaire n\'a plus '
    "accès à la fiche\u202f; retirer l'accord « RQTH / AAH » efface ces critères.</p>\n"
)


def consents_html(person, consents: list, referrals: list, csrf_token: str) -> SafeString:
    """`privacy/_consents.html` for `person`, her consents and referrals, with the form's
    CSRF token as `{% csrf_token %}` writes it."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    if consents or referrals:
        rows = "".join(consent_row(person, consent, csrf) for consent in consents)
        rows += "\n      "
        rows += "".join(share_row(referral, csrf) for referral in referrals)
        body = (
            "\n"
            '  <div class="table-wrap">\n'
            "    <table>\n"
            f'      <caption class="visually-hidden">Accords donnés par {escape(str(person))}, '
            "avec leurs dates</caption>\n"
            "      <thead><tr>\n"
            '        <th scope="col">Objet</th><th scope="col">Donné le</th>'
            '<th scope="col">Retiré le</th><th scope="col"><span class="visually-hidden">'
            "Action</span></th>\n"
            "      </tr></thead>\n"
            f"      <tbody>\n      {rows}\n"
            "      </tbody>\n"
            "    </table>\n"
            "  </div>\n"
            f"{WITHDRAWAL}  "
        )
    else:
        body = '\n  <p class="muted">Aucun accord enregistré.</p>\n  '
    return mark_safe(
        '\n<section class="card" aria-labelledby="consents-title">\n'
        '  <h2 id="consents-title">Accords de la personne</h2>\n'
        f"  {body}\n"
        f'  <p><a href="{person_url("privacy:access", person.pk)}">'
        "Demande d'accès\u202f: tout ce qui est détenu sur la personne</a></p>\n"
        "</section>\n"
    )


def consent_row(person, consent, csrf: str) -> str:
    scope = escape(str(consent.get_scope_display()))
    action = ""
    if not consent.withdrawn_on:
        url = escape(reverse("privacy:consent_withdraw", args=[person.pk, consent.pk]))
        action = (
            f'\n            <form method="post" action="{url}" class="inline-form">\n'
            f'              {csrf}<button class="link-button" type="submit" '
            f'aria-label="Retirer l\'accord « {scope} »">Retirer</button>\n'
            "            </form>\n          "
        )
    return (
        "\n        <tr>\n"
        f'          <th scope="row">{scope}</th>\n'
        f"          <td>{dmy(consent.given_on)}</td>\n"
        f"          <td>{dmy(consent.withdrawn_on) or '—'}</td>\n"
        f"          <td>{action}</td>\n"
        "        </tr>\n      "
    )


def share_row(referral, csrf: str) -> str:
    if not referral.transmitted:
        return ""
    partner = escape(str(referral.partner))
    sensitive = " (RQTH, AAH compris)" if referral.share_sensitive else ""
    action = ""
    if not referral.consent_withdrawn_on:
        url = person_url("referrals:withdraw", referral.pk)
        action = (
            f'\n            <form method="post" action="{url}" class="inline-form">\n'
            f'              {csrf}<button class="link-button" type="submit" '
            f'aria-label="Retirer l\'accord de partage avec {partner}">Retirer</button>\n'
            "            </form>\n          "
        )
    return (
        "\n        <tr>\n"
        f'          <th scope="row">Partager la fiche avec {partner}{sensitive}</th>\n'
        f"          <td>{dmy(referral.consent_on)}</td>\n"
        f"          <td>{dmy(referral.consent_withdrawn_on) or '—'}</td>\n"
        f"          <td>{action}</td>\n"
        "        </tr>\n      "
    )
