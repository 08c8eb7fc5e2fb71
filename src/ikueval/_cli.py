"""The ``ikueval`` command line (see ``docs/cli.md``).

Exit codes: 0 success, 1 findings (``check`` found warnings, ``reconcile``
found a figure that is not a plain match), 2 bad input or usage. Errors go to
standard error as ``FILE:LINE: KEY: message``, without a traceback unless
``--debug`` is given.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final, TextIO, TypeVar

from . import __version__
from ._cli_options import Once
from ._errors import IkuEvalError, Location, Problem, UsageError
from ._evaluation import evaluate, parse_evaluation_period
from ._loading import inspect_rule_file
from ._loading.rules import RuleReport
from ._reports.lang import Lang
from ._reports.renderers import RENDERERS, Format, Rendered, RenderOptions
from ._results import Trail
from ._store.cli import add_source_arguments, data_source
from ._store.cli import register as register_ledger

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_BAD_INPUT: Final = 2

S = TypeVar("S")

#: The cyclic garbage collector's thresholds while a command runs (as mypy sets
#: them). A run builds hundreds of thousands of long-lived objects (a rule set, a
#: ledger, figures) and almost no cycles; with Python's default thresholds the
#: full collections walking them took a tenth of the CPU of a 10,000-indicator,
#: 1,000,000-event evaluation (13 s against 11.8 s, benchmarks/README.md), for
#: no memory returned. The library itself never touches the collector (it is
#: the embedding process's to tune: docs/scaling.md); the command line owns its
#: process, and restores the thresholds when :func:`main` returns.
_COLLECTOR_THRESHOLDS: Final = (200_000, 30, 30)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    with _escaping(sys.stdout), _escaping(sys.stderr), _collecting_for_a_batch():
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


@contextlib.contextmanager
def _collecting_for_a_batch() -> Iterator[None]:
    """Run with :data:`_COLLECTOR_THRESHOLDS`, restoring the thresholds afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*_COLLECTOR_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def _escaping(stream: TextIO) -> Iterator[None]:
    """Write what ``stream``'s encoding cannot hold as escapes (``\\u2713``), not fail.

    Data is shown as read (a note with a character the terminal's encoding
    lacks); the setting of the stream is restored afterwards.
    """
    # "surrogateescape" (the default in the C locale) writes back undecodable
    # bytes of file names, but fails on any other surrogate.
    if not isinstance(stream, io.TextIOWrapper) or stream.errors not in _FAILING:
        yield
        return
    errors = stream.errors
    stream.reconfigure(errors="backslashreplace")
    try:
        yield
    finally:
        stream.reconfigure(errors=errors)


_FAILING: Final = ("strict", "surrogateescape")


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
    _output_arguments(evaluate_cmd, RENDERERS.evaluate)
    _lang_argument(evaluate_cmd, Lang.EN, "of the table")
    evaluate_cmd.add_argument(
        "--trail",
        action=Once,
        choices=[trail.value for trail in Trail],
        default=Trail.COMPACT.value,
        help="how much of the audit trail the JSON writes: compact (default: a part per "
        "month, sources as line ranges) or full (a part per period and dimension values; "
        "every event: explain --format json)",
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
    _output_arguments(explain_cmd, RENDERERS.explain)
    _lang_argument(explain_cmd, Lang.EN, "of the text ")
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
        "--published",
        action=Once,
        required=True,
        metavar="FILE",
        help="the published figures (TOML)",
    )
    reconcile_cmd.add_argument(
        "--table", action="append", metavar="ID", help="only this table (repeat for several)"
    )
    _output_arguments(reconcile_cmd, RENDERERS.reconcile)
    reconcile_cmd.set_defaults(run=_reconcile)

    report_cmd = commands.add_parser(
        "report",
        parents=[common],
        help="write the performance report as HTML, XLSX or Markdown",
        description="Write the report of a period in the shape of a Laporan Kinerja: the "
        "performance agreement, the quarterly measurement, achievement to date, a status per "
        "indicator, roll-ups, budget against performance, and the plan's consistency. Every "
        "figure is one the evaluation computed, linked to its trace.",
    )
    _data_arguments(report_cmd)
    _output_arguments(report_cmd, RENDERERS.report, required=True)
    _lang_argument(report_cmd, Lang.ID, "")
    report_cmd.add_argument(
        "--published",
        action=Once,
        metavar="FILE",
        help="also reconcile the figures of this published report (TOML)",
    )
    report_cmd.set_defaults(run=_report)

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
    command.add_argument(
        "--period", action=Once, required=period is None, help=period or _PERIOD_HELP
    )


def _lang_argument(command: argparse.ArgumentParser, default: Lang, what: str) -> None:
    command.add_argument(
        "--lang",
        action=Once,
        choices=[lang.value for lang in Lang],
        default=default.value,
        help=f"language of the words and numbers {what}(default: {default.value})",
    )


