"""The log of a ledger store: every batch, who recorded it, when, and what it holds.

Imports are shown file by file (with each file's SHA-256 and entries), rule
versions when they come into force, and corrections entry by entry with the
reason. For one indicator (or one activity's spending), every entry is shown
with its origin: the file and line it was read from.
"""

from __future__ import annotations

from collections.abc import Iterator

from .interface import LedgerStore, StoreReader
from .records import describe, identify, value_text
from .values import Batch, BatchKind, EntryRow, RuleVersion

#: Fields whose change a correction line names when value and identity are unchanged.
_OTHER_FIELDS = ("event_id", "unit", "document", "table", "note", "state")


def log_lines(store: LedgerStore, subject: str | None = None) -> Iterator[str]:
    """The log, line by line, read in one consistent snapshot.

    Args:
        store: the ledger store.
        subject: only the batches and entries of this indicator (or, written
            ``activity:ID``, of this activity's spending); every entry is then
            listed with its origin.
    """
    with store.reading() as reader:
        head = reader.head()
        if head is None:
            yield f"{store.name}: empty ledger"
            return
        in_force, newest = 0, 0
        for batch in reader.batches(1, head.number):
            lines = list(_batch_lines(reader, batch, subject))
            rules = ""
            if batch.rule_version != in_force:
                rules = _rules_text(reader.rules(batch.rule_version), batch.rule_version > newest)
                in_force, newest = batch.rule_version, max(newest, batch.rule_version)
            if subject is not None and not lines:
                continue
            yield _header(batch) + rules
            yield from lines


def _header(batch: Batch) -> str:
    text = f"batch {batch.number}  {batch.recorded_at}  {batch.kind.value} by {batch.actor}"
    if batch.reason:
        text += f": {batch.reason}"
    return text


def _rules_text(rules: RuleVersion, new: bool) -> str:
    if new:
        return (
            f"  rules version {rules.version} (new: {rules.ruleset} from {rules.source}, "
            f"sha256 {rules.short_hash})"
        )
    return f"  rules version {rules.version} (in force again)"


def _batch_lines(reader: StoreReader, batch: Batch, subject: str | None) -> Iterator[str]:
    if batch.kind is BatchKind.CORRECTION:
        for row in reader.entries(batch.first_entry, batch.last_entry):
            old = reader.entry(row.supersedes or 0)
            if subject is None or subject in (row.subject, old.subject if old else None):
                yield f"  {correction_text(row, old)}"
        return
    if subject is None:
        for content in reader.contents(batch.number):
            entries = f"entry {content.first_entry}"
            if content.size > 1:
                entries = f"entries {content.first_entry}-{content.last_entry}"
            yield (
                f"  {content.name} (sha256 {content.sha256[:12]}): {entries}, "
                f"{content.size} event{'s' if content.size != 1 else ''}"
            )
        return
    for row in reader.entries(batch.first_entry, batch.last_entry, subject):
        yield f"  entry {row.entry}  {describe(row)}{origin_text(row)}"


def correction_text(row: EntryRow, old: EntryRow | None) -> str:
    """A correction or withdrawal in words.

    ``entry 23 corrects entry 15: IKU-06 2025-Q1: 78 -> 80``.
    """
    if old is None:  # pragma: no cover - the triggers make every correction name an entry
        return f"entry {row.entry} supersedes entry {row.supersedes}"
    if row.kind == "withdrawn":
        return f"entry {row.entry} withdraws entry {old.entry}: {describe(old)}"
    text = f"entry {row.entry} corrects entry {old.entry}: "
    if identify(old) != identify(row):
        return text + f"{describe(old)} -> {describe(row)}"
    text += f"{identify(row)}: {value_text(old)} -> {value_text(row)}"
    others = [name for name in _OTHER_FIELDS if getattr(old, name) != getattr(row, name)]
    if others and old.value == row.value and old.kind == row.kind:
        text += f" ({', '.join(n.replace('event_id', 'id') for n in others)} changed)"
    return text


def origin_text(row: EntryRow) -> str:
    """Where an entry's event was read from: ``  from FILE:LINE``, or nothing."""
    if row.origin_file is not None:
        line = f":{row.origin_line}" if row.origin_line is not None else ""
        pointer = f" ({row.ref})" if row.ref and row.origin_line is None else ""
        return f"  from {row.origin_file}{line}{pointer}"
    if row.ref:
        return f"  from {row.ref}"
    return ""
