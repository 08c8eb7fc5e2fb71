"""A scripted history of the 2025 data of BP3MI Jawa Tengah, recorded in a ledger.

    python examples/bp3mi-jateng-2025/history/record_history.py build/bp3mi-ledger.db

Run from anywhere; paths in the ledger are relative to the repository root.
The ledger file is rebuilt from scratch (an existing ikueval ledger at that
path is replaced; any other file is refused). Each step is recorded at the
moment written below, through an injected clock, as if the office had kept
the ledger through the year. The Q2 report (LKj Triwulan II 2025) is taken
as published on 15 July 2025: the report itself is dated only "Juli" (and
misprinted 2024).

What is real and what is INVENTED FOR THIS EXAMPLE:

1. 14 Apr 2025, operator: the Q1 figures as first recorded
   (2025-04-14-q1.csv), with two INVENTED errors: IKU-06 78 instead of 80,
   IKU-07 6.469 instead of 6.496.
2. 6 May 2025, verifier: both corrected to the figures the report prints.
3. 8 Jul 2025, operator: the Q2 data of the report (2025-07-08-q2.csv and
   the detail files of ../), exactly as in ../.
4. 1 Aug 2025, planner: an INVENTED revision of the rule set: IKU-05's
   quarterly targets (20 and 20, more than the annual 20) become 10 and 10.
5. 19 Aug 2025, inspector: an INVENTED withdrawal: repatriation record
   IKU06-2025Q2-05 found to be a second record of the return IKU06-2025Q2-04.
6. 2 Sep 2025, inspector: an INVENTED correction: IKU-03's Q2 documents
   1 -> 2 (an agreement signed on 27 June, filed late).

As of 15 July 2025 the ledger reproduces the report's figures; as of today
they differ by steps 4 to 6.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from ikueval._errors import IkuEvalError
from ikueval._store import open_ledger
from ikueval._store.schema import recognise

ROOT = Path(__file__).resolve().parents[3]
HERE = "examples/bp3mi-jateng-2025/history"
DATA = "examples/bp3mi-jateng-2025"
RULES = "rules/bp3mi-jateng-2025.toml"
#: The report's publication, as this example assumes it.
PUBLISHED = "2025-07-15"


class Clock:
    """The moment each step is recorded at, set by the script."""

    def __init__(self) -> None:
        self.now = datetime(2025, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, text: str) -> None:
        self.now = datetime.fromisoformat(text.replace("Z", "+00:00"))


def revised_rules() -> str:
    """The rule set with IKU-05's quarterly targets revised (invented for this example)."""
    text = (ROOT / RULES).read_text(encoding="utf-8")
    start = text.index('id = "IKU-05"')
    end = text.index("[[indicators]]", start)
    printed = "targets.lkj-2025-q2 = { Q1 = 20, Q2 = 20 }"
    if text.count(printed, start, end) != 1:
        raise SystemExit(f"{RULES} no longer has IKU-05's targets {printed!r}")
    revised = text[start:end].replace(printed, "targets.lkj-2025-q2 = { Q1 = 10, Q2 = 10 }")
    return text[:start] + revised + text[end:]


def record(database: str) -> None:
    """Rebuild the ledger at ``database`` (as given) with the history above."""
    path = Path(database).resolve()
    if recognise(path, database):  # refuses anything but a ledger
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    clock = Clock()
    store = open_ledger(path, name=database, clock=clock)

    clock.set("2025-04-14T02:00:00Z")
    store.import_files([f"{HERE}/2025-04-14-q1.csv"], rules=RULES, actor="operator")

    clock.set("2025-05-06T03:00:00Z")
    check(store, 8, "IKU-06", "78")
    store.correct(
        [8],
        {"value": "80"},
        reason="two returns of 28-31 March were registered in April (invented)",
        actor="verifier",
    )
    clock.set("2025-05-06T03:05:00Z")
    check(store, 9, "IKU-07", "6469")
    store.correct(
        [9], {"value": "6496"}, reason="digits transposed when typed (invented)", actor="verifier"
    )

    clock.set("2025-07-08T02:00:00Z")
    store.import_files(
        [
            f"{HERE}/2025-07-08-q2.csv",
            f"{DATA}/placements-2025-q2.csv",
            f"{DATA}/repatriations-2025-q2.csv",
            f"{DATA}/spending-2025.csv",
            f"{DATA}/verifications-2025-q2.json",
            f"{DATA}/ikpa-2025.csv",
        ],
        actor="operator",
    )

    clock.set("2025-08-01T01:00:00Z")
    store.record_rules(
        revised_rules(),
        source=f"{RULES} (revised: IKU-05 Q1 = 10, Q2 = 10; invented)",
        actor="planner",
    )

    clock.set("2025-08-19T04:00:00Z")
    check(store, 82, "IKU-06", "1", event_id="IKU06-2025Q2-05")
    store.withdraw(
        [82],
        reason="a second record of the return of IKU06-2025Q2-04 (invented)",
        actor="inspector",
    )

    clock.set("2025-09-02T03:00:00Z")
    check(store, 22, "IKU-03", "1")
    store.correct(
        [22],
        {"value": "2"},
        reason="an agreement signed on 27 June was filed late (invented)",
        actor="inspector",
    )


def check(
    store: object, entry: int, indicator: str, value: str, event_id: str | None = None
) -> None:
    """Make sure an entry number still names the event this script means."""
    with store.reading() as reader:  # type: ignore[attr-defined]
        row = reader.entry(entry)
    if (
        row is None
        or (row.indicator, row.value) != (indicator, value)
        or (event_id is not None and row.event_id != event_id)
    ):
        raise SystemExit(f"entry {entry} is not {indicator} {value}: the example data changed")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        record(argv[0])
    except IkuEvalError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"{argv[0]}: the 2025 history of BP3MI Jawa Tengah, as recorded up to 2 September 2025")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
