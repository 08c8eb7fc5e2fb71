"""The ledger's checks on hostile and careless data: double counting found in
near-linear time, values that cannot be added up, rows given twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import time_limit as alarm
from ikueval import (
    Event,
    EventConflictError,
    EventError,
    EventSource,
    Ledger,
    Period,
    RuleSet,
    build_ledger,
    evaluate,
    events_from_records,
    loads_rules,
    read_events,
)
from ikueval._cli import main
from ikueval._duplicates import MAX_VALUES_COMPARED
from ikueval._overlaps import MAX_BREAKDOWNS, overlapping

#: Dimension values of the rule sets below: two dimensions of a hundred values.
REGIONS = tuple(f"r{n:02d}" for n in range(100))
PROGRAMS = tuple(f"p{n:02d}" for n in range(100))


def rules(unit: str = "Orang", dimensions: str = '["region", "program", "gender"]') -> RuleSet:
    return loads_rules(
        f"""
[ruleset]
id = "ledger"
office = "Test office"
years = [2025]

[[documents]]
id = "pk"
title = "Performance agreement"

[rounding]
mode = "half-up"
places = 2

[dimensions.region]
values = [{", ".join(f'"{r}"' for r in REGIONS)}]

[dimensions.program]
values = [{", ".join(f'"{p}"' for p in PROGRAMS)}]

[dimensions.gender]
values = ["L", "P"]

[[indicators]]
id = "I"
name = "An indicator"
unit = "{unit}"
aggregation = "cumulative"
direction = "higher"
dimensions = {dimensions}
targets.pk = {{ annual = 100 }}
""",
        source="ledger.toml",
    )


def event(period: Period, value: Any = 1, **dims: str) -> Event:
    return Event("I", period, Decimal(value), dimensions=dims, source=EventSource(ref="r"))


# --------------------------------------------------------------------------- double counting


def days(start: date, end: date) -> Iterator[Period]:
    day = start
    while day <= end:
        yield Period.day_of(day)
        day += timedelta(days=1)


def test_two_breakdowns_of_many_daily_events_are_checked_in_near_linear_time() -> None:
    """36,500 daily events, by region in the first half-year and by program in
    the second: the check compared every pair (18,100 x 18,400) and did not
    finish in ten minutes. It now takes about a second; the alarm only catches
    a return to quadratic time."""
    ruleset = rules()
    first = [
        event(day, region=region)
        for day in days(date(2025, 1, 1), date(2025, 6, 30))
        for region in REGIONS
    ]
    second = [
        event(day, program=program)
        for day in days(date(2025, 7, 1), date(2025, 12, 31))
        for program in PROGRAMS
    ]
    assert len(first) + len(second) == 36_500
    with alarm(60):
        ledger = build_ledger(ruleset, [*first, *second])
        result = evaluate(ruleset, ledger, "2025").indicator("I").realisations["period"]
    assert result.value == 36_500


def test_a_total_among_many_daily_events_is_still_found() -> None:
    ruleset = rules()
    detail = [
        event(day, region=region)
        for day in days(date(2025, 1, 1), date(2025, 12, 31))
        for region in REGIONS[:50]
    ]
    total = event(Period.parse("2025-07"), 99, program="p07")
    with alarm(60), pytest.raises(EventConflictError) as caught:
        build_ledger(ruleset, [*detail, total])
    messages = [problem.message for problem in caught.value.problems]
    assert len(messages) == 5  # MAX_CONFLICTS_REPORTED: the first few show the fix
    assert messages[0] == (
        "I: events for 2025-07 [program=p07] (r) and for 2025-07-01 [region=r00] (r) "
        "overlap, so the same realisation would be counted twice"
    )


def test_too_many_breakdowns_are_refused() -> None:
    ruleset = loads_rules(
        "[ruleset]\nid = 't'\noffice = 'o'\nyears = [2025]\n"
        "[[documents]]\nid = 'pk'\ntitle = 'pk'\n"
        "[rounding]\nmode = 'half-up'\nplaces = 2\n"
        + "".join(f"[dimensions.d{n}]\nvalues = ['a']\n" for n in range(6))
        + "[[indicators]]\nid = 'I'\nname = 'i'\nunit = 'Orang'\naggregation = 'cumulative'\n"
        "direction = 'higher'\ntargets.pk = { annual = 1 }\n"
        "dimensions = [" + ", ".join(f"'d{n}'" for n in range(6)) + "]\n"
    )
    month = Period.parse("2025-01")
    events = [
        event(month, **{f"d{n}": "a" for n in range(6) if mask >> n & 1})
        for mask in range(MAX_BREAKDOWNS + 1)
    ]
    with pytest.raises(EventError) as caught:
        build_ledger(ruleset, events)
    assert caught.value.problems[0].message == (
        "I is broken down in 17 different ways (sets of dimensions), more than the 16 that "
        "can be checked for double counting"
    )


@attrs.frozen
class Cell:
    period: Period
    dimensions: tuple[tuple[str, str], ...]


def compatible(a: Cell, b: Cell) -> bool:
    values = dict(a.dimensions)
    return all(values.get(name, value) == value for name, value in b.dimensions)


def brute_force(cells: list[Cell]) -> set[tuple[Cell, Cell]]:
    """Every overlapping pair, by comparing every two cells."""
    return {
        (a, b)
        for index, a in enumerate(cells)
        for b in cells[index + 1 :]
        if a.period.overlaps(b.period) and compatible(a, b)
    }


SMALL_PERIODS = [
    Period.parse(text)
    for text in [
        "2025",
        "2025-Q1",
        "2025-Q2",
        "2025-01",
        "2025-02",
        "2025-04",
        "2025-01-31",
        "2025-02-01",
        "2025-02-14",
        "2025-04-01",
        "2025-06-30",
    ]
]
small_cells = st.builds(
    Cell,
    st.sampled_from(SMALL_PERIODS),
    st.dictionaries(
        st.sampled_from(["gender", "program", "region"]), st.sampled_from(["a", "b"]), max_size=3
    ).map(lambda dims: tuple(sorted(dims.items()))),
)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(small_cells, max_size=14, unique=True), limit=st.integers(1, 6))
def test_the_fast_check_agrees_with_comparing_every_pair(cells: list[Cell], limit: int) -> None:
    cells.sort(key=lambda c: (c.period.sort_key(), c.dimensions))
    expected = brute_force(cells)
    found = overlapping(cells, limit)
    assert bool(found) == bool(expected)
    assert len(found) <= limit
    assert len({frozenset(pair) for pair in found}) == len(found)
    for a, b in found:
        assert (a, b) in expected or (b, a) in expected


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(small_cells, max_size=10, unique=True))
def test_a_ledger_is_refused_exactly_when_two_cells_overlap(cells: list[Cell]) -> None:
    ruleset = rules(dimensions='["gender", "program", "region"]')
    names = {"a": ("r00", "p00", "L"), "b": ("r01", "p01", "P")}
    events = [
        event(
            cell.period,
            **{
                name: names[value][("region", "program", "gender").index(name)]
                for name, value in cell.dimensions
            },
        )
        for cell in cells
    ]
    conflict = bool(brute_force(sorted(cells, key=lambda c: (c.period.sort_key(), c.dimensions))))
    try:
        build_ledger(ruleset, events)
    except EventConflictError:
        assert conflict
    else:
        assert not conflict


# --------------------------------------------------------------------------- not adding up

REAL = loads_rules(
    (Path(__file__).resolve().parent.parent / "rules" / "bp3mi-jateng-2025.toml").read_text(
        encoding="utf-8"
    ),
    source="rules/bp3mi-jateng-2025.toml",
)


def refused(ruleset: RuleSet, records: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(EventConflictError) as caught:
        evaluate(ruleset, records, "2025-Q2")
    return [str(problem) for problem in caught.value.problems]


def test_a_percentage_given_twice_is_refused_not_summed() -> None:
    """IKU-08's 87.5% twice gave 175.0%."""
    settled = {"indicator": "IKU-08", "period": "2025-Q2", "value": "87.5"}
    assert refused(REAL, [settled, settled]) == [
        "IKU-08 has 2 values for 2025-Q2 (record[0], record[1]); a percentage cannot be "
        "added up: keep one"
    ]


