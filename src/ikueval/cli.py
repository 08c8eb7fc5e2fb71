"""The ``ikueval`` command line (see ``docs/cli.md``).

Exit codes: 0 success, 1 findings (``check`` found warnings, ``reconcile``
found a figure that is not a plain match), 2 bad input or usage. Errors go to
standard error as ``FILE:LINE: KEY: message``, without a traceback unless
``--debug`` is given.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from typing import Final, TextIO

from . import __version__
from .errors import IkuEvalError, Problem, UsageError
from .evaluation import evaluate, parse_evaluation_period
from .loading import inspect_rule_file
from .loading.published import load_publication
from .loading.rules import RuleReport
from .reconcile import reconcile
from .reports import render_explain, render_json, render_table
from .reports.reconcile import render_reconciliation, render_reconciliation_json
from .store.cli import add_source_arguments, data_source
from .store.cli import register as register_ledger

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_BAD_INPUT: Final = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args, sys.stdout, sys.stderr)
        return code
    except IkuEvalError as exc:
        if args.debug:
            traceback.print_exc()
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # pragma: no cover - e.g. `ikueval ... | head`
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ikueval",
        description="Evaluate key performance indicators (IKU) against targets, "
        "with an audit trail for every figure.",
    )
    parser.add_argument("--version", action="version", version=f"ikueval {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", help="show the traceback of errors (for bug reports)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    evaluate_cmd = commands.add_parser(
        "evaluate",
        parents=[common],
        help="evaluate all indicators for a period",
        description="Evaluate every indicator of a rule set for one period: targets, "
        "realisations and the achievement on every basis, with the roll-ups.",
    )
    _data_arguments(evaluate_cmd)
    evaluate_cmd.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )
    evaluate_cmd.set_defaults(run=_evaluate)

    explain_cmd = commands.add_parser(
        "explain",
        parents=[common],
        help="show how each figure was computed",
        description="Show, for each basis, the events that entered, the aggregation, the "
        "target and its document, the formula with its values, the unrounded result and "
        "the rounding.",
    )
    _data_arguments(explain_cmd)
    explain_cmd.add_argument(
        "--indicator",
        action="append",
        metavar="ID",
        help="the indicator to explain (repeat for several; default: all, with the roll-ups)",
    )
    explain_cmd.set_defaults(run=_explain)

    reconcile_cmd = commands.add_parser(
        "reconcile",
        parents=[common],
        help="check a published report's figures against the data",
        description="Give every figure a report prints a verdict: it matches; it matches only "
        "another computation (basis, rounding, cap, formula), named; it contradicts another "
        "published figure; or no computation reproduces it. Exit 0 when every figure matches, "
        "1 otherwise.",
    )
    _data_arguments(
        reconcile_cmd, period="the report's period (default: the one of the published figures)"
    )
    reconcile_cmd.add_argument(
        "--published", required=True, metavar="FILE", help="the published figures (TOML)"
    )
    reconcile_cmd.add_argument(
        "--table", action="append", metavar="ID", help="only this table (repeat for several)"
    )
    reconcile_cmd.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )
    reconcile_cmd.set_defaults(run=_reconcile)

    check_cmd = commands.add_parser(
        "check",
        parents=[common],
        help="validate rule files",
        description="Validate rule files: report every error and warning with its file, "
        "line and key. Exit 0 when clean, 1 when there are only warnings, 2 on errors.",
    )
    check_cmd.add_argument("rules", nargs="+", metavar="RULES", help="rule files (TOML)")
    check_cmd.set_defaults(run=_check)
    register_ledger(commands, common, _PERIOD_HELP)
    return parser


_PERIOD_HELP: Final = "the period: 2025, 2025-Q1..2025-Q4 or 2025-01..2025-12"


def _data_arguments(command: argparse.ArgumentParser, period: str | None = None) -> None:
    """RULES, EVENTS... (or --ledger DB [--as-of T]) and --period (required unless
    ``period`` describes a default)."""
    command.add_argument("rules", nargs="?", metavar="RULES", help="the rule file (TOML)")
    command.add_argument(
        "events",
        nargs="*",
        metavar="EVENTS",
        help="event files (*.csv, *.json) or directories of event files",
    )
    add_source_arguments(command)
    command.add_argument("--period", required=period is None, help=period or _PERIOD_HELP)


def _evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    source = data_source(args, err)
    evaluation = evaluate(source.ruleset, source.ledger(), args.period)
    out.write(render_json(evaluation) if args.format == "json" else render_table(evaluation))
    return EXIT_OK


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    source = data_source(args, err)
    ruleset = source.ruleset
    wanted = args.indicator
    if wanted:
        unknown = [i for i in wanted if ruleset.indicator(i) is None]
        if unknown:
            raise UsageError(
                f"unknown indicator {', '.join(unknown)}; the rule set has "
                f"{', '.join(i.id for i in ruleset.indicators)}"
            )
    retain = wanted or [i.id for i in ruleset.indicators]
    ledger = source.ledger(retain)
    evaluation = evaluate(ruleset, ledger, args.period)
    out.write(render_explain(evaluation, ruleset, wanted, ledger=ledger))
    return EXIT_OK


def _reconcile(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    source = data_source(args, err)
    ruleset = source.ruleset
    publication = load_publication(args.published, ruleset)
    if args.period is not None:
        period = parse_evaluation_period(ruleset, args.period)
        if period.label != publication.period:
            raise UsageError(
                f"{args.published} holds the figures of {publication.period}, not {period.label}"
            )
    known = [t.id for t in publication.tables]
    unknown = [t for t in args.table or () if t not in known]
    if unknown:
        raise UsageError(
            f"no table {', '.join(unknown)} in {args.published}; it has {', '.join(known)}"
        )
    reconciliation = reconcile(ruleset, source.ledger(), publication)
    if args.table:  # every table is reconciled (contradictions span tables); some are shown
        reconciliation = reconciliation.only(args.table)
    if args.format == "json":
        out.write(render_reconciliation_json(reconciliation))
    else:
        out.write(render_reconciliation(reconciliation))
    return EXIT_OK if reconciliation.all_match else EXIT_FINDINGS


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    code = EXIT_OK
    for path in args.rules:
        report = inspect_rule_file(path)
        _print_problems(report.problems, out)
        if report.errors:
            code = EXIT_BAD_INPUT
        elif report.warnings and code == EXIT_OK:
            code = EXIT_FINDINGS
        summary = _summary(report)
        print(f"{path}: {summary}", file=out)
    return code


def _summary(report: RuleReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning" + (
            "s" if warnings != 1 else ""
        )
    count = len(report.ruleset.indicators) if report.ruleset else 0
    indicators = f"{count} indicator{'s' if count != 1 else ''}"
    if warnings:
        return f"valid, {indicators}, {warnings} warning{'s' if warnings != 1 else ''}"
    return f"valid, {indicators}"


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
