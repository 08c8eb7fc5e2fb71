"""An indicator's own lower-is-better formula, cap (or "no cap") and rounding.

Figures are computed by hand in the comments. Every one is replayed from its
trail, survives the JSON round trip, and is known to reconciliation.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ikueval import (
    Evaluation,
    RuleSetError,
    build_ledger,
    evaluate,
    events_from_records,
    loads_rules,
    render_explain,
    render_json,
    render_table,
    replay,
)
from ikueval._audit import replay_rollup
from ikueval._loading.published import loads_publication
from ikueval._model import LowerIsBetter, NoCap
from ikueval._reconcile import Verdict, reconcile
from ikueval._reports.json import evaluation_from_data
from ikueval.testing import MINIMAL_RULES as MINIMAL

RULES = (
    MINIMAL
    + """
[achievement]
lower_is_better = "2t-r"
cap = 120

[rollups]
basis = "period"
missing = "exclude"
member_values = "rounded"

[[indicators]]
id = "MIRRORED"
name = "Cases, the rule set's formula"
unit = "Kasus"
aggregation = "cumulative"
direction = "lower"
targets.pk = { annual = 10 }

[[indicators]]
id = "INVERSE"
name = "Cases, the indicator's own formula"
unit = "Kasus"
aggregation = "cumulative"
direction = "lower"
lower_is_better = "t/r"
targets.pk = { annual = 10 }

[[indicators]]
id = "UNCAPPED"
name = "Placements without a cap"
unit = "Orang"
aggregation = "cumulative"
direction = "higher"
cap = "none"
rounding = { places = 0 }
targets.pk = { annual = 30 }

[[indicators]]
id = "CAPPED"
name = "Placements capped at 110"
unit = "Orang"
aggregation = "cumulative"
direction = "higher"
cap = 110
rounding = { mode = "down", places = 1 }
targets.pk = { annual = 30 }
"""
)

RECORDS = [
    {"indicator": "MIRRORED", "period": "2025", "value": "4"},
    {"indicator": "INVERSE", "period": "2025", "value": "4"},
    {"indicator": "UNCAPPED", "period": "2025", "value": "41"},
    {"indicator": "CAPPED", "period": "2025", "value": "31"},
]


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(loads_rules(RULES), RECORDS, "2025")


def test_one_rule_set_mixes_both_lower_is_better_formulas(evaluation: Evaluation) -> None:
    mirrored = evaluation.indicator("MIRRORED").achievement("period")
    assert mirrored.raw == 160  # (2 x 10 - 4) / 10 x 100
    assert mirrored.value == Decimal("120.00")  # the rule set's cap
    assert mirrored.lower_is_better is LowerIsBetter.MIRRORED
    assert mirrored.indicator_settings == ()
    inverse = evaluation.indicator("INVERSE").achievement("period")
    assert inverse.raw == 250  # 10 / 4 x 100
    assert inverse.lower_is_better is LowerIsBetter.INVERSE
    assert inverse.method == "target / realisation x 100"
    assert inverse.indicator_settings == ("lower_is_better",)


def test_no_cap_and_the_indicators_own_cap(evaluation: Evaluation) -> None:
    uncapped = evaluation.indicator("UNCAPPED").achievement("period")
    assert uncapped.raw == Decimal("136.6666666666666666666666666666666666667")  # 41 / 30
    assert uncapped.cap is None  # not the rule set's 120
    assert uncapped.value == Decimal("137")  # its own rounding: half-up to 0 places
    assert uncapped.indicator_settings == ("cap", "rounding")
    capped = evaluation.indicator("CAPPED").achievement("period")
    assert capped.raw == Decimal("103.3333333333333333333333333333333333333")  # 31 / 30
    assert capped.cap == 110
    assert capped.value == Decimal("103.3")  # truncated to 1 place


def test_every_figure_replays_and_survives_json(evaluation: Evaluation) -> None:
    document = render_json(evaluation)
    again = evaluation_from_data(json.loads(document))
    assert again == evaluation
    for result in again.indicators:
        for achievement in result.achievements:
            assert replay(achievement) == achievement.value
    for rollup in again.rollups:
        assert replay_rollup(rollup) == rollup.value
    data = json.loads(document)
    uncapped = data["indicators"][2]
    assert uncapped["rounding"] == {"mode": "half-up", "places": 0}
    assert uncapped["bases"]["period"]["indicator_settings"] == ["cap", "rounding"]
    assert "rounding" not in data["indicators"][0]  # left out when the rule set's
    assert "indicator_settings" not in data["indicators"][0]["bases"]["period"]


def test_a_roll_up_of_rounded_members_averages_each_as_its_indicator_rounds(
    evaluation: Evaluation,
) -> None:
    members = {m.indicator: m.value for m in evaluation.rollup("all").members}
    assert members == {
        "MIRRORED": Decimal("120.00"),
        "INVERSE": Decimal("120.00"),
        "UNCAPPED": Decimal("137"),
        "CAPPED": Decimal("103.3"),
    }
    # (120 + 120 + 137 + 103.3) / 4 = 120.075, rounded as the rule set rounds
    assert evaluation.rollup("all").value == Decimal("120.08")


def test_outputs_show_each_indicators_rounding_and_where_settings_come_from(
    evaluation: Evaluation,
) -> None:
    rules = loads_rules(RULES)
    table = render_table(evaluation)
    assert "UNCAPPED  Orang      30       30    30           41       41            137" in table
    explained = render_explain(evaluation, rules, ["INVERSE", "UNCAPPED"])
    assert "achievement = target / realisation x 100 (the indicator's own)" in explained
    assert 'no cap (the indicator declares cap = "none")' in explained
    assert "rounded half-up to 0 places (the indicator's own): 137" in explained
    assert "achievements rounded half-up to 0 places" in explained


def published(rows: str) -> str:
    return f"""
