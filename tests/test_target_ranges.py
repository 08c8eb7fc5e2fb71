"""Range targets: a band such as 80..90, compared by a declared range rule.

Figures are computed by hand in the comments; every one replays from its
trail and survives the JSON round trip.
"""

from __future__ import annotations

import json
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ikueval import (
    AuditMismatchError,
    Evaluation,
    RuleSetError,
    build_ledger,
    evaluate,
    events_from_records,
    inspect_rules,
    loads_rules,
    render_explain,
    render_json,
    render_table,
    replay,
)
from ikueval._combining import combine
from ikueval._loading.published import loads_publication
from ikueval._model import Aggregation, RangeRule, TargetRange
from ikueval._reconcile import Verdict, reconcile
from ikueval._reports.json import evaluation_from_data
from ikueval._results import Part, Status
from ikueval.testing import MINIMAL_RULES as MINIMAL


def rules_text(rule: str = "nearest-bound", direction: str = "higher", extra: str = "") -> str:
    return f"""{MINIMAL}
[achievement]
lower_is_better = "2t-r"
range = "{rule}"

[[indicators]]
id = "SAT"
name = "Indeks kepuasan"
unit = "Nilai"
aggregation = "latest"
direction = "{direction}"
{extra}targets.pk = {{ annual = {{ min = 80, max = 90 }} }}
"""


def achieved(value: str, rule: str = "nearest-bound", direction: str = "higher") -> Decimal | None:
    rules = loads_rules(rules_text(rule, direction))
    records = [{"indicator": "SAT", "period": "2025", "value": value}]
    achievement = evaluate(rules, records, "2025").indicator("SAT").achievement("period")
    assert replay(achievement) == achievement.value
    return achievement.value


@pytest.mark.parametrize(
    ("value", "rule", "direction", "expected"),
    [
        ("85", "nearest-bound", "higher", "100.00"),  # within: 100
        ("80", "nearest-bound", "higher", "100.00"),  # the bounds belong to the range
        ("90", "nearest-bound", "higher", "100.00"),
        ("95", "nearest-bound", "higher", "105.56"),  # 95 / 90 (the upper bound)
        ("72", "nearest-bound", "higher", "90.00"),  # 72 / 80 (the lower bound)
        ("85", "lower-bound", "higher", "106.25"),  # 85 / 80
        ("85", "upper-bound", "higher", "94.44"),  # 85 / 90
        ("95", "nearest-bound", "lower", "94.44"),  # (2 x 90 - 95) / 90
        ("72", "nearest-bound", "lower", "110.00"),  # (2 x 80 - 72) / 80
        ("85", "nearest-bound", "lower", "100.00"),
    ],
)
def test_range_rules_by_hand(value: str, rule: str, direction: str, expected: str) -> None:
    assert achieved(value, rule, direction) == Decimal(expected)


def evaluated() -> Evaluation:
    rules = loads_rules(rules_text())
    return evaluate(rules, [{"indicator": "SAT", "period": "2025", "value": "95"}], "2025")


def test_the_trail_names_the_rule_and_the_bound() -> None:
    achievement = evaluated().indicator("SAT").achievement("period")
    assert achievement.target.value == TargetRange(Decimal(80), Decimal(90))
    assert achievement.range_rule is RangeRule.NEAREST_BOUND
    assert achievement.compared_with == 90
    assert achievement.method == (
        "realisation / target x 100, against the upper bound of the target range 80..90 "
        "(nearest-bound)"
    )
    within = (
        evaluate(
            loads_rules(rules_text()),
            [{"indicator": "SAT", "period": "2025", "value": "85"}],
            "2025",
        )
        .indicator("SAT")
        .achievement("period")
    )
    assert (within.raw, within.compared_with) == (100, None)
    assert within.method == "100 within the target range 80..90 (range rule nearest-bound)"


