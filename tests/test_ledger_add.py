"""``Ledger.add``: one more event gives what a ledger of all the events gives."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EVENTS, examples
from ikueval import (
    EventConflictError,
    EventError,
    Ledger,
    RuleSet,
    UsageError,
    build_ledger,
    evaluate,
    events_from_records,
    read_events,
    read_ledger,
    render_json,
)
from ikueval.testing import Dataset, datasets


def _same(rules: RuleSet, a: Ledger, b: Ledger, period: str) -> None:
    assert a.warnings == b.warnings
    assert a.events_read == b.events_read
    assert render_json(evaluate(rules, a, period)) == render_json(evaluate(rules, b, period))


def _conflict(rules: RuleSet, events: list, ledger: Ledger | None = None) -> list[str] | None:
    try:
        if ledger is None:
            build_ledger(rules, events)
        else:
            for event in events:
                ledger = ledger.add(event)
    except EventConflictError as exc:
        return [str(p) for p in exc.problems]
    return None


@settings(max_examples=examples(200), deadline=None)
@given(datasets(max_events=5), st.data())
def test_adding_events_one_by_one_is_building_from_all(
    dataset: Dataset, data: st.DataObject
) -> None:
    rules = dataset.rules
    events = dataset.events()
    split = data.draw(st.integers(0, len(events)))
    retain = data.draw(st.sampled_from([(), tuple(i.id for i in rules.indicators)]))
    try:
        start = build_ledger(rules, events[:split], retain=retain)
    except EventConflictError:
        return
    ledger = start
    for index, event in enumerate(events[split:], start=split):
        refused = _conflict(rules, [event], ledger)
        # the same problems as a ledger of them all
        assert refused == _conflict(rules, events[: index + 1])
        if refused is not None:
            return
        ledger = ledger.add(event)
    whole = build_ledger(rules, events, retain=retain)
    _same(rules, ledger, whole, str(dataset.year))
    _same(rules, ledger, whole, f"{dataset.year}-Q2")
    for result in evaluate(rules, ledger, f"{dataset.year}-Q2").indicators:
        for name in rules.indicator(result.id).input_names:  # type: ignore[union-attr]
            assert [c.events for c in ledger.of(result.id, name).cells] == [
                c.events for c in whole.of(result.id, name).cells
            ]
    # the ledger added to is unchanged
    _same(rules, start, build_ledger(rules, events[:split], retain=retain), str(dataset.year))


def test_add_leaves_the_ledger_as_it_was(bundled_rules: RuleSet) -> None:
    ledger = read_ledger(bundled_rules, [EVENTS])
    before = render_json(evaluate(bundled_rules, ledger, "2025-Q2"))
    (event,) = events_from_records(
        bundled_rules,
        [
            {
                "indicator": "IKU-06",
                "period": "2025-Q2",
                "value": 4,
                "dimensions": {"gender": "L", "country": "Taiwan"},
            }
        ],
    )
    grown = ledger.add(event)
    assert render_json(evaluate(bundled_rules, ledger, "2025-Q2")) == before
    assert grown.events_read == ledger.events_read + 1
    whole = build_ledger(bundled_rules, [*read_events(bundled_rules, [EVENTS]), event])
    _same(bundled_rules, grown, whole, "2025-Q2")


def test_add_refuses_double_counting(bundled_rules: RuleSet) -> None:
    ledger = read_ledger(bundled_rules, [EVENTS])
    (total,) = events_from_records(
        bundled_rules, [{"indicator": "IKU-06", "period": "2025-Q2", "value": 36}]
    )
    with pytest.raises(EventConflictError) as caught:
        ledger.add(total)
    whole = [*read_events(bundled_rules, [EVENTS]), total]
    assert [str(p) for p in caught.value.problems] == _conflict(bundled_rules, whole)


def test_add_checks_the_event(bundled_rules: RuleSet) -> None:
    ledger = read_ledger(bundled_rules, [EVENTS])
    with pytest.raises(EventError, match="expected an Event, found dict"):
        ledger.add({"indicator": "IKU-06"})  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="built without its rule set"):
        Ledger({}).add(next(iter(read_events(bundled_rules, [EVENTS]))))


def test_add_an_event_of_a_new_file(bundled_rules: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    path.write_text("indicator,period,value,gender,country\nIKU-06,2025-Q2,2,P,Taiwan\n")
    ledger = read_ledger(bundled_rules, [EVENTS])
    (late,) = read_events(bundled_rules, [path])
    grown = ledger.add(late)
    whole = build_ledger(bundled_rules, [*read_events(bundled_rules, [EVENTS]), late])
    _same(bundled_rules, grown, whole, "2025-Q2")


@settings(max_examples=examples(150), deadline=None)
@given(datasets(max_events=6), st.randoms())
def test_cells_hold_what_their_events_add_up_to(dataset: Dataset, order: Random) -> None:
    rules = dataset.rules
    events = dataset.events()
    events += events[: len(events) // 3]  # some rows given twice
    order.shuffle(events)
    try:
        ledger = build_ledger(rules, events)
    except EventConflictError:
        return
    expected: dict[tuple[object, ...], list[object]] = {}
    for event in events:
        if event.value is None:
            continue
        key = (event.series, event.period, tuple(sorted(event.dimensions.items())))
        expected.setdefault(key, []).append(event)
    found = {}
    for series_key in ledger.series:
        for cell in ledger.series[series_key].cells:
            found[(series_key, cell.period, cell.dimensions)] = cell
    assert found.keys() == expected.keys()
    for key, members in expected.items():
        cell = found[key]
        labels = sorted(e.value for e in members if isinstance(e.value, str))
        total = sum((e.value for e in members if isinstance(e.value, Decimal)), Decimal(0))
        assert cell.count == len(members)
        assert cell.value == (labels[0] if labels else total)
        if not labels:
            assert str(cell.value) == str(total)  # the same digits, 1.50 as 1.50
        refs = sorted(str(e.source) for e in members)
        assert cell.sources == tuple(refs)  # fewer than 50 references
        assert str(cell.first) == refs[0]


def test_totals_past_64_bits_stay_exact(bundled_rules: RuleSet) -> None:
    wide = Decimal("123456789012345678901.12345678901234567890")
    long = Decimal("1." + "0" * 40_000)  # places written, none significant
    records = [
        {"indicator": "IKU-07", "period": "2025-04", "value": wide, "ref": "a"},
        {"indicator": "IKU-07", "period": "2025-05", "value": long, "ref": "b"},
        {"indicator": "IKU-07", "period": "2025-04", "value": 1, "ref": "c"},
    ]
    events = list(events_from_records(bundled_rules, records))
    whole = build_ledger(bundled_rules, events)
    grown = build_ledger(bundled_rules, events[:1]).add(events[1]).add(events[2])
    for ledger in (whole, grown):
        values = [cell.value for cell in ledger.of("IKU-07").cells]
        assert values == [Decimal("123456789012345678902.12345678901234567890"), long]
        assert str(values[0]) == "123456789012345678902.12345678901234567890"
        assert str(values[1]) == "1." + "0" * 119  # as exact_sum holds it
    _same(bundled_rules, whole, grown, "2025-Q2")
