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
cost one at a time (splitting the files into rows, converting rows into
events, parsing numbers and dates, building ``Event`` objects, the ledger's
``add`` and ``finish``, the evaluation, unstructuring and encoding the JSON
with and without indentation), and the memory held by events and by the
ledger. It calls private functions of today's code (``ikueval.loading.events``);
when they change, this mode says so and the other modes still work.

``--mode imports`` prints the slowest imports of ``import ikueval``
(``python -X importtime``).

The workload is generated under ``--workdir`` as ``benchmarks/run.py`` does.
The results of the profile of today's code are in ``benchmarks/PROFILE.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
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
        ("evaluate", lambda s: ikueval.evaluate(s["load_rules"], s["read_ledger"], period)),
        ("render_json", lambda s: ikueval.render_json(s["evaluate"])),
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
    from decimal import Decimal

    import ikueval
    from ikueval.decimals import NumberFormat, parse_number
    from ikueval.periods import Period

    try:
        from ikueval.loading import events as loading
    except ImportError:  # pragma: no cover - the internals moved
        print("ikueval.loading.events is gone: the breakdown needs updating")
        return
    needed = ("event_files", "_parse", "_event", "_check_file")
    if not all(hasattr(loading, name) for name in needed):
        print(f"ikueval.loading.events lacks one of {needed}: the breakdown needs updating")
        return
    ruleset = ikueval.load_rules(rules)
    files = loading.event_files([events])
    parsed = _timed(
        "split the files into rows (_parse: csv module, header check per row)",
        lambda: [(f, loading._parse(f)) for f in files],
    )
    rows = [(f, p.number_format, row) for f, p in parsed for row in p.rows]
    count = len(rows)
    converted = _timed(
        "convert every row into a checked Event (event_from_record)",
        lambda: [loading._event(ruleset, f, row, fmt) for f, fmt, row in rows],
        count,
    )
    _timed(
        "check the files whole (read_events: _parse + event_from_record + ids)",
        lambda: [loading._check_file(ruleset, f, {}) for f in files],
        count,
    )
    values = [row.fields["value"] for _, _, row in rows]
    formats = [fmt for _, fmt, _ in rows]
    _timed(
        "  of which parse_number alone",
        lambda: [parse_number(v, f) for v, f in zip(values, formats, strict=True)],
        count,
    )
    dates = [row.fields["date"] for _, _, row in rows]
    _timed("  of which Period.parse alone", lambda: [Period.parse(d) for d in dates], count)
    _timed(
        "  of which Event(...) alone (attrs, frozen mapping of dimensions)",
        lambda: [
            ikueval.Event(e.indicator, e.period, e.value, e.input, dict(e.dimensions), e.id,
                          e.unit, e.document, e.table, e.note, e.source)
            for e in converted
        ],
        count,
    )  # fmt: skip
    plain = [
        v.replace(".", "").replace(",", ".") if f is NumberFormat.INDONESIAN else v
        for v, f in zip(values, formats, strict=True)
    ]
    _timed("  (for comparison: Decimal(text) alone)", lambda: [Decimal(v) for v in plain], count)
    ledger = _timed(
        "build the ledger from Event values in memory",
        lambda: ikueval.build_ledger(ruleset, converted),
        count,
    )
    evaluation = _timed("evaluate", lambda: ikueval.evaluate(ruleset, ledger, period))
    data = _timed(
        "evaluation_data (cattrs unstructure)", lambda: ikueval.evaluation_data(evaluation)
    )
    text = _timed(
        "json.dumps(indent=2): the pure-Python encoder",
        lambda: json.dumps(data, ensure_ascii=False, indent=2),
    )
    _timed("json.dumps(no indent): the C encoder", lambda: json.dumps(data, ensure_ascii=False))
    print(f"JSON document: {len(text) / 1e6:.1f} MB, {len(text) / count:.0f} bytes per event")
    bases = sum(
        len(json.dumps(i["bases"], ensure_ascii=False, indent=2)) for i in data["indicators"]
    )
    print(f"  of which the trail under indicators[].bases: {bases / len(text):.0%}")
    tracemalloc.start()
    again = [loading._event(ruleset, f, row, fmt) for f, fmt, row in rows]
    held = tracemalloc.get_traced_memory()[0]
    print(f"memory of the Event values: {held / 2**20:.1f} MiB, {held / count:.0f} bytes per event")
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    ledger = ikueval.build_ledger(ruleset, again)
    held = tracemalloc.get_traced_memory()[0] - before
    cells = sum(len(s.cells) for s in ledger.series.values())
    print(
        f"memory of the ledger: {held / 2**20:.1f} MiB for {cells} cells "
        f"({held / cells:.0f} bytes per cell, {held / count:.0f} per event)"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1kx100k")
    parser.add_argument("--period", default="2025-Q2")
    parser.add_argument("--mode", choices=("cpu", "memory", "breakdown", "imports"), default="cpu")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--workdir", type=Path, default=HERE / ".work")
    parser.add_argument("--save", type=Path, help="folder for one .prof file per stage (cpu)")
    args = parser.parse_args()
    if args.mode == "imports":
        imports(args.top)
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
