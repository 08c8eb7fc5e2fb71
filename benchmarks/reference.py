"""The pandas script a data analyst would write instead of ikueval.

``python benchmarks/reference.py RULES EVENTS_DIR --period 2025-Q2 -o figures.json``

It computes, for every indicator of a workload of ``benchmarks/workload.py``
(dated events in CSV files, targets in the rule set), the figures of
``ikueval evaluate`` for one period (a quarter, a month or the year), with the
semantics of ``docs/concepts.md``:

* realisation of the period and to date: ``cumulative`` is the sum of the
  values; ``latest`` the total of the last day with events; ``average`` the
  mean of the daily totals (values of one day add up, whatever their
  dimensions);
* targets of the period, to date (the quarters or months so far, combined by
  the indicator's aggregation) and of the year (declared, or built from the
  four quarters);
* the achievement on the four bases, ``realisation / target x 100`` or, lower
  being better, the rule set's ``2t-r`` or ``t/r``, with its status, unrounded
  and rounded as the rule set declares.

The heavy part (reading and adding up the events) is vectorised pandas; values
are added up as whole hundredths (``int64``), exact for the workloads, which
write at most two decimals. The per-indicator arithmetic at the end is
``decimal`` with the contexts of ``ikueval._decimals`` (40 significant digits
for a division), so that the figures can be compared digit for digit. Nothing
is validated: that is the difference with ikueval.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from calendar import monthrange
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

DIVISION = Context(prec=40, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)
EXACT = Context(prec=120, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)
ROUNDING = {"half-up": ROUND_HALF_UP, "down": ROUND_DOWN, "half-even": ROUND_HALF_EVEN}
HUNDRED = Decimal(100)

#: Which realisation and which target each basis compares.
BASES = {
    "period": ("period", "period"),
    "period_vs_annual": ("period", "annual"),
    "to_date": ("to_date", "annual"),
    "to_date_vs_target_to_date": ("to_date", "to_date"),
}


def read_events(directory: Path) -> pd.DataFrame:
    """Every CSV file of the directory: indicator, date and value in hundredths."""
    frames = []
    for path in sorted(directory.glob("*.csv")):
        skip, indonesian = 0, False
        with path.open(encoding="utf-8-sig") as lines:
            for line in lines:
                if not line.startswith("#"):
                    break
                skip += 1
                indonesian |= line.replace(" ", "").strip() == "#:number_format=indonesian"
        options: dict[str, Any] = {"sep": ","}
        if indonesian:
            options = {"sep": ";", "thousands": ".", "decimal": ","}
        frames.append(
            pd.read_csv(path, skiprows=skip, usecols=["indicator", "date", "value"], **options)
        )
    events = pd.concat(frames, ignore_index=True)
    events["date"] = pd.to_datetime(events["date"], format="%Y-%m-%d")
    events["cents"] = np.rint(events["value"].to_numpy(dtype="float64") * 100).astype("int64")
    return events


def spans(period: str) -> dict[str, tuple[date, date]]:
    """First and last day of the period and of the span to date."""
    year = int(period[:4])
    if len(period) == 4:
        start, end = date(year, 1, 1), date(year, 12, 31)
    elif period[5] == "Q":
        quarter = int(period[6])
        start = date(year, 3 * quarter - 2, 1)
        end = date(year, 3 * quarter, monthrange(year, 3 * quarter)[1])
    else:
        month = int(period[5:7])
        start, end = date(year, month, 1), date(year, month, monthrange(year, month)[1])
    return {"period": (start, end), "to_date": (date(year, 1, 1), end)}


def realisations(events: pd.DataFrame, period: str) -> dict[str, pd.DataFrame]:
    """Per span and indicator: the sum, the number of days and the last day's total."""
    daily = events.groupby(["indicator", "date"], sort=True)["cents"].sum().reset_index()
    found = {}
    for name, (start, end) in spans(period).items():
        inside = daily[
            (daily["date"] >= pd.Timestamp(start)) & (daily["date"] <= pd.Timestamp(end))
        ]
        grouped = inside.groupby("indicator", sort=False)["cents"]
        found[name] = pd.DataFrame(
            {"total": grouped.sum(), "days": grouped.size(), "last": grouped.last()}
        )
    return found


def realisation(aggregation: str, row: Any) -> Decimal | None:
    """The realisation of one indicator over a span, from its row of :func:`realisations`."""
    if row is None:
        return None
    total = Decimal(int(row.total)).scaleb(-2, context=EXACT)
    if aggregation == "cumulative":
        return total
    if aggregation == "latest":
        return Decimal(int(row.last)).scaleb(-2, context=EXACT)
    return DIVISION.divide(total, Decimal(int(row.days)))


def declared_targets(rules: dict[str, Any], indicator: dict[str, Any]) -> dict[str, Decimal]:
    """Slot -> target, the first document in the precedence order winning."""
    order = [
        *rules.get("targets", {}).get("precedence", []),
        *(d["id"] for d in rules["documents"]),
    ]
    by_document = indicator.get("targets", {})
    found: dict[str, Decimal] = {}
    for document in dict.fromkeys(order):
        for slot, value in by_document.get(document, {}).items():
            found.setdefault(slot, Decimal(value))
    return found


def exact_sum(values: list[Decimal]) -> Decimal:
    total = Decimal(0)
    for value in values:
        total = EXACT.add(total, value)
    return total


