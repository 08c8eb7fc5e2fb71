"""Making a failing input small: the mutated files cut down, line by line and then
byte by byte, as long as the same failure shows (delta debugging), within a
time budget."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

from .generate import FuzzInput
from .oracle import run_input
from .verdicts import Failure

#: Files longer than this are cut by lines only: byte by byte, they would take too long.
MAX_BYTE_UNITS: Final = 4096


class _OutOfTime(Exception):
    pass


def reduce(units: list[bytes], fails: Callable[[list[bytes]], bool]) -> list[bytes]:
    """The units without every chunk whose removal keeps ``fails`` true (ddmin's complements)."""
    chunks = 2
    while len(units) >= 2:
        size = max(1, len(units) // chunks)
        removed = False
        start = 0
        while start < len(units):
            candidate = units[:start] + units[start + size :]
            if candidate and fails(candidate):
                units = candidate
                removed = True
            else:
                start += size
        if removed:
            chunks = max(chunks - 1, 2)
        elif size == 1:
            break
        else:
            chunks = min(len(units), chunks * 2)
    return units


def minimise(fuzz: FuzzInput, failure: Failure, directory: Path, seconds: float) -> FuzzInput:
    """The smallest input found in ``seconds`` that fails with ``failure``'s signature.

    Only the files the mutations changed are cut; the others stay as they are.
    """
    deadline = time.monotonic() + seconds
    best = fuzz

    def fails(files: dict[str, bytes]) -> bool:
        if time.monotonic() > deadline:
            raise _OutOfTime
        candidate = dataclasses.replace(best, files=files)
        return any(
            f.signature == failure.signature for f in run_input(candidate, directory, failure)
        )

    for path in fuzz.changed:
        for split in (_lines, _bytes):
            units = split(best.files[path])
            if split is _bytes and len(units) > MAX_BYTE_UNITS:
                continue

            def fails_with(
                units: list[bytes], path: str = path, others: Mapping[str, bytes] = best.files
            ) -> bool:
                return fails({**others, path: b"".join(units)})

            try:
                reduced = reduce(units, fails_with)
            except _OutOfTime:
                return best
            best = dataclasses.replace(best, files={**best.files, path: b"".join(reduced)})
    return best


def _lines(content: bytes) -> list[bytes]:
    return content.splitlines(keepends=True)


def _bytes(content: bytes) -> list[bytes]:
    return [content[i : i + 1] for i in range(len(content))]
