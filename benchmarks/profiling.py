"""Where ikueval spends time and memory on a workload, stage by stage.

``python benchmarks/profiling.py --size 1kx100k --mode cpu`` profiles each stage of
``benchmarks/stages.py`` with cProfile and prints, per stage, the functions
that take the most time (own time and with callees), then the cumulative time
of the functions named in ``WATCH`` over the whole run. ``--save DIR`` keeps
one ``.prof`` file per stage (for ``snakeviz`` or ``pstats``).

``--mode memory`` runs the stages under tracemalloc instead: per stage, the
memory allocated and still held at its end, its peak, and the source lines
holding the most of it.

``--mode breakdown`` times, without a profiler, the pieces of the per-event
cost one at a time (reading the CSV files into rows of cells, the fast path
of a row, the index of ids, adding rows to their series' columns, folding
and checking the series, ``read_ledger`` whole, the evaluation,
unstructuring and encoding the JSON with and without indentation), and the
memory the ledger holds and needs at the peak of reading. It calls internals
of the ingest (``ikueval._loading.fast_rows``, ``ikueval._building``...); when
they change, this mode says so and the other modes still work.

``--mode imports`` prints the slowest imports of ``import ikueval``
(``python -X importtime``).

``--mode startup`` runs ``benchmarks/startup_parts.py`` (``--runs`` times, each
in a fresh interpreter) and prints the median of each piece of the start-up of
``ikueval evaluate`` on the bundled example: the dependencies' import,
ikueval's own import, the first and a second run, and within them the time
attrs takes to build ikueval's classes, cattrs to generate its structuring
functions and ``re`` to compile regular expressions.

The workload is generated under ``--workdir`` as ``benchmarks/run.py`` does.
The results of the profile of today's code are in ``benchmarks/PROFILE.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import workload

HERE = Path(__file__).resolve().parent

#: Functions whose cumulative time is reported over the whole run: the
#: per-event costs named in issue 8. (file suffix, function name)
WATCH = (
    ("loading/events.py", "_parse"),
    ("loading/events.py", "_parse_csv"),
    ("loading/events.py", "_check_file"),
    ("loading/events.py", "_stream"),
    ("loading/events.py", "_column"),
    ("events.py", "event_from_record"),
    ("events.py", "_value"),
    ("events.py", "_period"),
    ("events.py", "_dimensions"),
    ("events.py", "_check_dimension"),
    ("events.py", "_event"),
    ("decimals.py", "parse_number"),
    ("decimals.py", "check_figure"),
    ("decimals.py", "without_exponent"),
    ("decimals.py", "exact_sum"),
    ("periods.py", "parse"),
    ("model.py", "frozen_mapping"),
    ("aggregation.py", "add"),
    ("aggregation.py", "note_source"),
    ("aggregation.py", "freeze"),
    ("aggregation.py", "finish"),
    ("aggregation.py", "_conflicts"),
    ("aggregation.py", "_overlapping"),
    ("aggregation.py", "aggregate"),
    ("combining.py", "combine"),
    ("aggregation.py", "part"),
    ("evaluation.py", "evaluate_indicator"),
    ("evaluation.py", "realise"),
    ("targets.py", "choose_targets"),
    ("targets.py", "target_for"),
    ("achievement.py", "achieve"),
    ("reports/json.py", "evaluation_data"),
    ("json/encoder.py", "_iterencode"),
    ("json/__init__.py", "dumps"),
    ("loading/rules.py", "inspect_rules"),
    ("loading/toml_positions.py", "key_lines"),
)


def stages(
    rules: Path, events: Path, period: str
) -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    """The stages of ``benchmarks/stages.py``, each a function of the previous results."""
    import ikueval

    return [
        ("load_rules", lambda s: ikueval.load_rules(rules)),
        ("read_ledger", lambda s: ikueval.read_ledger(s["load_rules"], [events])),
        (
            "evaluate",
            lambda s: ikueval.evaluate(s["load_rules"], s["read_ledger"], period, trail="compact"),
        ),
        ("render_json", lambda s: ikueval.write_json(s["evaluate"], io.BytesIO())),
    ]


def cpu(rules: Path, events: Path, period: str, top: int, save: Path | None) -> None:
    results: dict[str, Any] = {}
    everything = pstats.Stats()
    first = True
    for name, run in stages(rules, events, period):
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        results[name] = run(results)
        profiler.disable()
        wall = time.perf_counter() - start
        stats = pstats.Stats(profiler)
        if save:
            save.mkdir(parents=True, exist_ok=True)
            stats.dump_stats(save / f"{name}.prof")
        if first:
            everything = pstats.Stats(profiler)
            first = False
        else:
            everything.add(profiler)
        print(f"== {name}: {wall:.2f} s under cProfile")
        print(_top(stats, "tottime", top))
    print("== watched functions, whole run (cumulative s, calls)")
    watched = everything.stats  # type: ignore[attr-defined]
    for suffix, function in WATCH:
        for (file, _, func), (_, calls, _, cumulative, _) in watched.items():
            if func == function and file.endswith(suffix):
                print(f"{cumulative:9.2f}  {calls:>9}  {suffix}:{function}")


def _top(stats: pstats.Stats, key: str, top: int) -> str:
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats(key).print_stats(top)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
    return "\n".join(lines[start : start + top + 1])


def memory(rules: Path, events: Path, period: str, top: int) -> None:
    results: dict[str, Any] = {}
    tracemalloc.start(1)
    for name, run in stages(rules, events, period):
        tracemalloc.reset_peak()
        before = tracemalloc.take_snapshot()
        start = time.perf_counter()
        results[name] = run(results)
        wall = time.perf_counter() - start
        current, peak = tracemalloc.get_traced_memory()
        after = tracemalloc.take_snapshot()
        print(
            f"== {name}: held after it {current / 2**20:.1f} MiB, peak during it "
            f"{peak / 2**20:.1f} MiB ({wall:.1f} s under tracemalloc)"
        )
        for stat in after.compare_to(before, "lineno")[:top]:
            frame = stat.traceback[0]
            print(
                f"  {stat.size_diff / 2**20:+9.1f} MiB  {stat.count_diff:+9d} blocks  "
                f"{_short(frame.filename)}:{frame.lineno}"
            )


def _short(filename: str) -> str:
    for marker in ("/ikueval/", "/lib/python3"):
        if marker in filename:
            return filename[filename.index(marker) + 1 :]
    return filename


def _timed(label: str, run: Callable[[], Any], per: int | None = None) -> Any:
    """Run once; print the wall and CPU seconds (and CPU microseconds per item)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = run()
    spent, cpu = time.perf_counter() - start, time.process_time() - cpu
    each = f"  {cpu / per * 1e6:8.2f} us cpu each" if per else ""
    print(f"{spent:8.3f} s wall {cpu:8.3f} s cpu  {label}{each}")
    return result


