"""The rule-set model: what a TOML rule file declares, as immutable values.

The classes mirror the file format key for key (see ``docs/rules.md``), so a
rule set can be written back to TOML and read again unchanged. Everything is
frozen; mappings are read-only views. The modules: :mod:`.choices` (what a
rule file chooses by name), :mod:`.values` (targets, categories and scales),
:mod:`.policies` (rule-set-wide settings), :mod:`.indicators` and
:mod:`.rulesets`, over :mod:`.frozen_maps` (read-only mappings).
"""

from .choices import (
    Aggregation,
    Basis,
    Direction,
    DocumentKind,
    LowerIsBetter,
    MemberFigure,
    MemberValues,
    MissingPolicy,
    NoCap,
    RangeRule,
    RollupMethod,
)
from .frozen_maps import FrozenMap, frozen_mapping
from .indicators import IMPLICIT_INPUT, Indicator, Input
from .policies import (
    AchievementPolicy,
    IndicatorRounding,
    MediumTerm,
    RollupPolicy,
    Rounding,
    TargetPolicy,
)
from .rulesets import (
    Activity,
    Budget,
    Composite,
    CompositeMember,
    Dimension,
    Document,
    Meta,
    Objective,
    RuleSet,
    Subunit,
)
from .values import Level, Scale, TargetFigure, TargetRange, TargetValue

__all__ = [
    "IMPLICIT_INPUT",
    "AchievementPolicy",
    "Activity",
    "Aggregation",
    "Basis",
    "Budget",
    "Composite",
    "CompositeMember",
    "Dimension",
    "Direction",
    "Document",
    "DocumentKind",
    "FrozenMap",
    "Indicator",
    "IndicatorRounding",
    "Input",
    "Level",
    "LowerIsBetter",
    "MediumTerm",
    "MemberFigure",
    "MemberValues",
    "Meta",
    "MissingPolicy",
    "NoCap",
    "Objective",
    "RangeRule",
    "RollupMethod",
    "RollupPolicy",
    "Rounding",
    "RuleSet",
    "Scale",
    "Subunit",
    "TargetFigure",
    "TargetPolicy",
    "TargetRange",
    "TargetValue",
    "frozen_mapping",
]
