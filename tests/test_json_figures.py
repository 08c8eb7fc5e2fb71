"""The figures the JSON document writes by hand are the converter's, key for key.

``_reports/json_figures.py`` unstructures an indicator's realisations, targets,
achievements and comparisons without cattrs' generic walk; here every indicator of
the conformance corpus (categories, target ranges, computed targets, scored and
capped achievements, comparisons) and of the bundled example, with both trails, is
written both ways and compared with its key order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ikueval import Evaluation, Ledger, RuleSet, Trail, evaluate, load_rules, read_events
from ikueval._converters import document_converter
from ikueval._reports.json_figures import FigureData

CORPUS = Path(__file__).resolve().parent / "data" / "valid" / "evaluate"
CASES = sorted(path for path in CORPUS.iterdir() if path.is_dir())


def ordered(value: Any) -> str:
    """Data as JSON text, keys in their order: equal only if the order is the same."""
    return json.dumps(value, ensure_ascii=False)


def assert_same_figures(evaluation: Evaluation) -> None:
    converter = document_converter()
    figures = FigureData(converter)
    for result in evaluation.indicators:
        assert ordered(figures.indicator(result)) == ordered(converter.unstructure(result))
        for achievement in result.achievements:
            assert ordered(figures.achievement(achievement)) == ordered(
                converter.unstructure(achievement)
            )
        assert ordered(figures.comparisons(result.comparisons)) == ordered(
            converter.unstructure(result.comparisons)
        )
        for realisation in result.realisations.values():
            assert ordered(figures.realisation(realisation)) == ordered(
                converter.unstructure(realisation)
            )
        for target in result.targets.values():
            assert ordered(figures.target(target)) == ordered(converter.unstructure(target))


@pytest.mark.parametrize("trail", list(Trail))
@pytest.mark.parametrize("case", CASES, ids=[path.name for path in CASES])
def test_corpus_figures_written_as_the_converter_would(case: Path, trail: Trail) -> None:
    rules = load_rules(case / "rules.toml")
    events = list(read_events(rules, sorted(case.glob("events*"))))
    periods = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    for period in periods:
        assert_same_figures(evaluate(rules, events, period, trail=trail))


@pytest.mark.parametrize("trail", list(Trail))
def test_bundled_figures_written_as_the_converter_would(
    bundled_rules: RuleSet, bundled_ledger: Ledger, trail: Trail
) -> None:
    for period in ("2025-Q1", "2025-Q2", "2025-04", "2025"):
        assert_same_figures(evaluate(bundled_rules, bundled_ledger, period, trail=trail))
