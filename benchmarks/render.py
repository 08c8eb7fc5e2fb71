"""How long rendering a report takes, against the evaluation it shows.

``python benchmarks/render.py [--repeat N]`` measures, on the bundled example
(BP3MI Jawa Tengah, 2025-Q2), the median processor time of:

* the evaluation: loading the rule file, reading the event files and
  evaluating every period the report shows (2025-Q1 and 2025-Q2), which is
  what ``ikueval report`` does before it renders anything;
* rendering: building the report model from those evaluations, then writing
  it as HTML, as XLSX and as Markdown.

Processor time, not wall time, so that other work on a shared machine does
not count. It exits with 1 when building and writing the HTML or the XLSX
takes longer than the evaluation: a report is a view, and must stay cheaper
than the figures it shows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import ikueval
from ikueval._loading import inspect_rule_file
from ikueval._reports import (
    Lang,
    build_report,
    measured_periods,
    render_html,
    render_markdown,
    render_xlsx,
)

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "bp3mi-jateng-2025.toml"
EVENTS = ROOT / "examples" / "bp3mi-jateng-2025"
PERIOD = "2025-Q2"


def median_ms(work: Callable[[], object], repeat: int) -> float:
    """The median processor time of ``work`` in milliseconds, after one warm-up run."""
    work()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> int:
    """Measure, print a table, and exit 1 when rendering costs more than evaluating."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs per measurement")
    args = parser.parse_args()

    def evaluate_all() -> list[ikueval.Evaluation]:
        ruleset = inspect_rule_file(RULES).require()
        ledger = ikueval.read_ledger(ruleset, [EVENTS])
        return [ikueval.evaluate(ruleset, ledger, period) for period in measured_periods(PERIOD)]

    ruleset = ikueval.load_rules(RULES)
    measured = evaluate_all()
    evaluation = measured[-1]
    report = build_report(evaluation, ruleset, measured=measured)
    timings = {
        "evaluation (load, read, evaluate 2025-Q1 and 2025-Q2)": median_ms(
            evaluate_all, args.repeat
        ),
        "build the report model": median_ms(
            lambda: build_report(evaluation, ruleset, measured=measured), args.repeat
        ),
        "write HTML": median_ms(lambda: render_html(report, lang=Lang.ID), args.repeat),
        "write XLSX": median_ms(lambda: render_xlsx(report, lang=Lang.ID), args.repeat),
        "write Markdown": median_ms(lambda: render_markdown(report, lang=Lang.ID), args.repeat),
    }
    for name, ms in timings.items():
        print(f"{name:<55} {ms:7.1f} ms")
    evaluation_ms, build_ms = list(timings.values())[:2]
    failed = False
    for name in ("HTML", "XLSX"):
        total = build_ms + timings[f"write {name}"]
        ratio = total / evaluation_ms
        print(f"{'build + write ' + name:<55} {total:7.1f} ms  ({ratio:.2f} x the evaluation)")
        failed = failed or total >= evaluation_ms
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
