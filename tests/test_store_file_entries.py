"""An import reads files in one pass, as ``read_ledger`` does: the entries it
stores, and the check of the events in force, are those of the exact path."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EVENTS, examples
from ikueval import IkuEvalError, RuleSet, build_ledger, evaluate, render_explain, render_json
from ikueval._building import LedgerBuilder
from ikueval._decimals import NumberFormat
from ikueval._loading import event_files
from ikueval._loading.ingest import checked_events
from ikueval._store.file_entries import file_entries, number_text
from ikueval._store.records import entry_row, events_of, put_entries
from ikueval._store.values import EntryRow
from test_ingest import GOOD, VALUES, _write, files

TEXT_COLUMNS = ("note", "document", "table")
File = tuple[tuple[str, ...], NumberFormat | None, list[list[str]]]


@st.composite
def files_with_texts(draw: st.DrawFn) -> File:
    """The files of ``test_ingest``, with a note, a document or a table beside some rows."""
    columns, number_format, rows = draw(files())
    extra = draw(st.lists(st.sampled_from(TEXT_COLUMNS), unique=True))
    text = st.sampled_from(["", " ", "Tabel 3", " late report "]) | st.text(max_size=5)
    rows = [row + [draw(text) for _ in extra] for row in rows]
    return (*columns, *extra), number_format, rows


@st.composite
def good_files(draw: st.DrawFn) -> File:
    """Files of good rows, whose periods often overlap: some count a realisation twice."""
    columns = ("indicator", "input", "period", "value", "unit", "gender", "country", "program")
    indicators = st.sampled_from(sorted(GOOD))
    periods = st.sampled_from(["2025-Q2", "2025-04", "2025-05", "2025-06-24", "2025"])
    rows = []
    for indicator in draw(st.lists(indicators, min_size=1, max_size=6)):
        good = {**GOOD[indicator], "indicator": indicator, "value": draw(st.sampled_from(VALUES))}
        good["period"] = draw(periods)
        rows.append([good.get(name, "") for name in columns])
    return columns, None, rows


def _exact(rules: RuleSet, paths: list[Path], state: str | None) -> tuple[object, ...]:
    """What the import did before: every row checked by the exact checker, then stored."""
    rows, spans, subjects = [], {}, set()
    try:
        for number, event in enumerate(checked_events(rules, paths), start=1):
            row = entry_row(event, entry=number, batch=1, state=state)
            spans.setdefault(row.origin_file, [number, number])[1] = number
            subjects.add(row.subject)
            rows.append(tuple(row))
    except IkuEvalError as exc:
        return (f"{type(exc).__name__}: {exc}",)
    return rows, spans, subjects


def _one_pass(rules: RuleSet, paths: list[Path], state: str | None) -> tuple[object, ...]:
    spans: dict[str, list[int]] = {}
    subjects: set[str] = set()
    try:
        rows = list(file_entries(rules, paths, set(), 1, 1, state, spans, subjects))
    except IkuEvalError as exc:
        return (f"{type(exc).__name__}: {exc}",)
    return [tuple(row) for row in rows], spans, subjects


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(files_with_texts(), min_size=1, max_size=3), st.sampled_from([None, "draft"]))
def test_an_import_stores_what_the_exact_checker_gives(
    bundled_rules: RuleSet, written: list[File], state: str | None
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for index, file in enumerate(written):
            _write(folder, f"events-{index}.csv", file)
        paths = event_files([folder])
        assert _one_pass(bundled_rules, paths, state) == _exact(bundled_rules, paths, state)


def test_the_bundled_example_is_stored_alike(bundled_rules: RuleSet) -> None:
    paths = event_files([EVENTS])
    stored = _one_pass(bundled_rules, paths, None)
    assert len(stored[0]) > 100  # type: ignore[arg-type]
    assert stored == _exact(bundled_rules, paths, None)


@pytest.mark.parametrize(
    ("coefficient", "exponent", "text"),
    [(7, 0, "7"), (875, -1, "87.5"), (5, -2, "0.05"), (500, -2, "5.00"), (0, -3, "0.000")],
)
def test_numbers_are_stored_as_their_decimal_is_written(
    coefficient: int, exponent: int, text: str
) -> None:
    assert number_text(coefficient, exponent) == text


def _read(rules: RuleSet, rows: list[EntryRow], retain: list[str], how: str) -> str:
    """A ledger read from entries (as the check and a snapshot read them), in words."""
    trusted = how.endswith("trusted")
    version = 1 if trusted else 2
    try:
        if how.startswith("by parts"):
            builder = LedgerBuilder(rules, retain)
            put_entries(builder, version, rows, [(1, 1)], "ledger.db")
            ledger = builder.finish()
        else:
            events = events_of(rules, version, rows, [(1, 1)], "ledger.db")
            ledger = build_ledger(rules, events, retain=retain)
    except IkuEvalError as exc:
        return f"{type(exc).__name__}: {exc}"
    warnings = "\n".join(str(w) for w in ledger.warnings)
    evaluation = evaluate(rules, ledger, "2025-Q2")
    explained = render_explain(evaluation, rules, ledger=ledger) if retain else ""
    return warnings + render_json(evaluation) + explained


@settings(max_examples=examples(100), deadline=None)
@given(
    st.lists(good_files() | files_with_texts(), min_size=1, max_size=3),
    st.sampled_from(["trusted", "checked again"]),
    st.sampled_from([[], ["IKU-06"], sorted(GOOD)]),
)
def test_entries_are_read_by_parts_as_they_are_as_events(
    bundled_rules: RuleSet, written: list[File], trust: str, retain: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for index, file in enumerate(written):
            _write(folder, f"events-{index}.csv", file)
        read = _exact(bundled_rules, event_files([folder]), None)
    if len(read) == 1:
        return  # a bad file: nothing is stored
    rows = [EntryRow(*row) for row in read[0]]  # type: ignore[attr-defined]
    by_parts = _read(bundled_rules, rows, retain, f"by parts, {trust}")
    assert by_parts == _read(bundled_rules, rows, retain, f"as events, {trust}")


@pytest.mark.parametrize("trust", ["trusted", "checked again"])
def test_the_bundled_example_is_read_by_parts_as_it_is_as_events(
    bundled_rules: RuleSet, trust: str
) -> None:
    stored = _exact(bundled_rules, event_files([EVENTS]), None)
    rows = [EntryRow(*row) for row in stored[0]]  # type: ignore[attr-defined]
    retain = [indicator.id for indicator in bundled_rules.indicators]
    by_parts = _read(bundled_rules, rows, retain, f"by parts, {trust}")
    assert "ledger.db:" in by_parts  # the entries are named
    assert by_parts == _read(bundled_rules, rows, retain, f"as events, {trust}")
    assert by_parts != _read(bundled_rules, rows, [], f"as events, {trust}")
