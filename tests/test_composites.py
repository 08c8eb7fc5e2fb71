"""Composites: declared roll-ups with their members, method and weights (docs/rules.md).

Hand-computed figures, the IKPA of the bundled example, the checks of
``[[composites]]``, replay (and a tampered trail), and properties: a weighted
composite with equal weights is the plain mean, the geometric mean never
exceeds the arithmetic one, and replay reproduces every composite.
"""

from __future__ import annotations

import json
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ikueval
from ikueval import AuditMismatchError, replay_composite
from ikueval._composites import composite_order
from ikueval._decimals import nth_root
from ikueval._model import RollupMethod
from ikueval._reports.json import evaluation_data

HEAD = """
[ruleset]
id = "composites-test"
office = "Test"
years = [2025]

[[documents]]
id = "pk"
title = "PK 2025"

[rounding]
mode = "half-up"
places = 2

[rollups]
basis = "to_date"
missing = "zero"

[[objectives]]
id = "SS-1"
name = "One"

[[objectives]]
id = "SS-2"
name = "Two"
"""


def indicator(ident: str, objective: str = "SS-1", target: int = 100, iku: bool = True) -> str:
    extra = "" if iku else "iku = false\n"
    return f"""
[[indicators]]
id = "{ident}"
name = "Indicator {ident}"
objective = "{objective}"
unit = "Orang"
aggregation = "cumulative"
direction = "higher"
{extra}targets.pk = {{ annual = {target} }}
"""


def composite(
    ident: str, method: str, members: str, *, missing: str = "zero", extra: str = ""
) -> str:
    return f"""
[[composites]]
id = "{ident}"
name = "Composite {ident}"
method = "{method}"
basis = "to_date"
missing = "{missing}"
members = [{members}]
{extra}"""


THREE = HEAD + indicator("A") + indicator("B") + indicator("C", "SS-2")


def events(**values: int | str) -> list[dict[str, object]]:
    return [{"indicator": k, "period": "2025-Q1", "value": v} for k, v in values.items()]


def evaluate(text: str, **values: int | str) -> ikueval.Evaluation:
    return ikueval.evaluate(ikueval.loads_rules(text), events(**values), "2025-Q1")


def test_a_weighted_composite_by_hand() -> None:
    text = THREE + composite(
        "w",
        "weighted",
        '{ indicator = "A", weight = 50 }, { indicator = "B", weight = 30 }, '
        '{ indicator = "C", weight = 20 }',
    )
    result = evaluate(text, A=80, B=100, C=125).composite("w")
    # (80 x 50 + 100 x 30 + 125 x 20) / 100
    assert (result.total, result.weight, result.declared_weight) == (9500, 100, 100)
    assert result.unrounded == 95
    assert result.value == Decimal("95.00")
    assert [m.weighted for m in result.members] == [40, 30, 25]
    assert replay_composite(result) == Decimal("95.00")


def test_weights_need_not_add_up_to_100() -> None:
    members = '{ indicator = "A", weight = W1 }, { indicator = "B", weight = W2 }'
    big = composite("w", "weighted", members.replace("W1", "50").replace("W2", "30"))
    small = composite("w", "weighted", members.replace("W1", "5").replace("W2", "3"))
    one = evaluate(THREE + big, A=80, B=100).composite("w")
    other = evaluate(THREE + small, A=80, B=100).composite("w")
    assert one.value == other.value == Decimal("87.50")  # (80 x 5 + 100 x 3) / 8
    assert one.members[0].weighted == 50  # 80 x 50 / 80
    assert other.members[0].weighted == 50  # 80 x 5 / 8


def test_missing_members_zero_or_excluded_with_their_weights() -> None:
    members = '{ indicator = "A", weight = 10 }, { indicator = "B", weight = 30 }'
    zero = composite("w", "weighted", members)
    exclude = composite("w", "weighted", members, missing="exclude")
    counted_as_zero = evaluate(THREE + zero, A=80).composite("w")
    assert counted_as_zero.value == Decimal("20.00")  # 80 x 10 / 40
    assert [m.counted for m in counted_as_zero.members] == [True, True]
    left_out = evaluate(THREE + exclude, A=80).composite("w")
    assert (left_out.weight, left_out.value) == (10, Decimal("80.00"))
    assert left_out.members[1].value is None
    assert not left_out.members[1].counted
    none = evaluate(THREE + exclude).composite("w")
    assert none.status is ikueval.Status.NO_REALISATION
    assert none.value is None
    assert none.reason == "no member has a figure"
    for result in (counted_as_zero, left_out, none):
        assert replay_composite(result) == result.value


