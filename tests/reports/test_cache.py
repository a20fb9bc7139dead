"""The figures kept a few minutes: computed once for the page and its downloads, never
shared between a masked and an unmasked reader, computed again on demand."""

import json

import pytest
from django.core.cache import cache as django_cache
from django.urls import reverse

from amorce.reports import cache

PAGE = reverse("reports:report")
JSON = reverse("reports:download", args=["json"])
PERIOD = {"du": "2024-01-01", "au": "2024-12-31"}


@pytest.fixture
def kept(settings, monkeypatch):
    settings.REPORT_CACHE_SECONDS = 300
    django_cache.clear()
    computations = []
    real = cache.compute_report

    def counting(*args, **kwargs):
        computations.append(kwargs.get("masked"))
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "compute_report", counting)
    yield computations
    django_cache.clear()


def test_the_page_and_its_download_compute_once(as_user, leader, kept):
    client = as_user(leader)

    page = client.get(PAGE, PERIOD).content.decode()
    client.get(JSON, PERIOD)

    assert kept == [False]
    assert "Chiffres calculés le" in page and "recalculer=1" in page


def test_recalculer_computes_again(as_user, leader, kept):
    client = as_user(leader)
    client.get(PAGE, PERIOD)

    client.get(PAGE, {**PERIOD, "recalculer": "1"})

    assert kept == [False, False]


def test_a_masked_reader_never_gets_the_unmasked_figures(as_user, leader, funder, kept):
    as_user(leader).get(JSON, PERIOD)

    report = json.loads(as_user(funder).get(JSON, PERIOD).content)

    assert report["masked"] is True and kept == [False, True]


def test_without_keeping_every_request_computes(as_user, leader, kept, settings):
    settings.REPORT_CACHE_SECONDS = 0
    client = as_user(leader)

    client.get(JSON, PERIOD)
    client.get(JSON, PERIOD)

    assert kept == [False, False]
