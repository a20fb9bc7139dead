"""`batch.unsaved` builds the same unsaved instance as the model's constructor."""

from datetime import date

import pytest

from amorce.actions.models import Attendance
from amorce.exchange.batch import unsaved
from amorce.people.models import Journey, Meeting, Person, Transition


def state(instance) -> dict:
    fields = {k: v for k, v in instance.__dict__.items() if k != "_state"}
    fields.pop("created_at", None)  # `timezone.now` when built: differs by microseconds
    cache = instance._state.fields_cache
    return fields | {"_cached": {name: id(value) for name, value in cache.items()}}


@pytest.mark.django_db
def test_unsaved_builds_what_the_constructor_builds(site):
    person = Person(site=site, first_name="Aïcha", last_name="Diallo", commune_id="11069")
    journey = Journey(person=person)
    cases = [
        (Person, {"site": site, "first_name": "Aïcha", "last_name": "Diallo", "latitude": None}),
        (Meeting, {"person": person, "author": None, "on": date(2024, 1, 2), "venue": ""}),
        (Transition, {"journey": journey, "on": date(2024, 1, 2), "step": "detected"}),
        (Attendance, {"person": person, "status": "present"}),
    ]
    for model, values in cases:
        built = unsaved(model, **values)
        expected = model(**values)
        assert state(built) == state(expected), model
        assert (built._state.adding, built._state.db) == (True, expected._state.db)
        assert built.pk is None


def test_an_unknown_field_is_refused():
    with pytest.raises(TypeError, match="no field"):
        unsaved(Meeting, when=date(2024, 1, 2))


def test_no_model_listens_to_init_signals():
    from django.db.models.signals import post_init, pre_init

    assert not post_init.receivers and not pre_init.receivers
