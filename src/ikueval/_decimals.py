"""Exact decimal arithmetic, number formats and rounding.

Every figure in ikueval is a :class:`decimal.Decimal`. Sums are exact; a
division carries :data:`DIVISION_DIGITS` significant digits, which is what the
audit trail calls the *unrounded* value. Rounding to the places declared in a
rule set happens once, at the end, with :func:`round_figure`.

The arithmetic never depends on the caller's thread-local decimal context:
every operation here uses the contexts defined in this module, which are built
field by field (nothing is taken from :data:`decimal.DefaultContext`). Code
elsewhere in ikueval does its arithmetic through these helpers, or in an
explicit context; comparisons, ``copy_abs`` and ``as_tuple`` need none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import (
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import Enum
from typing import Final

from ._errors import NumberFormatError

#: Significant digits kept by a division. 40 digits is far beyond any figure a
#: report prints (2 places) while keeping the audit trail readable.
DIVISION_DIGITS: Final = 40

#: Digits available to sums. Sums must be exact: a sum that would need more
#: digits raises instead of silently rounding (see :func:`exact_sum`).
SUM_DIGITS: Final = 120

_TRAPS: Final = [InvalidOperation, DivisionByZero, Overflow]


def _context(prec: int, rounding: str, traps: list[type[DecimalException]]) -> Context:
    """A context with every field given, so that none comes from DefaultContext."""
    return Context(
        prec=prec,
        rounding=rounding,
        Emax=999_999,
        Emin=-999_999,
        capitals=1,
        clamp=0,
        flags=[],
        traps=traps,
    )


#: Context of divisions: rounds to DIVISION_DIGITS.
DIVISION_CONTEXT: Final = _context(DIVISION_DIGITS, ROUND_HALF_EVEN, _TRAPS)

#: Context of sums: traps Inexact so that a sum is exact or an error.
SUM_CONTEXT: Final = _context(SUM_DIGITS, ROUND_HALF_EVEN, [*_TRAPS, Inexact])

#: Context of reading text: the constructor is exact, only the trap matters.
_READING_CONTEXT: Final = _context(SUM_DIGITS, ROUND_HALF_EVEN, [InvalidOperation])

#: Largest magnitude and most decimal places of a figure in an event. A sum of
#: such values always fits SUM_DIGITS exactly; anything larger is a typing or
#: export error (no budget or count in a report comes near 10^24).
MAX_MAGNITUDE: Final = Decimal(10**24)
MAX_DECIMALS: Final = 20

ZERO: Final = Decimal(0)
HUNDRED: Final = Decimal(100)


class RoundingMode(Enum):
    """How a figure is rounded to the declared number of places."""

    HALF_UP = "half-up"
    """Round half away from zero: 44.745 -> 44.75. The usual rule in reports."""
    DOWN = "down"
    """Truncate toward zero: 44.7451 -> 44.74. Some offices truncate."""
    HALF_EVEN = "half-even"
    """Banker's rounding: 0.125 -> 0.12, 0.135 -> 0.14."""

    @property
    def decimal_rounding(self) -> str:
        """The :mod:`decimal` rounding constant of this mode."""
        return _DECIMAL_ROUNDING[self]


_DECIMAL_ROUNDING: Final = {
    RoundingMode.HALF_UP: ROUND_HALF_UP,
    RoundingMode.DOWN: ROUND_DOWN,
    RoundingMode.HALF_EVEN: ROUND_HALF_EVEN,
}
#: Contexts of rounding a figure, one per mode.
_ROUNDING_CONTEXTS: Final = {
    mode: _context(SUM_DIGITS, rounding, _TRAPS) for mode, rounding in _DECIMAL_ROUNDING.items()
}


