"""What renderers share: report text and cells written in one language.

A renderer asks a :class:`Shower` for the words of a :class:`Label`, the text
of a cell (``33,64%``, ``7.375``, ``Rp 6.948.530.000``, ``-``) and the trace of
a figure, and lays them out in its format.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeAlias

from .._model import Basis
from .._results import CompositeResult
from .comparisons import MEDIUM_TERM, PREVIOUS_YEAR
from .document import (
    AmountCell,
    BudgetTrace,
    Cell,
    IndicatorTrace,
    Label,
    MissingCell,
    NumberCell,
    PercentCell,
    PeriodName,
    Report,
    RollupTrace,
    StatusCell,
    Text,
    TextCell,
    Trace,
)
from .explain_summaries import Explainer
from .formats import REPORT_MARKS, amount, number, percent
from .labels import Words
from .lang import Lang

Renderer: TypeAlias = Callable[[Report, Lang], str | bytes]
"""The signature of the report renderers (:func:`~ikueval._reports.html.render_html`...): a
report and a language, to text or bytes. ``RENDERERS.report``
(:mod:`ikueval._reports.renderers`) lists them as formats of ``ikueval report``."""


class Shower:
    """Writes the texts and cells of one report in one language.

    Args:
        report: the report.
        lang: the language.
    """

    def __init__(self, report: Report, lang: Lang) -> None:
        self.report = report
        self.lang = lang
        self.words = Words(lang)
        self.marks = REPORT_MARKS[lang]
        self._explainer = Explainer(lang, report.documents)
        self._texts: dict[Label, str] = {}  # the same headings and words recur
        spans = report.spans
        self._spans = {
            "period": self.words.period(spans["period"], short=True),
            "to_date": self.words.period(spans["to_date"], short=True),
            "annual": self.words.period(spans["annual"], short=True),
        }

    def __call__(self, key: str, /, **fields: object) -> str:
        """A label of this language, its fields filled (see :meth:`text` for field kinds)."""
        return self.text(Label(key, fields))

    def text(self, text: Text | None) -> str:
        """Words: a label translated (with the report's spans as default fields), or data."""
        if text is None:
            return ""
        if isinstance(text, str):
            return text
        if isinstance(text, PeriodName):
            return self.words.period(text.text, short=text.short)
        known = self._texts.get(text)
        if known is None:
            fields = {name: self._field(value) for name, value in text.fields.items()}
            known = self._texts[text] = self.words(text.key, **{**self._spans, **fields})
        return known

    def _field(self, value: object) -> object:
        if isinstance(value, Label):
            return self.text(value)
        if isinstance(value, PeriodName):
            return self.words.period(value.text, short=value.short)
        if isinstance(value, tuple):
            return ", ".join(str(self._field(item)) for item in value)
        if isinstance(value, Decimal):
            return number(value, self.marks)
        return value

    def cell(self, cell: Cell) -> str:
        """A cell as a reader sees it."""
        if isinstance(cell, NumberCell):
            shown = number(cell.value, self.marks, cell.rounding)
            if cell.upper is not None:  # a target range
                shown += "–" + number(cell.upper, self.marks, cell.rounding)
            return f"{shown} ({cell.category})" if cell.category else shown
        if isinstance(cell, PercentCell):
            return percent(cell.value, self.marks)
        if isinstance(cell, AmountCell):
            return amount(cell.value, self.marks)
        if isinstance(cell, MissingCell):
            return self.words("report.no_data")
        if isinstance(cell, StatusCell):
            return self.words(f"assessment.{cell.assessment.value}")
        return self.text(cell.text)

    def why(self, cell: MissingCell) -> str:
        """Why a figure is missing: the status in words and the engine's reason."""
        status = self.words(f"status.{cell.status.value}")
        if not cell.reason:
            return status
        return self.words("report.figure_title", status=status, reason=cell.reason)

    def trace(self, trace: Trace) -> list[tuple[str | None, str]]:
        """The trace of figures, what ``ikueval explain`` prints for them, in parts: each
        part with the anchor figures link to (one per basis of an indicator), or None."""
        subject = trace.subject
        explainer = self._explainer
        if isinstance(subject, IndicatorTrace):
            result = subject.indicator
            rounding = result.rounding or self.report.rounding
            head = [
                *explainer.heading(result),
                self.words(
                    "explain.evaluated",
                    period=trace.period,
                    rounding=explainer.rounding_text(rounding.mode.value, rounding.places),
                ),
            ]
            parts: list[tuple[str | None, str]] = [(None, "\n".join(head))]
            shown: dict[int, str] = {}
            for basis, achievement in zip(Basis, result.achievements, strict=True):
                lines = explainer.achievement(achievement, result, shown)
                parts.append((f"{trace.anchor}-{basis.value}", "\n".join(lines)))
            if result.comparisons is not None:
                medium = explainer.medium_term(result.comparisons.medium_term, result, shown)
                previous = explainer.previous_year(result.comparisons.previous_year, result)
                parts.append((f"{trace.anchor}-{MEDIUM_TERM}", "\n".join(medium)))
                parts.append((f"{trace.anchor}-{PREVIOUS_YEAR}", "\n".join(previous)))
            return parts
        if isinstance(subject, RollupTrace):
            if isinstance(subject.rollup, CompositeResult):
                return [(None, "\n".join(explainer.composite(subject.rollup)))]
            return [(None, "\n".join(explainer.rollup(subject.rollup)))]
        assert isinstance(subject, BudgetTrace)
        return [(None, "\n".join(explainer.budget(subject.budget)))]

    def trace_text(self, trace: Trace) -> str:
        """The whole trace as text, parts separated by a blank line."""
        return "\n\n".join(text for _, text in self.trace(trace))


def cell_value(cell: Cell) -> Decimal | str | None:
    """The engine's figure a cell shows, as data: a decimal, a category, or None."""
    if isinstance(cell, NumberCell | PercentCell | AmountCell):
        return cell.value
    if isinstance(cell, TextCell) and cell.source is not None and isinstance(cell.text, str):
        return cell.text
    return None
