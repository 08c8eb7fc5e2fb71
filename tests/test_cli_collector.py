"""The command line tunes the garbage collector for its run and restores it."""

from __future__ import annotations

import gc
import io
from contextlib import redirect_stdout

import pytest

import ikueval._cli as cli
from conftest import EVENTS, RULES
from ikueval._cli import _COLLECTOR_THRESHOLDS, main


def test_the_thresholds_are_restored_after_a_run() -> None:
    before = gc.get_threshold()
    with redirect_stdout(io.StringIO()):
        assert main(["evaluate", str(RULES), str(EVENTS), "--period", "2025-Q2"]) == 0
    assert gc.get_threshold() == before


def test_the_thresholds_are_restored_after_an_error() -> None:
    before = gc.get_threshold()
    assert main(["evaluate", "/nonexistent.toml", str(EVENTS), "--period", "2025-Q2"]) == 2
    assert gc.get_threshold() == before


def test_the_command_runs_with_the_batch_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, ...]] = []

    def spy(*args: object) -> int:
        seen.append(gc.get_threshold())
        return 0

    monkeypatch.setattr(cli, "_evaluate", spy)
    assert cli.main(["evaluate", str(RULES), str(EVENTS), "--period", "2025-Q2"]) == 0
    assert seen == [_COLLECTOR_THRESHOLDS]
