"""One pass over event files: the fast path agrees with the exact checker, and
``read_ledger`` with ``build_ledger(read_events(...))`` on every file, good or bad."""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal
from pathlib import Path
from random import Random
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import EVENTS, examples
from ikueval import (
    EventConflictError,
    EventError,
    IkuEvalError,
    RuleSet,
    UsageError,
    build_ledger,
    evaluate,
    read_events,
    read_ledger,
    render_json,
)
from ikueval._decimals import MAX_DECIMALS, MAX_MAGNITUDE, NumberFormat
from ikueval._events import EventSource, event_from_record
from ikueval._ledger import period_key
from ikueval._loading import files as files_module
from ikueval._loading import ingest, parallel
from ikueval._loading.fast_rows import COLUMN_BOUNDS, RuleFacts, _number
from ikueval._loading.ids import IdIndex
from ikueval._sources import MAX_LINES_LISTED, FileTable, SourceSet

COLUMNS = ("indicator", "input", "period", "date", "value", "unit", "id", "activity", "ref")
DIMENSION_COLUMNS = ("gender", "country", "program", "sector", "Gender", "colour")
TEXTS = {
    "indicator": ["IKU-01", "IKU-06", "IKU-07", "IKU-08", "IKU-10", "IKU-13", "IKU-99", " IKU-06 "],
    "input": ["", "handled", "received", "value", "bogus"],
    "period": ["", "2025-Q2", "2025-04", "2025-06-24", "2025", "2024-Q1", "2025-13", " 2025-Q1"],
    "date": ["", "2025-06-24", "2025-02-30", "2025-04", "2026-01-01", " 2025-06-24", " "],
    "value": [
        "", "-", "0", "7", "007", "80", "7.375", "1.250.000", "87,5", "87.5", "0,25", "-3",
        "1.5.0", "12.", ".5", "Baik", "n/a", "1" + "0" * 24, "0." + "1" * 21, "١٢", " 36 ",
        "9" * 4301, "0" * 30 + "7", "1" * 4301 + ",5",
    ],
    "unit": [
        "", "Orang", "orang", "%", "persen", "Kasus", "Dokumen", "Ton", "Kategori", " Orang ",
        "ORANG", " ", "orang  x",
    ],
    "id": ["", "a", "b", "EV-1"],
    "activity": ["", "fasilitasi"],
    "ref": ["", "Tabel 3"],
    "gender": ["", "L", "P", "X", " L", "P ", " "],
    "country": ["", "Taiwan", "Malaysia", "Mars", " Taiwan", "taiwan"],
    "program": ["", "g2g-jepang"],
    "sector": ["", "formal"],
    "Gender": ["", "L"],
    "colour": ["", "red"],
}  # fmt: skip


#: Cells a good row of each indicator has, most of the time.
GOOD = {
    "IKU-06": {"input": "", "unit": "Orang", "gender": "L", "country": "Taiwan"},
    "IKU-01": {"input": "handled", "unit": "Kasus"},
    "IKU-08": {"input": "", "unit": "%"},
    "IKU-10": {"input": "", "unit": "", "program": "g2g-jepang"},
}
VALUES = ["7", "80", "007", "7.375", "1.250.000", "87,5", "87.5", "0,25", "-", "12.5", "3.14"]


