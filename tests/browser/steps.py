"""Small steps the scenarios share: each does what a person does on the page."""

from base64 import b32decode

from django_otp.oath import TOTP

from tests.browser.accessibility import assert_accessible
from tests.factories import PASSWORD


def code_for_secret(secret: str) -> str:
    """The 6-digit code an authenticator app shows for the key printed on the page."""
    key = secret.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{TOTP(b32decode(key)).token():06d}"


def code_for_device(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def visit(page, path):
    page.goto(path)
    assert_accessible(page)


def log_in(page, email, password=PASSWORD):
    visit(page, "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def submit_code(page, code, button="Valider"):
    page.get_by_label("Code à 6 chiffres").fill(code)
    page.get_by_role("button", name=button).click()
