"""Imports: events from files or from Python into a ledger store, whole or not at all.

Files are checked by :func:`ikueval.read_events`, exactly as an evaluation
checks them: a file with any bad row adds nothing, with the same messages.
Every event then becomes one entry, in one writing transaction with the
batch that records the import: a crash or an error half way leaves no trace.

Each imported content (a file's bytes, or the canonical form of a set of
records) is recorded with its SHA-256. Importing the same content again adds
nothing: it is reported with the import that recorded it. Event ids are
unique among the events in force, as they are among the files of one
evaluation.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from ..decimals import NumberFormat
from ..errors import EventError, Location, Problem, StoreError
from ..events import Event, events_from_records
from ..loading import event_files, read_events
from ..loading.rules import inspect_rule_file, inspect_rules
from ..model import RuleSet
from .checks import NOTHING_ADDED, check_evaluable
from .inputs import check_actor, check_state
from .interface import LedgerStore, StoreWriter
from .moments import moment_text
from .records import canonical, entry_row
from .values import Batch, BatchKind, Content, EntryRow, RuleVersion

#: Entries appended at a time: bounds the memory an import holds.
APPEND_CHUNK: Final = 5_000
#: Bytes read at a time to hash a file.
HASH_CHUNK: Final = 1 << 20
#: The content name of records imported from Python without an origin.
RECORDS: Final = "records"
#: Problems of event ids listed at most per import: a re-export of a large
#: file would otherwise list every row; the first ones show what happened.
MAX_ID_PROBLEMS: Final = 1_000


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


@frozen
class _Rules:
    """A rule file's text, read and checked, before it is recorded."""

    text: str
    source: str
    sha256: str
    ruleset: RuleSet
    warnings: tuple[Problem, ...]


class _AlreadyRecorded(Exception):
    """Raised inside a writing transaction to undo an import of known records."""

    def __init__(self, content: Content) -> None:
        super().__init__(content.name)
        self.content = content


def rules_of_text(text: str, source: str) -> _Rules:
    """Check a rule set given as text.

    Raises:
        RuleSetError: listing every error, as for a rule file.
    """
    report = inspect_rules(text, source=source)
    ruleset = report.require()
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _Rules(text, source, sha256, ruleset, report.warnings)


def rules_of_file(path: str | Path, store: LedgerStore | None = None) -> _Rules:
    """Read and check a rule file (a version the store holds is read as the store keeps it).

    Raises:
        RuleSetError: the file cannot be read or is not a valid rule set.
    """
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        inspect_rule_file(path).require()  # raises the error of an evaluation
        raise  # pragma: no cover - require() raised
    if store is not None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with store.reading() as reader:
            known = reader.find_rules(sha256)
        if known is not None:  # the same text: parsed once per store, not per import
            report = store.parse_rules(known)
            return _Rules(text, str(path), sha256, report.require(), report.warnings)
    return rules_of_text(text, str(path))


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
        version, changed = _rule_version(writer, head, given, store.name, earlier=True)
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
    ruleset, expected = _ruleset(store, given)
    with store.reading() as reader:
        known = {sha for sha in set(hashes.values()) if reader.find_content(sha) is not None}
    wanted, seen = [], set(known)
    for file in files:
        if hashes[str(file)] not in seen:
            seen.add(hashes[str(file)])
            wanted.append(file)
    try:
        events: Iterator[Event] = read_events(ruleset, wanted) if wanted else iter(())
    except EventError as exc:  # the problems of an evaluation, and what it means here
        raise EventError(exc.problems, summary=NOTHING_ADDED) from None
    with store.writing() as writer:
        head = writer.head()
        _check_in_force(head, expected, store.name)
        version, changed = _rule_version(writer, head, given, store.name, earlier=not files)
        earlier: dict[str, tuple[Content, Batch | None]] = {}
        for name, sha in hashes.items():
            found = writer.find_content(sha)
            if found is not None:
                earlier[name] = (found, writer.batch(found.batch))
        batch_number = (head.number if head else 0) + 1
        spans: dict[str, list[int]] = {}
        subjects: set[str] = set()
        added = _append(writer, head, events, set(earlier), spans, state_value, subjects)
        for name, (first, last) in spans.items():
            writer.add_content(Content(batch_number, name, hashes[name], first, last))
        batch = None
        if added or changed:
            kind = BatchKind.IMPORT if added else BatchKind.RULES
            batch = record_batch(store, writer, head, kind, version, actor, added)
            touched = None if changed else subjects  # a new version must fit every event
            check_evaluable(writer, ruleset, version, batch.last_entry, touched, store.name)
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
    ruleset, expected = _ruleset(store, given)
    name = origin or RECORDS
    events = events_from_records(ruleset, records, origin=origin, number_format=number_format)
    digest = hashlib.sha256()
    known: tuple[Content, Batch | None] | None = None
    try:
        with store.writing() as writer:
            head = writer.head()
            _check_in_force(head, expected, store.name)
            version, changed = _rule_version(writer, head, given, store.name)
            spans: dict[str, list[int]] = {}
            subjects: set[str] = set()
            added = _append(writer, head, events, set(), spans, state_value, subjects, digest)
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
            batch = None
            if added or changed:
                kind = BatchKind.IMPORT if added else BatchKind.RULES
                batch = record_batch(store, writer, head, kind, version, actor, added)
                touched = None if changed else subjects
                check_evaluable(writer, ruleset, version, batch.last_entry, touched, store.name)
    except _AlreadyRecorded:
        assert known is not None
        content, recorded_in = known
        skipped = ImportedContent(name, sha, content.first_entry, content.last_entry, recorded_in)
        return ImportReport(None, version, False, (skipped,), given.warnings if given else ())
    return ImportReport(batch, version, changed, contents, given.warnings if given else ())


