"""The JSON of a reconciliation: every figure, computation and trail once, referred to by
key, and an output that grows with the printed figures, not with their square."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PUBLISHED, examples
from ikueval import Ledger, RuleSet, render_json, render_table
from ikueval._converters import results_converter
from ikueval._errors import UsageError
from ikueval._loading.published import load_publication, loads_publication
from ikueval._reconcile import Reconciliation, Verdict, reconcile
from ikueval._reconcile.contradictions import MAX_NAMED, MAX_NAMED_CHARS
from ikueval._reports import RENDERERS, Lang, RenderOptions
from ikueval._reports.reconcile import FORMAT_VERSION, reconciliation_data


@pytest.fixture(scope="module")
def report(bundled_rules: RuleSet, bundled_ledger: Ledger) -> Reconciliation:
    return reconcile(bundled_rules, bundled_ledger, load_publication(PUBLISHED, bundled_rules))


def data_of(reconciliation: Reconciliation) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(render_json(reconciliation))
    return result


def check_references(data: dict[str, Any]) -> None:
    """Every key names something written, and everything written is named."""
    computations, trails = data["computations"], data["trails"]
    used_computations = set()
    for figure in data["figures"]:
        keys = [figure["computed"], *figure["explanations"], *figure["nearest"]]
        assert all(key in computations for key in keys)
        used_computations.update(keys)
    assert used_computations == set(computations)
    used_trails = {c["trail"] for c in computations.values()} - {None}
    assert used_trails == set(trails)
    written = [json.dumps(t, sort_keys=True) for t in trails.values()]
    assert len(written) == len(set(written))  # each trail once
    written = [json.dumps(c, sort_keys=True) for c in computations.values()]
    assert len(written) == len(set(written))  # each computation once
    ids = [f["id"] for f in data["figures"]]
    others = [f["id"] for f in data["other_figures"]]
    assert len(set(ids + others)) == len(ids + others)
    for figure in data["figures"]:
        assert set(figure["contradicts"]) <= set(ids + others)


def test_the_bundled_report_written_once_per_figure(report: Reconciliation) -> None:
    data = data_of(report)
    assert data["ikueval"] == FORMAT_VERSION == 2
    assert [f["id"] for f in data["figures"]] == list(range(1, 322))
    assert data["other_figures"] == []
    check_references(data)
    assert sorted(data)[:4] == ["computations", "counts", "document", "figures"]
    by_id = {f["id"]: f for f in data["figures"]}
    [wrong] = [
        f
        for f in data["figures"]
        if (f["figure"]["table"], f["claim"]["subject"], f["figure"]["column"])
        == ("tabel-4", "IKU-08", "realisasi_tw2")
    ]
    assert wrong["verdict"] == "contradiction"
    assert wrong["printed_differently"] == 3
    assert [
        (by_id[i]["figure"]["table"], by_id[i]["figure"]["text"]) for i in wrong["contradicts"]
    ] == [
        ("tabel-1", "87,5%"),
        ("tabel-3", "87,5%"),
        ("tabel-18", "87,5%"),
    ]
    computed = data["computations"][wrong["computed"]]
    assert computed["shown"] == "87.5"
    assert data["trails"][computed["trail"]]["span"] == "2025-Q2"


def test_nothing_is_lost(report: Reconciliation) -> None:
    """The references resolve to every figure's computations with their whole trails, as
    version 1 of the document wrote them under each figure."""
    data = data_of(report)
    whole = json.loads(json.dumps(results_converter().unstructure(report)))
    by_id = {f["id"]: f for f in data["figures"]}

    def resolved(key: str) -> dict[str, Any]:
        computation = dict(data["computations"][key])
        trail = computation["trail"]
        computation["trail"] = None if trail is None else data["trails"][trail]
        return computation

    for inline, written in zip(whole["figures"], data["figures"], strict=True):
        assert inline["figure"] == {"number": written["id"], **written["figure"]}
        assert inline["computed"] == resolved(written["computed"])
        assert inline["explanations"] == [resolved(k) for k in written["explanations"]]
        assert inline["nearest"] == [resolved(k) for k in written["nearest"]]
        named = [{"number": i, **by_id[i]["figure"]} for i in written["contradicts"]]
        assert inline["contradicts"] == named
        assert (inline["verdict"], inline["reason"]) == (written["verdict"], written["reason"])
        assert inline["printed_differently"] == written["printed_differently"]


def test_the_figures_of_other_tables_a_shown_figure_names_are_written_once(
    report: Reconciliation,
) -> None:
    data = data_of(report.only(["tabel-4"]))
    assert {f["figure"]["table"] for f in data["figures"]} == {"tabel-4"}
    check_references(data)
    others = {f["id"]: f for f in data["other_figures"]}
    assert {f["table"] for f in others.values()} == {"tabel-1", "tabel-3", "tabel-18"}
    assert all(
        set(f) == {"id", "table", "row", "line", "column", "part", "text", "cell"}
        for f in others.values()
    )
    named = {i for f in data["figures"] for i in f["contradicts"]}
    assert set(others) == named


def test_the_same_inputs_give_the_same_document(
    report: Reconciliation, bundled_rules: RuleSet, bundled_ledger: Ledger
) -> None:
    again = reconcile(bundled_rules, bundled_ledger, load_publication(PUBLISHED, bundled_rules))
    assert render_json(again) == render_json(report)


def one_table(cells: Sequence[str], *, table: str = "t", columns: int = 1) -> str:
    """A publication printing IKU-07's realisation of 2025-Q2 in every cell, ``columns``
    cells to a row."""
    names = [f"c{i}" for i in range(columns)]
    heads = "".join(f'columns.{n} = {{ shows = "realisation", span = "period" }}\n' for n in names)
    rows = []
    for start in range(0, len(cells), columns):
        row = cells[start : start + columns]
        written = ", ".join(f'{n} = "{text}"' for n, text in zip(names, row, strict=False))
        rows.append(f'  {{ indicator = "IKU-07", {written} }},\n')
    return (
        '[publication]\ndocument = "lkj-2025-q2"\nperiod = "2025-Q2"\n'
        f'number_format = "indonesian"\n\n[[tables]]\nid = "{table}"\ntitle = "T"\n'
        f"{heads}rows = [\n{''.join(rows)}]\n"
    )


def reconciled(rules: RuleSet, ledger: Ledger, text: str) -> Reconciliation:
    return reconcile(rules, ledger, loads_publication(text, rules))


#: What one printed figure adds to the JSON at most: its place, claim and printed
#: figure, its verdict and reason (which names the nearest computations and at
#: most three figures printed differently), and the keys of its computations.
BYTES_PER_FIGURE = 1_600
#: What one printed figure adds to the text at most: its line and its reason.
TEXT_BYTES_PER_FIGURE = 700


@settings(max_examples=examples(30), deadline=None)
@given(
    printed=st.lists(
        st.sampled_from(["7.375 Orang", "7.376 Orang", "-", "23,79%", "100%", "1 Orang"]),
        min_size=1,
        max_size=40,
    ),
    distinct=st.integers(0, 40),
    columns=st.integers(1, 8),
)
def test_the_output_grows_with_the_printed_figures(
    bundled_rules: RuleSet,
    bundled_ledger: Ledger,
    printed: list[str],
    distinct: int,
    columns: int,
) -> None:
    """Whatever a table prints, and however often, each printed figure adds a bounded
    number of bytes, and the computations and trails are those of the one claim."""
    cells = printed + [f"{i} Orang" for i in range(distinct)]
    result = reconciled(bundled_rules, bundled_ledger, one_table(cells, columns=columns))
    data = reconciliation_data(result)
    check_references(json.loads(json.dumps(data)))
    written = render_json(result)
    shared = len(json.dumps({k: data[k] for k in ("computations", "trails")}, indent=2))
    assert len(written) - shared <= 2_000 + BYTES_PER_FIGURE * len(cells)
    assert len(data["trails"]) <= 10
    assert len(data["computations"]) <= 40
    text = render_table(result)
    assert len(text) <= 1_000 + TEXT_BYTES_PER_FIGURE * len(cells)


@pytest.mark.parametrize("same", [True, False], ids=["printed-the-same", "printed-differently"])
def test_doubling_the_figures_doubles_the_output(
    bundled_rules: RuleSet, bundled_ledger: Ledger, same: bool
) -> None:
    """The fuzz harness's case (tests/fuzz/known.py): a table printing IKU-07's realisation
    400 times wrote its trail 400 times (9.4 MB), and 400 figures printed differently
    named each other 400 x 399 times."""

    def sizes(count: int) -> tuple[int, int]:
        cells = ["7.375 Orang" if same else f"{i} Orang" for i in range(count)]
        result = reconciled(bundled_rules, bundled_ledger, one_table(cells))
        return len(render_json(result)), len(render_table(result))

    (json100, text100), (json200, text200), (json400, text400) = map(sizes, (100, 200, 400))
    assert json400 - json200 <= 2.1 * (json200 - json100)
    assert text400 - text200 <= 2.1 * (text200 - text100)
    assert json400 < 600_000


def test_a_figure_names_the_first_figures_printed_differently_and_counts_the_rest(
    bundled_rules: RuleSet, bundled_ledger: Ledger
) -> None:
    cells = ["7.375 Orang", "1 Orang", "1 Orang", "2 Orang", "3 Orang", "4 Orang", "1 Orang"]
    result = reconciled(bundled_rules, bundled_ledger, one_table(cells))
    right, one, *_ = result.figures
    assert right.verdict is Verdict.MATCH
    assert right.printed_differently == 6
    assert [f.text for f in right.contradicts] == ["1 Orang", "1 Orang", "2 Orang"]
    assert right.reason.endswith(
        "; t (1 Orang), t (1 Orang), t (2 Orang) and 3 other figures print the same figure "
        "differently"
    )
    assert one.verdict is Verdict.CONTRADICTION
    assert one.printed_differently == 4
    assert [f.text for f in one.contradicts] == ["7.375 Orang", "2 Orang", "3 Orang"]
    assert one.reason.startswith(
        "contradicts t (7.375 Orang), t (2 Orang), t (3 Orang) and 1 other figure, which claim "
        "the same figure; "
    )
    assert all(len(f.contradicts) <= MAX_NAMED for f in result.figures)


def test_a_long_table_id_or_text_is_shortened_where_another_figure_names_it(
    bundled_rules: RuleSet, bundled_ledger: Ledger
) -> None:
    table = "t" * 1_000
    text = "7 " + "Orang" * 200
    result = reconciled(
        bundled_rules, bundled_ledger, one_table([text, "7.375 Orang"], table=table)
    )
    _, right = result.figures
    named = right.reason.split("; ")[-1]
    assert named.startswith("t" * (MAX_NAMED_CHARS // 2) + "...(1000 characters)...")
    assert "(1002 characters)" in named
    assert len(named) < 4 * MAX_NAMED_CHARS + 100


# --------------------------------------------------------------------------- the API's renderers


def test_render_table_and_render_json_take_a_reconciliation_as_the_command_writes_it(
    report: Reconciliation,
) -> None:
    options = RenderOptions()
    assert render_table(report) == RENDERERS.reconcile["table"].render(report, options)
    assert render_json(report) == RENDERERS.reconcile["json"].render(report, options)
    assert render_table(report).splitlines()[-1].startswith("321 figures: ")


def test_a_reconciliation_table_is_written_in_english_only(report: Reconciliation) -> None:
    assert render_table(report, lang=Lang.EN) == render_table(report)
    with pytest.raises(UsageError) as caught:
        render_table(report, lang=Lang.ID)
    assert str(caught.value) == (
        "render_table: a reconciliation's table is written in English only, not in 'id' "
        "(leave lang out)"
    )


@pytest.mark.parametrize("render", [render_table, render_json])
@pytest.mark.parametrize("thing", [None, "2025-Q2", {"ikueval": 2}])
def test_the_renderers_refuse_what_they_do_not_render(render: Any, thing: object) -> None:
    with pytest.raises(UsageError) as caught:
        render(thing)
    assert str(caught.value) == (
        f"{render.__name__}: expected an Evaluation (from ikueval.evaluate) or a "
        f"Reconciliation (from ikueval.reconcile), found {type(thing).__name__}"
    )


def test_no_renderer_is_named_after_what_it_renders() -> None:
    """One function per output format: ``render_json``, not ``render_reconciliation_json``."""
    import ikueval

    public = [name for name in ikueval.__all__ if name.startswith("render_")]
    assert not [name for name in public if "reconciliation" in name or "evaluation" in name]
    assert not hasattr(ikueval, "render_reconciliation")
    assert not hasattr(ikueval, "render_reconciliation_json")
