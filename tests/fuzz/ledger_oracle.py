"""Running an input through a ledger store (:class:`~fuzz.ledger_plans.LedgerPlan`), judged
as :mod:`fuzz.oracle` judges the rest.

* ``files``: the input's rule file and event files go into a fresh ledger,
  through the API (:func:`ikueval.open_ledger` with a clock of its own,
  batches on 1, 2, 3... July 2025; the file ``api.db``) and through the
  command line (``ledger.db``, the system clock): ``ledger init`` (sometimes),
  ``ledger import``, the same import again, ``ledger correct`` (or
  ``--withdraw``) with the plan's entries, changes and reason, ``ledger log``
  (all, and of one indicator), ``ledger diff`` between the plan's moments,
  and ``evaluate``/``explain``/``reconcile --ledger`` as of the plan's moments
  and now.
* ``damaged``: a valid ledger of the scenario, damaged
  (:mod:`fuzz.ledger_files`), written as ``ledger.db`` and ``api.db``, then
  read the same ways (and written to: an import, a correction).

Besides the verdicts of :mod:`fuzz.oracle` (only an ``IkuEvalError`` from the
API, exit 0, 1 or 2 from the command line, no traceback, time, output), the
command line must agree with the API on the exit codes of the import and of
the evaluation as of now, and an import of files already imported must
record nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, TypeVar

from ikueval import IkuEvalError, load_publication, reconcile, render_json, render_table
from ikueval._store import open_ledger
from ikueval._store.cli import _changes
from ikueval._store.diff import render_diff
from ikueval._store.inputs import entry_numbers

from .generate import FuzzInput
from .ledger_files import ledger_size, write_damaged
from .ledger_plans import LedgerPlan
from .oracle import run_command
from .scenarios import RULES
from .verdicts import Failure, Outcome, check_size, output_bound, time_bound, timed

T = TypeVar("T")

#: The ledger files of an input, in its working directory: one for the API, one
#: for the command line.
API_DB: Final = "api.db"
CLI_DB: Final = "ledger.db"
#: Who records.
ACTOR: Final = "fuzz"
#: Where the API's clock starts; each batch is a day later.
API_START: Final = datetime(2025, 7, 1, tzinfo=UTC)


def is_ledger(where: str) -> bool:
    """Whether a failure's ``where`` is a step of the ledger (to minimise it alone)."""
    return where.startswith(("ledger: ", "ikueval ledger ")) or " --ledger " in where


def prepare(fuzz: FuzzInput, directory: Path) -> None:
    """Write the input's damaged ledgers in ``directory`` (nothing for a ``files`` plan)."""
    plan = fuzz.ledger
    if plan is None or plan.kind != "damaged":
        return
    rules = fuzz.files.get(RULES, b"")
    for name in (API_DB, CLI_DB):
        write_damaged(fuzz.scenario, plan.damage, rules, directory / name)


def run_ledger(fuzz: FuzzInput, directory: Path, outcome: Outcome) -> None:
    """The input's ledger plan, through the API and then the command line, in ``directory``."""
    plan = fuzz.ledger
    if plan is None:
        return
    prepare(fuzz, directory)
    run_ledger_api(fuzz, plan, directory, outcome)
    for name, args in ledger_commands(fuzz, plan):
        if outcome.stalled:
            break
        run_command(fuzz, name, args, outcome)


def _bound(fuzz: FuzzInput, directory: Path) -> int:
    """The output bound of a ledger step: that of the files, and of the ledger file."""
    return output_bound(fuzz.size + ledger_size(directory / API_DB))


