"""Formulas: exact decimal arithmetic inside a tight sandbox."""

from __future__ import annotations

import re
import string
import warnings
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from ikueval import FormulaError
from ikueval._formulas import (
    MAX_CONSTANT_PLACES,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_RESULT_CHARACTERS,
    Formula,
    FormulaUndefinedError,
)


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


# --------------------------------------------------------------------------- bounded numbers


@pytest.mark.parametrize(
    ("expression", "constant"),
    [
        ("min(a, 1e-999999999)", "1e-999999999"),
        ("a and 1e-999999999", "1e-999999999"),
        ("1e-999999999 if a else a", "1e-999999999"),
        ("a * 1e-999999999", "1e-999999999"),
        ("a + 1e-21", "1e-21"),
        ("a + 0.000000000000000000001", "0.000000000000000000001"),
        ("a + 1.500000000000000000000", "1.500000000000000000000"),
        ("a * 0e-21", "0e-21"),
        ("a * 1e-400", "1e-400"),
    ],
)
def test_constants_with_too_many_places_are_refused(expression: str, constant: str) -> None:
    column = expression.index(constant) + 1
    with pytest.raises(FormulaError) as refused:
        Formula.compile(expression)
    assert str(refused.value) == (
        f"{constant} has more than {MAX_CONSTANT_PLACES} decimal places, the limit of a "
        f"number in a formula (column {column} of {expression!r})"
    )


@pytest.mark.parametrize("constant", ["0e25", "0e999999999", "0E+30"])
def test_zero_with_a_huge_exponent_is_refused(constant: str) -> None:
    with pytest.raises(FormulaError, match=re.escape(f"{constant} has an exponent above 24")):
        Formula.compile(f"a + {constant}")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("a * 1e-20", "3E-20"),
        ("a + 0.00000000000000000001", "3.00000000000000000001"),
        (
            "a * 999999999999999999999999.99999999999999999999",
            "2999999999999999999999999.99999999999999999997",
        ),
        ("a * 1e23", "300000000000000000000000"),
        ("a + 0e24", "3"),
        ("a + 1_000", "1003"),
    ],
)
def test_constants_at_the_limits_are_exact(expression: str, expected: str) -> None:
    # 3 * (10^24 - 10^-20) is beyond 10^24: refused as a result, not as a constant.
    if Decimal(expected).copy_abs() >= 10**24:
        with pytest.raises(FormulaUndefinedError, match="beyond the limit of 10"):
            run(expression, a="3")
        return
    assert format(run(expression, a="3"), "f") == format(Decimal(expected), "f")


@pytest.mark.parametrize(
    "expression",
    [
        "a ** 1e999",
        "a ** -1e999",
        "a ** 1e308",
        "a ** 1e-400",
        "a ** 12.0000000000000000001",
        "a ** 1_2.5",
        "round(a, 1e999)",
        "round(a, -1e999)",
        "round(a, 1e308)",
        "round(a, 2.0000000000000000001)",
    ],
)
def test_exponents_and_places_are_checked_exactly(expression: str) -> None:
    with pytest.raises(FormulaError):
        Formula.compile(expression)


def test_whole_exponents_and_places_may_be_written_with_a_point() -> None:
    assert run("a ** 2.0", a="3") == 9
    assert run("round(a, 1.0)", a="2.25") == Decimal("2.3")
    assert run("a ** -1e0", a="4") == Decimal("0.25")


