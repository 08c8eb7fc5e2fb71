"""Appending a batch: entries numbered in order, event ids in force, the batch's moment.

The functions here run inside a writing transaction
(:meth:`~ikueval._store.interface.LedgerStore.writing`), where numbers and
moments computed from the last batch are final.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, Final

from .._errors import EventError, Location, Problem
from .._events import Event
from .checks import NOTHING_ADDED
from .interface import LedgerStore, StoreWriter
from .moments import moment_text
from .records import canonical, entry_row
from .values import Batch, BatchKind, EntryRow, RuleVersion

#: Entries appended at a time: bounds the memory an import holds.
APPEND_CHUNK: Final = 5_000
#: Problems of event ids listed at most per import: a re-export of a large
#: file would otherwise list every row; the first ones show what happened.
MAX_ID_PROBLEMS: Final = 1_000


def append_events(
    writer: StoreWriter,
    head: Batch | None,
    events: Iterable[Event],
    skipped: set[str],
    spans: dict[str, list[int]],
    state: str | None,
    subjects: set[str],
    digest: Any = None,
) -> int:
    """Append the events as entries, in chunks; return how many were appended.

    Events of the files in ``skipped`` (recorded meanwhile by another import)
    are left out. ``spans`` receives the first and last entry of each file,
    ``subjects`` the indicators (``activity:ID``) of the entries.

    Raises:
        EventError: event ids in force already, or twice in these events.
    """
    batch = (head.number if head else 0) + 1
    first = (head.last_entry if head else 0) + 1
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    number = first

    def rows() -> Iterator[EntryRow]:
        nonlocal number
        for event in events:
            name = event.source.file or ""
            if name in skipped:
                continue
            if event.id is not None:
                problem = _id_problem(writer, event, ids)
                if problem is not None:
                    if len(problems) < MAX_ID_PROBLEMS:
                        problems.append(problem)
                    continue
            span = spans.setdefault(name, [number, number])
            span[1] = number
            row = entry_row(event, entry=number, batch=batch, state=state)
            subjects.add(row.subject)
            if digest is not None:
                digest.update(canonical(row))
            number += 1
            yield row

    stream = rows()
    while chunk := list(itertools.islice(stream, APPEND_CHUNK)):
        writer.add_entries(chunk)
    if problems:
        raise EventError(problems, summary=NOTHING_ADDED)
    return number - first


def _id_problem(writer: StoreWriter, event: Event, ids: dict[str, str]) -> Problem | None:
    """Why an event's id cannot be recorded, if it cannot."""
    assert event.id is not None
    where = Location(event.source.file, event.source.line, "id")
    first = ids.get(event.id)
    if first is not None:
        return Problem(f"duplicate event id {event.id!r} (first at {first})", where)
    ids[event.id] = str(event.source)
    clash = writer.live_with_id(event.id)
    if clash is None:
        return None
    return Problem(
        f"event id {event.id!r} is in force in the ledger already (entry {clash})",
        where,
        hint=f"to change that event, correct entry {clash}",
    )


def record_batch(
    store: LedgerStore,
    writer: StoreWriter,
    head: Batch | None,
    kind: BatchKind,
    version: RuleVersion,
    actor: str,
    entries: int,
    reason: str | None = None,
) -> Batch:
    """Record the batch of what was just appended, stamped with the store's clock.

    The moment never goes back: a clock behind the last batch (set back, or
    another machine's) stamps the last batch's moment.
    """
    moment = moment_text(store.clock())
    if head is not None and moment < head.recorded_at:
        moment = head.recorded_at
    first = (head.last_entry if head else 0) + 1
    batch = Batch(
        number=(head.number if head else 0) + 1,
        recorded_at=moment,
        actor=actor,
        kind=kind,
        rule_version=version.version,
        first_entry=first,
        last_entry=first + entries - 1,
        reason=reason,
    )
    writer.add_batch(batch)
    return batch
