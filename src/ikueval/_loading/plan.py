"""Consistency of the plan itself: do the targets and budgets of a rule set agree?

Planning documents often disagree: the strategic plan, the annual plan and the
performance agreement give different targets for the same year; quarterly
targets do not add up to the annual one; the agreements of sub-units do not add
up to the head's. None of this stops an evaluation, so each is a warning that
names the figures, the documents and which one the engine uses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from .._combining import METHODS
from .._decimals import divide, exact_sum
from .._errors import Severity
from .._model import Aggregation, Indicator, RuleSet
from .._periods import Granularity, Period
from .._targets import TargetChoice, TargetEntry
from .._units import same_unit
from .findings import Finding
from .toml_positions import Path


def check_plan(
    ruleset: RuleSet, choices: Sequence[Mapping[Period, TargetChoice]]
) -> Iterator[Finding]:
    """Every inconsistency of targets and budgets.

    Args:
        ruleset: the rule set.
        choices: the binding targets of each indicator among its valid target entries
            (:func:`rank_targets`), in the order of the indicators (so that indicators
            sharing an id by mistake stay apart).
    """
    quarters: dict[Period, tuple[Period, ...]] = {}  # of each year, made once per check
    for index, indicator in enumerate(ruleset.indicators):
        at: Path = ("indicators", index)
        yield from _disagreeing_documents(ruleset, at, choices[index])
        yield from _quarters_and_year(at, indicator, choices[index], quarters)
    yield from _contributions(ruleset, choices)
    yield from _budgets(ruleset)


def _disagreeing_documents(
    ruleset: RuleSet, at: Path, choices: Mapping[Period, TargetChoice]
) -> Iterator[Finding]:
    for period, choice in choices.items():
        if not choice.alternatives:  # the usual case: one document gives the period a target
            continue
        binding = choice.chosen
        if binding.document not in ruleset.targets.precedence:
            continue  # undecided disagreements are errors (see checks)
        for other in choice.disagreeing:
            yield Finding(
                (*at, other.table, other.document, other.slot),
                f"{other.document} gives {other.value} for {period.label}, but "
                f"{binding.document} gives {binding.value}; the engine uses {binding.document} "
                "(first in [targets] precedence)",
                Severity.WARNING,
            )


def _quarters_and_year(
    at: Path,
    indicator: Indicator,
    choices: Mapping[Period, TargetChoice],
    quarters_of: dict[Period, tuple[Period, ...]],
) -> Iterator[Finding]:
    """Binding quarterly targets that contradict the binding annual target;
    ``quarters_of`` keeps the quarters of each year met so far."""
    method = indicator.targets_aggregate
    for period, choice in choices.items():
        annual = choice.chosen
        if period.granularity is not Granularity.YEAR or not isinstance(annual.value, Decimal):
            continue
        of_year = quarters_of.get(period)
        if of_year is None:
            of_year = quarters_of[period] = period.quarters()
        quarters = [found.chosen for found in map(choices.get, of_year) if found is not None]
        values = [q.value for q in quarters if isinstance(q.value, Decimal)]
        if not values or len(values) != len(quarters):
            continue
        last = quarters[-1]
        where = (*at, last.table, last.document, last.slot)
        complete = len(quarters) == 4
        if method is Aggregation.CUMULATIVE:
            total = exact_sum(values)
            if total > annual.value or (complete and total != annual.value):
                labels = _labels(quarters)
                yield Finding(
                    where,
                    f"quarterly targets of this cumulative indicator add up to {total} "
                    f"({labels}), {'more than' if total > annual.value else 'not'} the annual "
                    f"target {annual.value}",
                    Severity.WARNING,
                    hint="check whether the quarterly figures are targets to date rather than "
                    "per quarter",
                )
        elif method is Aggregation.LATEST and complete and values[-1] != annual.value:
            yield Finding(
                where,
                f"the target of the last quarter ({values[-1]}) is not the annual target "
                f"{annual.value}, though the indicator's latest value is its value for the year",
                Severity.WARNING,
            )
        elif method is Aggregation.AVERAGE and complete:
            average = divide(exact_sum(values), Decimal(4))
            if average != annual.value:
                labels = _labels(quarters)
                yield Finding(
                    where,
                    f"quarterly targets average {average} ({labels}), not the annual target "
                    f"{annual.value}",
                    Severity.WARNING,
                )


def _labels(quarters: Sequence[TargetEntry]) -> str:
    """The quarterly targets as a message lists them: ``2025-Q1 10 + 2025-Q2 12``."""
    return " + ".join(f"{q.period.label} {q.value}" for q in quarters)


def _contributions(
    ruleset: RuleSet, by_position: Sequence[Mapping[Period, TargetChoice]]
) -> Iterator[Finding]:
    """Targets of sub-units that should add up to the head's, and do not."""
    index = {indicator.id: n for n, indicator in enumerate(ruleset.indicators)}
    choices = {i.id: by_position[n] for n, i in enumerate(ruleset.indicators)}
    contributors: dict[str, list[Indicator]] = {}
    for indicator in ruleset.indicators:
        head = ruleset.indicator(indicator.contributes_to or "")
        valid = (
            head is not None
            and head.subunit is None
            and indicator.subunit is not None
            and same_unit(indicator.unit, head.unit)
        )
        if valid and indicator.contributes_to is not None:  # invalid links are errors
            contributors.setdefault(indicator.contributes_to, []).append(indicator)
    for head_id, parts in contributors.items():
        head = ruleset.indicator(head_id)
        if head is None or not METHODS[head.targets_aggregate].adds:
            continue  # reported by the reference checks; only counts add up
        for period, choice in choices[head_id].items():
            if period.granularity is not Granularity.YEAR:
                continue
            given = [choices[p.id].get(period) for p in parts]
            values = [c.chosen.value if c else None for c in given]
            if any(not isinstance(v, Decimal) for v in values):
                continue
            total = exact_sum(v for v in values if isinstance(v, Decimal))
            if total == choice.chosen.value or not isinstance(choice.chosen.value, Decimal):
                continue  # they add up, or the head's target is a range
            labels = " + ".join(f"{p.id} {v}" for p, v in zip(parts, values, strict=True))
            yield Finding(
                (
                    "indicators",
                    index[head_id],
                    choice.chosen.table,
                    choice.chosen.document,
                    choice.chosen.slot,
                ),
                f"the sub-units' targets for {period.label} add up to {total} ({labels}), but "
                f"{head_id}'s target is {choice.chosen.value}",
                Severity.WARNING,
            )


def _budgets(ruleset: RuleSet) -> Iterator[Finding]:
    """Sub-unit budgets of a year that do not add up to the budgets of the head's activities."""
    for year in ruleset.years:
        sub = [
            (n, s.id, s.budget)
            for n, s in enumerate(ruleset.subunits)
            if s.budget is not None and s.budget.year in (None, year)
        ]
        head = [a.budget for a in ruleset.activities if a.budget and a.budget.year in (None, year)]
        if not sub or not head:
            continue
        total = exact_sum(budget.ceiling for _, _, budget in sub)
        ceiling = exact_sum(budget.ceiling for budget in head)
        if total != ceiling:
            labels = " + ".join(f"{ident} {budget.ceiling}" for _, ident, budget in sub)
            when = f" for {year}" if len(ruleset.years) > 1 else ""
            yield Finding(
                ("subunits", sub[-1][0], "budget", "ceiling"),
                f"the sub-units' budgets{when} add up to {total} ({labels}), but the "
                f"activities' budgets add up to {ceiling}",
                Severity.WARNING,
            )