class NumberFormat(Enum):
    """How numbers are written in an event file."""

    INTERNATIONAL = "international"
    """``.`` is the decimal mark, no thousands separators: ``7375``, ``33.64``."""
    INDONESIAN = "indonesian"
    """``.`` groups thousands, ``,`` is the decimal mark: ``7.375``, ``33,64``."""


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """Add decimals exactly, whatever their order.

    Raises:
        NumberFormatError: if the sum needs more than SUM_DIGITS digits.
    """
    total = ZERO
    try:
        for value in values:
            total = SUM_CONTEXT.add(total, value)
    except Inexact:
        raise NumberFormatError(
            f"cannot add these values exactly within {SUM_DIGITS} digits"
        ) from None
    return without_exponent(total)


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator`` to DIVISION_DIGITS significant digits.

    Raises:
        ZeroDivisionError: when the denominator is zero (callers turn this into
            a status on the figure, never into a crash).
    """
    if denominator == 0:
        raise ZeroDivisionError("division by zero")
    return without_exponent(DIVISION_CONTEXT.divide(numerator, denominator))


def multiply(a: Decimal, b: Decimal) -> Decimal:
    """``a * b`` in the division context (exact for figures of normal size)."""
    return without_exponent(DIVISION_CONTEXT.multiply(a, b))


def without_exponent(value: Decimal) -> Decimal:
    """The same value written without a positive exponent: ``8E+1`` -> ``80``.

    Every figure ikueval keeps is in this form, so that its text (in JSON, in
    the audit trail) is exactly the digits of its value.
    """
    # A finite decimal's text holds a "+" (``E+1``, ``e+1`` as the context's ``capitals``
    # say) exactly when its exponent is positive: ``str`` is far cheaper than
    # ``as_tuple`` for a quotient of 40 digits.
    if "+" in str(value) and value.is_finite():
        return value.quantize(Decimal(1), context=SUM_CONTEXT)
    return value


def subtract(a: Decimal, b: Decimal) -> Decimal:
    """``a - b`` exactly."""
    try:
        return without_exponent(SUM_CONTEXT.subtract(a, b))
    except Inexact:
        raise NumberFormatError(
            f"cannot subtract {decimal_text(b)} from {decimal_text(a)} exactly"
        ) from None


def distance(a: Decimal, b: Decimal) -> Decimal:
    """``|a - b|`` to DIVISION_DIGITS significant digits (for ranking, not for figures)."""
    return DIVISION_CONTEXT.subtract(a, b).copy_abs()


def percentage(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator x 100``, dividing last so that 36/30 gives 120 exactly."""
    return divide(multiply(numerator, HUNDRED), denominator)


def mean(values: Iterable[Decimal]) -> Decimal:
    """Arithmetic mean of at least one value.

    Raises:
        ValueError: when there are no values.
    """
    items = list(values)
    if not items:
        raise ValueError("mean of no values")
    return divide(exact_sum(items), Decimal(len(items)))


#: Digits of the working precision of a root: far more than the DIVISION_DIGITS it is
#: rounded to, so that the rounded root is the true root rounded (an error would have
#: to reach the 41st digit).
ROOT_WORKING_DIGITS: Final = 2 * DIVISION_DIGITS + 20

#: Context of the working precision of a root.
_ROOT_CONTEXT: Final = _context(ROOT_WORKING_DIGITS, ROUND_HALF_EVEN, _TRAPS)
#: Context that rounds a root down to DIVISION_DIGITS, so that a root never exceeds the
#: true root (a geometric mean then never exceeds the arithmetic mean).
_ROOT_FLOOR_CONTEXT: Final = _context(DIVISION_DIGITS, ROUND_FLOOR, _TRAPS)


def exact_product(values: Iterable[Decimal]) -> Decimal:
    """Multiply decimals exactly: the product has as many digits as it needs.

    The product of n figures has at most the sum of their digits, so the
    precision is taken from the figures themselves; callers bound how many
    figures they multiply (``rollup_methods.MAX_MEMBERS``).
    """
    items = list(values)
    digits = sum(len(item.as_tuple().digits) for item in items) + 1
    context = _context(digits, ROUND_HALF_EVEN, [*_TRAPS, Inexact])
    product = Decimal(1)
    for item in items:
        product = context.multiply(product, item)
    return without_exponent(product)


def nth_root(value: Decimal, n: int) -> Decimal:
    """The ``n``-th root of a value of 0 or more, to DIVISION_DIGITS significant digits.

    Exact when the root is a decimal of at most DIVISION_DIGITS digits (the root of
    36 is 6, of 2.25 is 1.5); otherwise the true root rounded down to
    DIVISION_DIGITS digits, so it never exceeds the true root.

    Raises:
        ValueError: when the value is negative or ``n`` is not a positive whole number.
    """
    if n < 1:
        raise ValueError(f"a root needs a positive whole number, not {n}")
    if value < 0:
        raise ValueError(f"{decimal_text(value)} has no real root")
    if value == 0 or n == 1:
        return without_exponent(value)
    context = _ROOT_CONTEXT
    root = context.exp(context.divide(context.ln(value), Decimal(n)))
    nearest = DIVISION_CONTEXT.plus(root)
    candidate = nearest.normalize(DIVISION_CONTEXT)
    power = _context(len(candidate.as_tuple().digits) * n + 1, ROUND_HALF_EVEN, _TRAPS)
    if power.power(candidate, n) == value:
        return without_exponent(candidate)
    return without_exponent(_ROOT_FLOOR_CONTEXT.plus(root))


def round_figure(value: Decimal, mode: RoundingMode, places: int) -> Decimal:
    """Round ``value`` to ``places`` decimals with ``mode`` (always shows the places)."""
    quantum = Decimal((0, (1,), -places))
    return value.quantize(quantum, context=_ROUNDING_CONTEXTS[mode])


def plain(value: Decimal) -> str:
    """The decimal as a plain string, never in exponent notation: ``1E+3`` -> ``1000``."""
    if value == 0:
        value = value.copy_abs()  # "-0" would only confuse a reader
    return format(value, "f")


