"""The choices a rule file makes by name: aggregation methods, directions,
lower-is-better formulas, caps, range rules, achievement bases, roll-up methods,
how missing members enter, document kinds."""

from __future__ import annotations

from enum import Enum


class Aggregation(Enum):
    """How values of several periods combine into one figure for a longer span."""

    CUMULATIVE = "cumulative"
    """Sum: persons served, documents signed, spending."""
    LATEST = "latest"
    """The most recent value in the span: scores, stocks, re-reported data."""
    AVERAGE = "average"
    """Mean of the values of the periods in the span."""


class Direction(Enum):
    """Whether a higher or a lower realisation is better."""

    HIGHER = "higher"
    LOWER = "lower"


class LowerIsBetter(Enum):
    """The achievement formula of lower-is-better indicators."""

    MIRRORED = "2t-r"
    """``(2 x target - realisation) / target x 100``: 200% at zero, 0% at twice the target."""
    INVERSE = "t/r"
    """``target / realisation x 100``: undefined at zero, 50% at twice the target."""


class NoCap(Enum):
    """An indicator's explicit "no cap", overriding the rule set's ``[achievement] cap``."""

    NONE = "none"


class RangeRule(Enum):
    """How a realisation is compared with a target range (a band such as 80..90)."""

    NEAREST_BOUND = "nearest-bound"
    """Inside the range 100%; above it, against the upper bound; below it, against the
    lower bound (PermenPAN-RB 8/2021, for individual performance)."""
    LOWER_BOUND = "lower-bound"
    """Always against the lower bound: the range read as "at least 80"."""
    UPPER_BOUND = "upper-bound"
    """Always against the upper bound: the range read as "up to 90"."""


class Basis(Enum):
    """What an achievement compares (see ``docs/concepts.md``)."""

    PERIOD = "period"
    """The period's realisation against the period's target."""
    PERIOD_VS_ANNUAL = "period_vs_annual"
    """The period's realisation against the annual target."""
    TO_DATE = "to_date"
    """The realisation from January to the end of the period against the annual target."""
    TO_DATE_VS_TARGET_TO_DATE = "to_date_vs_target_to_date"
    """The realisation to date against the targets of the same months."""


class RollupMethod(Enum):
    """How a roll-up combines its members' figures (see :data:`ikueval._rollup_methods.METHODS`)."""

    MEAN = "mean"
    """The arithmetic mean: the sum of the figures divided by their number."""
    WEIGHTED = "weighted"
    """The weighted mean: the sum of weight x figure divided by the sum of the weights."""
    GEOMETRIC = "geometric"
    """The geometric mean: the n-th root of the product of the n figures."""


class MemberFigure(Enum):
    """Which figure of an indicator a composite combines."""

    ACHIEVEMENT = "achievement"
    """Its achievement on the composite's basis."""
    REALISATION = "realisation"
    """Its realisation over the composite's span: the components of an index."""


class MissingPolicy(Enum):
    """How an indicator without a computed achievement enters a roll-up."""

    ZERO = "zero"
    """It counts as 0%."""
    EXCLUDE = "exclude"
    """It is left out of the mean."""


class MemberValues(Enum):
    """Which achievement of each member a roll-up averages."""

    UNROUNDED = "unrounded"
    ROUNDED = "rounded"


class DocumentKind(Enum):
    """The kind of a planning or reporting document."""

    RENSTRA = "renstra"
    """Five-year strategic plan."""
    RKT = "rkt"
    """Annual work plan."""
    PK = "pk"
    """Performance agreement (Perjanjian Kinerja)."""
    LKJ = "lkj"
    """Performance report (Laporan Kinerja)."""
    OTHER = "other"