def cell(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(TEXTS[name]) | st.text(max_size=4)


@st.composite
def row(draw: st.DrawFn, columns: tuple[str, ...]) -> list[str]:
    """Cells for ``columns``: a good row of an indicator, with a few cells changed."""
    indicator = draw(st.sampled_from(sorted(GOOD)))
    good = {
        **GOOD[indicator],
        "indicator": indicator,
        "value": draw(st.sampled_from(VALUES)),
        "period": draw(st.sampled_from(["2025-Q2", "2025-04", "2025-06-24", ""])),
        "id": draw(st.sampled_from(["", "a", "b"])),
    }
    if not good["period"] or "period" not in columns:
        good["date"] = "2025-06-24"
    cells = [good.get(name, "") for name in columns]
    for index in draw(st.lists(st.integers(0, len(columns) - 1), max_size=2)):
        cells[index] = draw(cell(columns[index]))
    return cells


@st.composite
def files(draw: st.DrawFn) -> tuple[tuple[str, ...], NumberFormat | None, list[list[str]]]:
    """Columns, a declared number format and rows of cells for them.

    A file has no input, period or date column now and then: the fast path
    reads such files with fewer checks.
    """
    extra = draw(st.lists(st.sampled_from(COLUMNS + DIMENSION_COLUMNS), unique=True))
    usual = draw(st.sampled_from([("period", "date", "input"), ("date",), ("period",), ()]))
    columns = tuple(dict.fromkeys(["indicator", "value", *usual, *extra]))
    number_format = draw(st.sampled_from([None, *NumberFormat]))
    rows = draw(st.lists(row(columns), min_size=1, max_size=8))
    return columns, number_format, rows


@settings(max_examples=examples(400), deadline=None)
@given(files())
def test_the_fast_path_accepts_only_what_the_exact_checker_accepts_alike(
    bundled_rules: RuleSet, file: tuple[tuple[str, ...], NumberFormat | None, list[list[str]]]
) -> None:
    columns, number_format, rows = file
    plan = RuleFacts(bundled_rules).plan(columns, number_format)
    assert plan is not None
    for cells in rows + rows:  # the second time, from what the plan remembers of the cells
        accepted = plan.row(cells)
        parts = plan.parts(cells)
        if parts is None or accepted is None:
            assert parts is accepted
        else:
            series, (period, number), dims, (coefficient, exponent, fits), ident = parts
            assert (series.key, period, number, dims, coefficient, exponent, ident) == accepted
            least, most, least_exponent = COLUMN_BOUNDS
            held = coefficient is not None and least <= coefficient <= most
            assert fits == (held and least_exponent < exponent <= 0)
        if accepted is None:
            continue  # the exact checker decides, and words the problems
        fields = dict(zip(columns, cells, strict=True))
        source = EventSource("f.csv", 2)
        event = event_from_record(bundled_rules, fields, source=source, number_format=number_format)
        key, period, number, dims, coefficient, exponent, ident = accepted
        assert (key, period, number) == (event.series, event.period, period_key(event.period))
        assert dims == tuple(sorted(event.dimensions.items()))
        assert ident == event.id
        if coefficient is None:
            assert event.value is None
        else:
            assert isinstance(event.value, Decimal)
            value = Decimal(coefficient).scaleb(exponent)
            assert value.as_tuple() == event.value.as_tuple()


def test_the_fast_path_takes_the_common_rows(bundled_rules: RuleSet) -> None:
    plan = RuleFacts(bundled_rules).plan(
        ("id", "indicator", "date", "value", "unit", "gender", "country", "note"),
        NumberFormat.INDONESIAN,
    )
    assert plan is not None
    row = ["EV-1", "IKU-06", "2025-04-02", "1.120", "Orang", "L", "Taiwan", "a note"]
    assert plan.row(row) is not None
    assert plan.row([*row[:3], "87,5", *row[4:]]) is not None
    assert plan.row([*row[:5], "", "", ""]) is not None


@pytest.mark.parametrize("value", ["9" * 4301, "1" * 25, "0" * 30 + "7", "1" * 4301 + ",5"])
def test_the_fast_path_leaves_long_numbers_to_the_exact_checker(
    bundled_rules: RuleSet, value: str
) -> None:
    """A number of more digits than Python converts is no traceback (found by the fuzzer)."""
    plan = RuleFacts(bundled_rules).plan(("indicator", "date", "value"), None)
    assert plan is not None
    assert plan.row(["IKU-06", "2025-04-02", value]) is None


def _outcome(rules: RuleSet, folder: Path, reader: str) -> str:
    try:
        if reader == "one pass":
            ledger = read_ledger(rules, [folder])
        else:
            ledger = build_ledger(rules, read_events(rules, [folder]))
    except IkuEvalError as exc:
        return f"{type(exc).__name__}: {exc}"
    warnings = "\n".join(str(w) for w in ledger.warnings)
    return warnings + render_json(evaluate(rules, ledger, "2025-Q2"))


#: How a file is laid out: line endings, byte-order mark, quoted cells, blank lines
#: and repeated headers between the rows, and the chunk size it is read in.
Layout = dict[str, object]


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    return {
        "crlf": draw(st.booleans()),
        "bom": draw(st.booleans()),
        "quoted": draw(st.sets(st.integers(0, 8), max_size=3)),
        "extra": draw(st.lists(st.sampled_from(["", "header", ";;", " "]), max_size=2)),
        "at": draw(st.integers(0, 8)),
        "chunk": draw(st.sampled_from([1, 2, 3, 7, 16, 64, 1000, files_module.CHUNK_BYTES])),
    }


PLAIN: Layout = {"crlf": False, "bom": False, "quoted": set(), "extra": [], "at": 0, "chunk": 0}


def _write(
    folder: Path,
    name: str,
    file: tuple[tuple[str, ...], NumberFormat | None, list[list[str]]],
    layout: Layout = PLAIN,
) -> None:
    columns, number_format, rows = file
    quoted: set[int] = layout["quoted"]  # type: ignore[assignment]
    lines = [f"#: number_format = {number_format.value}"] if number_format else []
    lines.append(";".join(columns))
    for number, row in enumerate(rows):
        if number in quoted:  # quoted cells may hold a separator, a quote, a line break
            lines.append(";".join('"' + cell.replace('"', '""') + '"' for cell in row))
        else:
            lines.append(";".join(cell.replace(";", ",").replace('"', "") for cell in row))
    extra = [";".join(columns) if text == "header" else text for text in layout["extra"]]  # type: ignore[attr-defined]
    at = len(lines) - len(rows) + min(layout["at"], len(rows))  # type: ignore[call-overload]
    lines[at:at] = extra
    end = "\r\n" if layout["crlf"] else "\n"
    text = end.join(lines) + end
    (folder / name).write_bytes((b"\xef\xbb\xbf" if layout["bom"] else b"") + text.encode())


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.tuples(files(), layouts()), min_size=1, max_size=3))
def test_one_pass_reads_what_two_passes_read(
    bundled_rules: RuleSet,
    written: list[tuple[tuple[tuple[str, ...], NumberFormat | None, list[list[str]]], Layout]],
) -> None:
    """Whatever the layout of the files and wherever the chunks they are read in end."""
    chunk = written[0][1]["chunk"]
    with (
        tempfile.TemporaryDirectory() as scratch,
        mock.patch.object(files_module, "CHUNK_BYTES", chunk),
    ):
        folder = Path(scratch)
        for index, (file, layout) in enumerate(written):
            _write(folder, f"events-{index}.csv", file, layout)
        one = _outcome(bundled_rules, folder, "one pass")
        two = _outcome(bundled_rules, folder, "two passes")
    assert one == two


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.tuples(files(), layouts()), min_size=1, max_size=3))
def test_files_with_bad_rows_are_read_once(
    bundled_rules: RuleSet,
    written: list[tuple[tuple[tuple[str, ...], NumberFormat | None, list[list[str]]], Layout]],
) -> None:
    """Unless an id is given twice, each file is read once, good or bad, and gives
    what two passes give (every bad row listed, no ledger)."""
    chunk = written[0][1]["chunk"]
    with (
        tempfile.TemporaryDirectory() as scratch,
        mock.patch.object(files_module, "CHUNK_BYTES", chunk),
    ):
        folder = Path(scratch)
        for index, ((columns, number_format, rows), layout) in enumerate(written):
            if "id" in columns:  # every id once: a blank one stays blank
                at = columns.index("id")
                rows = [
                    [f"{index}-{number}" if i == at and c.strip() else c for i, c in enumerate(r)]
                    for number, r in enumerate(rows)
                ]
            _write(folder, f"events-{index}.csv", (columns, number_format, rows), layout)
        with mock.patch.object(ingest, "file_rows", wraps=ingest.file_rows) as reads:
            one = _outcome(bundled_rules, folder, "one pass")
        two = _outcome(bundled_rules, folder, "two passes")
    assert reads.call_count == len(written)
    assert one == two