def test_the_geometric_mean_is_exact_when_its_root_is() -> None:
    text = THREE + composite(
        "g", "geometric", '{ indicator = "A" }, { indicator = "B" }, { indicator = "C" }'
    )
    result = evaluate(text, A=80, B=100, C=125).composite("g")
    assert (result.total, result.weight, result.unrounded) == (1000000, 3, 100)
    irrational = evaluate(text, A=100, B=200, C=100).composite("g")
    assert irrational.unrounded == Decimal("125.9921049894873164767210607278228350570")
    assert irrational.value == Decimal("125.99")
    zero = evaluate(text, A=0, B=200, C=100).composite("g")
    assert zero.unrounded == 0


def test_nth_roots_to_40_digits_rounded_down() -> None:
    assert nth_root(Decimal(2), 2) == Decimal("1.414213562373095048801688724209698078569")
    assert nth_root(Decimal("2.25"), 2) == Decimal("1.5")
    assert nth_root(Decimal("0.001"), 3) == Decimal("0.1")
    assert nth_root(Decimal(10) ** 40, 4) == Decimal(10) ** 10
    with pytest.raises(ValueError, match="-8 has no real root"):
        nth_root(Decimal(-8), 3)


def test_a_geometric_mean_of_a_negative_figure_is_undefined() -> None:
    text = (
        HEAD.replace("[rollups]", '[achievement]\nlower_is_better = "2t-r"\n\n[rollups]')
        + indicator("A")
        + indicator("B").replace('direction = "higher"', 'direction = "lower"')
        + composite("g", "geometric", '{ indicator = "A" }, { indicator = "B" }')
    )
    result = evaluate(text, A=80, B=300).composite("g")  # B: (2 x 100 - 300) / 100 = -100%
    assert result.status is ikueval.Status.UNDEFINED
    assert result.value is None
    assert result.reason == "the geometric mean of a figure below 0 (-100) is not defined"
    assert replay_composite(result) is None


def test_a_composite_of_rollups_and_of_composites() -> None:
    text = (
        THREE
        + composite(
            "per-objective",
            "weighted",
            '{ rollup = "objective:SS-1", weight = 2 }, { rollup = "objective:SS-2", weight = 1 }',
        )
        + composite("top", "mean", '{ rollup = "per-objective" }, { rollup = "all" }')
    )
    evaluation = evaluate(text, A=80, B=100, C=125)
    per_objective = evaluation.composite("per-objective")
    assert per_objective.unrounded == Decimal("101.6666666666666666666666666666666666667")
    top = evaluation.composite("top")
    assert [m.rollup for m in top.members] == ["per-objective", "all"]
    # (101.666... + 101.666...) / 2: the mean of a composite and the roll-up "all"
    assert top.value == Decimal("101.67")


def test_composites_are_computed_after_their_members_whatever_the_order() -> None:
    text = (
        THREE
        + composite("outer", "mean", '{ rollup = "inner" }')
        + composite("inner", "mean", '{ indicator = "A" }')
    )
    rules = ikueval.loads_rules(text)
    assert [c.id for c in composite_order(rules)] == ["inner", "outer"]
    evaluation = ikueval.evaluate(rules, events(A=70), "2025-Q1")
    assert [c.id for c in evaluation.composites] == ["outer", "inner"]  # as declared
    assert evaluation.composite("outer").value == Decimal("70.00")


