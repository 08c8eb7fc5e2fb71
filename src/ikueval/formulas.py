"""Formulas: small arithmetic expressions from rule files, run in a sandbox.

Rule files may come from anywhere, so a formula is treated as untrusted code.
It is checked once, when the rule set is loaded, against a whitelist of syntax:

* numbers, the names of the indicator's inputs and parameters;
* ``+ - * /``, ``**`` with a small whole-number exponent written in the formula;
* comparisons, ``and``/``or``/``not`` and ``a if condition else b``;
* calls of the functions in :data:`FUNCTIONS`.

Everything else (attribute access, subscripts, strings, lambdas,
comprehensions, keyword arguments, names starting with ``_``...) is refused at
load time. Size limits keep every evaluation far below a millisecond. The
checked tree is then evaluated by :mod:`simpleeval` over :class:`~decimal.Decimal`
in ikueval's own decimal context, with simpleeval's attribute, subscript and
string handlers removed as a second line of defence.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Decimal,
    DecimalException,
    localcontext,
)
from typing import Any, Final

from attrs import field, frozen
from simpleeval import InvalidExpression, SimpleEval

from .decimals import DIVISION_CONTEXT, MAX_MAGNITUDE, without_exponent
from .errors import FormulaError, IkuEvalError

#: Longest formula accepted, in characters. Real formulas are a few dozen
#: characters; the bound keeps parsing and checking trivially cheap.
MAX_LENGTH: Final = 500
#: Deepest nesting of the syntax tree (a sum of n terms nests n levels).
#: Python's own parser recurses per level; 64 levels is more than any readable
#: formula needs and far from the interpreter's recursion limit.
MAX_DEPTH: Final = 64
#: Most syntax nodes in one formula (bounds the evaluation time).
MAX_NODES: Final = 200
#: Largest exponent of ``**``. Exponents must be whole numbers written in the
#: formula, so a formula can never compute a huge power from its inputs.
MAX_EXPONENT: Final = 12
#: Most decimal places of ``round(x, places)``.
MAX_ROUND_PLACES: Final = 20
#: Results (and numbers written in a formula) must stay below this, like the
#: figures of events (see :data:`ikueval.decimals.MAX_MAGNITUDE`).
MAX_RESULT: Final = MAX_MAGNITUDE


def _round(value: Decimal, places: Decimal = Decimal(0)) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)


def _floor(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


#: The functions a formula may call: name -> (implementation, fewest args, most args).
FUNCTIONS: Final[Mapping[str, tuple[Callable[..., Any], int, int]]] = {
    "min": (min, 2, 16),
    "max": (max, 2, 16),
    "abs": (abs, 1, 1),
    "round": (_round, 1, 2),
    "floor": (_floor, 1, 1),
    "ceil": (_ceil, 1, 1),
}

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
    ast.Pow: operator.pow,
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
_OPERATORS: Final[dict[type, Callable[..., Any]]] = {**_BINARY, **_UNARY, **_COMPARE}
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
    *_OPERATORS,
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
        super().__init__(operators=dict(_OPERATORS), functions=functions, names=dict(names))
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
        if not isinstance(expression, str):
            raise FormulaError(f"a formula is text, found {type(expression).__name__}")
        if len(expression) > MAX_LENGTH:
            raise FormulaError(
                f"formula is {len(expression)} characters long, the limit is {MAX_LENGTH}"
            )
        if not expression.strip():
            raise FormulaError("formula is empty")
        try:
            tree = ast.parse(expression.strip(), mode="eval")
        except SyntaxError as exc:
            column = f" at column {exc.offset}" if exc.offset else ""
            raise FormulaError(f"not a valid expression: {exc.msg}{column}") from None
        except (ValueError, RecursionError, MemoryError):
            raise FormulaError("not a valid expression") from None
        checker = _Checker(expression.strip())
        checker.visit_root(tree)
        return cls(expression=expression, names=frozenset(checker.names), tree=tree.body)

    def evaluate(self, bindings: Mapping[str, Decimal]) -> Decimal:
        """Compute the formula with these values for its names.

        Raises:
            FormulaUndefinedError: the formula has no value here (division by
                zero, overflow, a result that is not a number).
            FormulaError: a name of the formula has no value in ``bindings``.
        """
        missing = sorted(self.names - bindings.keys())
        if missing:
            raise FormulaError(f"formula {self.expression!r} needs a value for {missing}")
        evaluator = _DecimalEval({name: bindings[name] for name in self.names})
        try:
            with localcontext(DIVISION_CONTEXT):
                result = evaluator.eval(self.expression, previously_parsed=self._tree)
        except (ZeroDivisionError, DecimalException) as exc:
            if _is_division_by_zero(exc):
                raise FormulaUndefinedError(f"division by zero in {self.expression!r}") from None
            raise FormulaUndefinedError(
                f"{self.expression!r} has no value here ({_signal_name(exc)})"
            ) from None
        except InvalidExpression as exc:  # pragma: no cover - the checker refuses these first
            raise FormulaError(f"{self.expression!r} is refused: {exc}") from None
        if not isinstance(result, Decimal) or not result.is_finite():  # pragma: no cover
            raise FormulaUndefinedError(f"{self.expression!r} gave {result!r}, not a number")
        if result.copy_abs() >= MAX_RESULT:
            raise FormulaUndefinedError(
                f"{self.expression!r} gives {result:.3E}, beyond the limit of 10^24"
            )
        return without_exponent(result)

    def __str__(self) -> str:
        return self.expression


class _Checker:
    """Walks a parsed formula, refusing what the sandbox does not allow."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.names: set[str] = set()
        self.count = 0

    def refuse(self, node: ast.AST, message: str) -> FormulaError:
        column = getattr(node, "col_offset", None)
        where = f"column {column + 1} of " if column is not None else ""
        return FormulaError(f"{message} ({where}{self.source!r})")

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
        text = ast.get_source_segment(self.source, node) or repr(value)
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise self.refuse(node, f"write numbers in decimal, not {text!r}") from None
        if not number.is_finite() or number.copy_abs() >= MAX_RESULT:
            raise self.refuse(node, f"{text} is too large (the limit is 10^24)")
        # simpleeval returns node.value: give it the exact decimal, not a float.
        node.value = number  # type: ignore[assignment]

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
            places = _whole_constant(node.args[1])
            if places is None or not 0 <= places <= MAX_ROUND_PLACES:
                raise self.refuse(
                    node,
                    f"round(x, places) needs places written as a whole number "
                    f"0..{MAX_ROUND_PLACES}",
                )
        for arg in node.args:
            self.visit(arg, depth + 1)

    def exponent(self, node: ast.expr) -> None:
        value = _whole_constant(node)
        if value is None or abs(value) > MAX_EXPONENT:
            raise self.refuse(
                node,
                f"the exponent of ** must be a whole number from -{MAX_EXPONENT} to "
                f"{MAX_EXPONENT} written in the formula",
            )


def _signals(exc: BaseException) -> list[type]:
    """The decimal signals behind an exception (C decimal lists them in ``args[0]``)."""
    listed = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
    return [type(exc), *(s for s in listed if isinstance(s, type))]


def _is_division_by_zero(exc: BaseException) -> bool:
    """0/0 is DivisionUndefined, x/0 DivisionByZero: both are ZeroDivisionErrors."""
    return any(issubclass(signal, ZeroDivisionError) for signal in _signals(exc))


def _signal_name(exc: BaseException) -> str:
    return _signals(exc)[-1].__name__


def _whole_constant(node: ast.expr) -> int | None:
    """The value of a literal whole number (optionally negated), else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
        value = node.value
        if isinstance(value, int):
            return sign * value
        if isinstance(value, float | Decimal) and value == int(value) and abs(value) < 10**6:
            return sign * int(value)
    return None


def _describe(node: ast.AST) -> str:
    symbol = _SYMBOLS.get(type(node))
    if symbol:
        return f"operator {symbol!r} is not allowed"
    return _DESCRIPTIONS.get(type(node), f"{type(node).__name__} is not allowed")


def _function_list() -> str:
    return ", ".join(sorted(FUNCTIONS))
