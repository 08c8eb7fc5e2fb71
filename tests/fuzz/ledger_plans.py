"""What an input does with a ledger store, drawn apart from its files.

A fraction of the inputs (:data:`LEDGER_SHARE`) also goes through a ledger
(``ikueval ledger ...`` and ``--ledger DB --as-of T``). What it does is a
:class:`LedgerPlan`, drawn from a random stream of its own
(``SEED:INDEX:ledger``), so that adding the ledger left every input's files
as they were: the first inputs of seed 0 are the ones CI has always run.

Two kinds of plan:

* ``files``: the input's (mutated) rule file and event files go into a fresh
  ledger: imported, imported again, corrected or withdrawn with drawn (often
  hostile) entry numbers, changes and reason, logged, diffed between two
  moments and evaluated as of drawn (often mutated) moments;
* ``damaged``: a valid ledger of the scenario's own files, with its bytes or
  its rows damaged (:mod:`fuzz.ledger_files`), then opened and read.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from .values import CHARACTERS, LENGTHS, NUMBERS, PERIODS, WORDS

#: The share of the inputs that also go through a ledger. A ledger input costs
#: about three ordinary ones (an import reads the files as an evaluation does,
#: a diff evaluates twice): at a twentieth, the 1,500 inputs of CI take about a
#: tenth longer (tests/fuzz/README.md gives the measures).
LEDGER_SHARE: Final = 0.05
#: Of those, the share that reads a damaged ledger file instead of the input's files.
DAMAGED_SHARE: Final = 0.4

#: Moments around the API's clock (batches at 2025-07-01, 02, 03... 00:00 UTC),
#: before the first batch, far ahead, and now (the command line's clock).
MOMENTS: Final = (
    "2025-07-01", "2025-07-02", "2025-07-03T00:00:00Z", "2025-07-02T16:30:00+07:00",
    "2025-06-30", "2025-06-30T23:59:59Z", "2999-12-31", "9999-12-31T23:59:59Z",
    "0001-01-01", "2025-07-01T00:00:00.5+00:00",
)  # fmt: skip

#: Moments a user may mistype: no zone, out of range, other calendars and digits.
BAD_MOMENTS: Final = (
    "2025-07-15T09:30:00", "2025-07-15T25:00:00Z", "2025-02-30", "2025-13-01",
    "2025-07-15T09:30:00+24:00", "2025-07-15T09:30:00.1234567Z", "+99999-01-01",
    "2025-07-15 09:30Z", "２０２５-07-15", "2025-07-15Z", "15/07/2025", "now", "today",
    "0000-00-00", "2025-07-15T09:30:00-00:00", "2025-07-15T09:30:60Z", "1e9", " ",
)  # fmt: skip

#: Entry arguments of a correction: real entries, and numbers and ranges at the bounds.
ENTRIES: Final = ("1", "2", "3", "1-3", "2-2", "5", "1-20")
BAD_ENTRIES: Final = (
    "0", "-1", "3-1", "1-", "-", "", " ", "1,2", "1 2", "01", "999999999999",
    "9999999999999", "1-1000000", "1-1000001", "2-1000001", "999999-1000000", "1e3",
    "١", "x",
)  # fmt: skip

#: Fields a correction may set (any other name is a dimension).
FIELDS: Final = (
    "value", "period", "note", "unit", "document", "table", "id", "ref", "gender",
    "indicator", "input", "activity", "date", "dimensions", "Value", "VALUE", "",
)  # fmt: skip

#: Reasons: a plain one, and the bounds (one line, at most 2,000 characters).
REASONS: Final = ("a typing error", "x", "alasan koreksi: salah ketik", "")


@dataclass(frozen=True)
class LedgerPlan:
    """What one input does with a ledger.

    Args:
        kind: ``files`` (the input's files into a fresh ledger) or ``damaged``
            (a valid ledger of the scenario, damaged).
        as_of: the moments evaluated (``--as-of``), as typed.
        since / until: the moments a diff compares (``until``: None for now).
        entries: the ``ENTRY`` arguments of the correction.
        changes: its ``--set FIELD=VALUE``.
        reason: its ``--reason``.
        withdraw: a withdrawal (``--withdraw``) instead of a correction.
        damage: for ``damaged``: how the ledger is damaged (``bytes``, ``rows``
            or ``version``) and the seed of the details; or, in a reproducer,
            ``sql`` and the statement, or ``poke``, a text and the byte (in
            hexadecimal) written after it (:func:`fuzz.ledger_files.write_damaged`).
        init: run ``ikueval ledger init`` before the first import.
    """

    kind: str
    as_of: tuple[str, ...]
    since: str
    until: str | None
    entries: tuple[str, ...]
    changes: tuple[tuple[str, str], ...]
    reason: str
    withdraw: bool = False
    damage: tuple[str, ...] = ()
    init: bool = False

    def describe(self) -> str:
        """The plan in one line, for a failure's report."""
        if self.kind == "damaged":
            what = "damaged ledger: " + "; ".join(self.damage)
        else:
            sets = " ".join(f"--set {f}={v[:40]!r}" for f, v in self.changes)
            verb = "withdraw" if self.withdraw else f"correct {sets}"
            what = (
                f"files into a ledger{', init first' if self.init else ''}; {verb} entries "
                f"{[e[:40] for e in self.entries]} reason {self.reason[:40]!r}"
            )
        return (
            f"{what}; as of {[m[:40] for m in self.as_of]}; diff from {self.since[:40]!r} "
            f"to {(self.until or 'now')[:40]!r}"
        )


def draw_ledger(seed: str, index: int) -> LedgerPlan | None:
    """The ledger plan of input ``index`` of ``seed``, if it has one."""
    rng = random.Random(f"{seed}:{index}:ledger")
    if rng.random() >= LEDGER_SHARE:
        return None
    kind = "damaged" if rng.random() < DAMAGED_SHARE else "files"
    as_of = tuple(_moment(rng) for _ in range(rng.choice((1, 1, 2))))
    damage: tuple[str, ...] = ()
    if kind == "damaged":
        from .ledger_files import draw_damage  # the ledger's own module, drawn here

        damage = draw_damage(rng)
    withdraw = rng.random() < 0.25
    changes = tuple((_field(rng), _value(rng)) for _ in range(rng.choice((0, 1, 1, 2))))
    return LedgerPlan(
        kind=kind,
        as_of=as_of,
        since=_moment(rng),
        until=_moment(rng) if rng.random() < 0.5 else None,
        entries=tuple(_entry(rng) for _ in range(rng.choice((1, 1, 2)))),
        changes=changes if not withdraw or rng.random() < 0.1 else (),
        reason=_reason(rng),
        withdraw=withdraw,
        damage=damage,
        init=rng.random() < 0.3,
    )


def _moment(rng: random.Random) -> str:
    layer = rng.random()
    if layer < 0.6:
        return rng.choice(MOMENTS)
    if layer < 0.8:
        return rng.choice(BAD_MOMENTS)
    base = rng.choice(MOMENTS)
    at = rng.randrange(len(base) + 1)
    insert = rng.choice((*CHARACTERS, *WORDS, *PERIODS, "x" * rng.choice(LENGTHS)))
    return base[:at] + insert + base[at + rng.choice((0, 0, 1)) :]


def _entry(rng: random.Random) -> str:
    return rng.choice(ENTRIES) if rng.random() < 0.6 else rng.choice(BAD_ENTRIES)


def _field(rng: random.Random) -> str:
    return rng.choice(FIELDS) if rng.random() < 0.9 else rng.choice((*WORDS, *CHARACTERS))


def _value(rng: random.Random) -> str:
    pool = rng.choice((NUMBERS, NUMBERS, PERIODS, WORDS, CHARACTERS))
    value: str = rng.choice(pool)
    if rng.random() < 0.05:
        value *= rng.choice(LENGTHS) // max(len(value), 1) + 1
    return value


def _reason(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choice(REASONS)
    length = rng.choice((1_999, 2_000, 2_001, 10_001))
    return rng.choice(
        (
            "r" * length,
            "reason" + rng.choice(CHARACTERS),
            rng.choice(WORDS),
            rng.choice(CHARACTERS) * 3,
        )
    )
