"""Boundary values the mutations insert: the numbers, texts, dates and characters where
input handling breaks, and lengths on both sides of the documented limits
(``docs/limits.md``)."""

from __future__ import annotations

from typing import Final

#: Numbers as an event file or a rule file may write them, valid or not.
NUMBERS: Final = (
    "0", "-0", "-1", "1", "0.5", "100", "1e3", "1E+23", "1e24", "-1e24",
    "999999999999999999999999", "1000000000000000000000000", "99999999999999999999999.5",
    "0.00000000000000000001", "0.000000000000000000001", "1e-20", "1e-21", "0e99", "0e-99",
    "1e999999999", "1e-999999999", "1e999999999999999999999", "-1e999",
    "9" * 4300, "9" * 4301, "1" + "0" * 100, "0." + "0" * 99 + "1",
    "NaN", "nan", "-nan", "sNaN", "inf", "-inf", "Infinity", "-Infinity",
    "1_000", "0x10", "0o7", "0b1", "1.", ".5", "1e", "+1", "--1", "1..2",
    "1,5", "1.234.567,89", "7.375", "33,64", "6.948.530.000", "0,1.2",
    "١٢٣", "１２３", "½", "²", "1 000", "1\u00a0000", "1%", "Rp 1.000", "(5)",
)  # fmt: skip

#: Periods and dates, inside and outside the rule sets' years, valid and not.
PERIODS: Final = (
    "2025", "2025-Q1", "2025-Q2", "2025-Q4", "2025-Q5", "2025-Q0", "2025-q2", "2025-00",
    "2025-06", "2025-12", "2025-13", "2025-02-29", "2024-02-29", "2025-04-31", "2025-06-30",
    "0001-01-01", "9999-12-31", "0000", "2024-Q4", "2026-Q1", "2021", "2020-Q1", "2025-W01",
    "2025-06-30T00:00:00", "20250630", "2025-6-3", "Q2-2025", "2025-Q2..2025-Q3", "2025-H1",
)  # fmt: skip

#: Characters that break lines, encodings, terminals and parsers.
CHARACTERS: Final = (
    "\x00", "\x01", "\x1b[31m", "\x07", "\x08", "\x0b", "\x0c", "\r", "\n", "\r\n", "\t",
    "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200e", "\u202e", "\ufffd",
    "e\u0301", "\U0001f600", "\uff21", "\u0430", "ß", "İ",
)  # fmt: skip

#: Words that parsers, templates and spreadsheets treat specially.
WORDS: Final = (
    "", " ", "-", "–", "—", "n/a", "N/A", "null", "None", "nil", "true", "false", "TRUE",
    "undefined", "__class__", "__import__", "{{7*7}}", "${x}", "<script>", "&amp;",
    "=1+1", "@SUM(A1)", "+cmd", "|", "*", "**", "`", "%s", "%n",
    '"', "'", '"""', "'''", "\\", "\\u0000", "\\ud800", ",", ";", "#", "=", "[", "]",
    "{", "}", "[[", "]]", ".", ":", "#:", "#: number_format = indonesian",
    "#: number_format = international", "#: number_format = klingon",
)  # fmt: skip

#: Separators of a CSV file and of its directives.
SEPARATORS: Final = (",", ";", "\t", "|", " ", ",,", ";;")

#: Lengths around the documented bounds: a CSV cell or JSON text (10,000), Python's own bound
#: of a CSV cell (131,072), a formula (500). Longer strings are drawn rarely (they cost time).
LENGTHS: Final = (0, 1, 100, 499, 500, 501, 9_999, 10_000, 10_001, 131_073)

#: Depths of nesting around the bounds: JSON (20), TOML (32), a formula (64), the
#: interpreter's recursion limit (1,000), and where quadratic work shows (20,000).
DEPTHS: Final = (2, 19, 20, 21, 31, 32, 33, 64, 65, 500, 1_000, 5_000, 20_000)

#: Raw JSON literals (not texts): the numbers and constants a JSON parser may accept.
JSON_LITERALS: Final = (
    "NaN", "Infinity", "-Infinity", "1e999999999", "1e999999999999999999999", "-0",
    "1E+23", "1e-999999999", "9" * 4301, "1" * 101, "true", "false", "null", "[]", "{}",
    '"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', '"\\u0000repeated"', '"\\u0000duplicate"',
    '"\\u2028"', '"\\ufeff"', '""', '"-"', '" "', '"2025-Q2"', '"7.375"', '"33,64"',
)  # fmt: skip

#: TOML values (as written in a file) of every type the format has.
TOML_LITERALS: Final = (
    '""', '" "', '"-"', "'literal'", '"""\nmulti\nline"""', "'''\n'''", '"\\u0000"',
    '"\\uD800"', '"\\x41"', '"a\\tb"', "[]", "[[]]", "{}", '[1, "a"]', "[{}]", "{ a = 1 }",
    "true", "false", "1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", "2025-13-01",
    "inf", "-inf", "nan", "+nan", "-0.0", "0", "-1", "1e999999999", "1e-999999999",
    "9" * 4301, "1_000", "0x7fffffffffffffff", "0xffffffffffffffffffff", "0o777", "0b101",
    "1.5e308", "5e-324", "2025", '"2025-Q2"', '"annual"', '"IKU-01"', '"pk"',
)  # fmt: skip
