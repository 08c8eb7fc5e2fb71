"""The ``ikueval ledger`` commands, and ``--ledger DB [--as-of T]`` for the data commands.

``ikueval ledger init|import|correct|log|diff`` manage a ledger store (see
``docs/ledger.md``). ``evaluate``, ``explain`` and ``reconcile`` read their
rule set and events either from files (``RULES EVENTS...``) or from a ledger
as of a moment (``--ledger DB [--as-of T]``): :func:`data_source` gives both
the same shape.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from attrs import frozen

from .._aggregation import Ledger
from .._cli_options import Once
from .._errors import EventError, Problem, UsageError
from .._events import FIELDS
from .._loading import inspect_rule_file, read_ledger
from .._model import RuleSet
from .moments import MOMENT_SYNTAX
from .states import VerificationState

if TYPE_CHECKING:  # the store itself is loaded by the commands that use it
    from .imports import ImportReport
    from .sqlite import SQLiteLedgerStore

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1

_STATES: Final = tuple(state.value for state in VerificationState)


@frozen
class DataSource:
    """The rule set of a data command, and how to aggregate its events."""

    ruleset: RuleSet
    aggregate: Callable[[Collection[str]], Ledger]
    warnings: tuple[Problem, ...] = ()
    """The rule set's warnings (as ``ikueval check`` gives them), already printed."""

    def ledger(self, retain: Collection[str] = ()) -> Ledger:
        """The events, aggregated (``retain``: indicators whose events are kept)."""
        return self.aggregate(retain)


def add_source_arguments(command: argparse.ArgumentParser) -> None:
    """``--ledger DB``, ``--as-of T`` and ``--count-state S``: a ledger instead of files;
    ``--workers N`` for files."""
    command.add_argument(
        "--ledger",
        action=Once,
        metavar="DB",
        help="read the rule set and the events from this ledger instead of RULES and EVENTS",
    )
    command.add_argument(
        "--as-of",
        action=Once,
        metavar="TIMESTAMP",
        help=f"with --ledger: as recorded at that moment ({MOMENT_SYNTAX}); default: now",
    )
    command.add_argument(
        "--workers",
        action=Once,
        type=int,
        default=1,
        metavar="N",
        help="read the event files in N processes (the figures are the same); helps only "
        "with N free cores and several large files (docs/scaling.md; default: 1)",
    )
    command.add_argument(
        "--count-state",
        action="append",
        choices=_STATES,
        metavar="STATE",
        help="with --ledger: count events in this verification state (repeat for several; "
        "default: verified). Events without a state always count",
    )


def data_source(args: argparse.Namespace, err: TextIO) -> DataSource:
    """The rule set and events of ``evaluate``, ``explain`` or ``reconcile``.

    Warnings of the rule set, and for a ledger the line naming the moment,
    the entries and the rule-set version read, go to ``err``.

    Raises:
        UsageError: files and a ledger both given, or neither.
        RuleSetError, EventError, StoreError: the data cannot be read.
    """
    if args.ledger is None:
        if args.as_of is not None or args.count_state:
            raise UsageError("--as-of and --count-state read a ledger: give --ledger DB")
        if args.rules is None or not args.events:
            raise UsageError(
                "give the rule file and the event files (RULES EVENTS...), or --ledger DB"
            )
        report = inspect_rule_file(args.rules)
        ruleset = report.require()
        _print(report.warnings, err)
        events = args.events

        workers = args.workers

        def from_files(retain: Collection[str]) -> Ledger:
            return read_ledger(ruleset, events, retain=retain, workers=workers)

        return DataSource(ruleset, from_files, report.warnings)
    if args.rules is not None or args.events:
        raise UsageError(
            "with --ledger, the rule set and the events come from the ledger: leave out "
            "RULES and EVENTS"
        )
    if args.workers != 1:
        raise UsageError("--workers reads event files: leave it out with --ledger")
    from .sqlite import open_ledger

    store = open_ledger(args.ledger, create=False)
    snapshot = store.snapshot(args.as_of, states=args.count_state)
    print(snapshot.describe(), file=err)
    _print(snapshot.warnings, err)
    return DataSource(snapshot.ruleset, snapshot.ledger, snapshot.warnings)


