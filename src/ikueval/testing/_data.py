"""A rule set with events for it, as records a caller passes to :func:`ikueval.evaluate`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

from .._events import Event, events_from_records
from .._model import RuleSet
from .._periods import Period
from ._rules import Generated, RuleSpec, generated


@frozen
class Dataset:
    """A rule set, event records for it, and the period granularity of each indicator's events.

    Every indicator's events share one granularity (``year``, ``quarter``,
    ``month`` or ``day``), and the events of one input one breakdown (the same
    dimension names), so that no two of them overlap and nothing is counted
    twice. Each record carries its own ``ref``, so that its source does not
    depend on its position in the list.
    """

    generated: Generated
    records: tuple[dict[str, Any], ...]
    granularity: Mapping[str, str]

    @property
    def rules(self) -> RuleSet:
        """The loaded rule set."""
        return self.generated.rules

    @property
    def spec(self) -> RuleSpec:
        """The rule set's description."""
        return self.generated.spec

    @property
    def year(self) -> int:
        """The rule set's one year."""
        return self.spec.year

    def events(self) -> list[Event]:
        """The records as checked events.

        Raises:
            EventError: for a record the rule set refuses.
        """
        return list(events_from_records(self.rules, self.records))


def record_period(record: Mapping[str, Any]) -> Period:
    """The period of an event record (its ``period`` or its ``date``).

    Raises:
        PeriodError: when the record's period is written wrongly.
    """
    when = record.get("period") or record.get("date")
    return when if isinstance(when, Period) else Period.parse(str(when))


def dataset_of(spec: RuleSpec, records: Sequence[Mapping[str, Any]]) -> Dataset:
    """A dataset from a spec and hand-written records (for explicit examples).

    A record without ``ref`` gets ``eNNN``, NNN being its position.

    Raises:
        RuleSetError: when the spec describes an invalid rule set.
    """
    listed = tuple(
        {**record, "ref": record.get("ref", f"e{index:03d}")}
        for index, record in enumerate(records)
    )
    grains = {record["indicator"]: record_period(record).granularity.value for record in listed}
    return Dataset(generated(spec), listed, grains)
