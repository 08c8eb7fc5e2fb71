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
from .._events import Event, EventSource
from .checks import NOTHING_ADDED
from .interface import LedgerStore, StoreWriter
from .moments import moment_text
from .records import canonical, entry_row
from .values import ENTRY_COLUMNS, Batch, BatchKind, RuleVersion

#: Entries appended at a time: bounds the memory an import holds.
APPEND_CHUNK: Final = 5_000
#: Problems of event ids listed at most per import: a re-export of a large
#: file would otherwise list every row; the first ones show what happened.
MAX_ID_PROBLEMS: Final = 1_000

_ID: Final = ENTRY_COLUMNS.index("event_id")
_FILE: Final = ENTRY_COLUMNS.index("origin_file")
_LINE: Final = ENTRY_COLUMNS.index("origin_line")
_REF: Final = ENTRY_COLUMNS.index("ref")


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
    """Append checked events as entries, in chunks; return how many were appended.

    Events of the files in ``skipped`` (recorded meanwhile by another import)
    are left out. ``spans`` receives the first and last entry of each file,
    ``subjects`` the indicators (``activity:ID``) of the entries, ``digest``
    (a hashlib object) their canonical form.

    Raises:
        EventError: event ids in force already, or twice in these events.
    """
    batch = (head.number if head else 0) + 1
    first = (head.last_entry if head else 0) + 1

    def rows() -> Iterator[tuple[Any, ...]]:
        number = first
        for event in events:
            name = event.source.file or ""
            if name in skipped:
                continue
            span = spans.setdefault(name, [number, number])
            span[1] = number
            row = entry_row(event, entry=number, batch=batch, state=state)
            subjects.add(row.subject)
            if digest is not None:
                digest.update(canonical(row))
            number += 1
            yield row

    return append_rows(writer, rows(), ids_compared=False)


def append_rows(writer: StoreWriter, rows: Iterable[tuple[Any, ...]], *, ids_compared: bool) -> int:
    """Append entry rows (numbered one after the last), in chunks; return how many.

    An event id in force in the store already, or (unless ``ids_compared``:
    the caller compared the ids of these rows) given twice in the rows, is a
    problem: from the first one on nothing more is appended, the rows are
    checked to the end, and every problem (at most :data:`MAX_ID_PROBLEMS`)
    is raised.

    Raises:
        EventError: listing the rows whose event id cannot be recorded.
    """
    problems: list[Problem] = []
    seen: dict[str, str] | None = None if ids_compared else {}
    count = 0
    stream = iter(rows)
    while chunk := list(itertools.islice(stream, APPEND_CHUNK)):
        count += len(chunk)
        named = [row for row in chunk if row[_ID] is not None]
        if named:
            in_force = writer.live_with_ids({row[_ID] for row in named})
            for row in named:
                problem = _id_problem(row, seen, in_force)
                if problem is not None and len(problems) < MAX_ID_PROBLEMS:
                    problems.append(problem)
        if not problems:
            writer.add_entries(chunk)
    if problems:
        raise EventError(problems, summary=NOTHING_ADDED)
    return count


def _id_problem(
    row: tuple[Any, ...], seen: dict[str, str] | None, in_force: dict[str, int]
) -> Problem | None:
    """Why the event id of a row cannot be recorded, if it cannot."""
    ident = row[_ID]
    where = Location(row[_FILE], row[_LINE], "id")
    if seen is not None:
        first = seen.get(ident)
        if first is not None:
            return Problem(f"duplicate event id {ident!r} (first at {first})", where)
        seen[ident] = str(EventSource(row[_FILE], row[_LINE], row[_REF]))
    clash = in_force.get(ident)
    if clash is None:
        return None
    return Problem(
        f"event id {ident!r} is in force in the ledger already (entry {clash})",
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
