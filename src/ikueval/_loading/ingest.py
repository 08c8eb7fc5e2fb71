"""Event files into a ledger in one pass: every row checked and counted as it is read.

:func:`read_ledger` reads each file once. Every row is checked and added to
the ledger being built: the common row of a CSV file is checked by
:mod:`.fast_rows` without building an event and added to its series' columns
with its neighbours (:mod:`.taking`); any other row is checked by
:func:`ikueval._events.event_from_record`, which words every message. Only the
hash of each id is noted, and the hashes are compared once every file is
read. A problem does not stop the reading: every row is checked to the end,
so that a file with any bad row is refused as a whole, with all its bad rows
listed (at most :data:`~.event_rows.MAX_PROBLEMS_PER_FILE` per file), and no
ledger is returned. Only when two hashes agree (an id given twice, or two ids
of one hash) are the files read again, the exact way (:func:`_read_exactly`):
every id compared with those before it, to refuse an id given twice and name
where it was first seen, which the hashes alone cannot say.

:func:`checked_events` is the same pass for callers that need the events
themselves (the ledger store's import): it yields them as they are read, and
raises at the end when a file had a problem.
"""

from __future__ import annotations

import contextlib
from array import array
from collections.abc import Callable, Collection, Generator, Iterable, Iterator
from pathlib import Path
from typing import Final

from .._building import LedgerBuilder
from .._decimals import NumberFormat
from .._errors import EventError, IkuEvalError, Location, Problem, UsageError
from .._events import Event, EventSource, event_from_record
from .._ledger import Ledger
from .._model import RuleSet
from .._sources import LINE_SPAN
from .csv_events import csv_rows
from .event_rows import MAX_PROBLEMS_PER_FILE, Cells, CellsRun, Header, Item, Row
from .fast_rows import Accepted, RowPlan, RuleFacts
from .ids import IdIndex
from .taking import Taker, taker

NOTHING_READ: Final = "no events were read: fix the files above"


def read_ledger(
    ruleset: RuleSet,
    paths: Iterable[str | Path],
    *,
    retain: Collection[str] = (),
    workers: int = 1,
) -> Ledger:
    """Read event files into a ledger, checking every row, in one pass over each file.

    A file with a problem is read to its end, every row checked, and no
    ledger is returned. Only when two ids have the same hash (an id given
    twice, or a rare coincidence) are the files read a second time, every id
    compared exactly, to name where a repeated id was first seen.

    Args:
        ruleset: the rule set the events are checked against.
        paths: event files, or directories whose ``*.csv`` and ``*.json`` files
            are read in name order.
        retain: ids of indicators whose individual events the ledger keeps
            (``explain`` lists them).
        workers: how many processes read the files, this one included (each
            reads whole files; see :mod:`.parallel`). The ledger is the same
            whatever their number; more than one helps only with free cores
            and several large files.

    Raises:
        UsageError: ``workers`` is not a whole number from 1 to
            :data:`~.parallel.MAX_WORKERS`.
        EventError: listing every bad row of every file (at most
            :data:`~.event_rows.MAX_PROBLEMS_PER_FILE` problems per file), with
            per-file counts; nothing is returned.
        EventConflictError: events of the files would be counted twice, or a
            series whose values do not add up has several for one period.
    """
    from .events import event_files  # it reads files with this module

    if type(workers) is not int or workers != 1:  # the workers' module only when asked for
        from .parallel import MAX_WORKERS

        whole = isinstance(workers, int) and not isinstance(workers, bool)
        if not whole or not 1 <= workers <= MAX_WORKERS:
            raise UsageError(
                f"workers must be a whole number from 1 to {MAX_WORKERS}, found {workers!r}"
            )
    files = event_files(paths)
    if workers > 1 and len(files) > 1:
        from .parallel import read_in_workers

        ledger = read_in_workers(ruleset, files, retain, workers)
        if ledger is not None:
            return ledger
        return _read_exactly(ruleset, RuleFacts(ruleset), retain, files, [str(f) for f in files])
    names = [str(file) for file in files]
    facts = RuleFacts(ruleset)
    # Rows go straight into the ledger, and only the hash of each id is noted.
    # After a problem, the rows are still checked (and the hashes noted), but no
    # ledger will be returned.
    hashes = array("q")
    builder = LedgerBuilder(ruleset, retain, files=names, unique_ids=True)
    reading = Reading(ruleset, facts, frozenset(retain), names, builder=builder, hashes=hashes)
    add_to = reading.add_to
    for number, file in enumerate(files):
        for item in reading.file(file, number, fast=True):
            if not reading.problems:
                add_to(builder, item)
    if not _repeated(hashes):  # every id is given once: the problems are all there
        if reading.problems:
            raise EventError(reading.problems, summary=NOTHING_READ)
        return builder.finish()
    # An id given twice, or two ids of one hash: the files are read again with
    # every id compared exactly, to name where a repeated id was first seen.
    del builder, hashes, reading
    return _read_exactly(ruleset, facts, retain, files, names)


