"""Property: a batch's sliced check refuses exactly what the full check refuses, in its words.

Random ledgers are recorded through the store's own imports (so each batch was
checked, and the ledger can be evaluated); then a random batch (new events,
corrections, withdrawals, any state) is appended in a writing transaction and
checked both ways: :func:`~ikueval._store.checks.check_evaluable` over every
event in force of the indicators it touches (the reference), and
:func:`~ikueval._store.checks.check_batch`, which reads only the periods the
batch can conflict with. The transaction is then rolled back. The events mix
years, quarters, months and days of two years, totals and breakdowns by
gender, by region and by both, a percentage and a spending balance (whose
values of one period cannot add up), so that conflicts across granularities
and dimensions are frequent.
"""

from __future__ import annotations

import contextlib
import itertools
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ikueval import events_from_records
from ikueval._errors import IkuEvalError
from ikueval._periods import Period
from ikueval._store import open_ledger
from ikueval._store.appending import append_events, record_batch
from ikueval._store.checks import (
    CHECKED_STATES,
    check_batch,
    check_evaluable,
    family,
    sliced_problem,
)
from ikueval._store.interface import LedgerStore
from ikueval._store.records import entry_row, withdrawal_row
from ikueval._store.values import BatchKind

DIMENSIONS = ("d1", "d2", "d3", "d4", "d5")
_MORE = "".join(f'[dimensions.{name}]\nvalues = ["x", "y"]\n\n' for name in DIMENSIONS)
RULES = f"""\
[ruleset]
id = "checks"
office = "Office"
years = [2025, 2026]

[[documents]]
id = "pk"
title = "PK"

[rounding]
mode = "half-up"
places = 2

[dimensions.gender]
values = ["L", "P"]

[dimensions.region]
values = ["a", "b"]

{_MORE}
[[activities]]
id = "act"
name = "Activity"
budget = {{ ceiling = 1000, document = "pk", year = 2025 }}

[[indicators]]
id = "A"
name = "Persons"
unit = "Orang"
aggregation = "cumulative"
direction = "higher"
activity = "act"
dimensions = ["gender", "region"]
targets.pk = {{ "2025" = 100 }}

[[indicators]]
id = "R"
name = "Rate"
unit = "%"
aggregation = "latest"
direction = "higher"
dimensions = ["gender"]
targets.pk = {{ "2025" = 70 }}

[[indicators]]
id = "C"
name = "Cases"
unit = "Kasus"
aggregation = "cumulative"
direction = "higher"
dimensions = {list(DIMENSIONS)!r}
targets.pk = {{ "2025" = 10 }}
""".replace("'", '"')

PERIODS = (
    "2025",
    "2025-Q1",
    "2025-Q2",
    "2025-Q4",
    "2025-03",
    "2025-04",
    "2025-06",
    "2025-12",
    "2025-04-01",
    "2025-06-30",
    "2025-12-31",
    "2026",
    "2026-Q1",
    "2026-01",
    "2026-01-01",
)
STATES = (None, None, "draft", "verified", "rejected")


def record() -> st.SearchStrategy[dict[str, Any]]:
    period = st.sampled_from(PERIODS)
    value = st.integers(0, 9).map(str)
    persons = st.builds(
        lambda p, v, g, r: {
            "indicator": "A",
            "period": p,
            "value": v,
            "dimensions": {k: x for k, x in (("gender", g), ("region", r)) if x},
        },
        period,
        value,
        st.sampled_from(["", "L", "P"]),
        st.sampled_from(["", "a", "b"]),
    )
    rate = st.builds(
        lambda p, v, g: {"indicator": "R", "period": p, "value": v, "gender": g},
        period,
        value,
        st.sampled_from(["", "L", "P"]),
    )
    spending = st.builds(lambda p, v: {"activity": "act", "period": p, "value": v}, period, value)
    return st.one_of(persons, persons, rate, spending)


class _Rollback(Exception):
    pass


def _outcome(call: Any) -> tuple[type, str] | None:
    try:
        call()
    except IkuEvalError as exc:
        return (type(exc), str(exc))
    return None


def both_checks(
    store: LedgerStore,
    records: list[dict[str, Any]],
    changes: list[tuple[int, dict[str, Any] | None]],
    state: str | None,
) -> tuple[tuple[type, str] | None, tuple[type, str] | None, bool]:
    """Append a batch, check it both ways, roll it back: (full, sliced, sliced refused)."""
    found: list[Any] = []
    with contextlib.suppress(_Rollback):
        _check_rolled_back(store, records, changes, state, found)
    return found[0], found[1], found[2]