def test_only_an_id_given_twice_makes_the_files_be_read_again(
    bundled_rules: RuleSet, tmp_path: Path
) -> None:
    (tmp_path / "a.csv").write_text("indicator,period,value,id\nIKU-06,2025-Q1,80,e1\n")
    (tmp_path / "b.csv").write_text(
        "indicator,period,value,id\nIKU-06,2025-Q5,1,e2\nIKU-06,2025,x,e3\nIKU-06,2025,1,e4\n"
    )
    with (
        mock.patch.object(ingest, "file_rows", wraps=ingest.file_rows) as reads,
        pytest.raises(EventError, match="file refused: 3 rows read, 2 bad"),
    ):
        read_ledger(bundled_rules, [tmp_path])
    assert reads.call_count == 2  # each file once, the bad one to its end
    (tmp_path / "c.csv").write_text("indicator,period,value,id\nIKU-06,2025-Q2,1,e1\n")
    with (
        mock.patch.object(ingest, "file_rows", wraps=ingest.file_rows) as reads,
        pytest.raises(EventError) as caught,
    ):
        read_ledger(bundled_rules, [tmp_path])
    assert reads.call_count == 6  # again, to name where e1 was first seen
    assert f"duplicate event id 'e1' (first at {tmp_path / 'a.csv'}:2)" in str(caught.value)


