"""Corrections and withdrawals: new entries that supersede earlier ones, with a reason.

Nothing recorded is ever changed. To correct an event, a new entry is
recorded that *supersedes* it: the same fields with the changes applied,
checked by the engine against the rule set in force, exactly as a row of an
event file. To withdraw an event (recorded twice, or never real), an entry
supersedes it with nothing. An entry is superseded at most once: to correct
a correction, name the correction. Every correction batch carries its actor
and its reason; evaluations as of an earlier moment still see the event as it
was then.

A withdrawal is not the value ``-``: ``-`` records that the source reported
the figure as not measured (an event, shown in the trail), while a withdrawn
event is as if it had never been recorded from then on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from attrs import frozen

from .._errors import (
    EventError,
    IkuEvalError,
    Location,
    Problem,
    StoreError,
    UsageError,
    echo,
)
from .._events import FIELDS, EventSource, event_from_record
from .appending import record_batch
from .checks import NOTHING_ADDED, check_batch, subjects_of
from .inputs import check_actor, check_reason, check_state
from .interface import LedgerStore, StoreWriter
from .records import entry_row, record_of, withdrawal_row
from .values import Batch, BatchKind, EntryRow

#: Fields a correction may not change: the entry's own origin is kept as recorded.
_FIXED: Final = frozenset({"ref"})
#: Entries that do not exist or are not in force named at most per correction:
#: a range of a million (``1-1000000``) on a small ledger would otherwise build a
#: million messages; the first ones show what happened, the rest are counted.
MAX_ENTRY_PROBLEMS: Final = 1_000


@frozen
class CorrectionReport:
    """What a correction or a withdrawal recorded.

    Args:
        batch: the correction batch (with its actor and reason).
        superseded: the entries corrected or withdrawn, in order.
        entries: the entries that supersede them, in the same order.
    """

    batch: Batch
    superseded: tuple[int, ...]
    entries: tuple[EntryRow, ...]


def correct(
    store: LedgerStore,
    entries: Iterable[int],
    changes: Mapping[str, Any] | None = None,
    *,
    reason: str,
    actor: str,
    state: Any = None,
) -> CorrectionReport:
    """Correct entries: record each again with ``changes`` applied, superseding it.

    Args:
        store: the ledger store.
        entries: the numbers of the entries to correct (each in force: not
            superseded, not a withdrawal).
        changes: field -> new value, as in an event record (``value``,
            ``period``, ``note``...). Any other name is a dimension; ``None``
            or ``""`` removes a field or dimension.
        reason: why (required, recorded in the batch).
        actor: who corrects.
        state: the new verification state (None: keep each entry's own).

    Raises:
        UsageError: no entry, no change, or a bad reason, actor or state.
        StoreError: an entry that does not exist or is not in force.
        EventError: a corrected event that the rule set in force refuses
            (located at ``STORE:ENTRY``). Nothing is recorded.
    """
    reason, actor = check_reason(reason), check_actor(actor)
    new_state = check_state(state)
    changed = dict(changes or {})
    for name in sorted(_FIXED & changed.keys()):
        raise UsageError(f"{name}: a correction cannot change where the event came from")
    if not changed and new_state is None:
        raise UsageError("nothing to correct: give a change, or a verification state")
    numbers = _distinct(entries)
    where = Location(store.name)
    with store.writing() as writer:
        head = writer.head()
        if head is None:
            raise StoreError(Problem("the ledger is empty: nothing to correct", where))
        ruleset = store.parse_rules(writer.rules(head.rule_version)).require()
        olds = _in_force(writer, numbers, store.name, head.last_entry)
        batch = head.number + 1
        rows: list[EntryRow] = []
        problems: list[Problem] = []
        for offset, old in enumerate(olds):
            record = _changed(record_of(old), changed)
            source = EventSource(store.name, old.entry)
            try:
                event = event_from_record(ruleset, record, source=source)
            except IkuEvalError as exc:
                problems.extend(exc.problems)
                continue
            if event.id is not None and event.id != old.event_id:
                clash = writer.live_with_id(event.id)
                if clash is not None:
                    problems.append(
                        Problem(
                            f"event id {event.id!r} is in force already (entry {clash})",
                            Location(store.name, old.entry, "id"),
                        )
                    )
                    continue
            rows.append(
                entry_row(
                    event,
                    entry=head.last_entry + 1 + offset,
                    batch=batch,
                    state=new_state or old.state,
                    supersedes=old.entry,
                    origin=EventSource(ref=old.ref),
                )
            )
        if problems:
            raise EventError(problems, summary=NOTHING_ADDED)
        writer.add_entries(rows)
        version = writer.rules(head.rule_version)
        recorded = record_batch(
            store, writer, head, BatchKind.CORRECTION, version, actor, len(rows), reason
        )
        touched = subjects_of([*olds, *rows])
        check_batch(
            writer,
            ruleset,
            version,
            recorded.first_entry,
            recorded.last_entry,
            touched,
            store.name,
        )
    return CorrectionReport(recorded, tuple(old.entry for old in olds), tuple(rows))


def withdraw(
    store: LedgerStore, entries: Iterable[int], *, reason: str, actor: str
) -> CorrectionReport:
    """Withdraw entries: from now on they count as if never recorded.

    Args:
        store: the ledger store.
        entries: the numbers of the entries to withdraw (each in force).
        reason: why (required).
        actor: who withdraws.

    Raises:
        UsageError: no entry, or a bad reason or actor.
        StoreError: an entry that does not exist or is not in force.
    """
    reason, actor = check_reason(reason), check_actor(actor)
    numbers = _distinct(entries)
    where = Location(store.name)
    with store.writing() as writer:
        head = writer.head()
        if head is None:
            raise StoreError(Problem("the ledger is empty: nothing to withdraw", where))
        olds = _in_force(writer, numbers, store.name, head.last_entry)
        rows = [
            withdrawal_row(old, entry=head.last_entry + 1 + offset, batch=head.number + 1)
            for offset, old in enumerate(olds)
        ]
        writer.add_entries(rows)
        version = writer.rules(head.rule_version)
        recorded = record_batch(
            store, writer, head, BatchKind.CORRECTION, version, actor, len(rows), reason
        )
    return CorrectionReport(recorded, tuple(old.entry for old in olds), tuple(rows))


def _distinct(entries: Iterable[int]) -> list[int]:
    numbers = list(dict.fromkeys(entries))
    if not numbers:
        raise UsageError("no entry given: name the entries by number (17) or range (12-40)")
    return numbers


def _in_force(
    writer: StoreWriter, numbers: list[int], name: str, last_entry: int
) -> list[EntryRow]:
    """The entries named, each checked to be in force.

    Raises:
        StoreError: listing the entries that do not exist or are not in force (at most
            :data:`MAX_ENTRY_PROBLEMS`, then how many more).
    """
    found: list[EntryRow] = []
    problems: list[Problem] = []
    more = 0
    for number in numbers:
        if len(problems) >= MAX_ENTRY_PROBLEMS and not 1 <= number <= last_entry:
            more += 1  # counted without a message (nor a query)
            continue
        where = Location(name, number if 1 <= number <= last_entry else None)
        row = writer.entry(number) if 1 <= number <= last_entry else None
        if row is None:
            problems.append(
                Problem(f"no entry {number}: the ledger has entries 1-{last_entry}", where)
            )
            continue
        if row.kind == "withdrawn":
            problems.append(
                Problem(f"entry {number} is a withdrawal (of entry {row.supersedes})", where)
            )
            continue
        successor = writer.successor(number, last_entry)
        if successor is not None:
            problems.append(
                Problem(
                    f"entry {number} was superseded by entry {successor}",
                    where,
                    hint=f"correct entry {successor} instead",
                )
            )
            continue
        found.append(row)
    if len(problems) > MAX_ENTRY_PROBLEMS:
        more += len(problems) - MAX_ENTRY_PROBLEMS
        del problems[MAX_ENTRY_PROBLEMS:]
    if more:
        message = f"and {more} more entries that do not exist or are not in force"
        problems.append(Problem(message, Location(name)))
    if problems:
        raise StoreError(problems, summary=NOTHING_ADDED)
    return found


def _changed(record: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The record with the changes applied: fields replaced, dimensions set or removed."""
    result = dict(record)
    dimensions = dict(result.pop("dimensions", None) or {})
    for name, value in changes.items():
        empty = value is None or (isinstance(value, str) and not value.strip())
        if name == "dimensions":
            if not empty and not isinstance(value, Mapping):
                raise UsageError(
                    Problem(
                        f"dimensions: expected a table of dimensions, found {echo(str(value))!r}",
                        hint="change one dimension with --set NAME=VALUE",
                    )
                )
            dimensions = {} if empty else dict(value)
        elif name in FIELDS:
            result[name] = None if empty else value
        elif empty:
            dimensions.pop(name, None)
        else:
            dimensions[name] = value
    if dimensions:
        result["dimensions"] = dimensions
    return result
