"""A computation a printed figure is compared with, and the engine figure behind it."""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from .._results import Achievement, Aggregate, BudgetResult, CompositeResult, Realisation, Target

Trail = Achievement | Realisation | Target | Aggregate | BudgetResult | CompositeResult
"""An engine figure behind a computation, with its whole audit trail."""


@frozen
class Computation:
    """A computation a printed figure is compared with, before rounding.

    Args:
        description: what is computed, with the formula and values.
        value: the unrounded value (a category, or None for "no figure").
        changes: how it differs from what the figure claims (none for the claim).
        rounds: whether the value is rounded like a published figure (else it
            is compared as it is).
        counts: whether it is a count or amount: shown as it is, rounded only
            past the rule set's places.
        trail: the engine's figure it comes from, when there is one.
    """

    description: str
    value: Decimal | str | None
    changes: tuple[str, ...] = ()
    rounds: bool = True
    counts: bool = False
    trail: Trail | None = None
