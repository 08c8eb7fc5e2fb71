"""Property: the ledger as of any moment gives the figures of the files of what it held then.

Random histories (imports from files and from Python, corrections, withdrawals,
verification states, a revised rule set) are recorded at increasing moments.
For a random moment T, evaluating the store as of T must give exactly the
figures of the engine reading one event file that holds the events recorded
by T and not superseded by T, whose state counts, with the rule set in force
at T.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ikueval
from ikueval._store import open_ledger
from ledgers import SMALL_RULES, figures

REVISED_RULES = SMALL_RULES.replace("annual = 100, Q1 = 20", "annual = 60, Q1 = 25")
PERIODS = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
START = datetime(2025, 4, 1, tzinfo=UTC)


@dataclass
class Entry:
    record: dict[str, Any]
    state: str | None
    moment: datetime
    superseded_at: datetime | None = None


@dataclass
class Model:
    """What the ledger should hold: entries in order, and the rule versions in force."""

    entries: list[Entry] = field(default_factory=list)
    rules: list[tuple[datetime, str]] = field(default_factory=list)

    def live(self) -> list[int]:
        return [n for n, e in enumerate(self.entries) if e.superseded_at is None and e.record]

    def at(self, moment: datetime, counted: set[str | None]) -> tuple[str, list[dict[str, Any]]]:
        rules = [text for at, text in self.rules if at <= moment][-1]
        records = [
            e.record
            for e in self.entries
            if e.moment <= moment
            and e.record
            and (e.superseded_at is None or e.superseded_at > moment)
            and e.state in counted
        ]
        return rules, records


def records() -> st.SearchStrategy[dict[str, Any]]:
    value = st.one_of(st.integers(0, 40).map(str), st.just("-"))
    plain = st.builds(
        lambda p, v: {"indicator": "B", "period": p, "value": v}, st.sampled_from(PERIODS), value
    )
    by_gender = st.builds(
        lambda p, v, g: {"indicator": "A", "period": p, "value": v, "gender": g},
        st.sampled_from(PERIODS),
        value,
        st.sampled_from(["L", "P"]),
    )
    return st.one_of(plain, by_gender)


STATES = st.sampled_from([None, None, "draft", "verified"])


def csv_text(rows: list[dict[str, Any]]) -> str:
    lines = ["indicator,period,value,gender"]
    lines += [f"{r['indicator']},{r['period']},{r['value']},{r.get('gender', '')}" for r in rows]
    return "\n".join(lines) + "\n"


def as_record(row: dict[str, Any]) -> dict[str, Any]:
    record = {k: v for k, v in row.items() if k != "gender"}
    if row.get("gender"):
        record["dimensions"] = {"gender": row["gender"]}
    return record


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_as_of_t_equals_the_files_of_what_was_recorded_by_t(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        run_history(Path(scratch), data)


def run_history(directory: Path, data: st.DataObject) -> None:
    now = [START]
    store = open_ledger(directory / "ledger.db", clock=lambda: now[0])
    rules_v1 = directory / "rules.toml"
    rules_v1.write_text(SMALL_RULES, encoding="utf-8")
    model = Model(rules=[(START, SMALL_RULES)])
    first = data.draw(st.lists(records(), min_size=1, max_size=6), label="first import")
    store.import_files([write(directory, "first.csv", first)], rules=rules_v1, actor="t")
    model.entries += [Entry(row, None, START) for row in first]
    imported = {csv_text(first)}  # a file whose content was imported before adds nothing
    steps = data.draw(st.integers(1, 6), label="steps")
    for step in range(steps):
        now[0] += timedelta(hours=data.draw(st.integers(0, 30)))
        kind = data.draw(st.sampled_from(["file", "records", "correct", "withdraw", "rules"]))
        live = model.live()
        if kind in ("correct", "withdraw") and not live:
            kind = "records"
        if kind == "file" or kind == "records":
            rows = data.draw(st.lists(records(), min_size=1, max_size=5))
            state = data.draw(STATES)
            if kind == "file":
                path = write(directory, f"step-{step}.csv", rows)
                store.import_files([path], actor="t", state=state)
                if csv_text(rows) in imported:
                    continue
                imported.add(csv_text(rows))
            else:
                records_given = [as_record(row) for row in rows]
                store.import_records(records_given, actor="t", origin=f"s{step}", state=state)
            model.entries += [Entry(row, state, now[0]) for row in rows]
        elif kind == "correct":
            target = data.draw(st.sampled_from(live))
            old = model.entries[target]
            value = data.draw(st.one_of(st.integers(0, 40).map(str), st.just("-")))
            state = data.draw(st.sampled_from([None, "verified"]))
            store.correct([target + 1], {"value": value}, state=state, reason="r", actor="t")
            old.superseded_at = now[0]
            record = {**old.record, "value": value}
            model.entries.append(Entry(record, state or old.state, now[0]))
        elif kind == "withdraw":
            target = data.draw(st.sampled_from(live))
            store.withdraw([target + 1], reason="r", actor="t")
            model.entries[target].superseded_at = now[0]
            model.entries.append(Entry({}, None, now[0]))
        else:
            text = data.draw(st.sampled_from([SMALL_RULES, REVISED_RULES]))
            store.record_rules(text, source="rules", actor="planner")
            model.rules.append((now[0], text))
    assert store.snapshot().batch.last_entry == len(model.entries)

    offset = data.draw(st.integers(0, int((now[0] - START).total_seconds() // 3600) + 2))
    moment = START + timedelta(hours=offset, minutes=data.draw(st.sampled_from([0, 30])))
    period = data.draw(st.sampled_from([*PERIODS, "2025"]))
    counted = data.draw(st.sampled_from([("verified",), ("draft", "verified")]))
    rules_text, held = model.at(moment, {None, *counted})
    ruleset = ikueval.loads_rules(rules_text)
    if held:
        files = [write(directory, "expected.csv", held)]
        expected = ikueval.evaluate(ruleset, ikueval.read_events(ruleset, files), period)
    else:
        expected = ikueval.evaluate(ruleset, [], period)
    assert figures(store.evaluate(period, moment, states=counted)) == figures(expected)


def write(directory: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    path = directory / name
    path.write_text(csv_text(rows), encoding="utf-8")
    return path