def test_scores_and_percentages_of_one_period_are_refused_whatever_their_dimensions() -> None:
    ruleset = rules(unit="Nilai", dimensions='["gender"]')
    by_gender = [
        {"indicator": "I", "period": "2025-Q2", "value": "80", "dimensions": {"gender": "L"}},
        {"indicator": "I", "period": "2025-Q2", "value": "90", "dimensions": {"gender": "P"}},
        {"indicator": "I", "period": "2025-Q1", "value": "70", "dimensions": {"gender": "P"}},
    ]
    assert refused(ruleset, by_gender) == [
        "I has 2 values for 2025-Q2 ([gender=L]: record[0]; [gender=P]: record[1]); a score "
        "cannot be added up: keep one"
    ]
    one_a_period = [by_gender[0], by_gender[2]]
    result = evaluate(ruleset, one_a_period, "2025-Q2").indicator("I")
    assert result.realisations["period"].value == 80


def test_inputs_in_percent_are_refused_and_counts_still_add_up() -> None:
    ruleset = loads_rules(
        REAL_HEAD
        + """
[[indicators]]
id = "R"
name = "A rate"
unit = "%"
aggregation = "latest"
direction = "higher"
formula = "rate * weight"
inputs.rate = { aggregation = "latest", unit = "%" }
inputs.weight = { aggregation = "cumulative" }
targets.pk = { annual = 1 }
"""
    )
    rate = {"indicator": "R", "input": "rate", "period": "2025-Q2", "value": "50"}
    weight = {"indicator": "R", "input": "weight", "period": "2025-Q2", "value": "2"}
    assert refused(ruleset, [rate, {**rate, "value": "40"}, weight]) == [
        "R input rate has 2 values for 2025-Q2 (record[0], record[1]); a percentage cannot "
        "be added up: keep one"
    ]
    # weight has no unit of its own: it is in the indicator's %, so it cannot add up either
    assert refused(ruleset, [rate, weight, weight])[0].startswith("R input weight has 2 values")


