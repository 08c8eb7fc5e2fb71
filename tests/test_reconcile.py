"""Reconciliation: verdicts on the figures of the 2025 Q2 report, and on small cases."""

from __future__ import annotations

import json

import pytest

from conftest import PUBLISHED, run_cli
from ikueval import (
    Basis,
    Ledger,
    RuleSet,
    build_ledger,
    events_from_records,
    loads_rules,
)
from ikueval._loading.published import load_publication, loads_publication
from ikueval._model import LowerIsBetter
from ikueval._reconcile import Reconciled, Reconciliation, Verdict, reconcile
from ikueval._reports.reconcile import reconciliation_data
from ikueval._results import Achievement
from ikueval.testing import MINIMAL_RULES, indicator_toml


@pytest.fixture(scope="module")
def report(bundled_rules: RuleSet, bundled_ledger: Ledger) -> Reconciliation:
    return reconcile(bundled_rules, bundled_ledger, load_publication(PUBLISHED, bundled_rules))


def figure(
    report: Reconciliation, table: str, subject: str, column: str, part: int = 0
) -> Reconciled:
    (found,) = [
        f
        for f in report.figures
        if (f.figure.table, f.claim.subject, f.figure.column, f.figure.part)
        == (table, subject, column, part)
    ]
    return found


def test_every_figure_gets_a_verdict(report: Reconciliation) -> None:
    assert len(report.figures) == 321
    assert report.counts() == {
        Verdict.MATCH: 297,
        Verdict.OTHER_COMPUTATION: 18,
        Verdict.CONTRADICTION: 4,
        Verdict.NOT_REPRODUCED: 2,
    }
    assert not report.all_match


def test_the_two_repatriation_figures_each_match_their_own_basis(report: Reconciliation) -> None:
    q2 = figure(report, "tabel-1", "IKU-06", "achievement")
    assert (q2.verdict, q2.claim.basis and q2.claim.basis.value) == (
        Verdict.MATCH,
        "period_vs_annual",
    )
    assert q2.computed.shown == "33.64"
    to_date = figure(report, "tabel-4", "IKU-06", "capaian_sd_tw2", part=1)
    assert to_date.verdict is Verdict.MATCH
    assert to_date.computed.shown == "108.41"
    realised = figure(report, "tabel-4", "IKU-06", "capaian_sd_tw2", part=0)
    assert (realised.claim.role.value, realised.computed.shown) == ("realisation", "116")


def test_a_figure_printed_on_another_basis_and_truncated(report: Reconciliation) -> None:
    placed = figure(report, "tabel-18", "IKU-07", "capaian")
    assert placed.verdict is Verdict.OTHER_COMPUTATION
    (explanation,) = placed.explanations
    assert explanation.changes == ("on basis to_date", "rounded down (truncated)")
    assert explanation.shown == "44.74"
    assert placed.computed.shown == "23.79"
    assert [c.table for c in placed.contradicts] == ["tabel-1"]
    # the trail is the engine's own figure, serialised only by a renderer
    assert isinstance(placed.computed.trail, Achievement)
    assert placed.computed.trail.basis is Basis.PERIOD_VS_ANNUAL
    truncated = figure(report, "tabel-4", "IKU-07", "capaian_sd_tw2", part=1)
    assert truncated.explanations[0].changes == ("rounded down (truncated)",)


def test_an_achievement_printed_capped_or_as_the_realisation(report: Reconciliation) -> None:
    complaints = figure(report, "tabel-1", "IKU-01", "achievement")
    assert complaints.verdict is Verdict.OTHER_COMPUTATION
    assert [c.changes for c in complaints.explanations] == [
        ("with a cap of 100%",),
        ("printing the period realisation as the achievement",),
        ("printing the to_date realisation as the achievement",),
    ]


def test_contradictions_between_tables(report: Reconciliation) -> None:
    claims = figure(report, "tabel-4", "IKU-08", "realisasi_tw2")
    assert claims.verdict is Verdict.CONTRADICTION
    assert [(c.table, c.text) for c in claims.contradicts] == [
        ("tabel-1", "87,5%"),
        ("tabel-3", "87,5%"),
        ("tabel-18", "87,5%"),
    ]
    supply = figure(report, "tabel-4", "IKU-09", "realisasi_tw2")
    assert supply.verdict is Verdict.CONTRADICTION
    assert "printed '-' (no figure), but the data give 3" in supply.reason
    ceiling = figure(report, "teks-ringkasan-eksekutif", "total", "pagu")
    assert ceiling.verdict is Verdict.CONTRADICTION
    assert ceiling.contradicts[0].text == "Rp 6.948.530.000,00"


