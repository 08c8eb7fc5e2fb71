"""The functions a formula may call (:data:`FUNCTIONS`), in exact decimal arithmetic.

Private to :mod:`ikueval._formula_syntax`, which checks that a formula calls
only these, with the number of arguments each takes, and
:mod:`ikueval._formulas`, which runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Final

from ._decimals import DIVISION_CONTEXT, DIVISION_DIGITS, without_exponent

#: Largest exponent of ``**``. Exponents must be whole numbers written in the
#: formula, so a formula can never compute a huge power from its inputs.
MAX_EXPONENT: Final = 12
#: Largest degree n of ``root(x, n)``, written in the formula like the exponent
#: of ``**``: a geometric mean of up to 12 components (PMK 22/2021's budget
#: performance value has 4) while the integer root stays a few hundred digits.
MAX_ROOT_DEGREE: Final = MAX_EXPONENT
#: Significant digits of a root: those of a division (:data:`~ikueval._decimals.DIVISION_DIGITS`).
ROOT_DIGITS: Final = DIVISION_DIGITS

# The functions and operators run inside Formula.evaluate, whose decimal context
# is the current context during an evaluation (see ikueval._formulas).


def _round(value: Decimal, places: Decimal = Decimal(0)) -> Decimal:
    return value.quantize(Decimal((0, (1,), -int(places))), rounding=ROUND_HALF_UP)


def _floor(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


def power(base: Decimal, exponent: Decimal) -> Decimal:
    """``base ** exponent``; 0 to a negative power is a division by zero, not infinity."""
    if not base and exponent < 0:
        raise ZeroDivisionError("0 to a negative power")
    return base**exponent


class NegativeRadicandError(ArithmeticError):
    """A root of a negative number: the formula has no value (``undefined``)."""


def _integer_root(number: int, degree: int) -> int:
    """The largest whole r with r ** degree <= number (number >= 0), by Newton's method.

    The first guess is a power of two at or above the root; from above, every
    step decreases until the root is reached, so the loop ends after about
    log2 of the number's bits steps.
    """
    if number < 2:
        return number
    guess = 1 << -(-number.bit_length() // degree)
    while True:
        better = ((degree - 1) * guess + number // guess ** (degree - 1)) // degree
        if better >= guess:
            return guess
        guess = better


def root(value: Decimal, degree: Decimal | int = 2) -> Decimal:
    """The ``degree``-th root of ``value``, correctly rounded to :data:`ROOT_DIGITS` digits.

    Exact whenever the root has at most ROOT_DIGITS significant digits
    (``root(27, 3)`` is 3, ``root(2.25, 2)`` is 1.5), written without trailing
    zeros after the point. The arithmetic is on whole numbers, so it depends on
    no decimal context.

    Args:
        value: the radicand, a finite decimal.
        degree: a whole number from 2 to :data:`MAX_ROOT_DEGREE`.

    Raises:
        NegativeRadicandError: for a negative radicand (no real root is taken,
            even of odd degree: a negative component of an index is an error
            in the data).
        ValueError: for a degree outside 2..MAX_ROOT_DEGREE.
    """
    n = int(degree)
    if n != degree or not 2 <= n <= MAX_ROOT_DEGREE:
        raise ValueError(f"the degree of a root is a whole number 2..{MAX_ROOT_DEGREE}")
    if value < 0:
        raise NegativeRadicandError("a root of a negative number")
    if not value:
        return Decimal(0)
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite decimal
    coefficient = int("".join(map(str, digits)))
    # value = coefficient * 10^exponent. Scale by 10^(n*k) so that the exponent
    # becomes a multiple of n and the integer root has at least ROOT_DIGITS + 2
    # digits: root(value) = root(coefficient * 10^(exponent + n*k)) * 10^-k.
    wanted = ROOT_DIGITS + 2
    k = max(-(-(n * wanted - len(digits) - exponent) // n), -(exponent // n))
    scaled = coefficient * 10 ** (exponent + n * k)
    whole = _integer_root(scaled, n)
    if whole**n == scaled:
        exact = Decimal((0, _digits(whole), -k))
        return without_exponent(exact.normalize(context=DIVISION_CONTEXT))
    # The root lies strictly between whole and whole + 1, and whole has at least
    # ROOT_DIGITS + 2 digits: a last digit 5 rounds exactly as the root would.
    sticky = Decimal((0, _digits(whole * 10 + 5), -k - 1))
    return without_exponent(DIVISION_CONTEXT.plus(sticky))


def _digits(number: int) -> tuple[int, ...]:
    return tuple(int(digit) for digit in str(number))


def _sqrt(value: Decimal) -> Decimal:
    return root(value, 2)


#: The functions a formula may call: name -> (implementation, fewest args, most args).
FUNCTIONS: Final[Mapping[str, tuple[Callable[..., Any], int, int]]] = {
    "min": (min, 2, 16),
    "max": (max, 2, 16),
    "abs": (abs, 1, 1),
    "round": (_round, 1, 2),
    "floor": (_floor, 1, 1),
    "ceil": (_ceil, 1, 1),
    "sqrt": (_sqrt, 1, 1),
    "root": (root, 2, 2),
}