def _ruleset(store: LedgerStore, given: _Rules | None) -> tuple[RuleSet, int | None]:
    """The rule set to check events against, and the version expected in force."""
    if given is not None:
        return given.ruleset, None
    with store.reading() as reader:
        head = reader.head()
        if head is None:
            raise StoreError(
                Problem(
                    "the ledger has no rule set yet",
                    Location(store.name),
                    hint="import with a rule file: ikueval ledger import DB RULES EVENTS...",
                )
            )
        version = reader.rules(head.rule_version)
    return store.parse_rules(version).require(), head.rule_version


def _check_in_force(head: Batch | None, expected: int | None, name: str) -> None:
    if expected is not None and (head is None or head.rule_version != expected):
        raise StoreError(
            Problem(
                "another rule-set version was put in force while the events were checked: "
                "nothing was added",
                Location(name),
                hint="run the import again",
            )
        )


def _rule_version(
    writer: StoreWriter,
    head: Batch | None,
    given: _Rules | None,
    name: str,
    *,
    earlier: bool = False,
) -> tuple[RuleVersion, bool]:
    """The version in force for this batch (recorded if new), and whether it changed.

    Args:
        earlier: whether an earlier version may be put back in force (only
            when it is the point of the call, never as a side effect of an
            import of events made with an old copy of the rule file).
    """
    if given is None:
        if head is None:  # pragma: no cover - _ruleset refused it already
            raise StoreError(Problem("the ledger has no rule set yet", Location(name)))
        return writer.rules(head.rule_version), False
    if head is not None:
        current = writer.rules(head.rule_version)
        if current.ruleset != given.ruleset.id:
            raise StoreError(
                Problem(
                    f"this ledger holds rule set {current.ruleset!r}; {given.source} is rule set "
                    f"{given.ruleset.id!r}",
                    Location(name),
                    hint="keep one ledger per rule set",
                )
            )
    found = writer.find_rules(given.sha256)
    if (
        found is not None
        and head is not None
        and found.version != head.rule_version
        and not earlier
    ):
        since = head_since(writer, head)
        raise StoreError(
            Problem(
                f"{given.source} is rule-set version {found.version}, but version "
                f"{head.rule_version} has been in force since batch {since}",
                Location(name),
                hint="import with the rule file in force; to put version "
                f"{found.version} back in force, import it alone (without events)",
            ),
            summary=NOTHING_ADDED,
        )
    if found is None:
        found = RuleVersion(
            writer.last_rule_version() + 1,
            given.ruleset.id,
            given.sha256,
            given.source,
            given.text,
        )
        writer.add_rules(found)
    return found, head is None or head.rule_version != found.version


def head_since(writer: StoreWriter, head: Batch) -> int:
    """The batch from which the version in force at ``head`` has been in force."""
    number = head.number
    while number > 1:
        previous = writer.batch(number - 1)
        if previous is None or previous.rule_version != head.rule_version:
            break
        number -= 1
    return number


def _append(
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
