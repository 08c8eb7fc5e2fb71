"""Reading TOML text: whatever the text holds, a document or one located problem.

Hostile TOML (a repeated key before a stray bracket, a number of thousands of
digits, an exponent out of range, tables nested hundreds of levels deep, a
flood of keys) gives :func:`ikueval.inspect_rules` a ``FILE:LINE`` problem,
and :func:`ikueval.loads_rules` a :class:`~ikueval.RuleSetError`, in bounded
time: never a hang, never another exception.
"""

from __future__ import annotations

import decimal
import sys
import time
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from ikueval import RuleSetError, inspect_rules, loads_rules
from ikueval._errors import Location, Problem
from ikueval._loading import toml_text
from ikueval._loading.toml_positions import MAX_PATH_LENGTH
from ikueval._loading.toml_text import MAX_NESTING, TomlDocument, read_toml
from test_fuzz_inputs import BASE_TEXT, check_rule_text, time_limit

BUNDLED = Path(__file__).resolve().parent.parent / "rules" / "bp3mi-jateng-2025.toml"
INT_DIGITS = sys.get_int_max_str_digits()


def messages(text: str) -> list[str]:
    """The problems of a rule text, read under the alarm (a hang fails the test)."""
    with time_limit(5.0):
        report = inspect_rules(text, source="r.toml")
        with pytest.raises(RuleSetError):
            loads_rules(text, source="r.toml")
    return [str(p) for p in report.problems]


def in_base(old: str, new: str) -> str:
    """The corpus's valid rule set with one piece of text replaced."""
    assert old in BASE_TEXT
    return BASE_TEXT.replace(old, new, 1)


# --------------------------------------------------------------------------- repeated keys


@pytest.mark.parametrize("text", ["x=1\nx=2,", "x=1\nx=1}", "x=1\nx=1]", "x = 1\nx = 2 ,]}"])
def test_a_repeated_key_before_a_stray_bracket_is_located(text: str) -> None:
    assert messages(text) == ["r.toml:2: x: not valid TOML: x is set twice (first at line 1)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = 1\n[a]\n", "r.toml:2: a: not valid TOML: a is set twice (first at line 1)"),
        ("a.b = 1\na = 2\n", "r.toml:2: a: not valid TOML: a is set twice (first at line 1)"),
        (
            "[[t]]\nx = 1\n[t.x]\n",
            "r.toml:3: t[0].x: not valid TOML: t[0].x is set twice (first at line 2)",
        ),
    ],
)
def test_a_key_overwritten_by_a_table_is_located(text: str, expected: str) -> None:
    assert messages(text) == [expected]


# --------------------------------------------------------------------------- numbers


def test_an_integer_longer_than_python_reads_is_located() -> None:
    text = in_base("places = 2", "places = " + "1" * (INT_DIGITS + 700))
    assert messages(text) == [
        f"r.toml:15: rounding.places: a number of {INT_DIGITS + 700} digits is too long "
        f"(the most is {INT_DIGITS} digits)"
    ]


def test_a_long_integer_in_a_list_is_located() -> None:
    text = "a = 1\nb = [\n  2,\n  -" + "9_9" * INT_DIGITS + ",\n]\n"
    assert messages(text) == [
        f"r.toml:4: b[1]: a number of {2 * INT_DIGITS} digits is too long "
        f"(the most is {INT_DIGITS} digits)"
    ]


@pytest.mark.parametrize("number", ["1e9999999999999999999", "-1.5E-9999999999999999999"])
def test_an_exponent_out_of_range_is_located(number: str) -> None:
    assert messages(in_base("places = 2", f"places = {number}")) == [
        "r.toml:15: rounding.places: the exponent of the number is out of range"
    ]


def test_reading_numbers_does_not_depend_on_the_callers_decimal_context() -> None:
    text = in_base("places = 2", "places = 1e9999999999999999999")
    with decimal.localcontext() as context:
        context.traps[decimal.InvalidOperation] = False
        context.prec = 3
        assert messages(text) == [
            "r.toml:15: rounding.places: the exponent of the number is out of range"
        ]
        document = read_toml("x = 3.14159265358979323846264338327950288", "f")
    assert isinstance(document, TomlDocument)
    assert document.data["x"] == Decimal("3.14159265358979323846264338327950288")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1e999999999", "1E+999999999 is too large for a figure (the limit is 10^24)"),
        ("1e-999999999", "1E-999999999 has more than 20 decimal places"),
        ("nan", "expected a finite number, found the number NaN"),
        ("-inf", "expected a finite number, found the number -Infinity"),
    ],
)
def test_huge_exponents_and_nan_are_refused_by_the_rules(number: str, message: str) -> None:
    text = in_base("annual = 90 }", f"annual = {number} }}")
    assert messages(text) == [f"r.toml:44: indicators[RATE].targets.pk.annual: {message}"]


# --------------------------------------------------------------------------- nesting


def deep(kind: str, depth: int) -> str:
    """A document ``depth`` levels deep, on line 2."""
    if kind == "header":
        return "a = 1\n[" + ".".join(["t"] * depth) + "]\n"
    if kind == "dotted":
        return "a = 1\n" + ".".join(["k"] * depth) + " = 1\n"
    if kind == "array":
        return "a = 1\nx = " + "[" * (depth - 1) + "1" + "]" * (depth - 1) + "\n"
    assert kind == "inline"
    return "a = 1\nx = " + "{a = " * (depth - 1) + "1" + "}" * (depth - 1) + "\n"


