"""The computations of roll-up and budget figures, made by the engine.

A roll-up figure is compared with the engine's roll-up of the same group under
every policy (basis, indicators without a figure counted as 0 or left out,
rounded or unrounded members), and with the mean of an achievement column the
same table prints. A budget figure is compared with the engine's ceiling of the
report's year, its spending and absorption, and with the absorption of the
spending and ceiling printed in the same row.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from .._budgets import absorbed, ceiling_of
from .._decimals import plain
from .._model import Basis, MemberValues, MissingPolicy, RollupPolicy, RuleSet
from .._periods import Period
from .._publication import Row, Shows, Table
from .._results import Evaluation
from .._rollups import RollupGroup, average, members_of, rollup, rollup_groups
from .claims import Claim, Role
from .computation import Computation

E = TypeVar("E", bound=Enum)

#: The policy of a rule set without ``[rollups]``: what a report most often does.
DEFAULT_POLICY = RollupPolicy(Basis.TO_DATE, MissingPolicy.EXCLUDE, MemberValues.UNROUNDED)


def rollup_computations(
    ruleset: RuleSet, evaluation: Evaluation, claim: Claim, table: Table
) -> Iterator[Computation]:
    """The roll-up under the declared policy first, then under every other; the means of
    the table's printed achievement columns."""
    declared = ruleset.rollups or DEFAULT_POLICY
    basis = claim.basis or declared.basis
    group = _group(ruleset, claim.subject)
    members = members_of(group, {r.id: r for r in evaluation.indicators})
    ids = group.members
    label = f"{len(ids)} indicators ({ids[0]}..{ids[-1]})" if ids else "none"
    for b, m, v in itertools.product(
        _first(basis, Basis),
        _first(declared.missing, MissingPolicy),
        _first(declared.member_values, MemberValues),
    ):
        changes = tuple(
            words
            for words, differs in (
                (f"on basis {b.value}", b is not basis),
                (
                    "leaving out indicators without a figure"
                    if m is MissingPolicy.EXCLUDE
                    else "counting indicators without a figure as 0",
                    m is not declared.missing,
                ),
                (f"averaging {v.value} figures", v is not declared.member_values),
            )
            if differs
        )
        policy = RollupPolicy(b, m, v)
        computed = rollup(ruleset, policy, group.id, group.group, group.label, members)
        how = "those without one counted as 0" if m is MissingPolicy.ZERO else "with one"
        words = f"mean of the {v.value} {b.value} achievements of {label} ({how})"
        yield Computation(words, computed.unrounded, changes)
    for name, column in table.columns.items():
        if column.shows is not Shows.ACHIEVEMENT:
            continue
        printed = _printed_column(table, name, frozenset(ids))
        if not printed:
            continue
        heading = column.label or name
        for m in MissingPolicy:
            how = "'-' left out" if m is MissingPolicy.EXCLUDE else "'-' counted as 0"
            yield Computation(
                f"the mean of the figures this table prints in column {heading!r} ({how})",
                average(printed, m),
                (f"averaging the table's printed column {heading} ({how})",),
            )


def _first(chosen: E, choices: type[E]) -> list[E]:
    """Every member of an enum, the chosen one first."""
    return [chosen, *(c for c in choices if c is not chosen)]


def _group(ruleset: RuleSet, rollup_id: str) -> RollupGroup:
    (group,) = [g for g in rollup_groups(ruleset) if g.id == rollup_id]
    return group


def _printed_column(table: Table, name: str, members: frozenset[str]) -> list[Decimal | None]:
    """The main figures a column prints in the rows of the members (None for no figure)."""
    figures: list[Decimal | None] = []
    for row in table.rows:
        cell = row.cells.get(name)
        if row.indicator not in members or cell is None:
            continue
        value = cell.figures[0].value
        figures.append(value if isinstance(value, Decimal) else None)
    return figures


def budget_computations(
    ruleset: RuleSet, evaluation: Evaluation, claim: Claim, table: Table, row: Row
) -> Iterator[Computation]:
    """The engine's ceiling, spending or absorption; an absorption also from the
    spending and ceiling printed in the same row."""
    if claim.role is Role.CEILING:
        year = Period.parse(claim.period).year
        yield Computation(
            f"the budget ceiling of {claim.subject} in the rule set",
            ceiling_of(ruleset, claim.subject, year),
            rounds=False,
        )
        return
    try:
        budget = evaluation.budget(claim.subject)
    except KeyError:
        budget = None
    if claim.role is Role.SPENDING:
        spent = budget.spent if budget else None
        words = f"the spending of {claim.subject} to the end of {claim.period}"
        if spent is None:
            words += ": none recorded in the data"
        yield Computation(words, spent, rounds=False, trail=budget)
        return
    words = f"absorption of {claim.subject}: spent / ceiling x 100"
    yield Computation(words, budget.unrounded if budget else None, trail=budget)
    printed = _printed_budget(table, row)
    if printed is not None:
        spent, ceiling = printed
        yield Computation(
            f"the spending and ceiling printed in this row: {plain(spent)} / "
            f"{plain(ceiling)} x 100",
            absorbed(spent, ceiling),
            ("from the spending and ceiling printed in the same row",),
        )


def _printed_budget(table: Table, row: Row) -> tuple[Decimal, Decimal] | None:
    """The spending and the ceiling printed in a row, when both are (and the ceiling is not 0)."""
    found: dict[Shows, Decimal] = {}
    for name, column in table.columns.items():
        cell = row.cells.get(name)
        if cell is None or column.shows not in (Shows.CEILING, Shows.SPENDING):
            continue
        value = cell.figures[0].value
        if isinstance(value, Decimal):
            found[column.shows] = value
    if Shows.CEILING in found and Shows.SPENDING in found and found[Shows.CEILING] != 0:
        return found[Shows.SPENDING], found[Shows.CEILING]
    return None
