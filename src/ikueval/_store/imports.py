"""Imports: events from files or from Python into a ledger store, whole or not at all.

Files are checked as :func:`ikueval.read_ledger` checks them, in one pass
(:mod:`.file_entries`): a file with any bad row adds nothing, with the same
messages as an evaluation. Every event then becomes one entry, appended in
chunks of many rows, in one writing transaction with the batch that records
the import: a crash or an error half way leaves no trace.

Each imported content (a file's bytes, or the canonical form of a set of
records) is recorded with its SHA-256. Importing the same content again adds
nothing: it is reported with the import that recorded it. Event ids are
unique among the events in force, as they are among the files of one
evaluation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from .._decimals import NumberFormat
from .._errors import EventError, IkuEvalError, Location, Problem
from .._events import events_from_records
from .._loading import event_files
from .._loading.ingest import NOTHING_READ
from .._model import RuleSet
from .appending import append_events, append_rows, record_batch
from .checks import NOTHING_ADDED, check_batch, check_evaluable
from .file_entries import file_entries
from .inputs import check_actor, check_state
from .interface import LedgerStore, StoreWriter
from .values import Batch, BatchKind, Content, RuleVersion
from .versions import (
    check_in_force,
    rule_version,
    rules_of_file,
    rules_of_text,
    ruleset_to_check,
)

#: Bytes read at a time to hash a file.
HASH_CHUNK: Final = 1 << 20
#: The content name of records imported from Python without an origin.
RECORDS: Final = "records"


@frozen
class ImportedContent:
    """One file (or set of records) of an import, and what became of it.

    Args:
        name: the path as given, or the records' origin.
        sha256: the SHA-256 of its content.
        first_entry / last_entry: its entries (in this import, or in the
            earlier one that recorded it).
        recorded_in: the earlier import that already recorded the same
            content, when it was skipped; None when this import recorded it.
    """

    name: str
    sha256: str
    first_entry: int
    last_entry: int
    recorded_in: Batch | None = None

    @property
    def events(self) -> int:
        """How many events the content holds."""
        return self.last_entry - self.first_entry + 1

    @property
    def skipped(self) -> bool:
        """Whether an earlier import had already recorded this content."""
        return self.recorded_in is not None


@frozen
class ImportReport:
    """What an import recorded.

    Args:
        batch: the batch recorded, or None when nothing was new.
        rules: the rule-set version the events were checked against, in force
            from this batch on.
        rules_changed: whether this batch put another rule-set version in
            force (a new one, or an earlier one again).
        contents: every file or record set, recorded or skipped.
        warnings: the rule set's warnings (they do not stop an import).
    """

    batch: Batch | None
    rules: RuleVersion
    rules_changed: bool
    contents: tuple[ImportedContent, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def events(self) -> int:
        """How many events this import recorded."""
        return sum(c.events for c in self.contents if not c.skipped)


class _AlreadyRecorded(Exception):
    """Raised inside a writing transaction to undo an import of known records."""

    def __init__(self, content: Content) -> None:
        super().__init__(content.name)
        self.content = content


def record_rules(store: LedgerStore, text: str, *, source: str, actor: str) -> ImportReport:
    """Put a rule-set version in force (recording it, if it is new), without events.

    Raises:
        RuleSetError: the text is not a valid rule set.
        StoreError: the store holds another rule set, or cannot be written.
    """
    actor = check_actor(actor)
    given = rules_of_text(text, source)
    with store.writing() as writer:
        head = writer.head()
        version, changed = rule_version(writer, head, given, store.name, earlier=True)
        batch = None
        if changed:
            batch = record_batch(store, writer, head, BatchKind.RULES, version, actor, 0)
            if head is not None:  # the events in force must fit the version now in force
                check_evaluable(writer, given.ruleset, version, head.last_entry, None, store.name)
    return ImportReport(batch, version, changed, (), given.warnings)


def import_files(
    store: LedgerStore,
    paths: Iterable[str | Path],
    *,
    actor: str,
    rules: str | Path | None = None,
    state: Any = None,
) -> ImportReport:
    """Import event files (and directories of them), each file's content once.

    Args:
        store: the ledger store.
        paths: event files or directories, as for :func:`ikueval.read_events`.
        actor: who imports (a person, an application, a job).
        rules: the rule file the events are checked against, recorded as the
            version in force from this import on; None: the version in force.
        state: the verification state of every event imported (None: none).

    Raises:
        RuleSetError: the rule file is not valid.
        EventError: a file has a bad row (listing all of them), or an event id
            is already in force in the store. Nothing is added.
        StoreError: the store holds another rule set, has none yet and none is
            given, or cannot be written.
    """
    actor = check_actor(actor)
    state_value = check_state(state)
    given = rules_of_file(rules, store) if rules is not None else None
    try:
        files = event_files(paths)
    except EventError as exc:
        raise EventError(exc.problems, summary=NOTHING_ADDED) from None
    hashes = {str(file): _file_hash(file) for file in files}
    ruleset, expected = ruleset_to_check(store, given)
    with store.reading() as reader:
        known = {sha for sha in set(hashes.values()) if reader.find_content(sha) is not None}
    wanted, seen = [], set(known)
    for file in files:
        if hashes[str(file)] not in seen:
            seen.add(hashes[str(file)])
            wanted.append(file)
    try:
        return _import_events(
            store, files, wanted, hashes, given, ruleset, expected, actor, state_value
        )
    except EventError as exc:  # the problems of an evaluation, and what it means here
        if exc.summary == NOTHING_READ:
            raise EventError(exc.problems, summary=NOTHING_ADDED) from None
        raise


def _import_events(
    store: LedgerStore,
    files: list[Path],
    wanted: list[Path],
    hashes: dict[str, str],
    given: Any,
    ruleset: RuleSet,
    expected: Any,
    actor: str,
    state_value: str | None,
) -> ImportReport:
    """Record the events of the ``wanted`` files in one batch; nothing when they raise."""
    with store.writing() as writer:
        head = writer.head()
        batch_number = (head.number if head else 0) + 1
        first = (head.last_entry if head else 0) + 1
        spans: dict[str, list[int]] = {}
        subjects: set[str] = set()
        try:
            check_in_force(head, expected, store.name)
            version, changed = rule_version(writer, head, given, store.name, earlier=not files)
        except IkuEvalError:  # the files' own problems are reported first
            for _ in file_entries(ruleset, wanted, set(), first, batch_number, None, {}, set()):
                pass
            raise
        earlier: dict[str, tuple[Content, Batch | None]] = {}
        for name, sha in hashes.items():
            found = writer.find_content(sha)
            if found is not None:
                earlier[name] = (found, writer.batch(found.batch))
        rows = file_entries(
            ruleset, wanted, set(earlier), first, batch_number, state_value, spans, subjects
        )  # one pass; raises at the end
        added = append_rows(writer, rows, ids_compared=True)
        for name, (first, last) in spans.items():
            writer.add_content(Content(batch_number, name, hashes[name], first, last))
        batch = _record_checked(
            store, writer, head, ruleset, (version, changed), actor, added, subjects
        )
    contents = []
    twins = {hashes[name]: (name, span) for name, span in spans.items()}
    for file in files:
        name, sha = str(file), hashes[str(file)]
        if name in spans:
            first, last = spans[name]
            contents.append(ImportedContent(name, sha, first, last))
        elif name in earlier:
            content, recorded_in = earlier[name]
            contents.append(
                ImportedContent(name, sha, content.first_entry, content.last_entry, recorded_in)
            )
        else:  # the same content as another file of this import
            _, (first, last) = twins[sha]
            contents.append(ImportedContent(name, sha, first, last, batch))
    return ImportReport(batch, version, changed, tuple(contents), given.warnings if given else ())


def import_records(
    store: LedgerStore,
    records: Iterable[Mapping[str, Any] | object],
    *,
    actor: str,
    rules: str | Path | None = None,
    origin: str | None = None,
    number_format: NumberFormat | None = None,
    state: Any = None,
) -> ImportReport:
    """Import events given from Python (dicts, objects or :class:`~ikueval.Event` values).

    The records are checked one by one as they are streamed, as by
    :func:`ikueval.events_from_records`; the first bad record stops the
    import, and nothing is added. Records whose content (as stored) was
    already imported are recognised and add nothing.

    Args:
        store: the ledger store.
        records: the events, streamed once.
        actor: who imports.
        rules: the rule file to check against (None: the version in force).
        origin: names the records in the trail and the log (``origin[N]``).
        number_format: the format of numbers written as text.
        state: the verification state of every event imported (None: none).

    Raises:
        RuleSetError, EventError, StoreError: as for :func:`import_files`.
    """
    actor = check_actor(actor)
    state_value = check_state(state)
    given = rules_of_file(rules, store) if rules is not None else None
    ruleset, expected = ruleset_to_check(store, given)
    name = origin or RECORDS
    events = events_from_records(ruleset, records, origin=origin, number_format=number_format)
    digest = hashlib.sha256()
    known: tuple[Content, Batch | None] | None = None
    try:
        with store.writing() as writer:
            head = writer.head()
            check_in_force(head, expected, store.name)
            version, changed = rule_version(writer, head, given, store.name)
            spans: dict[str, list[int]] = {}
            subjects: set[str] = set()
            added = append_events(writer, head, events, set(), spans, state_value, subjects, digest)
            sha = digest.hexdigest()
            contents: tuple[ImportedContent, ...] = ()
            batch_number = (head.number if head else 0) + 1
            if added:
                found = writer.find_content(sha)
                if found is not None:
                    known = (found, writer.batch(found.batch))
                    raise _AlreadyRecorded(found)
                first, last = next(iter(spans.values()))
                writer.add_content(Content(batch_number, name, sha, first, last))
                contents = (ImportedContent(name, sha, first, last),)
            batch = _record_checked(
                store, writer, head, ruleset, (version, changed), actor, added, subjects
            )
    except _AlreadyRecorded:
        assert known is not None
        content, recorded_in = known
        skipped = ImportedContent(name, sha, content.first_entry, content.last_entry, recorded_in)
        return ImportReport(None, version, False, (skipped,), given.warnings if given else ())
    return ImportReport(batch, version, changed, contents, given.warnings if given else ())


def _record_checked(
    store: LedgerStore,
    writer: StoreWriter,
    head: Batch | None,
    ruleset: RuleSet,
    rules: tuple[RuleVersion, bool],
    actor: str,
    added: int,
    subjects: set[str],
) -> Batch | None:
    """Record the batch of an import (None when it adds nothing and keeps the rules)
    and check that the ledger stays evaluable: every event against a rule-set
    version new in force (``rules``: the version and whether it changed), else the
    slice of the ledger the new entries of the ``subjects`` can conflict with."""
    version, changed = rules
    if not (added or changed):
        return None
    kind = BatchKind.IMPORT if added else BatchKind.RULES
    batch = record_batch(store, writer, head, kind, version, actor, added)
    if changed:  # a new version must fit every event
        check_evaluable(writer, ruleset, version, batch.last_entry, None, store.name)
    else:
        check_batch(
            writer, ruleset, version, batch.first_entry, batch.last_entry, subjects, store.name
        )
    return batch


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(HASH_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise EventError(
            Problem(f"cannot read: {exc.strerror}", Location(str(path))), summary=NOTHING_ADDED
        ) from None
    return digest.hexdigest()