KINDS = ["header", "dotted", "array", "inline"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 500, 5000])
def test_documents_nested_too_deeply_are_refused_with_their_line(kind: str, depth: int) -> None:
    assert messages(deep(kind, depth)) == [
        f"r.toml:2: tables and lists are nested more than {MAX_NESTING} levels deep "
        "(rule files and published figures need far fewer)"
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_documents_at_the_nesting_limit_are_read(kind: str) -> None:
    document = read_toml(deep(kind, MAX_NESTING), "f")
    assert isinstance(document, TomlDocument)


def test_the_scanner_records_every_path_a_readable_document_can_have() -> None:
    assert MAX_NESTING <= MAX_PATH_LENGTH


# --------------------------------------------------------------------------- floods


def test_a_flood_of_unknown_keys_is_reported_in_linear_time() -> None:
    keys = "".join(f"k{n} = {n}\n" for n in range(20_000))
    text = in_base("[rounding]\n", "[rounding]\n" + keys)
    started = time.process_time()
    found = messages(text)
    assert time.process_time() - started < 10.0
    assert len(found) == 20_000
    assert found[0].startswith("r.toml:14: rounding.k0: unknown key 'k0'; expected one of")


def test_a_very_long_key_is_reported() -> None:
    key = "k" * 1_000_000
    found = messages(in_base("[rounding]\n", f"[rounding]\n{key} = 1\n"))
    assert len(found) == 1
    named = f"{'k' * 80}...(1000000 characters)...{'k' * 20}"
    assert found[0].startswith("r.toml:14: rounding.kkk")
    assert "...(1000009 characters)..." in found[0]  # the key path, shortened
    assert f"unknown key '{named}'" in found[0]
    assert len(found[0]) < 1_000


# --------------------------------------------------------------------------- the function


def test_read_toml_gives_the_data_and_the_lines() -> None:
    document = read_toml('a = 1\n[t]\nb = "x"\n', "f.toml")
    assert isinstance(document, TomlDocument)
    assert document.data == {"a": 1, "t": {"b": "x"}}
    assert document.source == "f.toml"
    assert document.lines == {("a",): 1, ("t",): 2, ("t", "b"): 3}
    assert document.line(("t", "b", "c", 0)) == 3
    assert document.line(("z",)) is None


def test_read_toml_gives_one_located_problem() -> None:
    problem = read_toml("a = 1\nb = \n", "f.toml")
    assert problem == Problem(
        "not valid TOML: a value is missing or malformed (text needs quotes) at column 5",
        location=Location("f.toml", 2),
    )


def test_the_lines_are_found_only_when_a_problem_needs_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(text: str) -> None:
        raise AssertionError("the line map was computed")

    monkeypatch.setattr(toml_text, "key_lines", refuse)
    assert inspect_rules(BASE_TEXT).problems == ()
    with pytest.raises(AssertionError, match="line map"):
        inspect_rules(in_base("places = 2", 'places = "2"'))


TOML_FLOATS = r"[+-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?"


@settings(max_examples=examples(200), deadline=None)
@given(st.from_regex(TOML_FLOATS, fullmatch=True) | st.sampled_from(["+inf", "-nan", "nan"]))
def test_floats_are_read_exactly_as_decimal_reads_them(number: str) -> None:
    try:
        expected: Decimal | None = tomllib.loads(f"x = {number}", parse_float=Decimal)["x"]
    except decimal.InvalidOperation:  # an exponent out of Decimal's range
        expected = None
    with decimal.localcontext() as context:
        context.prec = 2
        context.traps[decimal.InvalidOperation] = False
        document = read_toml(f"x = {number}", None)
    if expected is None:
        assert isinstance(document, Problem)
    else:
        assert isinstance(document, TomlDocument)
        assert repr(document.data["x"]) == repr(expected)


# --------------------------------------------------------------------------- fuzzing

#: Hostile constructs, inserted anywhere in a valid rule file.
HOSTILE = (
    "\nx=1\nx=2,", "}", "]", ",", "\n[[a]]\n[a]\n", "9" * (INT_DIGITS + 1), "1e9999999999999999999",
    "[" * 400, "{a=" * 400, ".a" * 400, "\n[" + "a." * 400 + "a]\n", "nan", "-inf", '"""',
    "'''", "\\", "\n" + "a." * 40 + "b = 1\n",
)  # fmt: skip


@settings(max_examples=examples(150), deadline=None)
@given(st.integers(0, len(BASE_TEXT)), st.sampled_from(HOSTILE), st.sampled_from(HOSTILE))
def test_hostile_toml_anywhere_in_a_rule_file(position: int, first: str, second: str) -> None:
    check_rule_text(BASE_TEXT[:position] + first + second + BASE_TEXT[position:])


def test_the_bundled_rule_set_needs_few_levels() -> None:
    document = read_toml(BUNDLED.read_text(encoding="utf-8"), "bundled")
    assert isinstance(document, TomlDocument)
    assert max(len(path) for path in document.lines) == 6  # target_inputs.DOC.SLOT.INPUT


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "k-1", '"q.r"', "'s'", " ", "\t", ".", ". ", "\n", "\r", "=", "x"]),
        max_size=120,
    ),
    st.integers(MAX_NESTING - 2, MAX_NESTING + 2),
)
def test_every_key_too_deep_lies_in_a_line_of_many_dots(pieces: list[str], parts: int) -> None:
    """The quick search for a line of many dots finds every key the exact pattern finds."""
    text = "".join(pieces) + ".".join(["k"] * parts) + "".join(reversed(pieces))
    if toml_text._MANY_PARTS.search(text):
        assert toml_text._MANY_DOTS.search(text)
