"""A category derived from a score (category_scale): computed, shown, replayed, reconciled."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ikueval import (
    AuditMismatchError,
    Evaluation,
    RuleSet,
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
from ikueval._audit import replay_realisation
from ikueval._categories import band, categorise
from ikueval._loading.published import loads_publication
from ikueval._reconcile import Verdict, reconcile
from ikueval._reports import report_of
from ikueval._reports.json import evaluation_from_data
from ikueval._reports.labels import Lang
from ikueval._reports.markdown import render_markdown
from ikueval.testing import MINIMAL_RULES as MINIMAL

ROOT = Path(__file__).resolve().parent.parent
BP3MI = loads_rules((ROOT / "rules" / "bp3mi-jateng-2025.toml").read_text(encoding="utf-8"))
NKA = BP3MI.scales["nka"]

RULES = (
    MINIMAL
    + """
[scales.nka]
label = "Nilai Kinerja Anggaran"
levels = [
  { label = "Sangat Kurang", score = 1, min = 0 },
  { label = "Kurang", score = 2, above = 50 },
  { label = "Cukup", score = 3, above = 60 },
  { label = "Baik", score = 4, above = 80 },
  { label = "Sangat Baik", score = 5, above = 90 },
]

[[indicators]]
id = "NKA"
name = "Nilai Kinerja Anggaran"
unit = "Nilai"
aggregation = "latest"
direction = "higher"
category_scale = "nka"
targets.pk = { annual = 85, Q2 = 80 }
"""
)


@pytest.mark.parametrize(
    ("score", "label"),
    [
        ("94.48", "Sangat Baik"),
        ("90.01", "Sangat Baik"),
        ("90", "Baik"),  # "more than 90" is Sangat Baik: 90 itself is Baik
        ("80.5", "Baik"),
        ("80", "Cukup"),
        ("60", "Kurang"),
        ("50", "Sangat Kurang"),
        ("0", "Sangat Kurang"),
    ],
)
def test_the_bands_of_the_budget_performance_value(score: str, label: str) -> None:
    category = categorise("nka", NKA, Decimal(score))
    assert category is not None
    assert category.label == label
    assert category.holds(Decimal(score))


def test_a_category_records_its_band() -> None:
    baik = categorise("nka", NKA, Decimal("85"))
    assert baik is not None
    assert (baik.min, baik.above, baik.below, baik.up_to) == (None, 80, None, 90)
    lowest = categorise("nka", NKA, Decimal("12"))
    assert lowest is not None
    assert (lowest.min, lowest.above, lowest.below, lowest.up_to) == (0, None, None, 50)
    assert categorise("nka", NKA, Decimal("-1")) is None


def evaluated(score: str = "94.48") -> tuple[RuleSet, Evaluation]:
    rules = loads_rules(RULES)
    return rules, evaluate(
        rules, [{"indicator": "NKA", "period": "2025-Q2", "value": score}], "2025-Q2"
    )


def test_realisations_and_targets_get_their_category_and_achievements_compare_numbers() -> None:
    _, evaluation = evaluated()
    result = evaluation.indicator("NKA")
    assert result.realisations["period"].category.label == "Sangat Baik"  # type: ignore[union-attr]
    assert result.targets["annual"].category.label == "Baik"  # type: ignore[union-attr]
    assert result.targets["period"].category.label == "Cukup"  # type: ignore[union-attr]
    # 94.48 / 85 x 100, on the numbers, not on the categories
    assert result.achievement("to_date").value == Decimal("111.15")
    assert replay(result.achievement("to_date")) == Decimal("111.15")


def test_every_output_shows_the_category_next_to_the_score() -> None:
    rules, evaluation = evaluated()
    table = render_table(evaluation)
    assert "94.48 (Sangat Baik)" in table
    assert "85 (Baik)" in table
    explained = render_explain(evaluation, rules)
    assert (
        "realisation over 2025-Q2 = 94.48 Nilai (category Sangat Baik on the scale nka: "
        "more than 90)"
    ) in explained
    assert (
        "target for 2025 = 85 Nilai (category Baik on the scale nka: more than 80, at most 90)"
        in explained
    )
    data = json.loads(render_json(evaluation))
    assert data["indicators"][0]["realisations"]["period"]["category"] == {
        "scale": "nka",
        "label": "Sangat Baik",
        "min": None,
        "above": "90",
        "below": None,
        "up_to": None,
    }
    assert evaluation_from_data(data) == evaluation
    ledger = build_ledger(
        rules,
        events_from_records(rules, [{"indicator": "NKA", "period": "2025-Q2", "value": "94.48"}]),
    )
    markdown = render_markdown(report_of(rules, ledger, "2025-Q2"), lang=Lang.ID)
    assert "94,48 (Sangat Baik)" in markdown


def test_replay_refuses_a_category_its_band_does_not_hold() -> None:
    _, evaluation = evaluated()
    realisation = evaluation.indicator("NKA").realisations["period"]
    assert realisation.category is not None
    edited = attrs.evolve(
        realisation, category=attrs.evolve(realisation.category, label="Baik", above=Decimal(95))
    )
    with pytest.raises(AuditMismatchError, match=r"whose band does not hold 94\.48"):
        replay_realisation(edited)


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_every_score_has_one_category_that_replays(score: Decimal) -> None:
    _, evaluation = evaluated(str(score))
    realisation = evaluation.indicator("NKA").realisations["period"]
    assert realisation.category is not None
    assert realisation.category.holds(score)
    assert replay_realisation(realisation) == score
    # exactly one level's band holds the score
    bands = [band("nka", NKA, level) for level in NKA.levels]
    assert [b.label for b in bands if b.holds(score)] == [realisation.category.label]


@pytest.mark.parametrize(
    ("replaced", "written", "message"),
    [
        (
            'category_scale = "nka"',
            'category_scale = "nkaa"',
            "r.toml:30: indicators[NKA].category_scale: unknown scale 'nkaa': declare it in "
            "[scales.nkaa] (did you mean 'nka'?)",
        ),
        (
            'category_scale = "nka"',
            'category_scale = "nka"\nscale = "nka"',
            "r.toml:30: indicators[NKA].category_scale: NKA is categorical (scale = 'nka'): its "
            "values are categories already (category_scale is for a numeric indicator whose "
            "number has a category)",
        ),
        (
            '{ label = "Baik", score = 4, above = 80 }',
            '{ label = "Baik", score = 4, above = 80, min = 80 }',
            "r.toml:20: scales.nka.levels[3]: a level starts at its min or above a value, not "
            "both (min = 80 places 80 in the level; above = 80 places 80 below it)",
        ),
        (
            '{ label = "Baik", score = 4, above = 80 }',
            '{ label = "Baik", score = 4, above = 60 }',
            "r.toml:16: scales.nka.levels: the min or above of each level must rise",
        ),
    ],
)
def test_check_locates_every_mistake(replaced: str, written: str, message: str) -> None:
    with pytest.raises(RuleSetError) as caught:
        loads_rules(RULES.replace(replaced, written), source="r.toml")
    assert str(caught.value.problems[0]) == message


PUBLISHED = """
[publication]
document = "pk"
period = "2025-Q2"
number_format = "indonesian"

