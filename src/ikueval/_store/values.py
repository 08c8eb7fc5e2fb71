"""The values a ledger store keeps: rule versions, batches, imported contents and entries.

A store is a list of **entries** (one per recorded event, correction or
withdrawal), numbered from 1 in the order they were recorded, grouped in
**batches** (one per import, correction or rule-set version recorded), each
stamped with its moment, its actor and the rule-set **version** in force.
Nothing is ever changed or removed: a correction is a new entry that
*supersedes* an earlier one.
"""

from __future__ import annotations

from enum import Enum
from typing import Final, NamedTuple

from attrs import field, frozen


class BatchKind(Enum):
    """What a batch recorded."""

    IMPORT = "import"
    """Events read from files or given from Python."""
    CORRECTION = "correction"
    """Corrections and withdrawals of earlier entries, with a reason."""
    RULES = "rules"
    """A rule-set version only, without events."""


class EntryKind(Enum):
    """What an entry holds: a value of one of three kinds, or nothing (a withdrawal)."""

    NUMBER = "number"
    CATEGORY = "category"
    MISSING = "missing"
    """The source reported the figure as not measured ("-"): an event, never zero."""
    WITHDRAWN = "withdrawn"
    """A correction to nothing: the superseded event no longer counts."""


@frozen
class RuleVersion:
    """One version of the rule set, as it was recorded.

    Args:
        version: its number in the store, from 1.
        ruleset: the rule set's id (the same for every version of a store).
        sha256: the SHA-256 of the text (UTF-8), in hexadecimal.
        source: where the text was read from (a path, or the caller's name for it).
        text: the TOML text itself.
    """

    version: int
    ruleset: str
    sha256: str
    source: str
    text: str = field(repr=False)

    @property
    def short_hash(self) -> str:
        """The first 12 hexadecimal digits of the hash, as the log shows it."""
        return self.sha256[:12]


@frozen
class Batch:
    """One recording act: an import, a correction or a rule-set version.

    Args:
        number: its number in the store, from 1.
        recorded_at: when, in UTC (``2025-07-15T09:30:00Z``).
        actor: who recorded it (a person, an application, an import job).
        kind: what it recorded.
        rule_version: the rule-set version in force from this batch on.
        first_entry / last_entry: the entries it added (``last_entry`` is
            ``first_entry - 1`` when it added none).
        reason: why, for a correction.
    """

    number: int
    recorded_at: str
    actor: str
    kind: BatchKind
    rule_version: int
    first_entry: int
    last_entry: int
    reason: str | None = None

    @property
    def size(self) -> int:
        """How many entries the batch added."""
        return self.last_entry - self.first_entry + 1


@frozen
class Content:
    """A file (or a set of records given from Python) that an import recorded.

    Args:
        batch: the import that recorded it.
        name: the path as given, or the records' origin.
        sha256: the SHA-256 of its bytes (of a canonical form, for records),
            by which a second import of the same content is recognised.
        first_entry / last_entry: the entries of its events.
    """

    batch: int
    name: str
    sha256: str
    first_entry: int
    last_entry: int

    @property
    def size(self) -> int:
        """How many events it added."""
        return self.last_entry - self.first_entry + 1


class EntryRow(NamedTuple):
    """One entry as stored: an event, a correction or a withdrawal.

    The event's fields are stored as text: ``period`` is the period's label,
    ``value`` the number (without exponent), the category or ``None``
    (``kind`` says which), ``dimensions`` a JSON object with sorted keys.
    ``origin_file``/``origin_line``/``ref`` are where the event was read from.
    A withdrawal keeps the indicator, activity, input, period and dimensions
    of the event it withdraws, so that the log can name it.
    """

    entry: int
    batch: int
    supersedes: int | None
    kind: str
    state: str | None
    indicator: str | None
    activity: str | None
    input: str | None
    period: str
    value: str | None
    dimensions: str
    event_id: str | None
    unit: str | None
    document: str | None
    table: str | None
    note: str | None
    ref: str | None
    origin_file: str | None
    origin_line: int | None

    @property
    def subject(self) -> str:
        """The indicator's id, or ``activity:ID`` for spending."""
        return self.indicator or f"activity:{self.activity}"


#: The columns of an entry, in :class:`EntryRow` order.
ENTRY_COLUMNS: Final = EntryRow._fields
