"""The cost of one new event, through the embedding API.

``python benchmarks/incremental.py RULES EVENTS_DIR --period 2025-Q2``

An application that records events as they happen holds a ledger of the
history and, when one event arrives, wants the new figures of its indicator.
The goal of issue 8 is under 1 ms, whatever the history. A
:class:`ikueval.Ledger` is immutable; ``Ledger.add(event)`` returns a new one
that shares every series but the one the event touches, which it re-checks.
This measures, for the busiest cumulative indicator of the workload:

* ``add``: ``ledger.add(new)`` on the ledger of the history (read with
  ``read_ledger``);
* ``rebuild_ledger``: ``build_ledger`` over the history (kept in memory as
  ``Event`` values, the cheapest case) plus the new event, what an
  application did before ``Ledger.add``;
* ``evaluate_indicator``: the figures of that one indicator from the new
  ledger (``ikueval._evaluation.evaluate_indicator``, not public), with the full
  trail (the API's default), and ``evaluate_indicator_compact`` with the
  compact one (``trail="compact"``, what ``evaluate --format json`` writes);
* ``evaluate_all``: ``ikueval.evaluate`` of the whole rule set;
* ``rebuild_from_files``: ``read_ledger`` from the files, then the new event
  added: what an application without a ledger in memory does.

It prints one JSON object: the best of ``--repeat`` runs of each, in seconds
of wall clock and of CPU time, and the size of the history.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ikueval


def best(repeat: int, run: Callable[[], Any], cpu: dict[str, float], name: str) -> Any:
    """Run ``repeat`` times; return the shortest wall time, keep the shortest CPU time
    in ``cpu[name]``, and the last result."""
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        start, started = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - started)
    cpu[name] = round(min(cpus), 6)
    return round(min(walls), 6), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rules", type=Path)
    parser.add_argument("events", type=Path)
    parser.add_argument("--period", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ruleset = ikueval.load_rules(args.rules)
    history = list(ikueval.read_events(ruleset, [args.events]))
    counts = Counter(e.indicator for e in history)
    indicator = next(
        ruleset.indicator(name)
        for name, _ in counts.most_common()
        if name is not None and ruleset.indicator(name).aggregation.value == "cumulative"  # type: ignore[union-attr]
    )
    assert indicator is not None
    record = {
        "indicator": indicator.id,
        "date": "2025-06-30",
        "value": "1",
        "ref": "new event",
        "dimensions": {name: ruleset.dimensions[name].values[0] for name in indicator.dimensions},
    }
    new = next(iter(ikueval.events_from_records(ruleset, [record])))
    seconds: dict[str, float | None] = {}
    cpu: dict[str, float] = {}
    history_ledger = ikueval.read_ledger(ruleset, [args.events])
    seconds["add"], ledger = best(
        max(args.repeat, 100), lambda: history_ledger.add(new), cpu, "add"
    )
    seconds["rebuild_ledger"], rebuilt = best(
        args.repeat, lambda: ikueval.build_ledger(ruleset, [*history, new]), cpu, "rebuild_ledger"
    )
    assert ikueval.render_json(ikueval.evaluate(ruleset, rebuilt, args.period)) == (
        ikueval.render_json(ikueval.evaluate(ruleset, ledger, args.period))
    ), "Ledger.add gave other figures than a rebuilt ledger"
    del rebuilt
    try:
        from ikueval._evaluation import evaluate_indicator
        from ikueval._periods import Period
        from ikueval._spans import span_periods

        spans = span_periods(Period.parse(args.period))
        seconds["evaluate_indicator"], _ = best(
            args.repeat,
            lambda: evaluate_indicator(ruleset, ledger, indicator, spans),
            cpu,
            "evaluate_indicator",
        )
        compact = ikueval.Trail.COMPACT
        seconds["evaluate_indicator_compact"], _ = best(
            args.repeat,
            lambda: evaluate_indicator(ruleset, ledger, indicator, spans, trail=compact),
            cpu,
            "evaluate_indicator_compact",
        )
    except ImportError:  # the internals moved: only the whole evaluation is measured
        seconds["evaluate_indicator"] = seconds["evaluate_indicator_compact"] = None
    seconds["evaluate_all"], _ = best(
        args.repeat, lambda: ikueval.evaluate(ruleset, ledger, args.period), cpu, "evaluate_all"
    )
    seconds["rebuild_from_files"], _ = best(
        1,
        lambda: ikueval.read_ledger(ruleset, [args.events]).add(new),
        cpu,
        "rebuild_from_files",
    )
    print(
        json.dumps(
            {
                "history": len(history),
                "indicator": indicator.id,
                "indicator_events": counts[indicator.id] + 1,
                "seconds": seconds,
                "cpu_seconds": cpu,
            }
        )
    )


if __name__ == "__main__":
    main()