def test_a_target_in_the_unit_of_the_input(report: Reconciliation) -> None:
    # Table 3 prints the Q1 target of IKU-03 as "100% (2 Dokumen)": 25% of the 8
    # planned documents, expressed in documents, is 2.
    documents = figure(report, "tabel-3", "IKU-03", "target_tw1", part=1)
    assert documents.verdict is Verdict.MATCH
    assert documents.computed.description == "the target for 2025-Q1 in documents: 25 / 12.5"


def test_selecting_tables_keeps_contradictions_with_the_others(report: Reconciliation) -> None:
    shown = report.only(["tabel-4"])
    assert {f.figure.table for f in shown.figures} == {"tabel-4"}
    claims = next(
        f
        for f in shown.figures
        if f.claim.subject == "IKU-08" and f.figure.column == "realisasi_tw2"
    )
    assert claims.verdict is Verdict.CONTRADICTION


def test_rollups_and_budgets(report: Reconciliation) -> None:
    mean = figure(report, "tabel-18", "activity:fasilitasi", "rata_rata")
    assert mean.verdict is Verdict.OTHER_COMPUTATION
    assert mean.explanations[0].changes == (
        "averaging the table's printed column Kinerja % ('-' counted as 0)",
        "rounded down (truncated)",
    )
    assert mean.computed.shown == "83.72"
    support = figure(report, "tabel-18", "activity:dukungan", "rata_rata")
    assert support.explanations[0].changes == ("printed to 1 decimal place",)
    overall = figure(report, "teks-bab-ii-b", "all", "rata_rata")
    assert overall.verdict is Verdict.NOT_REPRODUCED
    assert overall.reason.startswith("no computation ikueval knows gives 55,22%")
    assert len(overall.nearest) == 3
    absorbed = figure(report, "tabel-18", "fasilitasi", "serapan")
    assert absorbed.explanations[0].changes == ("rounded down (truncated)",)
    total = figure(report, "teks-bab-ii-c", "total", "serapan")
    assert (total.verdict, total.computed.shown) == (Verdict.MATCH, "25.61")


def test_json(report: Reconciliation) -> None:
    data = json.loads(json.dumps(reconciliation_data(report)))
    assert data["counts"] == {
        "match": 297,
        "other_computation": 18,
        "contradiction": 4,
        "not_reproduced": 2,
    }
    first = data["figures"][0]
    assert first["figure"]["table"] == "tabel-1"
    assert first["verdict"] == "match"
    computed = data["computations"][first["computed"]]
    assert data["trails"][computed["trail"]]["span"] == "2025"  # the target's own trail


LOWER = (
    "\n"
    + MINIMAL_RULES
    + '\n[achievement]\nlower_is_better = "2t-r"\n'
    + indicator_toml("CASES", name="Cases", unit="Kasus", direction="lower", targets={"annual": 10})
)


def published(
    rows: str, column: str = 'achievement = { shows = "achievement", basis = "period" }'
) -> str:
    """A publication of 2025 with one table of one column."""
    return f"""
[publication]
document = "pk"
period = "2025"
number_format = "international"

[[tables]]
id = "t1"
title = "Table 1"
columns.{column}
rows = [
{rows}
]
"""


def test_the_other_lower_is_better_formula_is_named() -> None:
    rules = loads_rules(LOWER)
    ledger = build_ledger(
        rules, events_from_records(rules, [{"indicator": "CASES", "period": "2025", "value": "20"}])
    )
    text = published('{ indicator = "CASES", achievement = "50%" }')
    (item,) = reconcile(rules, ledger, loads_publication(text, rules)).figures
    assert item.verdict is Verdict.OTHER_COMPUTATION
    assert item.computed.shown == "0.00"  # (2 x 10 - 20) / 10 x 100
    (explanation,) = item.explanations
    assert explanation.changes == ("with the lower-is-better formula t/r",)
    assert explanation.shown == "50.00"  # 10 / 20 x 100
    # computed by the engine on the rule set with the other formula, with its trail
    assert isinstance(explanation.trail, Achievement)
    assert explanation.trail.lower_is_better is LowerIsBetter.INVERSE


TWO_YEARS = (
    MINIMAL_RULES.replace("years = [2025]", "years = [2024, 2025]")
    + """
[[activities]]
id = "A"
name = "Activity A"
budget = { ceiling = 100, document = "pk", year = 2024 }

[[activities]]
id = "B"
name = "Activity B"
budget = { ceiling = 200, document = "pk", year = 2025 }
"""
    + LOWER[LOWER.index("[achievement]") :].replace("annual", "2025")
)


