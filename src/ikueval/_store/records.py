"""Events to stored entries and back, through the engine's own checks.

An event is stored as the text of its fields (:class:`~.values.EntryRow`).
Reading it back builds the record a file row would give and passes it through
:func:`ikueval._events.event_from_record`, with the rule set in force at the
moment read: an entry is checked exactly as an event file's row is, and its
source is the store and the entry number (``ledger.db:17``), which the
engine's trail compresses into ranges (``ledger.db:12-40``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Final

from .._building import LedgerBuilder
from .._events import Event, EventSource, event_from_record, spending_series
from .._ledger import Dimensions
from .._loading.fast_rows import MAX_CACHED
from .._model import IMPLICIT_INPUT, RuleSet, TargetValue, frozen_mapping
from .._periods import Period
from .._sources import pack
from .values import EntryKind, EntryRow

_MISSING: Final = "-"
_NO_DIMENSIONS: Final = frozen_mapping({})
#: Digits of a whole number added as an ``int`` (exactly what
#: :func:`~ikueval._folding.parts_of` makes of its ``Decimal``); longer ones
#: are added as a ``Decimal``.
_WHOLE_DIGITS: Final = 18


def entry_row(
    event: Event,
    *,
    entry: int,
    batch: int,
    state: str | None = None,
    supersedes: int | None = None,
    origin: EventSource | None = None,
) -> EntryRow:
    """The stored form of a checked event.

    Args:
        origin: where the event was read from (default: its own source).
    """
    source = event.source if origin is None else origin
    value = event.value
    if value is None:
        kind, text = EntryKind.MISSING, None
    elif isinstance(value, str):
        kind, text = EntryKind.CATEGORY, value
    else:
        kind, text = EntryKind.NUMBER, format(value, "f")
    return EntryRow(
        entry=entry,
        batch=batch,
        supersedes=supersedes,
        kind=kind.value,
        state=state,
        indicator=event.indicator,
        activity=event.activity,
        input=event.input,
        period=event.period.label,
        value=text,
        dimensions=dimensions_text(event.dimensions),
        event_id=event.id,
        unit=event.unit,
        document=event.document,
        table=event.table,
        note=event.note,
        ref=source.ref,
        origin_file=source.file,
        origin_line=source.line,
    )


def withdrawal_row(withdrawn: EntryRow, *, entry: int, batch: int) -> EntryRow:
    """An entry withdrawing ``withdrawn``: its identification, and no value."""
    return EntryRow(
        entry=entry,
        batch=batch,
        supersedes=withdrawn.entry,
        kind=EntryKind.WITHDRAWN.value,
        state=None,
        indicator=withdrawn.indicator,
        activity=withdrawn.activity,
        input=withdrawn.input,
        period=withdrawn.period,
        value=None,
        dimensions=withdrawn.dimensions,
        event_id=None,
        unit=None,
        document=None,
        table=None,
        note=None,
        ref=None,
        origin_file=None,
        origin_line=None,
    )


def dimensions_text(dimensions: Any) -> str:
    """Dimensions as stored: a JSON object with sorted keys."""
    return json.dumps(dict(sorted(dimensions.items())), ensure_ascii=False, separators=(",", ":"))


def record_of(row: EntryRow) -> dict[str, Any]:
    """The event record of an entry, as a file row would give it to the engine."""
    if row.kind == "number":
        value: Any = Decimal(row.value or "")
    elif row.kind == "category":
        value = row.value
    else:
        value = _MISSING
    record: dict[str, Any] = {
        "indicator": row.indicator,
        "activity": row.activity,
        "input": row.input,
        "period": row.period,
        "value": value,
        "id": row.event_id,
        "unit": row.unit,
        "document": row.document,
        "table": row.table,
        "note": row.note,
        "ref": row.ref,
    }
    if row.dimensions != "{}":
        record["dimensions"] = json.loads(row.dimensions)
    return record


def event_of(ruleset: RuleSet, row: EntryRow, store: str) -> Event:
    """The event of an entry, checked against ``ruleset``; its source is ``store:ENTRY``.

    Raises:
        EventError: the entry does not fit the rule set (one revised since it
            was recorded), located at ``store:ENTRY``.
    """
    return event_from_record(ruleset, record_of(row), source=EventSource(store, row.entry))


def _trusted(
    rows: Iterable[EntryRow], checked_with: Iterable[tuple[int, int]], version: int
) -> Iterator[tuple[EntryRow, bool]]:
    """Each row, and whether it was checked against ``version`` when it was recorded:
    ``checked_with`` gives, in order, the first entry from which each version was
    the one in force (the version of its batch)."""
    changes = list(checked_with)
    index, trusted = -1, False
    for row in rows:
        while index + 1 < len(changes) and changes[index + 1][0] <= row.entry:
            index += 1
            trusted = changes[index][1] == version
        yield row, trusted


def events_of(
    ruleset: RuleSet,
    version: int,
    rows: Iterable[EntryRow],
    checked_with: Sequence[tuple[int, int]],
    store: str,
) -> Iterator[Event]:
    """The events of entries, read with the rule-set version ``version`` in force.

    An entry checked against that very version when it was recorded (the
    version of its batch, from ``checked_with``) holds the engine's own
    output: its event is rebuilt from the stored fields without checking it
    again. Any other entry is checked again by :func:`event_of`, against
    ``ruleset``, as an event file's row would be.

    Raises:
        EventError: an entry the rule set refuses, located at ``store:ENTRY``.
    """
    periods: dict[str, Period] = {}
    for row, trusted in _trusted(rows, checked_with, version):
        if not trusted:
            yield event_of(ruleset, row, store)
            continue
        period = periods.get(row.period)
        if period is None:
            period = periods[row.period] = Period.parse(row.period)
        yield _stored_event(row, period, store)


def _stored_event(row: EntryRow, period: Period, store: str) -> Event:
    """The event of an entry checked against the version in force, rebuilt unchecked."""
    kind = row.kind
    if kind == "number":
        value: TargetValue | None = Decimal(row.value or "")
    elif kind == "category":
        value = row.value
    else:
        value = None
    return Event(
        indicator=row.indicator,
        period=period,
        value=value,
        input=row.input,
        dimensions=_NO_DIMENSIONS if row.dimensions == "{}" else json.loads(row.dimensions),
        id=row.event_id,
        unit=row.unit,
        document=row.document,
        table=row.table,
        note=row.note,
        source=EventSource(store, row.entry, row.ref),
        activity=row.activity,
    )


def put_entries(
    builder: LedgerBuilder,
    version: int,
    rows: Iterable[EntryRow],
    checked_with: Sequence[tuple[int, int]],
    store: str,
) -> None:
    """Add the events of entries to a ledger being built, as :func:`events_of` reads them.

    An entry checked against the version ``version`` of the builder's rule
    set is added by its parts (:meth:`~ikueval._building.LedgerBuilder.put`),
    without an event being built: its indicator, input and dimensions are
    those of an event that version accepted, and the builder receives what
    :meth:`~ikueval._building.LedgerBuilder.add` would give it for that
    event. Any other entry is checked again (:func:`event_of`) and added as
    an event, as is an entry of an indicator the builder retains (it keeps
    the event, for ``explain``).

    Raises:
        EventError: an entry the rule set refuses, located at ``store:ENTRY``.
    """
    ruleset, retain = builder.ruleset, builder.retain
    files, put = builder.tables.files, builder.put
    periods: dict[str, Period] = {}
    dimensions: dict[str, Dimensions] = {}
    for row, trusted in _trusted(rows, checked_with, version):
        if not trusted:
            builder.add(event_of(ruleset, row, store))
            continue
        period = periods.get(row.period)
        if period is None:
            period = periods[row.period] = Period.parse(row.period)
        if retain and (row.indicator in retain or row.activity in retain):
            builder.add(_stored_event(row, period, store))
            continue
        dims = dimensions.get(row.dimensions)
        if dims is None:
            if len(dimensions) >= MAX_CACHED:  # bounded as a file's texts are
                dimensions.clear()
            dims = dimensions[row.dimensions] = tuple(sorted(json.loads(row.dimensions).items()))
        kind, text = row.kind, row.value or ""
        value: TargetValue | int | None
        if kind == "number":  # a whole number as an int: what put makes of its Decimal
            whole = len(text) <= _WHOLE_DIGITS and text.isdigit() and text.isascii()
            value = int(text) if whole else Decimal(text)
        elif kind == "category":
            value = row.value
        else:
            value = None
        key = (
            (row.indicator, row.input or IMPLICIT_INPUT)
            if row.indicator is not None
            else spending_series(row.activity or "")
        )
        put(
            key,
            period,
            dims,
            value,
            row.event_id,
            pack(EventSource(store, row.entry, row.ref), files),
        )


def describe(row: EntryRow) -> str:
    """An entry in words: ``IKU-06 2025-Q2 [country=Malaysia, gender=L]: 1``."""
    return f"{identify(row)}: {value_text(row)}"


def identify(row: EntryRow) -> str:
    """What an entry is about: subject, input, period and dimensions."""
    subject = row.indicator if row.indicator else f"spending of {row.activity}"
    if row.input:
        subject += f" input {row.input}"
    dimensions = json.loads(row.dimensions)
    dims = ", ".join(f"{k}={v}" for k, v in dimensions.items())
    return f"{subject} {row.period}" + (f" [{dims}]" if dims else "")


def value_text(row: EntryRow) -> str:
    """The value of an entry as the log shows it (``-`` for "not measured")."""
    if row.kind == EntryKind.WITHDRAWN.value:
        return "withdrawn"
    text = row.value if row.value is not None else _MISSING
    return f"{text} ({row.state})" if row.state else text


def canonical(row: EntryRow) -> bytes:
    """An entry's content without its numbers, to recognise a set of records imported twice."""
    fields = row._asdict()
    for numbering in ("entry", "batch"):
        del fields[numbering]
    return json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
