"""The mutation fuzzer: inputs 0, 1, 2, ... of a seed, each a real file mutated,
run through the API and the command line (:mod:`fuzz.oracle`).

By default a dozen inputs of seed 0 run (a few seconds); the environment sets
a longer run (:mod:`fuzz.config`, ``tests/fuzz/README.md``).

A failure is minimised and written to a new directory, whose path the
assertion prints, with a ``failure.txt`` that says how to run it again.
"""

from __future__ import annotations

import contextlib
import faulthandler
import resource
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

from .config import INPUTS, MINIMISE_SECONDS, ONLY, SECONDS, SEED
from .generate import FuzzInput, draw_input
from .known import known
from .ledger_oracle import prepare
from .minimise import minimise
from .oracle import describe, run_input
from .verdicts import Failure

#: Failures minimised in one run (the others are written as they are): each takes
#: up to IKUEVAL_FUZZ_MINIMISE_SECONDS, and a run must stay bounded.
MAX_MINIMISED: Final = 3
#: Memory the process may take beyond what it has when the run starts: an input
#: that allocates without bound fails with MemoryError instead of taking the machine.
MEMORY_HEADROOM: Final = 2 * 1024**3
#: A call that a wall-clock alarm cannot interrupt (one C function that never
#: returns) ends the process after this long, its stack written to the run's
#: ``watchdog.txt``.
WATCHDOG_SECONDS: Final = 60


@contextlib.contextmanager
def memory_limit() -> Iterator[None]:
    """Cap the address space of the process for the run (POSIX), and restore it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    pages = int(Path("/proc/self/statm").read_text().split()[0]) if Path("/proc").exists() else 0
    cap = pages * resource.getpagesize() + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def watchdog(run: Path) -> Iterator[Callable[[str], None]]:
    """A last resort against a hang no alarm interrupts.

    Yields a function to call before each input with its name: it is written to
    the run's ``current.txt``, and the watchdog starts again.
    """
    current = run / "current.txt"

    def arm(name: str) -> None:
        current.write_text(name + "\n", encoding="utf-8")
        faulthandler.dump_traceback_later(WATCHDOG_SECONDS, file=stack, exit=True)

    with (run / "watchdog.txt").open("w") as stack:
        try:
            yield arm
        finally:
            faulthandler.cancel_dump_traceback_later()


def inputs() -> Iterator[int]:
    """The numbers of the inputs to run, within the budget of inputs and time."""
    if ONLY is not None:
        yield int(ONLY)
        return
    deadline = time.monotonic() + SECONDS
    index = 0
    while index != INPUTS and time.monotonic() < deadline:
        yield index
        index += 1


def save(fuzz: FuzzInput, failure: Failure, work: Path, seconds: float) -> Path:
    """Minimise a failing input for ``seconds`` and write it, with how to run it, to a new
    directory."""
    small = minimise(fuzz, failure, work, seconds) if seconds > 0 else fuzz
    directory = Path(tempfile.mkdtemp(prefix=f"ikueval-fuzz-{fuzz.seed}-{fuzz.index}-"))
    for relative, content in small.files.items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    prepare(fuzz, directory)  # a damaged ledger, if the input reads one
    for relative in fuzz.changed:
        target = directory / "unminimised" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(fuzz.files[relative])
    text = (
        f"{failure}\n\n{describe(fuzz)}\n"
        "The files here are the input, minimised (the mutated files before that are in "
        "unminimised/): run the failing command, in parentheses on the first line, in this "
        "directory. The command after 'again:' makes the input again from its seed, in the "
        "repository.\n"
    )
    (directory / "failure.txt").write_text(text, encoding="utf-8", errors="backslashreplace")
    return directory


def test_mutations_of_the_real_files(tmp_path: Path) -> None:
    """No mutated input makes ikueval fail otherwise than with a located error, exit 2."""
    work = tmp_path / "work"
    work.mkdir()
    found: dict[str, tuple[FuzzInput, Failure]] = {}
    tolerated: Counter[str] = Counter()
    count, start = 0, time.monotonic()
    reports = []
    with memory_limit(), watchdog(tmp_path) as arm:
        for index in inputs():
            arm(f"seed {SEED}, input {index}")
            fuzz = draw_input(SEED, index)
            for failure in run_input(fuzz, work):
                bug = known(failure)
                if bug is not None:
                    tolerated[bug.name] += 1
                else:
                    found.setdefault(failure.signature, (fuzz, failure))
            count += 1
        took = time.monotonic() - start
        print(f"\nfuzz: seed {SEED}, {count} inputs in {took:.1f} s, {len(found)} failures")
        for name, times in sorted(tolerated.items()):
            print(f"fuzz: tolerated {times} times the known failure {name} (tests/fuzz/known.py)")
        for number, (fuzz, failure) in enumerate(found.values()):
            arm(f"minimising seed {SEED}, input {fuzz.index}")
            directory = save(fuzz, failure, work, MINIMISE_SECONDS * (number < MAX_MINIMISED))
            report = f"{failure.signature} ({failure.where})\n{describe(fuzz)}\n-> {directory}"
            reports.append(report)
    assert not reports, "\n\n".join(reports)
