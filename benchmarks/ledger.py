"""Benchmark of the ledger store: import and as-of evaluation against the file-based path.

    python benchmarks/ledger.py                    # 10k and 100k events
    python benchmarks/ledger.py 1000000            # a million (some three minutes on 2 cores)
    python benchmarks/ledger.py 10000 --keep DIR   # keep the generated files and ledger

For each size, a seeded generator writes a rule set (cumulative counts by
gender and region) and a year of monthly events in four quarterly CSV files.
Then, timed separately:

* **files**: ``read_ledger(ruleset, files)``, the
  reading half of ``ikueval evaluate RULES EVENTS...``;
* **import**: the four files imported into a new ledger, one batch per
  quarter, then one batch correcting 1% of the entries and one withdrawing
  0.1%;
* **ledger now**: ``snapshot().ledger()``, the reading half of
  ``ikueval evaluate --ledger DB`` (every entry, corrections applied);
* **ledger Q2** against **files Q1-Q2**: the ledger as of the moment the
  second quarter was imported, against the first two files;
* **evaluate**: ``evaluate(ruleset, ledger, "2025-Q4")``, the other half,
  the same engine work whichever way the events came (timed once).

The goal (issue 12): an as-of evaluation costs at most twice the file-based
evaluation of the same events. The ratios printed are of the whole
evaluations (reading + evaluate); the script exits 1 when one is over 2.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final, TypeVar

import ikueval
from ikueval._store import open_ledger

SEED: Final = 12
YEAR: Final = 2025
GENDERS: Final = ("L", "P")
REGIONS: Final = ("semarang", "solo", "cilacap", "pati", "tegal")
GOAL: Final = 2.0
PERIOD: Final = f"{YEAR}-Q4"

T = TypeVar("T")


def rules_text(indicators: int) -> str:
    """A rule set of ``indicators`` cumulative counts, broken down by gender and region."""
    quoted = ", ".join(f'"{region}"' for region in REGIONS)
    lines = [
        "[ruleset]",
        'id = "ledger-bench"',
        'office = "Benchmark office"',
        f"years = [{YEAR}]",
        "",
        "[[documents]]",
        'id = "pk"',
        'title = "Perjanjian Kinerja"',
        "",
        "[rounding]",
        'mode = "half-up"',
        "places = 2",
        "",
        "[dimensions.gender]",
        'values = ["L", "P"]',
        "",
        "[dimensions.region]",
        f"values = [{quoted}]",
    ]
    for number in range(1, indicators + 1):
        lines += [
            "",
            "[[indicators]]",
            f'id = "IKU-{number:03d}"',
            f'name = "Indicator {number}"',
            'unit = "Orang"',
            'aggregation = "cumulative"',
            'direction = "higher"',
            'dimensions = ["gender", "region"]',
            f"targets.pk = {{ annual = {1000 * number}, Q1 = {250 * number} }}",
        ]
    return "\n".join(lines) + "\n"


def generate(directory: Path, events: int, indicators: int) -> tuple[Path, list[Path]]:
    """Write the rule set and four quarterly event files; the same size gives the same bytes."""
    rng = random.Random(SEED * 1_000_003 + events)
    rules = directory / "rules.toml"
    rules.write_text(rules_text(indicators), encoding="utf-8")
    files = []
    per_quarter = events // 4
    for quarter in range(4):
        path = directory / f"events-q{quarter + 1}.csv"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("indicator,period,value,gender,region,note\n")
            count = per_quarter + (events % 4 if quarter == 3 else 0)
            for _ in range(count):
                indicator = f"IKU-{rng.randint(1, indicators):03d}"
                month = f"{YEAR}-{3 * quarter + rng.randint(1, 3):02d}"
                note = "late report" if rng.random() < 0.01 else ""
                handle.write(
                    f"{indicator},{month},{rng.randint(1, 20)},"
                    f"{rng.choice(GENDERS)},{rng.choice(REGIONS)},{note}\n"
                )
        files.append(path)
    return rules, files


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def timed_cpu(action: Callable[[], T]) -> tuple[T, float, float]:
    """The result, wall seconds and CPU seconds (user + system of this process) of an action."""
    cpu = time.process_time()
    result, seconds = timed(action)
    return result, seconds, time.process_time() - cpu


def figures(evaluation: ikueval.Evaluation) -> list[object]:
    """The figures of an evaluation, without their sources, to compare two paths."""
    return [
        (r.id, [(a.basis, a.status, a.value) for a in r.achievements])
        for r in evaluation.indicators
    ]


def run(events: int, indicators: int, directory: Path) -> dict[str, float]:
    rules, files = generate(directory, events, indicators)
    ruleset = ikueval.load_rules(rules)

    def by_files(paths: list[Path]) -> ikueval.Ledger:
        return ikueval.read_ledger(ruleset, paths)

    all_files, files_seconds = timed(lambda: by_files(files))
    half_files, half_seconds = timed(lambda: by_files(files[:2]))
    evaluation, evaluate_seconds = timed(lambda: ikueval.evaluate(ruleset, all_files, PERIOD))

    moments = [datetime(YEAR, 4, 5, 2, tzinfo=UTC) + timedelta(days=30 * n) for n in range(6)]
    clock_at = iter(moments)
    store = open_ledger(directory / "ledger.db", clock=lambda: next(clock_at))

    def import_all() -> None:
        for path in files:
            store.import_files([path], actor="bench", rules=rules)
        rng = random.Random(SEED)
        last = store.snapshot().batch.last_entry
        picked = rng.sample(range(1, last + 1), max(2, last // 100))
        withdrawn = picked[: max(1, len(picked) // 10)]
        store.correct(picked[len(withdrawn) :], {"note": "checked"}, reason="bench", actor="b")
        store.withdraw(withdrawn, reason="bench", actor="b")

    _, import_seconds, import_cpu = timed_cpu(import_all)
    latest, latest_seconds = timed(lambda: store.snapshot().ledger())
    half, asof_seconds = timed(lambda: store.snapshot(moments[1]).ledger())
    if figures(ikueval.evaluate(ruleset, half, PERIOD)) != figures(
        ikueval.evaluate(ruleset, half_files, PERIOD)
    ):
        raise SystemExit("the ledger as of Q2 differs from the files of Q1 and Q2")
    if figures(ikueval.evaluate(ruleset, latest, PERIOD)) == figures(evaluation):
        raise SystemExit("the withdrawals changed nothing: the benchmark is not measuring them")
    size = (directory / "ledger.db").stat().st_size / 1e6
    return {
        "files": files_seconds,
        "import": import_seconds,
        "import CPU": import_cpu,
        "latest": latest_seconds,
        "half files": half_seconds,
        "as of Q2": asof_seconds,
        "evaluate": evaluate_seconds,
        "MB": size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="write the files and ledgers here")
    args = parser.parse_args(argv)
    print(
        f"{'events':>9} {'import':>8} {'evaluate':>9} | {'files':>7} {'ledger':>7} {'ratio':>6}"
        f" | {'files Q1-Q2':>11} {'ledger Q2':>9} {'ratio':>6}"
        f" | {'ledger MB':>9} {'import CPU':>10}"
    )
    worst = 0.0
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            directory = args.keep / str(size) if args.keep else Path(scratch)
            directory.mkdir(parents=True, exist_ok=True)
            r = run(size, args.indicators, directory)
        now = (r["latest"] + r["evaluate"]) / (r["files"] + r["evaluate"])
        half = (r["as of Q2"] + r["evaluate"]) / (r["half files"] + r["evaluate"])
        worst = max(worst, now, half)
        print(
            f"{size:>9} {r['import']:>8.2f} {r['evaluate']:>9.2f} | {r['files']:>7.2f}"
            f" {r['latest']:>7.2f} {now:>6.2f} | {r['half files']:>11.2f} {r['as of Q2']:>9.2f}"
            f" {half:>6.2f} | {r['MB']:>9.1f} {r['import CPU']:>10.2f}",
            flush=True,
        )
    print(
        "wall seconds, import CPU in CPU seconds; ratio: (ledger + evaluate) / (files + evaluate)"
    )
    print(f"worst ratio {worst:.2f} (goal: at most {GOAL})")
    return 0 if worst <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
