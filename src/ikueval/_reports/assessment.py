"""Whether an indicator met its target: the status a report shows per indicator."""

from __future__ import annotations

from enum import Enum


class Assessment(Enum):
    """Whether an indicator met its target."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_ASSESSABLE = "not_assessable"
    """No realisation or no target for the span yet, the achievement is not
    defined, or the data do not cover the span: never shown as met."""
