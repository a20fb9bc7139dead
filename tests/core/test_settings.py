import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

from config.env import email_settings, env_bool


def run_amorce(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "amorce.cli", *args], capture_output=True, text=True, env=environment
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "amorce.example.org",
    "EMAIL_URL": "smtp+tls://amorce:secret@smtp.example.org:587",
}


def test_production_settings_pass_the_deploy_check():
    result = run_amorce("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    result = run_amorce(
        "check", **{**PRODUCTION, "SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("DEBUG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be 0 or 1"):
        env_bool("DEBUG", True)


def test_email_url_gives_smtp_settings():
    settings = email_settings("smtp+tls://user%40x:p%2Fss@mail.example.org:2525")
    assert settings["EMAIL_HOST"] == "mail.example.org"
    assert settings["EMAIL_PORT"] == 2525
    assert settings["EMAIL_HOST_USER"] == "user@x"
    assert settings["EMAIL_HOST_PASSWORD"] == "p/ss"
    assert settings["EMAIL_USE_TLS"] is True
    with pytest.raises(ImproperlyConfigured):
        email_settings("pigeon://")


def test_templates_fail_loudly_on_unknown_variables():
    with pytest.raises(NameError, match="typo"):
        Template("{{ typo }}").render(Context({}))
