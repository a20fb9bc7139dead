"""Benchmark-only settings: the product's, plus Django admin for the peer page.

The product has no admin on purpose (it would bypass the audit journal); `run.py` measures
the admin's change list of persons as the page a small team would ship instead.
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admin"]
ROOT_URLCONF = "benchmarks.urls"