[[tables]]
id = "t1"
title = "Nilai Kinerja Anggaran"
columns.realisasi = { shows = "realisation", span = "period" }
columns.kategori = { shows = "realisation", span = "period" }
rows = [
  { indicator = "NKA", realisasi = "94,48", kategori = "Baik" },
]

[[tables]]
id = "t2"
title = "Printed in one cell"
columns.realisasi = { shows = "realisation", span = "period" }
rows = [
  { indicator = "NKA", realisasi = "94,48 (Sangat Baik)" },
]
"""


def test_reconcile_flags_a_category_that_is_not_its_own_scores() -> None:
    rules, _ = evaluated()
    ledger = build_ledger(
        rules,
        events_from_records(rules, [{"indicator": "NKA", "period": "2025-Q2", "value": "94.48"}]),
    )
    score, wrong, score_again, right = reconcile(
        rules, ledger, loads_publication(PUBLISHED, rules)
    ).figures
    assert (wrong.claim.role.value, wrong.verdict) == ("category", Verdict.CONTRADICTION)
    assert (
        "the score printed in the same row, 94,48, is 'Sangat Baik' on the scale nka"
        in wrong.reason
    )
    assert score.figure in wrong.contradicts
    # the score matches the data, and names the category printed beside it
    assert score.verdict is Verdict.MATCH
    assert wrong.figure in score.contradicts
    assert "the category printed in the same row, 'Baik', is not that of 94,48" in score.reason
    # a consistent pair, the category matching the data's
    assert (right.verdict, right.computed.shown) == (Verdict.MATCH, "Sangat Baik")
    assert right.figure not in score_again.contradicts
    assert right.reason.startswith(
        "matches Sangat Baik: the category of the realisation over 2025-Q2, 94.48 on the scale nka"
    )


def test_reconcile_names_the_category_of_another_span() -> None:
    rules = loads_rules(RULES)
    records = [
        {"indicator": "NKA", "period": "2025-Q1", "value": "70"},
    ]
    ledger = build_ledger(rules, events_from_records(rules, records))
    text = (
        PUBLISHED.split('[[tables]]\nid = "t2"')[0]
        .replace('realisasi = "94,48", kategori = "Baik"', 'kategori = "Cukup"')
        .replace(
            'columns.kategori = { shows = "realisation", span = "period" }',
            'columns.kategori = { shows = "realisation", span = "period" }',
        )
    )
    (item,) = reconcile(rules, ledger, loads_publication(text, rules)).figures
    # no realisation in Q2; Q1's 70 is Cukup, to date (latest) too
    assert item.verdict is Verdict.OTHER_COMPUTATION
    assert item.explanations[0].changes == ("over the span to_date",)
