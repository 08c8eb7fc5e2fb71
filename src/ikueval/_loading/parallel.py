"""Reading event files in several processes (``read_ledger(..., workers=N)``).

The files are shared out among N processes by their sizes: this one and N - 1
workers. Each reads its files the way :func:`~.ingest.read_ledger` reads them
in one process (rows checked by the fast path and taken into their series'
columns in batches, only a hash of each id noted, every row checked even
after a problem), one :class:`~ikueval._building.LedgerBuilder` per file. A
worker sends back, per file, the columns of each series (arrays of machine
integers, the few values they do not hold), the tables of its periods and
dimension values, and the hashes of its ids: some 30 bytes an event, pickled
as blocks of bytes, never an object per row; or, for a file with a problem,
its problems and the hashes of its ids.

This process then joins the files' columns in the order of the files (each
series gets the events of file 0, then of file 1...: the ledger is the same
as in one process, byte for byte), compares the hashes of all the ids once,
and folds and checks the series itself. Files with problems are refused
with the problems of each, in the order of the files, as in one process.
Two ids of one hash return None: :func:`~.ingest.read_ledger` then reads the
files again in one process with every id compared exactly, so that an id
given twice is refused naming where it was first seen, as without workers.

Workers are started by ``fork`` where it is safe and cheap: on Linux, when
this program runs a single thread. A forked worker has the rule set already,
and hashes ids as this process does. Elsewhere (another system, or a
program with threads) they are started with ``spawn``: each starts an
interpreter, imports ikueval and unpickles the rule set (a tenth of the time
of parsing its file again), and every process hashes ids with
:func:`stable_hash`, which is the same in every process. A program that reads
with workers guards its entry point with ``if __name__ == "__main__":``, as
any program using :mod:`multiprocessing` (``spawn`` runs its main module
again).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from attrs import frozen

from .._building import LedgerBuilder
from .._errors import EventError, Problem
from .._folding import Rows
from .._ledger import Ledger, Tables
from .._model import RuleSet
from .fast_rows import RuleFacts

if TYPE_CHECKING:
    from concurrent.futures import Future

#: Processes a read may use, this one included. Each reads whole files and
#: holds the rule set; more than the cores of a machine only adds processes.
MAX_WORKERS: Final = 64


def stable_hash(ident: str) -> int:
    """A hash of an id that is the same in every process (``hash`` of a ``str`` is not)."""
    return hash((len(ident), int.from_bytes(ident.encode("utf-8", "surrogatepass"), "little")))


@frozen
class _File:
    """What was read from one file: the columns of its series, its tables and its ids."""

    rows: dict[tuple[str, str], Rows]
    missing: dict[tuple[str, str], Rows]
    tables: Tables
    count: int
    hashes: array[int]


@frozen
class _Refused:
    """A file with a problem: its problems (with its summary line) and the hashes of
    the ids of its good rows."""

    problems: tuple[Problem, ...]
    hashes: array[int]


@frozen
class _Columns:
    """The columns of the series of one table of a file, end to end: a few long arrays
    pickle as blocks of bytes, where an object per series would cost 20 us each."""

    keys: list[tuple[str, str]]
    ends: array[int]
    """Where the events of each series end."""
    periods: array[int]
    dims: array[int]
    coefficients: array[int]
    exponents: array[int]
    sources: array[int]
    no_id: bytearray
    apart: dict[tuple[str, str], Rows]
    """The series that hold more than machine integers (a large number, a label, an
    event kept, a source that is not a line of a file), sent as they are."""

    @classmethod
    def of(cls, table: dict[tuple[str, str], Rows]) -> _Columns:
        columns = cls(
            [],
            array("q"),
            array("i"),
            array("i"),
            array("q"),
            array("h"),
            array("q"),
            bytearray(),
            {},
        )
        for key, rows in table.items():
            if rows.others or not isinstance(rows.coefficients, array):
                columns.apart[key] = rows
                continue
            columns.keys.append(key)
            columns.periods.extend(rows.periods)
            columns.dims.extend(rows.dims)
            columns.coefficients.extend(rows.coefficients)
            columns.exponents.extend(rows.exponents)
            columns.sources.extend(rows.sources)
            columns.no_id.extend(rows.no_id)
            columns.ends.append(len(columns.periods))
        return columns

    def table(self) -> dict[tuple[str, str], Rows]:
        """The series again, each with columns of its own."""
        table = {}
        start = 0
        for key, end in zip(self.keys, self.ends, strict=True):
            rows = table[key] = Rows()
            rows.periods = self.periods[start:end]
            rows.dims = self.dims[start:end]
            rows.coefficients = self.coefficients[start:end]
            rows.exponents = self.exponents[start:end]
            rows.sources = self.sources[start:end]
            rows.no_id = self.no_id[start:end]
            start = end
        table.update(self.apart)
        return table


@frozen
class _Sent:
    """A :class:`_File` as a worker sends it."""

    rows: _Columns
    missing: _Columns
    tables: Tables
    count: int
    hashes: array[int]

    @classmethod
    def of(cls, file: _File) -> _Sent:
        return cls(
            _Columns.of(file.rows), _Columns.of(file.missing), file.tables, file.count, file.hashes
        )

    def file(self) -> _File:
        return _File(self.rows.table(), self.missing.table(), self.tables, self.count, self.hashes)


@frozen
class _Setting:
    """What every process reads with."""

    ruleset: RuleSet
    retain: frozenset[str]
    names: list[str]
    digest: Callable[[str], int]


_STATE: dict[str, Any] = {}
"""In a worker process only: its :class:`_Setting` and the rule set's
:class:`~.fast_rows.RuleFacts`, set once when it starts."""


def _start(setting: _Setting, facts: RuleFacts | None) -> None:
    _STATE.update(setting=setting, facts=facts or RuleFacts(setting.ruleset))


def _work(numbers: list[int]) -> list[_Sent | _Refused]:
    """In a worker: files ``numbers`` read."""
    read = _read(_STATE["setting"], _STATE["facts"], numbers)
    return [file if isinstance(file, _Refused) else _Sent.of(file) for file in read]


def _read(setting: _Setting, facts: RuleFacts, numbers: list[int]) -> list[_File | _Refused]:
    """Files ``numbers`` read the quick way, each into a builder of its own."""
    from .ingest import Reading

    read: list[_File | _Refused] = []
    for number in numbers:
        # unique: the ids are compared by their hashes, once every file is read
        builder = LedgerBuilder(
            setting.ruleset, setting.retain, files=setting.names, unique_ids=True
        )
        hashes = array("q")
        reading = Reading(
            setting.ruleset,
            facts,
            setting.retain,
            setting.names,
            builder=builder,
            hashes=hashes,
            digest=setting.digest,
        )
        for item in reading.file(Path(setting.names[number]), number, fast=True):
            reading.add_to(builder, item)
        if reading.problems:
            read.append(_Refused(tuple(reading.problems), hashes))
        else:
            read.append(_File(builder.rows, builder.missing, builder.tables, builder.count, hashes))
        del builder, reading
    return read


def _shares(files: Sequence[Path], count: int) -> list[list[int]]:
    """The numbers of the files, shared out in ``count`` shares of about the same
    size (the largest file first to the least loaded share), none empty; the least
    loaded first."""
    sizes = []
    for number, file in enumerate(files):
        try:
            sizes.append((file.stat().st_size, number))
        except OSError:  # reading it says what is wrong
            sizes.append((0, number))
    loads = [0] * count
    shares: list[list[int]] = [[] for _ in range(count)]
    for size, number in sorted(sizes, key=lambda item: (-item[0], item[1])):
        least = min(range(count), key=lambda share: (loads[share], len(shares[share]), share))
        loads[least] += size
        shares[least].append(number)
    order = sorted(range(count), key=lambda share: (loads[share], len(shares[share]), share))
    return [sorted(shares[share]) for share in order if shares[share]]


def _forking() -> bool:
    """Whether workers are started by ``fork``: on Linux, in a program of one thread."""
    import threading

    return sys.platform.startswith("linux") and threading.active_count() == 1


def read_in_workers(
    ruleset: RuleSet, files: Sequence[Path], retain: Collection[str], workers: int
) -> Ledger | None:
    """The ledger of ``files`` read by ``workers`` processes (this one included); None
    when it must be read again in one process (two ids of one hash).

    Raises:
        EventError: as :func:`~.ingest.read_ledger`, for files with problems.
    """
    names = [str(file) for file in files]
    kept = frozenset(retain)
    shares = _shares(files, min(workers, len(files)))
    # loaded here, not with the module: a program reading in one process never needs them
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    forking = _forking()
    setting = _Setting(ruleset, kept, names, hash if forking else stable_hash)
    facts = RuleFacts(ruleset)
    context = multiprocessing.get_context("fork" if forking else "spawn")
    read: dict[int, _File | _Refused] = {}
    with ProcessPoolExecutor(
        max_workers=len(shares) - 1,
        mp_context=context,
        initializer=_start,
        # a forked worker has these already; a spawned one builds the facts itself
        initargs=(setting, facts if forking else None),
    ) as pool:
        # a file a task: each file's columns travel, and are unpickled, on their own
        started: list[tuple[list[int], Future[list[_Sent | _Refused]]]] = [
            ([number], pool.submit(_work, [number])) for share in shares[1:] for number in share
        ]
        read.update(zip(shares[0], _read(setting, facts, shares[0]), strict=True))
        started.reverse()
        while started:  # each future let go of once read, so that it holds no columns
            share, future = started.pop()
            found = future.result()
            del future
            read.update(
                zip(
                    share,
                    [sent if isinstance(sent, _Refused) else sent.file() for sent in found],
                    strict=True,
                )
            )
            del found
    return _joined(ruleset, kept, names, read)


def _joined(
    ruleset: RuleSet, retain: frozenset[str], names: list[str], read: dict[int, _File | _Refused]
) -> Ledger | None:
    """The ledger of the files' columns (``read``, by the number of the file, emptied
    as they are joined), in the order of the files; None when two ids have one hash.

    Raises:
        EventError: the problems of the files with problems, in the order of the files.
    """
    from .ingest import NOTHING_READ, _repeated

    hashes = array("q")
    for file in read.values():
        hashes.extend(file.hashes)
    if _repeated(hashes):
        return None
    del hashes
    in_order = (read[number] for number in range(len(names)))
    problems = [p for part in in_order if isinstance(part, _Refused) for p in part.problems]
    if problems:
        raise EventError(problems, summary=NOTHING_READ)
    # the first file's builder, as if it had read the files after it too
    first = read.pop(0)
    assert isinstance(first, _File)
    builder = LedgerBuilder(ruleset, retain, files=names, unique_ids=True)
    builder.rows, builder.missing, builder.tables = first.rows, first.missing, first.tables
    builder.count = first.count
    del first
    for number in range(1, len(names)):
        file = read.pop(number)
        assert isinstance(file, _File)
        builder.merge(file.rows, file.missing, file.tables)
        del file
    return builder.finish()
