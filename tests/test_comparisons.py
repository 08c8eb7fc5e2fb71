"""Comparisons with the medium-term target and the previous year, and targets written as inputs.

Hand-computed figures on a rule set of three years, every status a comparison
can have, replay (and a tampered trail), every output that shows them (JSON,
table, explain, report section 7), reconciliation, and a property: replay
reproduces every comparison.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ikueval
from ikueval import AuditMismatchError, Status, replay, replay_comparisons
from ikueval._loading.published import loads_publication
from ikueval._reconcile import Role, Verdict, reconcile
from ikueval._reports import Lang, render_explain, render_markdown, render_table
from ikueval._reports.build import report_of
from ikueval._reports.json import evaluation_data

RULES = """
[ruleset]
id = "renstra-test"
office = "Test"
years = [2023, 2024, 2025]

[[documents]]
id = "renstra"
title = "Renstra 2023-2025"
kind = "renstra"

[[documents]]
id = "pk-2024"
title = "PK 2024"
kind = "pk"

[targets]
precedence = ["pk-2024", "renstra"]
medium_term = { year = 2025, document = "renstra" }

[rounding]
mode = "half-up"
places = 2

[scales.mutu]
levels = [
  { label = "Cukup", score = 3 },
  { label = "Baik", score = 4 },
]

[[indicators]]
id = "PLACED"
name = "Placements"
unit = "Orang"
aggregation = "cumulative"
direction = "higher"
targets.renstra = { 2023 = 1000, 2024 = 1200, 2025 = 1500 }
targets.pk-2024 = { 2024 = 1100 }

[[indicators]]
id = "SHARE"
name = "Share of complaints handled"
unit = "%"
aggregation = "latest"
direction = "higher"
formula = "handled / received * 100"
inputs.handled = { aggregation = "cumulative", unit = "Kasus" }
inputs.received = { aggregation = "cumulative", unit = "Kasus" }
target_inputs.renstra.2024 = { handled = 45, received = 60 }
target_inputs.renstra.2025 = { handled = 4, received = 5 }

