"""What the demo command says when its data does not exist yet (a database of its own)."""

import pytest
from django.core.management import CommandError

from amorce.sites.models import Site
from tests.demo.test_demo import run_demo


def test_totp_option_before_the_demo_says_what_to_do(db):
    with pytest.raises(CommandError, match="amorce demo"):
        run_demo("--totp")


def test_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run_demo()
    assert not Site.objects.exists()
    assert "Démonstration prête" in run_demo("--force")
