"""The check that keeps a ledger evaluable: no recording may make events count twice.

Rows are checked one by one on import, as event files are. What only the
whole set of events shows (two events that would count the same realisation
twice, two categories for one period) is checked before a batch is
committed: the events in force of every indicator the batch touches are
aggregated by the engine (its :class:`~ikueval._building.LedgerBuilder`, as
:func:`ikueval.build_ledger` does, fed by :func:`~.records.put_entries`),
with the rule set in force after the batch. A batch that would make them
conflict is refused with the engine's message, naming the entries, and adds
nothing; so the ledger as it is now can always be evaluated.

:func:`check_evaluable` aggregates every event in force of the indicators
checked: a new rule-set version is checked so. :func:`check_batch` checks a
batch of entries by the part of the ledger it can conflict with only (see
there), with the same verdict and the same message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Final

from .._building import LedgerBuilder
from .._errors import EventConflictError, EventError, IkuEvalError
from .._model import RuleSet
from .._overlaps import MAX_BREAKDOWNS
from .._periods import Granularity, Period
from .interface import StoreWriter
from .records import put_entries
from .states import VerificationState
from .values import EntryRow, RuleVersion

NOTHING_ADDED: Final = "nothing was added to the ledger: fix the problems above"
#: Events in these states are checked (all but ``rejected``): a draft that
#: would count a verified event twice is refused before it is verified.
CHECKED_STATES: Final = frozenset(
    state.value for state in VerificationState if state is not VerificationState.REJECTED
)
#: Indicators touched by one batch, beyond which every indicator is checked
#: (one query without a list of names).
MAX_SUBJECTS_NAMED: Final = 200
#: Past the last period label of any year, in code-point order (and in SQLite's
#: byte order of UTF-8): ``2025`` to ``2025`` + this holds every label of 2025.
_AFTER: Final = "\uffff"
#: A span holding every period label.
_EVERY: Final = ("", _AFTER)


def subjects_of(rows: Iterable[EntryRow]) -> set[str]:
    """The indicators (``activity:ID`` for spending) of entries."""
    return {row.subject for row in rows}


def check_evaluable(
    writer: StoreWriter,
    ruleset: RuleSet,
    version: RuleVersion,
    last_entry: int,
    subjects: set[str] | None,
    name: str,
) -> None:
    """Aggregate the events in force of ``subjects`` (None: all) as the engine would.

    Raises:
        EventConflictError: events that would be counted twice, naming the
            entries (``STORE:ENTRY``); nothing is added.
        EventError: an entry that ``ruleset`` refuses (after a revision).
    """
    if subjects is not None and not subjects:
        return
    named = frozenset(subjects) if subjects and len(subjects) <= MAX_SUBJECTS_NAMED else None
    rows = writer.counted(last_entry, CHECKED_STATES, named)
    builder = LedgerBuilder(ruleset)
    try:
        put_entries(builder, version.version, rows, writer.checked_with(last_entry), name)
        builder.finish()
    except EventConflictError as exc:
        raise EventConflictError(exc.problems, summary=NOTHING_ADDED) from None
    except EventError as exc:
        raise EventError(exc.problems, summary=NOTHING_ADDED) from None


def check_batch(
    writer: StoreWriter,
    ruleset: RuleSet,
    version: RuleVersion,
    first_entry: int,
    last_entry: int,
    subjects: set[str],
    name: str,
) -> None:
    """:func:`check_evaluable` of a batch (entries ``first_entry`` to ``last_entry``), sliced.

    Every batch is checked before it is committed, so the events in force
    before it (in :data:`CHECKED_STATES`, with the version in force, which was
    checked against all of them when it came into force) can be evaluated.
    A conflict the full check finds after the batch is then one involving an
    entry of the batch (a withdrawal, or the entry a correction supersedes,
    only removes events: it makes no cell, no value and no breakdown). For an
    entry of series S (indicator input, or spending) and period P:

    * *several values* of one period of S: the cells of S and P;
    * *overlapping cells* (a total and its breakdown, two breakdowns by
      different dimensions, a quarter and one of its months or days): cells
      of S whose period shares a day with P. Calendar years, quarters, months
      and days are nested, so that period is P itself, a period containing
      it (its year, quarter, month) or one within it: a label of the
      *family* of P, one of at most four label spans (an exact label of an
      ancestor, and the labels starting with P's, or with the months of a
      quarter);
    * *more breakdowns* than :data:`~ikueval._overlaps.MAX_BREAKDOWNS`
      counts the breakdowns of all of S: when the dimensions recorded for
      the subject in the store (a superset of those in force) have more ways
      than that, the subject is read whole.

    So every problem the full check would find lies within the entries in
    force of each subject of the batch whose period label is in the family of
    a period of the batch's entries for that subject: these are read
    (:meth:`~.interface.StoreWriter.counted_in`), whole cells and whole
    periods, and aggregated as :func:`check_evaluable` does. Every problem
    found in them is one of the full check, since their cells, periods and
    ways are those of the whole series. An entry re-read against the version
    in force gives back the dimensions stored (those of a checked event).

    When the slice finds a problem, :func:`check_evaluable` of ``subjects`` is
    run, and raises its own message (the problems the full check lists, up
    to its limits per series, in its order); a refusal costs what it cost
    before. The slice never refuses what the full check accepts (its problems
    are problems of the whole); should the full check accept, the slice's own
    error is raised. ``tests/test_store_checks.py`` compares the two on
    random ledgers and batches.

    Raises:
        EventConflictError, EventError: as :func:`check_evaluable`.
    """
    problem = sliced_problem(writer, ruleset, version, first_entry, last_entry, name)
    if problem is None:
        return
    check_evaluable(writer, ruleset, version, last_entry, subjects, name)
    # not reached: what the slice refuses, the full check refuses
    if isinstance(problem, EventError):  # and EventConflictError
        raise type(problem)(problem.problems, summary=NOTHING_ADDED)
    raise problem


def sliced_problem(
    writer: StoreWriter,
    ruleset: RuleSet,
    version: RuleVersion,
    first_entry: int,
    last_entry: int,
    name: str,
) -> IkuEvalError | None:
    """Why the entries a batch can conflict with cannot be evaluated (see :func:`check_batch`)."""
    periods = writer.batch_periods(first_entry, last_entry)
    if not periods:
        return None
    touched = {subject for subject, _ in periods}
    names: dict[str, set[tuple[str, ...]]] = {}
    for subject, text in list(writer.breakdowns(last_entry, touched)):
        names.setdefault(subject, set()).add(tuple(json.loads(text)))
    spans: dict[str, list[tuple[str, str]]] = {}
    for subject, label in periods:
        spans.setdefault(subject, []).extend(family(label))
    for subject, ways in names.items():
        if len(ways) > MAX_BREAKDOWNS:
            spans[subject].append(_EVERY)
    rows = writer.counted_in(last_entry, CHECKED_STATES, list(merged(spans)))
    builder = LedgerBuilder(ruleset)
    try:
        put_entries(builder, version.version, rows, writer.checked_with(last_entry), name)
        builder.finish()
    except IkuEvalError as exc:
        return exc
    return None


def family(label: str) -> list[tuple[str, str]]:
    """The spans of period labels sharing a day with the period ``label``, itself included.

    Its year, quarter and month (exact labels), and the labels within it: a
    year's all begin with it, a month's too, a quarter's are its months and
    their days. The spans are inclusive, in code-point order.
    """
    period = Period.parse(label)
    year = Period.year_of(period.year).label
    granularity = period.granularity
    if granularity is Granularity.YEAR:
        return [(year, year + _AFTER)]
    quarter = Period.quarter_of(period.year, (period.start.month + 2) // 3).label
    if granularity is Granularity.QUARTER:
        months = period.months()
        return [(year, year), (quarter, quarter), (months[0].label, months[-1].label + _AFTER)]
    month = Period.month_of(period.year, period.start.month).label
    if granularity is Granularity.MONTH:
        return [(year, year), (quarter, quarter), (month, month + _AFTER)]
    return [(year, year), (quarter, quarter), (month, month), (label, label)]


def merged(spans: dict[str, list[tuple[str, str]]]) -> Iterable[tuple[str, str, str]]:
    """Each subject's spans, sorted, those that overlap made one: ``(subject, first, last)``."""
    for subject in sorted(spans):
        current: list[str] | None = None
        for first, last in sorted(spans[subject]):
            if current is not None and first <= current[1]:
                current[1] = max(current[1], last)
                continue
            if current is not None:
                yield (subject, current[0], current[1])
            current = [first, last]
        if current is not None:
            yield (subject, current[0], current[1])