[[indicators]]
id = "GRADE"
name = "Grade"
unit = "Kategori"
aggregation = "latest"
direction = "higher"
scale = "mutu"
targets.renstra = { 2024 = "Baik", 2025 = "Baik" }
"""

RECORDS = [
    {"indicator": "PLACED", "period": "2023", "value": 900},
    {"indicator": "PLACED", "period": "2024", "value": 1000},
    {"indicator": "SHARE", "input": "handled", "period": "2024", "value": 30},
    {"indicator": "SHARE", "input": "received", "period": "2024", "value": 40},
    {"indicator": "SHARE", "input": "handled", "period": "2023", "value": 0},
    {"indicator": "SHARE", "input": "received", "period": "2023", "value": 10},
    {"indicator": "GRADE", "period": "2023", "value": "Cukup"},
    {"indicator": "GRADE", "period": "2024", "value": "Baik"},
]


@pytest.fixture(scope="module")
def rules() -> ikueval.RuleSet:
    return ikueval.loads_rules(RULES, source="renstra.toml")


@pytest.fixture(scope="module")
def y2024(rules: ikueval.RuleSet) -> ikueval.Evaluation:
    return ikueval.evaluate(rules, RECORDS, "2024")


def test_against_the_medium_term_target(y2024: ikueval.Evaluation) -> None:
    medium = y2024.indicator("PLACED").comparisons.medium_term  # type: ignore[union-attr]
    assert (medium.status, medium.year, medium.document) == (Status.COMPUTED, 2025, "renstra")
    assert medium.achievement is not None
    assert medium.achievement.basis is None
    assert medium.achievement.target.value == 1500
    assert medium.achievement.target.aggregate.parts[0].sources == ("renstra",)  # type: ignore[union-attr]
    assert medium.value == Decimal("66.67")  # 1 000 / 1 500 x 100
    assert replay(medium.achievement) == medium.value
    # the binding target of 2024 is the PK's, 1 100; the Renstra's 1 200 is not used
    assert y2024.indicator("PLACED").achievement("to_date").value == Decimal("90.91")


def test_the_previous_year(y2024: ikueval.Evaluation) -> None:
    previous = y2024.indicator("PLACED").comparisons.previous_year  # type: ignore[union-attr]
    assert (previous.status, previous.period) == (Status.COMPUTED, "2023")
    assert previous.realisation is not None
    assert previous.realisation.value == 900
    assert previous.achievement is not None
    assert previous.achievement.value == Decimal("90.00")
    assert previous.change == 100  # 1 000 - 900
    assert previous.growth == Decimal("11.11")  # 100 / 900 x 100
    # 90.909090...% (1 000 / 1 100) - 90% (900 / 1 000)
    assert previous.points_unrounded == Decimal("0.90909090909090909090909090909090909091")
    assert previous.points == Decimal("0.91")


def test_a_target_written_as_inputs(y2024: ikueval.Evaluation) -> None:
    share = y2024.indicator("SHARE")
    annual = share.targets["annual"]
    assert annual.value == 75  # 45 / 60 x 100, written as a target would be
    (computed,) = annual.computed
    assert (computed.period, computed.document, computed.formula) == (
        "2024",
        "renstra",
        "handled / received * 100",
    )
    assert computed.inputs == {"handled": 45, "received": 60}
    assert share.achievement("to_date").value == Decimal("100.00")  # 75% against 75%
    medium = share.comparisons.medium_term  # type: ignore[union-attr]
    assert medium.achievement is not None
    assert medium.achievement.target.value == 80
    assert medium.value == Decimal("93.75")  # 75 / 80 x 100
    assert replay(share.achievement("to_date")) == Decimal("100.00")


def test_growth_from_zero_and_categories(y2024: ikueval.Evaluation) -> None:
    share = y2024.indicator("SHARE").comparisons.previous_year  # type: ignore[union-attr]
    assert share.change == 75  # 75% - 0%
    assert share.growth is None
    assert share.notes == (
        "no change of the achievement: no target is declared for 2023 (nor for each of its "
        "quarters)",
        "the realisation over 2023 is 0: a change in percent is not defined",
    )
    grade = y2024.indicator("GRADE").comparisons.previous_year  # type: ignore[union-attr]
    assert grade.status is Status.UNDEFINED
    assert grade.change is None
    assert grade.reason == "categories have no difference: compare their achievements"


def test_statuses_when_the_data_or_the_rule_set_lack_a_comparison(
    rules: ikueval.RuleSet,
) -> None:
    first = ikueval.evaluate(rules, RECORDS, "2023").indicator("PLACED").comparisons
    assert first is not None
    assert first.previous_year.status is Status.NOT_APPLICABLE
    assert first.previous_year.reason == "2022 is not a year of the rule set 'renstra-test'"
    last = ikueval.evaluate(rules, RECORDS, "2025").indicator("PLACED").comparisons
    assert last is not None
    assert last.medium_term.status is Status.NO_REALISATION
    assert last.previous_year.status is Status.NO_REALISATION
    assert last.previous_year.reason == "no realisation in 2025"
    assert last.previous_year.realisation.value == 1000  # type: ignore[union-attr]
    no_medium = ikueval.loads_rules(
        RULES.replace('medium_term = { year = 2025, document = "renstra" }\n', "")
    )
    compared = ikueval.evaluate(no_medium, RECORDS, "2024").indicator("PLACED").comparisons
    assert compared is not None
    assert compared.medium_term.status is Status.NOT_APPLICABLE
    from_pk = ikueval.loads_rules(RULES.replace('document = "renstra" }', 'document = "pk-2024" }'))
    missing = ikueval.evaluate(from_pk, RECORDS, "2024").indicator("PLACED").comparisons
    assert missing is not None
    assert missing.medium_term.status is Status.NO_TARGET
    assert missing.medium_term.reason == "pk-2024 gives no target for 2025"


def test_quarters_compare_with_the_same_quarters(rules: ikueval.RuleSet) -> None:
    quarterly = [
        {"indicator": "PLACED", "period": "2023-Q1", "value": 100},
        {"indicator": "PLACED", "period": "2023-Q2", "value": 150},
        {"indicator": "PLACED", "period": "2023-Q3", "value": 999},
        {"indicator": "PLACED", "period": "2024-Q1", "value": 200},
        {"indicator": "PLACED", "period": "2024-Q2", "value": 100},
    ]
    placed = ikueval.evaluate(rules, quarterly, "2024-Q2").indicator("PLACED")
    previous = placed.comparisons.previous_year  # type: ignore[union-attr]
    assert previous.period == "2023-Q2"
    assert previous.realisation.span == "2023-Q1..2023-Q2"  # type: ignore[union-attr]
    assert (previous.realisation.value, previous.change) == (250, 50)  # type: ignore[union-attr]


def test_comparisons_replay_and_a_tampered_one_does_not(y2024: ikueval.Evaluation) -> None:
    data = evaluation_data(y2024)
    read = ikueval.evaluation_from_data(json.loads(json.dumps(data)))
    assert read == y2024
    for result in read.indicators:
        replay_comparisons(result)
    placed = next(i for i in data["indicators"] if i["id"] == "PLACED")
    placed["comparisons"]["previous_year"]["change"] = "101"
    tampered = ikueval.evaluation_from_data(data).indicator("PLACED")
    with pytest.raises(AuditMismatchError, match="change of PLACED against 2023"):
        replay_comparisons(tampered)


def test_every_output_names_the_comparisons(
    rules: ikueval.RuleSet, y2024: ikueval.Evaluation
) -> None:
    table = render_table(y2024)
    assert "Comparisons: the realisation to date against the medium-term target" in table
    assert "  PLACED  2025    1500          66.67      2023          900     100     11.11" in table
    explained = render_explain(y2024, rules, ["PLACED"])
    assert (
        "[medium_term] the realisation from January to the end of the period against the "
        "medium-term target (2025, renstra)" in explained
    )
    assert "  change of the realisation = 1000 - 900 = 100" in explained
    assert (
        "  in percent = 100 / 900 x 100 = 11.11111111111111111111111111111111111111 "
        "(unrounded)" in explained
    )
    data = evaluation_data(y2024)
    assert list(data["indicators"][0])[-2:] == ["bases", "comparisons"]
    assert data["indicators"][0]["comparisons"]["medium_term"]["value"] == "66.67"
    ledger = ikueval.build_ledger(rules, ikueval.events_from_records(rules, RECORDS))
    markdown = render_markdown(report_of(rules, ledger, "2024"), lang=Lang.EN)
    section = markdown.split("## 7. ")[1].split("## 8. ")[0]
    assert "Medium-term target 2025" in section
    assert "Previous year 2023" in section
    assert (
        "| 1 | PLACED | Placements | Orang | 1,000 | 1,500 | 66.67% | 900 | 100 | 11.11% |"
        in section
    )


def test_a_report_of_one_year_says_comparisons_are_not_available() -> None:
    rules = ikueval.load_rules("rules/bp3mi-jateng-2025.toml")
    ledger = ikueval.build_ledger(
        rules, ikueval.read_events(rules, ["examples/bp3mi-jateng-2025/"])
    )
    markdown = render_markdown(report_of(rules, ledger, "2025-Q2"), lang=Lang.EN)
    section = markdown.split("## 7. ")[1].split("## 8. ")[0]
    assert "Not available: the rule set gives neither" in section


# --------------------------------------------------------------------------- checks


def problems(text: str) -> list[str]:
    return [str(p) for p in ikueval.inspect_rules(text, source="r.toml").problems]


PRECEDENCE = (
    "r.toml:37: indicators[PLACED].targets.renstra.2024: warning: renstra gives 1200 for 2024, "
    "but pk-2024 gives 1100; the engine uses pk-2024 (first in [targets] precedence)"
)


def test_medium_term_checks() -> None:
    assert problems(RULES.replace("year = 2025, document", "year = 2030, document")) == [
        "r.toml:19: targets.medium_term.year: 2030 is not a year of the rule set (2023, 2024, "
        "2025) (the medium-term target is the target of one of the rule set's years)",
        PRECEDENCE,
    ]
    assert problems(RULES.replace('document = "renstra" }', 'document = "renstr" }')) == [
        "r.toml:19: targets.medium_term.document: unknown document 'renstr' (did you mean "
        "'renstra'?)",
        PRECEDENCE,
    ]
    assert problems(RULES.replace('document = "renstra" }', 'document = "pk-2024" }')) == [
        "r.toml:19: targets.medium_term: warning: no indicator has a target for 2025 in pk-2024: "
        "every medium-term comparison will have no target",
        PRECEDENCE,
    ]


def test_target_input_checks() -> None:
    broken = RULES.replace(
        "target_inputs.renstra.2024 = { handled = 45, received = 60 }",
        "target_inputs.renstra.2024 = { handled = 45, recieved = 60 }\n"
        "target_inputs.renstra.2026 = { handled = 1, received = 1 }",
    ).replace(
        "target_inputs.renstra.2025 = { handled = 4, received = 5 }",
        "target_inputs.renstra.2025 = { handled = 1, received = 0 }\n"
        "targets.renstra = { 2025 = 80 }",
    )
    assert problems(broken) == [
        PRECEDENCE,
        "r.toml:49: indicators[SHARE].target_inputs.renstra.2024.recieved: 'recieved' is not an "
        "input of SHARE (handled, received) (did you mean 'received'?)",
        "r.toml:49: indicators[SHARE].target_inputs.renstra.2024: the formula "
        "'handled / received * 100' needs a value for received",
        "r.toml:50: indicators[SHARE].target_inputs.renstra.2026: 2026 is outside the rule set's "
        "years (2023, 2024, 2025)",
        "r.toml:51: indicators[SHARE].target_inputs.renstra.2025: the target of 2025 in renstra "
        "is also written as a figure in targets (keep one of the two)",
    ]
    undefined = RULES.replace(
        "2025 = { handled = 4, received = 5 }", "2025 = { handled = 4, received = 0 }"
    )
    assert problems(undefined) == [
        PRECEDENCE,
        "r.toml:50: indicators[SHARE].target_inputs.renstra.2025: division by zero in "
        "'handled / received * 100'",
    ]
    plain = RULES.replace('formula = "handled / received * 100"\n', "").replace(
        'inputs.handled = { aggregation = "cumulative", unit = "Kasus" }\n'
        'inputs.received = { aggregation = "cumulative", unit = "Kasus" }\n',
        "",
    )
    assert problems(plain) == [
        PRECEDENCE,
        "r.toml:46: indicators[SHARE].target_inputs: a target written as inputs needs an "
        "indicator with inputs and a formula (write the target as a figure in targets, or "
        "declare inputs and a formula)",
    ]


def test_target_inputs_enter_the_plan_checks() -> None:
    quarterly = """
