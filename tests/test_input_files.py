"""Opening and reading input files: special files, operating-system errors and size bounds.

The three kinds of input file (rule files, event files, published figures) are
opened the same way: a path that is not a regular file is refused without
blocking, every operating-system error is a located problem, and no read
allocates more than a named bound. Every case is checked through the public
loaders, which must raise an :class:`~ikueval.IkuEvalError` and nothing else.
"""

from __future__ import annotations

import errno
import io
import itertools
import json
import os
import stat
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import time_limit
from ikueval import EventError, IkuEvalError, RuleSet, RuleSetError, load_rules, read_events
from ikueval._loading import csv_events, event_files, event_rows, files, json_events, lines
from ikueval._loading.published import PublicationError, load_publication

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "bp3mi-jateng-2025.toml"
MiB = 1024 * 1024
HEADER = "indicator,period,value\n"


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_rules(RULES)


Loader = Callable[[Path], object]


def loaders(ruleset: RuleSet) -> dict[str, tuple[Loader, type[IkuEvalError]]]:
    return {
        "rules": (load_rules, RuleSetError),
        "events": (lambda path: list(read_events(ruleset, [path])), EventError),
        "published": (lambda path: load_publication(path, ruleset), PublicationError),
    }


KINDS = ["rules", "events", "published"]


def refusal(ruleset: RuleSet, kind: str, path: Path) -> list[str]:
    """The problems a loader reports for ``path``: it must refuse it quickly, as an IkuEvalError."""
    load, error = loaders(ruleset)[kind]
    with time_limit(), pytest.raises(error) as caught:
        load(path)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("kind", KINDS)
def test_a_fifo_is_refused_without_blocking(ruleset: RuleSet, tmp_path: Path, kind: str) -> None:
    fifo = tmp_path / "input.csv"
    os.mkfifo(fifo)
    assert refusal(ruleset, kind, fifo)[0] == f"{fifo}: not a regular file (a FIFO)"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("through_a_link", [False, True], ids=["direct", "symlink"])
def test_an_endless_device_is_refused(
    ruleset: RuleSet, tmp_path: Path, kind: str, through_a_link: bool
) -> None:
    path = Path("/dev/zero")
    if through_a_link:
        path = tmp_path / "zero.csv"
        path.symlink_to("/dev/zero")
    assert refusal(ruleset, kind, path)[0] == f"{path}: not a regular file (a character device)"


