"""Folding a series' events into cells: the columns taken in bulk are the cells made one by one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RULES, examples
from ikueval import EventSource, load_rules
from ikueval._building import LedgerBuilder
from ikueval._conflicts import repeated
from ikueval._folding import cell_repeats, fold, fold_each, reports
from ikueval._ledger import Series, period_key, source_texts
from ikueval._periods import Period
from ikueval._sources import LINE_SPAN

_KEY = ("IKU-1", "count")
_PERIODS = [Period.parse(text) for text in ("2025-01", "2025-02", "2025-03", "2025-Q1")]
_DIMS = [(), (("gender", "L"),), (("gender", "P"),), (("gender", "P"), ("province", "Aceh"))]

_value = st.one_of(
    st.integers(-(10**6), 10**6),
    st.integers(-(2**70), 2**70),  # past 64 bits: the columns become lists
    st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False),
    st.sampled_from([Decimal("1.50"), Decimal("2"), Decimal("1.5"), Decimal("0.000"), 7]),
    st.none(),  # "-": not measured
    st.sampled_from(["baik", "cukup"]),  # a category
)
_event = st.tuples(
    st.sampled_from(range(len(_PERIODS))),
    st.sampled_from(range(len(_DIMS))),
    _value,
    st.one_of(st.none(), st.sampled_from(["EV-1", "EV-2", "EV-3"])),  # ids, repeated
    st.one_of(
        st.tuples(st.sampled_from(["a.csv", "b.csv"]), st.integers(2, 12)),
        st.just(("ref", 0)),  # a source beyond a packed line
    ),
)


def _huge(value: object) -> bool:
    return isinstance(value, int) and abs(value) >= 2**63


def _built(events: list[tuple[Any, ...]], track_ids: bool) -> LedgerBuilder:
    builder = LedgerBuilder(_rules(), files=["a.csv", "b.csv"], unique_ids=not track_ids)
    for period, dims, value, ident, (file, line) in events:
        source: Any
        if file == "ref":
            source = EventSource(None, None, "Lampiran II")
        else:
            source = builder.tables.files.number(file) * LINE_SPAN + line
        builder.put(_KEY, _PERIODS[period], _DIMS[dims], value, ident, source)
    return builder


_RULESET: list[Any] = []


def _rules() -> Any:
    if not _RULESET:
        _RULESET.append(load_rules(RULES))
    return _RULESET[0]


def _view(series: Series) -> list[Any]:
    """Everything a series holds, as plain values."""
    names = series.tables.files.names
    extras = []
    for index, extra in series.extras.items():
        values, ids = cell_repeats(series, index)
        found = list(
            repeated("s", _KEY, series.period(index), series.dimensions(index), values, ids)
        )
        sources = None if extra.sources is None else source_texts(extra.sources, names)
        extras.append((index, extra.label, sources, extra.events, found))
    columns = (series.periods, series.dims, series.counts, series.coefficients)
    return [
        [list(column) for column in columns],
        list(series.exponents),
        list(series.sources),
        list(series.first_no_id),
        extras,
        series.cells,
    ]


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(_event, max_size=40),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_folding_in_bulk_makes_the_cells_made_one_by_one(
    events: list[tuple[Any, ...]], track_ids: bool, plain: bool, huge: bool, random: Any
) -> None:
    if not huge:  # most series: every value within 64 bits
        events = [(p, d, v % 1000 if _huge(v) else v, i, s) for p, d, v, i, s in events]
    if plain:  # nothing beyond the columns (read_ledger's usual series)
        events = [e for e in events if not isinstance(e[2], str) and e[4][0] != "ref"]
        track_ids = False
    # half the time in the order of their cells, as files usually give them
    if random.random() < 0.5:
        events = sorted(events, key=lambda e: (period_key(_PERIODS[e[0]]), _DIMS[e[1]]))
    builder = _built(events, track_ids)
    rows = builder.rows.get(_KEY)
    if rows is None:
        return
    try:
        expected = fold_each(rows, builder.tables)
    except Exception as exc:  # a total past the digits a sum holds: both refuse it
        with pytest.raises(type(exc)):
            fold(rows, builder.tables)
        return
    assert _view(fold(rows, builder.tables)) == _view(expected)


@settings(max_examples=examples(100), deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(range(len(_PERIODS))), st.sampled_from(range(len(_DIMS)))),
        min_size=1,
        max_size=30,
        unique=True,
    ),
    st.randoms(use_true_random=False),
)
def test_a_series_of_one_event_a_cell_is_copied_whole(
    cells: list[tuple[int, int]], random: Any
) -> None:
    events = [
        (p, d, random.randint(-99, 99), None, ("a.csv", n + 2)) for n, (p, d) in enumerate(cells)
    ]
    builder = _built(events, False)
    rows = builder.rows[_KEY]
    series = fold(rows, builder.tables)
    assert _view(series) == _view(fold_each(rows, builder.tables))
    assert list(series.counts) == [1] * len(cells)
    assert not series.extras


def test_the_reports_of_missing_values_are_unchanged() -> None:
    builder = _built([(0, 0, None, None, ("a.csv", 3)), (0, 0, None, None, ("a.csv", 4))], False)
    (report,) = reports(builder.missing[_KEY], builder.tables)
    assert source_texts(report.sources, builder.tables.files.names) == ("a.csv:3-4",)
