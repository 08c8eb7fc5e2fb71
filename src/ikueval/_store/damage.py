"""Telling a damaged ledger from a bug: what each row of a ledger must hold.

The schema check (:func:`~.schema.check_schema`) finds triggers and tables
changed outside ikueval, but not rows changed with the triggers dropped and
put back, nor a damaged disk that SQLite still reads. Batches, contents and
rule-set versions are few: they are checked as they are read
(:func:`batch_damage` and the others). Entries may be millions, streamed into
the engine: they are read unchecked, and only when reading them fails with an
error that is not an :class:`~ikueval.IkuEvalError` are they all checked
(:func:`entry_damage`), so that a damaged row is reported as a
:class:`~ikueval._errors.StoreError` naming it, and an error with no damaged
row behind it (a bug) goes on as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from .._errors import IkuEvalError, Location, Problem, StoreError
from .states import VerificationState
from .values import (
    ENTRY_COLUMNS,
    Batch,
    BatchKind,
    Content,
    EntryKind,
    RuleVersion,
)

#: The errors that reading a damaged row raises (a text where a number belongs,
#: JSON that is not, an unknown kind): when one of them escapes a reading,
#: the rows are checked.
DAMAGE_SIGNS: Final = (
    ValueError,
    TypeError,
    ArithmeticError,
    LookupError,
    AttributeError,
    RecursionError,
)

_KINDS: Final = frozenset(kind.value for kind in EntryKind)
_BATCH_KINDS: Final = frozenset(kind.value for kind in BatchKind)
_STATES: Final = frozenset(state.value for state in VerificationState)
_TEXT_OR_NONE: Final = frozenset(
    ("input", "event_id", "unit", "document", "table", "note", "ref", "origin_file")
)
_VALUELESS: Final = frozenset((EntryKind.MISSING.value, EntryKind.WITHDRAWN.value))


@contextmanager
def explained(
    rows: Callable[[], Iterable[tuple[str, tuple[Any, ...]]]], name: str
) -> Iterator[None]:
    """Turn an error of reading a damaged row into a StoreError naming the row.

    Args:
        rows: every row of the ledger, with its table (``entries``,
            ``batches``, ``contents`` or ``rule_versions``): read only when an
            error of :data:`DAMAGE_SIGNS` escapes. Without a damaged row, the
            error goes on.
        name: the ledger's name, for the message.
    """
    try:
        yield
    except IkuEvalError:
        raise
    except DAMAGE_SIGNS:
        for table, row in rows():
            found = _CHECKS[table](row, name)
            if found is not None:
                raise found from None
        raise


def batch_of(row: tuple[Any, ...], name: str) -> Batch:
    """A stored batch.

    Raises:
        StoreError: the row is damaged.
    """
    _refuse(batch_damage(row, name))
    number, recorded_at, actor, kind, rule_version, first, last, reason = row
    return Batch(number, recorded_at, actor, BatchKind(kind), rule_version, first, last, reason)


def content_of(row: tuple[Any, ...], name: str) -> Content:
    """A stored record of an imported file.

    Raises:
        StoreError: the row is damaged.
    """
    _refuse(content_damage(row, name))
    return Content(*row)


def rules_of(row: tuple[Any, ...], name: str) -> RuleVersion:
    """A stored rule-set version.

    Raises:
        StoreError: the row is damaged.
    """
    _refuse(rules_damage(row, name))
    return RuleVersion(*row)


def _refuse(damage: StoreError | None) -> None:
    if damage is not None:
        raise damage


def damaged(name: str, what: str, column: str, message: str) -> StoreError:
    """The error of a damaged row: ``LEDGER: WHAT: COLUMN: message``."""
    return StoreError(
        Problem(
            f"the ledger file is damaged: {what}: {column}: {message}",
            Location(name),
            hint="restore it from a backup",
        )
    )


def _types(row: tuple[Any, ...], columns: Iterable[tuple[str, type | tuple[type, ...]]]) -> str:
    for value, (column, kinds) in zip(row, columns, strict=True):
        if not isinstance(value, kinds) or isinstance(value, bool):
            return f"{column}: {type(value).__name__} {value!r:.40}, expected {_names(kinds)}"
    return ""


def _names(kinds: type | tuple[type, ...]) -> str:
    chosen = kinds if isinstance(kinds, tuple) else (kinds,)
    return " or ".join("null" if k is type(None) else k.__name__ for k in chosen)


_BATCH_TYPES: Final = (
    ("batch", int),
    ("recorded_at", str),
    ("actor", str),
    ("kind", str),
    ("rule_version", int),
    ("first_entry", int),
    ("last_entry", int),
    ("reason", (str, type(None))),
)
_CONTENT_TYPES: Final = (
    ("batch", int),
    ("name", str),
    ("sha256", str),
    ("first_entry", int),
    ("last_entry", int),
)
_RULES_TYPES: Final = (
    ("version", int),
    ("ruleset", str),
    ("sha256", str),
    ("source", str),
    ("text", str),
)


def batch_damage(row: tuple[Any, ...], name: str) -> StoreError | None:
    """What is wrong with a stored batch, if anything."""
    problem = _types(row, _BATCH_TYPES)
    if not problem and row[3] not in _BATCH_KINDS:
        problem = f"kind: {row[3]!r:.40} is not a kind of batch"
    return damaged(name, f"batch {row[0]!r:.20}", *problem.split(": ", 1)) if problem else None


def content_damage(row: tuple[Any, ...], name: str) -> StoreError | None:
    """What is wrong with a stored record of an imported file, if anything."""
    problem = _types(row, _CONTENT_TYPES)
    what = f"file {row[1]!r:.60} of batch {row[0]!r:.20}"
    return damaged(name, what, *problem.split(": ", 1)) if problem else None


def rules_damage(row: tuple[Any, ...], name: str) -> StoreError | None:
    """What is wrong with a stored rule-set version, if anything."""
    problem = _types(row, _RULES_TYPES)
    return (
        damaged(name, f"rule version {row[0]!r:.20}", *problem.split(": ", 1)) if problem else None
    )


def entry_damage(row: tuple[Any, ...], name: str) -> StoreError | None:
    """What is wrong with a stored entry (the columns of ``EntryRow``), if anything."""
    fields = dict(zip(ENTRY_COLUMNS, row, strict=True))
    problem = _entry_problem(fields)
    if problem is None:
        return None
    column, message = problem
    return damaged(name, f"entry {fields['entry']!r:.20}", column, message)


def _entry_problem(fields: dict[str, Any]) -> tuple[str, str] | None:
    expected: list[tuple[str, type | tuple[type, ...]]] = [
        ("entry", int),
        ("batch", int),
        ("supersedes", (int, type(None))),
        ("kind", str),
        ("state", (str, type(None))),
        ("indicator", (str, type(None))),
        ("activity", (str, type(None))),
        ("period", str),
        ("value", (str, type(None))),
        ("dimensions", str),
        ("origin_line", (int, type(None))),
        *((column, (str, type(None))) for column in sorted(_TEXT_OR_NONE)),
    ]
    for column, kinds in expected:
        value = fields[column]
        if not isinstance(value, kinds) or isinstance(value, bool):
            return column, f"{type(value).__name__} {value!r:.40}, expected {_names(kinds)}"
    kind, value = fields["kind"], fields["value"]
    if kind not in _KINDS:
        return "kind", f"{kind!r:.40} is not a kind of entry"
    if fields["state"] is not None and fields["state"] not in _STATES:
        return "state", f"{fields['state']!r:.40} is not a verification state"
    if (fields["indicator"] is None) == (fields["activity"] is None):
        return "indicator", "an entry has an indicator or an activity, not both nor neither"
    if (kind in _VALUELESS) != (value is None):
        return "value", f"{value!r:.40} for an entry of kind {kind}"
    if kind == EntryKind.NUMBER.value:
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            return "value", f"{value!r:.40} is not a number"
    return _dimensions_problem(fields["dimensions"])


def _dimensions_problem(text: str) -> tuple[str, str] | None:
    try:
        dimensions = json.loads(text)
    except (ValueError, RecursionError):
        return "dimensions", f"{text!r:.40} is not JSON"
    if not isinstance(dimensions, dict) or not all(isinstance(v, str) for v in dimensions.values()):
        return "dimensions", f"{text!r:.40} is not an object of texts"
    return None


_CHECKS: Final[dict[str, Callable[[tuple[Any, ...], str], StoreError | None]]] = {
    "rule_versions": rules_damage,
    "batches": batch_damage,
    "contents": content_damage,
    "entries": entry_damage,
}
