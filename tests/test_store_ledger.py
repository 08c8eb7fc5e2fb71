"""The ledger store: imports, corrections, reading as of a moment, the log and the diff."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

import ikueval
from conftest import time_limit
from ikueval._store import StoreError, VerificationState
from ikueval._store.corrections import MAX_ENTRY_PROBLEMS
from ikueval._store.inputs import entry_numbers
from ikueval._store.records import event_of, events_of
from ledgers import (
    DATA,
    RULES,
    SMALL_RULES,
    Clock,
    events_file,
    figures,
    small_rules,
    store_at,
)


def a_value(evaluation: ikueval.Evaluation, span: str = "to_date") -> object:
    return evaluation.indicator("A").realisations[span].value


def test_an_import_records_every_event_once(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    report = store.import_files([DATA], rules=RULES, actor="operator")
    assert report.batch is not None
    assert (report.batch.number, report.batch.first_entry, report.batch.last_entry) == (1, 1, 129)
    assert report.events == 129
    assert report.rules.version == 1
    assert report.rules_changed
    assert [c.name.rsplit("/", 1)[-1] for c in report.contents][:3] == [
        "ikpa-2025.csv",
        "placements-2025-q2.csv",
        "quarterly-2025.csv",
    ]
    assert report.warnings[0].message.startswith("quarterly targets of this cumulative")

    clock.tick()
    again = store.import_files([DATA / "quarterly-2025.csv"], rules=RULES, actor="operator")
    assert again.batch is None
    (skipped,) = again.contents
    assert skipped.skipped
    assert skipped.recorded_in == report.batch
    assert (skipped.first_entry, skipped.last_entry) == (56, 82)
    assert store.snapshot().batch.number == 1


def test_the_ledger_gives_the_figures_of_the_files(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    store.import_files([DATA], rules=RULES, actor="operator")
    ruleset = ikueval.load_rules(RULES)
    by_files = ikueval.evaluate(ruleset, ikueval.read_events(ruleset, [DATA]), "2025-Q2")
    by_ledger = store.evaluate("2025-Q2")
    assert figures(by_ledger) == figures(by_files)
    korea = [
        p
        for p in by_ledger.indicator("IKU-06").realisations["period"].inputs[0].parts
        if dict(p.dimensions) == {"country": "Korea Selatan", "gender": "L"}
    ]
    assert korea[0].sources == (f"{store.name}:86-88,118",)


def test_rebuilt_events_are_the_engines_own(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    store.import_files([DATA], rules=RULES, actor="operator")
    snapshot = store.snapshot()
    with store.reading() as reader:
        rows = list(reader.counted(snapshot.batch.last_entry, snapshot.states))
        versions = reader.checked_with(snapshot.batch.last_entry)
    fast = list(events_of(snapshot.ruleset, 1, rows, versions, "db"))
    checked = [event_of(snapshot.ruleset, row, "db") for row in rows]
    assert fast == checked
    assert [e.value for e in fast][55:57] == [Decimal("19"), Decimal("19")]


def test_a_bad_file_adds_nothing_with_the_messages_of_an_evaluation(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    rules = small_rules(tmp_path)
    good = events_file(tmp_path, "good.csv", ["A,2025-Q1,1,L,"])
    bad = events_file(tmp_path, "bad.csv", ["A,2025-Q1,1,L,", "A,2025-Q5,x,X,"])
    with pytest.raises(ikueval.EventError) as by_store:
        store.import_files([good, bad], rules=rules, actor="t")
    ruleset = ikueval.load_rules(rules)
    with pytest.raises(ikueval.EventError) as by_files:
        ikueval.read_events(ruleset, [good, bad])
    assert by_store.value.problems == by_files.value.problems
    assert by_store.value.summary == "nothing was added to the ledger: fix the problems above"
    with pytest.raises(StoreError, match="the ledger is empty"):
        store.snapshot()


def test_event_ids_are_unique_among_the_events_in_force(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    store.import_files(
        [events_file(tmp_path, "a.csv", ["A,2025-Q1,1,L,r1"])], rules=rules, actor="t"
    )
    again = events_file(tmp_path, "b.csv", ["A,2025-Q1,1,L,r1", "A,2025-Q1,1,L,r2"])
    with pytest.raises(ikueval.EventError) as error:
        store.import_files([again], actor="t")
    assert str(error.value.problems[0]) == (
        f"{again}:2: id: event id 'r1' is in force in the ledger already (entry 1) "
        "(to change that event, correct entry 1)"
    )
    assert error.value.summary == "nothing was added to the ledger: fix the problems above"
    store.withdraw([1], reason="recorded by mistake", actor="t")
    assert store.import_files([again], actor="t").events == 2  # r1 is free again


def test_a_ledger_holds_one_rule_set(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    store.import_files([DATA], rules=RULES, actor="t")
    other = small_rules(tmp_path)
    with pytest.raises(StoreError) as error:
        store.import_files(
            [events_file(tmp_path, "a.csv", ["A,2025-Q1,1,L,"])], rules=other, actor="t"
        )
    assert "this ledger holds rule set 'bp3mi-jateng-2025'" in str(error.value)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(StoreError, match="no rule set yet"):
        store_at(empty).import_files([DATA], actor="t")


def test_records_from_python_are_recognised_when_imported_again(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    rules = small_rules(tmp_path)
    records = [{"indicator": "A", "period": "2025-Q1", "value": 4, "dimensions": {"gender": "P"}}]
    first = store.import_records(records, rules=rules, actor="app", origin="form-17")
    assert first.events == 1
    assert first.contents[0].name == "form-17"
    second = store.import_records(records, actor="app", origin="form-17")
    assert second.batch is None
    assert second.contents[0].recorded_in == first.batch
    assert a_value(store.evaluate("2025-Q1")) == 4
    with pytest.raises(ikueval.EventError):
        store.import_records([{"indicator": "A", "period": "2025-Q1", "value": 1.5}], actor="app")
    assert store.snapshot().batch.last_entry == 1


def test_corrections_supersede_without_erasing(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    store.import_files(
        [events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,", "A,2025-Q2,7,P,"])],
        rules=rules,
        actor="t",
    )
    clock.tick()
    report = store.correct([1], {"value": "6"}, reason="recounted", actor="auditor")
    assert report.superseded == (1,)
    assert report.entries[0].entry == 3
    clock.tick()
    store.correct([2], {"gender": "L", "period": "2025-Q1"}, reason="typed wrong", actor="a")
    assert a_value(store.evaluate("2025-Q2")) == 13
    assert a_value(store.evaluate("2025-Q2", "2025-04-01")) == 12
    assert a_value(store.evaluate("2025-Q2", "2025-04-02T00:00:00+07:00")) == 12
    assert a_value(store.evaluate("2025-Q2", "2025-04-02")) == 13
    assert store.evaluate("2025-Q2").indicator("A").realisations["period"].status.value == (
        "no_realisation"
    )

    with pytest.raises(StoreError) as error:
        store.correct([1], {"value": "9"}, reason="again", actor="a")
    assert str(error.value.problems[0]) == (
        f"{store.name}:1: entry 1 was superseded by entry 3 (correct entry 3 instead)"
    )
    with pytest.raises(ikueval.EventError) as refused:
        store.correct([3], {"value": "7.375"}, reason="r", actor="a")
    assert refused.value.problems[0].location.file == store.name
    assert refused.value.problems[0].location.line == 3
    with pytest.raises(StoreError, match="no entry 99: the ledger has entries 1-4"):
        store.withdraw([99], reason="r", actor="a")
    with pytest.raises(ikueval.UsageError, match="reason: required"):
        store.withdraw([3], reason=" ", actor="a")
    with pytest.raises(ikueval.UsageError, match="nothing to correct"):
        store.correct([3], {}, reason="r", actor="a")
    assert store.snapshot().batch.last_entry == 4


def test_a_range_past_the_last_entry_is_refused_at_once(tmp_path: Path) -> None:
    """Found by the fuzzer (tests/fuzz): ``ledger correct DB 1-1000000`` on a small ledger
    built a problem for each of a million missing entries (seconds, and tens of MB of
    message); the first ones are named and the rest counted."""
    store = store_at(tmp_path)
    store.import_files(
        [events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,", "B,2025-Q1,2,,"])],
        rules=small_rules(tmp_path),
        actor="t",
    )
    for call in (
        lambda: store.withdraw(entry_numbers(["1-1000000"]), reason="r", actor="a"),
        lambda: store.correct(entry_numbers(["1-1000000"]), {"note": "n"}, reason="r", actor="a"),
    ):
        with time_limit(5), pytest.raises(StoreError) as error:
            call()
        problems = error.value.problems
        assert len(problems) == MAX_ENTRY_PROBLEMS + 1
        assert str(problems[0]) == f"{store.name}: no entry 3: the ledger has entries 1-2"
        assert str(problems[-1]) == (
            f"{store.name}: and {1_000_000 - 2 - MAX_ENTRY_PROBLEMS} more entries that do not "
            "exist or are not in force"
        )
    assert store.snapshot().batch.last_entry == 2


def test_a_withdrawal_is_not_a_missing_value(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    store.import_files(
        [events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,", "B,2025-Q1,2,,"])],
        rules=rules,
        actor="t",
    )
    clock.tick()
    store.correct([2], {"value": "-"}, reason="not measured after all", actor="a")
    store.withdraw([1], reason="recorded twice", actor="a")
    evaluation = store.evaluate("2025-Q1")
    assert evaluation.indicator("A").realisations["period"].reason == "no realisation in 2025-Q1"
    assert evaluation.indicator("B").realisations["period"].reason == (
        "no realisation in 2025-Q1 (reported as '-')"
    )
    with pytest.raises(StoreError, match="is a withdrawal"):
        store.correct([4], {"value": "1"}, reason="r", actor="a")
    log = list(store.log())
    assert log[-1] == "  entry 4 withdraws entry 1: A 2025-Q1 [gender=L]: 5"
    assert log[-3] == "  entry 3 corrects entry 2: B 2025-Q1: 2 -> -"


def test_only_verified_events_count_when_the_application_uses_states(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    store.import_files(
        [events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,", "A,2025-Q1,1,P,"])],
        rules=rules,
        actor="clerk",
        state="draft",
    )
    store.import_files([events_file(tmp_path, "b.csv", ["A,2025-Q1,10,L,"])], actor="legacy")
    assert a_value(store.evaluate("2025-Q1")) == 10
    assert a_value(store.evaluate("2025-Q1", states=["draft", "verified"])) == 16
    clock.tick()
    store.correct([1], state=VerificationState.VERIFIED, reason="checked", actor="head")
    assert a_value(store.evaluate("2025-Q1")) == 15
    assert a_value(store.evaluate("2025-Q1", "2025-04-01")) == 10
    assert "A 2025-Q1 [gender=L]: 5 (draft) -> 5 (verified)" in list(store.log())[-1]
    with pytest.raises(ikueval.UsageError, match="unknown verification state 'approved'"):
        store.evaluate("2025-Q1", states=["approved"])
    described = store.snapshot(states=["draft"]).describe()
    assert described.endswith("; states counted: draft (and events without a state)")


def test_the_rules_in_force_at_the_moment_are_used(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    store.import_files([events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,"])], rules=rules, actor="t")
    clock.tick()
    revised = SMALL_RULES.replace("annual = 100", "annual = 50")
    report = store.record_rules(revised, source="rules v2", actor="planner")
    assert report.rules.version == 2
    assert report.batch is not None
    assert store.evaluate("2025-Q1").indicator("A").targets["annual"].value == 50
    assert store.evaluate("2025-Q1", "2025-04-01").indicator("A").targets["annual"].value == 100
    assert store.snapshot("2025-04-01").rules.version == 1
    # Events checked with an old copy of the rule file are refused...
    clock.tick()
    events = events_file(tmp_path, "b.csv", ["B,2025-Q1,1,,"])
    with pytest.raises(StoreError) as error:
        store.import_files([events], rules=rules, actor="t")
    assert str(error.value.problems[0]) == (
        f"{store.name}: {rules} is rule-set version 1, but version 2 has been in force since "
        "batch 2 (import with the rule file in force; to put version 1 back in force, import "
        "it alone (without events))"
    )
    # ... and the first version is put back in force only on purpose, recording no new version.
    back = store.import_files([], rules=rules, actor="t")
    assert back.rules.version == 1
    assert back.rules_changed
    assert back.batch is not None
    assert "rules version 1 (in force again)" in "\n".join(store.log())


def test_entries_a_revised_rule_set_refuses_are_named(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    store.import_files([events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,"])], rules=rules, actor="t")
    clock.tick()
    revised = SMALL_RULES.replace('values = ["L", "P"]', 'values = ["M", "F"]')
    with pytest.raises(ikueval.EventError) as error:
        store.record_rules(revised, source="v2", actor="p")
    assert str(error.value.problems[0]).startswith(f"{store.name}:1: gender: 'L' is not a value")
    assert error.value.summary == "nothing was added to the ledger: fix the problems above"
    assert store.snapshot().rules.version == 1
    assert a_value(store.evaluate("2025-Q1")) == 5


def test_a_batch_that_would_count_a_realisation_twice_is_refused(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    store.import_files([events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,"])], rules=rules, actor="t")
    total = events_file(tmp_path, "total.csv", ["A,2025-Q1,9,,"])
    with pytest.raises(ikueval.EventConflictError) as error:
        store.import_files([total], actor="t")
    assert error.value.problems[0].message == (
        f"A: events for 2025-Q1 ({store.name}:2) and for 2025-Q1 [gender=L] ({store.name}:1) "
        "overlap, so the same realisation would be counted twice"
    )
    assert store.snapshot().batch.last_entry == 1
    store.import_files([events_file(tmp_path, "b.csv", ["A,2025-Q1,1,P,"])], actor="t")
    with pytest.raises(ikueval.EventConflictError):
        store.correct([1], {"gender": ""}, reason="a total, not the men", actor="t")
    store.correct([1], {"gender": "P"}, reason="women, not men", actor="t")
    assert store.snapshot().batch.last_entry == 3


def test_nothing_recorded_by_a_moment(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    store.import_files([DATA], rules=RULES, actor="t")
    with pytest.raises(StoreError) as error:
        store.snapshot("2025-03-31")
    assert str(error.value) == (
        f"{store.name}: nothing was recorded by 2025-03-31T23:59:59Z: the first batch is of "
        "2025-04-01T00:00:00Z"
    )
    with pytest.raises(ikueval.UsageError, match="has no time zone"):
        store.snapshot("2025-04-01T10:00")
    with pytest.raises(ikueval.UsageError, match="expected a date"):
        store.snapshot("yesterday")


def test_the_log_of_one_indicator_names_each_entry_and_its_origin(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    events = events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,", "B,2025-Q1,2,,"])
    store.import_files([events], rules=rules, actor="operator")
    clock.tick(hours=5)
    store.correct([1], {"value": "6"}, reason="recounted", actor="auditor")
    assert list(store.log("A")) == [
        "batch 1  2025-04-01T00:00:00Z  import by operator  rules version 1 (new: small from "
        f"{rules}, sha256 {store.snapshot().rules.short_hash})",
        f"  entry 1  A 2025-Q1 [gender=L]: 5  from {events}:2",
        "batch 2  2025-04-01T05:00:00Z  correction by auditor: recounted",
        "  entry 3 corrects entry 1: A 2025-Q1 [gender=L]: 5 -> 6",
    ]
    assert [line.split("  ")[0] for line in store.log("B")] == ["batch 1", ""]


def test_the_diff_names_the_changed_figures_and_their_causes(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    store.import_files(
        [events_file(tmp_path, "a.csv", ["A,2025-Q1,10,L,", "B,2025-Q1,2,,"])],
        rules=rules,
        actor="op",
    )
    clock.tick()
    store.correct([1], {"value": "12"}, reason="recounted", actor="auditor")
    difference = store.diff("2025-Q1", "2025-04-01")
    assert {(c.subject, c.figure, c.before, c.after) for c in difference.changes} >= {
        ("A", "realisation period", "10", "12"),
        ("A", "achievement period", "50.00", "60.00"),
    }
    assert [cause.entry.entry for cause in difference.causes["A"]] == [3]
    assert "B" not in {c.subject for c in difference.changes}
    assert not store.diff("2025-Q1", "2025-04-02", "2025-04-03").changes


def test_threads_share_one_store(tmp_path: Path) -> None:
    clock = Clock()
    store = store_at(tmp_path, clock)
    rules = small_rules(tmp_path)
    store.import_files([events_file(tmp_path, "a.csv", ["A,2025-Q1,1,L,"])], rules=rules, actor="t")
    files = [events_file(tmp_path, f"e{n}.csv", [f"A,2025-Q1,{n + 1},P,"]) for n in range(8)]

    def work(n: int) -> object:
        if n % 2:
            return store.import_files([files[n]], actor=f"thread-{n}").events
        return a_value(store.evaluate("2025-Q1"))

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(8)))
    assert a_value(store.evaluate("2025-Q1")) == 1 + sum(n + 1 for n in range(1, 8, 2))
    assert store.snapshot().batch.number == 5