def breakdown(rules: Path, events: Path, period: str) -> None:
    import json
    from array import array

    import ikueval

    try:
        from ikueval._building import LedgerBuilder
        from ikueval._loading.csv_events import csv_rows
        from ikueval._loading.event_rows import Cells, CellsRun, Header
        from ikueval._loading.events import event_files
        from ikueval._loading.fast_rows import RuleFacts
        from ikueval._loading.ids import IdIndex
    except ImportError:  # pragma: no cover - the internals moved
        print("the ingest's internals moved: the breakdown needs updating")
        return
    ruleset = ikueval.load_rules(rules)
    files = [f for f in event_files([events]) if f.suffix == ".csv"]
    names = [str(f) for f in files]

    def cells() -> list[tuple[Any, list[str]]]:
        """Every row's cells, with the plan of its file (the CSV reading alone)."""
        facts, found = RuleFacts(ruleset), []
        for file in files:
            plan = None
            for item in csv_rows(file, cells=True):
                if isinstance(item, Header):
                    plan = facts.plan(item.columns, item.number_format)
                elif isinstance(item, Cells):
                    found.append((plan, item.cells))
                elif isinstance(item, CellsRun):  # plain lines of a chunk, split at once
                    found.extend((plan, row) for row in item.rows)
        return found

    rows = _timed("read the CSV files into rows of cells (csv_rows)", cells)
    count = len(rows)
    accepted = _timed(
        "the fast path of every row (fast_rows: period, number, unit, dimensions)",
        lambda: [plan.row(cells) for plan, cells in rows],
        count,
    )
    print(f"  rows the fast path took: {sum(a is not None for a in accepted)} of {count}")
    hashes = array("q")
    _timed(
        "the hashes of ids (what read_ledger notes, compared once at the end)",
        lambda: [hashes.append(hash(a[6])) for a in accepted if a and a[6]] and len(set(hashes)),
        count,
    )
    index = IdIndex()
    _timed(
        "the index of ids (ids.py: each id compared exactly, read_ledger's second reading)",
        lambda: [index.seen(a[6], n) for n, a in enumerate(accepted) if a and a[6]],
        count,
    )
    builder = LedgerBuilder(ruleset, files=names, unique_ids=True)
    _timed(
        "each row into its series' columns (put_row)",
        lambda: [builder.put_row(*a, n) for n, a in enumerate(accepted) if a],
        count,
    )
    ledger = _timed("fold the series into cells and check them (finish)", builder.finish, count)
    _timed("read_ledger, all of it", lambda: ikueval.read_ledger(ruleset, [events]), count)
    _timed(
        "evaluate, compact trail, and write_json (what the command line does)",
        lambda: ikueval.write_json(
            ikueval.evaluate(ruleset, ledger, period, trail="compact"), io.BytesIO()
        ),
        count,
    )
    evaluation = _timed("evaluate, full trail", lambda: ikueval.evaluate(ruleset, ledger, period))
    data = _timed(
        "evaluation_data (cattrs unstructure)", lambda: ikueval.evaluation_data(evaluation)
    )
    text = _timed(
        "json.dumps(indent=2): the pure-Python encoder",
        lambda: json.dumps(data, ensure_ascii=False, indent=2),
    )
    _timed("json.dumps(no indent): the C encoder", lambda: json.dumps(data, ensure_ascii=False))
    print(f"JSON document: {len(text) / 1e6:.1f} MB, {len(text) / count:.0f} bytes per event")
    rows = accepted = []  # the memory below is the ledger's alone
    tracemalloc.start()
    ledger = ikueval.read_ledger(ruleset, [events])
    held, peak = tracemalloc.get_traced_memory()
    cells_held = sum(len(ledger.series[key]) for key in ledger.series)
    print(
        f"memory of the ledger: {held / 2**20:.1f} MiB for {cells_held} cells "
        f"({held / cells_held:.0f} bytes per cell, {held / count:.0f} per event); "
        f"at the peak of reading {peak / 2**20:.1f} MiB ({peak / count:.0f} per event)"
    )
    tracemalloc.stop()


