"""The engine on small rule sets: statuses, polarity, caps, scales, conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from ikueval import (
    Basis,
    EventConflictError,
    EventError,
    PeriodError,
    RuleSet,
    Status,
    evaluate,
    replay,
)
from ikueval.testing import MINIMAL_RULES, indicator_toml, small_ruleset

HEAD = MINIMAL_RULES


def rules(body: str, head: str = HEAD) -> RuleSet:
    return small_ruleset(body, head=head)


def indicator(extra: str = "", **keys: Any) -> str:
    """Indicator I, in persons: 100 a year, 20 in Q1 and 30 in Q2 unless ``keys`` say otherwise."""
    return indicator_toml(
        "I", **{"targets": {"annual": 100, "Q1": 20, "Q2": 30}, **keys}, extra=extra
    )


def event(value: Any, period: str = "2025-Q2", **extra: Any) -> dict[str, Any]:
    return {"indicator": "I", "period": period, "value": value, **extra}


def figure(ruleset: RuleSet, events: list[Any], basis: str, period: str = "2025-Q2") -> Any:
    achievement = evaluate(ruleset, events, period).indicator("I").achievement(basis)
    assert replay(achievement) == achievement.value
    return achievement


def test_the_four_bases() -> None:
    ruleset = rules(indicator())
    events = [event("80", "2025-Q1"), event("36")]
    assert figure(ruleset, events, "period").value == Decimal("120.00")
    assert figure(ruleset, events, "period_vs_annual").value == Decimal("36.00")
    assert figure(ruleset, events, "to_date").value == Decimal("116.00")
    assert figure(ruleset, events, "to_date_vs_target_to_date").value == Decimal("232.00")


def test_no_realisation_is_not_zero() -> None:
    achievement = figure(rules(indicator()), [event("5", "2025-Q1")], "period")
    assert achievement.status is Status.NO_REALISATION
    assert achievement.value is None
    assert achievement.reason == "no realisation in 2025-Q2"


def test_a_dash_is_recorded_and_not_counted() -> None:
    events = [event("-", "2025-Q1"), event("10")]
    achievement = figure(rules(indicator()), events, "to_date")
    assert achievement.realisation.value == 10
    (values,) = achievement.realisation.inputs
    assert values.notes == ("2025-Q1: reported as '-' (not measured) in record[0]",)


def test_no_target_for_the_span() -> None:
    achievement = figure(rules(indicator(targets={"annual": 100})), [event("1")], "period")
    assert achievement.status is Status.NO_TARGET
    assert achievement.reason == "no target is declared for 2025-Q2 (nor for each of its months)"


def test_zero_target_is_a_status_not_a_crash() -> None:
    ruleset = rules(indicator(targets={"annual": 100, "Q2": 0}))
    achievement = figure(ruleset, [event("3")], "period")
    assert achievement.status is Status.TARGET_ZERO
    assert achievement.value is None


def test_target_of_a_quarter_built_from_months() -> None:
    ruleset = rules(indicator(targets={"annual": 100, "M04": 5, "M05": 5, "M06": 10}))
    achievement = figure(ruleset, [event("10")], "period")
    assert achievement.target.value == 20
    assert achievement.target.aggregate is not None
    assert achievement.target.aggregate.notes == (
        "2025-Q2 has no target of its own; built from 2025-04, 2025-05, 2025-06",
    )


def test_to_date_target_needs_every_period() -> None:
    ruleset = rules(indicator(targets={"annual": 100, "Q2": 30}))
    achievement = figure(ruleset, [event("3")], "to_date_vs_target_to_date")
    assert achievement.status is Status.NO_TARGET
    assert "2025-Q1" in (achievement.reason or "")


@pytest.mark.parametrize(
    ("formula", "realisation", "expected"),
    [
        ("2t-r", "0", "200.00"),
        ("2t-r", "10", "100.00"),
        ("2t-r", "20", "0.00"),
        ("t/r", "5", "200.00"),
        ("t/r", "20", "50.00"),
    ],
)
def test_lower_is_better(formula: str, realisation: str, expected: str) -> None:
    head = HEAD + f'[achievement]\nlower_is_better = "{formula}"\n'
    body = indicator(targets={"annual": 10, "Q2": 10}, direction="lower")
    achievement = figure(rules(body, head), [event(realisation)], "period")
    assert achievement.value == Decimal(expected)


def test_inverse_formula_at_zero_is_undefined() -> None:
    head = HEAD + '[achievement]\nlower_is_better = "t/r"\n'
    body = indicator(direction="lower")
    achievement = figure(rules(body, head), [event("0")], "period")
    assert achievement.status is Status.UNDEFINED
    assert "realisation for 2025-Q2 is 0" in (achievement.reason or "")


def test_cap_limits_and_keeps_the_raw_value() -> None:
    achievement = figure(rules(indicator("cap = 120")), [event("60")], "period")
    assert achievement.raw == 200
    assert achievement.unrounded == 120
    assert achievement.value == Decimal("120.00")


def test_rounding_mode_is_the_declared_one() -> None:
    head = HEAD.replace('mode = "half-up"', 'mode = "down"')
    ruleset = rules(indicator(targets={"annual": 31000}), head)
    achievement = figure(ruleset, [event("13871")], "to_date")
    assert achievement.value == Decimal("44.74")  # 44.745...% truncated


def test_formula_with_inputs_and_division_by_zero() -> None:
    body = indicator(
        'formula = "handled / received * 100"\n'
        'inputs.handled = { aggregation = "cumulative" }\n'
        'inputs.received = { aggregation = "cumulative" }\n',
        targets={"annual": 70},
        unit="%",
    )
    ruleset = rules(body)
    good = [event("7", input="handled"), event("8", input="received")]
    assert figure(ruleset, good, "period_vs_annual").realisation.value == Decimal("87.5")
    zero = [event("0", input="handled"), event("0", input="received")]
    achievement = figure(ruleset, zero, "period_vs_annual")
    assert achievement.status is Status.UNDEFINED
    assert "division by zero" in (achievement.reason or "")
    partial = [event("3", input="handled")]
    achievement = figure(ruleset, partial, "period_vs_annual")
    assert achievement.status is Status.NO_REALISATION
    assert achievement.reason == "no realisation of input received in 2025-Q2"


def test_ratio_of_sums_not_mean_of_ratios() -> None:
    body = indicator(
        'formula = "a / b * 100"\n'
        'inputs.a = { aggregation = "cumulative" }\n'
        'inputs.b = { aggregation = "cumulative" }\n',
        targets={"annual": 100},
        unit="%",
    )
    events = [
        event("1", "2025-Q1", input="a"),
        event("1", "2025-Q1", input="b"),
        event("1", "2025-Q2", input="a"),
        event("3", "2025-Q2", input="b"),
    ]
    # (1 + 1) / (1 + 3) = 50%, not the mean of 100% and 33%.
    assert figure(rules(body), events, "to_date").realisation.value == 50


def test_latest_and_average() -> None:
    latest = rules(indicator(targets={"annual": 75}, aggregation="latest"))
    events = [event("70", "2025-Q1"), event("80", "2025-04"), event("60", "2025-05")]
    assert figure(latest, events, "to_date").realisation.value == 60
    average = rules(indicator(targets={"annual": 75}, aggregation="average"))
    assert figure(average, events, "to_date").realisation.value == 70


def test_categorical_scale() -> None:
    head = (
        HEAD
        + """
