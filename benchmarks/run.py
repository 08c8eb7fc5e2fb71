"""The benchmark of issue 8: ikueval against the pandas script, side by side.

``python benchmarks/run.py --sizes 100x10k,1kx100k`` generates each workload once
(``benchmarks/workload.py``, cached under ``--workdir``), then, per size, runs
as separate processes, one after the other:

* ``ikueval evaluate RULES EVENTS --period P --format json`` (the command line,
  standard output to a file);
* ``benchmarks/stages.py``: the same through the API, timing each stage;
* ``benchmarks/reference.py``: the pandas script that computes the same figures.

and prints one table: the wall time of each, ikueval's stages, the ratio to
pandas, and the peak resident memory of each process (``ru_maxrss`` of that
child, from ``os.wait4``). Then the start-up figure (``ikueval evaluate`` on the
bundled example against importing its dependencies) and the incremental figure
(``benchmarks/incremental.py``: one new event on a history). Everything is also
written as JSON (``--json``) for later comparison. Nothing is asserted about
the times. ``--check`` also compares the figures of both outputs
(``benchmarks/check.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import workload

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Above this many events, today's code needs minutes and gigabytes (issue 8).
LARGE = 500_000
STARTUP_RUNS = 7


def run_child(
    command: list[str], stdout: Path | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run a process to its end: wall seconds, CPU seconds, peak RSS (MiB), output.

    Standard output goes to ``stdout`` when given (and is not returned). The
    child is reaped with ``os.wait4``, which gives the resources of that child
    alone. Its peak RSS counts this process's pages until the child executes
    its program, so this process imports neither ikueval nor pandas and does
    all the heavy work in children: its own size (about 16 MiB) is the floor
    of every peak reported.
    """
    with tempfile.TemporaryDirectory(prefix="ikueval-bench-") as scratch:
        out_path = stdout or Path(scratch) / "stdout"
        err_path = Path(scratch) / "stderr"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors = err_path.read_text(encoding="utf-8", errors="replace")
        captured = "" if stdout else out_path.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        said = (captured[-2000:] + errors[-2000:]).strip()
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}:\n{said}")
    return {
        "wall": round(wall, 4),
        "cpu": round(usage.ru_utime + usage.ru_stime, 4),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
        "stdout": captured,
        "stderr": errors,
    }


