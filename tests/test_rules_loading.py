"""Reading rule sets: every problem located by file, line and key."""

from __future__ import annotations

import pytest

from conftest import RULES as BUNDLED
from conftest import rule_problems as messages
from ikueval import RuleSetError, dumps_rules, inspect_rules, load_rules, loads_rules
from ikueval._errors import Severity
from ikueval.testing import MINIMAL_RULES

GOOD = (
    MINIMAL_RULES
    + """
[[indicators]]
id = "A"
name = "First"
unit = "Orang"
aggregation = "cumulative"
direction = "higher"
targets.pk = { annual = 10 }

[[indicators]]
id = "B"
name = "Second"
unit = "%"
aggregation = "latest"
direction = "higher"
formula = "x / y * 100"
inputs.x = { aggregation = "cumulative" }
inputs.y = { aggregation = "cumulative" }
targets.pk = { annual = 90, Q2 = 90 }
"""
)


def test_a_good_rule_set_loads() -> None:
    ruleset = loads_rules(GOOD)
    assert [i.id for i in ruleset.indicators] == ["A", "B"]
    assert messages(GOOD) == []


def test_the_bundled_rule_set_round_trips_through_toml() -> None:
    ruleset = load_rules(BUNDLED)
    assert loads_rules(dumps_rules(ruleset)) == ruleset


def test_all_structural_problems_in_one_run() -> None:
    text = (
        GOOD.replace('unit = "Orang"', "unit = 3")
        .replace('aggregation = "latest"', 'aggregation = "lates"')
        .replace('name = "Second"', 'name = "Second"\ncolour = "red"')
        .replace("places = 2", 'places = "2"')
    )
    assert messages(text) == [
        "r.toml:12: rounding.places: expected a whole number, found text '2'",
        "r.toml:17: indicators[A].unit: expected text in quotes, found the number 3",
        "r.toml:25: indicators[B].colour: unknown key 'colour'; expected one of id, name, unit, "
        "aggregation, direction, targets, objective, activity, description, note, formula, "
        "inputs, parameters, target_aggregation, cap, scale, dimensions, bases, subunit, "
        "contributes_to, lower_is_better, rounding, category_scale, range, iku, target_inputs",
        "r.toml:27: indicators[B].aggregation: expected one of 'cumulative', 'latest', "
        "'average', found text 'lates' (did you mean 'latest'?)",
    ]


def test_missing_keys_are_named() -> None:
    text = GOOD.replace('office = "Office"\n', "")
    assert messages(text) == ["r.toml:1: ruleset.office: required key is missing"]


def test_semantic_problems_are_located() -> None:
    text = GOOD.replace('formula = "x / y * 100"', 'formula = "x / z * 100"').replace(
        "targets.pk = { annual = 10 }", "targets.pk = { annual = 10, Q5 = 3 }\ncap = 90"
    )
    assert messages(text) == [
        "r.toml:20: indicators[A].targets.pk.Q5: expected a target slot (annual, Q1..Q4 or "
        "M01..M12 (for a rule set of one year), or a period such as 2025, 2025-Q2, 2025-04), "
        "found 'Q5'",
        "r.toml:21: indicators[A].cap: a cap of 90% is below 100%: the indicator could never "
        "be fully achieved",
        "r.toml:29: indicators[B].formula: the formula uses 'z', which is neither an input nor "
        "a parameter",
        "r.toml:31: indicators[B].inputs.y: warning: 'y' is declared but the formula does not "
        "use it",
    ]


def test_formula_refusals_are_located() -> None:
    text = GOOD.replace('formula = "x / y * 100"', 'formula = "x.__class__"')
    assert messages(text) == [
        "r.toml:28: indicators[B].formula: attribute access (x.y) is not allowed (column 1 of "
        "'x.__class__')"
    ]


def test_invalid_toml_names_the_line() -> None:
    assert messages(GOOD.replace("places = 2", "places = ")) == [
        "r.toml:12: not valid TOML: a value is missing or malformed (text needs quotes) at "
        "column 10"
    ]


def test_duplicate_ids_and_unknown_references() -> None:
    text = GOOD.replace('id = "B"', 'id = "A"').replace(
        'direction = "higher"\ntargets.pk = { annual = 10 }',
        'direction = "higher"\nobjective = "SS-9"\ntargets.renstra = { annual = 10 }',
    )
    assert messages(text) == [
        "r.toml:20: indicators[A].objective: unknown objective 'SS-9': declare it in "
        "[[objectives]]",
        "r.toml:21: indicators[A].targets.renstra: unknown document 'renstra': declare it in "
        "[[documents]]",
        "r.toml:24: indicators[A].id: duplicate id 'A' (first used by entry 1 of [[indicators]])",
    ]


def test_load_rules_raises_with_every_error() -> None:
    with pytest.raises(RuleSetError) as caught:
        loads_rules(GOOD.replace('unit = "Orang"', "unit = 3"), source="r.toml")
    assert str(caught.value).endswith("1 error in the rule set")


def test_missing_file() -> None:
    with pytest.raises(RuleSetError, match=r"nope\.toml: no such rule file"):
        load_rules("nope.toml")


def test_bundled_rule_set_warns_about_its_own_inconsistency() -> None:
    report = inspect_rules(BUNDLED.read_text(encoding="utf-8"), source="bundled")
    assert report.errors == ()
    (warning,) = report.warnings
    assert warning.severity is Severity.WARNING
    assert warning.location.key == "indicators[IKU-05].targets.lkj-2025-q2.Q2"


def test_a_huge_key_or_value_is_named_not_repeated() -> None:
    """An error names a megabyte key or a long text by its start, length and end."""
    key = "k" * 1_000_000
    text = GOOD.replace('name = "First"', f'name = "First"\n"{key}" = 1\nnote = {"9" * 4000}')
    report = inspect_rules(text)
    shown = "\n".join(str(p) for p in report.problems)
    assert report.problems
    assert len(shown) < 2_000, shown[:300]
    assert "(1000000 characters)" in shown
