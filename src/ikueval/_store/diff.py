"""What changed between two moments: the figures of a period, and the entries that changed them.

Both moments are evaluated by the engine, each with the events and the
rule-set version in force then (:func:`~ikueval._store.asof.snapshot`). Every
figure that differs is listed: realisations, targets and achievements of
each indicator, roll-ups and budget absorptions. Under each indicator (and
budget) come the entries recorded between the two moments that touch it in
the evaluated span: imports, corrections and withdrawals, with their actor
and reason. A change of rule-set version, which can change targets without
any entry, is named too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Final

from attrs import frozen

from .._model import Basis
from .._periods import Period, Span
from .._results import Evaluation, Status
from .asof import Snapshot, snapshot
from .interface import LedgerStore
from .log import correction_text, origin_text
from .records import describe
from .states import VerificationState
from .values import Batch, EntryRow

#: Entries listed under one indicator: the first ones show what happened; the
#: log (``ikueval ledger log --indicator``) lists them all.
MAX_CAUSES_SHOWN: Final = 20


@frozen
class FigureChange:
    """One figure that differs between the two moments.

    Args:
        subject: an indicator id, ``roll-up ID`` or ``budget ID``.
        figure: which figure (``achievement to_date``, ``realisation period``...).
        before / after: the figure, or its status when it has none.
    """

    subject: str
    figure: str
    before: str
    after: str


@frozen
class Cause:
    """An entry recorded between the two moments that touches a changed subject."""

    batch: Batch
    entry: EntryRow
    superseded: EntryRow | None


@frozen(eq=False)
class Difference:
    """The figures of a period that changed between two moments, and why."""

    period: str
    before: Snapshot
    after: Snapshot
    changes: tuple[FigureChange, ...]
    causes: dict[str, tuple[Cause, ...]]

    @property
    def rules_changed(self) -> bool:
        """Whether another rule-set version is in force at the second moment."""
        return self.before.rules.version != self.after.rules.version


def diff(
    store: LedgerStore,
    period: Period | str,
    since: datetime | str,
    until: datetime | str | None = None,
    *,
    states: Collection[VerificationState | str] | None = None,
) -> Difference:
    """Compare the figures of a period as of two moments.

    Args:
        store: the ledger store.
        period: the period evaluated at both moments.
        since: the first moment.
        until: the second moment (None: the latest).
        states: the verification states that count (default: ``verified``).

    Raises:
        StoreError: nothing was recorded by the first moment.
        PeriodError, EventError, UsageError: as for an evaluation.
    """
    before = snapshot(store, since, states=states)
    after = snapshot(store, until, states=states)
    first, second = before.evaluate(period), after.evaluate(period)
    changes = tuple(_changes(first, second))
    changed = {change.subject for change in changes}
    span = _span(first)
    causes: dict[str, list[Cause]] = {}
    with store.reading() as reader:
        low, high = sorted((before.batch.last_entry, after.batch.last_entry))
        batches: dict[int, Batch] = {}
        for row in reader.entries(low + 1, high):
            old = reader.entry(row.supersedes) if row.supersedes is not None else None
            for subject in _subjects(row, old, span):
                if subject in changed:
                    batch = batches.get(row.batch) or reader.batch(row.batch)
                    if batch is not None:
                        batches[row.batch] = batch
                        causes.setdefault(subject, []).append(Cause(batch, row, old))
    return Difference(
        first.period, before, after, changes, {k: tuple(v) for k, v in causes.items()}
    )


def render_diff(difference: Difference) -> str:
    """The difference as text, figure by figure, with the entries behind each subject."""
    before, after = difference.before, difference.after
    lines = [
        f"{difference.period}: figures as of {_when(before)} and as of {_when(after)}",
        f"  before: {before.describe()}",
        f"  after:  {after.describe()}",
    ]
    if difference.rules_changed:
        lines.append(
            f"  rule set version {before.rules.version} -> {after.rules.version}: "
            "targets and rules may differ"
        )
    if not difference.changes:
        lines.append("no figure changed")
        return "\n".join(lines) + "\n"
    by_subject: dict[str, list[FigureChange]] = {}
    for change in difference.changes:
        by_subject.setdefault(change.subject, []).append(change)
    for subject, changes in by_subject.items():
        lines.append("")
        lines.append(subject)
        lines.extend(
            f"  {change.figure:<36} {change.before:>14} -> {change.after}" for change in changes
        )
        causes = difference.causes.get(subject, ())
        lines.extend(_cause_lines(causes))
        targets = any(change.figure.startswith("target ") for change in changes)
        if difference.rules_changed and (targets or not causes) and _indicator(subject):
            lines.append(
                f"  changed by the rule set: version {before.rules.version} -> "
                f"{after.rules.version}"
            )
    count = len(difference.changes)
    subjects = len({c.subject for c in difference.changes})
    lines.append("")
    lines.append(f"{count} figure{'s' if count != 1 else ''} changed in {subjects} subjects")
    return "\n".join(lines) + "\n"


def _indicator(subject: str) -> bool:
    return not subject.startswith(("roll-up ", "budget "))


def _when(snap: Snapshot) -> str:
    return snap.moment or f"now ({snap.batch.recorded_at})"


def _cause_lines(causes: tuple[Cause, ...]) -> Iterator[str]:
    if not causes:
        return
    yield "  changed by:"
    for cause in causes[:MAX_CAUSES_SHOWN]:
        batch = cause.batch
        who = f"batch {batch.number}, {batch.recorded_at}, {batch.kind.value} by {batch.actor}"
        if cause.entry.supersedes is not None:
            text = correction_text(cause.entry, cause.superseded)
        else:
            text = f"entry {cause.entry.entry} {describe(cause.entry)}{origin_text(cause.entry)}"
        reason = f": {batch.reason}" if batch.reason else ""
        yield f"    {text}  ({who}{reason})"
    if len(causes) > MAX_CAUSES_SHOWN:
        yield f"    ... and {len(causes) - MAX_CAUSES_SHOWN} more entries (see ikueval ledger log)"


def _span(evaluation: Evaluation) -> Span:
    """January to the end of the evaluated period: the realisations' widest span."""
    return Span.to_date(Period.parse(evaluation.period))


