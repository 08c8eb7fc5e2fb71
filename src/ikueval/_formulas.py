"""Formulas: small arithmetic expressions from rule files, run in a sandbox.

Rule files may come from anywhere, so a formula is treated as untrusted code.
It is checked once, when the rule set is loaded, against a whitelist of syntax:

* numbers, the names of the indicator's inputs and parameters;
* ``+ - * /``, ``**`` with a small whole-number exponent written in the formula;
* comparisons, ``and``/``or``/``not`` and ``a if condition else b``;
* calls of the functions in :data:`FUNCTIONS`.

Everything else (attribute access, subscripts, strings, lambdas,
comprehensions, keyword arguments, names starting with ``_``, comments, any
character outside printable ASCII...) is refused at load time. Size limits keep
every evaluation far below a millisecond, and number limits keep every value
small enough to write out: numbers written in a formula have at most
:data:`MAX_CONSTANT_PLACES` decimal places, and the values a formula computes
stay within :data:`MIN_VALUE_EXPONENT` and :data:`MAX_VALUE_EXPONENT`, or the
formula has no value (:class:`FormulaUndefinedError`). The checked tree is then
evaluated by :mod:`simpleeval` over :class:`~decimal.Decimal` in the formulas'
own decimal context, with simpleeval's attribute, subscript and string handlers
removed as a second line of defence.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import (
    ROUND_HALF_EVEN,
    Clamped,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    Subnormal,
    Underflow,
    localcontext,
)
from typing import Final

from attrs import field, frozen
from simpleeval import InvalidExpression, SimpleEval

from ._decimals import DIVISION_DIGITS, MAX_MAGNITUDE, without_exponent
from ._errors import FormulaError, IkuEvalError
from ._formula_functions import (
    FUNCTIONS,
    MAX_EXPONENT,
    MAX_ROOT_DEGREE,
    ROOT_DIGITS,
    NegativeRadicandError,
    root,
)
from ._formula_syntax import (
    MAX_CONSTANT_EXPONENT,
    MAX_CONSTANT_PLACES,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    MAX_ROUND_PLACES,
    OPERATORS,
    parse,
)

__all__ = [
    "FUNCTIONS",
    "MAX_CONSTANT_EXPONENT",
    "MAX_CONSTANT_PLACES",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_PLACES",
    "MAX_RESULT",
    "MAX_RESULT_CHARACTERS",
    "MAX_ROOT_DEGREE",
    "MAX_ROUND_PLACES",
    "MAX_VALUE_EXPONENT",
    "MIN_VALUE_EXPONENT",
    "ROOT_DIGITS",
    "Formula",
    "FormulaError",
    "FormulaUndefinedError",
    "root",
]

#: Results (and numbers written in a formula) must stay below this, like the
#: figures of events (see :data:`ikueval._decimals.MAX_MAGNITUDE`).
MAX_RESULT: Final = MAX_MAGNITUDE
#: Most decimal places of a formula's result and of every value it computes.
#: A division keeps 40 significant digits, so the ratio of the smallest figure
#: of an event (10^-20) to the largest (10^24) keeps all of its digits.
MAX_PLACES: Final = 100
#: Every value a formula computes is below 10^(MAX_VALUE_EXPONENT + 1) in
#: magnitude: room for a product of four of the largest figures (10^96), far
#: beyond any report, while a huge intermediate stays cheap to compute.
MAX_VALUE_EXPONENT: Final = 99
#: Every non-zero value a formula computes is at least 10^MIN_VALUE_EXPONENT in
#: magnitude: with 40 significant digits, it then has at most MAX_PLACES places.
MIN_VALUE_EXPONENT: Final = -(MAX_PLACES - DIVISION_DIGITS + 1)
#: Longest result written out with ``format(x, "f")``: a sign, the 24 digits
#: below MAX_RESULT, a point and MAX_PLACES places.
MAX_RESULT_CHARACTERS: Final = 1 + 24 + 1 + MAX_PLACES

#: The context of every operation in a formula: 40 significant digits like a
#: division, and a value outside the exponent range raises (Overflow,
#: Underflow or Subnormal for a tiny value, Clamped for a zero with too many
#: places) instead of growing or silently becoming 0.
_CONTEXT: Final = Context(
    prec=DIVISION_DIGITS,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_VALUE_EXPONENT,
    Emin=MIN_VALUE_EXPONENT,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow, Underflow, Subnormal, Clamped],
)


class FormulaUndefinedError(IkuEvalError):
    """A formula has no value for these inputs (division by zero, overflow...).

    The engine turns this into the ``undefined`` status of a figure.
    """


class _DecimalEval(SimpleEval):  # type: ignore[misc]
    """simpleeval with only the node handlers a checked formula can contain."""

    _REMOVED: Final = (
        ast.Attribute,
        ast.Subscript,
        ast.Slice,
        ast.JoinedStr,
        ast.FormattedValue,
        ast.Assign,
        ast.AugAssign,
        ast.Import,
        ast.keyword,
        getattr(ast, "Index", ast.Slice),
    )

    def __init__(self, names: Mapping[str, Decimal]) -> None:
        functions = {name: impl for name, (impl, _, _) in FUNCTIONS.items()}
        super().__init__(operators=dict(OPERATORS), functions=functions, names=dict(names))
        for node_type in self._REMOVED:
            self.nodes.pop(node_type, None)


@frozen
class Formula:
    """A checked formula; compare and hash by its text.

    Build one with :meth:`compile`. Evaluate with :meth:`evaluate`.
    """

    expression: str
    names: frozenset[str] = field(eq=False, repr=False)
    _tree: ast.expr = field(eq=False, repr=False, alias="tree")

    @classmethod
    def compile(cls, expression: str) -> Formula:
        """Check and compile a formula.

        Raises:
            FormulaError: the formula is not valid or uses refused syntax.
        """
        tree, names = parse(expression)
        return cls(expression=expression, names=names, tree=tree)

    def evaluate(self, bindings: Mapping[str, Decimal]) -> Decimal:
        """Compute the formula with these values for its names.

        Every operation runs in the formulas' own decimal context (never the
        caller's): 40 significant digits, and values within
        :data:`MIN_VALUE_EXPONENT` and :data:`MAX_VALUE_EXPONENT`.

        Raises:
            FormulaUndefinedError: the formula has no value here (division by
                zero, a value out of range, a value that is not a finite number).
            FormulaError: a name of the formula has no value in ``bindings``,
                or a value that is not a :class:`~decimal.Decimal`.
        """
        missing = sorted(self.names - bindings.keys())
        if missing:
            raise FormulaError(f"formula {self.expression!r} needs a value for {missing}")
        values = {name: self._binding(name, bindings[name]) for name in sorted(self.names)}
        evaluator = _DecimalEval(values)
        try:
            with localcontext(_CONTEXT):
                result = evaluator.eval(self.expression, previously_parsed=self._tree)
                return self._checked(result)
        except ArithmeticError as exc:  # ZeroDivisionError and the decimal signals
            raise FormulaUndefinedError(
                f"{self.expression!r} has no value here: {_reason(exc)}"
                if not _is_division_by_zero(exc)
                else f"division by zero in {self.expression!r}"
            ) from None
        except InvalidExpression as exc:  # pragma: no cover - the checker refuses these first
            raise FormulaError(f"{self.expression!r} is refused: {exc}") from None

    def _binding(self, name: str, value: object) -> Decimal:
        if not isinstance(value, Decimal):
            raise FormulaError(
                f"formula {self.expression!r} needs a decimal number for {name!r}, "
                f"found {type(value).__name__}"
            )
        if not value.is_finite():
            raise FormulaUndefinedError(
                f"{self.expression!r} has no value here: {name} is not a finite number"
            )
        return value

    def _checked(self, result: object) -> Decimal:
        """The result, if it is a finite Decimal within the limits (runs in _CONTEXT)."""
        if not isinstance(result, Decimal) or not result.is_finite():
            raise FormulaUndefinedError(f"{self.expression!r} gave {result!r}, not a number")
        if result.copy_abs() >= MAX_RESULT:
            raise FormulaUndefinedError(
                f"{self.expression!r} gives {result:.3E}, beyond the limit of 10^24"
            )
        exponent = result.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_PLACES:
            raise FormulaUndefinedError(
                f"{self.expression!r} gives {result:.3E}, with more than {MAX_PLACES} "
                "decimal places"
            )
        return without_exponent(result)

    def __str__(self) -> str:
        return self.expression


def _signals(exc: BaseException) -> list[type]:
    """The decimal signals behind an exception (C decimal lists them in ``args[0]``)."""
    listed = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
    return [type(exc), *(s for s in listed if isinstance(s, type))]


def _is_division_by_zero(exc: BaseException) -> bool:
    """0/0 is DivisionUndefined, x/0 DivisionByZero: both are ZeroDivisionErrors."""
    return any(issubclass(signal, ZeroDivisionError) for signal in _signals(exc))


#: Why a formula has no value, by the decimal signal raised (first match wins).
_REASONS: Final[tuple[tuple[type, str], ...]] = (
    (NegativeRadicandError, "it takes a root of a negative number"),
    (Overflow, f"a value inside it reaches 10^{MAX_VALUE_EXPONENT + 1}"),
    (Underflow, f"a value inside it is closer to 0 than 10^{MIN_VALUE_EXPONENT}"),
    (Subnormal, f"a value inside it is closer to 0 than 10^{MIN_VALUE_EXPONENT}"),
    (Clamped, f"a zero inside it has more than {MAX_PLACES} decimal places or a huge exponent"),
    (
        InvalidOperation,
        f"an operation without a result (0 ** 0, or a rounding to more than "
        f"{DIVISION_DIGITS} digits)",
    ),
)


def _reason(exc: BaseException) -> str:
    signals = _signals(exc)
    for signal, reason in _REASONS:
        if any(issubclass(s, signal) for s in signals):
            return reason
    return signals[-1].__name__  # pragma: no cover - every trapped signal is listed
