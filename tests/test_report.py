"""The report model (a view of the evaluation), its labels, number formats and renderers."""

from __future__ import annotations

import re
import string
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ikueval
from conftest import examples, matches_recorded, run_cli
from ikueval._model import Aggregation, Basis, Direction, MemberValues, MissingPolicy
from ikueval._reconcile import Verdict
from ikueval._reports import (
    RENDERERS,
    Lang,
    RenderOptions,
    build_report,
    measured_periods,
    render_html,
    render_markdown,
    render_xlsx,
)
from ikueval._reports.cells import assess
from ikueval._reports.document import (
    Assessment,
    GroupRow,
    Label,
    MissingCell,
    Notes,
    Row,
    StatusCell,
    Table,
    TextCell,
)
from ikueval._reports.formats import REPORT_MARKS, amount, number, percent
from ikueval._reports.labels import LABELS, Words
from ikueval._reports.show import Shower, cell_value
from ikueval._results import Status
from reporting import EVENTS, PUBLISHED, ROOT, RULES, as_decimal, example, json_figure

GOLDEN = ROOT / "tests" / "data" / "golden"


# -- labels and number formats ------------------------------------------------


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_label_exists_in_both_languages_with_the_same_fields() -> None:
    english, indonesian = LABELS[Lang.EN], LABELS[Lang.ID]
    assert set(english) == set(indonesian)
    # Callers fill the fields of both; only period names use different ones
    # (Indonesian numbers quarters in Roman numerals and names a span by its end).
    allowed = {"q", "roman", "first"}
    different = [
        key for key in english if (_fields(english[key]) ^ _fields(indonesian[key])) - allowed
    ]
    assert different == []
    assert all(text.strip() for labels in LABELS.values() for text in labels.values())


@pytest.mark.parametrize("lang", list(Lang))
def test_every_enum_member_has_its_words(lang: Lang) -> None:
    words = Words(lang)
    keys = [f"status.{s.value}" for s in Status]
    keys += [f"mark.{s.value}" for s in Status if s is not Status.COMPUTED]
    keys += [f"basis.{b.value}" for b in Basis] + [f"basis.phrase.{b.value}" for b in Basis]
    keys += [f"explain.basis.{b.value}" for b in Basis] + [f"table.basis.{b.value}" for b in Basis]
    keys += [f"assessment.{a.value}" for a in Assessment] + [f"verdict.{v.value}" for v in Verdict]
    keys += [f"aggregation.{a.value}" for a in Aggregation]
    keys += [f"explain.method.{a.value}" for a in Aggregation]
    keys += [f"direction.{d.value}" for d in Direction]
    keys += [f"missing.{m.value}" for m in MissingPolicy]
    keys += [f"member_values.{m.value}" for m in MemberValues]
    missing = [key for key in keys if key not in LABELS[lang]]
    assert missing == []
    assert words.period("2025-Q2") == {Lang.ID: "Triwulan II 2025", Lang.EN: "Q2 2025"}[lang]
    assert (
        words.period("2025-Q1..2025-Q2", short=True)
        == {Lang.ID: "s.d. TW II", Lang.EN: "Q1–Q2"}[lang]
    )
    assert words.period("2025-05") == {Lang.ID: "Mei 2025", Lang.EN: "May 2025"}[lang]


def test_numbers_are_written_as_each_language_writes_them() -> None:
    indonesian, english = REPORT_MARKS[Lang.ID], REPORT_MARKS[Lang.EN]
    assert percent(Decimal("33.64"), indonesian) == "33,64%"
    assert number(Decimal("7375"), indonesian) == "7.375"
    assert amount(Decimal("6948530000"), indonesian) == "Rp 6.948.530.000"
    assert percent(Decimal("33.64"), english) == "33.64%"
    assert number(Decimal("7375"), english) == "7,375"
    assert amount(Decimal("6948530000"), english) == "Rp 6,948,530,000"
    assert number(Decimal("-1234567.125"), indonesian) == "-1.234.567,125"
    assert number(Decimal("12.500"), english, example().rounding) == "12.50"


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
    )
)
def test_a_written_number_reads_back_as_the_same_figure(value: Decimal) -> None:
    for lang in Lang:
        marks = REPORT_MARKS[lang]
        text = number(value, marks)
        read = text.replace(marks.thousands, "").replace(marks.decimal, ".")
        assert Decimal(read) == value


# -- the report is a view ----------------------------------------------------------