def _check_rolled_back(
    store: LedgerStore,
    records: list[dict[str, Any]],
    changes: list[tuple[int, dict[str, Any] | None]],
    state: str | None,
    found: list[Any],
) -> None:
    with store.writing() as writer:
        head = writer.head()
        assert head is not None
        version = writer.rules(head.rule_version)
        report = store.parse_rules(version)
        ruleset = report.ruleset
        assert ruleset is not None
        subjects: set[str] = set()
        added = append_events(
            writer, head, events_from_records(ruleset, records), set(), {}, state, subjects
        )
        live = list(writer.counted(head.last_entry, CHECKED_STATES | {"rejected"}))
        rows = []
        for offset, (pick, change) in enumerate(changes):
            if not live:
                break
            old = live.pop(pick % len(live))
            number = head.last_entry + added + offset + 1
            subjects.add(old.subject)
            if change is None:
                rows.append(withdrawal_row(old, entry=number, batch=head.number + 1))
                continue
            (event,) = events_from_records(ruleset, [change])
            row = entry_row(event, entry=number, batch=head.number + 1, supersedes=old.entry)
            subjects.add(row.subject)
            rows.append(row)
        writer.add_entries(rows)
        batch = record_batch(store, writer, head, BatchKind.IMPORT, version, "t", added + len(rows))
        last = batch.last_entry

        def full() -> None:
            check_evaluable(writer, ruleset, version, last, subjects, store.name)

        def sliced() -> None:
            check_batch(writer, ruleset, version, batch.first_entry, last, subjects, store.name)

        found.append(_outcome(full))
        found.append(_outcome(sliced))
        refused = sliced_problem(writer, ruleset, version, batch.first_entry, last, store.name)
        found.append(refused is not None)
        raise _Rollback


def history(store: LedgerStore, rules: Path, data: st.DataObject) -> None:
    """Record random imports (those refused add nothing) and corrections."""
    store.import_records([], actor="t", rules=rules)
    for step in range(data.draw(st.integers(1, 8), label="imports")):
        records = data.draw(st.lists(record(), min_size=1, max_size=3), label="existing")
        state = data.draw(st.sampled_from(STATES), label="state")
        with contextlib.suppress(IkuEvalError):
            store.import_records(records, actor="t", origin=f"import-{step}", state=state)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_sliced_check_refuses_exactly_what_the_full_check_refuses(
    data: st.DataObject,
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        rules = directory / "rules.toml"
        rules.write_text(RULES, encoding="utf-8")
        store = open_ledger(directory / "ledger.db")
        history(store, rules, data)
        records = data.draw(st.lists(record(), max_size=3), label="batch")
        changes = data.draw(
            st.lists(st.tuples(st.integers(0, 50), st.one_of(st.none(), record())), max_size=3),
            label="corrections",
        )
        state = data.draw(st.sampled_from(STATES), label="batch state")
        full, sliced, refused = both_checks(store, records, changes, state)
        assert sliced == full
        assert refused == (full is not None)


def test_a_breakdown_too_many_in_another_year_is_refused_as_the_full_check_does() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        rules = directory / "rules.toml"
        rules.write_text(RULES, encoding="utf-8")
        store = open_ledger(directory / "ledger.db")
        subsets = [
            names
            for size in range(1, len(DIMENSIONS) + 1)
            for names in itertools.combinations(DIMENSIONS, size)
        ]
        existing = [
            {"indicator": "C", "period": f"2025-01-{n + 1:02d}", "value": "1"}
            | {"dimensions": dict.fromkeys(names, "x")}
            for n, names in enumerate(subsets[:16])
        ]
        store.import_records(existing, actor="t", rules=rules)  # 16 ways, no overlap
        more = [
            {"indicator": "C", "period": "2026-01", "value": "1"}
            | {"dimensions": dict.fromkeys(subsets[20], "y")}
        ]
        full, sliced, refused = both_checks(store, more, [], None)
        assert full is not None
        assert "broken down in 17 different ways" in full[1]
        assert sliced == full
        assert refused
        same = [
            {"indicator": "C", "period": "2026-01", "value": "1"}
            | {"dimensions": dict.fromkeys(subsets[3], "y")}
        ]
        assert both_checks(store, same, [], None) == (None, None, False)


@pytest.mark.parametrize(
    ("label", "spans"),
    [
        ("2025", [("2025", "2025\uffff")]),
        ("2025-Q2", [("2025", "2025"), ("2025-Q2", "2025-Q2"), ("2025-04", "2025-06\uffff")]),
        ("2025-12", [("2025", "2025"), ("2025-Q4", "2025-Q4"), ("2025-12", "2025-12\uffff")]),
        (
            "2025-04-01",
            [
                ("2025", "2025"),
                ("2025-Q2", "2025-Q2"),
                ("2025-04", "2025-04"),
                ("2025-04-01", "2025-04-01"),
            ],
        ),
    ],
)
def test_the_family_of_a_period_holds_every_period_sharing_a_day(
    label: str, spans: list[tuple[str, str]]
) -> None:
    assert family(label) == spans


def periods() -> st.SearchStrategy[Period]:
    day = st.dates(date(2024, 12, 1), date(2026, 1, 31))
    return st.one_of(
        day.map(lambda d: Period.year_of(d.year)),
        day.map(lambda d: Period.quarter_of(d.year, (d.month + 2) // 3)),
        day.map(lambda d: Period.month_of(d.year, d.month)),
        day.map(Period.day_of),
    )


@given(periods(), periods())
def test_two_periods_share_a_day_exactly_when_one_is_in_the_others_family(
    a: Period, b: Period
) -> None:
    inside = any(first <= b.label <= last for first, last in family(a.label))
    assert inside == a.overlaps(b)
