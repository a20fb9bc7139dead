"""A person's journeys rebuilt from dated transitions, as `people.actions` would have
built them had each been entered by hand in date order: an exit closes a journey (even
as its first transition), a transition after an exit opens the next one; the first
meeting of an open journey still at `detected` makes it `welcomed`, and a creation
referral makes it `oriented` when nothing later was recorded. Pure: no database access."""

from dataclasses import dataclass, field
from datetime import date

from amorce.people.journey import Step, is_exit, rank


@dataclass(eq=False)
class PlannedTransition:
    on: date
    step: str
    comment: str = ""
    pk: int | None = None  # already stored
    row: object = None  # the workbook row it comes from, if any


@dataclass(eq=False)
class PlannedJourney:
    transitions: list[PlannedTransition] = field(default_factory=list)
    pk: int | None = None
    # The latest transition among the first `_seen` ones: transitions are only ever
    # appended, so the ones added since are all `last` needs to look at.
    _last: PlannedTransition | None = field(default=None, repr=False)
    _seen: int = field(default=0, repr=False)

    @property
    def opened_on(self) -> date:
        return self.transitions[0].on

    @property
    def last(self) -> PlannedTransition:
        """The transition of the latest date, the last listed of that date."""
        transitions = self.transitions
        if self._seen != len(transitions):
            if self._seen > len(transitions):  # not appended to: look at them all again
                self._last, self._seen = None, 0
            last = self._last
            for transition in transitions[self._seen :]:
                if last is None or transition.on >= last.on:
                    last = transition
            self._last, self._seen = last, len(transitions)
        if self._last is None:
            raise ValueError("a journey without transitions")
        return self._last

    @property
    def step(self) -> str:
        return self.last.step

    @property
    def closed_on(self) -> date | None:
        return self.last.on if is_exit(self.last.step) else None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def covers(self, on: date) -> bool:
        if on < self.transitions[0].on:  # before it opened
            return False
        last = self.last
        return on <= last.on or not is_exit(last.step)  # before it closed, or open

    def add(self, on: date, step: str, comment: str) -> PlannedTransition:
        transition = PlannedTransition(on, step, comment)
        self.transitions.append(transition)
        return transition


def append(journeys: list[PlannedJourney], on: date, step: str, comment: str = ""):
    """Add one transition dated on or after every stored one, kept as given: a journey may
    start with an exit (closed the day it opens: `detected` counts it), skip stages, go
    back one, or repeat one (hand-kept records are like that, exchange-format.md)."""
    current = journeys[-1] if journeys else None
    if current is None or not current.is_open:
        journey = PlannedJourney()
        journeys.append(journey)
        return journey.add(on, step, comment)
    return current.add(on, step, comment)


def journey_on(journeys: list[PlannedJourney], on: date) -> PlannedJourney | None:
    """The journey open that day; on a day one closes and the next opens, the new one."""
    for journey in reversed(journeys):
        if journey.covers(on):
            return journey
    return None


def welcome(journey: PlannedJourney, first_meeting_on: date) -> PlannedTransition | None:
    """The first meeting of an open journey still at `detected` makes it `welcomed`."""
    stage_reached = not journey.is_open or rank(journey.step) >= rank(Step.WELCOMED)
    if stage_reached or first_meeting_on < journey.last.on:
        return None
    return journey.add(first_meeting_on, Step.WELCOMED, "Premier entretien")


def orient(journey: PlannedJourney, sent_on: date, comment: str) -> PlannedTransition | None:
    """A creation referral moves an open journey to `oriented`, unless a later transition
    exists (a backdated referral does not rewrite a later history)."""
    if not journey.is_open or rank(journey.step) >= rank(Step.ORIENTED):
        return None
    if any(transition.on > sent_on for transition in journey.transitions):
        return None
    return journey.add(sent_on, Step.ORIENTED, comment)
