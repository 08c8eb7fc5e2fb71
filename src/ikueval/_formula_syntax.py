"""The syntax of formulas: what a formula may contain, checked when it is loaded.

Private to :mod:`ikueval._formulas`, which re-exports the limits (the
functions a formula may call are in :mod:`ikueval._formula_functions`).
:func:`parse` checks a formula's text against a whitelist: printable ASCII
without comments; numbers written in decimal with at most
:data:`MAX_CONSTANT_PLACES` places; names; the operators of :data:`OPERATORS`;
calls of :data:`FUNCTIONS`; within size limits. Every refusal is a
:class:`~ikueval.FormulaError` naming what is refused and its column.
"""

from __future__ import annotations

import ast
import operator
import re
import tokenize
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

from ._decimals import (
    MAX_DECIMALS,
    MAX_MAGNITUDE,
    decimal_places,
    read_decimal,
)
from ._errors import FormulaError, Problem
from ._formula_functions import FUNCTIONS, MAX_EXPONENT, MAX_ROOT_DEGREE, power

#: Longest formula accepted, in characters. Real formulas are a few dozen
#: characters; the bound keeps parsing and checking trivially cheap.
MAX_LENGTH: Final = 500
#: Deepest nesting of the syntax tree (a sum of n terms nests n levels).
#: Python's own parser recurses per level; 64 levels is more than any readable
#: formula needs and far from the interpreter's recursion limit.
MAX_DEPTH: Final = 64
#: Most syntax nodes in one formula (bounds the evaluation time).
MAX_NODES: Final = 200
#: Most decimal places of ``round(x, places)``.
MAX_ROUND_PLACES: Final = 20
#: Most decimal places of a number written in a formula, like the figures of
#: events (:data:`ikueval._decimals.MAX_DECIMALS`). Without it, ``1e-999999999``
#: would be written out as a billion digits.
MAX_CONSTANT_PLACES: Final = MAX_DECIMALS
#: Largest exponent of a number written in a formula. A number below 10^24 has
#: an exponent of at most 23; only a zero can be written with more (``0e999``).
MAX_CONSTANT_EXPONENT: Final = 24
_ONE: Final = Decimal(1)
_ZERO: Final = Decimal(0)


def _truth(test: Callable[..., bool]) -> Callable[..., Decimal]:
    """A comparison that gives the number 1 or 0, so every value is a Decimal."""

    def compare(*operands: Decimal) -> Decimal:
        return _ONE if test(*operands) else _ZERO

    return compare


_BINARY: Final[Mapping[type[ast.operator], Callable[[Any, Any], Any]]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: power,
}
_UNARY: Final[Mapping[type[ast.unaryop], Callable[[Any], Any]]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: _truth(operator.not_),
}
_COMPARE: Final[Mapping[type[ast.cmpop], Callable[[Any, Any], Any]]] = {
    ast.Eq: _truth(operator.eq),
    ast.NotEq: _truth(operator.ne),
    ast.Lt: _truth(operator.lt),
    ast.LtE: _truth(operator.le),
    ast.Gt: _truth(operator.gt),
    ast.GtE: _truth(operator.ge),
}
OPERATORS: Final[Mapping[type, Callable[..., Any]]] = {**_BINARY, **_UNARY, **_COMPARE}
_ALLOWED_NODES: Final = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.And,
    ast.Or,
    *OPERATORS,
)
_SYMBOLS: Final[Mapping[type, str]] = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.Invert: "~",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_DESCRIPTIONS: Final[Mapping[type, str]] = {
    ast.Attribute: "attribute access (x.y) is not allowed",
    ast.Subscript: "subscripts (x[y]) are not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.JoinedStr: "text is not allowed: a formula computes numbers",
    ast.FormattedValue: "text is not allowed: a formula computes numbers",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Set: "sets are not allowed",
    ast.NamedExpr: "assignments (:=) are not allowed",
    ast.Starred: "star arguments are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Slice: "slices are not allowed",
}

#: Whitespace around a formula that is ignored (ASCII only: a non-breaking or
#: ideographic space is refused like any other character outside ASCII).
_SPACES: Final = " \t\n\r\f\v"
#: Printable ASCII characters that never belong to a formula, although Python
#: reads them: a comment and a line continuation. Every other printable ASCII
#: character is left to the syntax checks, whose messages are more precise
#: ("text is not allowed", "operator '%' is not allowed").
_REFUSED_ASCII: Final = frozenset("#\\")
_CHARACTER_HINT: Final = (
    "write formulas in ASCII letters, digits, operators, parentheses, commas and spaces"
)
_COMMENT_HINT: Final = "comments are not part of a formula: write notes in the indicator's note key"


