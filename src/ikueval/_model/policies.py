"""Rule-set-wide settings: rounding (and an indicator's own), achievements,
roll-ups, which document's target binds, the medium-term target."""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from .._decimals import RoundingMode
from .choices import Basis, LowerIsBetter, MemberValues, MissingPolicy, RangeRule


@frozen
class Rounding:
    """How published figures are rounded: once, at the end."""

    mode: RoundingMode
    places: int


@frozen
class IndicatorRounding:
    """An indicator's own rounding: what it gives replaces the rule set's ``[rounding]``.

    Args:
        mode: the rounding mode; the rule set's when omitted.
        places: the decimal places; the rule set's when omitted.
    """

    mode: RoundingMode | None = None
    places: int | None = None

    def over(self, default: Rounding) -> Rounding:
        """The rounding that applies: this one's keys, the rule set's for the others."""
        return Rounding(
            self.mode if self.mode is not None else default.mode,
            self.places if self.places is not None else default.places,
        )


@frozen
class AchievementPolicy:
    """Rule-set-wide choices about achievements."""

    lower_is_better: LowerIsBetter | None = None
    cap: Decimal | None = None
    range: RangeRule | None = None


@frozen
class RollupPolicy:
    """How the mean achievements of groups of indicators are computed."""

    basis: Basis
    missing: MissingPolicy
    member_values: MemberValues = MemberValues.UNROUNDED


@frozen
class MediumTerm:
    """The medium-term (Renstra) target: the target of a year of the rule set.

    Args:
        year: the year whose target is the medium-term one (the plan's final year).
        document: the document that gives it; without one, the binding target of
            that year (``[targets] precedence``).
    """

    year: int
    document: str | None = None


@frozen
class TargetPolicy:
    """Which document wins when several give a target for the same period, and which
    year's target is the medium-term one."""

    precedence: tuple[str, ...] = ()
    medium_term: MediumTerm | None = None