[ruleset]
id = "q"
office = "Test"
years = [2025]

[[documents]]
id = "pk"
title = "PK"

[rounding]
mode = "half-up"
places = 2

[[indicators]]
id = "DOCS"
name = "Documents"
unit = "%"
aggregation = "cumulative"
direction = "higher"
formula = "documents / planned * 100"
inputs.documents = { aggregation = "cumulative", unit = "Dokumen" }
parameters.planned = 8
targets.pk = { annual = 100 }
target_inputs.pk = { Q1 = { documents = 4 }, Q2 = { documents = 6 } }
"""
    assert problems(quarterly) == [
        "r.toml:25: indicators[DOCS].target_inputs.pk.Q2: warning: quarterly targets of this "
        "cumulative indicator add up to 125 (2025-Q1 50 + 2025-Q2 75), more than the annual "
        "target 100 (check whether the quarterly figures are targets to date rather than per "
        "quarter)",
    ]


# --------------------------------------------------------------------------- reconcile

PUBLISHED = """
[publication]
document = "pk-2024"
period = "2024"
number_format = "indonesian"

[[tables]]
id = "lkj"
title = "Perbandingan"
columns.renstra = { shows = "medium_term", label = "Capaian terhadap target Renstra" }
columns.lalu = { shows = "previous_year", label = "Realisasi 2023" }
columns.capaian_lalu = { shows = "previous_year", label = "Capaian 2023", unit = "%" }
columns.capaian = { shows = "achievement", basis = "to_date", label = "Capaian" }
columns.target = { shows = "target", span = "annual", label = "Target" }
columns.realisasi = { shows = "realisation", span = "to_date", label = "Realisasi" }
rows = [
  { indicator = "PLACED", renstra = "66,67%", lalu = "900 Orang", capaian_lalu = "90" },
  { indicator = "PLACED", capaian = "66,67%", target = "1.500 Orang", realisasi = "900 Orang" },
]
"""


def test_reconcile_knows_the_comparisons(rules: ikueval.RuleSet) -> None:
    ledger = ikueval.build_ledger(rules, ikueval.events_from_records(rules, RECORDS))
    figures = reconcile(rules, ledger, loads_publication(PUBLISHED, rules)).figures
    by_column = {f.figure.column: f for f in figures}
    assert by_column["renstra"].claim.role is Role.MEDIUM_TERM
    assert by_column["renstra"].verdict is Verdict.MATCH
    assert by_column["lalu"].claim.role is Role.PREVIOUS_YEAR
    assert by_column["lalu"].verdict is Verdict.MATCH
    assert by_column["capaian_lalu"].verdict is Verdict.MATCH  # 90% in 2023
    capaian = by_column["capaian"]
    assert capaian.verdict is Verdict.OTHER_COMPUTATION
    assert capaian.explanations[0].changes == ("against the medium-term target (2025)",)
    target = by_column["target"]
    assert target.verdict is Verdict.OTHER_COMPUTATION
    assert target.explanations[0].changes == ("the medium-term target (2025)",)
    realisation = by_column["realisasi"]
    assert realisation.explanations[0].changes == ("the previous year's realisation (2023)",)


# --------------------------------------------------------------------------- property


@settings(max_examples=40, deadline=None)
@given(
    then=st.integers(0, 5000),
    now=st.integers(0, 5000),
    handled=st.integers(0, 50),
    extra=st.integers(0, 50),
)
def test_replay_reproduces_every_comparison(then: int, now: int, handled: int, extra: int) -> None:
    rules = ikueval.loads_rules(RULES)
    records = [
        {"indicator": "PLACED", "period": "2023", "value": then},
        {"indicator": "PLACED", "period": "2024", "value": now},
        {"indicator": "SHARE", "input": "handled", "period": "2023", "value": handled},
        {"indicator": "SHARE", "input": "received", "period": "2023", "value": handled + extra},
        {"indicator": "SHARE", "input": "handled", "period": "2024", "value": extra},
        {"indicator": "SHARE", "input": "received", "period": "2024", "value": handled + extra},
    ]
    evaluation = ikueval.evaluate(rules, records, "2024")
    read = ikueval.evaluation_from_data(evaluation_data(evaluation))
    for result in read.indicators:
        replay_comparisons(result)
        for achievement in result.achievements:
            assert replay(achievement) == achievement.value