def test_json_explain_and_table_show_the_range() -> None:
    evaluation = evaluated()
    data = json.loads(render_json(evaluation))
    sat = data["indicators"][0]
    assert sat["targets"]["annual"]["value"] == {"min": "80", "max": "90"}
    assert sat["bases"]["period"]["range_rule"] == "nearest-bound"
    assert sat["bases"]["period"]["compared_with"] == "90"
    assert evaluation_from_data(data) == evaluation
    explained = render_explain(evaluation, loads_rules(rules_text()))
    assert (
        "the realisation lies above the target range 80..90: compared with 90 "
        "(range rule nearest-bound)"
    ) in explained
    assert "= 95 / 90 x 100" in explained
    assert "80..90" in render_table(evaluation)


def test_replay_refuses_another_bound() -> None:
    achievement = evaluated().indicator("SAT").achievement("period")
    with pytest.raises(AuditMismatchError, match=r"bound of the target range 80\.\.90"):
        replay(attrs.evolve(achievement, compared_with=Decimal(80)))


def test_ranges_combine_over_spans() -> None:
    q1, q2 = TargetRange(Decimal(10), Decimal(20)), TargetRange(Decimal(30), Decimal(50))
    parts = [Part("2025-Q1", q1), Part("2025-Q2", q2)]
    # cumulative: the range of the sums, both bounds added
    assert combine(Aggregation.CUMULATIVE, parts) == TargetRange(Decimal(40), Decimal(70))
    # average: the mean of each bound
    assert combine(Aggregation.AVERAGE, parts) == TargetRange(Decimal(20), Decimal(35))
    assert combine(Aggregation.LATEST, parts) == q2
    # a number is the range from itself to itself
    mixed = [Part("2025-Q1", q1), Part("2025-Q2", Decimal(15))]
    assert combine(Aggregation.CUMULATIVE, mixed) == TargetRange(Decimal(25), Decimal(35))
    with pytest.raises(TypeError, match="cannot be combined with a range"):
        combine(Aggregation.CUMULATIVE, [Part("2025-Q1", q1), Part("2025-Q2", "Baik")])


def test_a_zero_bound_compared_is_a_status() -> None:
    text = rules_text().replace("min = 80, max = 90", "min = 0, max = 10")
    rules = loads_rules(text)
    records = [{"indicator": "SAT", "period": "2025", "value": "0"}]
    inside = evaluate(rules, records, "2025").indicator("SAT").achievement("period")
    assert inside.value == 100  # within 0..10
    lower = loads_rules(text.replace('range = "nearest-bound"', 'range = "lower-bound"'))
    against_zero = evaluate(lower, records, "2025").indicator("SAT").achievement("period")
    assert against_zero.status is Status.TARGET_ZERO
    assert against_zero.reason == (
        "the bound compared of the target for 2025 is 0: a percentage of it is not defined"
    )


@pytest.mark.parametrize(
    ("replaced", "written", "message"),
    [
        (
            "min = 80, max = 90",
            "min = 90, max = 80",
            "r.toml:24: indicators[SAT].targets.pk.annual: the range's min 90 is above its max "
            "80 (write { min = LOWER, max = UPPER })",
        ),
        (
            "min = 80, max = 90",
            "min = 80, max = 80",
            "r.toml:24: indicators[SAT].targets.pk.annual: the range's min and max are both 80 "
            "(write the target as the number 80)",
        ),
        (
            "min = 80, max = 90",
            "min = -5, max = 90",
            "r.toml:24: indicators[SAT].targets.pk.annual: a target in 'Nilai' cannot be negative",
        ),
        (
            "min = 80, max = 90",
            "min = 80, maks = 90",
            "r.toml:24: indicators[SAT].targets.pk.annual: expected a range with the keys min "
            "and max, found a table ('maks' is not a key of a range: did you mean 'max'?)",
        ),
        (
            'range = "nearest-bound"\n',
            "",
            "r.toml:23: indicators[SAT].targets.pk.annual: a target range, but neither the "
            "indicator nor the rule set says how a realisation is compared with it (declare "
            '[achievement] range = "nearest-bound" or "lower-bound" or "upper-bound", or range '
            "on the indicator)",
        ),
    ],
)
def test_check_locates_every_mistake(replaced: str, written: str, message: str) -> None:
    with pytest.raises(RuleSetError) as caught:
        loads_rules(rules_text().replace(replaced, written, 1), source="r.toml")
    assert [str(p) for p in caught.value.problems] == [message]