[scales.grade]
levels = [
  { label = "Kurang", score = 1, min = 0 },
  { label = "Baik", score = 2, min = 80 },
  { label = "Sangat Baik", score = 3, min = 90 },
]
"""
    )
    body = indicator(
        'scale = "grade"', targets={"annual": "Baik"}, aggregation="latest", unit="Kategori"
    )
    ruleset = rules(body, head)
    achievement = figure(ruleset, [event("Sangat Baik")], "to_date")
    assert achievement.value == Decimal("150.00")
    numeric = figure(ruleset, [event("85")], "to_date")  # a score falls in "Baik"
    assert numeric.realisation_scored is not None
    assert numeric.realisation_scored.label == "Baik"
    assert numeric.value == Decimal("100.00")


def test_bases_not_declared_are_not_applicable() -> None:
    ruleset = rules(indicator('bases = ["to_date"]'))
    achievement = figure(ruleset, [event("5")], "period")
    assert achievement.status is Status.NOT_APPLICABLE
    assert figure(ruleset, [event("5")], "to_date").status is Status.COMPUTED


def test_total_and_detail_of_the_same_span_are_refused() -> None:
    ruleset = rules(indicator())
    events = [event("10", "2025-Q2"), event("4", "2025-04")]
    with pytest.raises(EventConflictError) as caught:
        evaluate(ruleset, events, "2025-Q2")
    message = str(caught.value)
    assert "events for 2025-Q2 (record[0]) and for 2025-04 (record[1]) overlap" in message
    assert "keep either the total or its detail" in message


def test_a_total_and_its_breakdown_in_the_same_period_are_refused() -> None:
    head = HEAD + '[dimensions.gender]\nvalues = ["L", "P"]\n[dimensions.country]\nvalues = ["X"]\n'
    ruleset = rules(indicator('dimensions = ["gender", "country"]'), head)
    total_and_part = [event("36"), event("21", gender="L")]
    with pytest.raises(EventConflictError, match=r"2025-Q2 \(record\[0\]\) and for 2025-Q2"):
        evaluate(ruleset, total_and_part, "2025-Q2")
    two_breakdowns = [event("21", gender="L"), event("5", "2025-04", country="X")]
    with pytest.raises(EventConflictError, match=r"\[gender=L\].*\[country=X\]"):
        evaluate(ruleset, two_breakdowns, "2025-Q2")
    parts = [event("21", gender="L"), event("15", gender="P"), event("1", gender="P")]
    assert figure(ruleset, parts, "period").realisation.value == 37


def test_detail_of_different_dimensions_does_not_overlap() -> None:
    head = HEAD + '[dimensions.program]\nvalues = ["a", "b"]\n'
    ruleset = rules(indicator('dimensions = ["program"]'), head)
    events = [
        event("10", "2025-06", program="a"),
        {"indicator": "I", "date": "2025-06-24", "value": "2", "dimensions": {"program": "b"}},
    ]
    assert figure(ruleset, events, "period").realisation.value == 12


def test_events_as_objects() -> None:
    @dataclass
    class Row:
        indicator: str
        period: str
        value: Decimal
        ref: str

    result = evaluate(rules(indicator()), [Row("I", "2025-Q2", Decimal(30), "db:7")], "2025-Q2")
    achievement = result.indicator("I").achievement(Basis.PERIOD)
    assert achievement.value == Decimal("100.00")
    assert achievement.realisation.inputs[0].parts[0].sources == ("db:7",)


def test_floats_are_refused() -> None:
    with pytest.raises(EventError, match="float"):
        evaluate(rules(indicator()), [event(1.5)], "2025-Q2")


def test_bad_events_are_reported_all_at_once() -> None:
    bad = {"indicator": "J", "period": "2026-Q1", "value": "x"}
    with pytest.raises(EventError) as caught:
        evaluate(rules(indicator()), [bad], "2025-Q2")
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        "indicator: unknown indicator 'J'",
        "period: 2026-Q1 is outside the rule set's years (2025)",
        "value: expected a number in the undeclared (international) format, found 'x'",
    ]


def test_period_outside_the_rule_set() -> None:
    with pytest.raises(PeriodError, match="outside the years"):
        evaluate(rules(indicator()), [], "2024-Q2")


def test_target_precedence_and_disagreement_note() -> None:
    head = (
        HEAD
        + """