def ikueval_command() -> list[str]:
    """The ``ikueval`` script beside this Python, or ``python -m ikueval``."""
    script = shutil.which("ikueval", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ikueval"]


def measure_size(
    size: str, period: str, workdir: Path, compare: bool, workers: int = 1
) -> dict[str, Any]:
    """The three processes on one workload (ikueval's reading files in ``workers`` processes)."""
    parallel = ["--workers", str(workers)] if workers > 1 else []
    indicators, events = workload.parse_size(size)
    if events > LARGE:
        print(
            f"{size}: today's code needs minutes and gigabytes at this size "
            "(issue 8: 6 minutes and 13 GB for 1M events)",
            file=sys.stderr,
        )
    print(f"{size}: generating / reusing the workload", file=sys.stderr)
    rules, events_dir = ensure_workload(size, workdir)
    out = rules.parent
    print(f"{size}: pandas", file=sys.stderr)
    pandas = run_child(
        [sys.executable, str(HERE / "reference.py"), str(rules), str(events_dir),
         "--period", period, "-o", str(out / "pandas.json"), "--timings"]
    )  # fmt: skip
    pandas["stages"] = json.loads(pandas.pop("stderr").strip().splitlines()[-1])
    print(f"{size}: ikueval evaluate (command line)", file=sys.stderr)
    cli = run_child(
        [*ikueval_command(), "evaluate", str(rules), str(events_dir), "--period", period,
         "--format", "json", *parallel],
        stdout=out / "ikueval.json",
    )  # fmt: skip
    cli["output_bytes"] = (out / "ikueval.json").stat().st_size
    print(f"{size}: ikueval through the API, per stage", file=sys.stderr)
    api = run_child(
        [sys.executable, str(HERE / "stages.py"), str(rules), str(events_dir),
         "--period", period, "-o", str(out / "ikueval-api.json"), *parallel]
    )  # fmt: skip
    api.update(json.loads(api.pop("stdout")))
    for child in (pandas, cli, api):
        child.pop("stdout", None)
        child.pop("stderr", None)
    result: dict[str, Any] = {
        "size": size,
        "workers": workers,
        "indicators": indicators,
        "events": api["events"],
        "period": period,
        "pandas": pandas,
        "cli": cli,
        "api": api,
        "ratio_cli": round(cli["wall"] / pandas["wall"], 1),
        "ratio_cli_cpu": round(cli["cpu"] / pandas["cpu"], 1),
        "ratio_api": round(api["wall"] / pandas["wall"], 1),
    }
    if compare:  # in a child too: this process stays small (see run_child)
        print(f"{size}: comparing the figures", file=sys.stderr)
        compared = run_child(
            [sys.executable, str(HERE / "check.py"), "--compare",
             str(out / "ikueval.json"), str(out / "pandas.json")]
        )  # fmt: skip
        result["check"] = compared["stdout"].strip()
    return result


def ensure_workload(size: str, workdir: Path) -> tuple[Path, Path]:
    """The rule file and events folder of a size, generated once (in a child process)."""
    directory = workdir / workload.directory_name(size)
    if not (directory / ".complete").exists():
        run_child([sys.executable, str(HERE / "workload.py"), size, str(directory)])
    return directory / "rules.toml", directory / "events"


def startup(runs: int = STARTUP_RUNS) -> dict[str, Any]:
    """``ikueval evaluate`` on the bundled example against bare imports, best and median.

    Compiled bytecode is allowed (``PYTHONDONTWRITEBYTECODE`` is dropped) and
    each command runs once before it is timed, so that ikueval's modules load
    from ``__pycache__`` like its dependencies' do (pip compiles those when it
    installs them; an editable install of ikueval is compiled on first use).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "dependencies": [sys.executable, "-c", "import attrs, cattrs, simpleeval, tomli_w"],
        "import_ikueval": [sys.executable, "-c", "import ikueval"],
        "evaluate_example": [
            *ikueval_command(), "evaluate", "rules/bp3mi-jateng-2025.toml",
            "examples/bp3mi-jateng-2025/", "--period", "2025-Q2",
        ],
    }  # fmt: skip
    found: dict[str, Any] = {}
    for name, command in commands.items():
        run_child(command, env=env)
        children = [run_child(command, env=env) for _ in range(runs)]
        walls = [child["wall"] for child in children]
        found[name] = {
            "best": min(walls),
            "median": round(statistics.median(walls), 4),
            "best_cpu": min(child["cpu"] for child in children),
        }
    found["ratio"] = round(found["evaluate_example"]["best"] / found["dependencies"]["best"], 2)
    found["ratio_cpu"] = round(
        found["evaluate_example"]["best_cpu"] / found["dependencies"]["best_cpu"], 2
    )
    found["runs"] = runs
    return found


def incremental(size: str, period: str, workdir: Path) -> dict[str, Any]:
    """One new event on the history of a workload (``benchmarks/incremental.py``)."""
    rules, events_dir = ensure_workload(size, workdir)
    child = run_child(
        [sys.executable, str(HERE / "incremental.py"), str(rules), str(events_dir),
         "--period", period]
    )  # fmt: skip
    return {"size": size, "peak_mib": child["peak_mib"], **json.loads(child["stdout"])}


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": commit or None,
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(results: dict[str, Any]) -> str:
    """The figures for people: one row per size, then start-up and incremental."""
    head = (
        "size", "events", "CLI s", "load", "read", "evaluate", "render", "write",
        "API s", "pandas s", "CLI/pd", "cpu CLI/pd", "peak MiB CLI", "API", "pandas", "JSON MB",
    )  # fmt: skip
    rows = [head]
    for r in results["sizes"]:
        s = r["api"]["seconds"]
        rows.append(
            (
                r["size"], str(r["events"]), _s(r["cli"]["wall"]), _s(s["load_rules"]),
                _s(s["read_ledger"]), _s(s["evaluate"]),
                _s(s["render_json"]), _s(s["write"]), _s(r["api"]["wall"]),
                _s(r["pandas"]["wall"]), f"{r['ratio_cli']}x", f"{r['ratio_cli_cpu']}x",
                f"{r['cli']['peak_mib']:.0f}", f"{r['api']['peak_mib']:.0f}",
                f"{r['pandas']['peak_mib']:.0f}", f"{r['cli']['output_bytes'] / 1e6:.1f}",
            )
        )  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(
        "CLI s: ikueval evaluate --format json, whole process; load..write: the API stages "
        "(stages.py), API s: that whole process; pandas s: reference.py, whole process; "
        "times are wall clock, cpu CLI/pd compares CPU seconds (user + system)."
    )
    if "startup" in results:
        st = results["startup"]
        lines.append(
            f"start-up (best of {st['runs']}): ikueval evaluate on the bundled example "
            f"{st['evaluate_example']['best'] * 1000:.0f} ms; import attrs, cattrs, simpleeval, "
            f"tomli_w {st['dependencies']['best'] * 1000:.0f} ms; import ikueval "
            f"{st['import_ikueval']['best'] * 1000:.0f} ms; bare python "
            f"{st['python']['best'] * 1000:.0f} ms; ratio {st['ratio']}x in wall time, "
            f"{st['ratio_cpu']}x in CPU time (goal: under 2x)"
        )
    if "incremental" in results:
        inc = results["incremental"]
        sec = inc["seconds"]
        lines.append(
            f"incremental ({inc['size']}, history {inc['history']} events, one new event of "
            f"{inc['indicator']}): Ledger.add {_ms(sec['add'])} + evaluate the indicator "
            f"{_ms(sec['evaluate_indicator'])} (full trail), "
            f"{_ms(sec.get('evaluate_indicator_compact'))} (compact) (goal: under 1 ms); "
            "rebuilding the ledger "
            f"instead {_s(sec['rebuild_ledger'])} s, from the files "
            f"{_s(sec['rebuild_from_files'])} s; all indicators {_s(sec['evaluate_all'])} s"
        )
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="100x10k,1kx100k",
        help="comma-separated sizes (smoke, 100x10k, 1kx100k, 10kx1M or any NxM), or none",
    )
    parser.add_argument("--period", default="2025-Q2")
    parser.add_argument("--workdir", type=Path, default=HERE / ".work")
    parser.add_argument(
        "--json", type=Path, help="where to write the results (default: WORKDIR/results.json)"
    )
    parser.add_argument("--check", action="store_true", help="also compare the figures per size")
    parser.add_argument(
        "--workers", type=int, default=1, help="ikueval reads the event files in N processes"
    )
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument(
        "--startup-runs", type=int, default=STARTUP_RUNS, help="runs of each start-up command"
    )
    parser.add_argument(
        "--incremental",
        default="1kx100k",
        help="size whose history the incremental figure uses ('none' to skip)",
    )
    args = parser.parse_args()
    sizes = [] if args.sizes == "none" else list(workload.iter_sizes(args.sizes))
    results: dict[str, Any] = {"machine": machine(), "period": args.period, "sizes": []}
    for size in sizes:
        results["sizes"].append(
            measure_size(size, args.period, args.workdir, args.check, args.workers)
        )
    if not args.no_startup:
        print("start-up", file=sys.stderr)
        results["startup"] = startup(args.startup_runs)
    if args.incremental != "none":
        print(f"incremental on {args.incremental}", file=sys.stderr)
        results["incremental"] = incremental(args.incremental, args.period, args.workdir)
    path = args.json or args.workdir / "results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"(results in {path})")


if __name__ == "__main__":
    main()
