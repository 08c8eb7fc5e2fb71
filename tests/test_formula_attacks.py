"""The formula sandbox against known attacks on eval sandboxes.

``tests/data/formula-attacks.txt`` lists one attack per line: class-hierarchy
walks (``().__class__.__bases__[0].__subclasses__()``), builtins, generator
frames (simpleeval issue #138), lambdas, format-string tricks, huge powers and
repetitions, deep nesting, operators outside the whitelist, identifiers that
NFKC-normalise to dunders or to ``eval``, statements. Every one must be refused
when the formula is compiled, and refused again, with file, line and key, when
it is written in a rule file.

A second test feeds the attacks that parse straight to the evaluator, skipping
the load-time checker, to check the evaluator's own defences (simpleeval with
its attribute, subscript and string handlers removed).
"""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import tomli_w

from ikueval import RuleSetError, inspect_rules, loads_rules
from ikueval._formulas import Formula, FormulaError, FormulaUndefinedError

ATTACKS_FILE = Path(__file__).resolve().parent / "data" / "formula-attacks.txt"


def _attacks() -> list[str]:
    lines = ATTACKS_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


ATTACKS = _attacks()

RULES = """\
[ruleset]
id = "attacks"
office = "Office"
years = [2025]

[rounding]
mode = "half-up"
places = 2

[[indicators]]
id = "IKU-01"
name = "Complaints handled"
unit = "%"
aggregation = "latest"
direction = "higher"
inputs.a = {{ aggregation = "cumulative" }}
inputs.b = {{ aggregation = "cumulative" }}
{formula}
"""
FORMULA_LINE = RULES.splitlines().index("{formula}") + 1


def test_the_corpus_is_large_enough() -> None:
    assert len(ATTACKS) >= 60
    assert len(set(ATTACKS)) == len(ATTACKS), "an attack is listed twice"


@pytest.mark.parametrize("attack", ATTACKS)
def test_refused_when_compiled(attack: str) -> None:
    with pytest.raises(FormulaError) as refused:
        Formula.compile(attack)
    assert refused.value.problems
    assert refused.value.problems[0].message


@pytest.mark.parametrize("attack", ATTACKS)
def test_refused_in_a_rule_file_with_its_place(attack: str) -> None:
    formula_line = tomli_w.dumps({"formula": attack}).strip()
    text = RULES.format(formula=formula_line)
    report = inspect_rules(text, source="attack.toml")
    assert report.ruleset is None
    expected = compile_error(attack)
    located = [
        problem
        for problem in report.errors
        if problem.location.key == "indicators[IKU-01].formula"
        and problem.location.line == FORMULA_LINE
        and problem.location.file == "attack.toml"
    ]
    assert located, [str(p) for p in report.problems]
    assert located[0].message == expected
    assert str(located[0]).startswith(f"attack.toml:{FORMULA_LINE}: indicators[IKU-01].formula: ")
    with pytest.raises(RuleSetError):
        loads_rules(text, source="attack.toml")


def compile_error(attack: str) -> str:
    try:
        Formula.compile(attack)
    except FormulaError as exc:
        return exc.problems[0].message
    raise AssertionError(f"{attack!r} was accepted")


#: Attacks the evaluator must refuse even without the load-time checker. Those
#: that only the checker's size limits stop ('x' * 999999999, 9 ** 9 ** 9...)
#: are left out: the evaluator is the second line of defence, not the first.
UNCHECKED = [
    attack
    for attack in ATTACKS
    if not any(part in attack for part in ("**", "*", "99999", "not not", "---", "abs(abs"))
]


def _parsed(attack: str) -> Iterator[ast.expr]:
    with contextlib.suppress(SyntaxError, ValueError):
        yield ast.parse(attack.strip(), mode="eval").body


@pytest.mark.parametrize("attack", UNCHECKED)
def test_the_evaluator_refuses_what_the_checker_would(attack: str) -> None:
    for tree in _parsed(attack):
        unchecked = Formula(attack, frozenset({"a", "b"}), tree=tree)
        try:
            result = unchecked.evaluate({"a": Decimal(1), "b": Decimal(2)})
        except (FormulaError, FormulaUndefinedError):
            continue
        except (TypeError, KeyError):
            # Refused too, less politely: `a + 'b'`, `abs('a')`, `a is b` never get
            # here through Formula.compile, whose checker refuses them first.
            continue
        # Evaluated: it must have computed a plain number, nothing else.
        assert type(result) is Decimal, f"{attack!r} gave {result!r}"
