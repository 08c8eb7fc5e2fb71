"""The inputs the fuzzer starts from: the real example files and the test corpus.

A :class:`Scenario` is what a user hands to ikueval in one go: a rule file,
event files, perhaps a published-figures file, and a period. Its files are
kept as bytes under the relative names they get in the fuzzer's working
directory, so that every output names the same short paths whatever the
machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[2]
DATA: Final = ROOT / "tests" / "data"
SEEDS: Final = Path(__file__).resolve().parent / "seeds"

#: The relative names of a scenario's files in the working directory.
RULES: Final = "rules.toml"
PUBLISHED: Final = "published.toml"
EVENTS_DIR: Final = "events"


@dataclass(frozen=True)
class Scenario:
    """One set of input files and the period they are evaluated for.

    Args:
        name: for messages (``bp3mi-2025-Q2``, ``events-corpus/not-a-number.csv``).
        files: content by relative path (``rules.toml``, ``events/x.csv``,
            ``published.toml``).
        events: the event arguments of the command line: files, or the
            directory ``events`` itself.
        period: the period evaluated (``reconcile`` takes the published one).
        weight: how often the scenario is drawn, relative to the others.
    """

    name: str
    files: Mapping[str, bytes]
    events: tuple[str, ...]
    period: str
    weight: float = 1.0

    @property
    def published(self) -> str | None:
        """The published-figures file, if the scenario has one."""
        return PUBLISHED if PUBLISHED in self.files else None


def kind_of(path: str) -> str:
    """``toml``, ``csv`` or ``json``: the format of a file, from its name."""
    return path.rsplit(".", 1)[-1]


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _period_of(published: bytes, default: str) -> str:
    found = re.search(rb'^period\s*=\s*"([^"]*)"', published, re.MULTILINE)
    return found.group(1).decode() if found else default


def _bp3mi() -> list[Scenario]:
    example = ROOT / "examples" / "bp3mi-jateng-2025"
    events = {
        f"{EVENTS_DIR}/{p.name}": _read(p)
        for p in sorted(example.iterdir())
        if p.suffix in (".csv", ".json")
    }
    files = {
        RULES: _read(ROOT / "rules" / "bp3mi-jateng-2025.toml"),
        PUBLISHED: _read(example / "published-2025-Q2.toml"),
        **events,
    }
    directory = Scenario("bp3mi-2025-Q2", files, (EVENTS_DIR,), "2025-Q2", weight=30)
    by_file = [
        Scenario("bp3mi-2025-Q1, files", files, tuple(sorted(events)), "2025-Q1", weight=4),
        Scenario("bp3mi-2025, files", files, tuple(sorted(events)), "2025", weight=4),
        Scenario("bp3mi-2025-06", files, (EVENTS_DIR,), "2025-06", weight=2),
    ]
    return [directory, *by_file]


def _semarang() -> Scenario:
    files = {
        RULES: _read(ROOT / "rules" / "upt-bp2mi-semarang-2020-2024.toml"),
        f"{EVENTS_DIR}/semarang-2021.csv": _read(SEEDS / "semarang-2021.csv"),
    }
    return Scenario("semarang-2021", files, (EVENTS_DIR,), "2021", weight=10)


def _event_corpus() -> list[Scenario]:
    folder = DATA / "invalid" / "events"
    rules = _read(folder / "rules.toml")
    cases = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".json"))
    weight = 10 / len(cases)
    return [
        Scenario(
            f"events-corpus/{case.name}",
            {RULES: rules, f"{EVENTS_DIR}/{case.name}": _read(case)},
            (f"{EVENTS_DIR}/{case.name}",),
            "2025-Q2",
            weight,
        )
        for case in cases
    ]


def _published_corpus() -> list[Scenario]:
    valid = DATA / "valid" / "published"
    base = {
        RULES: _read(valid / "rules.toml"),
        f"{EVENTS_DIR}/events.csv": _read(valid / "events.csv"),
        f"{EVENTS_DIR}/spending.csv": _read(valid / "spending.csv"),
    }
    accepted = [c for c in sorted(valid.glob("*.toml")) if c.name != "rules.toml"]
    refused = sorted((DATA / "invalid" / "published").glob("*.toml"))
    scenarios = []
    for case in [*accepted, *refused]:
        published = _read(case)
        scenarios.append(
            Scenario(
                f"published-corpus/{case.parent.parent.name}/{case.name}",
                {**base, PUBLISHED: published},
                (EVENTS_DIR,),
                _period_of(published, "2025-Q2"),
                (8 / len(accepted)) if case in accepted else (6 / len(refused)),
            )
        )
    return scenarios


def _valid_corpus() -> list[Scenario]:
    """The cases of the valid corpus: small rule sets of every feature, with their events."""
    cases = sorted(p for p in (DATA / "valid" / "evaluate").iterdir() if p.is_dir())
    scenarios = []
    for case in cases:
        events = {
            f"{EVENTS_DIR}/{p.name}": _read(p)
            for p in sorted(case.iterdir())
            if p.name.startswith("events") and p.suffix in (".csv", ".json")
        }
        periods = list(json.loads(_read(case / "expected.json")))
        scenarios.append(
            Scenario(
                f"valid-corpus/{case.name}",
                {RULES: _read(case / "rules.toml"), **events},
                (EVENTS_DIR,),
                periods[-1],
                12 / len(cases),
            )
        )
    return scenarios


def _rule_corpus() -> list[Scenario]:
    events = _read(DATA / "valid" / "published" / "events.csv")
    cases = sorted((DATA / "invalid" / "rules").glob("*.toml"))
    weight = 8 / len(cases)
    return [
        Scenario(
            f"rules-corpus/{case.name}",
            {RULES: _read(case), f"{EVENTS_DIR}/events.csv": events},
            (EVENTS_DIR,),
            "2025-Q2",
            weight,
        )
        for case in cases
    ]


def scenarios() -> list[Scenario]:
    """Every scenario, in a fixed order (the fuzzer's draws depend on it)."""
    return [
        *_bp3mi(),
        _semarang(),
        *_event_corpus(),
        *_published_corpus(),
        *_valid_corpus(),
        *_rule_corpus(),
    ]


def files_of_kind(all_scenarios: Sequence[Scenario], kind: str) -> list[bytes]:
    """The distinct contents of every file of one kind, for splicing lines between files."""
    seen: dict[bytes, None] = {}
    for scenario in all_scenarios:
        for path, content in scenario.files.items():
            if kind_of(path) == kind:
                seen.setdefault(content)
    return list(seen)