def test_many_periods_with_several_values_are_reported_briefly() -> None:
    ruleset = rules(unit="%", dimensions="[]")
    twice = [
        {"indicator": "I", "period": f"2025-{month:02d}", "value": "1", "id": f"{month}-{n}"}
        for month in range(1, 13)
        for n in range(2)
    ]
    problems = refused(ruleset, twice)
    assert len(problems) == 6
    assert problems[-1] == "I has several values for 7 more periods"


REAL_HEAD = """
[ruleset]
id = "t"
office = "o"
years = [2025]

[[documents]]
id = "pk"
title = "pk"

[rounding]
mode = "half-up"
places = 2
"""


# --------------------------------------------------------------------------- rows given twice


def ledger(ruleset: RuleSet, records: list[dict[str, Any]]) -> Ledger:
    return build_ledger(ruleset, events_from_records(ruleset, records))


def test_a_row_given_twice_is_a_warning_naming_both_sources() -> None:
    row = {"indicator": "IKU-07", "period": "2025-Q1", "value": "6496"}
    found = ledger(REAL, [{**row, "ref": "quarterly.csv:16"}, {**row, "ref": "tabel-3.json:4"}])
    assert [str(warning) for warning in found.warnings] == [
        "warning: IKU-07: 2 events for 2025-Q1 have the same value 6496 and no id "
        "(quarterly.csv:16, tabel-3.json:4): both are counted (if a row was given twice, "
        "delete the copy; if they are distinct events, give each its own id)"
    ]
    assert evaluate(REAL, found, "2025-Q1").indicator("IKU-07").realisations["period"].value == (
        12992
    )


def test_rows_with_ids_or_different_values_are_not_repeats() -> None:
    row = {"indicator": "IKU-06", "period": "2025-Q2", "value": "1"}
    assert ledger(REAL, [{**row, "id": "pmi-1"}, {**row, "id": "pmi-2"}]).warnings == ()
    assert ledger(REAL, [row, {**row, "value": "2"}]).warnings == ()
    by_gender = [{**row, "dimensions": {"gender": gender}} for gender in ("L", "P")]
    assert ledger(REAL, by_gender).warnings == ()


def test_the_bundled_example_has_no_repeated_rows() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "bp3mi-jateng-2025"
    assert build_ledger(REAL, read_events(REAL, [examples])).warnings == ()


def test_many_repeats_are_reported_briefly() -> None:
    rows = [
        {"indicator": "IKU-06", "date": f"2025-04-{day:02d}", "value": "1"} for day in range(1, 31)
    ]
    warnings = ledger(REAL, [*rows, *rows]).warnings
    assert len(warnings) == 21
    assert str(warnings[-1]) == "warning: 10 more values or ids given more than once in one period"


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(st.integers(0, 40), min_size=1, max_size=60),
    order=st.randoms(use_true_random=False),
)
def test_repeats_do_not_depend_on_the_order_of_the_events(values: list[int], order: Any) -> None:
    """More distinct values than a cell compares (16): which repeats are found
    depends only on the values, never on the order the events arrive in."""
    records = [
        {"indicator": "IKU-06", "period": "2025-Q2", "value": str(v), "ref": f"r{n:02d}"}
        for n, v in enumerate(values)
    ]
    shuffled = list(records)
    order.shuffle(shuffled)
    warnings = ledger(REAL, records).warnings
    assert ledger(REAL, shuffled).warnings == warnings
    repeated = sorted({v for v in values if values.count(v) > 1})
    smallest = sorted(set(values))[:MAX_VALUES_COMPARED]
    expected = [v for v in repeated if v in smallest]
    assert [int(w.message.split("same value ")[1].split()[0]) for w in warnings] == expected


@pytest.mark.parametrize("command", ["evaluate", "explain"])
def test_the_command_line_prints_repeats_on_standard_error(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = Path(__file__).resolve().parent / "data" / "invalid" / "events"
    rows = str(corpus / "row-given-twice.csv")
    code = main([command, str(corpus / "rules.toml"), rows, "--period", "2025-Q2"])
    captured = capsys.readouterr()
    assert code == 0
    assert f"{rows}:5: warning: PERSONS: 2 events for 2025-Q1 [gender=L] have the same " in (
        captured.err
    )
    assert "same value" not in captured.out


def test_the_same_id_twice_in_one_period_is_a_warning() -> None:
    """Ids from Python are not compared across the data, but two events of one
    cell with the same id are a row given twice."""
    row = {"indicator": "IKU-06", "period": "2025-Q2", "value": "1", "id": "pmi-7"}
    found = ledger(REAL, [{**row, "ref": "db:7"}, {**row, "ref": "db:8"}])
    assert [str(warning) for warning in found.warnings] == [
        "warning: IKU-06: 2 events for 2025-Q2 have the same id 'pmi-7' (db:7, db:8): both "
        "are counted (if a row was given twice, delete the copy; if they are distinct "
        "events, give each its own id)"
    ]