def display(value: Decimal, mode: RoundingMode, places: int) -> str:
    """A figure for people: rounded when it has more than ``places`` decimals.

    Counts stay as they are (``7375``); a computed ratio shows the declared
    places (``66.67``).
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        return plain(round_figure(value, mode, places))
    return plain(value)


# Only ASCII digits: "１２" or "٣" are not numbers in a report.
_INTERNATIONAL: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_INDONESIAN: Final = re.compile(r"-?(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
# A value that is an integer with "." thousands groups in Indonesian and a
# decimal in international notation: 7.375, 1.000, 12.500.
# (Two or more groups, 1.000.000, are not an international number at all.)
_AMBIGUOUS: Final = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")
_NUMERIC_CHARS: Final = re.compile(r"[0-9.,\-]+")
#: What people type for "no figure", instead of the "-" the reports print.
_MISSING_LOOKALIKES: Final = frozenset({"--", "---", "–", "—", "n/a", "na", "nan", "null", "none"})


def decimal_text(value: Decimal) -> str:
    """``str(value)`` (``1E+30``, ``0.5``), whatever the caller's context.

    ``str`` writes the exponent with the context's letter case (``capitals``).
    """
    with localcontext(_READING_CONTEXT):
        return str(value)


def read_decimal(text: str) -> Decimal | None:
    """The exact value of ``text`` as Python writes numbers (``Decimal(text)``), or None.

    ``Decimal(text)`` itself gives NaN for ``"abc"`` when the caller's context
    does not trap InvalidOperation; this never depends on the caller's context.
    """
    with localcontext(_READING_CONTEXT):
        try:
            return Decimal(text)
        except ArithmeticError:
            return None


def is_decimal_text(text: str) -> bool:
    """Whether ``Decimal(text)`` reads the text (as Python writes numbers)."""
    return read_decimal(text) is not None


def check_figure(value: Decimal, written: str | None = None) -> None:
    """Refuse values no report figure can have: infinite, huge or over-precise.

    Args:
        value: the value.
        written: the value as the input wrote it, for the message.

    Raises:
        NumberFormatError: naming what is wrong.
    """
    if not value.is_finite():
        problem = "is not a finite number"
    elif value.copy_abs() >= MAX_MAGNITUDE:
        problem = "is too large for a figure (the limit is 10^24)"
    elif decimal_places(value) > MAX_DECIMALS:
        problem = f"has more than {MAX_DECIMALS} decimal places"
    else:
        return
    shown = written if written is not None else decimal_text(value)
    raise NumberFormatError(f"{shown} {problem}")


def decimal_places(value: Decimal) -> int:
    """Significant decimal places of a finite value: 2 for 1.25 and for 1.2500."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    places = -exponent
    for digit in reversed(digits):
        if places <= 0 or digit != 0:
            break
        places -= 1
    return max(places, 0)


def parse_number(text: str, number_format: NumberFormat | None = None) -> Decimal:
    """Read a number written as text, exactly.

    Args:
        text: the text, e.g. ``"7375"``, ``"33.64"``, ``"7.375"`` or ``"33,64"``.
        number_format: the format the file declares; ``None`` when it declares
            none. Without a declaration, a value that reads differently in the
            Indonesian and the international formats (``7.375``) is refused
            rather than guessed.

    Raises:
        NumberFormatError: the text is not a number in that format, or is ambiguous.
    """
    value = text.strip()
    if not value:
        raise NumberFormatError("expected a number, found an empty value")
    if number_format is NumberFormat.INDONESIAN:
        if _INDONESIAN.fullmatch(value):
            return Decimal(value.replace(".", "").replace(",", "."))
        raise NumberFormatError(_not_a_number(value, number_format))
    if number_format is None and _AMBIGUOUS.fullmatch(value):
        grouped = value.replace(".", "")
        raise NumberFormatError(
            f"{value!r} is ambiguous: {grouped} in the Indonesian format, {value} in the "
            "international one; declare the file's number format "
            "(#: number_format = indonesian, or international)",
        )
    if _INTERNATIONAL.fullmatch(value):
        return Decimal(value)
    raise NumberFormatError(_not_a_number(value, number_format))


def _not_a_number(value: str, number_format: NumberFormat | None) -> str:
    name = number_format.value if number_format else "undeclared (international)"
    message = f"expected a number in the {name} format, found {value!r}"
    if value.casefold() in _MISSING_LOOKALIKES:
        return message + ": write '-' for a figure that was not realised or measured"
    if not _NUMERIC_CHARS.fullmatch(value) or value.strip("-") == "":
        return message
    if number_format is NumberFormat.INDONESIAN:
        return message + ": write thousands as 7.375 and decimals as 33,64"
    if "," in value:
        return message + ": ',' is not a decimal mark here; declare number_format = indonesian"
    return message + ": if the file uses '.' for thousands, declare number_format = indonesian"