def _repeated(hashes: array[int]) -> bool:
    """Whether two of the hashes are equal."""
    return len(set(hashes)) < len(hashes)


def _read_exactly(
    ruleset: RuleSet,
    facts: RuleFacts,
    retain: Collection[str],
    files: list[Path],
    names: list[str],
) -> Ledger:
    """The ledger of :func:`read_ledger`, every id compared with those before it.

    Raises:
        EventError: as :func:`read_ledger`.
    """
    builder = LedgerBuilder(ruleset, retain, files=names, unique_ids=True)
    reading = Reading(ruleset, facts, frozenset(retain), names)
    add_to = reading.add_to
    for number, file in enumerate(files):
        for item in reading.file(file, number, fast=True):
            if not reading.problems:  # else no ledger is returned: only the checks go on
                add_to(builder, item)
    if reading.problems:
        raise EventError(reading.problems, summary=NOTHING_READ)
    return builder.finish()


def checked_events(ruleset: RuleSet, files: Iterable[Path]) -> Iterator[Event]:
    """The events of event files in one pass, each row checked as it is read.

    Events are yielded until a problem is found; the checks go on to the end of
    the files, and then every problem is raised at once. A caller that must
    not keep part of the data (a transaction) drops what it received.

    Raises:
        EventError: (after the last event) listing every bad row of every file.
    """
    files = list(files)
    reading = Reading(ruleset, None, frozenset(), [str(file) for file in files])
    for number, file in enumerate(files):
        for item in reading.file(file, number, fast=False):
            if not reading.problems:
                assert isinstance(item, Event)
                yield item
    if reading.problems:
        raise EventError(reading.problems, summary=NOTHING_READ)


def file_rows(file: Path, *, cells: bool = False) -> Generator[Item, None, None]:
    """The rows of an event file and its problems, in file order, read once
    (``cells``: as :func:`~.csv_events.csv_rows` gives them)."""
    if file.suffix.lower() == ".json":
        from .json_events import json_rows  # loaded when a JSON file comes

        return json_rows(file)
    return csv_rows(file, cells=cells)


