"""Check that ikueval and the pandas reference script agree on every figure.

``python benchmarks/check.py [--size smoke] [--periods 2025-Q1,...]`` generates a
workload (``benchmarks/workload.py``), evaluates it with ikueval and with
``benchmarks/reference.py`` for several periods, and compares, per indicator,
the status and value of both realisations and the three targets, and the
status, unrounded and rounded value of the four achievements. It exits with 1
and lists the differences when they disagree, and also when the workload does
not exercise what it should (every status, aggregation and direction).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import tomllib
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import reference
import workload

import ikueval

#: Periods checked by default: every quarter, a month and the year.
PERIODS = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025-05", "2025")
#: Statuses the default workload must produce for 2025-Q2.
EXPECTED_STATUSES = {"computed", "no_realisation", "no_target", "target_zero"}


def _same_number(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


def compare(ours: dict[str, Any], theirs: dict[str, Any]) -> tuple[int, list[str]]:
    """Figures compared and differences between ikueval's JSON data and the reference's."""
    differences: list[str] = []
    compared = 0
    expected = {item["id"]: item for item in theirs["indicators"]}
    found = {item["id"] for item in ours["indicators"]}
    if found != set(expected):
        differences.append(f"indicators differ: {sorted(found ^ set(expected))[:5]}")
    for item in ours["indicators"]:
        other = expected.get(item["id"])
        if other is None:
            continue
        where = f"{ours['period']} {item['id']}"
        for group in ("realisations", "targets"):
            for span, figure in other[group].items():
                mine = item[group][span]
                compared += 1
                if mine["status"] != figure["status"] or not _same_number(
                    mine["value"], figure["value"]
                ):
                    differences.append(
                        f"{where} {group}.{span}: ikueval {mine['status']} {mine['value']}, "
                        f"pandas {figure['status']} {figure['value']}"
                    )
        for basis, status in other["status"].items():
            compared += 1
            unrounded = item["bases"][basis]["unrounded"]
            if (
                item["status"][basis] != status
                or item["achievement"][basis] != other["achievement"][basis]
                or not _same_number(unrounded, other["unrounded"][basis])
            ):
                differences.append(
                    f"{where} achievement.{basis}: ikueval {item['status'][basis]} "
                    f"{item['achievement'][basis]} ({unrounded}), pandas {status} "
                    f"{other['achievement'][basis]} ({other['unrounded'][basis]})"
                )
    return compared, differences


def coverage(data: dict[str, Any], rules: dict[str, Any]) -> list[str]:
    """What the workload fails to exercise (empty when it covers everything)."""
    missing = []
    statuses = Counter(s for item in data["indicators"] for s in item["status"].values())
    missing += [f"no achievement is {s}" for s in sorted(EXPECTED_STATUSES - set(statuses))]
    kinds = {(i["aggregation"], i["direction"]) for i in rules["indicators"]}
    for aggregation in ("cumulative", "latest", "average"):
        for direction in ("higher", "lower"):
            if (aggregation, direction) not in kinds:
                missing.append(f"no {aggregation} {direction}-is-better indicator")
    decimals = [
        item
        for item in data["indicators"]
        if "." in (item["realisations"]["period"]["value"] or "")
        and Decimal(item["realisations"]["period"]["value"]) % 1
    ]
    if not decimals:
        missing.append("no realisation with decimals")
    return missing


def check(size: str, directory: Path, periods: list[str]) -> int:
    """Generate, evaluate, compare; return the exit code."""
    indicators, events = workload.parse_size(size)
    rules_path = workload.write_workload(indicators, events, directory)
    events_dir = directory / "events"
    report = ikueval.inspect_rules(rules_path.read_text(encoding="utf-8"))
    problems = [str(p) for p in report.problems]
    ruleset = ikueval.load_rules(rules_path)
    ledger = ikueval.read_ledger(ruleset, [events_dir])
    rules = tomllib.loads(rules_path.read_text(encoding="utf-8"), parse_float=Decimal)
    frame = reference.read_events(events_dir)
    compared = 0
    differences: list[str] = []
    for period in periods:
        ours = ikueval.evaluation_data(ikueval.evaluate(ruleset, ledger, period, trail="compact"))
        theirs = reference.figures(rules, frame, period)
        count, found = compare(ours, theirs)
        compared += count
        differences += found
        if period == "2025-Q2":
            problems += coverage(ours, rules)
    for line in problems[:20] + differences[:20]:
        print(line)
    if problems or differences:
        print(
            f"check {size}: {len(differences)} of {compared} figures differ, "
            f"{len(problems)} problems with the workload"
        )
        return 1
    print(
        f"check {size}: ikueval and pandas agree on all {compared} figures "
        f"({indicators} indicators, {ledger.events_read} events, periods {', '.join(periods)})"
    )
    return 0


def compare_files(ours: Path, theirs: Path) -> int:
    """Compare ikueval's JSON document with the reference's; return the exit code."""
    with ours.open(encoding="utf-8") as mine, theirs.open(encoding="utf-8") as other:
        compared, differences = compare(json.load(mine), json.load(other))
    for line in differences[:20]:
        print(line)
    if differences:
        print(f"{len(differences)} of {compared} figures differ")
        return 1
    print(f"ikueval and pandas agree on all {compared} figures")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="smoke", help="a size of benchmarks/workload.py")
    parser.add_argument("--periods", default=",".join(PERIODS))
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("IKUEVAL_JSON", "PANDAS_JSON"),
        help="only compare two outputs (of ikueval evaluate --format json and reference.py)",
    )
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare_files(*args.compare))
    with tempfile.TemporaryDirectory(prefix="ikueval-check-") as scratch:
        sys.exit(check(args.size, Path(scratch), args.periods.split(",")))


if __name__ == "__main__":
    main()
