"""Reading event files: CSV and JSON (see ``docs/events.md``).

:func:`~.ingest.read_ledger` reads event files into a ledger in one pass;
:func:`read_events` checks every file completely before it yields a single
event, then streams them from the files a second time. Either way a file with
any bad row is refused as a whole, with all its bad rows listed, so that an
evaluation never silently covers part of the data.

The formats are read by :mod:`.csv_events` and :mod:`.json_events`, which
stream the rows of a file and its problems in file order (see
:mod:`.event_rows`); a file is opened only as a regular file, within the
bounds of :mod:`.files`.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from .._errors import EventError, Location, Problem
from .._events import Event, EventSource, event_from_record
from .._model import RuleSet
from .event_rows import Refusal, Row
from .files import InputFileError, os_error_problem, special_file_problem, stat_input
from .ingest import NOTHING_READ, checked_events, file_rows

#: File name patterns read from a directory.
EVENT_SUFFIXES: Final = (".csv", ".json")


def event_files(paths: Iterable[str | Path]) -> list[Path]:
    """The event files named by ``paths``: files as given, directories' CSV and JSON files.

    Only regular files are read: a FIFO, a device or a socket (named directly,
    or as a ``*.csv`` or ``*.json`` entry of a directory) is refused.

    Raises:
        EventError: a path does not exist or cannot be read, is not a regular
            file, or a directory holds no event file.
    """
    found: list[tuple[Path, os.stat_result]] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        try:
            status = stat_input(path, what="file or directory")
        except InputFileError as exc:
            problems.extend(exc.problems)
            continue
        if not stat.S_ISDIR(status.st_mode):
            problem = special_file_problem(status.st_mode, str(path), "event file")
            if problem is None:
                found.append((path, status))
            else:
                problems.append(problem)
            continue
        try:
            inside = sorted(_entries(path))
        except OSError as exc:
            message = f"cannot list the directory: {exc.strerror or exc}"
            problems.append(Problem(message, Location(str(path))))
            continue
        if not inside:
            problems.append(
                Problem("the directory holds no *.csv or *.json event file", Location(str(path)))
            )
        for entry in inside:
            try:
                status = os.stat(entry)
            except OSError as exc:
                problems.append(_entry_problem(entry, exc))
                continue
            problem = special_file_problem(status.st_mode, str(entry), "event file")
            if problem is None:
                found.append((entry, status))
            else:
                problems.append(problem)
    problems.extend(_named_twice(found))
    if problems:
        raise EventError(problems, summary=NOTHING_READ)
    return [path for path, _ in found]


def _entries(directory: Path) -> Iterator[Path]:
    """The entries of a directory whose names end in ``.csv`` or ``.json``, of any kind."""
    with os.scandir(directory) as entries:
        for entry in entries:
            if os.path.splitext(entry.name)[1].lower() in EVENT_SUFFIXES:
                yield directory / entry.name


def _entry_problem(entry: Path, exc: OSError) -> Problem:
    if entry.is_symlink() and isinstance(exc, FileNotFoundError):
        message = "no such file (a symbolic link to a file that does not exist)"
        return Problem(message, Location(str(entry)))
    return os_error_problem(exc, str(entry), "file")


def _named_twice(found: list[tuple[Path, os.stat_result]]) -> list[Problem]:
    """Files reached twice (named twice, through a directory, or through another link)."""
    problems = []
    seen: dict[tuple[int, int], Path] = {}
    for path, status in found:
        first = seen.setdefault((status.st_dev, status.st_ino), path)
        if first is path:
            continue
        if os.path.realpath(first) == os.path.realpath(path):
            message = "named more than once (directly or through its directory)"
        else:
            message = f"the same file as {first}"
        problems.append(
            Problem(f"{message}: its events would be counted twice", Location(str(path)))
        )
    return problems


def read_events(ruleset: RuleSet, paths: Iterable[str | Path]) -> Iterator[Event]:
    """Check event files completely, then stream their events.

    Every file is read twice: once to check every row (nothing is yielded
    from a file set with a bad row), then again to build the events one by
    one, so that memory does not grow with the files. To evaluate files, use
    :func:`~.ingest.read_ledger`, which reads each file once and keeps no
    event; this is for callers that need the events themselves.

    Args:
        ruleset: the rule set the events are checked against.
        paths: event files, or directories whose ``*.csv`` and ``*.json`` files
            are read in name order.

    Raises:
        EventError: (at once, before any event is yielded) listing every bad
            row of every file (at most :data:`~.event_rows.MAX_PROBLEMS_PER_FILE`
            problems per file), with per-file counts.
    """
    files = event_files(paths)
    for _ in checked_events(ruleset, files):
        pass  # the events are built again below, one at a time
    return _stream(ruleset, files)


def _stream(ruleset: RuleSet, files: list[Path]) -> Iterator[Event]:
    for file in files:
        with contextlib.closing(file_rows(file)) as items:
            for item in items:
                if isinstance(item, Refusal):  # the file changed since it was checked
                    raise EventError(item.problems, summary="the file changed while it was read")
                assert isinstance(item, Row)
                source = EventSource(str(file), item.line, item.pointer)
                yield event_from_record(
                    ruleset, item.fields, source=source, number_format=item.number_format
                )
