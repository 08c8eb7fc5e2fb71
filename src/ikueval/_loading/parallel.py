"""Reading event files in several processes (``read_ledger(..., workers=N)``).

Two rounds of work, both shared among N worker processes:

1. each file is read by one worker, exactly as :func:`~.ingest.read_ledger`
   reads it in one process: every row checked, the good ones collected as
   the columns a :class:`~ikueval._building.LedgerBuilder` keeps (some 25
   bytes an event), with the file's ids;
2. the indicators are shared out among the workers in the order of the rule
   set (the first to worker 0, the second to worker 1...; spending to worker
   0), and each worker builds and checks the series of its share from the
   events of every file, in the order of the files.

The ids of the files are shared out among the workers too (by a hash of
their text), and each compares its share across the files in round 2. This
process only hands the events and ids of each share to its worker and joins
the finished series, numbering their dimension values in one table. The
ledger is the same as in one process, byte for byte: each series is built
from the same events in the same order.

A file with any problem, a conflict in a series, or an id given in two files
makes this process read the files again by itself, so that the problems are
listed, counted and worded exactly as without workers (the files are read
twice only when they are refused). A worker holds the ids of its share as
text (about 100 bytes an id), where one process reading alone keeps them in
55 (:mod:`.ids`).

Workers are started with the ``spawn`` method (safe in a program that has
threads): a script that reads with workers guards its entry point with
``if __name__ == "__main__":``, as any program using :mod:`multiprocessing`.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from attrs import frozen

from .._building import LedgerBuilder
from .._conflicts import first_warnings
from .._errors import IkuEvalError
from .._folding import Rows
from .._ledger import Ledger, Series, Tables
from .._model import RuleSet
from .fast_rows import RuleFacts

if TYPE_CHECKING:
    from concurrent.futures import Future

#: Worker processes a read may use. Each reads every file and holds the rule
#: set and the series of its share; more than the cores of a machine only
#: adds processes.
MAX_WORKERS: Final = 64


@frozen
class _File:
    """What a worker read from one file: the ids, and the events of each series."""

    ids: list[tuple[bytes, array[int]]]
    """The file's ids, shared out among the workers by a hash of their text: for
    each worker, their UTF-8 one after another and where each ends."""
    rows: dict[tuple[str, str], Rows]
    missing: dict[tuple[str, str], Rows]
    tables: Tables


@frozen
class _Share:
    """The series a worker built from the events of its share of the indicators."""

    series: dict[tuple[str, str], Series]
    tables: Tables
    repeats: tuple[Any, ...]
    count: int


_STATE: dict[str, Any] = {}
"""What a worker process reads with: the rule set, the retained indicators and
the files; set once when it starts (each worker is a process of its own)."""


def _start(ruleset: RuleSet, retain: frozenset[str], names: list[str], workers: int) -> None:
    _STATE.update(
        ruleset=ruleset, retain=retain, names=names, facts=RuleFacts(ruleset), workers=workers
    )


def _read(number: int) -> _File | None:
    """Round 1: file ``number``, every row checked; None when it has a problem."""
    from .ingest import Reading

    ruleset, retain, names = _STATE["ruleset"], _STATE["retain"], _STATE["names"]
    builder = LedgerBuilder(ruleset, retain, files=names, unique_ids=True)
    reading = Reading(ruleset, _STATE["facts"], retain, names)
    for item in reading.file(Path(names[number]), number, fast=True):
        if reading.problems:
            return None  # the files are read again, in one process
        reading.add_to(builder, item)
    if reading.problems:
        return None
    workers = _STATE["workers"]
    texts = [bytearray() for _ in range(workers)]
    ends = [array("q") for _ in range(workers)]
    for data in reading.ids.encoded():
        share = zlib.crc32(data) % workers
        texts[share] += data
        ends[share].append(len(texts[share]))
    ids = [(bytes(text), end) for text, end in zip(texts, ends, strict=True)]
    return _File(ids, builder.rows, builder.missing, builder.tables)


Events = tuple[Tables, dict[tuple[str, str], Rows], dict[tuple[str, str], Rows]]
"""The events of some series read from one file, and the table of their dimension values."""


def _build(files: list[Events], ids: list[tuple[bytes, array[int]]]) -> _Share | None:
    """Round 2: the series of one share, from the events of every file in order.

    ``ids`` are the ids of this share of their hashes, file by file: one given
    in two files makes the files be read again in one process.
    """
    seen: set[bytes] = set()
    for texts, ends in ids:
        starts = [0, *ends][:-1]
        found = [texts[start:end] for start, end in zip(starts, ends, strict=True)]
        if not seen.isdisjoint(found):
            return None
        seen.update(found)
    del seen
    builder = LedgerBuilder(
        _STATE["ruleset"], _STATE["retain"], files=_STATE["names"], unique_ids=True
    )
    for tables, rows, missing in files:
        builder.merge(rows, missing, tables)
    try:
        ledger = builder.finish()
    except IkuEvalError:
        return None
    return _Share(dict(ledger.series.items()), ledger.tables, ledger.repeats, ledger.events_read)


def read_in_workers(
    ruleset: RuleSet, files: Sequence[Path], retain: Collection[str], workers: int
) -> Ledger | None:
    """The ledger of ``files`` read by ``workers`` processes; None when it must be read
    again in one process (a problem was found)."""
    names = [str(file) for file in files]
    kept = frozenset(retain)
    owners = {indicator.id: place % workers for place, indicator in enumerate(ruleset.indicators)}
    # loaded here, not with the module: a program reading in one process never needs them
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # safe in a program with threads
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start,
        initargs=(ruleset, kept, names, workers),
    ) as pool:
        read: list[Future[_File | None]] = [pool.submit(_read, n) for n in range(len(files))]
        shares: list[list[Events]] = [[] for _ in range(workers)]
        ids: list[list[tuple[bytes, array[int]]]] = [[] for _ in range(workers)]
        for future in read:  # in the order of the files
            found = future.result()
            if found is None:
                return None
            for held, kept_ids in zip(ids, found.ids, strict=True):
                held.append(kept_ids)
            parted: list[tuple[dict[Any, Rows], dict[Any, Rows]]] = [
                ({}, {}) for _ in range(workers)
            ]
            for place, table in enumerate((found.rows, found.missing)):
                for key, rows in table.items():
                    parted[owners.get(key[0], 0)][place][key] = rows
            for share, (events, reports) in zip(shares, parted, strict=True):
                share.append((found.tables, events, reports))
            del found
        built: list[Future[_Share | None]] = [
            pool.submit(_build, share, share_ids)
            for share, share_ids in zip(shares, ids, strict=True)
        ]
        del shares, ids
        return _joined(ruleset, kept, names, [future.result() for future in built])


def _joined(
    ruleset: RuleSet, retain: frozenset[str], names: list[str], shares: list[_Share | None]
) -> Ledger | None:
    """The ledger of the shares' series, their dimension values in one table."""
    tables = Tables(names)
    series: dict[tuple[str, str], Series] = {}
    repeats: list[Any] = []
    count = 0
    for share in shares:
        if share is None:
            return None
        numbers = array("i", [tables.dims(dims) for dims in share.tables.dimensions])
        for period in share.tables.periods.values():
            tables.period(period)
        for key, found in share.series.items():
            series[key] = _renumbered(found, tables, numbers)
        repeats.extend(share.repeats)
        count += share.count
    repeats.sort(key=lambda item: item[0])
    return Ledger(
        dict(sorted(series.items())),
        count,
        first_warnings(repeats),
        ruleset=ruleset,
        retain=retain,
        tables=tables,
        repeats=tuple(repeats),
    )


def _renumbered(series: Series, tables: Tables, numbers: array[int]) -> Series:
    """A worker's series, with its dimension values numbered in the ledger's table."""
    series.tables = tables
    series.dims = array("i", [numbers[number] for number in series.dims])
    for report in series.reports:
        report.dims = numbers[report.dims]
    return series
