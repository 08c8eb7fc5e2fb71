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
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from .._building import LedgerBuilder
from .._errors import EventConflictError, EventError
from .._model import RuleSet
from .interface import StoreWriter
from .records import put_entries
from .values import EntryRow, RuleVersion, VerificationState

NOTHING_ADDED: Final = "nothing was added to the ledger: fix the problems above"
#: Events in these states are checked (all but ``rejected``): a draft that
#: would count a verified event twice is refused before it is verified.
CHECKED_STATES: Final = frozenset(
    state.value for state in VerificationState if state is not VerificationState.REJECTED
)
#: Indicators touched by one batch, beyond which every indicator is checked
#: (one query without a list of names).
MAX_SUBJECTS_NAMED: Final = 200


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