def _subjects(row: EntryRow, old: EntryRow | None, span: Span) -> Iterator[str]:
    """The subjects (indicators, budgets) an entry may change in the span."""
    found: dict[str, None] = {}
    for entry in (row, old):
        if entry is None or not span.overlaps(Period.parse(entry.period)):
            continue
        if entry.indicator is not None:
            found[entry.indicator] = None
        else:
            found[f"budget {entry.activity}"] = None
            found["budget total"] = None
    yield from found


def _changes(first: Evaluation, second: Evaluation) -> Iterator[FigureChange]:
    a, b = dict(_figures(first)), dict(_figures(second))
    for key in dict.fromkeys([*a, *b]):
        old, new = a.get(key, "-"), b.get(key, "-")
        if old != new:
            yield FigureChange(key[0], key[1], old, new)


def _figures(evaluation: Evaluation) -> Iterator[tuple[tuple[str, str], str]]:
    for result in evaluation.indicators:
        for span, realisation in result.realisations.items():
            yield (result.id, f"realisation {span}"), _text(realisation.status, realisation.value)
        for span, target in result.targets.items():
            yield (result.id, f"target {span}"), _text(target.status, target.value)
        for basis, achievement in zip(Basis, result.achievements, strict=True):
            figure = f"achievement {basis.value}"
            yield (result.id, figure), _text(achievement.status, achievement.value)
    for rollup in evaluation.rollups:
        yield (f"roll-up {rollup.id}", "mean achievement"), _text(rollup.status, rollup.value)
    for budget in evaluation.budgets:
        yield (f"budget {budget.id}", "spent"), "-" if budget.spent is None else str(budget.spent)
        yield (f"budget {budget.id}", "absorption"), _text(budget.status, budget.value)


def _text(status: Status, value: object) -> str:
    return str(value) if status is Status.COMPUTED and value is not None else status.value
