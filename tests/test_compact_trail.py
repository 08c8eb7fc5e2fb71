"""The compact trail: the figures of the full one, a part per month, replaying exactly.

``evaluate(..., trail="compact")`` keeps a part per month (or per declared
period longer than a month) instead of a part per cell. Whatever the rule set
and the events, its figures are those of the full trail, every figure replays
from the compact trail alone (also after a trip through JSON), the parts are
bounded by the months of the span, and their sources cover every row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import achievements, examples
from ikueval import (
    Evaluation,
    EventConflictError,
    EventSource,
    Period,
    RuleSet,
    UsageError,
    build_ledger,
    evaluate,
    evaluation_data,
    evaluation_from_data,
    events_from_records,
    loads_rules,
    render_json,
    replay,
    replay_budget,
    replay_comparisons,
    replay_composite,
    replay_rollup,
)
from ikueval._model import Aggregation
from ikueval._part_sources import MAX_RANGES_PER_FILE, MAX_REFS_PER_PART, SourceSummary
from ikueval._periods import Granularity
from ikueval._results import Aggregate, Trail
from ikueval.testing import Dataset, cases, datasets

SETTINGS = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

#: Datasets with more events per input than the default, by day and month mostly, so
#: that months hold several periods and several dimension values.
busy = cases(datasets(max_events=12, granularities=("day", "day", "month", "quarter", "year")))


def both(dataset: Dataset, period: Period) -> tuple[Evaluation, Evaluation]:
    """The full and the compact evaluation of the same ledger, its rows read from files."""
    events = [
        attrs.evolve(event, source=EventSource(f"data-{index % 2}.csv", 2 + index))
        if index % 3
        else event  # every third keeps its reference: sources of both kinds
        for index, event in enumerate(events_from_records(dataset.rules, dataset.records))
    ]
    ledger = build_ledger(dataset.rules, events)
    return (
        evaluate(dataset.rules, ledger, period),
        evaluate(dataset.rules, ledger, period, trail="compact"),
    )


def without_parts(data: Any) -> Any:
    """A document with the parts of every aggregate and the kind of trail left out, and
    the notes on values reported as "-" (one per month in a compact trail) as one mark."""
    if isinstance(data, dict):
        return {
            key: dashes(value) if key == "notes" else without_parts(value)
            for key, value in data.items()
            if key not in ("parts", "trail")
        }
    if isinstance(data, list):
        return [without_parts(item) for item in data]
    return data


def dashes(notes: list[str]) -> list[str]:
    others = [note for note in notes if "reported as '-'" not in note]
    return others + ["-"] * (len(others) < len(notes))


def aggregates(evaluation: Evaluation) -> Iterator[Aggregate]:
    """Every aggregate of realisations and spending, in document order."""
    for result in evaluation.indicators:
        for realisation in result.realisations.values():
            yield from realisation.inputs
        if result.comparisons is not None and result.comparisons.previous_year.realisation:
            yield from result.comparisons.previous_year.realisation.inputs
    for budget in evaluation.budgets:
        yield from budget.spending


def replay_everything(evaluation: Evaluation) -> None:
    for achievement in achievements(evaluation):
        assert replay(achievement) == achievement.value
    for result in evaluation.indicators:
        replay_comparisons(result)
    for rollup in evaluation.rollups:
        assert replay_rollup(rollup) == rollup.value
    for budget in evaluation.budgets:
        assert replay_budget(budget) == budget.value
    for composite in evaluation.composites:
        assert replay_composite(composite) == composite.value


@SETTINGS
@given(case=busy)
def test_compact_and_full_trails_give_the_same_figures(case: tuple[Dataset, Period]) -> None:
    full, compact = both(*case)
    assert (full.trail, compact.trail) == (Trail.FULL, Trail.COMPACT)
    assert without_parts(evaluation_data(compact)) == without_parts(evaluation_data(full))


@SETTINGS
@given(case=busy)
def test_the_compact_trail_replays_every_figure(case: tuple[Dataset, Period]) -> None:
    _, compact = both(*case)
    replay_everything(compact)
    back = evaluation_from_data(json.loads(render_json(compact)))
    assert back == compact
    replay_everything(back)


@SETTINGS
@given(case=busy)
def test_compact_parts_summarise_the_cells_per_month(case: tuple[Dataset, Period]) -> None:
    """A part per month or longer period (cumulative, average), or per period ending last
    in its month (latest); the events and periods counted; every row's line listed."""
    full, compact = both(*case)
    for whole, summary in zip(aggregates(full), aggregates(compact), strict=True):
        groups = {group_of(part.period) for part in whole.parts}
        labels = [part.period for part in summary.parts]
        assert len(labels) == len(set(labels))
        if whole.method is Aggregation.LATEST:
            assert {group_of(label) for label in labels} == groups
            assert len(labels) <= 4 * len(groups)  # a day, a month... ending the same day
            assert set(labels) <= {part.period for part in whole.parts}
        else:
            assert sorted(labels) == sorted(groups)
            for part in summary.parts:
                merged = [p for p in whole.parts if group_of(p.period) == part.period]
                assert part.count == sum(p.count for p in merged)
                assert part.periods == len({p.period for p in merged})
                shared = set.intersection(*(set(p.dimensions.items()) for p in merged))
                assert dict(part.dimensions) == dict(sorted(shared))
                assert covers(part.sources, [s for p in merged for s in p.sources])


