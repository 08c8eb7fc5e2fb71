"""Formulas: exact decimal arithmetic inside a tight sandbox."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ikueval import FormulaError
from ikueval.formulas import MAX_DEPTH, MAX_LENGTH, Formula, FormulaUndefinedError


def run(expression: str, **values: str) -> Decimal:
    return Formula.compile(expression).evaluate({k: Decimal(v) for k, v in values.items()})


def test_arithmetic_is_exact_decimal() -> None:
    assert run("a / b * 100", a="7", b="8") == Decimal("87.5")
    assert run("0.1 + 0.2") == Decimal("0.3")
    assert run("documents / planned * 100", documents="1", planned="8") == Decimal("12.5")


def test_functions_and_conditionals() -> None:
    assert run("min(a, 100)", a="120") == 100
    assert run("max(a, b, 3)", a="1", b="2") == 3
    assert run("abs(a - b)", a="1", b="5") == 4
    assert run("round(a, 1)", a="2.25") == Decimal("2.3")  # half-up
    assert run("floor(a) + ceil(a)", a="2.5") == 5
    assert run("a if a > b else b", a="1", b="2") == 2
    assert run("(a > 0) * 100", a="3") == 100
    assert run("a ** 2", a="1.5") == Decimal("2.25")


def test_names_are_collected() -> None:
    assert Formula.compile("handled / received * 100").names == {"handled", "received"}


def test_division_by_zero_is_a_defined_outcome() -> None:
    with pytest.raises(FormulaUndefinedError, match="division by zero"):
        run("a / b", a="1", b="0")
    with pytest.raises(FormulaUndefinedError, match="division by zero"):
        run("a / b", a="0", b="0")


def test_comparisons_give_one_or_zero() -> None:
    assert run("a > 1", a="2") == 1
    assert run("not a", a="2") == 0
    assert run("round(a > b) + floor(not a)", a="2", b="1") == 1
    assert run("(a > b) / (a > b)", a="2", b="1") == 1


def test_results_are_bounded() -> None:
    with pytest.raises(FormulaUndefinedError, match="beyond the limit of 10"):
        run("a * 1e20 * 1e10", a="5")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("a.__class__", "attribute access (x.y) is not allowed (column 1 of 'a.__class__')"),
        ("a[0]", "subscripts (x[y]) are not allowed"),
        ("'text'", "text is not allowed: a formula computes numbers"),
        ("lambda: 1", "lambdas are not allowed"),
        ("[x for x in a]", "comprehensions are not allowed"),
        ("__import__('os')", "function '__import__' is not allowed"),
        ("_secret + 1", "names starting with '_' are not allowed"),
        ("open('f')", "function 'open' is not allowed"),
        ("round(a, ndigits=1)", "round() takes no keyword arguments"),
        ("a ** b", "the exponent of ** must be a whole number"),
        ("9 ** 999999", "the exponent of ** must be a whole number"),
        ("a % 2", "operator '%' is not allowed"),
        ("a // 2", "operator '//' is not allowed"),
        ("a << 2", "operator '<<' is not allowed"),
        ("min", "function 'min' must be called"),
        ("0x10", "write numbers in decimal"),
        ("a +", "not a valid expression"),
        ("", "formula is empty"),
        ("x := 1", "not a valid expression"),
        ("True", "True is not allowed: comparisons give 1 or 0"),
        ("1e30", "1e30 is too large (the limit is 10^24)"),
    ],
)
def test_refused_at_compile_time(expression: str, message: str) -> None:
    with pytest.raises(FormulaError, match=re.escape(message)):
        Formula.compile(expression)


def test_size_limits() -> None:
    with pytest.raises(FormulaError, match="characters long"):
        Formula.compile("a + " * MAX_LENGTH + "a")
    with pytest.raises(FormulaError, match="nests deeper"):
        Formula.compile("-" * (MAX_DEPTH + 1) + "a")
    with pytest.raises(FormulaError, match="more than 200 parts"):
        # 443 characters and 13 levels, but 226 parts.
        Formula.compile("+".join(["min(" + ",".join("a" * 16) + ")"] * 12))


def test_formulas_compare_by_text() -> None:
    assert Formula.compile("a + b") == Formula.compile("a + b")
    assert Formula.compile("a + b") != Formula.compile("b + a")
