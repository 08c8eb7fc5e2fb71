"""The command line's arguments, fuzzed with hypothesis: whatever period, indicator,
table, language or format a user types, on the real files, every command
exits 0, 1 or 2, without a traceback, within the time and output bounds of
:mod:`fuzz.oracle`.

The files are the bundled example and the published-figures corpus, unmutated
(``test_mutations.py`` mutates them). Hypothesis shrinks a failing command line
to its simplest form; the seed and the number of examples come from the
environment (:mod:`fuzz.config`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from .config import EXAMPLES, HYPOTHESIS_SEED
from .generate import FuzzInput, scenario_named
from .known import known
from .oracle import run_command, write_files
from .scenarios import PUBLISHED, RULES
from .values import PERIODS
from .verdicts import Outcome

SCENARIOS = ("bp3mi-2025-Q2", "published-corpus/valid/every-figure.toml")

periods = st.one_of(
    st.sampled_from(PERIODS),
    st.from_regex(r"\A-?[0-9]{1,25}(-([QqHW]?[0-9]{1,4}))?\Z"),
    st.text(max_size=30),
)
words = st.text(max_size=12)
langs = st.sampled_from(["en", "id"]) | words


@st.composite
def command_lines(draw: st.DrawFn, events: tuple[str, ...], ids: list[str]) -> list[str]:
    """One command of the command line with arguments a user could type."""
    data = [RULES, *events]
    command = draw(st.sampled_from(["evaluate", "explain", "reconcile", "report"]))
    args = [command, *data]
    if command == "reconcile":
        args += ["--published", PUBLISHED]
        if draw(st.booleans()):
            args += ["--period", draw(periods)]
        for table in draw(st.lists(st.sampled_from(ids) | words, max_size=3)):
            args += ["--table", table]
    else:
        args += ["--period", draw(periods)]
    if command == "explain":
        for indicator in draw(st.lists(st.sampled_from(ids) | words, max_size=3)):
            args += ["--indicator", indicator]
    if command in ("evaluate", "reconcile"):
        args += ["--format", draw(st.sampled_from(["json", "table"]) | words)]
    if command == "report":
        args += ["--format", "md"]
        if draw(st.booleans()):
            args += ["--published", PUBLISHED]
    if command != "reconcile":
        args += ["--lang", draw(langs)]
    return args


@contextlib.contextmanager
def files_of(name: str, directory: Path) -> Iterator[FuzzInput]:
    scenario = scenario_named(name)
    fuzz = FuzzInput("arguments", 0, scenario, scenario.files, ())
    write_files(fuzz, directory)
    with contextlib.chdir(directory):
        yield fuzz


@pytest.mark.parametrize("name", SCENARIOS)
def test_arguments_of_every_command(name: str, tmp_path: Path) -> None:
    with files_of(name, tmp_path) as fuzz:
        text = fuzz.files[RULES].decode("utf-8") + fuzz.files[PUBLISHED].decode("utf-8")
        ids = sorted(set(_ids(text)))

        @seed(HYPOTHESIS_SEED)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(command_lines(fuzz.scenario.events, ids))
        def run(args: list[str]) -> None:
            outcome = Outcome()
            run_command(fuzz, args[0], args, outcome)
            failures = [f for f in outcome.failures if known(f) is None]
            assert not failures, "\n\n".join(map(str, failures))

        run()


def _ids(text: str) -> Iterator[str]:
    """The ids of indicators and tables in rule and published-figures files."""
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("id", "indicator") and value.strip().startswith('"'):
            yield value.strip().split('"')[1]
