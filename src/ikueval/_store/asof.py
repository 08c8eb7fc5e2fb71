"""Reading a ledger store as of a moment: the events and the rules in force then.

A :class:`Snapshot` fixes a moment: the last batch recorded at or before it,
hence the last entry and the rule-set version in force. Its
:meth:`Snapshot.ledger` streams the entries that count then (in force, not
superseded by that moment, with a verification state that counts) through
the engine's own checks into its ledger builder, as
:func:`ikueval.build_ledger` adds events (:func:`~.records.put_entries`);
the evaluation is the engine's :func:`ikueval.evaluate`. The figures are
therefore, by construction, those of the files that held exactly these
events; only the sources differ: ``STORE:ENTRY`` ranges (``ledger.db:12-40``), whose origin
(file and row) the log gives.

Because the store only grows, a snapshot stays valid while batches are
recorded: it reads entries up to its own last entry, never beyond.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from attrs import field, frozen

from .._aggregation import Ledger
from .._building import LedgerBuilder
from .._errors import Location, Problem, StoreError
from .._evaluation import evaluate
from .._model import RuleSet
from .._periods import Period
from .._results import Evaluation
from .inputs import counted_states
from .interface import LedgerStore
from .moments import as_moment
from .records import put_entries
from .states import VerificationState
from .values import Batch, RuleVersion


@frozen(eq=False)
class Snapshot:
    """A ledger store as it was at a moment.

    Args:
        store: the ledger store.
        moment: the moment asked for (stored text), or None for the latest.
        batch: the last batch recorded by then.
        rules: the rule-set version in force then.
        ruleset: that version, read.
        warnings: its warnings (as ``ikueval check`` gives them).
        states: the verification states that count.
    """

    store: LedgerStore = field(repr=False)
    moment: str | None
    batch: Batch
    rules: RuleVersion
    ruleset: RuleSet = field(repr=False)
    warnings: tuple[Problem, ...] = field(repr=False)
    states: frozenset[str]

    def ledger(self, retain: Collection[str] = ()) -> Ledger:
        """The events that count at this moment, aggregated by the engine.

        Args:
            retain: ids of indicators whose individual events are kept (for
                ``explain``), as for :func:`ikueval.build_ledger`.

        Raises:
            EventError: an entry the rule set in force refuses, or entries
                that would be counted twice, named as ``STORE:ENTRY``.
            StoreError: the store cannot be read.
        """
        last = self.batch.last_entry
        with self.store.reading() as reader:
            rows = reader.counted(last, self.states)
            versions = reader.checked_with(last)
            builder = LedgerBuilder(self.ruleset, retain)
            put_entries(builder, self.rules.version, rows, versions, self.store.name)
            return builder.finish()

    def evaluate(self, period: Period | str) -> Evaluation:
        """Evaluate every indicator for a period, as of this moment.

        Raises:
            PeriodError, EventError, StoreError: as for :meth:`ledger` and
                :func:`ikueval.evaluate`.
        """
        return evaluate(self.ruleset, self.ledger(), period)

    def describe(self) -> str:
        """One line naming what this snapshot reads, for the trail's reader."""
        when = f"as of {self.moment}" if self.moment else "latest"
        entries = f"entries 1-{self.batch.last_entry}" if self.batch.last_entry else "no entries"
        states = ""
        if self.states != counted_states(None):
            counted = ", ".join(sorted(self.states)) or "none"
            states = f"; states counted: {counted} (and events without a state)"
        return (
            f"ledger {self.store.name} {when}: batch {self.batch.number} of "
            f"{self.batch.recorded_at}, {entries}; rule set {self.rules.ruleset} version "
            f"{self.rules.version} from {self.rules.source}"
            f"{states}"
        )


def snapshot(
    store: LedgerStore,
    as_of: datetime | str | None = None,
    *,
    states: Collection[VerificationState | str] | None = None,
) -> Snapshot:
    """The store as it was at a moment.

    Args:
        store: the ledger store.
        as_of: the moment (an aware datetime, or text such as ``2025-07-15``
            or ``2025-07-15T09:30:00Z``); None for the latest.
        states: the verification states whose events count (default:
            ``verified``). Events recorded without a state always count.

    Raises:
        StoreError: nothing was recorded by that moment.
        RuleSetError: the rule-set version in force does not load (never for
            a version ikueval recorded).
        UsageError: a moment that cannot be read, or an unknown state.
    """
    moment = None if as_of is None else as_moment(as_of, what="--as-of")
    counted = counted_states(states)
    with store.reading() as reader:
        batch = reader.head() if moment is None else reader.batch_at(moment)
        if batch is None:
            raise StoreError(_nothing_by(reader.batch(1), moment, store.name))
        rules = reader.rules(batch.rule_version)
    report = store.parse_rules(rules)
    return Snapshot(store, moment, batch, rules, report.require(), report.warnings, counted)


def _nothing_by(first: Batch | None, moment: str | None, name: str) -> Problem:
    if first is None:
        return Problem(
            "the ledger is empty",
            Location(name),
            hint="import events first: ikueval ledger import DB RULES EVENTS...",
        )
    return Problem(
        f"nothing was recorded by {moment}: the first batch is of {first.recorded_at}",
        Location(name),
    )
