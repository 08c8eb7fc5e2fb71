"""cattrs converters: rule sets from and to TOML data, results to and from JSON.

Structuring is strict: a key the model does not have is an error, text is not
silently turned into a number nor a number into text, and a list is required
where the model has a sequence. Every leaf error says what was expected and
what was found; :mod:`ikueval._loading.rules` attaches the file, line and key.

The converters are built once per process; they hold no state besides
cattrs' own memoised hooks.
"""

from __future__ import annotations

import collections.abc
import re
import typing
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from functools import cache
from typing import Any, Final

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import (
    make_dict_structure_fn,
    make_dict_unstructure_fn,
    mapping_structure_factory,
    override,
)

from . import _results as results
from ._decimals import MAX_MAGNITUDE, check_figure, without_exponent
from ._errors import echo
from ._formulas import Formula
from ._model import Basis, LowerIsBetter, NoCap, RangeRule, TargetFigure, TargetRange, TargetValue
from ._suggest import did_you_mean


class ExpectedError(ValueError):
    """A value of the wrong kind, with what was expected and an optional hint."""

    def __init__(self, expected: str, found: object, hint: str | None = None) -> None:
        self.expected = expected
        self.found = found
        self.hint = hint
        super().__init__(f"expected {expected}, found {describe(found)}")


def describe(value: object) -> str:
    """A value as a person reads it in an error: ``text 'abc'``, ``the number 3``."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"text {echo(value)!r}" if value.strip() else "empty text"
    if isinstance(value, int | Decimal | float):
        try:
            return f"the number {echo(str(value))}"
        except ValueError:  # an int longer than Python writes (sys.get_int_max_str_digits)
            return "a number of thousands of digits"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    return type(value).__name__


def _structure_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise ExpectedError("text in quotes", value)
    if not value.strip():
        raise ExpectedError(
            "text", value, "write something, or leave the key out if it is optional"
        )
    return value


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise ExpectedError("true or false", value, "write true or false without quotes")
    return value


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExpectedError("a whole number", value)
    return value


#: Whole numbers written in a rule file are figures as they stand when below the largest
#: magnitude :func:`check_figure` allows: no exponent, no decimal places.
_PLAIN_WHOLE: Final = int(MAX_MAGNITUDE)


def _structure_decimal(value: Any, _: type) -> Decimal:
    if type(value) is int and -_PLAIN_WHOLE < value < _PLAIN_WHOLE:
        return Decimal(value)  # what the checks below return for it, at a fraction of the cost
    if isinstance(value, bool):
        raise ExpectedError("a number", value)
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        if not number.is_finite():
            raise ExpectedError("a finite number", value)
        check_figure(number)
        return without_exponent(number)  # TOML's 1e3 is 1000
    hint = "write numbers without quotes" if isinstance(value, str) else None
    raise ExpectedError("a number", value, hint)


def _structure_target_value(value: Any, _: type) -> TargetValue:
    if isinstance(value, str):
        return _structure_str(value, str)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ExpectedError("a number or a category in quotes", value)
    return _structure_decimal(value, Decimal)


_RANGE_KEYS: Final = ("min", "max")


def _structure_range(value: dict[str, Any]) -> TargetRange:
    """A target range ``{ min = 80, max = 90 }``, refused as one value when malformed (so
    that a misspelt key gives one problem, at the target)."""
    unknown = sorted(key for key in value if key not in _RANGE_KEYS)
    missing = [key for key in _RANGE_KEYS if key not in value]
    if unknown or missing:
        if len(unknown) == 1 and len(missing) == 1:  # one key misspelt: the missing one
            hint = f"{unknown[0]!r} is not a key of a range: did you mean {missing[0]!r}?"
        elif unknown:
            hint = f"{unknown[0]!r} is not a key of a range"
        else:
            hint = f"add {missing[0]} = ..."
        raise ExpectedError("a range with the keys min and max", value, hint)
    bounds = []
    for key in _RANGE_KEYS:
        try:
            bounds.append(_structure_decimal(value[key], Decimal))
        except ExpectedError as exc:
            raise ExpectedError(f"a range whose {key} is a number", value, exc.hint) from None
    return TargetRange(*bounds)


def _structure_target_figure(value: Any, _: type) -> TargetFigure:
    """A target: a number, a category in quotes, or a range ``{ min = 80, max = 90 }``."""
    if type(value) is int and -_PLAIN_WHOLE < value < _PLAIN_WHOLE:
        return Decimal(value)  # the usual target, as _structure_decimal reads it
    if isinstance(value, dict):
        return _structure_range(value)
    if isinstance(value, str):
        return _structure_str(value, str)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ExpectedError(
            "a number, a category in quotes or a range { min = ..., max = ... }", value
        )
    return _structure_decimal(value, Decimal)


def _structure_cap(value: Any, _: type) -> Decimal | NoCap | None:
    """A cap: a number of percent, or ``"none"`` for no cap."""
    if value is None:
        return None
    if isinstance(value, str) and value == NoCap.NONE.value:
        return NoCap.NONE
    if isinstance(value, str | bool) or not isinstance(value, int | Decimal):
        hint = did_you_mean(value, [NoCap.NONE.value]) if isinstance(value, str) else None
        raise ExpectedError("a number, or 'none' for no cap", value, hint)
    return _structure_decimal(value, Decimal)


def _structure_formula(value: Any, _: type) -> Formula:
    return Formula.compile(_structure_str(value, str))


def _structure_enum(value: Any, enum: type[Enum]) -> Enum:
    if isinstance(value, str):
        # the member of that value, as the loop below finds it, in one look-up
        found = enum._value2member_map_.get(value)
        if found is not None:
            return found
        for member in enum:
            if member.value == value:
                return member
    choices = [str(member.value) for member in enum]
    raise ExpectedError(
        "one of " + ", ".join(repr(c) for c in choices),
        value,
        did_you_mean(value, choices) if isinstance(value, str) else None,
    )


def _is_tuple(typ: Any) -> bool:
    return typing.get_origin(typ) is tuple


def _tuple_hook(converter: cattrs.Converter) -> Callable[[Any, Any], tuple[Any, ...]]:
    def structure(value: Any, typ: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise ExpectedError("a list [...]", value)
        args = typing.get_args(typ)
        element = args[0]
        items = []
        errors = []
        for index, item in enumerate(value):
            try:
                items.append(converter.structure(item, element))
            except Exception as exc:
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring {typ} @ index {index}", index, element),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {typ}", errors, typ)
        return tuple(items)

    return structure


def _is_mapping(typ: Any) -> bool:
    return typing.get_origin(typ) in (Mapping, dict, collections.abc.Mapping)


def _table_only(
    hook: Callable[[Any, Any], Any],
) -> Callable[[Any, Any], Any]:
    """A hook that refuses anything but a table, before cattrs looks inside."""

    def structure(value: Any, typ: Any) -> Any:
        if not isinstance(value, dict):
            raise ExpectedError("a table", value, "write key = value pairs, or { ... }")
        return hook(value, typ)

    return structure


def _unstructure_decimal(value: Decimal) -> int | Decimal:
    """Whole decimals as TOML integers, others as TOML floats written exactly."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(value)
    return value


