"""Consistency of the plan: documents, quarters against years, sub-units against the head."""

from __future__ import annotations

import pytest

from conftest import ROOT
from conftest import rule_problems as messages
from ikueval import EventConflictError, RuleSet, evaluate, inspect_rules, load_rules
from ikueval.testing import MINIMAL_RULES, indicator_toml

SEMARANG = ROOT / "rules" / "upt-bp2mi-semarang-2020-2024.toml"


def test_the_semarang_plan_is_checked() -> None:
    text = SEMARANG.read_text(encoding="utf-8")
    report = inspect_rules(text, source="semarang.toml")
    assert report.errors == ()
    assert [str(p) for p in report.warnings] == [
        "semarang.toml:112: indicators[IKU-01].targets.pk-2021.2021: warning: the sub-units' "
        "targets for 2021 add up to 23250 (PP-01 1250 + PP-02 22000), but IKU-01's target is "
        "27250",
        "semarang.toml:135: indicators[IKU-03].targets.rkt-2020-2024.2021: warning: "
        "rkt-2020-2024 gives 35 for 2021, but pk-2021 gives 100; the engine uses pk-2021 (first "
        "in [targets] precedence)",
        "semarang.toml:158: indicators[IKU-05].targets.pk-2021.2021: warning: the sub-units' "
        "targets for 2021 add up to 320 (PB-02 320), but IKU-05's target is 300",
    ]


def test_the_engine_uses_the_binding_document() -> None:
    ruleset = load_rules(SEMARANG)
    result = evaluate(ruleset, [], "2021").indicator("IKU-03")
    target = result.targets["annual"]
    assert target.value == 100
    assert target.aggregate is not None
    assert target.aggregate.notes == ("2021: rkt-2020-2024 gives 35, pk-2021 (used) gives 100",)
    assert evaluate(ruleset, [], "2022").indicator("IKU-03").targets["annual"].value == 35


def test_budgets_of_sub_units_must_add_up() -> None:
    text = SEMARANG.read_text(encoding="utf-8").replace("8_468_917_000", "8_468_000_000")
    assert (
        "r.toml:99: subunits[perlindungan].budget.ceiling: warning: the sub-units' budgets for "
        "2021 add up to 12184680000 (kelembagaan 501160000 + tata-usaha 8468000000 + penyiapan "
        "2009630000 + perlindungan 1205890000), but the activities' budgets add up to "
        "12185597000"
    ) in messages(text)


HEAD = (
    "\n"
    + MINIMAL_RULES
    + """
[[subunits]]
id = "sub"
name = "A sub-unit"
"""
)


def indicator(
    ident: str, aggregation: str, targets: dict[str, int], extra: str = "", unit: str = "Orang"
) -> str:
    return indicator_toml(ident, aggregation=aggregation, targets=targets, unit=unit, extra=extra)


def test_budgets_of_a_multi_year_rule_set_need_their_year() -> None:
    text = SEMARANG.read_text(encoding="utf-8").replace(
        'document = "pk-2021-tata-usaha", year = 2021', 'document = "pk-2021-tata-usaha"'
    )
    assert messages(text)[0] == (
        "r.toml:89: subunits[tata-usaha].budget: a rule set of several years needs the year of "
        "each budget (add year = ... to the budget)"
    )


def test_absorption_is_for_the_budget_s_year() -> None:
    ruleset = load_rules(SEMARANG)
    spending = [{"activity": "fasilitasi", "date": "2021-12-31", "value": "6092798500"}]
    assert evaluate(ruleset, spending, "2021").budget("fasilitasi").value == 50
    assert evaluate(ruleset, [], "2022").budgets == ()


def test_quarters_against_the_year() -> None:
    text = (
        HEAD
        + indicator("C", "cumulative", {"annual": 100, "Q1": 20, "Q2": 20, "Q3": 20, "Q4": 20})
        + indicator(
            "L", "latest", {"annual": 75, "Q1": 70, "Q2": 70, "Q3": 70, "Q4": 70}, "", "Nilai"
        )
        + indicator("A", "average", {"annual": 90, "Q1": 80, "Q2": 80, "Q3": 80, "Q4": 80}, "", "%")
    )
    assert messages(text) == [
        "r.toml:25: indicators[C].targets.pk.Q4: warning: quarterly targets of this cumulative "
        "indicator add up to 80 (2025-Q1 20 + 2025-Q2 20 + 2025-Q3 20 + 2025-Q4 20), not the "
        "annual target 100 (check whether the quarterly figures are targets to date rather "
        "than per quarter)",
        "r.toml:34: indicators[L].targets.pk.Q4: warning: the target of the last quarter (70) "
        "is not the annual target 75, though the indicator's latest value is its value for the "
        "year",
        "r.toml:43: indicators[A].targets.pk.Q4: warning: quarterly targets average 80 "
        "(2025-Q1 80 + 2025-Q2 80 + 2025-Q3 80 + 2025-Q4 80), not the annual target 90",
    ]


def test_contributions_are_checked() -> None:
    text = (
        HEAD
        + indicator("H", "cumulative", {"annual": 10})
        + indicator("S", "cumulative", {"annual": 4}, 'subunit = "sub"\ncontributes_to = "X"')
        + indicator("T", "cumulative", {"annual": 4}, 'contributes_to = "H"')
        + indicator(
            "U", "cumulative", {"annual": 6}, 'subunit = "sud"\ncontributes_to = "H"', "Paket"
        )
    )
    assert messages(text) == [
        "r.toml:36: indicators[S].contributes_to: unknown indicator 'X'",
        "r.toml:45: indicators[T].contributes_to: only an indicator of a sub-unit contributes "
        "to the head's",
        "r.toml:54: indicators[U].subunit: unknown sub-unit 'sud': declare it in [[subunits]] "
        "(did you mean 'sub'?)",
        "r.toml:55: indicators[U].contributes_to: U is in 'Paket' and H in 'Orang': targets in "
        "different units cannot add up",
    ]


def test_rollups_cover_the_head_only() -> None:
    text = (
        HEAD
        + '[rollups]\nbasis = "to_date"\nmissing = "exclude"\n'
        + indicator("H", "cumulative", {"annual": 10})
        + indicator("S", "cumulative", {"annual": 4}, 'subunit = "sub"\ncontributes_to = "H"')
    )
    ruleset = inspect_rules(text).require()
    events = [
        {"indicator": "H", "period": "2025-Q1", "value": "5"},
        {"indicator": "S", "period": "2025-Q1", "value": "4"},
    ]
    evaluation = evaluate(ruleset, events, "2025-Q1")
    assert [m.indicator for m in evaluation.rollup("all").members] == ["H"]
    assert evaluation.indicator("S").achievement("to_date").value == 100
    assert evaluation.indicator("S").subunit == "sub"


def test_two_balances_of_one_date_are_refused(bundled_rules: RuleSet) -> None:
    ruleset = bundled_rules
    spending = [
        {"activity": "dukungan", "date": "2025-06-30", "value": "5", "ref": "a"},
        {"activity": "dukungan", "date": "2025-06-30", "value": "7", "ref": "b"},
    ]
    with pytest.raises(EventConflictError) as caught:
        evaluate(ruleset, spending, "2025-Q2")
    assert str(caught.value.problems[0]) == (
        "the spending of dukungan has 2 balances for 2025-06-30 (a, b); a balance cannot be "
        "added up: keep one"
    )