[publication]
document = "pk"
period = "2025"
number_format = "international"

[[tables]]
id = "t1"
title = "Table 1"
columns.achievement = {{ shows = "achievement", basis = "period" }}
rows = [
{rows}
]
"""


def test_reconcile_claims_the_indicators_own_formula_and_names_the_other() -> None:
    rules = loads_rules(RULES)
    ledger = build_ledger(rules, events_from_records(rules, RECORDS))
    text = published(
        '{ indicator = "INVERSE", achievement = "120%" },\n'
        '{ indicator = "UNCAPPED", achievement = "137%" },\n'
        '{ indicator = "CAPPED", achievement = "103.3%" },'
    )
    inverse, uncapped, capped = reconcile(rules, ledger, loads_publication(text, rules)).figures
    # the indicator's own t/r gives 250, capped at 120: 120.00 is the claimed computation
    assert inverse.verdict is Verdict.MATCH
    assert inverse.computed.description == "period achievement 10 / 4 x 100"
    assert uncapped.verdict is Verdict.MATCH  # half-up to 0 places, as the indicator rounds
    assert capped.verdict is Verdict.MATCH  # down to 1 place


def test_reconcile_names_the_other_formula_than_the_indicators_own() -> None:
    rules = loads_rules(RULES.replace("cap = 120\n", ""))
    ledger = build_ledger(rules, events_from_records(rules, RECORDS))
    # 160% is (2 x 10 - 4) / 10: the rule set's formula, not the indicator's own t/r
    text = published('{ indicator = "INVERSE", achievement = "160%" },')
    (item,) = reconcile(rules, ledger, loads_publication(text, rules)).figures
    assert item.verdict is Verdict.OTHER_COMPUTATION
    assert item.computed.shown == "250.00"
    (explanation,) = item.explanations
    assert explanation.changes == ("with the lower-is-better formula 2t-r",)


@pytest.mark.parametrize(
    ("replaced", "written", "message"),
    [
        (
            'cap = "none"',
            'cap = "nnone"',
            "r.toml:46: indicators[UNCAPPED].cap: expected a number, or 'none' for no cap, "
            "found text 'nnone' (did you mean 'none'?)",
        ),
        (
            'cap = "none"',
            "cap = false",
            "r.toml:46: indicators[UNCAPPED].cap: expected a number, or 'none' for no cap, "
            "found the boolean false",
        ),
        (
            'cap = "none"',
            'cap = "none"\nlower_is_better = "t/r"',
            "r.toml:47: indicators[UNCAPPED].lower_is_better: UNCAPPED is higher-is-better: a "
            "lower-is-better formula would never be used "
            '(remove lower_is_better, or declare direction = "lower")',
        ),
        (
            "rounding = { places = 0 }",
            "rounding = { places = 12 }",
            "r.toml:47: indicators[UNCAPPED].rounding.places: places must be 0..10, found 12",
        ),
        (
            "rounding = { places = 0 }",
            "rounding = {}",
            "r.toml:47: indicators[UNCAPPED].rounding: an indicator's rounding gives places, "
            "mode or both (e.g. rounding = { places = 0 }; leave it out to use [rounding])",
        ),
        (
            "rounding = { places = 0 }",
            'rounding = { places = 0, mod = "down" }',
            "r.toml:47: indicators[UNCAPPED].rounding.mod: unknown key 'mod'; expected one of "
            "mode, places (did you mean 'mode'?)",
        ),
        (
            'lower_is_better = "t/r"',
            'lower_is_better = "t/rr"',
            "r.toml:37: indicators[INVERSE].lower_is_better: expected one of '2t-r', 't/r', "
            "found text 't/rr' (did you mean 't/r'?)",
        ),
    ],
)
def test_check_locates_every_mistake(replaced: str, written: str, message: str) -> None:
    with pytest.raises(RuleSetError) as caught:
        loads_rules(RULES.replace(replaced, written), source="r.toml")
    assert [str(p) for p in caught.value.problems] == [message]


def test_without_a_rule_set_formula_each_lower_indicator_needs_its_own() -> None:
    text = RULES.replace('lower_is_better = "2t-r"\n', "")
    with pytest.raises(RuleSetError) as caught:
        loads_rules(text, source="r.toml")
    (problem,) = caught.value.problems
    assert problem.location.key == "indicators[MIRRORED].direction"
    assert problem.hint == (
        'declare [achievement] lower_is_better = "2t-r" or "t/r", or lower_is_better on the '
        "indicator"
    )


def test_the_rule_file_round_trips() -> None:
    from ikueval import dumps_rules

    rules = loads_rules(RULES)
    assert loads_rules(dumps_rules(rules)) == rules
    assert rules.indicator("UNCAPPED").cap is NoCap.NONE  # type: ignore[union-attr]


@given(
    st.sampled_from(list(LowerIsBetter)),
    st.integers(min_value=0, max_value=10),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=1, max_value=400),
    st.sampled_from(['"none"', "100", "150", None]),
)
def test_replay_reproduces_every_indicator_setting(
    formula: LowerIsBetter, places: int, realised: int, target: int, cap: str | None
) -> None:
    own_cap = f"cap = {cap}\n" if cap else ""
    text = f"""{MINIMAL}
[achievement]
lower_is_better = "2t-r"
cap = 120

[[indicators]]
id = "CASES"
name = "Cases"
unit = "Kasus"
aggregation = "cumulative"
direction = "lower"
lower_is_better = "{formula.value}"
rounding = {{ places = {places} }}
{own_cap}targets.pk = {{ annual = {target} }}
"""
    rules = loads_rules(text)
    records = [{"indicator": "CASES", "period": "2025", "value": str(realised)}]
    achievement = evaluate(rules, records, "2025").indicator("CASES").achievement("period")
    assert replay(achievement) == achievement.value
    assert achievement.rounding.places == places
    assert achievement.lower_is_better is formula
    if achievement.value is not None:
        assert achievement.value.as_tuple().exponent == -places