@cache
def rules_converter() -> cattrs.Converter:
    """The converter between rule-set data (as read from TOML) and the model."""
    converter = cattrs.Converter(
        forbid_extra_keys=True, detailed_validation=True, omit_if_default=True
    )
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_structure_hook(TargetValue, _structure_target_value)
    converter.register_structure_hook(TargetFigure, _structure_target_figure)
    converter.register_structure_hook(Formula, _structure_formula)
    converter.register_structure_hook(Decimal | NoCap, _structure_cap)
    converter.register_structure_hook(Decimal | NoCap | None, _structure_cap)
    converter.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Enum), _structure_enum
    )
    # a string enum is a str too: without this, the hook of str would take it
    converter.register_structure_hook(StrEnum, _structure_enum)
    converter.register_structure_hook_func(_is_tuple, _tuple_hook(converter))
    converter.register_structure_hook_factory(
        _is_mapping, lambda typ: _table_only(mapping_structure_factory(typ, converter))
    )
    converter.register_structure_hook_factory(
        attrs.has, lambda cl: _table_only(make_dict_structure_fn(cl, converter))
    )
    converter.register_unstructure_hook(Decimal, _unstructure_decimal)
    converter.register_unstructure_hook(Formula, lambda f: f.expression)
    converter.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Enum), lambda e: e.value
    )
    converter.register_unstructure_hook(StrEnum, lambda e: e.value)
    converter.register_unstructure_hook_func(
        _is_tuple, lambda v: [converter.unstructure(x) for x in v]
    )
    return converter


#: Fields of the results that JSON leaves out when they have their default: settings
#: that only some rule sets use, so that the documents of the others stay as they were.
OMITTED_IF_DEFAULT: Final[Mapping[str, tuple[str, ...]]] = {
    "Achievement": ("indicator_settings", "range_rule", "compared_with"),
    "IndicatorResult": ("rounding",),
    "Realisation": ("category",),
    "Target": ("category", "computed"),
    "Evaluation": ("trail",),
}

#: Fields the evaluation document writes itself rather than as the converter would
#: (``ikueval._reports.json``): an indicator's achievements become its ``bases`` and
#: its comparisons come last; an achievement's realisation and target are written
#: once per indicator and referred to by the key they are written under.
WRITTEN_APART: Final[Mapping[str, tuple[str, ...]]] = {
    "Achievement": ("realisation", "target"),
    "IndicatorResult": ("achievements", "comparisons"),
}


@cache
def results_converter() -> cattrs.Converter:
    """The converter between results (with their trails) and JSON data.

    Numbers become strings (``"33.64"``) so that no digit is lost; enums their
    values. Reading JSON back gives equal results (see :func:`ikueval._audit.replay`).
    Reading is strict: a number is text written as ikueval writes it (digits,
    a point, digits: never ``1E+999999999``, whose digits would not fit in
    memory), text is text, a list is a list and an object an object.
    """
    return _results_converter(apart=False)