def run_ledger_api(fuzz: FuzzInput, plan: LedgerPlan, directory: Path, outcome: Outcome) -> None:
    """The plan through the API, on ``api.db``; what the command line must match in
    ``outcome.expected``."""
    scenario = fuzz.scenario
    seconds = time_bound(fuzz)
    moments = (API_START + timedelta(days=d) for d in range(1_000))

    def step(where: str, call: Callable[[], T]) -> T | IkuEvalError | None:
        if outcome.stalled:
            return None
        result, failure = timed("ledger: " + where, call, seconds, outcome.retries)
        if failure is not None:
            outcome.failures.append(failure)
        return result

    store = step(
        "open_ledger",
        lambda: open_ledger(API_DB, clock=lambda: next(moments), create=plan.kind == "files"),
    )
    if store is None or isinstance(store, IkuEvalError):
        return
    events = list(scenario.events)
    imported = step("import_files", lambda: store.import_files(events, rules=RULES, actor=ACTOR))
    if plan.kind == "files" and imported is not None:
        outcome.expected["ledger-import"] = (2 if isinstance(imported, IkuEvalError) else 0, None)
    again = step("import_files again", lambda: store.import_files(events, rules=RULES, actor=ACTOR))
    if plan.kind == "files":
        _check_nothing_new(imported, again, outcome)
    step("correct", lambda: _correct(store, plan))
    bound = _bound(fuzz, directory)
    log = step("log", lambda: "\n".join(store.log()))
    if isinstance(log, str):
        check_size(outcome, "ledger: log", log, bound)
    latest = step("snapshot", lambda: store.snapshot())
    indicator = None
    if latest is not None and not isinstance(latest, IkuEvalError):
        indicator = next((i.id for i in latest.ruleset.indicators), None)
    if indicator is not None:
        text = step("log(indicator)", lambda: "\n".join(store.log(indicator)))
        if isinstance(text, str):
            check_size(outcome, "ledger: log(indicator)", text, bound)
    for moment in (None, *plan.as_of):
        where = f"evaluate as of {moment!r:.60}"
        evaluation = step(where, lambda m=moment: store.snapshot(m).evaluate(scenario.period))
        if evaluation is not None and not isinstance(evaluation, IkuEvalError):
            text = step(f"render_json ({where})", lambda e=evaluation: render_json(e))
            if isinstance(text, str):
                check_size(outcome, f"ledger: render_json ({where})", text, bound)
        if moment is None and plan.kind == "files" and evaluation is not None:
            code = 2 if isinstance(evaluation, IkuEvalError) else 0
            outcome.expected["ledger-evaluate"] = (code, None)
    difference = step("diff", lambda: store.diff(scenario.period, plan.since, plan.until))
    if difference is not None and not isinstance(difference, IkuEvalError):
        text = step("render_diff", lambda: render_diff(difference))
        if isinstance(text, str):
            check_size(outcome, "ledger: render_diff", text, bound)
    if scenario.published is not None and latest is not None:
        published = scenario.published
        if not isinstance(latest, IkuEvalError):
            table = step("reconcile", lambda: _reconciled(latest, published))
            if isinstance(table, str):
                check_size(outcome, "ledger: reconcile", table, bound)


def _check_nothing_new(imported: object, again: object, outcome: Outcome) -> None:
    """The same files imported again record nothing (when the first import was accepted)."""
    accepted = imported is not None and not isinstance(imported, IkuEvalError)
    batch = getattr(again, "batch", None)
    if accepted and not isinstance(again, IkuEvalError) and batch is not None:
        detail = f"batch {batch} recorded by the same files imported again"
        where = "ledger: import_files again"
        outcome.failures.append(Failure("disagree", where, "a second import recorded", detail))


def _correct(store: Any, plan: LedgerPlan) -> object:
    """The plan's correction or withdrawal, with its arguments read as the command line reads
    them."""
    entries = list(entry_numbers(plan.entries))
    if plan.withdraw:
        return store.withdraw(entries, reason=plan.reason, actor=ACTOR)
    changes = _changes([f"{field}={value}" for field, value in plan.changes])
    return store.correct(entries, changes, reason=plan.reason, actor=ACTOR)


def _reconciled(snapshot: Any, published: str) -> str:
    publication = load_publication(published, snapshot.ruleset)
    return render_table(reconcile(snapshot.ruleset, snapshot.ledger(), publication))


def ledger_commands(fuzz: FuzzInput, plan: LedgerPlan) -> Iterator[tuple[str, list[str]]]:
    """The command lines of the plan, by name, in order."""
    scenario = fuzz.scenario
    data = [RULES, *scenario.events]
    period = f"--period={scenario.period}"
    if plan.init:
        yield "ledger-init", ["ledger", "init", CLI_DB]
    actor = f"--actor={ACTOR}"
    yield "ledger-import", ["ledger", "import", actor, "--", CLI_DB, *data]
    yield "ledger-import-again", ["ledger", "import", actor, "--", CLI_DB, *data]
    correct = ["ledger", "correct", actor, f"--reason={plan.reason}"]
    if plan.withdraw:
        correct.append("--withdraw")
    correct += [f"--set={field}={value}" for field, value in plan.changes]
    yield "ledger-correct", [*correct, "--", CLI_DB, *plan.entries]
    yield "ledger-log", ["ledger", "log", CLI_DB]
    indicator = _first_id(fuzz.files.get(RULES, b""))
    if indicator is not None:
        yield "ledger-log-indicator", ["ledger", "log", CLI_DB, f"--indicator={indicator}"]
    until = [] if plan.until is None else [f"--to={plan.until}"]
    yield "ledger-diff", ["ledger", "diff", CLI_DB, period, f"--from={plan.since}", *until]
    source = ["--ledger", CLI_DB]
    yield "ledger-evaluate", ["evaluate", *source, period, "--format", "json"]
    for number, moment in enumerate(plan.as_of):
        as_of = f"--as-of={moment}"
        command = ("evaluate", "explain")[number % 2]
        yield f"ledger-{command}-as-of", [command, *source, as_of, period, "--lang", fuzz.lang]
    if scenario.published is not None:
        published = ["--published", scenario.published]
        yield "ledger-reconcile", ["reconcile", *source, f"--as-of={plan.as_of[0]}", *published]


_ID: Final = re.compile(rb'^\s*id\s*=\s*"([^"\n]{1,64})"', re.MULTILINE)


def _first_id(rules: bytes) -> str | None:
    """The id of the first indicator of a rule file, found without reading it as TOML."""
    at = rules.find(b"[[indicators]]")
    found = _ID.search(rules, at) if at >= 0 else None
    return found.group(1).decode("utf-8", errors="replace") if found else None
