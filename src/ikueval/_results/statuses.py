"""Whether a figure could be computed, and how much trail an evaluation keeps behind it."""

from __future__ import annotations

from enum import Enum


class Status(Enum):
    """Whether a figure could be computed, and if not, why."""

    COMPUTED = "computed"
    NO_REALISATION = "no_realisation"
    """Nothing was realised (reported) in the span yet; not the same as zero."""
    NO_TARGET = "no_target"
    """The rule set declares no target for the span."""
    TARGET_ZERO = "target_zero"
    """The target is zero: a percentage of it is not defined."""
    NOT_APPLICABLE = "not_applicable"
    """The basis does not apply to the indicator (see its ``bases``)."""
    UNDEFINED = "undefined"
    """The arithmetic has no value here (division by zero in a formula...)."""


class Trail(Enum):
    """How much of the trail an evaluation keeps behind each figure (``docs/audit.md``)."""

    FULL = "full"
    """A part per cell: per period and set of dimension values, with its sources."""
    COMPACT = "compact"
    """A part per month (or per declared period longer than a month), the dimension
    values merged, sources bounded: as many parts as the span has periods, whatever
    the number of events or cells. Replays exactly, as the full trail does."""
