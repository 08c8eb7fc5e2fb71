"""Roots in formulas: sqrt(x) and root(x, n), exact where the root is exact, bounded."""

from __future__ import annotations

import time
from decimal import Context, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ikueval import FormulaError
from ikueval._formulas import (
    MAX_ROOT_DEGREE,
    ROOT_DIGITS,
    Formula,
    FormulaUndefinedError,
    root,
)


def run(expression: str, **values: str) -> Decimal:
    return Formula.compile(expression).evaluate({k: Decimal(v) for k, v in values.items()})


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("sqrt(x)", "16", "4"),
        ("sqrt(x)", "16.00", "4"),
        ("sqrt(x)", "2.25", "1.5"),
        ("sqrt(x)", "0.01", "0.1"),
        ("sqrt(x)", "0", "0"),
        ("root(x, 3)", "27", "3"),
        ("root(x, 3)", "0.001", "0.1"),
        ("root(x, 4)", "1296", "6"),
        ("root(x, 12)", "1", "1"),
        ("sqrt(x)", "2", "1.414213562373095048801688724209698078570"),
        ("root(x, 3)", "2", "1.259921049894873164767210607278228350570"),
    ],
)
def test_roots_by_hand(expression: str, value: str, expected: str) -> None:
    result = run(expression, x=value)
    assert format(result, "f") == expected


def test_the_geometric_mean_of_four_components() -> None:
    # (90 x 80 x 100 x 95)^(1/4), the way PMK 22/2021 combines component scores.
    mean = run("root(a * b * c * d, 4)", a="90", b="80", c="100", d="95")
    assert mean == Decimal("90.94190041589263523088292356148411947647")
    # exact when the components are equal
    assert run("root(a * a * a * a, 4)", a="87.5") == Decimal("87.5")


def test_a_root_of_a_negative_number_has_no_value() -> None:
    with pytest.raises(FormulaUndefinedError) as caught:
        run("sqrt(a - b)", a="1", b="5")
    assert (
        str(caught.value) == "'sqrt(a - b)' has no value here: it takes a root of a negative number"
    )
    with pytest.raises(FormulaUndefinedError, match="root of a negative number"):
        run("root(a, 3)", a="-8")


@pytest.mark.parametrize(
    "expression",
    ["root(a, 1)", "root(a, 0)", "root(a, -2)", "root(a, b)", "root(a, 2.5)", "root(a, 13)"],
)
def test_the_degree_is_a_small_whole_number_written_in_the_formula(expression: str) -> None:
    with pytest.raises(FormulaError) as caught:
        Formula.compile(expression)
    assert str(caught.value).startswith(
        f"root(x, n) needs n written as a whole number 2..{MAX_ROOT_DEGREE}"
    )


def test_fractional_powers_point_to_roots() -> None:
    with pytest.raises(FormulaError) as caught:
        Formula.compile("a ** 0.5")
    assert caught.value.problems[0].hint == (
        "for a root write sqrt(x) or root(x, n); x ** (p / n) is root(x, n) ** p"
    )
    assert run("root(a, 3) ** 2", a="8") == 4


def test_root_names_cannot_be_inputs() -> None:
    with pytest.raises(FormulaError, match="function 'sqrt' must be called"):
        Formula.compile("sqrt + 1")


def test_the_largest_roots_stay_fast() -> None:
    largest = "99999999999999999999999.99999999999999999999"
    start = time.perf_counter()
    for degree in range(2, MAX_ROOT_DEGREE + 1):
        root(Decimal(largest), degree)
        root(Decimal("1e-20"), degree)
    assert time.perf_counter() - start < 1


def test_roots_ignore_the_callers_context() -> None:
    with localcontext(Context(prec=3)):
        assert root(Decimal(2), 2) == Decimal("1.414213562373095048801688724209698078570")


positive = st.decimals(
    min_value=Decimal("1e-20"), max_value=Decimal("1e23"), places=None, allow_nan=False
).filter(lambda d: d > 0)


@given(positive, st.integers(min_value=2, max_value=MAX_ROOT_DEGREE))
def test_a_root_is_correctly_rounded(value: Decimal, degree: int) -> None:
    result = root(value, degree)
    digits = len(result.as_tuple().digits)
    assert digits <= ROOT_DIGITS
    # the true root lies within half a unit in the last place of the result
    wide = Context(prec=300)
    ulp = wide.scaleb(Decimal(1), result.as_tuple().exponent)
    half = wide.divide(ulp, 2)
    low, high = wide.subtract(result, half), wide.add(result, half)
    assert wide.power(low, degree) <= value <= wide.power(high, degree)


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=2, max_value=MAX_ROOT_DEGREE),
)
def test_an_exact_root_is_found_exactly(coefficient: int, places: int, degree: int) -> None:
    exact = Decimal(coefficient).scaleb(-places)
    power = Context(prec=400).power(exact, degree)
    result = root(power, degree)
    assert result == exact
    assert result.as_tuple().exponent >= min(0, exact.normalize().as_tuple().exponent)