def test_the_total_ceiling_is_of_the_reports_year_as_the_engine_says() -> None:
    """A 2024 budget of A, a 2025 budget of B: the 2025 total is B's alone, as evaluate says."""
    from ikueval import evaluate

    rules = loads_rules(TWO_YEARS)
    ledger = build_ledger(rules, [])
    assert [(b.id, b.ceiling) for b in evaluate(rules, ledger, "2025").budgets] == [("B", 200)]
    rows = '{ activity = "total", pagu = "200" }, { activity = "B", pagu = "200" },'
    text = published(rows + '{ activity = "A", pagu = "-" }', 'pagu = { shows = "ceiling" }')
    figures = reconcile(rules, ledger, loads_publication(text, rules)).figures
    assert [(f.claim.subject, f.verdict, f.computed.shown) for f in figures] == [
        ("total", Verdict.MATCH, "200"),
        ("B", Verdict.MATCH, "200"),
        ("A", Verdict.MATCH, None),  # A has no budget for 2025
    ]


def test_cli() -> None:
    base = ["reconcile", "rules/bp3mi-jateng-2025.toml", "examples/bp3mi-jateng-2025/"]
    published_file = "examples/bp3mi-jateng-2025/published-2025-Q2.toml"
    code, out, _ = run_cli(*base, "--published", published_file, "--table", "tabel-1")
    assert code == 1
    assert out.splitlines()[-1] == (
        "41 figures: 40 match, 1 match only another computation, 0 contradict another "
        "published figure, 0 not reproduced"
    )
    code, out, _ = run_cli(
        *base, "--published", published_file, "--period", "2025-Q2", "--format", "json"
    )
    assert code == 1
    assert json.loads(out)["counts"]["match"] == 297
    code, _, err = run_cli(*base, "--published", published_file, "--period", "2025-Q1")
    assert code == 2
    assert err.splitlines()[-1] == f"{published_file} holds the figures of 2025-Q2, not 2025-Q1"
    code, _, err = run_cli(*base, "--published", published_file, "--table", "tabel-9")
    assert code == 2
    assert err.splitlines()[-1].startswith(f"no table tabel-9 in {published_file}; it has tabel-1")


def indonesian(value: object) -> str:
    text = str(value)
    if "." not in text:
        return f"{int(text):,}".replace(",", ".") if text.lstrip("-").isdigit() else text
    whole, fraction = text.split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + fraction


@pytest.mark.parametrize("period", ["2025-Q1", "2025-Q2", "2025-05"])
def test_a_report_printed_from_the_engine_reconciles_exactly(
    period: str, bundled_rules: RuleSet, bundled_ledger: Ledger
) -> None:
    """Print every figure the engine computes as a report would; every one matches."""
    from ikueval import Basis, evaluate

    rules, ledger = bundled_rules, bundled_ledger
    evaluation = evaluate(rules, ledger, period)
    rows = []
    for result in evaluation.indicators:
        cells = {"indicator": result.id}
        for span in ("period", "to_date", "annual"):
            target = result.targets[span].value
            cells[f"target_{span}"] = "-" if target is None else indonesian(target)
        for span in ("period", "to_date"):
            realisation = result.realisations[span].value
            cells[f"realisation_{span}"] = "-" if realisation is None else indonesian(realisation)
        for basis in Basis:
            value = result.achievement(basis).value
            cells[basis.value] = "-" if value is None else indonesian(value) + "%"
        rows.append("{ " + ", ".join(f'{k} = "{v}"' for k, v in cells.items()) + " }")
    columns = [
        *(
            f'columns.target_{s} = {{ shows = "target", span = "{s}" }}'
            for s in ("period", "to_date", "annual")
        ),
        *(
            f'columns.realisation_{s} = {{ shows = "realisation", span = "{s}" }}'
            for s in ("period", "to_date")
        ),
        *(f'columns.{b.value} = {{ shows = "achievement", basis = "{b.value}" }}' for b in Basis),
    ]
    text = (
        f'[publication]\ndocument = "lkj-2025-q2"\nperiod = "{period}"\n'
        'number_format = "indonesian"\n\n[[tables]]\nid = "engine"\ntitle = "Printed by ikueval"\n'
        + "\n".join(columns)
        + "\nrows = [\n  "
        + ",\n  ".join(rows)
        + "\n]\n"
    )
    reconciliation = reconcile(rules, ledger, loads_publication(text, rules))
    mismatched = [f.reason for f in reconciliation.figures if f.verdict is not Verdict.MATCH]
    assert mismatched == []
    assert len(reconciliation.figures) == len(rules.indicators) * 9