def test_every_figure_of_the_report_is_the_engines_figure_at_its_path() -> None:
    report = example()
    checked = 0
    for _, cell in report.figures():
        assert cell.source is not None
        expected = as_decimal(json_figure(cell.source.period, cell.source.figure))
        if isinstance(cell, MissingCell):
            assert expected is None, cell.source.figure
        else:
            assert cell_value(cell) == expected, cell.source.figure
        checked += 1
    assert checked > 200


def test_every_figure_links_to_a_trace_that_has_its_part() -> None:
    report = example()
    shower = Shower(report, Lang.EN)
    anchors = {trace.anchor: trace for trace in report.traces}
    parts = {a for trace in report.traces for a, _ in shower.trace(trace) if a}
    for _, cell in report.figures():
        assert cell.source is not None
        link = cell.source.link
        assert link is not None, cell.source.figure
        assert cell.source.trace in anchors
        assert link in anchors or link in parts


def test_the_sections_are_those_of_the_issue_in_order() -> None:
    report = example()
    assert [s.id for s in report.sections] == [
        "agreement",
        "quarters",
        "achievement",
        "status",
        "rollups",
        "budget",
        "comparisons",
        "findings",
    ]
    assert [s.number for s in report.sections] == list(range(1, 9))
    comparisons = report.sections[6]
    assert comparisons.blocks == (Notes((Label("section.comparisons.none"),)),)


def test_achievement_headings_name_their_basis() -> None:
    shower = Shower(example(), Lang.ID)
    table = next(b for b in example().sections[2].blocks if isinstance(b, Table))
    headings = [shower.text(c.heading) for c in table.columns if c.basis is not None]
    assert headings == [
        "Capaian TW II terhadap target TW II",
        "Capaian TW II terhadap target tahunan",
        "Capaian s.d. TW II terhadap target tahunan",
        "Capaian s.d. TW II terhadap target s.d. TW II",
    ]
    english = Shower(example(), Lang.EN)
    assert (
        english.text(table.columns[-1].heading) == "Achievement Q1–Q2 against the target of Q1–Q2"
    )
    every_heading = [
        shower.text(c.heading).casefold()
        for s in example().sections
        for b in s.blocks
        if isinstance(b, Table)
        for c in b.columns
    ]
    assert "capaian" not in every_heading


def _statuses(report: ikueval._reports.Report) -> dict[str, StatusCell]:
    table = next(b for b in report.sections[3].blocks if isinstance(b, Table))
    found = {}
    for row in table.rows:
        if isinstance(row, Row):
            ident = row.cells[1]
            assert isinstance(ident, TextCell)
            assert isinstance(ident.text, str)
            found[ident.text] = next(c for c in row.cells if isinstance(c, StatusCell))
    return found


def test_status_per_indicator_with_the_reason() -> None:
    statuses = _statuses(example())
    shower = Shower(example(), Lang.EN)
    assert statuses["IKU-06"].assessment is Assessment.MET
    assert statuses["IKU-08"].assessment is Assessment.NOT_MET
    assert statuses["IKU-04"].assessment is Assessment.NOT_ASSESSABLE
    assert shower.text(statuses["IKU-04"].reason) == "no realisation in Q1–Q2 yet (reported as '-')"
    # IKU-05 reports "-" for Q1: the data do not cover the span, so it is not assessed.
    assert statuses["IKU-05"].assessment is Assessment.NOT_ASSESSABLE
    assert shower.text(statuses["IKU-05"].reason) == "incomplete data: nothing reported for Q1 2025"
    indonesian = Shower(example(), Lang.ID)
    assert indonesian.text(statuses["IKU-05"].reason) == (
        "data belum lengkap: tidak ada laporan untuk Triwulan I 2025"
    )


def test_a_month_without_targets_is_not_assessable() -> None:
    statuses = _statuses(example("2025-05", published=False))
    shower = Shower(example("2025-05", published=False), Lang.EN)
    assert {s.assessment for s in statuses.values()} == {Assessment.NOT_ASSESSABLE}
    assert shower.text(statuses["IKU-07"].reason) == "no target for Jan–May yet"


_HEAD = """
[ruleset]
id = "status-demo"
office = "Demo"
years = [2025]

[[documents]]
id = "pk-2025"
title = "Perjanjian Kinerja 2025"

[rounding]
mode = "half-up"
places = 2

[[indicators]]
id = "A"
name = "Cumulative"
unit = "Orang"
aggregation = "{aggregation}"
direction = "higher"
targets.pk-2025 = {{ Q1 = 10, Q2 = 10, Q3 = 10, Q4 = 10 }}
"""
_REPORTED = st.one_of(st.none(), st.just("-"), st.integers(min_value=0, max_value=40))