[[documents]]
id = "renstra"
title = "Strategic plan"
kind = "renstra"

[targets]
precedence = ["pk", "renstra"]
"""
    )
    body = indicator(targets={"annual": 107}) + "targets.renstra = { annual = 100 }\n"
    achievement = figure(rules(body, head), [event("50")], "to_date")
    assert achievement.target.value == 107
    assert achievement.target.aggregate is not None
    assert achievement.target.aggregate.notes == ("2025: renstra gives 100, pk (used) gives 107",)


def test_retained_events_are_kept_in_the_ledger() -> None:
    from ikueval import build_ledger, events_from_records

    ruleset = rules(indicator())
    ledger = build_ledger(
        ruleset, events_from_records(ruleset, [event("1"), event("2")]), retain=["I"]
    )
    (cell,) = ledger.of("I").cells
    assert [e.value for e in cell.events] == [1, 2]
    assert cell.sources == ("record[0]", "record[1]")


def test_results_do_not_depend_on_the_callers_decimal_context() -> None:
    import decimal

    head = HEAD + '[achievement]\nlower_is_better = "2t-r"\n'
    target = Decimal("123456.789")
    body = indicator(targets={"annual": target, "Q2": target}, direction="lower")
    ruleset = rules(body, head)
    expected = figure(ruleset, [event("1")], "period")
    with decimal.localcontext() as context:
        context.prec = 4
        context.rounding = decimal.ROUND_FLOOR
        assert figure(ruleset, [event("1")], "period") == expected
    # (2 x 123456.789 - 1) / 123456.789 x 100, to 40 significant digits
    independent = decimal.Context(prec=40).divide(Decimal("24691257.8"), Decimal("123456.789"))
    assert expected.raw == independent


def test_rule_sets_and_results_pickle() -> None:
    import pickle

    ruleset = rules(indicator())
    result = evaluate(ruleset, [event("36")], "2025-Q2")
    assert pickle.loads(pickle.dumps(ruleset)) == ruleset
    assert pickle.loads(pickle.dumps(result)) == result


def test_evaluations_in_threads_agree() -> None:
    from concurrent.futures import ThreadPoolExecutor

    ruleset = rules(indicator())
    events = [event(str(n), "2025-Q1" if n % 2 else "2025-Q2") for n in range(200)]
    expected = evaluate(ruleset, events, "2025-Q2")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: evaluate(ruleset, events, "2025-Q2"), range(32)))
    assert all(result == expected for result in results)