@pytest.mark.parametrize(
    ("expression", "values"),
    [
        ("a ** 12", {"a": "1E-20"}),  # 10^-240
        ("a ** -12", {"a": "1E-20"}),  # 10^240
        ("(a ** 12) ** 12", {"a": "0.1"}),  # 10^-144
        ("((a ** -12) ** 12) ** 12", {"a": "10"}),
        ("a / b / b / b", {"a": "1", "b": "1E+23"}),  # 10^-69
        ("a * a * a * a", {"a": "1E-20"}),  # 10^-80
        ("1e-20 * 1e-20 * 1e-20 * 1e-20", {}),
        ("min(a, 1e-20 * 1e-20 * 1e-20 * 1e-20)", {"a": "1"}),
        ("(1e-20 * 1e-20 * 1e-20 * 1e-20) if a else a", {"a": "1"}),
        ("a and 1e-20 ** 4", {"a": "1"}),
        ("abs(-1e-20 ** 4)", {}),
        ("floor(a ** 12 * 1e23) + a ** 12", {"a": "1E-20"}),
        ("round(1e-20 ** 4, 20)", {}),
        ("0e-20 * 0e-20 * 0e-20 * 0e-20 * 0e-20 * 0e-20", {}),
        ("a ** 12 * 1e23 * 1e23 * 1e23 * 1e23 * 1e23", {"a": "1E+23"}),
        ("min(a, 1)", {"a": "1E-999999"}),
        ("a * 1", {"a": "1E-999999"}),
        ("-a", {"a": "1E+999999"}),
        (
            "a if a else 1",
            {
                "a": "1.000000000000000000000000000000000000000000000000000000000000"
                "00000000000000000000000000000000000000000000000000000000"
            },
        ),
    ],
)
def test_values_beyond_the_range_of_formulas_are_undefined(
    expression: str, values: dict[str, str]
) -> None:
    with pytest.raises(FormulaUndefinedError):
        run(expression, **values)


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("a * b", {"a": "1E-20", "b": "1E-20"}, "1E-40"),
        ("a / b * 100", {"a": "1E-20", "b": "999999999999999999999999"}, None),
        ("a ** 3 / b ** 2", {"a": "1E+23", "b": "1E+23"}, "1E+23"),
        ("(a ** 12) / (b ** 11)", {"a": "1E+8", "b": "1E+8"}, "100000000"),
        ("a ** -12", {"a": "0.5"}, "4096"),
        ("round(a, 20)", {"a": "0.123456789012345678901234"}, "0.12345678901234567890"),
    ],
)
def test_extreme_values_within_the_range_are_computed(
    expression: str, values: dict[str, str], expected: str | None
) -> None:
    result = run(expression, **values)
    if expected is not None:
        assert result == Decimal(expected)
    assert len(format(result, "f")) <= MAX_RESULT_CHARACTERS


def test_zero_to_a_negative_power_is_a_division_by_zero() -> None:
    with pytest.raises(FormulaUndefinedError, match="division by zero"):
        run("a ** -1", a="0")
    with pytest.raises(FormulaUndefinedError, match="division by zero"):
        run("min(a ** -2, 5)", a="0")


@pytest.mark.parametrize("value", [1.5, 2, "3", None, True])
def test_bindings_must_be_decimals(value: object) -> None:
    with pytest.raises(FormulaError, match="needs a decimal number for 'a'"):
        Formula.compile("a + 1").evaluate({"a": value})  # type: ignore[dict-item]


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_bindings_that_are_not_finite_give_no_value(value: str) -> None:
    for expression in ("a + 1", "min(a, 1)", "a > 1", "not a", "a if a else 1", "1 if 1 else a"):
        try:
            result = run(expression, a=value)
        except FormulaUndefinedError:
            continue
        assert result == 1, expression


# --------------------------------------------------------------------------- characters


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "a + b # a note",
            "character '#' is not allowed in a formula (column 7 of 'a + b # a note') "
            "(comments are not part of a formula: write notes in the indicator's note key)",
        ),
        (
            "ａ + b",
            "character 'ａ' (U+FF41) is not allowed in a formula (column 1 of 'ａ + b') "
            "(write formulas in ASCII letters, digits, operators, parentheses, commas and spaces)",
        ),
        (
            "a +\tb",
            "character '\\t' (U+0009) is not allowed in a formula (column 4 of 'a +\\tb') "
            "(write formulas in ASCII letters, digits, operators, parentheses, commas and spaces)",
        ),
        (
            "(a +\nb)",
            "character '\\n' (U+000A) is not allowed in a formula (column 5 of '(a +\\nb)') "
            "(write formulas in ASCII letters, digits, operators, parentheses, commas and spaces)",
        ),
        (
            "a + \\\n b",
            "character '\\\\' is not allowed in a formula (column 5 of 'a + \\\\\\n b') "
            "(write formulas in ASCII letters, digits, operators, parentheses, commas and spaces)",
        ),
        (
            "a\u00a0+ b",
            "character '\\xa0' (U+00A0) is not allowed in a formula (column 2 of 'a\\xa0+ b') "
            "(write formulas in ASCII letters, digits, operators, parentheses, commas and spaces)",
        ),
        (
            "𝐞𝐯𝐚𝐥('1')",
            "character '𝐞' (U+1D41E) is not allowed in a formula (column 1 of \"𝐞𝐯𝐚𝐥('1')\") "
            "(write formulas in ASCII letters, digits, operators, parentheses, commas and spaces)",
        ),
    ],
)
def test_only_ascii_formula_characters_are_accepted(expression: str, message: str) -> None:
    with pytest.raises(FormulaError) as refused:
        Formula.compile(expression)
    assert str(refused.value) == message


def test_surrounding_whitespace_is_ignored() -> None:
    assert run("\n  a + 1\t\n", a="1") == 2


# --------------------------------------------------------------------------- properties

