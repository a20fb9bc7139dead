"""What `amorce demo` prints: the logins, and on request the current second-factor codes."""

import time

from django_otp.oath import TOTP

from amorce.accounts.totp import secret_of
from amorce.demo.builders import DemoReport, demo_devices

URL = "http://127.0.0.1:8000"


def login_sheet(report: DemoReport) -> str:
    rows = [("Rôle", "E-mail", "Mot de passe", "Clé TOTP (double authentification)")]
    rows += [
        (
            card.label,
            card.email,
            card.password,
            secret_of(card.totp_device) if card.totp_device else "—",
        )
        for card in report.logins
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    table = [
        "  " + "   ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(
        [
            f"Démonstration prête : {report.sites} sites, {report.persons} personnes "
            f"({report.persons_added} ajoutées par cette exécution), {len(report.logins)} comptes.",
            "",
            f"Adresse : {URL}",
            "",
            *table,
            "",
            "Chefs de projet et administrateur : double authentification. Ajoutez la clé TOTP",
            "dans une application d'authentification (Aegis, FreeOTP, Google Authenticator…),",
            "ou lancez « amorce demo --totp » pour afficher les codes à 6 chiffres du moment.",
        ]
    )


def current_codes() -> str | None:
    """The code each demo user's app shows now, or None before the demo is loaded."""
    devices = demo_devices()
    if not devices:
        return None
    lines = [f"  {spec.email.ljust(36)} {token_now(device)}" for spec, device in devices]
    step = devices[0][1].step
    return "\n".join(
        [
            "Codes de double authentification du moment :",
            *lines,
            "",
            f"Valables encore {step - int(time.time()) % step} s.",
        ]
    )


def token_now(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
