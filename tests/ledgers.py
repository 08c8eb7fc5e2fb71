"""Helpers shared by the tests of the ledger store: a settable clock, a small rule set."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import ikueval
from ikueval._store import SQLiteLedgerStore, open_ledger

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "bp3mi-jateng-2025.toml"
DATA = ROOT / "examples" / "bp3mi-jateng-2025"

#: A small rule set: two plain cumulative indicators with a gender breakdown.
SMALL_RULES = """\
[ruleset]
id = "small"
office = "Office"
years = [2025]

[[documents]]
id = "pk"
title = "PK"

[rounding]
mode = "half-up"
places = 2

[dimensions.gender]
values = ["L", "P"]

[[indicators]]
id = "A"
name = "Persons served"
unit = "Orang"
aggregation = "cumulative"
direction = "higher"
dimensions = ["gender"]
targets.pk = { annual = 100, Q1 = 20, Q2 = 30 }

[[indicators]]
id = "B"
name = "Documents"
unit = "Dokumen"
aggregation = "cumulative"
direction = "higher"
targets.pk = { annual = 10 }
"""


class Clock:
    """A clock the test sets and advances; starts on 1 April 2025, 00:00 UTC."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 4, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, **delta: float) -> datetime:
        self.now += timedelta(**delta) if delta else timedelta(days=1)
        return self.now


def small_rules(directory: Path, text: str = SMALL_RULES) -> Path:
    path = directory / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def events_file(directory: Path, name: str, rows: list[str]) -> Path:
    """A CSV event file of the small rule set: ``indicator,period,value,gender,id`` rows."""
    path = directory / name
    path.write_text("indicator,period,value,gender,id\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def store_at(directory: Path, clock: Clock | None = None) -> SQLiteLedgerStore:
    return open_ledger(directory / "ledger.db", clock=clock or Clock())


def without_sources(data: Any) -> Any:
    """An evaluation's JSON data with every source and note left out (they name files)."""
    if isinstance(data, dict):
        return {k: without_sources(v) for k, v in data.items() if k not in ("sources", "notes")}
    if isinstance(data, list):
        return [without_sources(item) for item in data]
    return data


def figures(evaluation: ikueval.Evaluation) -> Any:
    """Everything an evaluation computed, without where its events came from."""
    return without_sources(json.loads(ikueval.render_json(evaluation)))