def group_of(label: str) -> str:
    period = Period.parse(label)
    if period.granularity is Granularity.DAY:
        return label[:7]
    return label


def covers(summary: tuple[str, ...], sources: list[str]) -> bool:
    """Whether every file line of ``sources`` lies in a range of ``summary``."""
    listed = dict(file_ranges(text) for text in summary)
    for text in sources:
        name, lines = file_ranges(text)
        for first, last in lines:
            if name and not any(a <= first and last <= b for a, b in listed.get(name, [])):
                return False
    return True


def file_ranges(text: str) -> tuple[str, list[tuple[int, int]]]:
    """A file source's name and line ranges (``""`` for a reference)."""
    name, _, lines = text.rpartition(":")
    if " rows in lines " in lines:
        low, _, high = lines.rpartition(" ")[2].partition("-")
        return name, [(int(low), int(high))]
    if not name or not lines.replace(",", "").replace("-", "").isdigit():
        return "", []
    pieces = (piece.partition("-") for piece in lines.split(","))
    return name, [(int(a), int(b or a)) for a, _, b in pieces]


@SETTINGS
@given(case=busy, data=st.data())
def test_the_compact_document_does_not_depend_on_the_order_of_the_events(
    case: tuple[Dataset, Period], data: st.DataObject
) -> None:
    dataset, period = case
    shuffled = data.draw(st.permutations(dataset.records))
    first = evaluate(dataset.rules, dataset.records, period, trail="compact")
    second = evaluate(dataset.rules, shuffled, period, trail="compact")
    assert render_json(first) == render_json(second)


def test_the_trail_is_full_or_compact(bundled_rules: RuleSet) -> None:
    with pytest.raises(UsageError, match=r"^expected the trail 'full' or 'compact', found text"):
        evaluate(bundled_rules, [], "2025-Q2", trail="short")
    assert evaluate(bundled_rules, [], "2025-Q2", trail=Trail.COMPACT).trail is Trail.COMPACT


# --------------------------------------------------------------------------- sources

ranges = st.lists(
    st.tuples(st.integers(1, 400), st.integers(0, 6)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=30,
)


@settings(max_examples=examples(200), deadline=None)
@given(pieces=ranges, data=st.data())
def test_source_ranges_merge_whatever_their_order(
    pieces: list[tuple[int, int]], data: st.DataObject
) -> None:
    """The union of the ranges, merged, while there are few; past the bound, the number
    of rows and the first and last line."""
    texts = [f"a.csv:{a}" if a == b else f"a.csv:{a}-{b}" for a, b in pieces]
    summaries = []
    for order in (texts, data.draw(st.permutations(texts))):
        summary = SourceSummary()
        for text in order:
            summary.add_text(text)
        summaries.append(summary.texts())
    assert summaries[0] == summaries[1]
    lines = sorted({line for a, b in pieces for line in range(a, b + 1)})
    if not lines:
        assert summaries[0] == ()
        return
    runs = [[lines[0], lines[0]]]
    for line in lines[1:]:
        if line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    (text,) = summaries[0]
    if len(runs) <= MAX_RANGES_PER_FILE:
        assert text == "a.csv:" + ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)
    else:
        rows = sum(b - a + 1 for a, b in pieces)
        assert text == f"a.csv: {rows} rows in lines {lines[0]}-{lines[-1]}"


