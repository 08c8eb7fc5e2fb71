"""Conformance corpus: broken inputs and the exact error text they must produce.

``tests/data/invalid/rules/NAME.toml`` is checked with ``ikueval check``;
``tests/data/invalid/events/NAME.csv`` (or ``.json``) is evaluated with
``ikueval evaluate`` against ``tests/data/invalid/events/rules.toml``;
``tests/data/invalid/published/NAME.toml`` is reconciled with ``ikueval
reconcile`` against the rule set and events of ``tests/data/valid/published``.
Each input sits beside ``NAME.out``: everything the command prints (standard
output, then standard error), then a last line ``[exit N]``. Paths in the
messages are relative to ``tests/data/invalid``, the working directory.

Adding a case is adding two files: write the input, run
``python tests/test_invalid_corpus.py`` to write its ``.out``, and review it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run_cli

CORPUS = Path(__file__).resolve().parent / "data" / "invalid"
RULE_CASES = sorted((CORPUS / "rules").glob("*.toml"))
EVENT_CASES = sorted(p for p in (CORPUS / "events").iterdir() if p.suffix in (".csv", ".json"))
PUBLISHED_CASES = sorted((CORPUS / "published").glob("*.toml"))
#: The rule set and events the published-figures cases are reconciled against.
PUBLISHED_BASE = ["../valid/published/rules.toml", "../valid/published/events.csv"]


def rule_args(case: Path) -> list[str]:
    return ["check", f"rules/{case.name}"]


def event_args(case: Path) -> list[str]:
    return ["evaluate", "events/rules.toml", f"events/{case.name}", "--period", "2025-Q2"]


def published_args(case: Path) -> list[str]:
    return ["reconcile", *PUBLISHED_BASE, "--published", f"published/{case.name}"]


#: Each kind of case, with the command that runs it.
KINDS: list[tuple[list[Path], Callable[[Path], list[str]]]] = [
    (RULE_CASES, rule_args),
    (EVENT_CASES, event_args),
    (PUBLISHED_CASES, published_args),
]


def run(args: list[str]) -> str:
    return run_cli(*args, cwd=CORPUS).transcript


def expected(case: Path) -> str:
    return case.with_suffix(".out").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", RULE_CASES, ids=[p.stem for p in RULE_CASES])
def test_broken_rule_set(case: Path) -> None:
    assert run(rule_args(case)) == expected(case)


@pytest.mark.parametrize("case", EVENT_CASES, ids=[p.name for p in EVENT_CASES])
def test_broken_event_file(case: Path) -> None:
    assert run(event_args(case)) == expected(case)


@pytest.mark.parametrize("case", PUBLISHED_CASES, ids=[p.stem for p in PUBLISHED_CASES])
def test_broken_published_figures(case: Path) -> None:
    assert run(published_args(case)) == expected(case)


def test_the_corpus_is_complete() -> None:
    cases = [*RULE_CASES, *EVENT_CASES, *PUBLISHED_CASES]
    assert len(cases) >= 40
    missing = [p.name for p in cases if not p.with_suffix(".out").exists()]
    assert missing == []
    inputs = {p.stem for p in cases}
    orphans = [p.name for p in CORPUS.rglob("*.out") if p.stem not in inputs]
    assert orphans == []


def test_the_base_rule_set_of_event_cases_is_valid() -> None:
    assert run(["check", "events/rules.toml"]) == (
        "events/rules.toml: valid, 5 indicators\n[exit 0]\n"
    )


def _write_missing() -> None:  # pragma: no cover - a tool for adding cases
    """Write the .out file of every case that has none, for a person to review."""
    for cases, args in KINDS:
        for case in cases:
            if not case.with_suffix(".out").exists():
                case.with_suffix(".out").write_text(run(args(case)), encoding="utf-8")
                print(f"wrote {case.with_suffix('.out')}: review it")


if __name__ == "__main__":  # pragma: no cover
    _write_missing()