def test_rounded_member_values() -> None:
    members = '{ indicator = "A" }, { indicator = "B" }'
    unrounded = composite("m", "mean", members)
    rounded = composite("m", "mean", members, extra='member_values = "rounded"')
    # A and B: 1 / 3 = 33.333...%; rounded: 33.33 each
    text = THREE.replace("annual = 100", "annual = 3")
    plain = evaluate(text + unrounded, A=1, B=1).composite("m")
    printed = evaluate(text + rounded, A=1, B=1).composite("m")
    assert plain.total == Decimal("66.66666666666666666666666666666666666666")
    assert printed.total == Decimal("66.66")
    assert plain.value == printed.value == Decimal("33.33")


def test_the_bundled_ikpa_is_the_annexs_figure() -> None:
    rules = ikueval.load_rules("rules/bp3mi-jateng-2025.toml")
    events_ = list(ikueval.read_events(rules, ["examples/bp3mi-jateng-2025/"]))
    evaluation = ikueval.evaluate(rules, events_, "2025-Q2")
    ikpa = evaluation.composite("ikpa")
    assert ikpa.value == Decimal("94.48")
    assert [m.weight for m in ikpa.members] == [10, 15, 20, 10, 10, 10, 25]
    assert [m.weighted for m in ikpa.members] == [
        Decimal("10.00"),
        Decimal("13.224"),
        Decimal("16.294"),
        Decimal("10.00"),
        Decimal("10.00"),
        Decimal("9.96"),
        Decimal("25.00"),
    ]
    aspects = [evaluation.composite(a).value for a in ("ikpa-perencanaan", "ikpa-pelaksanaan")]
    assert aspects == [Decimal("94.08"), Decimal("95.27")]
    assert evaluation.rollup("all").count == 13
    assert "IKPA-1" not in [m.indicator for m in evaluation.rollup("all").members]
    # Q1 has no IKPA figure: no value, and the trail says why
    q1 = ikueval.evaluate(rules, events_, "2025-Q1").composite("ikpa")
    assert q1.status is ikueval.Status.NO_REALISATION
    assert q1.count == 0


def test_a_tampered_composite_does_not_replay() -> None:
    rules = ikueval.load_rules("rules/bp3mi-jateng-2025.toml")
    events_ = list(ikueval.read_events(rules, ["examples/bp3mi-jateng-2025/"]))
    data = evaluation_data(ikueval.evaluate(rules, events_, "2025-Q2"))
    data["composites"][0]["members"][1]["value"] = "98.16"
    changed = ikueval.evaluation_from_data(json.loads(json.dumps(data))).composite("ikpa")
    with pytest.raises(AuditMismatchError, match="weighted value of IKPA-2 in composite ikpa"):
        replay_composite(changed)
    data["composites"][0]["members"][1]["value"] = "88.16"
    data["composites"][0]["members"][1]["weight"] = "25"
    changed = ikueval.evaluation_from_data(data).composite("ikpa")
    with pytest.raises(AuditMismatchError, match="sum of the weights of composite ikpa"):
        replay_composite(changed)


# --------------------------------------------------------------------------- checks


def problems(text: str) -> list[str]:
    return [str(p) for p in ikueval.inspect_rules(text, source="c.toml").problems]


def test_composite_checks_are_located() -> None:
    text = (
        THREE
        + composite("all", "mean", '{ indicator = "A" }, { indicator = "A" }')
        + composite(
            "w", "weighted", '{ indicator = "B", weight = 0 }, { rollup = "objective:SS-9" }'
        )
        + composite("e", "mean", "").replace('basis = "to_date"\n', "")
        + composite(
            "r",
            "mean",
            '{ indicator = "A", rollup = "all" }, {}',
        ).replace('basis = "to_date"', 'figure = "realisation"\nspan = "today"')
    )
    assert problems(text) == [
        "c.toml:55: composites[all].id: 'all' is the name of a roll-up of [rollups] (choose an "
        "id that is not 'all' and has no ':')",
        "c.toml:60: composites[all].members[1].indicator: 'A' is listed twice",
        "c.toml:68: composites[w].members[0].weight: a weight must be above 0, found 0",
        "c.toml:68: composites[w].members[1].rollup: unknown roll-up 'objective:SS-9': expected a "
        "composite, or all, objective:ID or activity:ID of [rollups] (did you mean "
        "'objective:SS-2'?)",
        "c.toml:68: composites[w].members[1]: every member of a weighted composite needs its "
        "weight (add weight = N, a number above 0)",
        "c.toml:70: composites[e].basis: a composite of achievements needs the basis of the "
        'achievements it combines (add basis = "to_date", say, or figure = "realisation" with '
        "its span)",
        "c.toml:75: composites[e].members: a composite needs at least one member",
        "c.toml:82: composites[r].span: expected one of 'period', 'to_date', found text 'today' "
        "(did you mean 'to_date'?)",
        "c.toml:84: composites[r].members[0]: a member names one indicator or one roll-up",
        "c.toml:84: composites[r].members[1]: a member names one indicator or one roll-up: "
        'indicator = "IKU-01" or rollup = "ID"',
    ]