class _Problems:
    """The problems of one file: at most MAX_PROBLEMS_PER_FILE of them are kept."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.full = False
        """More problems were found than are kept: reading stops."""

    def add(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            if len(self.kept) == MAX_PROBLEMS_PER_FILE:
                self.full = True
                return
            self.kept.append(problem)


class Reading:
    """The checks of one reading of files: their problems, and the ids seen so far.

    Args:
        ruleset: the rule set the events are checked against.
        facts: what the fast path knows of it (None: every row is checked by
            :func:`~ikueval._events.event_from_record`).
        retain: the indicators whose rows become events.
        names: the names of all the files read together, in their order.
        builder: the ledger the rows the fast path takes are added to (the
            others are handed on as events); after a problem they still are,
            and the caller drops it.
        hashes: with ``builder``, where the hash of each id is noted, for the caller
            to compare them once every file is read, instead of each id with those
            seen before it (see :func:`read_ledger`).
        digest: the hash of an id (``hash``, or one that is the same in every
            process: see :mod:`.parallel`).
    """

    def __init__(
        self,
        ruleset: RuleSet,
        facts: RuleFacts | None,
        retain: frozenset[str],
        names: list[str],
        *,
        builder: LedgerBuilder | None = None,
        hashes: array[int] | None = None,
        digest: Callable[[str], int] = hash,
    ) -> None:
        self.ruleset = ruleset
        self.facts = facts
        self.retain = retain
        self.problems: list[Problem] = []
        self.ids = IdIndex()
        """Each id seen, with where: a packed file line, or the source as text."""
        self.names = names
        self.builder = builder
        self.hashes = hashes
        self.plan: RowPlan | None = None
        """How the rows of the file being read are read fast (None: they are not)."""
        self.digest = digest

    @staticmethod
    def add_to(builder: LedgerBuilder, item: Event | tuple[Accepted, int, list[str]]) -> None:
        """Add a good row (as :meth:`file` gives it) to a ledger being built."""
        if isinstance(item, Event):
            builder.add(item)
        else:
            builder.put_row(*item[0], item[1])

    def file(
        self, file: Path, number: int, *, fast: bool
    ) -> Iterator[Event | tuple[Accepted, int, list[str]]]:
        """The good rows of one file, as events or (with ``fast``) accepted parts.

        An accepted row comes with its packed line and its cells (read with
        :attr:`plan`, the plan of this file).

        With a :attr:`builder`, the rows the fast path accepts are added to it
        in batches, and only the other good rows are handed on. A problem
        does not stop the reading (but :data:`~.event_rows.MAX_PROBLEMS_PER_FILE`
        of them do, for the file). The problems of the file, with its summary
        line, are added to :attr:`problems` once it is read.
        """
        name = self.names[number]
        found = _Problems()
        rows = bad = unread = 0
        blocked = False
        plan: RowPlan | None = None
        self.plan = None
        take: Taker | None = None
        columns: tuple[str, ...] = ()
        number_format: NumberFormat | None = None
        base = number * LINE_SPAN
        with contextlib.closing(file_rows(file, cells=fast)) as items:
            for item in items:
                if isinstance(item, (Cells, CellsRun)):
                    line, batch = (
                        (item.line, item.rows)
                        if isinstance(item, CellsRun)
                        else (item.line, [item.cells])
                    )
                    if blocked:
                        unread += len(batch)
                        continue
                    rows += len(batch)
                    at, count = 0, len(batch)
                    while at < count:
                        if take is not None:
                            at = take(batch, at, base + line)
                            if at == count:
                                break
                        good = self._row(
                            file, batch[at], line + at, base, plan, columns, number_format, found
                        )
                        at += 1
                        if good is None:
                            bad += 1
                            if found.full:
                                rows -= count - at  # the rows after it are not read
                                break
                        else:
                            yield good
                elif isinstance(item, Row):
                    if blocked:
                        unread += 1
                        continue
                    rows += 1
                    event = self._event(file, item, found)
                    if event is None:
                        bad += 1
                    else:
                        yield event
                elif isinstance(item, Header):
                    columns = item.columns
                    number_format = item.number_format
                    plan = self.facts.plan(columns, number_format) if self.facts else None
                    self.plan = plan
                    if plan is not None and self.builder is not None and self.hashes is not None:
                        take = taker(plan, self.builder, self.retain, self.hashes, self.digest)
                else:
                    found.add(item.problems)
                    rows += item.row
                    bad += item.row
                    blocked = blocked or item.blocking
                if found.full:
                    break  # a file where every row is bad: its first problems say enough
        if found.kept:
            self.problems.extend(_summarised(found, name, rows, bad, unread))

    def _row(
        self,
        file: Path,
        cells: list[str],
        line: int,
        base: int,
        plan: RowPlan | None,
        columns: tuple[str, ...],
        number_format: NumberFormat | None,
        found: _Problems,
    ) -> Event | tuple[Accepted, int, list[str]] | None:
        """A row of cells as the fast path accepts it, or as an event; None when it is
        bad (its problems are added to ``found``)."""
        accepted = plan.row(cells) if plan is not None else None
        if accepted is None or accepted[0][0] in self.retain:
            fields = dict(zip(columns, cells, strict=True))
            return self._event(file, Row(line, fields, None, number_format), found)
        ident = accepted[6]
        place = base + line
        if ident is not None:
            if self.hashes is not None:
                self.hashes.append(self.digest(ident))
            else:
                first = self.ids.seen(ident, place)
                if first is not None:
                    found.add((self._duplicate(ident, first, str(file), line),))
                    return None
        return (accepted, place, cells)

    def _event(self, file: Path, row: Row, found: _Problems) -> Event | None:
        """The event of a row, or None when it has problems (added to ``found``)."""
        source = EventSource(str(file), row.line, row.pointer)
        try:
            event = event_from_record(
                self.ruleset, row.fields, source=source, number_format=row.number_format
            )
        except IkuEvalError as exc:
            found.add(exc.problems)
            return None
        if event.id is None:
            return event
        if self.hashes is not None:  # compared by the caller
            self.hashes.append(self.digest(event.id))
            return event
        first = self.ids.seen(event.id, str(event.source))
        if first is not None:
            found.add((self._duplicate(event.id, first, str(file), row.line),))
            return None
        return event

    def _duplicate(self, ident: str, first: int | str, name: str, line: int | None) -> Problem:
        if isinstance(first, int):
            number, at = divmod(first, LINE_SPAN)
            first = f"{self.names[number]}:{at}"
        return Problem(
            f"duplicate event id {ident!r} (first at {first})", Location(name, line, "id")
        )


def _summarised(found: _Problems, name: str, rows: int, bad: int, unread: int) -> list[Problem]:
    """The problems of a file in line order, then the line that sums them up."""
    problems = sorted(found.kept, key=lambda problem: problem.location.line or 0)
    summary = f"file refused: {rows} row{'s' if rows != 1 else ''} read, {bad} bad"
    if not rows and not unread:
        summary = "file refused: no row could be read from it"
    if unread:
        unread_rows = f"{unread} row{'s' if unread != 1 else ''}"
        summary = f"file refused: fix the header first ({unread_rows} not checked)"
    if found.full:
        summary += f"; reading stopped at {MAX_PROBLEMS_PER_FILE} problems"
    problems.append(Problem(summary, Location(name)))
    return problems
