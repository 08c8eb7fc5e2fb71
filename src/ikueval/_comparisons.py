"""Comparisons: a realisation against the medium-term target and against last year.

PermenPAN-RB 53/2014 asks a performance report (LKj) to compare each year's
realisation with its target, with the realisation of the previous year, and
with the medium-term (Renstra) target. The first is the achievement on the four
bases; the other two are computed here, beside them, for every indicator:

* **medium term**: the realisation to date against the target of the year the
  rule set declares in ``[targets] medium_term`` (the plan's final year), as the
  document it names gives it (or the binding target of that year). It is an
  achievement like the others, with its trail, but none of the four bases;
* **previous year**: the same span one year earlier, when that year is a year
  of the rule set: its realisation and its achievement to date, the change of
  the realisation (exact, and in percent of last year's) and the change of the
  achievement in percentage points.

When the rule set or the data do not have what a comparison needs, it has a
status and the reason, never a made-up figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ._achievement import achieve
from ._categories import with_category
from ._decimals import percentage, round_figure, subtract
from ._model import Basis, Indicator, RuleSet
from ._periods import Granularity, Period, Span
from ._results import (
    Comparisons,
    IndicatorResult,
    MediumTermComparison,
    PreviousYearComparison,
    Status,
)
from ._spans import SpanName
from ._targets import TargetChoice, choose_targets, rank_targets, target_for

#: The basis whose realisation both comparisons take: January to the period's end.
COMPARED = Basis.TO_DATE


def previous_period(period: Period) -> Period:
    """The same period one year earlier (``2025-Q2`` -> ``2024-Q2``).

    Raises:
        PeriodError: when the year before is out of range, or the period is a day.
    """
    year = period.year - 1
    if period.granularity is Granularity.QUARTER:
        return Period.quarter_of(year, (period.start.month + 2) // 3)
    if period.granularity is Granularity.MONTH:
        return Period.month_of(year, period.start.month)
    return Period.year_of(year)


def medium_term(
    ruleset: RuleSet,
    indicator: Indicator,
    result: IndicatorResult,
    choices: Mapping[Period, TargetChoice] | None = None,
) -> MediumTermComparison:
    """The realisation to date against the medium-term target of ``[targets] medium_term``.

    Args:
        ruleset: the rule set.
        indicator: the indicator.
        result: its figures of the evaluated period.
        choices: its binding targets and their alternatives
            (:func:`~ikueval._targets.choose_targets`), when already chosen.
    """
    declared = ruleset.targets.medium_term
    if declared is None:
        return MediumTermComparison(
            Status.NOT_APPLICABLE,
            reason="the rule set declares no medium-term target ([targets] medium_term)",
        )
    year, document = declared.year, declared.document
    if choices is None:
        choices = choose_targets(ruleset, indicator)
    entries = [
        entry
        for period, choice in choices.items()
        if period.year == year
        for entry in (choice.chosen, *choice.alternatives)
        if document is None or entry.document == document
    ]
    period = Period.year_of(year)
    target = with_category(
        ruleset,
        indicator,
        target_for(
            rank_targets(ruleset, entries),
            Span.of(period),
            (period,),
            indicator.targets_aggregate,
            indicator.formula.expression if indicator.formula else "",
            indicator.parameters,
        ),
    )
    if target.status is Status.NO_TARGET and document is not None:
        target = attrs.evolve(target, reason=f"{document} gives no target for {year}")
    realisation = result.realisations[SpanName.TO_DATE]
    achievement = attrs.evolve(
        achieve(ruleset, indicator, COMPARED, realisation, target), basis=None
    )
    return MediumTermComparison(
        status=achievement.status,
        year=year,
        document=document,
        achievement=achievement,
        value=achievement.value,
        reason=achievement.reason,
    )


def previous_year(
    ruleset: RuleSet,
    result: IndicatorResult,
    previous: IndicatorResult | None,
    period: Period,
) -> PreviousYearComparison:
    """The same span one year earlier.

    Args:
        ruleset: the rule set (its rounding).
        result: the indicator's figures of the evaluated period.
        previous: its figures of ``period`` (evaluated the same way), or None
            when that year is not a year of the rule set.
        period: the same period one year earlier.
    """
    rounding = ruleset.rounding
    if previous is None:
        return PreviousYearComparison(
            Status.NOT_APPLICABLE,
            rounding,
            period=period.label,
            reason=f"{period.year} is not a year of the rule set {ruleset.id!r}",
        )
    then = previous.realisations[SpanName.TO_DATE]
    now = result.realisations[SpanName.TO_DATE]
    then_achievement = previous.achievement(COMPARED)
    now_achievement = result.achievement(COMPARED)
    notes: list[str] = []
    points = None
    if then_achievement.unrounded is not None and now_achievement.unrounded is not None:
        points = subtract(now_achievement.unrounded, then_achievement.unrounded)
    else:
        missing = then_achievement if then_achievement.unrounded is None else now_achievement
        notes.append(f"no change of the achievement: {missing.reason or missing.status.value}")
    found = PreviousYearComparison(
        Status.COMPUTED,
        rounding,
        period=period.label,
        realisation=then,
        achievement=then_achievement,
        points_unrounded=points,
        points=None if points is None else round_figure(points, rounding.mode, rounding.places),
    )
    for realisation in (then, now):
        if realisation.status is not Status.COMPUTED:
            return attrs.evolve(
                found, status=realisation.status, reason=realisation.reason, notes=tuple(notes)
            )
    if not isinstance(then.value, Decimal) or not isinstance(now.value, Decimal):
        return attrs.evolve(
            found,
            status=Status.UNDEFINED,
            reason="categories have no difference: compare their achievements",
            notes=tuple(notes),
        )
    change = subtract(now.value, then.value)
    growth = None
    if then.value == 0:
        notes.append(f"the realisation over {then.span} is 0: a change in percent is not defined")
    else:
        growth = percentage(change, then.value.copy_abs())
    return attrs.evolve(
        found,
        change=change,
        growth_unrounded=growth,
        growth=None if growth is None else round_figure(growth, rounding.mode, rounding.places),
        notes=tuple(notes),
    )


def comparisons(
    ruleset: RuleSet,
    indicator: Indicator,
    result: IndicatorResult,
    previous: IndicatorResult | None,
    period: Period,
    choices: Mapping[Period, TargetChoice] | None = None,
) -> Comparisons:
    """Both comparisons of one indicator (see :func:`medium_term`, :func:`previous_year`)."""
    return Comparisons(
        medium_term=medium_term(ruleset, indicator, result, choices),
        previous_year=previous_year(ruleset, result, previous, period),
    )