def test_a_misspelt_range_rule_also_leaves_the_ranges_without_a_rule() -> None:
    with pytest.raises(RuleSetError) as caught:
        loads_rules(
            rules_text().replace('range = "nearest-bound"', 'range = "nearest"'), source="r.toml"
        )
    assert [str(p) for p in caught.value.problems] == [
        "r.toml:16: achievement.range: expected one of 'nearest-bound', 'lower-bound', "
        "'upper-bound', found text 'nearest' (did you mean 'nearest-bound'?)",
        "r.toml:24: indicators[SAT].targets.pk.annual: a target range, but neither the "
        "indicator nor the rule set says how a realisation is compared with it (declare "
        '[achievement] range = "nearest-bound" or "lower-bound" or "upper-bound", or range '
        "on the indicator)",
    ]


def test_a_range_rule_without_a_range_is_a_warning_and_categories_have_no_ranges() -> None:
    text = rules_text(extra='range = "upper-bound"\n').replace(
        "annual = { min = 80, max = 90 }", "annual = 85"
    )
    report = inspect_rules(text, source="r.toml")
    assert report.errors == ()
    assert [str(p) for p in report.warnings] == [
        "r.toml:24: indicators[SAT].range: warning: SAT has no target range, so its range rule "
        "is never used"
    ]
    categorical = (
        rules_text().replace(
            'direction = "higher"',
            'direction = "higher"\nscale = "mutu"',
        )
        + '\n[scales.mutu]\nlevels = [{ label = "Baik", score = 1 }]\n'
    )
    problems = inspect_rules(
        categorical.replace('aggregation = "latest"', 'aggregation = "latest"')
    ).errors
    assert [p.message for p in problems] == [
        "SAT is categorical: its targets are categories, not ranges"
    ]


def test_reconcile_names_another_range_rule() -> None:
    rules = loads_rules(rules_text())
    ledger = build_ledger(
        rules, events_from_records(rules, [{"indicator": "SAT", "period": "2025", "value": "85"}])
    )
    text = """
[publication]
document = "pk"
period = "2025"
number_format = "international"

[[tables]]
id = "t1"
title = "Table 1"
columns.achievement = { shows = "achievement", basis = "period" }
rows = [
  { indicator = "SAT", achievement = "106.25%" },
  { indicator = "SAT", achievement = "100%" },
]
"""
    other, claimed = reconcile(rules, ledger, loads_publication(text, rules)).figures
    assert claimed.verdict is Verdict.MATCH
    assert other.verdict is Verdict.OTHER_COMPUTATION
    assert other.computed.shown == "100.00"
    (explanation,) = other.explanations
    assert explanation.changes == ("with the range rule lower-bound",)  # 85 / 80
    assert explanation.shown == "106.25"


bounds = st.integers(min_value=1, max_value=500)


@given(
    bounds, bounds, st.integers(min_value=0, max_value=1000), st.sampled_from(["higher", "lower"])
)
def test_nearest_bound_lies_between_the_other_rules(
    low: int, width: int, value: int, direction: str
) -> None:
    text = rules_text(direction=direction).replace(
        "min = 80, max = 90", f"min = {low}, max = {low + width}"
    )
    results = {}
    for rule in RangeRule:
        rules = loads_rules(text.replace('range = "nearest-bound"', f'range = "{rule.value}"'))
        records = [{"indicator": "SAT", "period": "2025", "value": str(value)}]
        achievement = evaluate(rules, records, "2025").indicator("SAT").achievement("period")
        assert achievement.status is Status.COMPUTED
        assert replay(achievement) == achievement.value
        results[rule] = achievement.raw
    nearest = results[RangeRule.NEAREST_BOUND]
    ordered = sorted([results[RangeRule.LOWER_BOUND], results[RangeRule.UPPER_BOUND]])
    assert ordered[0] <= nearest <= ordered[1]
    if low <= value <= low + width:
        assert nearest == 100
