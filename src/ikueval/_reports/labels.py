"""Every word a report, the terminal table and ``explain`` print, in each language.

One dictionary per language (:mod:`.labels_en`, :mod:`.labels_id`), with the
same keys (a test checks it). A label is a :meth:`str.format` template; its
fields are filled by the caller. Names from rule files (indicators, objectives,
activities) and the engine's own reasons and notes are data, not labels: they
are printed as they are.

The terminal commands (``evaluate``, ``explain``) print English unless asked
otherwise, so that their output stays what scripts and the recorded examples
expect; reports default to Indonesian, the language of the documents they
take the shape of (see ``docs/report.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Final

from .._model import (
    Aggregation,
    Basis,
    Direction,
    LowerIsBetter,
    MemberFigure,
    MemberValues,
    MissingPolicy,
    RollupMethod,
)
from .._periods import Granularity, Period
from .._reconcile.verdict import Verdict
from .._results import Status
from .._spans import SpanName
from .assessment import Assessment
from .labels_en import EN
from .labels_id import ID
from .lang import Lang

#: The labels of each language; every language has the same keys.
LABELS: Final[Mapping[Lang, Mapping[str, str]]] = {Lang.ID: ID, Lang.EN: EN}

#: The families of labels written once per member of an enum: the label
#: ``f"{family}.{member.value}"`` of every member, in every language, and no other
#: label of that form (``tests/test_registries.py`` checks it). Adding a basis, an
#: aggregation method, a lower-is-better formula or a span is adding its words to
#: each of its families (``docs/extending.md``).
MEMBER_LABELS: Final[Mapping[str, type[Enum]]] = {
    "status": Status,
    "mark": Status,
    "aggregation": Aggregation,
    "explain.method": Aggregation,
    "direction": Direction,
    "formula": LowerIsBetter,
    "table.span": SpanName,
    "table.basis": Basis,
    "table.legend": Basis,
    "explain.basis": Basis,
    "basis": Basis,
    "basis.phrase": Basis,
    "missing": MissingPolicy,
    "member_values": MemberValues,
    "rollup_method": RollupMethod,
    "explain.combine": RollupMethod,
    "member_figure": MemberFigure,
    "assessment": Assessment,
    "verdict": Verdict,
}
#: Members a family leaves out, and labels of a family's form that are no member.
MEMBER_LABELS_EXCEPT: Final[Mapping[str, frozenset[str]]] = {
    "mark": frozenset({"computed"}),  # a computed figure shows its value, not a mark
    "formula": frozenset({"higher", "none"}),  # higher is better; no formula declared
    "verdict": frozenset({"counts"}),  # the count of each verdict
}

_ROMAN: Final = ("I", "II", "III", "IV")


class Words:
    """The labels of one language, filled in: ``Words(Lang.ID)("col.target_year", year=2025)``."""

    __slots__ = ("_labels", "lang")

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._labels = LABELS[lang]

    def __call__(self, key: str, /, **fields: object) -> str:
        """The label ``key`` with its fields filled in.

        Raises:
            KeyError: when there is no such label.
        """
        template = self._labels[key]
        if not fields and "{" not in template:
            return template
        return template.format(**fields)

    def count(self, key: str, n: int) -> str:
        """``key.one`` or ``key.many`` (``part_one``, ``part_many``) for ``n``."""
        return self(f"{key}_{'one' if n == 1 else 'many'}", n=n)

    def period(self, text: str, *, short: bool = False) -> str:
        """A period or span label (``2025-Q2``, ``2025-Q1..2025-Q2``) as people say it."""
        if ".." in text:
            first, last = text.split("..", 1)
            return self(
                "period.span",
                first=self.period(first, short=True),
                last=self.period(last, short=short),
            )
        period = Period.parse(text)
        suffix = ".short" if short else ""
        if period.granularity is Granularity.QUARTER:
            q = (period.start.month + 2) // 3
            return self(f"period.quarter{suffix}", q=q, roman=_ROMAN[q - 1], year=period.year)
        if period.granularity is Granularity.MONTH:
            month = self("months").split()[period.start.month - 1]
            return self(f"period.month{suffix}", month=month, year=period.year)
        if period.granularity is Granularity.YEAR:
            return self("period.year", year=period.year)
        return period.label