def test_a_member_rollup_must_combine_the_same_figure() -> None:
    text = THREE + composite("s", "mean", '{ rollup = "all" }').replace(
        'basis = "to_date"', 'basis = "period"'
    )
    assert problems(text) == [
        "c.toml:60: composites[s].members[0].rollup: all combines to_date achievements, but "
        "this composite combines period achievements (the members of a composite must be "
        "figures of one kind)",
    ]


def test_a_composite_cannot_contain_itself() -> None:
    text = (
        THREE
        + composite("a", "mean", '{ rollup = "b" }')
        + composite("b", "mean", '{ rollup = "c" }, { indicator = "A" }')
        + composite("c", "mean", '{ rollup = "a" }')
        + composite("self", "mean", '{ rollup = "self" }')
    )
    assert problems(text) == [
        "c.toml:76: composites[c].members[0].rollup: a contains c: a composite cannot be among "
        "its own members (a -> b -> c -> a)",
        "c.toml:84: composites[self].members[0].rollup: self contains self: a composite cannot "
        "be among its own members (self -> self)",
    ]


def test_a_long_cycle_is_named_in_part() -> None:
    chain = "".join(
        composite(f"k{n}", "mean", f'{{ rollup = "k{(n + 1) % 30}" }}') for n in range(30)
    )
    (problem,) = problems(THREE + chain)
    assert problem.endswith(
        "(k0 -> k1 -> k2 -> k3 -> k4 -> k5 -> k6 -> k7 -> k8 -> k9 -> ... -> k0)"
    )


def test_iku_must_be_a_boolean() -> None:
    text = THREE.replace('name = "Indicator A"', 'name = "Indicator A"\niku = "no"')
    assert problems(text) == [
        "c.toml:30: indicators[A].iku: expected true or false, found text 'no' (write true or "
        "false without quotes)",
    ]


def test_a_realisation_composite_refuses_categories() -> None:
    text = (
        HEAD
        + """
[scales.mutu]
levels = [{ label = "Baik", score = 1 }]

[[indicators]]
id = "K"
name = "Kategori"
unit = "Kategori"
aggregation = "latest"
direction = "higher"
scale = "mutu"
"""
        + composite("r", "mean", '{ indicator = "K" }').replace(
            'basis = "to_date"', 'figure = "realisation"\nspan = "to_date"'
        )
    )
    assert problems(text)[-1] == (
        "c.toml:45: composites[r].members[0].indicator: K is categorical: its realisation is a "
        "category, not a figure to combine (combine its achievement instead "
        '(figure = "achievement"))'
    )


# --------------------------------------------------------------------------- properties

figure_values = st.integers(0, 500)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(figure_values, min_size=3, max_size=3),
    weight=st.integers(1, 50),
    method=st.sampled_from([m.value for m in RollupMethod]),
)
def test_composites_replay_and_equal_weights_give_the_mean(
    values: list[int], weight: int, method: str
) -> None:
    weighted_members = ", ".join(f'{{ indicator = "{k}", weight = {weight} }}' for k in "ABC")
    plain_members = ", ".join(f'{{ indicator = "{k}" }}' for k in "ABC")
    text = (
        THREE
        + composite("w", "weighted", weighted_members)
        + composite("m", "mean", plain_members)
        + composite("x", method, weighted_members if method == "weighted" else plain_members)
    )
    evaluation = evaluate(text, **dict(zip("ABC", values, strict=True)))
    w, m = evaluation.composite("w"), evaluation.composite("m")
    assert (w.unrounded, w.value) == (m.unrounded, m.value)
    for found in evaluation.composites:
        assert replay_composite(found) == found.value
    assert ikueval.evaluation_from_data(evaluation_data(evaluation)) == evaluation


