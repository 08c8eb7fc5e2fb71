"""Every output format of every command, in one table.

A renderer is the last step: it takes the thing rendered (an
:class:`~ikueval._results.Evaluation`, an
:class:`~ikueval._reports.explanation.Explanation`, a
:class:`~ikueval._reconcile.Reconciliation`, a
:class:`~ikueval._reports.document.Report`) and :class:`RenderOptions`, and
returns text, or bytes for a binary format (a spreadsheet). :data:`RENDERERS`
lists, for each command, its formats, the default first; the command line's
``--format`` offers exactly these, and writes what a renderer returns to
standard output or to ``-o FILE`` (``docs/cli.md``). Adding a format is one
entry here (``docs/extending.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from attrs import frozen

from .._model import FrozenMap
from .lang import Lang

if TYPE_CHECKING:  # the renderers themselves are imported when a format is used
    from .._reconcile import Reconciliation
    from .._results import Evaluation
    from .document import Report
    from .explanation import Explanation

S = TypeVar("S")

Rendered = str | bytes
"""What a renderer returns: text, or the bytes of a binary format."""


@frozen
class RenderOptions:
    """What a renderer is asked besides the thing it renders.

    Args:
        lang: the language of the words and numbers (the JSON formats have none).
        indicators: the ids of the indicators to show, all when None (``explain``
            shows these only, and then no roll-up and no budget).
    """

    lang: Lang = Lang.EN
    indicators: tuple[str, ...] | None = None


@frozen
class Format(Generic[S]):
    """One output format of one command.

    Args:
        render: ``(thing rendered, options) -> text or bytes``.
        description: what the format gives, for ``--help``.
        binary: whether it returns bytes; the command line writes those to a
            file or a pipe, never to a terminal.
        pieces: for a text format that can be streamed, ``(thing rendered,
            options) -> the text in pieces``, which the command line writes as
            they come (as UTF-8); joined, they are what ``render`` returns.
    """

    render: Callable[[S, RenderOptions], Rendered]
    description: str
    binary: bool = False
    pieces: Callable[[S, RenderOptions], Iterable[str]] | None = None


@frozen
class Renderers:
    """The output formats of each command, by ``--format`` name, the default first.

    Args:
        evaluate: formats of an evaluation.
        explain: formats of an explanation.
        reconcile: formats of a reconciliation.
        report: formats of a report (:func:`~ikueval._reports.build.report_of`).
    """

    evaluate: Mapping[str, Format[Evaluation]]
    explain: Mapping[str, Format[Explanation]]
    reconcile: Mapping[str, Format[Reconciliation]]
    report: Mapping[str, Format[Report]]


# Each renderer imports its module when it is used, so that a command loads only
# the format it writes (``ikueval evaluate`` never loads the spreadsheet writer).


def _table(evaluation: Evaluation, options: RenderOptions) -> str:
    from .table import evaluation_table

    return evaluation_table(evaluation, lang=options.lang)


def _evaluation_json(evaluation: Evaluation, options: RenderOptions) -> str:
    return "".join(_evaluation_json_pieces(evaluation, options))


def _evaluation_json_pieces(evaluation: Evaluation, _: RenderOptions) -> Iterable[str]:
    from .json import json_pieces

    return json_pieces(evaluation)


def _explain_text(explanation: Explanation, options: RenderOptions) -> str:
    from .explain import render_explain

    return render_explain(
        explanation.evaluation,
        explanation.ruleset,
        options.indicators,
        ledger=explanation.ledger,
        lang=options.lang,
    )


def _explain_json(explanation: Explanation, options: RenderOptions) -> str:
    return "".join(_explain_json_pieces(explanation, options))


def _explain_json_pieces(explanation: Explanation, options: RenderOptions) -> Iterable[str]:
    from .explanation import explanation_pieces

    return explanation_pieces(explanation, options.indicators)


def _reconciliation_table(reconciliation: Reconciliation, _: RenderOptions) -> str:
    from .reconcile import reconciliation_table

    return reconciliation_table(reconciliation)


def _reconciliation_json(reconciliation: Reconciliation, _: RenderOptions) -> str:
    from .reconcile import reconciliation_json

    return reconciliation_json(reconciliation)


def _html(report: Report, options: RenderOptions) -> str:
    from .html import render_html

    return render_html(report, lang=options.lang)


def _xlsx(report: Report, options: RenderOptions) -> bytes:
    from .xlsx import render_xlsx

    return render_xlsx(report, lang=options.lang)


def _markdown(report: Report, options: RenderOptions) -> str:
    from .markdown import render_markdown

    return render_markdown(report, lang=options.lang)


#: Every output format of every command.
RENDERERS: Final = Renderers(
    evaluate=FrozenMap(
        {
            "table": Format(_table, "a table for people"),
            "json": Format(
                _evaluation_json,
                "the figures with their audit trail as JSON (docs/audit.md)",
                pieces=_evaluation_json_pieces,
            ),
        }
    ),
    explain=FrozenMap(
        {
            "text": Format(_explain_text, "how each figure was computed, for people"),
            "json": Format(
                _explain_json,
                "the audit trail as JSON, with every event behind each part (docs/audit.md)",
                pieces=_explain_json_pieces,
            ),
        }
    ),
    reconcile=FrozenMap(
        {
            "table": Format(_reconciliation_table, "one line per printed figure, with its verdict"),
            "json": Format(
                _reconciliation_json, "every verdict with the computations behind it, as JSON"
            ),
        }
    ),
    report=FrozenMap(
        {
            "html": Format(
                _html, "one self-contained page, with charts and the trace of every figure"
            ),
            "xlsx": Format(
                _xlsx, "a workbook: a sheet per table, a notes sheet, a trace sheet", binary=True
            ),
            "md": Format(
                _markdown, "GitHub-flavoured Markdown: the same tables, to paste into documents"
            ),
        }
    ),
)
