"""Every failure the fuzzer found, as a small input run the way the fuzzer runs one
(:mod:`fuzz.known`): the fixed ones must pass; the known ones are strict
``xfail`` until their fix is merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from ikueval._reports.text import MAX_PADDED_WIDTH, table

from .generate import FuzzInput, scenario_named
from .known import FIXED, KNOWN, Found, known
from .oracle import run_input
from .scenarios import ROOT
from .verdicts import (
    CALL_SECONDS,
    OUTPUT_FIXED,
    OUTPUT_PER_INPUT_BYTE,
    SECONDS_PER_MIB,
    Failure,
)


class StillFailing(AssertionError):
    """The reproducer fails as the bug it reproduces does."""


def failures_of(found: Found, directory: Path) -> list[Failure]:
    scenario = scenario_named(found.scenario)
    files = {**scenario.files, **found.change(scenario.files)}
    fuzz = FuzzInput("found", 0, scenario, files, (found.name,), ledger=found.ledger)
    return run_input(fuzz, directory)


def check(found: Found, directory: Path) -> None:
    """The reproducer passes; if it fails as its bug does, :class:`StillFailing`.

    Failures of the known bugs are left to their own reproducers.
    """
    failures = [f for f in failures_of(found, directory) if found.matches(f) or not known(f)]
    others = [f for f in failures if not found.matches(f)]
    assert not others, "\n\n".join(map(str, others))
    if failures:
        raise StillFailing("\n\n".join(map(str, failures)))


@pytest.mark.parametrize("found", FIXED, ids=[f.name for f in FIXED])
def test_fixed(found: Found, tmp_path: Path) -> None:
    check(found, tmp_path)


@pytest.mark.parametrize(
    "found",
    [
        pytest.param(k, marks=pytest.mark.xfail(raises=StillFailing, strict=True, reason=k.what))
        for k in KNOWN
    ],
    ids=[k.name for k in KNOWN],
)
def test_known(found: Found, tmp_path: Path) -> None:
    check(found, tmp_path)


def test_the_reproducers_reproduce_before_their_fix() -> None:
    """Each reproducer names a bug the fuzzer could tell (a signature it would give)."""
    names = [f.name for f in (*FIXED, *KNOWN)]
    assert len(names) == len(set(names))
    assert all(f.what and f.signature for f in (*FIXED, *KNOWN))


def test_a_long_cell_is_not_padded_into_every_row() -> None:
    long = "x" * 10_000
    rows = [["a", long, "b"], *[["c", "d", "e"]] * 1_000]
    lines = table(rows, [False, False, False])
    assert lines[0] == f"a  {long}  b"
    assert lines[1] == "c  " + "d".ljust(MAX_PADDED_WIDTH) + "  e"
    assert sum(map(len, lines)) < 10_000 + 1_000 * (MAX_PADDED_WIDTH + 10)


def test_columns_narrower_than_the_bound_stay_aligned() -> None:
    assert table([["a", "bb", "1"], ["ccc", "d", "22"]], [False, False, True]) == [
        "a    bb   1",
        "ccc  d   22",
    ]


def test_the_documented_bounds_are_the_harness_bounds() -> None:
    """docs/limits.md ("Output") states the bounds this harness holds outputs and calls to."""
    limits = " ".join((ROOT / "docs" / "limits.md").read_text(encoding="utf-8").split())
    assert f"{OUTPUT_FIXED // 1024} KiB + {OUTPUT_PER_INPUT_BYTE} bytes per byte of input" in limits
    assert CALL_SECONDS == SECONDS_PER_MIB == 1
    assert "takes at most a second on an input" in limits
    assert "and a second more per MiB of input" in limits