def test_the_bundled_example_reads_alike(bundled_rules: RuleSet) -> None:
    assert _outcome(bundled_rules, EVENTS, "one pass") == _outcome(
        bundled_rules, EVENTS, "two passes"
    )


def test_no_ledger_escapes_a_file_with_a_bad_row(bundled_rules: RuleSet, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("indicator,period,value\nIKU-06,2025-Q1,80\n")
    (tmp_path / "b.csv").write_text("indicator,period,value\nIKU-06,2025-Q5,1\nIKU-06,2025,x\n")
    with pytest.raises(EventError) as caught:
        read_ledger(bundled_rules, [tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'b.csv'}:2: period: expected a period (2025, 2025-Q1..2025-Q4, "
        "2025-01..2025-12 or a date 2025-04-21), found '2025-Q5'",
        f"{tmp_path / 'b.csv'}:3: value: expected a number in the undeclared (international) "
        "format, found 'x'",
        f"{tmp_path / 'b.csv'}: file refused: 2 rows read, 2 bad",
    ]


def test_read_ledger_refuses_double_counting(bundled_rules: RuleSet, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        "indicator,period,value,gender\nIKU-06,2025-Q2,36,\nIKU-06,2025-04,11,L\n"
    )
    with pytest.raises(EventConflictError):
        read_ledger(bundled_rules, [tmp_path])


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.integers(1, 400), min_size=1, max_size=160, unique=True), st.randoms())
def test_a_cell_lists_its_rows_whatever_their_order(lines: list[int], order: Random) -> None:
    shuffled = list(lines)
    order.shuffle(shuffled)
    texts = []
    for arrival in (sorted(lines), shuffled):
        table = FileTable(["f.csv"])
        sources = SourceSet()
        for line in arrival:
            sources.add(line, table)  # file 0, packed
        texts.append(sources.texts(table.names))
    assert texts[0] == texts[1]
    if len(lines) > MAX_LINES_LISTED:
        assert texts[0] == (f"f.csv: {len(lines)} rows in lines {min(lines)}-{max(lines)}",)
    else:
        ranges, run = [], [min(lines), min(lines)]
        for line in sorted(lines)[1:]:
            if line == run[1] + 1:
                run[1] = line
            else:
                ranges.append(run)
                run = [line, line]
        ranges.append(run)
        written = ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in ranges)
        assert texts[0] == (f"f.csv:{written}",)


