"""A synthetic national workload: a rule set and a year of dated events.

``python benchmarks/workload.py 1kx100k DIRECTORY`` writes ``DIRECTORY/rules.toml``
and ``DIRECTORY/events/*.csv``; the same size and seed always give the same
bytes. The sizes are described in ``benchmarks/README.md``; any ``NxM`` works
(``k`` and ``M`` suffixes: ``250x40k``).

What makes the workload honest, rather than easy:

* indicators of eight kinds (counts, cases, rupiah, training hours, percentages,
  scores, service days), with ``cumulative``, ``latest`` and ``average``
  aggregation, higher and lower direction (``[achievement] lower_is_better``
  declared), whole and decimal values;
* targets from two documents: the annual target of the performance agreement
  and quarterly targets of the action plan that fit it (the rule set loads
  without a warning); some indicators have only an annual target (no target
  for a quarter), some only quarterly ones (the year is built from them), and
  some cumulative ones a zero target in Q2 (``target_zero``);
* events dated by working day across 2025, in four quarterly files as offices
  export them (Q1 and Q3 from an Indonesian spreadsheet: ``;``, ``1.250.000``,
  ``87,5``), with a record id, unit, document, table and a few notes;
* event counts per indicator skewed (a few busy indicators, many quiet ones);
  some indicators have no event in Q2, some none before July, some none at all;
* dimensions that never overlap: the counts are broken down by gender, or by
  gender and province, always the same way for one indicator (a total beside
  its own breakdown is refused by ikueval as double counting); percentages,
  scores and durations have one value per working day and no dimension.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import functools
import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final

YEAR: Final = 2025
SEED: Final = 2025

#: Named sizes: indicators x events. ``smoke`` is for CI; the other three are
#: the sizes of issue 8.
SIZES: Final = {
    "smoke": (20, 2_000),
    "100x10k": (100, 10_000),
    "1kx100k": (1_000, 100_000),
    "10kx1M": (10_000, 1_000_000),
}

#: Values of ``latest`` and ``average`` indicators: at most one per working day.
MAX_DAILY_EVENTS: Final = 200

GENDERS: Final = ("L", "P")
PROVINCES: Final = (
    "Aceh",
    "Sumatera Utara",
    "Sumatera Barat",
    "Riau",
    "Jambi",
    "Sumatera Selatan",
    "Bengkulu",
    "Lampung",
    "Kepulauan Bangka Belitung",
    "Kepulauan Riau",
    "DKI Jakarta",
    "Jawa Barat",
    "Jawa Tengah",
    "DI Yogyakarta",
    "Jawa Timur",
    "Banten",
    "Bali",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Kalimantan Barat",
    "Kalimantan Tengah",
    "Kalimantan Selatan",
    "Kalimantan Timur",
    "Kalimantan Utara",
    "Sulawesi Utara",
    "Sulawesi Tengah",
    "Sulawesi Selatan",
    "Sulawesi Tenggara",
    "Gorontalo",
    "Sulawesi Barat",
    "Maluku",
    "Maluku Utara",
    "Papua",
    "Papua Barat",
    "Papua Selatan",
    "Papua Tengah",
    "Papua Pegunungan",
    "Papua Barat Daya",
)


@dataclass(frozen=True)
class Kind:
    """A kind of indicator: what it counts and how its values look."""

    name: str
    unit: str
    aggregation: str
    direction: str
    table: str
    low: int
    """Smallest value, in hundredths."""
    high: int
    """Largest value, in hundredths."""
    step: int
    """Values are multiples of this, in hundredths (100: whole numbers)."""
    target: int
    """For latest and average: the annual target, in hundredths."""


KINDS: Final = (
    Kind("Jumlah PMI yang ditempatkan", "Orang", "cumulative", "higher", "Lampiran II",
         100, 4_000, 100, 0),
    Kind("Jumlah kasus PMI bermasalah", "Kasus", "cumulative", "lower", "Lampiran IV",
         100, 600, 100, 0),
    Kind("Nilai remitansi yang difasilitasi", "Rupiah", "cumulative", "higher", "Lampiran VI",
         25_000_000, 7_500_000_000, 100_000, 0),
    Kind("Jam pelatihan calon PMI", "Jam", "cumulative", "higher", "Lampiran V",
         50, 800, 25, 0),
    Kind("Persentase pengaduan yang diselesaikan", "%", "latest", "higher", "Tabel 3",
         6_000, 10_000, 1, 9_000),
    Kind("Indeks kepuasan layanan", "Nilai", "average", "higher", "Tabel 4",
         6_000, 10_000, 1, 8_500),
    Kind("Rata-rata waktu penyelesaian layanan", "Hari", "average", "lower", "Tabel 4",
         100, 1_300, 10, 700),
    Kind("Persentase dokumen yang ditolak", "%", "latest", "lower", "Tabel 3",
         0, 1_000, 1, 500),
)  # fmt: skip

# How targets are declared (share of the indicators).
FULL, ANNUAL_ONLY, QUARTERS_ONLY, ZERO_Q2 = "full", "annual-only", "quarters-only", "zero-q2"
TARGET_SHARES: Final = {ANNUAL_ONLY: 0.10, QUARTERS_ONLY: 0.08, ZERO_Q2: 0.04}
# When events happen (share of the indicators).
ALL_YEAR, NO_Q2, SECOND_HALF, NO_EVENTS = "all-year", "no-q2", "second-half", "none"
ACTIVITY_SHARES: Final = {NO_Q2: 0.10, SECOND_HALF: 0.05, NO_EVENTS: 0.03}
# How counts are broken down (share of the cumulative indicators).
DIMENSION_SHARES: Final = {(): 0.3, ("gender",): 0.3, ("gender", "province"): 0.4}
#: Share of the rows with a note.
NOTE_SHARE: Final = 0.02
NOTES: Final = ("entered late", "corrected after verification", "from the regional office")


@dataclass(frozen=True)
class Indicator:
    """One generated indicator."""

    number: int
    kind: Kind
    dimensions: tuple[str, ...]
    targets: str
    activity: str
    events: int
    annual: int
    """The annual target, in hundredths."""
    quarters: tuple[int, int, int, int]
    """The quarterly targets, in hundredths."""

    @property
    def id(self) -> str:
        return f"IKU-{self.number:05d}"


def parse_size(text: str) -> tuple[int, int]:
    """``"1kx100k"`` -> ``(1000, 100000)``; named sizes as in :data:`SIZES`."""
    if text in SIZES:
        return SIZES[text]
    match = re.fullmatch(r"([0-9]+[kM]?)x([0-9]+[kM]?)", text)
    if not match:
        raise ValueError(f"a size is NxM (e.g. 1kx100k) or one of {', '.join(SIZES)}: {text!r}")
    return _count(match[1]), _count(match[2])


def _count(text: str) -> int:
    scale = {"k": 1_000, "M": 1_000_000}.get(text[-1], 1)
    return int(text.rstrip("kM")) * scale


@functools.cache
def working_days(quarter: int) -> tuple[date, ...]:
    """Monday to Friday of one quarter of :data:`YEAR`."""
    first = date(YEAR, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    last = date(YEAR, last_month, calendar.monthrange(YEAR, last_month)[1])
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return tuple(days)


ACTIVE_QUARTERS: Final = {
    ALL_YEAR: (1, 2, 3, 4),
    NO_Q2: (1, 3, 4),
    SECOND_HALF: (3, 4),
    NO_EVENTS: (),
}


def _assign(rng: random.Random, count: int, shares: dict[str, float], rest: str) -> list[str]:
    """Spread labels over ``count`` items: at least one of each share when there is room."""
    labels: list[str] = []
    for label, share in shares.items():
        wanted = max(1, round(count * share)) if count >= 2 * len(shares) else 0
        labels.extend([label] * wanted)
    labels = labels[:count]
    labels.extend([rest] * (count - len(labels)))
    rng.shuffle(labels)
    return labels


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders), exactly."""
    weight_sum = sum(weights)
    if weight_sum == 0:
        return [0] * len(weights)
    shares = [total * w / weight_sum for w in weights]
    counts = [math.floor(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan(indicators: int, events: int, seed: int = SEED) -> list[Indicator]:
    """The indicators of a workload: kinds, dimensions, targets and event counts."""
    rng = random.Random(f"{seed}:{indicators}:{events}")
    kinds = [KINDS[i % len(KINDS)] for i in range(indicators)]
    rng.shuffle(kinds)
    activities = _assign(rng, indicators, ACTIVITY_SHARES, ALL_YEAR)
    cumulative = [i for i, kind in enumerate(kinds) if kind.aggregation == "cumulative"]
    others = [i for i, kind in enumerate(kinds) if kind.aggregation != "cumulative"]
    target_kinds = [FULL] * indicators
    # A zero quarterly target only makes sense for counts: cumulative indicators.
    zero = _assign(rng, len(cumulative), {ZERO_Q2: TARGET_SHARES[ZERO_Q2] * 2}, FULL)
    for i, label in zip(cumulative, zero, strict=True):
        target_kinds[i] = label
    shares = {k: v for k, v in TARGET_SHARES.items() if k != ZERO_Q2}
    for i in range(indicators):
        if target_kinds[i] == FULL and rng.random() < sum(shares.values()):
            target_kinds[i] = rng.choices(list(shares), weights=list(shares.values()))[0]
    for label in shares:  # each kind of target at least once (small sizes)
        if label not in target_kinds and others:
            target_kinds[others[list(shares).index(label) % len(others)]] = label
    layouts = list(DIMENSION_SHARES)
    counted = set(cumulative)
    dimensions = [
        rng.choices(layouts, weights=list(DIMENSION_SHARES.values()))[0] if i in counted else ()
        for i in range(indicators)
    ]
    for n, layout in enumerate(layouts):  # each breakdown at least once (small sizes)
        if layout not in dimensions and len(cumulative) > n:
            dimensions[cumulative[n]] = layout
    weights = [
        0.0 if activities[i] == NO_EVENTS else rng.lognormvariate(0, 0.9) for i in range(indicators)
    ]
    counts = _allocate(events, weights)
    # Daily values (latest, average) have at most one event per working day:
    # move what is over to the counts.
    excess = 0
    for i in others:
        days = sum(len(working_days(q)) for q in ACTIVE_QUARTERS[activities[i]])
        cap = min(MAX_DAILY_EVENTS, days)
        if counts[i] > cap:
            excess += counts[i] - cap
            counts[i] = cap
    active_cumulative = [i for i in cumulative if activities[i] != NO_EVENTS]
    if excess and active_cumulative:
        extra = _allocate(excess, [weights[i] for i in active_cumulative])
        for i, more in zip(active_cumulative, extra, strict=True):
            counts[i] += more
    result = []
    for i in range(indicators):
        annual, quarters = _targets(rng, kinds[i], target_kinds[i], counts[i])
        result.append(
            Indicator(
                i + 1,
                kinds[i],
                dimensions[i],
                target_kinds[i],
                activities[i],
                counts[i],
                annual,
                quarters,
            )
        )
    return result


def _targets(
    rng: random.Random, kind: Kind, how: str, events: int
) -> tuple[int, tuple[int, int, int, int]]:
    """The annual and quarterly targets, in hundredths, that fit each other."""
    if kind.aggregation == "cumulative":
        mean = (kind.low + kind.high) / 2
        expected = max(events, 10) * mean * rng.uniform(0.8, 1.25)
        annual = max(100, round(expected / 100)) * 100  # targets are whole numbers
        if how == ZERO_Q2:
            shares = [rng.uniform(0.2, 0.3), 0.0, rng.uniform(0.2, 0.3)]
        else:
            shares = [rng.uniform(0.18, 0.3) for _ in range(3)]
        first = [math.floor(annual * s / 100) * 100 for s in shares]
        return annual, (first[0], first[1], first[2], annual - sum(first))
    annual = kind.target
    sign = 1 if kind.direction == "higher" else -1
    if kind.aggregation == "latest":  # rising to the year's target in Q4
        steps = [6, 4, 2] if kind.step == 1 else [3, 2, 1]
        first = [annual - sign * s * 100 for s in steps]
        return annual, (first[0], first[1], first[2], annual)
    deltas = [-150, -50, 50]  # around the year's target, whose mean they keep
    first = [annual + sign * d for d in deltas]
    return annual, (first[0], first[1], first[2], 4 * annual - sum(first))


def _number(hundredths: int, indonesian: bool) -> str:
    """A value as an office writes it: ``1250000``, ``87.5``; ``1.250.000``, ``87,5``."""
    whole, cents = divmod(abs(hundredths), 100)
    sign = "-" if hundredths < 0 else ""
    digits = f"{whole:,}".replace(",", ".") if indonesian else str(whole)
    if not cents:
        return sign + digits
    fraction = f"{cents:02d}".rstrip("0")
    return f"{sign}{digits}{',' if indonesian else '.'}{fraction}"


def _toml_number(hundredths: int) -> str:
    whole, cents = divmod(hundredths, 100)
    text = f"{whole:_}" if whole >= 10_000 else str(whole)
    return text if not cents else f"{text}.{cents:02d}".rstrip("0")


def rules_text(indicators: Sequence[Indicator], name: str) -> str:
    """The rule set of a workload, as TOML."""
    lines = [
        f"# ikueval rule set: synthetic national workload {name} (benchmarks/workload.py).",
        "",
        "[ruleset]",
        f'id = "bench-{name}"',
        'office = "BP2MI (synthetic workload)"',
        f"years = [{YEAR}]",
        "",
        "[[documents]]",
        f'id = "pk-{YEAR}"',
        f'title = "Perjanjian Kinerja Tahun {YEAR}"',
        'kind = "pk"',
        "",
        "[[documents]]",
        f'id = "rencana-aksi-{YEAR}"',
        f'title = "Rencana Aksi Tahun {YEAR} (quarterly targets)"',
        'kind = "other"',
        "",
        "[targets]",
        f'precedence = ["pk-{YEAR}", "rencana-aksi-{YEAR}"]',
        "",
        "[rounding]",
        'mode = "half-up"',
        "places = 2",
        "",
        "[achievement]",
        'lower_is_better = "2t-r"',
        "",
        "[dimensions.gender]",
        'values = ["L", "P"]',
        "",
        "[dimensions.province]",
        "values = [" + ", ".join(f'"{p}"' for p in PROVINCES) + "]",
    ]
    for indicator in indicators:
        kind = indicator.kind
        lines += [
            "",
            "[[indicators]]",
            f'id = "{indicator.id}"',
            f'name = "{kind.name} ({indicator.number})"',
            f'unit = "{kind.unit}"',
            f'aggregation = "{kind.aggregation}"',
            f'direction = "{kind.direction}"',
        ]
        if indicator.dimensions:
            lines.append("dimensions = [" + ", ".join(f'"{d}"' for d in indicator.dimensions) + "]")
        if indicator.targets != QUARTERS_ONLY:
            lines.append(f"targets.pk-{YEAR} = {{ annual = {_toml_number(indicator.annual)} }}")
        if indicator.targets != ANNUAL_ONLY:
            slots = ", ".join(
                f"Q{q} = {_toml_number(v)}" for q, v in enumerate(indicator.quarters, start=1)
            )
            lines.append(f"targets.rencana-aksi-{YEAR} = {{ {slots} }}")
    return "\n".join(lines) + "\n"


Row = tuple[date, int, int, tuple[str, ...]]  # day, indicator index, hundredths, dimension values


def quarter_rows(indicators: Sequence[Indicator], quarter: int, seed: int = SEED) -> list[Row]:
    """The events of one quarter, sorted by day."""
    rng = random.Random(f"{seed}:{len(indicators)}:{quarter}")
    days = working_days(quarter)
    rows: list[Row] = []
    for index, indicator in enumerate(indicators):
        active = ACTIVE_QUARTERS[indicator.activity]
        if quarter not in active:
            continue
        lengths = [len(working_days(q)) for q in active]
        count = _allocate(indicator.events, lengths)[active.index(quarter)]
        kind = indicator.kind
        if kind.aggregation == "cumulative":
            chosen = [rng.choice(days) for _ in range(count)]
        else:  # one value per day
            chosen = rng.sample(days, count)
        for day in chosen:
            dims: tuple[str, ...] = ()
            if "gender" in indicator.dimensions:
                dims = (rng.choice(GENDERS),)
            if "province" in indicator.dimensions:
                dims = (*dims, rng.choice(PROVINCES))
            rows.append((day, index, rng.randrange(kind.low, kind.high + 1, kind.step), dims))
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


HEADER: Final = ("id", "indicator", "date", "value", "unit", "gender", "province",
                 "document", "table", "note")  # fmt: skip


def write_workload(indicators: int, events: int, directory: Path, seed: int = SEED) -> Path:
    """Write ``rules.toml`` and ``events/*.csv`` into ``directory``; returns the rules path."""
    name = f"{_label(indicators)}x{_label(events)}"
    planned = plan(indicators, events, seed)
    directory.mkdir(parents=True, exist_ok=True)
    rules = directory / "rules.toml"
    rules.write_text(rules_text(planned, name), encoding="utf-8")
    event_dir = directory / "events"
    event_dir.mkdir(exist_ok=True)
    number = 0
    for quarter in (1, 2, 3, 4):
        indonesian = quarter in (1, 3)
        rows = quarter_rows(planned, quarter, seed)
        rng = random.Random(f"{seed}:notes:{quarter}")
        path = event_dir / f"{YEAR}-q{quarter}-register.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(f"# Register of {YEAR}-Q{quarter}: one row per recorded realisation.\n")
            if indonesian:
                out.write(
                    "# Exported from the regional spreadsheet.\n#: number_format = indonesian\n"
                )
            writer = csv.writer(out, delimiter=";" if indonesian else ",", lineterminator="\n")
            writer.writerow(HEADER)
            for day, index, hundredths, dims in rows:
                number += 1
                indicator = planned[index]
                gender = dims[0] if dims else ""
                province = dims[1] if len(dims) > 1 else ""
                note = rng.choice(NOTES) if rng.random() < NOTE_SHARE else ""
                writer.writerow(
                    (
                        f"EV-{YEAR}-{number:07d}",
                        indicator.id,
                        day.isoformat(),
                        _number(hundredths, indonesian),
                        indicator.kind.unit,
                        gender,
                        province,
                        f"laporan-{YEAR}-q{quarter}",
                        indicator.kind.table,
                        note,
                    )
                )
    return rules


def _label(count: int) -> str:
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    if count >= 1_000 and count % 1_000 == 0:
        return f"{count // 1_000}k"
    return str(count)


def directory_name(size: str, seed: int = SEED) -> str:
    """The folder of a workload under a work directory: ``1kx100k-seed2025``."""
    indicators, events = parse_size(size)
    return f"{_label(indicators)}x{_label(events)}-seed{seed}"


def iter_sizes(text: str) -> Iterator[str]:
    """The sizes of a comma-separated list, checked."""
    for size in text.split(","):
        size = size.strip()
        parse_size(size)
        yield size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", help=f"NxM, e.g. 1kx100k, or one of {', '.join(SIZES)}")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    indicators, events = parse_size(args.size)
    rules = write_workload(indicators, events, args.directory, args.seed)
    (args.directory / ".complete").write_text("", encoding="utf-8")
    print(f"{rules} and {args.directory / 'events'}: {indicators} indicators, {events} events")


if __name__ == "__main__":
    main()