def combine(method: str, values: list[Decimal]) -> Decimal:
    """Targets of consecutive periods combined: sum, the last one, or the mean."""
    if method == "cumulative":
        return exact_sum(values)
    if method == "latest":
        return values[-1]
    return DIVISION.divide(exact_sum(values), Decimal(len(values)))


def cover(slots: dict[str, Decimal], slot: str) -> list[Decimal] | None:
    """The targets that make up a slot: declared, or built from its quarters or months."""
    if slot in slots:
        return [slots[slot]]
    if slot == "annual":
        parts = [cover(slots, f"Q{q}") for q in (1, 2, 3, 4)]
    elif slot.startswith("Q"):
        quarter = int(slot[1])
        parts = [cover(slots, f"M{m:02d}") for m in range(3 * quarter - 2, 3 * quarter + 1)]
    else:
        return None
    if any(part is None for part in parts):
        return None
    return [value for part in parts for value in part or []]


def targets(slots: dict[str, Decimal], method: str, period: str) -> dict[str, Decimal | None]:
    """The targets of the period, to date and of the year."""
    if len(period) == 4:
        own, so_far = "annual", ["annual"]
    elif period[5] == "Q":
        quarter = int(period[6])
        own, so_far = f"Q{quarter}", [f"Q{q}" for q in range(1, quarter + 1)]
    else:
        month = int(period[5:7])
        own, so_far = f"M{month:02d}", [f"M{m:02d}" for m in range(1, month + 1)]
    found: dict[str, Decimal | None] = {}
    for name, parts in (("period", [own]), ("to_date", so_far), ("annual", ["annual"])):
        values: list[Decimal] = []
        for slot in parts:
            covered = cover(slots, slot)
            if covered is None:
                found[name] = None
                break
            values.extend(covered)
        else:
            found[name] = combine(method, values)
    return found


def percentage(numerator: Decimal, denominator: Decimal) -> Decimal:
    return DIVISION.divide(DIVISION.multiply(numerator, HUNDRED), denominator)


def achievement(
    realised: Decimal | None, target: Decimal | None, higher: bool, lower: str | None
) -> tuple[str, Decimal | None]:
    """Status and unrounded achievement (ikueval's statuses, ``docs/concepts.md``)."""
    if realised is None:
        return "no_realisation", None
    if target is None:
        return "no_target", None
    if target == 0:
        return "target_zero", None
    if higher:
        return "computed", percentage(realised, target)
    if lower == "2t-r":
        twice = DIVISION.multiply(Decimal(2), target)
        return "computed", percentage(EXACT.subtract(twice, realised), target)
    if realised == 0:
        return "undefined", None
    return "computed", percentage(target, realised)


def text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def figures(rules: dict[str, Any], events: pd.DataFrame, period: str) -> dict[str, Any]:
    """The figures of every indicator for the period, as JSON-ready data."""
    found = realisations(events, period)
    rows = {
        name: dict(zip(frame.index, frame.itertuples(), strict=True))
        for name, frame in found.items()
    }
    rounding = rules["rounding"]
    quantum = Decimal(1).scaleb(-int(rounding["places"]))
    mode = ROUNDING[rounding["mode"]]
    lower = rules.get("achievement", {}).get("lower_is_better")
    cap = rules.get("achievement", {}).get("cap")
    indicators = []
    for indicator in rules["indicators"]:
        method = indicator["aggregation"]
        realised = {name: realisation(method, rows[name].get(indicator["id"])) for name in rows}
        target_method = indicator.get("target_aggregation", method)
        target = targets(declared_targets(rules, indicator), target_method, period)
        limit = indicator.get("cap", cap)
        achieved, statuses, unrounded = {}, {}, {}
        for basis, (r_name, t_name) in BASES.items():
            status, value = achievement(
                realised[r_name], target[t_name], indicator["direction"] == "higher", lower
            )
            if value is not None and limit is not None:
                value = min(value, Decimal(limit))
            statuses[basis] = status
            unrounded[basis] = text(value)
            achieved[basis] = text(
                None if value is None else value.quantize(quantum, rounding=mode)
            )
        indicators.append(
            {
                "id": indicator["id"],
                "realisations": {
                    name: {
                        "status": "computed" if value is not None else "no_realisation",
                        "value": text(value),
                    }
                    for name, value in realised.items()
                },
                "targets": {
                    name: {
                        "status": "computed" if value is not None else "no_target",
                        "value": text(value),
                    }
                    for name, value in target.items()
                },
                "achievement": achieved,
                "status": statuses,
                "unrounded": unrounded,
            }
        )
    return {"period": period, "indicators": indicators}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rules", type=Path)
    parser.add_argument("events", type=Path, help="the directory of the CSV files")
    parser.add_argument("--period", required=True, help="2025-Q2, 2025-05 or 2025")
    parser.add_argument("-o", "--output", type=Path, help="JSON file (default: standard output)")
    parser.add_argument("--timings", action="store_true", help="print stage times on stderr")
    args = parser.parse_args(argv)
    clock = [time.perf_counter()]
    rules = tomllib.loads(args.rules.read_text(encoding="utf-8"), parse_float=Decimal)
    events = read_events(args.events)
    clock.append(time.perf_counter())
    data = figures(rules, events, args.period)
    clock.append(time.perf_counter())
    document = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        args.output.write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)
    clock.append(time.perf_counter())
    if args.timings:
        stages = ("read", "figures", "write")
        spent = {s: round(b - a, 4) for s, a, b in zip(stages, clock, clock[1:], strict=False)}
        print(json.dumps(spent), file=sys.stderr)


if __name__ == "__main__":
    main()