def imports(top: int) -> None:
    found = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import ikueval"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    rows = []
    for line in found.splitlines()[1:]:  # "import time:  OWN | CUMULATIVE | module"
        _, own, cumulative, name = (part.strip() for part in line.replace("|", ":", 3).split(":"))
        rows.append((int(cumulative), int(own), name))
    print("cumulative us   own us  module")
    for total, itself, module in sorted(rows, reverse=True)[:top]:
        print(f"{total:13d} {itself:8d}  {module}")


def startup(runs: int) -> None:
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        child = subprocess.run(
            [sys.executable, str(HERE / "startup_parts.py")],
            capture_output=True,
            text=True,
            check=True,
        )
        for piece, milliseconds in json.loads(child.stdout).items():
            found.setdefault(piece, []).append(milliseconds)
    print(f"median of {runs} runs, ms")
    for piece, values in found.items():
        print(f"{piece:20s} {statistics.median(values):8.1f}")
    own = statistics.median(
        [a + b for a, b in zip(found["import"], found["first_run"], strict=True)]
    )
    print(f"{'ikueval own':20s} {own:8.1f}  (import + first run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1kx100k")
    parser.add_argument("--period", default="2025-Q2")
    parser.add_argument(
        "--mode", choices=("cpu", "memory", "breakdown", "imports", "startup"), default="cpu"
    )
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--runs", type=int, default=7, help="runs of --mode startup")
    parser.add_argument("--workdir", type=Path, default=HERE / ".work")
    parser.add_argument("--save", type=Path, help="folder for one .prof file per stage (cpu)")
    args = parser.parse_args()
    if args.mode == "imports":
        imports(args.top)
        return
    if args.mode == "startup":
        startup(args.runs)
        return
    directory = args.workdir / workload.directory_name(args.size)
    if not (directory / ".complete").exists():
        indicators, events = workload.parse_size(args.size)
        workload.write_workload(indicators, events, directory)
        (directory / ".complete").write_text("", encoding="utf-8")
    rules, events_dir = directory / "rules.toml", directory / "events"
    if args.mode == "cpu":
        cpu(rules, events_dir, args.period, args.top, args.save)
    elif args.mode == "memory":
        memory(rules, events_dir, args.period, args.top)
    else:
        breakdown(rules, events_dir, args.period)


if __name__ == "__main__":
    main()
