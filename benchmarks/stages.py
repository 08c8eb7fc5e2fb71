"""ikueval in one process, stage by stage, through the public API.

``python benchmarks/stages.py RULES EVENTS_DIR --period 2025-Q2 -o OUT.json``
runs what ``ikueval evaluate --format json`` does, timing each stage:

* ``import``: ``import ikueval``;
* ``load_rules``: ``ikueval.load_rules`` (read and check the rule set);
* ``read_ledger``: ``ikueval.read_ledger``, which reads every file once,
  checking each row and adding it to the ledger in the same pass (with
  ``--workers N``, in N processes);
* ``evaluate``: ``ikueval.evaluate`` of every indicator on every basis, with
  the trail the command line writes (``--trail``, compact by default);
* ``render_json``: ``ikueval.write_json``, the document rendered and written
  to the file an indicator at a time (``write`` is the closing of the file).

It prints one JSON object on standard output: the seconds of each stage (wall
clock, and CPU time of this process), the resident memory after each stage
and its high-water mark so far (MiB, from ``/proc/self/status``), the number
of events and the size of the document.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def memory() -> dict[str, float]:
    """Resident memory now and at its highest so far, in MiB (Linux; empty elsewhere)."""
    found = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    found["rss" if key == "VmRSS" else "peak"] = round(
                        int(value.split()[0]) / 1024, 1
                    )
    except OSError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rules", type=Path)
    parser.add_argument("events", type=Path)
    parser.add_argument("--period", required=True)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--trail", choices=("compact", "full"), default="compact")
    parser.add_argument(
        "--until",
        choices=("read_ledger", "evaluate", "write"),
        default="write",
        help="stop after this stage (to measure the ingest of a large size without its output)",
    )
    args = parser.parse_args()
    seconds: dict[str, float] = {}
    cpu_seconds: dict[str, float] = {}
    memory_after: dict[str, dict[str, float]] = {}
    clock, cpu = time.perf_counter(), time.process_time()

    def stage(name: str) -> None:
        nonlocal clock, cpu
        seconds[name] = round(time.perf_counter() - clock, 4)
        cpu_seconds[name] = round(time.process_time() - cpu, 4)
        memory_after[name] = memory()
        clock, cpu = time.perf_counter(), time.process_time()

    import ikueval

    stage("import")
    ruleset = ikueval.load_rules(args.rules)
    stage("load_rules")
    ledger = ikueval.read_ledger(ruleset, [args.events], workers=args.workers)
    stage("read_ledger")
    if args.until != "read_ledger":
        evaluation = ikueval.evaluate(ruleset, ledger, args.period, trail=args.trail)
        stage("evaluate")
    if args.until == "write":
        with args.output.open("wb") as file:
            ikueval.write_json(evaluation, file)
            stage("render_json")
        stage("write")
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "memory": memory_after,
                "events": ledger.events_read,
                "indicators": len(ruleset.indicators),
                "output_bytes": args.output.stat().st_size if args.until == "write" else 0,
            }
        )
    )


if __name__ == "__main__":
    main()
