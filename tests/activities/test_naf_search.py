import pytest
from django.urls import reverse

from amorce.activities.search import naf_from_text, search_naf

pytestmark = pytest.mark.django_db


def codes(found):
    return [naf.code for naf in found]


class TestSearchNaf:
    def test_a_word_of_the_label_finds_the_code(self):
        assert codes(search_naf("coiffure")) == ["96.02A"]

    def test_case_and_accents_do_not_matter(self):
        assert "96.02A" in codes(search_naf("  COIFFURE "))
        assert codes(search_naf("boulangerie pâtisserie")) == codes(
            search_naf("Boulangerie Patisserie")
        )

    def test_every_word_must_appear(self):
        assert search_naf("coiffure boulangerie") == []

    @pytest.mark.parametrize("text", ["96.02", "96.02A", "9602a", "9602"])
    def test_a_code_finds_it(self, text):
        assert "96.02A" in codes(search_naf(text))

    def test_nothing_typed_finds_nothing(self):
        assert search_naf("   ") == []

    def test_results_are_limited(self):
        assert len(search_naf("commerce", limit=5)) == 5


class TestNafFromText:
    @pytest.mark.parametrize("text", ["96.02A", "96.02a", "9602A", "96.02A Coiffure", "coiffure"])
    def test_a_code_or_a_single_match_designates_it(self, text):
        assert naf_from_text(text).code == "96.02A"

    @pytest.mark.parametrize("text", ["", "99.99Z", "96.02A Boulangerie", "commerce", "zzz"])
    def test_an_unknown_or_ambiguous_text_designates_nothing(self, text):
        assert naf_from_text(text) is None


class TestNafSearchView:
    def test_a_leader_gets_options_for_a_datalist(self, as_user, leader):
        response = as_user(leader).get(reverse("activities:naf_search"), {"q": "coiffure"})
        assert response.status_code == 200
        assert '<option value="96.02A Coiffure">' in response.content.decode()

    def test_htmx_sends_the_value_under_the_input_name(self, as_user, leader):
        response = as_user(leader).get(reverse("activities:naf_search"), {"naf": "9602a"})
        assert "96.02A Coiffure" in response.content.decode()

    @pytest.mark.parametrize("user", ["funder", "network"])
    def test_report_readers_get_403(self, as_user, request, user):
        response = as_user(request.getfixturevalue(user)).get(reverse("activities:naf_search"))
        assert response.status_code == 403

    def test_a_post_is_refused(self, as_user, leader):
        assert as_user(leader).post(reverse("activities:naf_search")).status_code == 405