#: Numbers as a hostile rule file writes them: extreme exponents, many digits,
#: other bases, separators, complex and non-numbers.
EXTREME_CONSTANTS = (
    "0", "1", "12", "0.5", "1e308", "1e-308", "1e-400", "1e999", "1e-999999999", "9" * 400,
    "9" * 24, "0." + "0" * 19 + "1", "1e23", "1e-20", "0e99", "0e-99", "0x10", "0x", "1_000",
    "1j", "...", "1.", ".5", "00", "1E+23", "12.0", "1e0",
)  # fmt: skip
#: Values of inputs: zero, tiny, huge up to the limit of an event's figure, negative.
EXTREME_BINDINGS = tuple(
    Decimal(text)
    for text in (
        "0", "1", "-1", "1E-20", "-1E-20", "0.00000000000000000001", "999999999999999999999999",
        "-999999999999999999999999", "1E+23", "0.3333333333333333333333333333333333333333",
        "7375", "-0.5", "0E-20",
    )
)  # fmt: skip


def extreme_expressions() -> st.SearchStrategy[str]:
    """Grammar-built formulas over ``a`` and ``b`` with extreme constants."""
    atoms = st.sampled_from(["a", "b", *EXTREME_CONSTANTS])

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        operator = st.sampled_from(["+", "-", "*", "/", "<", "==", ">=", "and", "or"])
        exponent = st.sampled_from(["12", "-12", "2", "-1", "0", "1e999", "-1e999", "1e-400"])
        places = st.sampled_from(["0", "20", "1e999", "1e308", "2.0"])
        return st.one_of(
            st.tuples(children, operator, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(children, children, children).map(
                lambda t: f"({t[0]} if {t[1]} else {t[2]})"
            ),
            st.tuples(children, exponent).map(lambda t: f"({t[0]}) ** {t[1]}"),
            st.tuples(st.sampled_from(["-", "+", "not "]), children).map(
                lambda t: f"({t[0]}{t[1]})"
            ),
            st.tuples(st.sampled_from(["abs", "floor", "ceil", "round"]), children).map(
                lambda t: f"{t[0]}({t[1]})"
            ),
            st.tuples(children, places).map(lambda t: f"round({t[0]}, {t[1]})"),
            st.tuples(st.sampled_from(["min", "max"]), children, children).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"
            ),
        )

    return st.recursive(atoms, extend, max_leaves=12)


def check_bounded(expression: str, a: Decimal, b: Decimal) -> None:
    """Compile raises only FormulaError, and warns of nothing; evaluation gives a
    bounded finite Decimal or FormulaUndefinedError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            formula = Formula.compile(expression)
        except FormulaError:
            formula = None
    assert caught == [], [str(w.message) for w in caught]
    if formula is None:
        return
    try:
        names = sorted(formula.names)
        result = formula.evaluate({name: (a, b)[i % 2] for i, name in enumerate(names)})
    except FormulaUndefinedError:
        return
    assert type(result) is Decimal
    assert result.is_finite()
    assert result.copy_abs() < 10**24
    assert len(format(result, "f")) <= MAX_RESULT_CHARACTERS, (expression, result)


@settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    extreme_expressions(),
    st.sampled_from(EXTREME_BINDINGS),
    st.sampled_from(EXTREME_BINDINGS),
)
def test_extreme_formulas_raise_only_formula_errors_and_stay_bounded(
    expression: str, a: Decimal, b: Decimal
) -> None:
    check_bounded(expression, a, b)


@settings(max_examples=examples(300), deadline=None)
@given(
    st.text(st.characters(codec="utf-8"), max_size=60)
    | st.text(st.sampled_from(string.printable), max_size=60)
    | st.lists(st.sampled_from([*EXTREME_CONSTANTS, "if", "else", "or", "and", "a", "(", ")"])).map(
        "".join
    ),
    st.sampled_from(EXTREME_BINDINGS),
)
def test_arbitrary_text_raises_only_formula_errors(expression: str, a: Decimal) -> None:
    check_bounded(expression, a, a)


@pytest.mark.parametrize(
    ("expression", "number"),
    [
        ("1if a else 2", "1if"),
        ("a if a else 0x1for", "0x1for"),
        ("a + 1e5if a else 2", "1e5if"),
        ("a + 1.5else", "1.5else"),
        ("1and a", "1and"),
        ("a + 1_000or b", "1_000or"),
    ],
)
def test_a_number_run_into_a_word_is_refused_without_a_warning(
    expression: str, number: str
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(FormulaError) as refused:
            Formula.compile(expression)
    assert caught == []
    column = expression.index(number) + 1
    assert str(refused.value) == (
        f"{number!r} is not a number (column {column} of {expression!r}) "
        "(write a space between a number and the word after it)"
    )


@pytest.mark.parametrize("expression", ["a1if + b", "1e+5 + a", "1E-5 * a", ".5 + a", "a+1.5"])
def test_numbers_and_names_with_digits_are_not_taken_for_run_ins(expression: str) -> None:
    assert Formula.compile(expression).names <= {"a", "b", "a1if"}
