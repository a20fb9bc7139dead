"""`batch.unsaved` builds the same unsaved instance as the model's constructor, and
`batch.relate` links it as the related field's descriptor does."""

from datetime import date

import pytest

from amorce.actions.models import Attendance, CollectiveAction
from amorce.exchange.batch import relate, unsaved
from amorce.people.models import (
    Consent,
    InitialSituation,
    Journey,
    Meeting,
    Person,
    Project,
    Transition,
)


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
        (Journey, {"id": 12, "person": person}),
        (Project, {"site": site, "title": "Food truck"}),  # started_on: its callable default
        (Project, {"site": site, "title": "Food truck", "started_on": date(2024, 1, 2)}),
        (Consent, {"person": person, "scope": "sensitive_criteria", "recorded_by": None}),
        (CollectiveAction, {"site": site, "kind": "cafe_crea", "title": "Café", "venue": ""}),
        (Meeting, {"person": None, "on": date(2024, 1, 2)}),
    ]
    for model, values in cases:
        built = unsaved(model, **values)
        expected = model(**values)
        assert state(built) == state(expected), model
        assert (built._state.adding, built._state.db) == (True, expected._state.db)
        assert built.pk == values.get("id")


@pytest.mark.django_db
def test_relate_links_as_the_descriptor_does(site):
    person = Person(site=site, first_name="Aïcha", last_name="Diallo")
    stored = Journey.objects.create(
        person=Person.objects.create(site=site, first_name="Léa"), opened_on=date(2024, 1, 2)
    )
    for value in (Journey(person=person), stored, None):
        by_descriptor, by_relate = Meeting(person=person), Meeting(person=person)
        by_descriptor.journey = value
        relate(by_relate, "journey", value)
        assert state(by_relate) == state(by_descriptor)
        assert by_relate._state.db == by_descriptor._state.db
    linked, unlinked = Meeting(journey=stored), Meeting(journey=stored)
    linked.journey = None
    relate(unlinked, "journey", None)
    assert state(unlinked) == state(linked)
    situation, other = InitialSituation(), InitialSituation()  # a one-to-one field
    situation.journey = stored
    relate(other, "journey", stored)
    assert state(other) == state(situation)


def test_an_unknown_field_is_refused():
    with pytest.raises(TypeError, match="no field"):
        unsaved(Meeting, when=date(2024, 1, 2))


def test_no_model_listens_to_init_signals():
    from django.db.models.signals import post_init, pre_init

    assert not post_init.receivers and not pre_init.receivers
