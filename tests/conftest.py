"""What the tests share: hypothesis profiles, the bundled example, and helpers.

Hypothesis profiles, chosen with the environment variable ``HYPOTHESIS_PROFILE``:

* ``dev`` (the default): a tenth of the examples, so that the README's test
  command stays quick (about half a minute of CPU time, where the full counts
  take a minute and a half). The example
  database is kept in ``.hypothesis/`` at the repository root (ignored by
  git), so that a failure found once is tried first on the next run.
* ``ci``: the full counts; ``.ci/run`` selects it. No example database: a CI
  machine starts from nothing and writes nothing.

A test that runs more or fewer examples than the profile's default gives its
CI count to :func:`examples`, which scales it to the profile:
``@settings(max_examples=examples(300))``.

The helpers below are imported by the test files (``from conftest import
run_cli``: ``tests/`` is on ``sys.path``, as for ``reporting.py``); the
fixtures are found by pytest. Rule-set builders and hypothesis strategies are
public, in :mod:`ikueval.testing`.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from ikueval import (
    Achievement,
    Evaluation,
    Ledger,
    RuleSet,
    build_ledger,
    inspect_rules,
    load_rules,
    read_events,
)
from ikueval._cli import main

ROOT = Path(__file__).resolve().parent.parent
"""The repository."""
RULES = ROOT / "rules" / "bp3mi-jateng-2025.toml"
"""The bundled rule set: the 13 IKU of BP3MI Jawa Tengah, 2025."""
EVENTS = ROOT / "examples" / "bp3mi-jateng-2025"
"""The bundled events of that rule set (a folder of CSV and JSON files)."""
PUBLISHED = EVENTS / "published-2025-Q2.toml"
"""The figures the 2025 Q2 report prints, transcribed."""

# --------------------------------------------------------------------------- hypothesis

CI_EXAMPLES = 100
"""The examples of a test in CI unless it says otherwise (hypothesis's own default)."""
DEV_EXAMPLES = 10
"""The examples of a test in the dev profile: a tenth."""
MIN_EXAMPLES = 5
"""The fewest examples a test with its own count runs, in any profile."""

settings.register_profile("ci", max_examples=CI_EXAMPLES, database=None, print_blob=True)
settings.register_profile(
    "dev",
    max_examples=DEV_EXAMPLES,
    database=DirectoryBasedExampleDatabase(ROOT / ".hypothesis" / "examples"),
    # a laptop busy with other work must not fail a quick run on timing
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def examples(ci: int) -> int:
    """The examples of a test that runs ``ci`` of them in CI, scaled to the current profile."""
    return max(MIN_EXAMPLES, ci * settings.default.max_examples // CI_EXAMPLES)


# --------------------------------------------------------------------------- the command line


class Ran(NamedTuple):
    """What a command printed and its exit code."""

    code: int
    out: str
    err: str

    @property
    def transcript(self) -> str:
        """Standard output, standard error, then ``[exit N]``: the corpora's ``.out`` files."""
        return f"{self.out}{self.err}[exit {self.code}]\n"


def run_cli(*args: str | Path, cwd: Path = ROOT) -> Ran:
    """Run ``ikueval ARGS`` in this process, from ``cwd`` (the repository by default)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return Ran(code, out.getvalue(), err.getvalue())


def run_python(
    *args: str | Path, env: dict[str, str] | None = None, text: bool = True
) -> subprocess.CompletedProcess[Any]:
    """Run this Python with ``args`` in a new process, from the repository; capture its output."""
    return subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=text,
        check=False,
        timeout=120,
    )


# --------------------------------------------------------------------------- recorded outputs

REGENERATE = "IKUEVAL_REGENERATE_GOLDEN"
"""Set this environment variable to rewrite recorded outputs instead of comparing them."""


def matches_recorded(got: str, path: Path) -> bool:
    """Whether ``got`` is the text recorded in ``path``; with :data:`REGENERATE` set,
    record it first (then review the diff before committing it)."""
    if os.environ.get(REGENERATE):
        path.write_text(got, encoding="utf-8")
    return got == path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- results


def rule_problems(text: str, source: str = "r.toml") -> list[str]:
    """Every problem of a rule set's text, as ``ikueval check`` prints it."""
    return [str(p) for p in inspect_rules(text, source=source).problems]


def achievements(evaluation: Evaluation) -> Iterator[Achievement]:
    """Every achievement of an evaluation, indicator by indicator."""
    for result in evaluation.indicators:
        yield from result.achievements


# --------------------------------------------------------------------------- alarms

HANG_SECONDS = 5.0
"""A call that takes longer than this is taken for a hang (the default of :func:`time_limit`)."""


class Hang(BaseException):
    """Raised by the alarm when a call runs longer than its time limit.

    A BaseException, so that no ``except Exception`` in the code under test
    swallows it.
    """


@contextlib.contextmanager
def time_limit(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Turn a hang into a ``Hang`` exception (POSIX; elsewhere a no-op).

    The alarm interrupts Python code between two instructions: a single call
    into C that never returns (a regular expression, a huge power) is not
    interrupted. Not reentrant: an inner ``time_limit`` replaces the outer one.
    """
    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows
        yield
        return

    def ring(signum: int, frame: object) -> None:
        raise Hang(f"the call ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def bundled_rules() -> RuleSet:
    """The bundled rule set (frozen: one for every test)."""
    return load_rules(RULES)


@pytest.fixture(scope="session")
def bundled_ledger(bundled_rules: RuleSet) -> Ledger:
    """The bundled events, aggregated once (frozen: one for every test)."""
    return build_ledger(bundled_rules, read_events(bundled_rules, [EVENTS]))


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a file in the test's temporary folder: ``write_file(name, text, encoding)``."""

    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write