@pytest.mark.parametrize("kind", KINDS)
def test_a_symlink_loop(ruleset: RuleSet, tmp_path: Path, kind: str) -> None:
    loop = tmp_path / "loop.csv"
    loop.symlink_to(tmp_path / "back.csv")
    (tmp_path / "back.csv").symlink_to(loop)
    assert refusal(ruleset, kind, loop)[0] == (
        f"{loop}: cannot read: Too many levels of symbolic links"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_name_too_long(ruleset: RuleSet, tmp_path: Path, kind: str) -> None:
    path = tmp_path / ("x" * 300 + ".csv")
    assert refusal(ruleset, kind, path)[0] == f"{path}: cannot read: File name too long"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("rules", "no such rule file"),
        ("events", "no such file or directory"),
        ("published", "no such published-figures file"),
    ],
)
def test_a_missing_file(ruleset: RuleSet, tmp_path: Path, kind: str, message: str) -> None:
    path = tmp_path / "missing.toml"
    assert refusal(ruleset, kind, path)[0] == f"{path}: {message}"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("rules", "is a directory, not a rule file"),
        ("published", "is a directory, not a published-figures file"),
    ],
)
def test_a_directory_where_a_file_belongs(
    ruleset: RuleSet, tmp_path: Path, kind: str, message: str
) -> None:
    assert refusal(ruleset, kind, tmp_path) == [f"{tmp_path}: {message}"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_without_permission(
    ruleset: RuleSet, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.csv"
    path.write_text(HEADER, encoding="utf-8")
    if os.geteuid() == 0:  # root reads everything: simulate the refusal of the system
        real_open = os.open

        def refuse(name: object, *args: object, **kwargs: object) -> int:
            if os.fspath(name) == str(path):  # type: ignore[arg-type]
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(name))
            return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", refuse)
    else:  # pragma: no cover - depends on who runs the tests
        path.chmod(0)
    assert refusal(ruleset, kind, path)[0] == f"{path}: cannot read: Permission denied"


# --------------------------------------------------------------------------- directories


def test_special_entries_of_an_events_directory_are_refused(
    ruleset: RuleSet, tmp_path: Path
) -> None:
    (tmp_path / "a.csv").write_text(HEADER + "IKU-06,2025-Q1,80\n", encoding="utf-8")
    os.mkfifo(tmp_path / "b.csv")
    (tmp_path / "c.json").symlink_to("/dev/zero")
    (tmp_path / "d.csv").mkdir()
    (tmp_path / "e.csv").symlink_to(tmp_path / "nowhere.csv")
    os.mkfifo(tmp_path / "ignored.txt")  # not an event file: not looked at
    with time_limit(), pytest.raises(EventError) as caught:
        read_events(ruleset, [tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'b.csv'}: not a regular file (a FIFO)",
        f"{tmp_path / 'c.json'}: not a regular file (a character device)",
        f"{tmp_path / 'd.csv'}: is a directory, not an event file",
        f"{tmp_path / 'e.csv'}: no such file (a symbolic link to a file that does not exist)",
    ]


def test_a_directory_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: object) -> object:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(os, "scandir", refuse)
    with pytest.raises(EventError) as caught:
        event_files([tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path}: cannot list the directory: Permission denied"
    ]


def test_a_path_through_a_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(EventError) as caught:
        event_files([loop / "events.csv"])
    assert [str(p) for p in caught.value.problems] == [
        f"{loop / 'events.csv'}: cannot read: Too many levels of symbolic links"
    ]


def test_a_file_named_twice_through_a_hard_link(ruleset: RuleSet, tmp_path: Path) -> None:
    one = tmp_path / "one.csv"
    one.write_text(HEADER + "IKU-06,2025-Q1,80\n", encoding="utf-8")
    two = tmp_path / "two.csv"
    os.link(one, two)
    with pytest.raises(EventError) as caught:
        read_events(ruleset, [one, two])
    assert [str(p) for p in caught.value.problems] == [
        f"{two}: the same file as {one}: its events would be counted twice"
    ]


# --------------------------------------------------------------------------- size bounds


def sparse(path: Path, size: int, start: str = "") -> Path:
    """A file of ``size`` bytes that takes no room on disk: ``start``, then zero bytes."""
    path.write_text(start, encoding="utf-8")
    with path.open("r+b") as handle:
        handle.truncate(size)
    return path


@pytest.mark.parametrize(
    ("kind", "name", "limit", "what"),
    [
        ("rules", "r.toml", files.MAX_RULE_FILE_BYTES, "a rule file"),
        ("published", "p.toml", files.MAX_PUBLISHED_FILE_BYTES, "a published-figures file"),
        ("events", "e.csv", files.MAX_CSV_FILE_BYTES, "a CSV event file"),
        ("events", "e.json", files.MAX_JSON_FILE_BYTES, "a JSON event file"),
    ],
)
def test_files_over_their_size_bound_are_refused_before_reading(
    ruleset: RuleSet, tmp_path: Path, kind: str, name: str, limit: int, what: str
) -> None:
    path = sparse(tmp_path / name, limit + 1)
    found = refusal(ruleset, kind, path)
    assert found[0].startswith(
        f"{path}: the file has {limit + 1} bytes; {what} may have at most {limit // MiB} MiB"
    )


def test_the_size_bounds_admit_what_a_deployment_needs() -> None:
    assert 200 * MiB <= files.MAX_CSV_FILE_BYTES  # 1,000,000 events are about 100 MB
    assert files.MAX_JSON_FILE_BYTES < files.MAX_CSV_FILE_BYTES  # parsed whole, not streamed
    assert 1 * MiB <= files.MAX_RULE_FILE_BYTES  # the bundled rule sets have about 10 KB
    assert files.MAX_LINE_BYTES >= 64 * 1024


