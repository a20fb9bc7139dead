"""What an import will write, gathered before anything is: new rows as unsaved model
instances (linked to each other, so that bulk inserts in order fill the keys), and the
changes to stored rows. One person's rows are gathered apart and joined to the whole only
when none of them is refused."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.db import DEFAULT_DB_ALIAS, router
from django.db.models.base import ModelState


@dataclass
class Tally:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: int = 0

    def add(self, other: "Tally") -> None:
        self.created += other.created
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.refused += other.refused

    def as_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class Batch:
    # model class -> unsaved instances, in the order they must be inserted
    new: dict = field(default_factory=lambda: defaultdict(list))
    # (model class, name of the many-to-many field) -> [(instance, related pk)]
    links: dict = field(default_factory=lambda: defaultdict(list))
    # stored instances to save again, with the fields that changed
    updates: list = field(default_factory=list)
    tallies: dict = field(default_factory=lambda: defaultdict(Tally))
    # stored persons whose declared criteria (RSA, ASS, AAH, RQTH) become these codes
    criteria_resets: list = field(default_factory=list)
    # transitions added the way the app adds them (welcomed at a first meeting…)
    derived_transitions: int = 0

    def create(self, sheet: str | None, instance):
        self.new[type(instance)].append(instance)
        if sheet:
            self.tallies[sheet].created += 1
        return instance

    def link(self, instance, field_name: str, related_id) -> None:
        self.links[(type(instance), field_name)].append((instance, related_id))

    def update(self, instance, fields: list[str]) -> None:
        self.updates.append((instance, fields))

    def change(self, sheet: str | None, instance, values: dict) -> list[str]:
        """Give a stored row the workbook's values; counts it changed or unchanged and
        returns the fields that differ (saved with the batch)."""
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        for name in changed:
            setattr(instance, name, values[name])
        if changed:
            self.update(instance, changed)
        if sheet:
            self.count(sheet, "changed" if changed else "unchanged")
        return changed

    def count(self, sheet: str, outcome: str) -> None:
        setattr(self.tallies[sheet], outcome, getattr(self.tallies[sheet], outcome) + 1)

    def join(self, other: "Batch") -> None:
        for model, instances in other.new.items():
            self.new[model].extend(instances)
        for key, pairs in other.links.items():
            self.links[key].extend(pairs)
        self.updates.extend(other.updates)
        self.criteria_resets.extend(other.criteria_resets)
        for sheet, tally in other.tallies.items():
            self.tallies[sheet].add(tally)
        self.derived_transitions += other.derived_transitions


class Template:
    """What every new instance of a model starts from: each concrete field's default (a
    callable default is called for each instance, unless a value is given)."""

    def __init__(self, model):
        fields = model._meta.concrete_fields
        dynamic = {f.attname for f in fields if f.has_default() and callable(f.default)}
        self.constants = {f.attname: f.get_default() for f in fields if f.attname not in dynamic}
        self.callables = [
            (f.attname, f.name, f.get_default) for f in fields if f.attname in dynamic
        ]
        self.relations = {f.name for f in fields if f.is_relation}
        self.attnames = {f.attname for f in fields}
        self.names = self.attnames | self.relations  # what `unsaved` accepts
        # Foreign keys (not one-to-one) set here as their descriptor would, without it;
        # with database routers, through the descriptor only.
        self.foreign_keys = {
            f.name: (f.attname, f.related_model, f.target_field.attname)
            for f in fields
            if f.many_to_one and not router.routers
        }


@cache  # one per model, for the life of the process
def template_of(model) -> Template:
    return Template(model)


def unsaved(model, /, **values):
    """`model(**values)` for the import's many new rows (100 000 meetings for a large
    site), built in a fraction of the time: the fields start from the model's defaults
    computed once, instead of Django's `__init__` looking up every field in the keyword
    arguments. Related objects are set as their descriptor sets them (`relate`). No
    `pre_init`/`post_init` signal is sent: no model of the app listens to them
    (`tests/exchange/test_batch.py` compares both ways of building)."""
    template = template_of(model)
    if not template.names.issuperset(values):
        unknown = values.keys() - template.names
        raise TypeError(f"{model.__name__} has no field {sorted(unknown)[0]!r}")
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.fields_cache = cache = {}  # what its descriptor would make on first use
    fields = instance.__dict__
    fields.update(template.constants)
    for attname, name, default in template.callables:
        if attname not in values and name not in values:
            fields[attname] = default()
    fields.update(values)  # the plain values at once; related objects taken out below
    foreign_keys = template.foreign_keys
    for name in template.relations.intersection(values):
        value = fields.pop(name)
        relation = foreign_keys.get(name)
        if relation is not None and (value is None or type(value) is relation[1]):
            # `relate` inlined (many calls): nothing is cached yet on a new instance
            if value is not None:
                if state.db is None:
                    state.db = value._state.db or DEFAULT_DB_ALIAS
                if value._state.db is None:
                    value._state.db = state.db
                fields[relation[0]] = getattr(value, relation[2])
            else:
                fields[relation[0]] = None
            cache[name] = value
        else:
            setattr(instance, name, value)
    return instance


def relate(instance, name: str, value, template: Template | None = None) -> None:
    """`setattr(instance, name, value)` for a related object, done as Django's
    `ForwardManyToOneDescriptor.__set__` does it when no database router is installed
    (the key copied, the object cached, both on the same database), without its checks
    and router calls; anything else (a one-to-one field, an object of another model, a
    router) goes through the descriptor."""
    template = template or template_of(type(instance))
    relation = template.foreign_keys.get(name)
    if relation is None or (value is not None and type(value) is not relation[1]):
        setattr(instance, name, value)
        return
    attname, _, target = relation
    state = instance._state
    if value is None:
        if state.fields_cache.get(name) is not None:  # the descriptor also unlinks it
            setattr(instance, name, value)
            return
        instance.__dict__[attname] = None
    else:
        if state.db is None:
            state.db = value._state.db or DEFAULT_DB_ALIAS
        if value._state.db is None:
            value._state.db = state.db
        instance.__dict__[attname] = getattr(value, target)
    state.fields_cache[name] = value
