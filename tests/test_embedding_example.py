"""examples/embedding.py runs from the repository root and prints the real figures."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from conftest import ROOT, run_python

SCRIPT = ROOT / "examples" / "embedding.py"


def run_example() -> subprocess.CompletedProcess[Any]:
    return run_python(SCRIPT)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    result = run_example()
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.splitlines()


def test_the_example_prints_the_four_bases_of_the_repatriation_indicator(lines: list[str]) -> None:
    assert lines[0] == "embedding-demo 2025-Q2 (to date 2025-Q1..2025-Q2)"
    assert lines[1:5] == [
        "  IKU-06 period: 120.00",
        "  IKU-06 period_vs_annual: 33.64",
        "  IKU-06 to_date: 108.41",
        "  IKU-06 to_date_vs_target_to_date: 232.00",
    ]


def test_the_example_computes_a_ratio_from_object_events_and_reports_a_missing_target(
    lines: list[str],
) -> None:
    assert "  IKU-08 period: 87.50" in lines
    assert "  IKU-08 to_date: 87.50" in lines
    assert (
        "  IKU-08 to_date_vs_target_to_date: no_target "
        "(no target is declared for 2025-Q1 (nor for each of its months))"
    ) in lines


def test_the_example_shows_the_trail_and_replays_the_figure(lines: list[str]) -> None:
    start = lines.index("IKU-06 to date: 116 from 3 parts against 107 (pk-2025)")
    assert lines[start + 1 : start + 6] == [
        "  2025-Q1: 80 from Tabel 3",
        "  2025-Q2 [gender=L]: 21 from record[1]",
        "  2025-Q2 [gender=P]: 15 from record[2]",
        "  unrounded 108.4112149532710280373831775700934579439",
        "  replayed 108.41",
    ]


def test_the_example_shows_that_floats_are_refused(lines: list[str]) -> None:
    assert (
        "refused: value: 80.0 is a float: pass numbers as Decimal, int or text so that no "
        "digit is lost"
    ) in lines


def test_the_example_evaluates_the_bundled_rule_set_and_data(lines: list[str]) -> None:
    start = lines.index("BP3MI Jawa Tengah: 20 indicators, 2025-Q2")
    assert lines[start + 1 :] == [
        "  IKU-06 to_date: 108.41",
        "  IKU-07 to_date: 44.75",
        "  IKU-04 to_date: none (no realisation in 2025-Q1..2025-Q2 (reported as '-'))",
        "  roll-up all: 72.10",
    ]


def test_the_example_output_is_deterministic(lines: list[str]) -> None:
    assert run_example().stdout.splitlines() == lines