def _check_characters(source: str) -> None:
    """Refuse characters outside printable ASCII, comments and line continuations.

    Python's parser folds look-alike letters to ASCII (NFKC: ``ａ`` is read as
    ``a``) and skips comments, so a formula would run as something other than
    what a reader sees. ``source`` is at most MAX_LENGTH characters.

    Raises:
        FormulaError: naming the first such character and its column.
    """
    for column, character in enumerate(source, start=1):
        if " " <= character <= "~" and character not in _REFUSED_ASCII:
            continue
        shown = repr(character)
        if not " " <= character <= "~":
            shown += f" (U+{ord(character):04X})"
        hint = _COMMENT_HINT if character == "#" else _CHARACTER_HINT
        raise FormulaError(
            Problem(
                f"character {shown} is not allowed in a formula (column {column} of {source!r})",
                hint=hint,
            )
        )


#: A name, or a number with whatever letters, digits, points and exponent
#: signs run into it (``1if``, ``0x1for``, ``1e+5``), or any other character.
_WORDS: Final = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<number>(?:[0-9]|\.[0-9])(?:[0-9A-Za-z_.]|(?<=[eE])[+-])*)"
    r"|."
)
#: A number as Python writes it (the parser checks the details).
_NUMBER: Final = re.compile(tokenize.Number)


def _check_numbers(source: str) -> None:
    """Refuse a number run into a word (``1if a else 2``).

    Python reads ``1if`` as ``1 if``, with a SyntaxWarning printed on standard
    error, which no program embedding ikueval wants; the warnings filter that
    would silence it is global, not thread-safe, so the text is refused first.

    Raises:
        FormulaError: naming the number and its column.
    """
    for word in _WORDS.finditer(source):
        number = word.group("number")
        if number is not None and not _NUMBER.fullmatch(number):
            raise FormulaError(
                Problem(
                    f"{number!r} is not a number (column {word.start() + 1} of {source!r})",
                    hint="write a space between a number and the word after it",
                )
            )


def parse(expression: str) -> tuple[ast.expr, frozenset[str]]:
    """Check a formula; return its syntax tree, with exact decimal constants, and its names.

    Raises:
        FormulaError: the formula is not valid or uses refused syntax.
    """
    if not isinstance(expression, str):
        raise FormulaError(f"a formula is text, found {type(expression).__name__}")
    if len(expression) > MAX_LENGTH:
        raise FormulaError(
            f"formula is {len(expression)} characters long, the limit is {MAX_LENGTH}"
        )
    source = expression.strip(_SPACES)
    if not source:
        raise FormulaError("formula is empty")
    _check_characters(source)
    _check_numbers(source)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        column = f" at column {exc.offset}" if exc.offset else ""
        raise FormulaError(f"not a valid expression: {exc.msg}{column}") from None
    except (ValueError, RecursionError, MemoryError):
        raise FormulaError("not a valid expression") from None
    checker = _Checker(source)
    checker.visit_root(tree)
    return tree.body, frozenset(checker.names)


