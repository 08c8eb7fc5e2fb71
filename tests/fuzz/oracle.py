"""Running one input through what a user runs, and judging what comes out.

An input is written to a working directory and run in-process, twice over:

* through the public API: :func:`ikueval.inspect_rules` (via the rule file),
  :func:`ikueval.dumps_rules` and back, :func:`ikueval.read_events`,
  :func:`ikueval.build_ledger`, :func:`ikueval.evaluate`, the three renderers,
  :func:`ikueval.replay` of every figure, the JSON read back, and
  :func:`ikueval.load_publication` with :func:`ikueval._reconcile`;
* through the command line's ``main()``: ``check``, ``evaluate --format json``,
  ``evaluate`` (table), ``explain``, ``reconcile`` and ``report --format md``,
  with output streams of the input's encoding.

It fails (returns a :class:`Failure`) on any exception that is not an
:class:`~ikueval.IkuEvalError` from the API; on a traceback or an exit code
other than 0, 1, 2 from the command line; on a call that takes longer than
:func:`~fuzz.verdicts.time_bound`; on an output longer than
:func:`~fuzz.verdicts.output_bound`; on a
figure whose trail does not replay to it; and where the command line and the
API, given the same files, disagree.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

from ikueval import (
    AuditMismatchError,
    IkuEvalError,
    build_ledger,
    dumps_rules,
    evaluate,
    evaluation_from_data,
    load_publication,
    loads_rules,
    read_events,
    reconcile,
    render_explain,
    render_json,
    render_table,
    replay,
    replay_budget,
    replay_rollup,
)
from ikueval._cli import main
from ikueval._loading import inspect_rule_file
from ikueval._reports import Lang

from .generate import FuzzInput
from .scenarios import RULES
from .verdicts import (
    RETRIES,
    Failure,
    Outcome,
    check_size,
    first_difference,
    output_bound,
    time_bound,
    timed,
)

T = TypeVar("T")

# --------------------------------------------------------------------------- the API


def run_api(fuzz: FuzzInput, outcome: Outcome, until: str | None = None) -> None:
    """The public API, step by step, in the working directory; stop at ``until`` if given."""
    scenario = fuzz.scenario
    bound = output_bound(fuzz.size)
    seconds = time_bound(fuzz)
    lang = Lang(fuzz.lang)

    def step(where: str, call: Callable[[], T]) -> T | IkuEvalError | None:
        if outcome.stalled:
            return None
        result, failure = timed(where, call, seconds, outcome.retries)
        if failure is not None:
            outcome.failures.append(failure)
        return result

    report = step("inspect_rule_file", lambda: inspect_rule_file(RULES))
    if isinstance(report, IkuEvalError):
        _refused(outcome, "check", *_DATA_COMMANDS)
    if report is None or isinstance(report, IkuEvalError) or until == "inspect_rule_file":
        return
    outcome.expected["check"] = (2 if report.errors else 1 if report.warnings else 0, None)
    if report.ruleset is None:
        _refused(outcome, *_DATA_COMMANDS)
        return
    ruleset = report.ruleset
    written = step("dumps_rules", lambda: dumps_rules(ruleset))
    if isinstance(written, str):
        back = step("loads_rules(dumps_rules)", lambda: loads_rules(written))
        if back is not None and back != ruleset:
            detail = f"the rule set read back differs:\n{written}"
            outcome.failures.append(
                Failure("disagree", "dumps_rules", "rule set round trip", detail)
            )
    ids = [i.id for i in ruleset.indicators]
    ledger = step(
        "read_events",
        lambda: build_ledger(ruleset, read_events(ruleset, scenario.events), retain=ids),
    )
    if isinstance(ledger, IkuEvalError):
        _refused(outcome, *_DATA_COMMANDS)
    if ledger is None or isinstance(ledger, IkuEvalError) or until == "read_events":
        return
    evaluation = step("evaluate", lambda: evaluate(ruleset, ledger, scenario.period))
    if isinstance(evaluation, IkuEvalError):
        _refused(outcome, "evaluate-json", "evaluate", "explain", "report")
    elif evaluation is not None and until != "evaluate":
        compact = step(
            "evaluate(trail=compact)",
            lambda: evaluate(ruleset, ledger, scenario.period, trail="compact"),
        )
        written_compact = compact is not None and not isinstance(compact, IkuEvalError)
        renders = {
            # the command line writes the compact trail; both trails replay below
            "evaluate-json": (
                "render_json",
                lambda: render_json(compact if written_compact else evaluation),
            ),
            "evaluate": ("render_table", lambda: render_table(evaluation, lang=lang)),
            "explain": (
                "render_explain",
                lambda: render_explain(evaluation, ruleset, None, ledger=ledger, lang=lang),
            ),
        }
        for command, (where, call) in renders.items():
            text = step(where, call)
            if isinstance(text, str):
                check_size(outcome, where, text, bound)
                outcome.expected[command] = (0, text)
        step("replay", lambda: _replay_all(evaluation, outcome))
        step("evaluation_from_data", lambda: _json_round_trip(evaluation, outcome))
        if written_compact:
            step("replay(trail=compact)", lambda: _replay_all(compact, outcome))
            step("evaluation_from_data", lambda: _json_round_trip(compact, outcome))
    if scenario.published is None or until in ("evaluate", "replay", "evaluation_from_data"):
        return
    publication = step("load_publication", lambda: load_publication(scenario.published, ruleset))
    if isinstance(publication, IkuEvalError):
        _refused(outcome, "reconcile")
    if publication is None or isinstance(publication, IkuEvalError):
        return
    reconciliation = step("reconcile", lambda: reconcile(ruleset, ledger, publication))
    if reconciliation is None or isinstance(reconciliation, IkuEvalError):
        return
    text = step("render_table(reconciliation)", lambda: render_table(reconciliation))
    if isinstance(text, str):
        check_size(outcome, "render_table(reconciliation)", text, bound)
        outcome.expected["reconcile"] = (0 if reconciliation.all_match else 1, text)
    data = step("render_json(reconciliation)", lambda: render_json(reconciliation))
    if isinstance(data, str):
        check_size(outcome, "render_json(reconciliation)", data, bound)


#: The commands that read the rule set and the events.
_DATA_COMMANDS: Final = ("evaluate-json", "evaluate", "explain", "report", "reconcile")


def _refused(outcome: Outcome, *names: str) -> None:
    """The API refused the input: these commands must exit 2."""
    for name in names:
        outcome.expected[name] = (2, None)


def _replay_all(evaluation: Any, outcome: Outcome) -> None:
    """Every figure replays from its trail to the recorded value."""
    checks: list[tuple[str, Callable[[], object], object]] = []
    for result in evaluation.indicators:
        for a in result.achievements:
            checks.append((f"{result.id} {a.basis.value}", lambda a=a: replay(a), a.value))
    for r in evaluation.rollups:
        checks.append((f"roll-up {r.id}", lambda r=r: replay_rollup(r), r.value))
    for b in evaluation.budgets:
        checks.append((f"budget {b.id}", lambda b=b: replay_budget(b), b.value))
    for what, call, recorded in checks:
        try:
            replayed = call()
        except AuditMismatchError as exc:
            outcome.failures.append(Failure("replay", "replay", f"replay: {exc}", what))
            continue
        if replayed != recorded:
            detail = f"{what}: replays to {replayed}, the evaluation has {recorded}"
            outcome.failures.append(
                Failure("replay", "replay", "replay gives another figure", detail)
            )


def _json_round_trip(evaluation: Any, outcome: Outcome) -> None:
    """The JSON output reads back into an evaluation that writes the same JSON."""
    text = render_json(evaluation)
    again = render_json(evaluation_from_data(json.loads(text)))
    if again != text:
        outcome.failures.append(
            Failure(
                "disagree",
                "evaluation_from_data",
                "JSON round trip",
                first_difference(text, again),
            )
        )


# --------------------------------------------------------------------------- the command line


def commands(fuzz: FuzzInput) -> dict[str, list[str]]:
    """The command lines an input is run with, by name."""
    scenario = fuzz.scenario
    data = [RULES, *scenario.events]
    period = ["--period", scenario.period]
    lang = ["--lang", fuzz.lang]
    found = {
        "check": ["check", RULES],
        "evaluate-json": ["evaluate", *data, *period, "--format", "json"],
        "evaluate": ["evaluate", *data, *period, *lang],
        "explain": ["explain", *data, *period, *lang],
        "report": ["report", *data, *period, "--format", "md", *lang],
    }
    if scenario.published is not None:
        found["reconcile"] = ["reconcile", *data, "--published", scenario.published]
        if fuzz.index % 2:
            found["report"] += ["--published", scenario.published]
    return found


def _run_main(args: list[str], encoding: str) -> tuple[int, bytes, bytes]:
    """Exit code, standard output and standard error of ``main(args)``.

    The streams are those of a terminal of ``encoding``, with strict errors.
    """
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", newline="\n")
    err = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", newline="\n")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse: a usage error
            code = exc.code if isinstance(exc.code, int) else 1 if exc.code else 0
    return code, _bytes(out), _bytes(err)


def _bytes(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()


def run_command(fuzz: FuzzInput, name: str, args: list[str], outcome: Outcome) -> None:
    """One command line through ``main()``: exit code, traceback, size, agreement with the API."""
    where = "ikueval " + " ".join(args)

    def run() -> tuple[int, bytes, bytes]:
        return _run_main(args, fuzz.encoding)

    result, failure = timed(where, run, time_bound(fuzz), outcome.retries)
    if failure is not None or not isinstance(result, tuple):
        outcome.failures.append(failure or Failure("exception", where, "harness", repr(result)))
        return
    code, stdout, stderr = result
    error_text = stderr.decode(fuzz.encoding, errors="replace")
    if "Traceback (most recent call last)" in error_text:
        last = error_text.strip().splitlines()[-1]
        outcome.failures.append(Failure("traceback", where, f"traceback: {last[:80]}", error_text))
    if code not in (0, 1, 2):
        outcome.failures.append(Failure("exit", where, f"exit {code}", error_text))
    elif code == 2 and not (stdout.strip() or stderr.strip()):
        outcome.failures.append(Failure("exit", where, "exit 2 without a message", ""))
    bound = output_bound(fuzz.size)
    size = len(stdout) + len(stderr)
    if size > bound:
        detail = f"{size} bytes, bound {bound}"
        outcome.failures.append(Failure("output", where, f"output: {name}", detail))
    if name in outcome.expected:
        _compare(fuzz, name, where, (code, stdout), outcome.expected[name], outcome)


def _compare(
    fuzz: FuzzInput,
    name: str,
    where: str,
    got: tuple[int, bytes],
    expected: tuple[int, str | None],
    outcome: Outcome,
) -> None:
    """The command line gives what the API gave for the same files (an exit code, an output)."""
    (code, stdout), (expected_code, expected_out) = got, expected
    if code != expected_code:
        detail = f"exit {code}, but the API's results give {expected_code}"
        outcome.failures.append(Failure("disagree", where, f"exit code of {name}", detail))
    elif expected_out is not None and fuzz.encoding == "utf-8":
        text = stdout.decode("utf-8", errors="surrogateescape")
        if text != expected_out:
            detail = first_difference(expected_out, text)
            outcome.failures.append(Failure("disagree", where, f"output of {name}", detail))


# --------------------------------------------------------------------------- one input


def write_files(fuzz: FuzzInput, directory: Path) -> None:
    """The input's files in ``directory`` (emptied first)."""
    for path in sorted(directory.rglob("*"), reverse=True):
        path.unlink() if not path.is_dir() else path.rmdir()
    for relative, content in sorted(fuzz.files.items()):
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def run_input(fuzz: FuzzInput, directory: Path, only: Failure | None = None) -> list[Failure]:
    """Every failure of one input, run in ``directory``.

    Args:
        fuzz: the input.
        directory: an empty working directory, or one this function used before.
        only: run only what can show this failure again (to minimise an input fast).
    """
    from .ledger_oracle import is_ledger, run_ledger  # it runs commands as this module does

    write_files(fuzz, directory)
    outcome = Outcome(retries=RETRIES if only is None else 0)
    wanted = commands(fuzz)
    ledger = only is not None and is_ledger(only.where)
    with contextlib.chdir(directory):
        if ledger:  # the ledger's steps depend on each other: all of them, and only them
            run_ledger(fuzz, directory, outcome)
            return outcome.failures
        if only is None or not only.where.startswith("ikueval ") or only.kind == "disagree":
            run_api(fuzz, outcome, until=None if only is None else only.where)
        if only is not None:
            wanted = {n: a for n, a in wanted.items() if "ikueval " + " ".join(a) == only.where}
        for name, args in wanted.items():
            if outcome.stalled:
                break
            run_command(fuzz, name, args, outcome)
        if only is None and not outcome.stalled:
            run_ledger(fuzz, directory, outcome)
    return outcome.failures


def describe(fuzz: FuzzInput) -> str:
    """How to get an input again, and what it is."""
    lines = [
        f"seed {fuzz.seed}, input {fuzz.index}: scenario {fuzz.scenario.name}, period "
        f"{fuzz.scenario.period}, output encoding {fuzz.encoding}, language {fuzz.lang}",
        *(f"  mutation {m}" for m in fuzz.mutations),
        *([f"  ledger: {fuzz.ledger.describe()}"] if fuzz.ledger is not None else []),
        f"again: IKUEVAL_FUZZ_SEED={fuzz.seed} IKUEVAL_FUZZ_INPUT={fuzz.index} "
        f"{sys.executable} -m pytest -q tests/fuzz/test_mutations.py",
    ]
    return "\n".join(lines)
