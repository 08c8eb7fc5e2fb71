"""Helpers for testing code that embeds ikueval: rule-set builders and hypothesis strategies.

ikueval's own tests use them; an application that evaluates indicators with
ikueval can use them to test its own code against the library: build a small
rule set in a line or two, or let hypothesis generate rule sets and events and
check that a property of your code holds for all of them.

This module needs hypothesis, which ikueval itself does not: install the
``test`` extra (``pip install 'ikueval[test]'``). Importing :mod:`ikueval`
never imports hypothesis; importing :mod:`ikueval.testing` without it raises
:class:`ImportError` saying so.

Rule-set builders:

- :data:`MINIMAL_RULES`, :func:`indicator_toml` and :func:`small_ruleset`
  write a rule file a section at a time and load it;
- :class:`RuleSpec` and :class:`IndicatorSpec` describe a rule set as values,
  :func:`rules_toml` writes it as TOML and :func:`generated` loads it
  (:class:`Generated`); :func:`dataset_of` adds event records
  (:class:`Dataset`).

Strategies (rule sets are written as TOML and loaded, so every generated rule
set went through the checks of a rule file):

- :func:`rule_sets`, :func:`rule_specs`, :func:`indicator_specs`,
  :func:`rule_texts`: small rule sets of one year with a few indicators
  (plain, with inputs and a formula, or categorical; cumulative, latest or
  average; higher or lower is better; with or without caps and roll-ups);
- :func:`datasets` and :func:`cases`: a rule set with a few event records per
  indicator input (by year, quarter, month or day, some broken down by
  dimensions, some ``"-"``), and a period to evaluate;
- :func:`periods`, :func:`evaluation_periods`, :func:`decimals`,
  :func:`positive_decimals`, :func:`event_values`, :func:`ambiguous_texts`,
  :func:`free_text`.

See ``docs/embedding.md`` ("Testing your code") for an example.
"""

try:
    import hypothesis  # noqa: F401
except ImportError as exc:
    raise ImportError(
        "ikueval.testing needs the hypothesis package, which is not installed "
        "(install it with: pip install 'ikueval[test]')",
        name=__name__,
    ) from exc

from ._data import Dataset, dataset_of, record_period
from ._rules import (
    AGGREGATIONS,
    BASES,
    DIMENSIONS,
    DIRECTIONS,
    DOCUMENT,
    FORMULAS,
    GRANULARITIES,
    LEVELS,
    LOWER_FORMULAS,
    MINIMAL_RULES,
    NOT_ADDING_UP,
    ROUNDING_MODES,
    SCALE,
    UNITS,
    YEARS,
    Generated,
    IndicatorSpec,
    RuleSpec,
    generated,
    indicator_toml,
    indonesian_text,
    rules_toml,
    small_ruleset,
    toml_string,
)
from ._strategies import (
    AMBIGUOUS_PATTERN,
    ambiguous_texts,
    cases,
    datasets,
    decimals,
    evaluation_periods,
    event_values,
    free_text,
    indicator_specs,
    periods,
    positive_decimals,
    rule_sets,
    rule_specs,
    rule_texts,
    target_slots,
)

__all__ = [
    "AGGREGATIONS",
    "AMBIGUOUS_PATTERN",
    "BASES",
    "DIMENSIONS",
    "DIRECTIONS",
    "DOCUMENT",
    "FORMULAS",
    "GRANULARITIES",
    "LEVELS",
    "LOWER_FORMULAS",
    "MINIMAL_RULES",
    "NOT_ADDING_UP",
    "ROUNDING_MODES",
    "SCALE",
    "UNITS",
    "YEARS",
    "Dataset",
    "Generated",
    "IndicatorSpec",
    "RuleSpec",
    "ambiguous_texts",
    "cases",
    "dataset_of",
    "datasets",
    "decimals",
    "evaluation_periods",
    "event_values",
    "free_text",
    "generated",
    "indicator_specs",
    "indicator_toml",
    "indonesian_text",
    "periods",
    "positive_decimals",
    "record_period",
    "rule_sets",
    "rule_specs",
    "rule_texts",
    "rules_toml",
    "small_ruleset",
    "target_slots",
    "toml_string",
]
