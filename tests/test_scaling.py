"""Offices evaluated in separate processes give what they give one after the other
(docs/scaling.md, "One ledger per office")."""

from __future__ import annotations

import functools
import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import ikueval

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three small offices of the benchmark's generator, each with its own rule set."""
    folder = tmp_path_factory.mktemp("offices")
    found = []
    for seed in (1, 2, 3):
        office = folder / f"office-{seed}"
        generator = ROOT / "benchmarks" / "workload.py"
        subprocess.run(
            [sys.executable, str(generator), "10x300", str(office), "--seed", str(seed)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        found.append(office)
    return found


@pytest.mark.parametrize("period", ["2025-Q2", "2025"])
def test_offices_evaluated_in_processes_match_one_after_the_other(
    offices: list[Path], period: str
) -> None:
    rulesets = [ikueval.load_rules(office / "rules.toml") for office in offices]
    paths = [[office / "events"] for office in offices]
    evaluate = functools.partial(ikueval.evaluate, period=period, trail="compact")
    # spawn: nothing is inherited, every value crosses the process boundary pickled
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        ledgers = list(pool.map(ikueval.read_ledger, rulesets, paths))
        together = [ikueval.render_json(e) for e in pool.map(evaluate, rulesets, ledgers)]
    one_by_one = [
        ikueval.render_json(evaluate(ruleset, ikueval.read_ledger(ruleset, files)))
        for ruleset, files in zip(rulesets, paths, strict=True)
    ]
    assert together == one_by_one
    assert len(set(one_by_one)) == len(offices)  # three offices, three different documents