def test_a_cell_of_scattered_rows_says_how_many(bundled_rules: RuleSet, tmp_path: Path) -> None:
    rows = [f"IKU-06,2025-Q2,1,{'LP'[i % 2]},Taiwan,E{i}" for i in range(2 * MAX_LINES_LISTED + 2)]
    path = tmp_path / "scattered.csv"
    path.write_text("indicator,period,value,gender,country,id\n" + "\n".join(rows) + "\n")
    ledger = read_ledger(bundled_rules, [path])
    cells = ledger.of("IKU-06").cells
    assert [c.sources for c in cells] == [
        (f"{path}: {MAX_LINES_LISTED + 1} rows in lines 2-{2 * MAX_LINES_LISTED + 2}",),
        (f"{path}: {MAX_LINES_LISTED + 1} rows in lines 3-{2 * MAX_LINES_LISTED + 3}",),
    ]
    assert cells[0].first.line == 2


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.text(max_size=3) | st.integers(0, 5000).map(str), max_size=3000))
def test_the_index_of_ids_finds_every_id_seen(ids: list[str]) -> None:
    index, seen = IdIndex(), {}
    for place, ident in enumerate(ids):
        where: int | str = place if place % 3 else f"record[{place}]"
        assert index.seen(ident, where) == seen.get(ident)
        seen.setdefault(ident, where)
    assert len(index) == len(seen)


def _read(rules: RuleSet, folder: Path, workers: int, retain: tuple[str, ...] = ()) -> str:
    try:
        ledger = read_ledger(rules, [folder], retain=retain, workers=workers)
    except IkuEvalError as exc:
        return f"{type(exc).__name__}: {exc}"
    events = [c.events for key in ledger.series for c in ledger.series[key].cells]
    warnings = "\n".join(str(w) for w in ledger.warnings)
    tables = (ledger.tables.dimensions, list(ledger.tables.periods), ledger.events_read)
    return f"{warnings}{events}{tables}{render_json(evaluate(rules, ledger, '2025-Q2'))}"