def test_a_composite_built_by_hand_with_a_cycle_does_not_hang() -> None:
    rules = ikueval.loads_rules(THREE + composite("a", "mean", '{ indicator = "A" }'))
    looped = attrs.evolve(
        rules,
        composites=(
            attrs.evolve(
                rules.composites[0],
                members=(attrs.evolve(rules.composites[0].members[0], indicator=None, rollup="a"),),
            ),
        ),
    )
    evaluation = ikueval.evaluate(looped, events(A=10), "2025-Q1")
    # the member (the composite itself) has no figure when it is needed: counted as 0
    assert evaluation.composite("a").members[0].status is ikueval.Status.NO_REALISATION
    assert evaluation.composite("a").value == 0


# --------------------------------------------------------------------------- reconcile

PRINTED = """
[publication]
document = "lkj-2025-q2"
period = "2025-Q2"
number_format = "international"

[[tables]]
id = "ikpa"
title = "IKPA, as a hand calculation might print it"
columns.total = { shows = "composite", label = "Nilai" }
columns.nilai_akhir = { shows = "weighted", composite = "ikpa", label = "Nilai Akhir" }
rows = [
  { composite = "ikpa", total = "94.47" },
  { composite = "ikpa-pelaksanaan", total = "95.26" },
  { composite = "ikpa", total = "95.60" },
  { indicator = "IKPA-2", nilai_akhir = "1322.4" },
  { indicator = "IKPA-3", nilai_akhir = "81.47" },
  { indicator = "IKPA-4", nilai_akhir = "10" },
]
"""


def test_reconcile_names_how_a_composite_was_computed() -> None:
    from ikueval._loading.published import loads_publication
    from ikueval._reconcile import Role, Verdict, reconcile

    rules = ikueval.load_rules("rules/bp3mi-jateng-2025.toml")
    ledger = ikueval.build_ledger(
        rules, ikueval.read_events(rules, ["examples/bp3mi-jateng-2025/"])
    )
    figures = reconcile(rules, ledger, loads_publication(PRINTED, rules)).figures
    changes = [(f.verdict, [c.changes for c in f.explanations]) for f in figures]
    assert [f.claim.role for f in figures] == [Role.COMPOSITE] * 3 + [Role.WEIGHTED] * 3
    assert changes == [
        # 94.478 truncated, or 10.00 + 13.22 + 16.29 + 10.00 + 10.00 + 9.96 + 25.00
        (
            Verdict.OTHER_COMPUTATION,
            [("rounded down (truncated)",), ("adding the weighted values each rounded first",)],
        ),
        # 95.2675 truncated
        (Verdict.OTHER_COMPUTATION, [("rounded down (truncated)",)]),
        # (100 + 88.16 + 81.47 + 100 + 100 + 99.60 + 100) / 7 = 95.604...
        (Verdict.OTHER_COMPUTATION, [("with the arithmetic mean",)]),
        (
            Verdict.OTHER_COMPUTATION,
            [("the figure times its weight, not divided by the sum of the weights",)],
        ),
        (Verdict.OTHER_COMPUTATION, [("the member's figure, without its weight",)]),
        (Verdict.MATCH, []),
    ]
    assert figures[0].claim.composite is None
    assert figures[3].claim.composite == "ikpa"
    assert figures[3].claim.describe() == "IKPA-2 weighted in ikpa of 2025-Q2"


def test_a_composite_has_at_most_max_members() -> None:
    from ikueval._rollup_methods import MAX_MEMBERS

    members = ", ".join('{ indicator = "A" }' for _ in range(MAX_MEMBERS + 1))
    found = problems(THREE + composite("big", "mean", members))
    assert found[0] == (
        "c.toml:60: composites[big].members: a composite has at most 1000 members, found 1001"
    )
