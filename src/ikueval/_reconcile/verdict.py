"""The verdicts reconciliation gives a printed figure."""

from __future__ import annotations

from enum import Enum


class Verdict(Enum):
    """What ikueval concludes about one printed figure."""

    MATCH = "match"
    OTHER_COMPUTATION = "other_computation"
    CONTRADICTION = "contradiction"
    NOT_REPRODUCED = "not_reproduced"