@cache
def document_converter() -> cattrs.Converter:
    """:func:`results_converter`, leaving out of an indicator and of an achievement what
    the evaluation document writes apart (:data:`WRITTEN_APART`)."""
    return _results_converter(apart=True)


def _results_converter(apart: bool) -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=True)
    converter.register_unstructure_hook(Decimal, lambda d: format(d, "f"))
    converter.register_structure_hook(Decimal, _structure_written_decimal)
    converter.register_structure_hook(str, _structure_json_text)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)

    def target_value(value: Any, _: Any) -> TargetValue | None:
        if value is None:
            return None
        text = _structure_json_text(value, str)
        return Decimal(text) if _WRITTEN_DECIMAL.fullmatch(text) else text

    def target_figure(value: Any, _: Any) -> TargetFigure | None:
        if isinstance(value, dict):  # a target range
            if sorted(value) != ["max", "min"]:
                raise ExpectedError('a range {"min": ..., "max": ...}', value)
            return TargetRange(
                _structure_written_decimal(value["min"], Decimal),
                _structure_written_decimal(value["max"], Decimal),
            )
        return target_value(value, None)

    converter.register_structure_hook(TargetValue, target_value)
    converter.register_structure_hook(TargetValue | None, target_value)
    converter.register_structure_hook(TargetFigure, target_figure)
    converter.register_structure_hook(TargetFigure | None, target_figure)
    converter.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Enum), lambda e: e._value_
    )
    converter.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Enum), _structure_enum
    )
    converter.register_structure_hook_func(_is_tuple, _tuple_hook(converter))
    converter.register_structure_hook_factory(
        _is_mapping, lambda typ: _object_only(mapping_structure_factory(typ, converter))
    )
    converter.register_structure_hook_factory(
        attrs.has, lambda cl: _object_only(make_dict_structure_fn(cl, converter))
    )
    converter.register_unstructure_hook(StrEnum, lambda e: e.value)
    converter.register_structure_hook(StrEnum, _structure_enum)
    converter.register_unstructure_hook(results.Part, _unstructure_part(converter))
    # the optional scalars of the results, without cattrs' dispatch on each value
    converter.register_unstructure_hook(
        Decimal | None, lambda d: None if d is None else format(d, "f")
    )
    converter.register_unstructure_hook(str | None, lambda text: text)
    for enum in (Basis, LowerIsBetter, RangeRule):
        converter.register_unstructure_hook(enum | None, lambda e: None if e is None else e._value_)
    omitted = {getattr(results, name): fields for name, fields in OMITTED_IF_DEFAULT.items()}
    left_out = {getattr(results, name): fields for name, fields in WRITTEN_APART.items()}

    def omitting(cls: Any) -> Callable[[Any], Any]:
        overrides = {field: override(omit_if_default=True) for field in omitted.get(cls, ())}
        if apart:
            overrides.update({field: override(omit=True) for field in left_out.get(cls, ())})
        # the field overrides are keyword arguments, which the stubs cannot type
        make: Any = make_dict_unstructure_fn
        return make(cls, converter, **overrides)  # type: ignore[no-any-return]

    # a factory: the hooks are made when first used, after all are registered, so
    # that a class holding another (an achievement, its realisation) uses its hook
    converter.register_unstructure_hook_factory(lambda t: t in omitted or t in left_out, omitting)
    return converter


def part_data(part: results.Part, figure: Callable[[Any], Any]) -> dict[str, Any]:
    """A part, the most numerous object of a trail, as the document writes it, without
    cattrs' generic walk (``figure`` unstructures a value that is not a decimal);
    ``periods`` only when it is not 1 (a part of a compact trail merging several)."""
    value = part.value
    data: dict[str, Any] = {
        "period": part.period,
        "value": format(value, "f") if type(value) is Decimal else figure(value),
        "count": part.count,
    }
    if part.periods != 1:
        data["periods"] = part.periods
    data["dimensions"] = dict(part.dimensions)
    data["sources"] = list(part.sources)
    return data


def _unstructure_part(converter: cattrs.Converter) -> Callable[[results.Part], dict[str, Any]]:
    """:func:`part_data` with ``converter``."""
    figure = converter.unstructure

    def unstructure(part: results.Part) -> dict[str, Any]:
        return part_data(part, figure)

    return unstructure


#: A number as :func:`results_converter` writes it: ``format(value, "f")``.
_WRITTEN_DECIMAL: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _structure_written_decimal(value: Any, _: type) -> Decimal:
    if not isinstance(value, str) or not _WRITTEN_DECIMAL.fullmatch(value):
        raise ExpectedError('a number written as text, such as "33.64"', value)
    return Decimal(value)


def _structure_json_text(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise ExpectedError("text", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ExpectedError("valid Unicode text (no lone surrogate)", value) from None
    return value


def _object_only(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """A hook that refuses anything but a JSON object, before cattrs looks inside."""

    def structure(value: Any, typ: Any) -> Any:
        if not isinstance(value, dict):
            raise ExpectedError("an object {...}", value)
        return hook(value, typ)

    return structure
