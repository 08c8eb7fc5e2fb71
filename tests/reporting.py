"""Shared inputs of the report tests: the bundled example's report and its JSON."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from typing import Any

import ikueval
from conftest import EVENTS, PUBLISHED, ROOT, RULES
from ikueval.reports import Report, render_json, report_of

_PATH = re.compile(r"(\w+)\[([^\]]*)\]\.(.+)")


@cache
def example(period: str = "2025-Q2", published: bool = True) -> Report:
    """The report of the bundled example, with the plan's warnings and the reconciliation."""
    # the rule file as a user names it, so that the warnings do not depend on the checkout
    inspected = ikueval.inspect_rules(
        RULES.read_text(encoding="utf-8"), source=RULES.relative_to(ROOT).as_posix()
    )
    ruleset = inspected.require()
    ledger = ikueval.build_ledger(ruleset, ikueval.read_events(ruleset, [EVENTS]))
    reconciliation = None
    if published:
        publication = ikueval.load_publication(PUBLISHED, ruleset)
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
