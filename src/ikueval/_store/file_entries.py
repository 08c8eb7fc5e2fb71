"""Event files into entries in one pass: each row checked and shaped for the insert.

The files are read as :func:`ikueval.read_ledger` reads them
(:class:`~ikueval._loading.ingest.Reading`): the common row of a CSV file is
checked by the fast path (:mod:`ikueval._loading.fast_rows`) and becomes an
entry without an event being built; any other row is checked by
:func:`ikueval._events.event_from_record`, which words every problem, and
becomes an entry by :func:`~.records.entry_row`. A row gives the same entry
either way (``tests/test_store_file_entries.py`` checks that the two agree).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .._errors import EventError
from .._events import Event
from .._ledger import Dimensions, decimal_of
from .._loading.fast_rows import MAX_CACHED, RuleFacts
from .._loading.ingest import NOTHING_READ, Reading
from .._model import RuleSet
from .._sources import LINE_SPAN
from .records import dimensions_text, entry_row


def file_entries(
    ruleset: RuleSet,
    files: list[Path],
    skipped: set[str],
    first: int,
    batch: int,
    state: str | None,
    spans: dict[str, list[int]],
    subjects: set[str],
) -> Iterator[tuple[Any, ...]]:
    """The entries of event files, numbered from ``first``, as rows of the insert.

    Every file is read and checked, but the rows of those in ``skipped``
    (recorded meanwhile by another import) are left out. ``spans`` receives
    the first and last entry of each file, ``subjects`` the indicators
    (``activity:ID``) of the entries. Rows are yielded until a problem is
    found; the checks go on to the end of the files.

    Raises:
        EventError: (after the last row) listing every bad row of every file,
            as :func:`ikueval._loading.ingest.checked_events` does.
    """
    names = [str(file) for file in files]
    reading = Reading(ruleset, RuleFacts(ruleset), frozenset(), names)
    labels: dict[int, str] = {}
    dimension_texts: dict[Dimensions, str] = {}
    number = first
    for index, file in enumerate(files):
        name = names[index]
        items = reading.file(file, index, fast=True)
        if name in skipped:
            for _ in items:  # checked all the same
                pass
            continue
        start, base = number, index * LINE_SPAN
        columns: tuple[int, ...] = ()
        for item in items:
            if reading.problems:  # nothing will be recorded: only the checks go on
                continue
            if isinstance(item, Event):
                entry = entry_row(item, entry=number, batch=batch, state=state)
                subjects.add(entry.subject)
                number += 1
                yield entry
                continue
            (key, period, period_number, dims, coefficient, exponent, ident), line, row = item
            if not columns:
                plan = reading.plan
                assert plan is not None
                columns = (plan.input, *plan.texts)
            label = labels.get(period_number)
            if label is None:
                if len(labels) >= MAX_CACHED:
                    labels.clear()
                label = labels[period_number] = period.label
            dimensions = dimension_texts.get(dims)
            if dimensions is None:
                if len(dimension_texts) >= MAX_CACHED:
                    dimension_texts.clear()
                dimensions = dimension_texts[dims] = dimensions_text(dict(dims))
            subjects.add(key[0])
            if coefficient is None:
                kind, value = "missing", None
            else:
                kind, value = "number", number_text(coefficient, exponent)
            i_input, i_unit, i_document, i_table, i_note = columns
            yield (
                number,
                batch,
                None,
                kind,
                state,
                key[0],
                None,
                (row[i_input].strip() or None) if i_input >= 0 else None,
                label,
                value,
                dimensions,
                ident,
                (row[i_unit].strip() or None) if i_unit >= 0 else None,
                (row[i_document].strip() or None) if i_document >= 0 else None,
                (row[i_table].strip() or None) if i_table >= 0 else None,
                (row[i_note].strip() or None) if i_note >= 0 else None,
                None,
                name,
                line - base,
            )
            number += 1
        if number > start:
            spans[name] = [start, number - 1]
    if reading.problems:
        raise EventError(reading.problems, summary=NOTHING_READ)


def number_text(coefficient: int, exponent: int) -> str:
    """A number as an entry stores it (``format(value, "f")``): 875 and -1 are ``87.5``."""
    if exponent == 0:
        return str(coefficient)
    if exponent > 0 or coefficient < 0:
        return format(decimal_of(coefficient, exponent), "f")
    digits = str(coefficient).rjust(1 - exponent, "0")
    return f"{digits[:exponent]}.{digits[exponent:]}"
