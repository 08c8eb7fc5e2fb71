"""Shared inputs of the report tests: the bundled example's report and its JSON."""

from __future__ import annotations

import contextlib
import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import ikueval
from ikueval._loading import inspect_rule_file
from ikueval._reports import Report, render_json, report_of

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "bp3mi-jateng-2025.toml"
EVENTS = ROOT / "examples" / "bp3mi-jateng-2025"
PUBLISHED = EVENTS / "published-2025-Q2.toml"
_PATH = re.compile(r"(\w+)\[([^\]]*)\]\.(.+)")


@cache
def example(period: str = "2025-Q2", published: bool = True) -> Report:
    """The report of the bundled example, with the plan's warnings and the reconciliation.

    Files are named relative to the repository, as on the command line, so that the
    sources in the report do not depend on where the repository is checked out.
    """
    with contextlib.chdir(ROOT):
        inspected = inspect_rule_file(RULES.relative_to(ROOT))
        ruleset = inspected.require()
        events = ikueval.read_events(ruleset, [EVENTS.relative_to(ROOT)])
        ledger = ikueval.build_ledger(ruleset, events)
        reconciliation = None
        if published:
            publication = ikueval.load_publication(PUBLISHED.relative_to(ROOT), ruleset)
            reconciliation = ikueval.reconcile(ruleset, ledger, publication)
    return report_of(
        ruleset, ledger, period, warnings=inspected.warnings, reconciliation=reconciliation
    )


@cache
def evaluation_json(period: str) -> dict[str, Any]:
    """What ``ikueval evaluate --format json`` prints for a period of the example."""
    ruleset = ikueval.load_rules(RULES)
    evaluation = ikueval.evaluate(ruleset, ikueval.read_events(ruleset, [EVENTS]), period)
    data: dict[str, Any] = json.loads(render_json(evaluation))
    return data


def json_figure(period: str, path: str) -> Any:
    """The figure at a report cell's path (``indicators[IKU-06].achievement.to_date``) in
    the JSON of its period: a string, or None."""
    match = _PATH.fullmatch(path)
    assert match, path
    collection, ident, rest = match.groups()
    items = [item for item in evaluation_json(period)[collection] if item["id"] == ident]
    assert len(items) == 1, path
    value: Any = items[0]
    for key in rest.split("."):
        value = value[key]
    return value


def as_decimal(value: Any) -> Decimal | str | None:
    """A JSON figure as the report holds it: a decimal, a category, or None."""
    if value is None:
        return None
    try:
        return Decimal(value)
    except ArithmeticError:
        return str(value)