@settings(max_examples=examples(60), deadline=None)
@given(
    st.sampled_from(["cumulative", "average", "latest"]),
    st.lists(_REPORTED, min_size=3, max_size=3),
)
def test_incomplete_data_is_never_met(aggregation: str, reported: list[object]) -> None:
    ruleset = ikueval.loads_rules(_HEAD.format(aggregation=aggregation))
    records = [
        {"indicator": "A", "period": f"2025-Q{q}", "value": value}
        for q, value in enumerate(reported, start=1)
        if value is not None
    ]
    evaluation = ikueval.evaluate(ruleset, records, "2025-Q3")
    assessment, reason = assess(
        evaluation, evaluation.indicator("A"), Basis.TO_DATE_VS_TARGET_TO_DATE
    )
    numbers = [value for value in reported if isinstance(value, int)]
    needed = reported[-1:] if aggregation == "latest" else reported
    if any(not isinstance(value, int) for value in needed):
        assert assessment is Assessment.NOT_ASSESSABLE
        assert reason is not None
    elif assessment is Assessment.MET:
        assert numbers


def test_measured_evaluations_must_be_the_periods_to_date() -> None:
    ruleset = ikueval.load_rules(RULES)
    ledger = ikueval.build_ledger(ruleset, ikueval.read_events(ruleset, [EVENTS]))
    q2 = ikueval.evaluate(ruleset, ledger, "2025-Q2")
    assert measured_periods("2025-Q2") == ("2025-Q1", "2025-Q2")
    assert measured_periods("2025") == ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
    assert measured_periods("2025-03") == ("2025-01", "2025-02", "2025-03")
    with pytest.raises(ikueval.UsageError, match="needs the evaluations of 2025-Q1, 2025-Q2"):
        build_report(q2, ruleset, measured=[q2])


# -- renderers -------------------------------------------------------------------------


_HOSTILE = """
[ruleset]
id = "hostile"
office = "<b>Office</b> & co"
years = [2025]

[[documents]]
id = "pk-2025"
title = "<img src=x onerror=alert(1)>"

[rounding]
mode = "half-up"
places = 2

[[objectives]]
id = "SS-1"
name = "</table><script>alert('objective')</script>"

[[indicators]]
id = "IKU-1"
name = "<script>alert('name')</script> | *bold* [link](http://x)"
unit = "Orang<br>"
aggregation = "cumulative"
direction = "higher"
objective = "SS-1"
targets.pk-2025 = { Q1 = 10 }
"""


def test_names_from_rule_files_are_escaped() -> None:
    ruleset = ikueval.loads_rules(_HOSTILE)
    evaluation = ikueval.evaluate(
        ruleset, [{"indicator": "IKU-1", "period": "2025-Q1", "value": 3}], "2025-Q1"
    )
    report = build_report(evaluation, ruleset)
    page = render_html(report, lang=Lang.EN)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>Office" not in page
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in page
    markdown = render_markdown(report, lang=Lang.EN)
    assert r"\<script\>alert('name')\</script\> \| \*bold\* \[link\](http://x)" in markdown
    assert "| Orang\\<br\\> |" in markdown


def test_the_page_is_self_contained() -> None:
    page = render_html(example(), lang=Lang.ID)
    for outside in ("<link", "@import", "url(", " src=", "https://"):
        assert outside not in page
    assert page.count("http://") == page.count('xmlns="http://www.w3.org/2000/svg"')
    assert page.count("<svg") == 2 + 13  # achievement and budget charts, 13 panels


@pytest.mark.parametrize("name", sorted(RENDERERS.report))
def test_the_same_inputs_give_the_same_bytes(name: str) -> None:
    ruleset = ikueval.load_rules(RULES)
    events = list(ikueval.read_events(ruleset, [EVENTS]))
    reports = [
        ikueval._reports.report_of(ruleset, ikueval.build_ledger(ruleset, order), "2025-Q2")
        for order in (events, list(reversed(events)))
    ]
    indonesian = RenderOptions(lang=Lang.ID)
    outputs = [RENDERERS.report[name].render(report, indonesian) for report in reports]
    assert outputs[0] == outputs[1]
    assert RENDERERS.report[name].render(reports[0], indonesian) == outputs[0]