def test_sources_of_several_kinds() -> None:
    summary = SourceSummary()
    for text in [
        "b.csv:7",
        "a.csv: 120 rows in lines 3-900",
        "a.csv:1",
        "C:/data/c.csv:4-5",
        *(f"record[{n}]" for n in range(12, 0, -1)),
        "record[3]",  # listed once
        "... and 4 more references",
    ]:
        summary.add_text(text)
    assert summary.texts() == (
        "C:/data/c.csv:4-5",
        "a.csv: 121 rows in lines 1-900",
        "b.csv:7",
        *sorted(f"record[{n}]" for n in range(1, 13))[:MAX_REFS_PER_PART],
        "... and 6 more references",
    )


# --------------------------------------------------------------------------- layers

LAYERED = """
[ruleset]
id = "layers"
office = "Test office"
years = [2025]

[[documents]]
id = "pk"
title = "Performance agreement"

[rounding]
mode = "half-up"
places = 2

[dimensions.layer]
values = ["d", "m", "q", "y"]

[dimensions.gender]
values = ["L", "P"]
"""
LAYERED += "".join(
    f"""
[[indicators]]
id = "{method[:3].upper()}"
name = "{method}"
unit = "Orang"
aggregation = "{method}"
direction = "higher"
dimensions = ["layer", "gender"]
targets.pk = {{ annual = 100, Q1 = 20, Q2 = 30, Q3 = 20, Q4 = 30 }}
"""
    for method in ("cumulative", "latest", "average")
)

days = st.dates(date(2025, 1, 1), date(2025, 12, 31))
layered_events = st.lists(
    st.one_of(
        st.tuples(st.just("d"), days.map(str), st.sampled_from(["L", "P"])),
        st.tuples(st.just("m"), st.integers(1, 12).map(lambda m: f"2025-{m:02d}"), st.just("L")),
        st.tuples(st.just("q"), st.integers(1, 4).map(lambda q: f"2025-Q{q}"), st.just("L")),
        st.tuples(st.just("y"), st.just("2025"), st.just("L")),
    ),
    min_size=1,
    max_size=40,
)


@SETTINGS
@given(
    layers=layered_events,
    values=st.lists(st.decimals(0, 50, places=1), min_size=40, max_size=40),
    lines=st.lists(st.integers(2, 400), min_size=40, max_size=40),
    period=st.sampled_from(
        ["2025", "2025-Q1", "2025-Q2", "2025-Q4", "2025-01", "2025-04", "2025-06"]
    ),
)
def test_days_months_quarters_and_years_of_one_series(
    layers: list[tuple[str, str, str]], values: list[Decimal], lines: list[int], period: str
) -> None:
    """A series with cells of every length (told apart by a dimension, so that none counts
    another twice), rows scattered through a file: the compact trail gives the figures of
    the full one and replays, for every span, every method."""
    rules = loads_rules(LAYERED)
    records = [
        {
            "indicator": indicator,
            "period": when,
            "value": str(value),
            "dimensions": {"layer": layer, "gender": gender},
        }
        for indicator in ("CUM", "LAT", "AVE")
        for (layer, when, gender), value in zip(layers, values, strict=False)
    ]
    events = [
        attrs.evolve(event, source=EventSource("rows.csv", lines[index % len(lines)] + index))
        for index, event in enumerate(events_from_records(rules, records))
    ]
    try:
        ledger = build_ledger(rules, events)
    except EventConflictError:  # a latest or average value given twice for a day: refused
        return
    full = evaluate(rules, ledger, period)
    compact = evaluate(rules, ledger, period, trail="compact")
    assert without_parts(evaluation_data(compact)) == without_parts(evaluation_data(full))
    replay_everything(compact)
    for whole, summary in zip(aggregates(full), aggregates(compact), strict=True):
        for part in summary.parts:
            merged = [
                p
                for p in whole.parts
                if (p.period if whole.method is Aggregation.LATEST else group_of(p.period))
                == part.period
            ]
            assert covers(part.sources, [s for p in merged for s in p.sources])