def register(
    commands: Any, common: argparse.ArgumentParser, period_help: str
) -> argparse.ArgumentParser:
    """Add ``ikueval ledger`` and its commands."""
    ledger: argparse.ArgumentParser = commands.add_parser(
        "ledger",
        parents=[common],
        help="keep events, corrections and rule sets in an append-only ledger",
        description="A persistent, append-only ledger (an SQLite file): import event files, "
        "correct or withdraw entries with a reason, show the log, and compare the figures of "
        "two moments. Evaluate it with evaluate/explain/reconcile --ledger DB [--as-of T].",
    )
    actions = ledger.add_subparsers(dest="ledger_command", required=True, metavar="ACTION")

    init = actions.add_parser(
        "init",
        parents=[common],
        help="create an empty ledger",
        description="Create an empty ledger file (an existing ledger is left as it is).",
    )
    init.add_argument("db", metavar="DB", help="the ledger file")
    init.set_defaults(run=_init)

    imports = actions.add_parser(
        "import",
        parents=[common],
        help="record event files, checked against a rule file",
        description="Check event files against the rule file exactly as evaluate does, then "
        "record every event in one batch, or nothing if any row is bad. A file whose content "
        "was imported before is skipped. Without EVENTS, records the rule file only.",
    )
    imports.add_argument("db", metavar="DB", help="the ledger file (created on first use)")
    imports.add_argument("rules", metavar="RULES", help="the rule file (TOML)")
    imports.add_argument("events", nargs="*", metavar="EVENTS", help="event files or directories")
    _actor(imports)
    imports.add_argument(
        "--state",
        action=Once,
        choices=_STATES,
        metavar="STATE",
        help=f"the verification state of every event imported ({', '.join(_STATES)}); "
        "default: none (the events count at once)",
    )
    imports.set_defaults(run=_import)

    correct = actions.add_parser(
        "correct",
        parents=[common],
        help="correct or withdraw entries, with a reason",
        description="Record new entries that supersede the given ones: the same event with "
        "the changes applied (checked against the rule set in force), or nothing "
        "(--withdraw). Nothing recorded is ever changed.",
    )
    correct.add_argument("db", metavar="DB", help="the ledger file")
    correct.add_argument(
        "entries", nargs="+", metavar="ENTRY", help="entry numbers (17) or ranges (12-40)"
    )
    correct.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a field (value, period, date, unit, note...) or a dimension to change; "
        "FIELD= removes it (repeat for several)",
    )
    correct.add_argument(
        "--state", action=Once, choices=_STATES, metavar="STATE", help="a new state"
    )
    correct.add_argument(
        "--withdraw", action="store_true", help="withdraw the entries: they no longer count"
    )
    correct.add_argument("--reason", action=Once, required=True, help="why (recorded in the log)")
    _actor(correct)
    correct.set_defaults(run=_correct)

    log = actions.add_parser(
        "log",
        parents=[common],
        help="show what was recorded, when and by whom",
        description="Show every batch: imports file by file, rule-set versions, corrections "
        "entry by entry with their reason. With --indicator or --activity, every entry of "
        "that indicator or activity, with the file and line it came from.",
    )
    log.add_argument("db", metavar="DB", help="the ledger file")
    which = log.add_mutually_exclusive_group()
    which.add_argument(
        "--indicator", action=Once, metavar="ID", help="only the entries of this indicator"
    )
    which.add_argument(
        "--activity", action=Once, metavar="ID", help="only the spending of this activity"
    )
    log.set_defaults(run=_log)

    diff = actions.add_parser(
        "diff",
        parents=[common],
        help="which figures changed between two moments, and which entries changed them",
        description="Evaluate a period as of two moments, each with the events and the rule "
        "set in force then, and list every figure that differs with the entries recorded in "
        "between that touch it. Exit 0 when nothing changed, 1 otherwise.",
    )
    diff.add_argument("db", metavar="DB", help="the ledger file")
    diff.add_argument("--period", action=Once, required=True, help=period_help)
    diff.add_argument(
        "--from", action=Once, dest="since", required=True, metavar="TIMESTAMP", help=MOMENT_SYNTAX
    )
    diff.add_argument("--to", action=Once, dest="until", metavar="TIMESTAMP", help="default: now")
    diff.add_argument(
        "--count-state",
        action="append",
        choices=_STATES,
        metavar="STATE",
        help="count events in this verification state (default: verified)",
    )
    diff.set_defaults(run=_diff)
    return ledger


def _actor(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--actor", action=Once, metavar="NAME", help="who records (default: your login name)"
    )