def test_xlsx_without_its_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    with pytest.raises(ikueval.UsageError) as caught:
        render_xlsx(example(), lang=Lang.ID)
    assert str(caught.value) == (
        "the xlsx format needs the XlsxWriter package, which is not installed "
        "(install it with: pip install 'ikueval[xlsx]')"
    )


@pytest.mark.parametrize("lang", list(Lang))
def test_markdown_output_unchanged(lang: Lang) -> None:
    assert matches_recorded(
        render_markdown(example(), lang=lang), GOLDEN / f"report-md-{lang.value}.md"
    )


def test_markdown_tables_have_as_many_cells_as_headings() -> None:
    text = render_markdown(example(), lang=Lang.ID)
    for block in text.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("| ")]
        if rows:
            widths = {line.replace("\\|", "").count("|") for line in rows}
            assert len(widths) == 1, rows[0]
    tables = sum(1 for s in example().sections for b in s.blocks if isinstance(b, Table))
    assert text.count("| --- |") + text.count("| ---: |") >= tables
    assert (
        sum(
            1
            for s in example().sections
            for b in s.blocks
            for r in getattr(b, "rows", ())
            if isinstance(r, GroupRow)
        )
        > 0
    )


# -- the command line ------------------------------------------------------------------


def test_report_command_writes_each_format(tmp_path: Path) -> None:
    base = ["report", str(RULES), str(EVENTS), "--period", "2025-Q2"]
    code, out, err = run_cli(*base, "--format", "md", "--lang", "en")
    assert code == 0
    assert out.startswith("# Performance report, Q2 2025: BP3MI Jawa Tengah\n")
    assert "warning: quarterly targets" in err
    for name in ("html", "xlsx"):
        target = tmp_path / f"report.{name}"
        code, out, _ = run_cli(*base, "--format", name, "-o", str(target))
        assert (code, out) == (0, "")
        assert target.stat().st_size > 10_000
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in page
    assert "Tidak ada laporan terbitan" in page


def test_report_command_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    base = ["report", str(RULES), str(EVENTS), "--period", "2025-Q2"]
    code, _, err = run_cli(*base, "--format", "xlsx")  # standard output is text here
    assert code == 2
    assert err.endswith(
        "the xlsx format is binary and is not written to a terminal (give the file to write "
        "with -o FILE, or redirect standard output)\n"
    )
    code, _, err = run_cli(
        "report",
        str(RULES),
        str(EVENTS),
        "--period",
        "2025-Q1",
        "--format",
        "md",
        "--published",
        str(PUBLISHED),
    )
    assert code == 2
    assert err.endswith(f"{PUBLISHED} holds the figures of 2025-Q2, not 2025-Q1\n")
    missing = tmp_path / "no" / "such" / "dir" / "report.html"
    code, _, err = run_cli(*base, "--format", "html", "-o", str(missing))
    assert code == 2
    assert err.endswith(f"{missing}: cannot write the output: No such file or directory\n")


def test_report_command_reconciles_published_figures() -> None:
    code, out, _ = run_cli(
        "report",
        str(RULES),
        str(EVENTS),
        "--period",
        "2025-Q2",
        "--format",
        "md",
        "--lang",
        "en",
        "--published",
        str(PUBLISHED),
    )
    assert code == 0
    assert re.search(r"\n- \d+ figures: \d+ match, \d+ match only another computation", out)


def test_evaluate_and_explain_speak_indonesian_when_asked() -> None:
    code, out, _ = run_cli(
        "evaluate", str(RULES), str(EVENTS), "--period", "2025-Q2", "--lang", "id"
    )
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("IKU-07"))
    assert line.split()[2:7] == ["7.000", "13.000", "31.000", "7.375", "13.871"]
    assert "capaian dalam %, dibulatkan half-up ke 2 desimal" in out
    assert "Penyerapan anggaran 2025-Q1..2025-Q2: realisasi / pagu x 100" in out
    code, out, _ = run_cli(
        "explain",
        str(RULES),
        str(EVENTS),
        "--period",
        "2025-Q2",
        "--indicator",
        "IKU-06",
        "--lang",
        "id",
    )
    assert code == 0
    assert "[to_date] realisasi Januari s.d. akhir periode terhadap target tahunan" in out
    assert "          = 108,4112149532710280373831775700934579439 (tanpa pembulatan)" in out
    assert "  dibulatkan half-up ke 2 desimal: 108,41" in out