@pytest.mark.parametrize("repeated", [0, 2])
def test_a_month_of_scattered_rows_and_a_quarter_reaching_beyond_it(repeated: int) -> None:
    """April of a month's evaluation: the quarter starting with it reaches beyond and is
    left out; April's 30 days, their rows every other line of a file (and a day given
    by three rows), are one part whose sources say how many rows, not every line."""
    rules = loads_rules(LAYERED)
    records = [
        {"indicator": "CUM", "period": "2025-04-01", "value": "1", "dimensions": {"layer": "d"}},
        {"indicator": "CUM", "period": "2025-Q2", "value": "5", "dimensions": {"layer": "q"}},
        *(
            {"indicator": "CUM", "period": f"2025-04-{day:02d}", "value": "2"}
            | {"dimensions": {"layer": "d", "gender": "L"}}
            for day in range(2, 31)
        ),
        *(
            {"indicator": "CUM", "period": "2025-04-30", "value": "3"}
            | {"dimensions": {"layer": "d", "gender": "L"}}
            for _ in range(repeated)
        ),
    ]
    events = [
        attrs.evolve(event, source=EventSource("rows.csv", 10 + 2 * index))
        for index, event in enumerate(events_from_records(rules, records))
    ]
    ledger = build_ledger(rules, events)
    compact = evaluate(rules, ledger, "2025-04", trail="compact")
    full = evaluate(rules, ledger, "2025-04")
    (april,) = compact.indicator("CUM").realisations["period"].inputs
    assert [(p.period, p.value, p.count, p.periods) for p in april.parts] == [
        ("2025-04", 1 + 29 * 2 + repeated * 3, 30 + repeated, 30)
    ]
    assert april.parts[0].dimensions == {"layer": "d"}
    last = 10 + 2 * (30 + repeated)
    assert april.parts[0].sources == (f"rows.csv: {30 + repeated} rows in lines 10-{last}",)
    assert april.notes == ("events for 2025-Q2 are not counted: the period reaches beyond 2025-04",)
    assert without_parts(evaluation_data(compact)) == without_parts(evaluation_data(full))
    replay_everything(compact)


def test_values_reported_as_not_measured_are_one_note_a_month() -> None:
    rules = loads_rules(LAYERED)
    records = [
        {"indicator": "CUM", "period": period, "value": value, "dimensions": {"layer": "d"}}
        for period, value in [
            ("2025-04-07", "-"),
            ("2025-04-08", "-"),
            ("2025-04-09", "4"),
            ("2025-05-02", "-"),
        ]
    ] + [{"indicator": "CUM", "period": "2025-04-10", "value": "-", "dimensions": {"gender": "P"}}]
    events = [
        attrs.evolve(event, source=EventSource("rows.csv", 10 + index))
        for index, event in enumerate(events_from_records(rules, records))
    ]
    ledger = build_ledger(rules, events)
    compact = evaluate(rules, ledger, "2025-Q2", trail="compact")
    full = evaluate(rules, ledger, "2025-Q2")
    (notes,) = [a.notes for a in compact.indicator("CUM").realisations["period"].inputs]
    assert notes == (
        "2025-04: reported as '-' (not measured) 3 times, in rows.csv:10-11,14",
        "2025-05-02 [layer=d]: reported as '-' (not measured) in rows.csv:13",
    )
    assert len(full.indicator("CUM").realisations["period"].inputs[0].notes) == 4
    assert without_parts(evaluation_data(compact)) == without_parts(evaluation_data(full))