def _output_arguments(
    command: argparse.ArgumentParser, formats: Mapping[str, Format[Any]], required: bool = False
) -> None:
    """--format (the command's formats in :data:`RENDERERS`; unless ``required``, the first
    by default) and -o FILE."""
    names = tuple(formats)
    described = "; ".join(f"{name}: {chosen.description}" for name, chosen in formats.items())
    command.add_argument(
        "--format",
        action=Once,
        choices=names,
        required=required,
        default=None if required else names[0],
        help=f"output format ({described})",
    )
    command.add_argument(
        "-o",
        "--output",
        action=Once,
        metavar="FILE",
        help="write the output to FILE instead of standard output",
    )


def _format(args: argparse.Namespace, formats: Mapping[str, Format[S]], out: TextIO) -> Format[S]:
    """The chosen format, refused before any work when it is binary and would go to a terminal."""
    chosen = formats[args.format]
    if chosen.binary and args.output is None and (out.isatty() or not hasattr(out, "buffer")):
        raise UsageError(
            Problem(
                f"the {args.format} format is binary and is not written to a terminal",
                hint="give the file to write with -o FILE, or redirect standard output",
            )
        )
    return chosen


def _write(args: argparse.Namespace, out: TextIO, rendered: Rendered) -> None:
    """Write a renderer's text or bytes to -o FILE (UTF-8 for text) or standard output."""
    if args.output is not None:
        data = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
        try:
            with open(args.output, "wb") as file:
                file.write(data)
        except OSError as exc:
            raise UsageError(
                Problem(f"cannot write the output: {exc.strerror}", Location(args.output))
            ) from None
    elif isinstance(rendered, str):
        out.write(rendered)
    else:
        out.flush()
        out.buffer.write(rendered)  # a pipe or a file: checked by _format
        out.buffer.flush()


def _emit(
    args: argparse.Namespace, out: TextIO, chosen: Format[S], rendered: S, options: RenderOptions
) -> None:
    """Write what a format renders; a format that can be streamed is written a piece at a
    time, as UTF-8 (to -o FILE, or standard output's bytes when it has them)."""
    if chosen.pieces is None:
        _write(args, out, chosen.render(rendered, options))
        return
    from ._reports.json_layout import write_utf8

    pieces = chosen.pieces(rendered, options)
    if args.output is not None:
        try:
            with open(args.output, "wb") as file:
                write_utf8(pieces, file)
        except OSError as exc:
            raise UsageError(
                Problem(f"cannot write the output: {exc.strerror}", Location(args.output))
            ) from None
    elif hasattr(out, "buffer"):
        out.flush()
        write_utf8(pieces, out.buffer)
        out.buffer.flush()
    else:
        for piece in pieces:
            out.write(piece)


def _evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    chosen = _format(args, RENDERERS.evaluate, out)
    source = data_source(args, err)
    ledger = source.ledger()  # the files first, then the period, as before
    _print_problems(ledger.warnings, err)
    evaluation = evaluate(source.ruleset, ledger, args.period, trail=args.trail)
    _emit(args, out, chosen, evaluation, RenderOptions(lang=Lang(args.lang)))
    return EXIT_OK


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._reports.explanation import Explanation

    chosen = _format(args, RENDERERS.explain, out)
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
    _print_problems(ledger.warnings, err)
    evaluation = evaluate(ruleset, ledger, args.period)
    options = RenderOptions(lang=Lang(args.lang), indicators=tuple(wanted) if wanted else None)
    _emit(args, out, chosen, Explanation(evaluation, ruleset, ledger), options)
    return EXIT_OK


def _reconcile(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._loading.published import load_publication
    from ._reconcile import reconcile

    chosen = _format(args, RENDERERS.reconcile, out)
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
    ledger = source.ledger()
    _print_problems(ledger.warnings, err)
    _print_problems(publication.warnings, err)
    reconciliation = reconcile(ruleset, ledger, publication)
    if args.table:  # every table is reconciled (contradictions span tables); some are shown
        reconciliation = reconciliation.only(args.table)
    _write(args, out, chosen.render(reconciliation, RenderOptions()))
    return EXIT_OK if reconciliation.all_match else EXIT_FINDINGS


def _report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._loading.published import load_publication
    from ._reconcile import reconcile
    from ._reports.build import report_of

    chosen = _format(args, RENDERERS.report, out)
    source = data_source(args, err)
    ruleset = source.ruleset
    period = parse_evaluation_period(ruleset, args.period)
    ledger = source.ledger()
    _print_problems(ledger.warnings, err)
    reconciliation = None
    if args.published:
        publication = load_publication(args.published, ruleset)
        if publication.period != period.label:
            raise UsageError(
                f"{args.published} holds the figures of {publication.period}, not {period.label}"
            )
        _print_problems(publication.warnings, err)
        reconciliation = reconcile(ruleset, ledger, publication)
    built = report_of(
        ruleset, ledger, period.label, warnings=source.warnings, reconciliation=reconciliation
    )
    _write(args, out, chosen.render(built, RenderOptions(lang=Lang(args.lang))))
    return EXIT_OK


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
