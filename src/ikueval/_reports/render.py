"""The renderers of the API: one function per output format, taking what it renders.

:func:`render_table` and :func:`render_json` take an
:class:`~ikueval._results.Evaluation` (what ``ikueval evaluate`` writes) or a
:class:`~ikueval._reconcile.Reconciliation` (what ``ikueval reconcile``
writes). A report is rendered by :func:`~ikueval._reports.html.render_html`,
:func:`~ikueval._reports.markdown.render_markdown` and
:func:`~ikueval._reports.xlsx.render_xlsx`; the trace of figures by
:func:`~ikueval._reports.explain.render_explain`. Each imports the module of
the thing it renders when it is used, so that a program that only evaluates
never loads the reconciliation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._errors import UsageError
from .._results import Evaluation
from .lang import Lang

if TYPE_CHECKING:
    from .._reconcile import Reconciliation


def render_table(result: Evaluation | Reconciliation, *, lang: Lang = Lang.EN) -> str:
    """A table for people: what ``ikueval evaluate`` or ``ikueval reconcile`` prints.

    Args:
        result: an evaluation (every indicator on every basis, the roll-ups, the
            budgets) or a reconciliation (every printed figure with its verdict).
        lang: the language of the words and numbers (English by default, whose
            numbers have no thousands separator). A reconciliation's table is
            written in English only.

    Raises:
        UsageError: when ``result`` is neither an evaluation nor a
            reconciliation, or a reconciliation is asked for in another language.
    """
    if isinstance(result, Evaluation):
        from .table import evaluation_table

        return evaluation_table(result, lang=lang)
    reconciliation = _reconciliation(result, "render_table")
    if lang is not Lang.EN:
        raise UsageError(
            f"render_table: a reconciliation's table is written in English only, not in "
            f"{lang.value!r} (leave lang out)"
        )
    from .reconcile import reconciliation_table

    return reconciliation_table(reconciliation)


def render_json(result: Evaluation | Reconciliation) -> str:
    """A JSON document (text, stable key order and layout, numbers as strings).

    Args:
        result: an evaluation (its figures with their audit trail,
            ``docs/audit.md``) or a reconciliation (every verdict with the
            computations behind it, ``docs/reconcile.md``).

    Raises:
        UsageError: when ``result`` is neither an evaluation nor a reconciliation.
    """
    if isinstance(result, Evaluation):
        from .json import evaluation_json

        return evaluation_json(result)
    reconciliation = _reconciliation(result, "render_json")
    from .reconcile import reconciliation_json

    return reconciliation_json(reconciliation)


def _reconciliation(result: object, function: str) -> Reconciliation:
    """``result`` as a reconciliation, or the error naming what was given instead."""
    from .._reconcile import Reconciliation

    if not isinstance(result, Reconciliation):
        raise UsageError(
            f"{function}: expected an Evaluation (from ikueval.evaluate) or a Reconciliation "
            f"(from ikueval.reconcile), found {type(result).__name__}"
        )
    return result
