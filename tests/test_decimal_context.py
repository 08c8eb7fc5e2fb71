"""The caller's decimal context never changes a result.

ikueval is embedded in applications that may set their own thread-local
decimal context (a precision of 3, truncation, no traps, a tiny exponent
range), or change :data:`decimal.DefaultContext`, from which every new thread
takes its context. The engine must give the same output, byte for byte,
whatever they do: its arithmetic runs in the explicit contexts of
``ikueval._decimals`` and ``ikueval._formulas``.

* The whole pipeline on the bundled example (every command of the golden
  outputs, and through the Python API: load the rules, read the events,
  evaluate, render JSON, read it back, replay every figure, reconcile the
  published figures) under a hostile context, in this thread and in a fresh
  thread whose DefaultContext was made hostile, gives the default output.
* In a fresh interpreter whose DefaultContext and context are hostile before
  ikueval is imported, the module constants and contexts are the same too.
* A property: the arithmetic helpers and formulas give the same value, to the
  digit, or the same error, under random contexts.
"""

from __future__ import annotations

import decimal
import json
import threading
from collections.abc import Callable
from decimal import (
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
)

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import achievements, examples, run_cli, run_python
from ikueval import _decimals as d
from ikueval import (
    build_ledger,
    evaluate,
    evaluation_from_data,
    load_publication,
    load_rules,
    read_events,
    reconcile,
    render_json,
    replay,
    replay_budget,
    replay_rollup,
)
from ikueval._formulas import Formula
from test_golden_outputs import COMMANDS, EVENTS, PUBLISHED, ROOT, RULES

ROUNDINGS = (
    ROUND_05UP, ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_EVEN,
    ROUND_HALF_UP, ROUND_UP,
)  # fmt: skip
SIGNALS = (
    decimal.Clamped, decimal.DivisionByZero, decimal.Inexact, decimal.InvalidOperation,
    decimal.Overflow, decimal.Rounded, decimal.Subnormal, decimal.Underflow,
    decimal.FloatOperation,
)  # fmt: skip


def hostile() -> Context:
    """Three digits, truncation, no traps, a tiny exponent range, lower-case exponents."""
    return Context(
        prec=3, rounding=ROUND_DOWN, Emax=5, Emin=-5, capitals=0, clamp=1, flags=[], traps=[]
    )


def pipeline() -> dict[str, str]:
    """Every output of the bundled example, by name."""
    outputs = {}
    for name, args in sorted(COMMANDS.items()):
        ran = run_cli(*args)
        outputs[name] = f"[exit {ran.code}]\n{ran.out}{ran.err}"
    rules = load_rules(ROOT / RULES)
    events = list(read_events(rules, [ROOT / EVENTS]))
    evaluation = evaluate(rules, events, "2025-Q2")
    outputs["json"] = render_json(evaluation)
    back = evaluation_from_data(json.loads(outputs["json"]))
    assert back == evaluation
    replayed = [replay(a) for a in achievements(back)]
    replayed += [replay_rollup(r) for r in back.rollups]
    replayed += [replay_budget(b) for b in back.budgets]
    outputs["replayed"] = " ".join("-" if v is None else format(v, "f") for v in replayed)
    publication = load_publication(ROOT / PUBLISHED, rules)
    reconciliation = reconcile(rules, build_ledger(rules, events), publication)
    outputs["reconcile"] = render_json(reconciliation)
    return outputs


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    with decimal.localcontext(Context()):  # a fresh default context
        return pipeline()


def test_the_pipeline_ignores_a_hostile_context(expected: dict[str, str]) -> None:
    with decimal.localcontext(hostile()):
        got = pipeline()
    assert got.keys() == expected.keys()
    for name in expected:
        assert got[name] == expected[name], name
    assert "108.41" in got["replayed"]  # the figures were computed, not all None


def test_the_pipeline_ignores_a_hostile_default_context_in_a_new_thread(
    expected: dict[str, str],
) -> None:
    saved = decimal.DefaultContext.copy()
    got: dict[str, str] = {}
    failed: list[BaseException] = []

    def run() -> None:
        try:
            got.update(pipeline())
        except BaseException as exc:  # reported by the test thread
            failed.append(exc)

    try:
        bad = hostile()
        for attribute in ("prec", "rounding", "Emax", "Emin", "capitals", "clamp"):
            setattr(decimal.DefaultContext, attribute, getattr(bad, attribute))
        decimal.DefaultContext.traps = dict.fromkeys(SIGNALS, False)  # type: ignore[assignment]
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    finally:
        for attribute in ("prec", "rounding", "Emax", "Emin", "capitals", "clamp", "traps"):
            setattr(decimal.DefaultContext, attribute, getattr(saved, attribute))
    assert not failed, failed
    assert got == expected