class _Checker:
    """Walks a parsed formula, refusing what the sandbox does not allow."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.names: set[str] = set()
        self.count = 0

    def refuse(self, node: ast.AST, message: str, hint: str | None = None) -> FormulaError:
        # The source is ASCII (see _check_characters): byte offsets are columns.
        column = getattr(node, "col_offset", None)
        where = f"column {column + 1} of " if column is not None else ""
        return FormulaError(Problem(f"{message} ({where}{self.source!r})", hint=hint))

    def visit_root(self, tree: ast.Expression) -> None:
        self.visit(tree.body, depth=1)

    def visit(self, node: ast.AST, depth: int) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise FormulaError(f"formula has more than {MAX_NODES} parts: {self.source!r}")
        if depth > MAX_DEPTH:
            raise FormulaError(f"formula nests deeper than {MAX_DEPTH} levels: {self.source!r}")
        if not isinstance(node, _ALLOWED_NODES):
            raise self.refuse(node, _describe(node))
        if isinstance(node, ast.Constant):
            self.constant(node)
            return
        if isinstance(node, ast.Name):
            self.name(node)
            return
        if isinstance(node, ast.Call):
            self.call(node, depth)
            return
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            self.exponent(node.right)
        for child in ast.iter_child_nodes(node):
            self.visit(child, depth + 1)

    def constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            raise self.refuse(node, f"{value} is not allowed: comparisons give 1 or 0")
        if not isinstance(value, int | float):
            kinds = {str: "text is", bytes: "bytes are", complex: "complex numbers are"}
            kind = kinds.get(type(value), f"{value!r} is")
            raise self.refuse(node, f"{kind} not allowed: a formula computes numbers")
        text = self.text(node)
        number = read_decimal(text)
        if number is None:
            raise self.refuse(node, f"write numbers in decimal, not {text!r}")
        if not number.is_finite() or number.copy_abs() >= MAX_MAGNITUDE:
            raise self.refuse(node, f"{text} is too large (the limit is 10^24)")
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)  # a finite number
        if exponent < -MAX_CONSTANT_PLACES:
            raise self.refuse(
                node,
                f"{text} has more than {MAX_CONSTANT_PLACES} decimal places, "
                "the limit of a number in a formula",
            )
        if exponent > MAX_CONSTANT_EXPONENT:
            raise self.refuse(
                node, f"{text} has an exponent above {MAX_CONSTANT_EXPONENT}", hint="write 0"
            )
        # simpleeval returns node.value: give it the exact decimal, not a float.
        node.value = number  # type: ignore[assignment]

    def text(self, node: ast.Constant) -> str:
        """The constant as written (``1e3``, not ``1000.0``)."""
        return ast.get_source_segment(self.source, node) or repr(node.value)

    def whole_constant(self, node: ast.expr) -> int | None:
        """The value of a whole number written in the formula (optionally negated),
        read exactly from its text (``2.0`` is 2, ``12.0000000000000000001`` is not
        whole); None for anything else, or for a number of more than 6 digits."""
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            sign = -1 if isinstance(node.op, ast.USub) else 1
            node = node.operand
        if not isinstance(node, ast.Constant) or not isinstance(node.value, int | float):
            return None
        if isinstance(node.value, bool):
            return None
        number = read_decimal(self.text(node))
        if number is None or not number.is_finite() or decimal_places(number) > 0:
            return None
        if number.adjusted() >= 6:  # checked first: int() of 1e999999999 is huge
            return None
        return sign * int(number)

    def name(self, node: ast.Name) -> None:
        if node.id.startswith("_"):
            raise self.refuse(node, f"names starting with '_' are not allowed ({node.id!r})")
        if node.id in FUNCTIONS:
            raise self.refuse(node, f"function {node.id!r} must be called, e.g. {node.id}(x)")
        self.names.add(node.id)

    def call(self, node: ast.Call, depth: int) -> None:
        if not isinstance(node.func, ast.Name):
            raise self.refuse(node, f"only the functions {_function_list()} may be called")
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.refuse(
                node, f"function {name!r} is not allowed: only {_function_list()} may be called"
            )
        if node.keywords:
            raise self.refuse(node, f"{name}() takes no keyword arguments")
        _, fewest, most = FUNCTIONS[name]
        if not fewest <= len(node.args) <= most:
            expected = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise self.refuse(node, f"{name}() takes {expected} arguments, found {len(node.args)}")
        if name == "round" and len(node.args) == 2:
            places = self.whole_constant(node.args[1])
            if places is None or not 0 <= places <= MAX_ROUND_PLACES:
                raise self.refuse(
                    node,
                    f"round(x, places) needs places written as a whole number "
                    f"0..{MAX_ROUND_PLACES}",
                )
        if name == "root":
            degree = self.whole_constant(node.args[1])
            if degree is None or not 2 <= degree <= MAX_ROOT_DEGREE:
                raise self.refuse(
                    node,
                    f"root(x, n) needs n written as a whole number 2..{MAX_ROOT_DEGREE}",
                    hint="for a square root write sqrt(x)",
                )
        for arg in node.args:
            self.visit(arg, depth + 1)

    def exponent(self, node: ast.expr) -> None:
        value = self.whole_constant(node)
        if value is None or abs(value) > MAX_EXPONENT:
            raise self.refuse(
                node,
                f"the exponent of ** must be a whole number from -{MAX_EXPONENT} to "
                f"{MAX_EXPONENT} written in the formula",
                hint=_ROOT_HINT if _fractional(node) else None,
            )


_ROOT_HINT: Final = "for a root write sqrt(x) or root(x, n); x ** (p / n) is root(x, n) ** p"


def _fractional(node: ast.expr) -> bool:
    """Whether an exponent is meant as a fraction: ``0.5`` or ``(1 / 3)``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, Decimal | float):
        return 0 < abs(node.value) < 1
    return False


def _describe(node: ast.AST) -> str:
    symbol = _SYMBOLS.get(type(node))
    if symbol:
        return f"operator {symbol!r} is not allowed"
    return _DESCRIPTIONS.get(type(node), f"{type(node).__name__} is not allowed")


def _function_list() -> str:
    return ", ".join(sorted(FUNCTIONS))
