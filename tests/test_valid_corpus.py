"""Conformance corpus: small rule sets and events, and the figures they must give.

Each folder of ``tests/data/valid/evaluate/`` is one case:

* ``rules.toml``: the rule set; its comments say what the case shows and how
  each figure is worked out by hand;
* ``events*.csv`` / ``events*.json``: the events, if any;
* ``expected.json``: for each period evaluated (its keys), the essentials of
  the evaluation: per indicator, the realisation (``period``, ``to_date``),
  the target (``period``, ``to_date``, ``annual``) and the achievement on
  each basis; the value of each roll-up; the ceiling, the spending and the
  absorption of each budget. A figure is written as ``ikueval evaluate
  --format json`` writes it; a figure that was not computed is its status in
  parentheses: ``"(no_target)"``, ``"(target_zero)"``.

Only the figures and the statuses, not the trail: the trail is pinned by the
golden outputs (``test_golden_outputs.py``) and its replay by the properties,
so that a case stays short enough to check by hand and survives a change of
the trail's format. Cases are compared as data, so the layout of
``expected.json`` is free.

Adding a case is adding a folder. Write ``rules.toml`` and the events, and
work out the figures by hand in the rule file's comments. Then write
``expected.json`` by hand, or write only its periods (``{"2025-Q1": {},
"2025-Q2": {}}``), let the test fill them in, and check every figure against
your own before committing:

    IKUEVAL_REGENERATE_GOLDEN=1 python -m pytest -q tests/test_valid_corpus.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import REGENERATE
from ikueval import evaluate, evaluation_data, load_rules, read_events

CORPUS = Path(__file__).resolve().parent / "data" / "valid" / "evaluate"
CASES = sorted(path for path in CORPUS.iterdir() if path.is_dir())


def shown(item: dict[str, Any]) -> Any:
    """A figure of the JSON document: its value when computed, else ``(status)``."""
    return item["value"] if item["status"] == "computed" else f"({item['status']})"


def essentials(data: dict[str, Any]) -> dict[str, Any]:
    """The figures and statuses of an evaluation's JSON document."""
    found: dict[str, Any] = {
        "indicators": {
            item["id"]: {
                "realisation": {span: shown(r) for span, r in item["realisations"].items()},
                "target": {span: shown(t) for span, t in item["targets"].items()},
                "achievement": {
                    basis: shown({"value": value, "status": item["status"][basis]})
                    for basis, value in item["achievement"].items()
                },
            }
            for item in data["indicators"]
        }
    }
    if data["rollups"]:
        found["rollups"] = {rollup["id"]: shown(rollup) for rollup in data["rollups"]}
    if data["budgets"]:
        found["budgets"] = {
            budget["id"]: {
                "ceiling": budget["ceiling"],
                "spent": budget["spent"],
                "absorption": shown(budget),
            }
            for budget in data["budgets"]
        }
    return found


def dumps(value: Any, indent: str = "") -> str:
    """JSON with each innermost object on one line, so that a case reads as a table."""
    if not isinstance(value, dict) or not any(isinstance(v, dict) for v in value.values()):
        return json.dumps(value, ensure_ascii=False)
    inner = indent + "  "
    items = [f"{inner}{json.dumps(k)}: {dumps(v, inner)}" for k, v in value.items()]
    return "{\n" + ",\n".join(items) + f"\n{indent}}}"


@pytest.mark.parametrize("case", CASES, ids=[path.name for path in CASES])
def test_valid_case(case: Path) -> None:
    rules = load_rules(case / "rules.toml")
    events = list(read_events(rules, sorted(case.glob("events*"))))
    expected = case / "expected.json"
    periods = json.loads(expected.read_text(encoding="utf-8"))
    got = {
        period: essentials(evaluation_data(evaluate(rules, events, period))) for period in periods
    }
    if os.environ.get(REGENERATE):
        expected.write_text(dumps(got) + "\n", encoding="utf-8")
    assert got == periods


def test_the_corpus_is_complete() -> None:
    assert len(CASES) >= 8
    incomplete = [
        case.name
        for case in CASES
        if not (case / "rules.toml").exists() or not (case / "expected.json").exists()
    ]
    assert incomplete == []