FRESH_INTERPRETER = """
import decimal, io, contextlib, sys
decimal.DefaultContext.prec = 3
decimal.DefaultContext.rounding = decimal.ROUND_DOWN
decimal.DefaultContext.Emax = 5
decimal.DefaultContext.Emin = -5
decimal.DefaultContext.capitals = 0
decimal.DefaultContext.traps = dict.fromkeys(decimal.DefaultContext.traps, False)
decimal.setcontext(decimal.Context())
from ikueval._cli import main
code = main(sys.argv[1:])
"""


def test_module_constants_ignore_a_hostile_context_at_import() -> None:
    args = COMMANDS["evaluate-json"]
    ran = run_python("-c", FRESH_INTERPRETER, *args)
    golden = (ROOT / "tests" / "data" / "golden" / "evaluate-json.out").read_text("utf-8")
    assert f"[exit 0]\n--- stdout\n{ran.stdout}--- stderr\n{ran.stderr}" == golden


# --------------------------------------------------------------------------- property


def contexts() -> st.SearchStrategy[Context]:
    return st.builds(
        Context,
        prec=st.integers(1, 60),
        rounding=st.sampled_from(ROUNDINGS),
        Emax=st.integers(0, 40),
        Emin=st.integers(-40, 0),
        capitals=st.integers(0, 1),
        clamp=st.integers(0, 1),
        flags=st.just([]),
        traps=st.lists(st.sampled_from(SIGNALS), unique=True),
    )


@st.composite
def figures(draw: st.DrawFn) -> Decimal:
    """Values an event or a rule file may hold: below 10^24, at most 20 places."""
    places = draw(st.integers(0, d.MAX_DECIMALS))
    bound = 10 ** (24 + places) - 1
    units = draw(st.integers(-bound, bound) | st.integers(-1000, 1000))
    return Decimal((0 if units >= 0 else 1, tuple(map(int, str(abs(units)))), -places))


def outcome(call: Callable[[], object]) -> object:
    """What a call gives, to the digit (``as_tuple``), or the error it raises."""
    try:
        value = call()
    except Exception as exc:
        return ("raises", type(exc).__name__, str(exc))
    if isinstance(value, Decimal):
        return ("decimal", value.as_tuple())
    return ("value", value)


FORMULAS = tuple(
    Formula.compile(text)
    for text in (
        "a / b * 100",
        "(2 * b - a) / b * 100",
        "-a + abs(b) - a * b",
        "round(a / 3, 2) + floor(b) - ceil(a)",
        "min(a, b) ** 3 / (a - b)",
        "a ** -2 if a > b else b ** 12",
        "(a > b) * 100 + (a == b) + (not a)",
    )
)


def calls(a: Decimal, b: Decimal, text: str, mode: d.RoundingMode) -> list[Callable[[], object]]:
    """Every arithmetic helper on these values."""
    return [
        lambda: d.exact_sum([a, b, a]),
        lambda: d.divide(a, b),
        lambda: d.multiply(a, b),
        lambda: d.subtract(a, b),
        lambda: d.distance(a, b),
        lambda: d.percentage(a, b),
        lambda: d.mean([a, b, b]),
        lambda: d.without_exponent(a.scaleb(3, context=d.SUM_CONTEXT)),
        lambda: d.round_figure(a, mode, 2),
        lambda: d.round_figure(b, mode, 0),
        lambda: d.display(d.DIVISION_CONTEXT.divide(a, 7), mode, 2),
        lambda: d.plain(a),
        lambda: d.plain(b.copy_negate()),
        lambda: d.check_figure(a),
        lambda: d.check_figure(d.multiply(a, b)),
        lambda: d.decimal_places(a),
        lambda: d.is_decimal_text(text),
        lambda: d.read_decimal(text),
        lambda: d.parse_number(text),
        lambda: d.parse_number(text, d.NumberFormat.INDONESIAN),
        *(lambda f=f: f.evaluate({"a": a, "b": b}) for f in FORMULAS),
    ]


TEXTS = st.sampled_from(["abc", "1e5", "-0.5", "7.375", "33,64", "1_000", "NaN", "", "1e999999"])


@settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    contexts(),
    figures(),
    figures(),
    TEXTS | st.text(max_size=12),
    st.sampled_from(list(d.RoundingMode)),
)
def test_helpers_ignore_the_callers_context(
    context: Context, a: Decimal, b: Decimal, text: str, mode: d.RoundingMode
) -> None:
    with decimal.localcontext(Context()):
        wanted = [outcome(call) for call in calls(a, b, text, mode)]
    with decimal.localcontext(context):
        got = [outcome(call) for call in calls(a, b, text, mode)]
    assert got == wanted