def _init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .schema import SCHEMA_VERSION, recognise
    from .sqlite import open_ledger

    if recognise(Path(args.db), args.db):
        print(f"{args.db}: already a ledger, left as it is", file=out)
        return EXIT_OK
    open_ledger(args.db)
    print(f"{args.db}: empty ledger created (schema version {SCHEMA_VERSION})", file=out)
    return EXIT_OK


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .checks import NOTHING_ADDED
    from .inputs import default_actor
    from .schema import recognise
    from .sqlite import open_ledger

    if not recognise(Path(args.db), args.db):  # a new ledger: check first, create after
        ruleset = inspect_rule_file(args.rules).require()
        try:
            read_ledger(ruleset, args.events)
        except EventError as exc:
            raise EventError(exc.problems, summary=NOTHING_ADDED) from None
    store = open_ledger(args.db)
    report = store.import_files(
        args.events, actor=args.actor or default_actor(), rules=args.rules, state=args.state
    )
    _print(report.warnings, err)
    _print_import(store, report, out)
    return EXIT_OK


def _print_import(store: SQLiteLedgerStore, report: ImportReport, out: TextIO) -> None:
    batch = report.batch
    rules = report.rules
    version = f"rules version {rules.version} (sha256 {rules.short_hash})"
    if batch is None:
        print(f"{store.name}: nothing new recorded; {version} in force", file=out)
    else:
        what = f"{report.events} event{'s' if report.events != 1 else ''}"
        if report.rules_changed:
            version += " now in force"
        print(
            f"{store.name}: batch {batch.number} recorded at {batch.recorded_at} by "
            f"{batch.actor}: {what}; {version}",
            file=out,
        )
    for content in report.contents:
        entries = f"entries {content.first_entry}-{content.last_entry}"
        if content.recorded_in is None:
            print(f"  {content.name}: {entries}, {content.events} events", file=out)
        elif batch is not None and content.recorded_in.number == batch.number:
            print(f"  {content.name}: the same content as another file: skipped", file=out)
        else:
            earlier = content.recorded_in
            print(
                f"  {content.name}: already imported in batch {earlier.number} "
                f"({earlier.recorded_at} by {earlier.actor}, {entries}): skipped",
                file=out,
            )


def _correct(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .inputs import default_actor, entry_numbers
    from .log import correction_text
    from .sqlite import open_ledger

    store = open_ledger(args.db, create=False)
    actor = args.actor or default_actor()
    entries = list(entry_numbers(args.entries))
    if args.withdraw:
        if args.set or args.state:
            raise UsageError("--withdraw takes no --set or --state: a withdrawal has no value")
        report = store.withdraw(entries, reason=args.reason, actor=actor)
    else:
        report = store.correct(
            entries, _changes(args.set), reason=args.reason, actor=actor, state=args.state
        )
    batch = report.batch
    print(
        f"{store.name}: batch {batch.number} recorded at {batch.recorded_at} by {batch.actor}: "
        f"{batch.reason}",
        file=out,
    )
    with store.reading() as reader:
        for row in report.entries:
            print(f"  {correction_text(row, reader.entry(row.supersedes or 0))}", file=out)
    return EXIT_OK


def _changes(settings: Sequence[str]) -> dict[str, str]:
    changes: dict[str, str] = {}
    for setting in settings:
        name, equals, value = setting.partition("=")
        name = name.strip()
        if not equals or not name:
            raise UsageError(f"--set {setting!r}: expected FIELD=VALUE (value=82, note=...)")
        key = name.casefold() if name.casefold() in FIELDS else name
        if key in changes:
            raise UsageError(f"--set {key}: given twice")
        changes[key] = value
    return changes


def _log(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .sqlite import open_ledger

    store = open_ledger(args.db, create=False)
    subject = args.indicator or (f"activity:{args.activity}" if args.activity else None)
    shown = False
    for line in store.log(subject):
        print(line, file=out)
        shown = True
    if not shown:
        print(f"{store.name}: no entry of {args.indicator or args.activity}", file=out)
    return EXIT_OK


def _diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .diff import render_diff
    from .sqlite import open_ledger

    store = open_ledger(args.db, create=False)
    difference = store.diff(args.period, args.since, args.until, states=args.count_state)
    _print(difference.after.warnings, err)
    out.write(render_diff(difference))
    return EXIT_FINDINGS if difference.changes else EXIT_OK


def _print(problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)