def test_a_file_that_grows_while_read_is_cut_at_its_bound(tmp_path: Path) -> None:
    path = tmp_path / "growing.toml"
    path.write_bytes(b"a" * 100)
    with pytest.raises(files.InputFileError) as caught:
        files.read_bytes(path, files.InputKind("rule file", 50))
    assert str(caught.value) == (
        f"{path}: the file has 100 bytes; a rule file may have at most 50 bytes"
    )
    # A file can grow between the check of its size and the reading: the reading counts too.
    data = io.BytesIO(b"a\n" * 100)
    with pytest.raises(files.InputFileError) as caught:
        list(lines.read_lines(data, "f.csv", max_line=10, limit=50))
    assert str(caught.value) == "f.csv: the file has more than 50 bytes"


def test_a_200_mb_line_is_refused_without_reading_it_whole(
    ruleset: RuleSet, tmp_path: Path
) -> None:
    path = sparse(tmp_path / "long.csv", 200 * MiB, start=HEADER)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        found = refusal(ruleset, "events", path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found[0] == f"{path}:2: the line is longer than {files.MAX_LINE_BYTES // MiB} MiB"
    assert peak < 8 * files.MAX_LINE_BYTES
    assert elapsed < 2.0


def test_a_row_whose_quoted_cells_span_too_many_lines(ruleset: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "spanning.csv"
    cells = 10
    cell = (
        '"' + "a\n" * (files.MAX_LINE_BYTES // (2 * cells) + 1) + '"'
    )  # each one within csv's bound
    notes = [f"n{n}" for n in range(cells)]
    path.write_text(
        ",".join(["indicator", "period", "value", *notes])
        + "\nIKU-06,2025-Q1,1,"
        + ",".join([cell] * cells)
        + "\n"
    )
    assert refusal(ruleset, "events", path)[:1] == [
        f"{path}:2: the row (with the line breaks of its quoted cells) is longer than "
        f"{files.MAX_LINE_BYTES // MiB} MiB"
    ]


def test_a_header_of_100000_columns_is_refused_quickly(ruleset: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{n}" for n in range(100_000)) + "\n1\n", encoding="utf-8")
    found = refusal(ruleset, "events", path)
    assert (
        found[0] == f"{path}:1: the header has 100000 columns; an event file may have at most 1000"
    )


def test_repeated_columns_are_found_in_linear_time(ruleset: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "repeated.csv"
    path.write_text("indicator,period,value," + ",".join(["x"] * 997) + "\n", encoding="utf-8")
    found = refusal(ruleset, "events", path)
    assert f"{path}:1: x: column 'x' appears 997 times" in found


# --------------------------------------------------------------------------- the line reader


def lines_of(
    data: bytes, *, max_line: int, chunk: int, max_lines: int | None = None
) -> list[tuple[int, str]] | str:
    """What :func:`lines.read_lines` yields for ``data``, or the message it refuses it with."""
    try:
        return [
            (line.number, line.text)
            for line in lines.read_lines(
                io.BytesIO(data), "f.csv", max_line=max_line, max_lines=max_lines, chunk_bytes=chunk
            )
        ]
    except files.InputFileError as exc:
        return str(exc)


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(st.sampled_from([b"a", b"bc", b"\n", b"\r\n", b"\xc3\xa9", b"\x0c"])).map(
        b"".join
    ),
    max_line=st.integers(1, 8),
    chunk=st.integers(1, 5),
)
def test_the_line_reader_splits_at_line_feeds_only(data: bytes, max_line: int, chunk: int) -> None:
    found = lines_of(data, max_line=max_line, chunk=chunk)
    expected = data.decode("utf-8").split("\n")
    kept = [part + "\n" for part in expected[:-1]] + ([expected[-1]] if expected[-1] else [])
    too_long = [
        n for n, part in enumerate(kept, start=1) if len(part.rstrip("\n").encode()) > max_line
    ]
    if too_long:
        assert found == f"f.csv:{too_long[0]}: the line is longer than {max_line} bytes"
    else:
        assert found == list(enumerate(kept, start=1))


def lines_in_runs(
    data: bytes,
    *,
    max_line: int,
    chunk: int,
    max_lines: int | None,
    takes: list[int],
    crlf: bool = False,
) -> list[tuple[int, str]] | str:
    """As :func:`lines_of`, taking runs of lines (:meth:`lines.LineReader.run`) between
    single lines as ``takes`` says: the bound of each run asked for, or 0 for a line.
    With ``crlf``, runs drop a carriage return ending a line, and hold no other one."""
    forbidden = ("x", "\r") if crlf else ("x",)
    found: list[tuple[int, str]] = []
    reader = lines.read_lines(
        io.BytesIO(data), "f.csv", max_line=max_line, max_lines=max_lines, chunk_bytes=chunk
    )
    try:
        for take in itertools.cycle(takes):
            run = reader.run(take, forbidden, crlf=crlf) if take else None
            if run is not None:
                assert run.texts
                for offset, text in enumerate(run.texts):
                    assert not any(part in text for part in forbidden)
                    assert len(text.encode()) + 1 <= take
                    found.append((run.number + offset, text + "\n"))
                continue
            line = next(reader, None)
            if line is None:
                return found
            found.append((line.number, line.text))
    except files.InputFileError as exc:
        return str(exc)
    raise AssertionError("unreachable")


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(
        st.sampled_from([b"a", b"bc", b"x", b"\n", b"\r\n", b"\xc3\xa9", b"\xff", b"\xef\xbb\xbf"])
    ).map(b"".join),
    max_line=st.integers(1, 8),
    chunk=st.integers(1, 12),
    max_lines=st.none() | st.integers(1, 6),
    takes=st.lists(st.integers(0, 9), min_size=1, max_size=4),
    crlf=st.booleans(),
)
def test_runs_of_lines_are_the_lines_one_by_one(
    data: bytes, max_line: int, chunk: int, max_lines: int | None, takes: list[int], crlf: bool
) -> None:
    """Lines taken a chunk's run at a time: the same lines, the same refusal at the same line."""
    takes = [min(take, max_line + 1) for take in takes]
    expected = lines_of(data, max_line=max_line, chunk=chunk, max_lines=max_lines)
    found = lines_in_runs(
        data, max_line=max_line, chunk=chunk, max_lines=max_lines, takes=takes, crlf=crlf
    )
    if crlf and isinstance(expected, list) and isinstance(found, list):
        expected = [(number, text.replace("\r\n", "\n")) for number, text in expected]
        found = [(number, text.replace("\r\n", "\n")) for number, text in found]
    assert found == expected


def test_the_line_reader_drops_a_byte_order_mark_and_locates_bad_bytes() -> None:
    assert lines_of(b"\xef\xbb\xbfa\nb", max_line=10, chunk=2) == [(1, "a\n"), (2, "b")]
    assert lines_of(b"ab\ncd\xff\n", max_line=10, chunk=3) == (
        "f.csv:2: not UTF-8 text (byte 5 of the file)"
    )


def test_non_regular_kinds_are_named() -> None:
    assert files.describe_mode(stat.S_IFIFO) == "a FIFO"
    assert files.describe_mode(stat.S_IFSOCK) == "a socket"
    assert files.describe_mode(stat.S_IFBLK) == "a block device"
    assert files.describe_mode(stat.S_IFCHR) == "a character device"


def test_a_json_file_of_a_million_values_is_refused_before_parsing(
    ruleset: RuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "numbers.json"
    path.write_text("[\n" + "0," * json_events.MAX_JSON_VALUES + "0]\n", encoding="utf-8")
    assert refusal(ruleset, "events", path) == [
        f"{path}:2: the file holds more than {json_events.MAX_JSON_VALUES} values (split it into "
        "several files, or write it as CSV)",
        f"{path}: file refused: no row could be read from it",
    ]


def test_a_csv_file_of_too_many_lines(
    ruleset: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_events, "MAX_CSV_LINES", 3)
    path = tmp_path / "lines.csv"
    path.write_text(HEADER + "IKU-06,2025-Q1,1\n\n\n", encoding="utf-8")
    assert refusal(ruleset, "events", path)[0] == f"{path}: the file has more than 3 lines"
    path.write_text(HEADER + "IKU-06,2025-Q1,1\n\n", encoding="utf-8")
    assert len(list(read_events(ruleset, [path]))) == 1
    assert lines_of(b"a\nb\nc", max_line=5, chunk=2, max_lines=2) == (
        "f.csv: the file has more than 2 lines"
    )


def test_a_file_where_every_row_is_bad_lists_its_first_problems(
    ruleset: RuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    rows = event_rows.MAX_PROBLEMS_PER_FILE + 500
    path.write_text(HEADER + "IKU-99,2025-Q1,1\n" * rows, encoding="utf-8")
    found = refusal(ruleset, "events", path)
    assert len(found) == event_rows.MAX_PROBLEMS_PER_FILE + 1
    assert found[-1] == (
        f"{path}: file refused: {event_rows.MAX_PROBLEMS_PER_FILE + 1} rows read, "
        f"{event_rows.MAX_PROBLEMS_PER_FILE + 1} bad; reading stopped at "
        f"{event_rows.MAX_PROBLEMS_PER_FILE} problems"
    )


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("rules", "no such rule file"),
        ("events", "no such file or directory"),
        ("published", "no such published-figures file"),
    ],
)
def test_a_name_with_a_nul_character(ruleset: RuleSet, kind: str, message: str) -> None:
    assert refusal(ruleset, kind, Path("a\0b.toml")) == [f"a\\x00b.toml: {message}"]


# --------------------------------------------------------------------------- properties

#: Texts with anything in them: control characters, line breaks, lone surrogates.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=8)
HOSTILE_NUMBERS = st.sampled_from(
    ["1e999999999999999999999", "-1E-99999999999999999999", "1" + "0" * 150, "NaN", "2.5", "7"]
)
FIELD_NAMES = st.sampled_from(["indicator", "period", "value", "note", "dimensions", "id"])


@st.composite
def hostile_json(draw: st.DrawFn) -> str:
    """JSON text of events mixing valid fields with hostile keys, texts, numbers and nesting."""
    scalar = st.one_of(
        ANY_TEXT.map(json.dumps),
        HOSTILE_NUMBERS,
        st.sampled_from(['"IKU-06"', '"2025-Q1"', '"-"']),
    )
    value = st.recursive(
        scalar,
        lambda inner: (
            st.lists(inner, max_size=3).map(lambda items: "[" + ",".join(items) + "]")
            | st.lists(st.tuples(ANY_TEXT | FIELD_NAMES, inner), max_size=3).map(
                lambda pairs: "{" + ",".join(f"{json.dumps(k)}: {v}" for k, v in pairs) + "}"
            )
        ),
        max_leaves=8,
    )
    depth = draw(st.integers(0, 30))
    events = draw(
        st.lists(
            st.lists(st.tuples(FIELD_NAMES | ANY_TEXT, value), max_size=5).map(
                lambda pairs: "{" + ",\n".join(f"{json.dumps(k)}: {v}" for k, v in pairs) + "}"
            ),
            max_size=4,
        )
    )
    return "[" * depth + "[\n" + ",\n".join(events) + "\n]" + "]" * depth


@settings(max_examples=100, deadline=None)
@given(text=hostile_json())
def test_hostile_json_gives_printable_problems(ruleset: RuleSet, text: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "events.json"
        path.write_text(text, encoding="utf-8")
        with time_limit():
            try:
                list(read_events(ruleset, [path]))
            except IkuEvalError as exc:
                for problem in exc.problems:
                    line = str(problem)
                    line.encode("utf-8")  # no lone surrogate: every output can print it
                    assert "\n" not in line