@pytest.fixture(params=["fork", "spawn"])
def start_method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Workers started both ways (fork only where the platform has it)."""
    import multiprocessing

    if request.param not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {request.param} here")
    monkeypatch.setattr(parallel, "_forking", lambda: request.param == "fork")
    return str(request.param)


def test_workers_read_what_one_process_reads(
    bundled_rules: RuleSet, tmp_path: Path, start_method: str
) -> None:
    assert _read(bundled_rules, EVENTS, 3, ("IKU-06",)) == _read(
        bundled_rules, EVENTS, 1, ("IKU-06",)
    )
    assert _read(bundled_rules, EVENTS, 2) == _read(bundled_rules, EVENTS, 1)
    (tmp_path / "a.csv").write_text("indicator,period,value,id\nIKU-06,2025-Q1,80,x\n")
    (tmp_path / "b.csv").write_text("indicator,period,value,id\nIKU-06,2025-Q2,x,y\n")
    (tmp_path / "c.csv").write_text("indicator,period,value,id\nIKU-07,2025-Q2,1,x\n")
    refused = _read(bundled_rules, tmp_path, 2)
    assert refused.startswith("EventError: ")
    assert "duplicate event id 'x'" in refused
    assert refused == _read(bundled_rules, tmp_path, 1)
    (tmp_path / "b.csv").unlink()
    (tmp_path / "c.csv").write_text("indicator,period,value,id\nIKU-06,2025-01,1,z\n")
    conflicting = _read(bundled_rules, tmp_path, 2)
    assert conflicting.startswith("EventConflictError: ")
    assert conflicting == _read(bundled_rules, tmp_path, 1)


def test_workers_send_large_numbers_and_missing_values(
    bundled_rules: RuleSet, tmp_path: Path, start_method: str
) -> None:
    header = "indicator,period,value,gender,country,id\n"
    for number in range(3):
        rows = [f"IKU-06,2025-0{1 + number},{row},L,Taiwan,{number}-{row}" for row in range(30)]
        rows[number::7] = ["IKU-06,2025-05,-,P,Taiwan,"] * len(rows[number::7])
        if number:
            rows[5] = f"IKU-06,2025-06,{10**20 + number},P,Taiwan,{number}-big"
        (tmp_path / f"{number}.csv").write_text(header + "\n".join(rows) + "\n")
    assert _read(bundled_rules, tmp_path, 3) == _read(bundled_rules, tmp_path, 1)
    ledger = read_ledger(bundled_rules, [tmp_path], workers=2)
    totals = [cell.value for cell in ledger.of("IKU-06").cells if cell.period.label == "2025-06"]
    assert 2 * 10**20 + 3 in totals


def test_workers_share_files_by_size(tmp_path: Path) -> None:
    sizes = [5, 50, 20, 30, 1]
    for number, size in enumerate(sizes):
        (tmp_path / f"{number}.csv").write_text("x" * size)
    files = [tmp_path / f"{number}.csv" for number in range(len(sizes))]
    assert parallel._shares(files, 2) == [[2, 3, 4], [0, 1]]  # 51 and 55 bytes
    assert parallel._shares(files, 5) == [[4], [0], [2], [3], [1]]
    for file in files:
        file.write_text("")
    assert parallel._shares(files, 3) == [[2], [0, 3], [1, 4]]


def test_the_hash_of_an_id_is_the_same_in_every_process() -> None:
    import subprocess
    import sys

    ids = ["x", "", "é-\ud800", "Q2-0000123"]
    code = (
        "from ikueval._loading.parallel import stable_hash\n"
        f"print([stable_hash(i) for i in {ids!r}])"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert seen == {f"{[parallel.stable_hash(i) for i in ids]}\n"}


@pytest.mark.parametrize("bad", ["a.csv", "b.csv", "c.csv", "a.csv c.csv"])
def test_workers_refuse_a_file_as_one_process_does(
    bundled_rules: RuleSet,
    tmp_path: Path,
    start_method: str,
    bad: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    header = "indicator,period,value,gender,country,id\n"
    for number, name in enumerate(["a.csv", "b.csv", "c.csv"]):
        rows = [f"IKU-06,2025-0{1 + number},1,L,Taiwan,{name}{row}" for row in range(number * 40)]
        if name in bad.split():
            rows[1:1] = ["IKU-06,2025-13,1,L,Taiwan,", "IKU-06,2025-Q2,x,L,Taiwan,a.csv0"]
        (tmp_path / name).write_text(header + "\n".join(rows) + "\n")
    monkeypatch.setattr(ingest, "_read_exactly", mock.Mock(wraps=ingest._read_exactly))
    refused = _read(bundled_rules, tmp_path, 2)
    assert refused.startswith("EventError: ")
    assert ingest._read_exactly.call_count == 0  # every id once: the files are read once
    assert refused == _read(bundled_rules, tmp_path, 1)


def test_workers_compare_ids_of_one_hash_exactly(
    bundled_rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every id of one hash: the files are read again, every id compared exactly
    monkeypatch.setattr(parallel, "_forking", lambda: True)
    monkeypatch.setattr(parallel, "hash", lambda ident: 0, raising=False)
    monkeypatch.setattr(ingest, "_read_exactly", mock.Mock(wraps=ingest._read_exactly))
    for name in ("a", "b"):
        (tmp_path / f"{name}.csv").write_text(
            f"indicator,period,value,id\nIKU-06,2025-Q1,80,{name}1\nIKU-06,2025-Q2,1,{name}2\n"
        )
    assert _read(bundled_rules, tmp_path, 2) == _read(bundled_rules, tmp_path, 1)
    assert ingest._read_exactly.call_count == 1


@pytest.mark.parametrize("workers", [0, 65, 1.5, True, "2"])
def test_workers_are_counted(bundled_rules: RuleSet, workers: object) -> None:
    with pytest.raises(UsageError, match="workers must be a whole number from 1 to 64"):
        read_ledger(bundled_rules, [EVENTS], workers=workers)  # type: ignore[arg-type]


def _split(text: str, separator: str, reader: str) -> list[object]:
    """The records of a text after its first line, read as ``reader`` says."""
    import csv
    import io

    from ikueval._loading.csv_events import _feed, _records
    from ikueval._loading.lines import read_lines

    lines = read_lines(io.BytesIO(text.encode("utf-8")), "f.csv")
    header = next(lines)
    state = [header.number, 0, 1]
    found: list[object] = []
    try:
        if reader == "csv module":
            records = csv.reader(
                _feed(header, lines, "f.csv", state), delimiter=separator, strict=True
            )
            next(records)
            while True:
                state[2] = 1
                cells = next(records, None)
                if cells is None:
                    break
                found.append((state[0], state[1], cells))
        else:
            next(csv.reader(_feed(header, lines, "f.csv", state), delimiter=separator, strict=True))
            for cells in _records(lines, "f.csv", separator, state):
                found.append((state[0], state[1], cells))
    except csv.Error as exc:
        found.append((state[0], f"csv.Error: {exc}"))
    return found


@settings(max_examples=examples(500), deadline=None)
@given(
    st.text(alphabet='ab ,;\t"\r\n\x00\u2028', max_size=60).map(lambda text: "h,h\n" + text),
    st.sampled_from([",", ";", "\t"]),
)
def test_lines_are_split_as_the_csv_module_splits_them(text: str, separator: str) -> None:
    assert _split(text, separator, "split") == _split(text, separator, "csv module")


def _items(path: Path, cells: bool) -> list[object]:
    """The items of a CSV file, each row as its line and fields (runs of rows taken apart);
    after a header refused, only the line of each row (they are not read)."""
    from ikueval._loading.csv_events import csv_rows
    from ikueval._loading.event_rows import Cells, CellsRun, Header, Row

    found: list[object] = []
    columns: tuple[str, ...] = ()
    blocked = False

    def fields(line: int, row: list[str]) -> object:
        return (line,) if blocked else (line, dict(zip(columns, row, strict=True)))

    for item in csv_rows(path, cells=cells):
        if isinstance(item, Header):
            columns = item.columns
        elif isinstance(item, CellsRun):
            found.extend(fields(item.line + at, row) for at, row in enumerate(item.rows))
        elif isinstance(item, Cells):
            found.append(fields(item.line, item.cells))
        elif isinstance(item, Row):
            found.append((item.line,) if blocked else (item.line, item.fields))
        else:
            blocked = blocked or item.blocking
            found.append(([str(p) for p in item.problems], item.row, item.blocking))
    return found


@settings(max_examples=examples(500), deadline=None)
@given(
    st.text(alphabet='ab ,;"\r\n\u00e9\u2028#', max_size=80),
    st.sampled_from(["indicator;value\n", "\ufeffa,b\r\n", "#: number_format = indonesian\nx\n"]),
    st.sampled_from([1, 2, 3, 5, 8, 13, 64, files_module.CHUNK_BYTES]),
)
def test_rows_taken_a_chunk_at_a_time_are_the_rows_taken_one_by_one(
    body: str, header: str, chunk: int
) -> None:
    """Runs of plain lines (``CellsRun``) hold exactly the rows read one line at a time."""
    with (
        tempfile.TemporaryDirectory() as scratch,
        mock.patch.object(files_module, "CHUNK_BYTES", chunk),
    ):
        path = Path(scratch) / "f.csv"
        path.write_text(header + body, encoding="utf-8")
        assert _items(path, cells=True) == _items(path, cells=False)


@pytest.mark.parametrize("before", [0, 1, 3])
@pytest.mark.parametrize("chunk", [4096, files_module.CHUNK_BYTES])
def test_a_line_too_long_is_refused_alike_in_one_pass(
    bundled_rules: RuleSet, tmp_path: Path, before: int, chunk: int
) -> None:
    rows = "".join(f"IKU-06,2025-04-0{day + 1},{day}\n" for day in range(before))
    long = "IKU-06,2025-04-09," + "9" * files_module.MAX_LINE_BYTES + "\n"
    (tmp_path / "a.csv").write_text("indicator,date,value\n" + rows + long + "IKU-06,2025,1\n")
    with mock.patch.object(files_module, "CHUNK_BYTES", chunk):
        one = _outcome(bundled_rules, tmp_path, "one pass")
        two = _outcome(bundled_rules, tmp_path, "two passes")
    assert one == two
    assert f"a.csv:{before + 2}: the line is longer than 1 MiB" in one


def test_ids_of_one_hash_are_compared_exactly(bundled_rules: RuleSet, tmp_path: Path) -> None:
    """When two hashes of ids agree, the files are read again, every id compared exactly."""
    (tmp_path / "a.csv").write_text(
        "indicator,date,value,id\nIKU-06,2025-04-01,1,x\nIKU-06,2025-04-02,2,y\n"
    )
    (tmp_path / "b.csv").write_text("indicator,date,value,id\nIKU-06,2025-04-03,3,z\n")
    quick = _outcome(bundled_rules, tmp_path, "one pass")
    with mock.patch("ikueval._loading.ingest._repeated", return_value=True):
        assert _outcome(bundled_rules, tmp_path, "one pass") == quick
    assert quick == _outcome(bundled_rules, tmp_path, "two passes")
    (tmp_path / "b.csv").write_text("indicator,date,value,id\nIKU-06,2025-04-03,3,y\n")
    refused = _outcome(bundled_rules, tmp_path, "one pass")
    assert f"duplicate event id 'y' (first at {tmp_path / 'a.csv'}:3)" in refused
    assert refused == _outcome(bundled_rules, tmp_path, "two passes")


def _number_by_parts(text: str, indonesian: bool, declared: bool) -> tuple[int, int] | None:
    """What the fast path read numbers as before it matched their shapes at once."""

    def digits(text: str) -> bool:
        return text.isdigit() and text.isascii()

    largest = int(MAX_MAGNITUDE)
    if indonesian:
        whole, comma, fraction = text.partition(",")
        if "." in whole:
            groups = whole.split(".")
            head = groups[0]
            if not (digits(head) and len(head) <= 3 and head[0] != "0"):
                return None
            for group in groups[1:]:
                if len(group) != 3 or not digits(group):
                    return None
            whole = "".join(groups)
        elif not digits(whole):
            return None
    else:
        whole, comma, fraction = text.partition(".")
        if not digits(whole):
            return None
        if not declared and len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0":
            return None
    if len(whole) > 24:
        return None
    if not comma:
        value = int(whole)
        return (value, 0) if value < largest else None
    if not digits(fraction) or len(fraction) > MAX_DECIMALS:
        return None
    if int(whole) >= largest:
        return None
    return int(whole + fraction), -len(fraction)


@settings(max_examples=examples(1000), deadline=None)
@given(
    st.lists(
        st.sampled_from(["0", "1", "12", "375", "000", "1000", ".", ".", ",", ",", " ", "١"])
        | st.text(max_size=1),
        max_size=10,
    ).map("".join)
    | st.sampled_from(VALUES + TEXTS["value"]),
    st.booleans(),
    st.booleans(),
)
@example("0.375", True, True)
@example("1.250.000,5", True, True)
@example("1.25", True, True)
@example("7.375", False, False)
@example("07.375", False, False)
@example("1234.375", False, False)
@example("123.375", False, False)
def test_numbers_are_read_as_read_part_by_part(text: str, indonesian: bool, declared: bool) -> None:
    assert _number(text, indonesian, declared) == _number_by_parts(text, indonesian, declared)
