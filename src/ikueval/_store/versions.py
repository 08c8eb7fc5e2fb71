"""Rule-set versions in a ledger store: reading a rule file for an import, and the version in force.

Every batch puts a rule-set version in force: the version its events were
checked against. A rule file is recorded as a new version the first time
its text (by SHA-256) is used; a ledger holds the versions of one rule set
(one ``[ruleset] id``). Events are never checked with an *earlier* version
than the one in force (an old copy of the rule file): an earlier version is
put back in force only on purpose, by recording it alone.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from attrs import frozen

from .._errors import Location, Problem, StoreError
from .._loading.rules import inspect_rule_file, inspect_rules
from .._model import RuleSet
from .checks import NOTHING_ADDED
from .interface import LedgerStore, StoreWriter
from .values import Batch, RuleVersion


@frozen
class GivenRules:
    """A rule file's text, read and checked, before it is recorded."""

    text: str
    source: str
    sha256: str
    ruleset: RuleSet
    warnings: tuple[Problem, ...]


def rules_of_text(text: str, source: str) -> GivenRules:
    """Check a rule set given as text.

    Raises:
        RuleSetError: listing every error, as for a rule file.
    """
    report = inspect_rules(text, source=source)
    ruleset = report.require()
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return GivenRules(text, source, sha256, ruleset, report.warnings)


def rules_of_file(path: str | Path, store: LedgerStore | None = None) -> GivenRules:
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
            return GivenRules(text, str(path), sha256, report.require(), report.warnings)
    return rules_of_text(text, str(path))


def ruleset_to_check(store: LedgerStore, given: GivenRules | None) -> tuple[RuleSet, int | None]:
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


def check_in_force(head: Batch | None, expected: int | None, name: str) -> None:
    if expected is not None and (head is None or head.rule_version != expected):
        raise StoreError(
            Problem(
                "another rule-set version was put in force while the events were checked: "
                "nothing was added",
                Location(name),
                hint="run the import again",
            )
        )


def rule_version(
    writer: StoreWriter,
    head: Batch | None,
    given: GivenRules | None,
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
        since = in_force_since(writer, head)
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


def in_force_since(writer: StoreWriter, head: Batch) -> int:
    """The batch from which the version in force at ``head`` has been in force."""
    number = head.number
    while number > 1:
        previous = writer.batch(number - 1)
        if previous is None or previous.rule_version != head.rule_version:
            break
        number -= 1
    return number
