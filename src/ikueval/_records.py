"""The fields of an event record, read without guessing.

A record is a mapping (a dict, a CSV row, a JSON object) or an object with
attributes named as the fields (a dataclass, a database row). Its fields are
read strictly, so that nothing a caller passes is silently changed or lost:

* text fields (``indicator``, ``input``, ``id``, ``note``...) and dimension
  values are text, or an ``int``, read as its digits (record numbers and years
  from a database). Anything else (``bytes``, a list, a ``float``, ``True``)
  is refused, never turned into its ``str()``;
* text holding a lone surrogate (``"\\ud800"``, what a bad decoder leaves) is
  refused: it cannot be written to any file or terminal;
* ``dimensions`` is a mapping of dimension names to values; a dimension given
  both there and as a field of its own is refused;
* ``period`` is a :class:`~ikueval._periods.Period`, a date or text; ``date``
  a date or text. A ``datetime`` is refused in both: its day depends on the
  time zone it is read in, so the caller says which day (``.date()``).

Values are read by :mod:`ikueval._events`, which knows the indicator.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final, Protocol

from ._converters import describe
from ._errors import EventError

#: The fields of an event record. Any other column of an event file is a dimension.
FIELDS: Final = (
    "id",
    "indicator",
    "activity",
    "input",
    "period",
    "date",
    "value",
    "unit",
    "document",
    "table",
    "note",
    "ref",
)
#: The fields that hold text.
TEXT_FIELDS: Final = tuple(name for name in FIELDS if name not in ("period", "date", "value"))


class Report(Protocol):
    """Records a problem of the current record, in a column."""

    def __call__(self, column: str | None, message: str, hint: str | None = None) -> None: ...


def record_fields(record: Mapping[str, Any] | object) -> Mapping[str, Any]:
    """The fields of a record: the mapping itself, or the attributes named as fields.

    Raises:
        EventError: the record is neither a mapping nor has any field as attribute.
    """
    if isinstance(record, Mapping):
        return record
    names = [*FIELDS, "dimensions"]
    found = {name: getattr(record, name) for name in names if hasattr(record, name)}
    if not found:
        raise EventError(
            f"cannot read an event from {type(record).__name__}: give a dict or an object "
            f"with attributes {', '.join(FIELDS)}"
        )
    return found


def given(value: Any) -> bool:
    """Whether a field is given: not None, and not blank text."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def read_text(column: str, value: Any, problem: Report) -> str | None:
    """A text field, stripped; None when not given. Reports a value that is not text."""
    if value is None:
        return None
    if isinstance(value, str):
        if not is_text(value):
            problem(column, f"{_surrogate(value)}: the text is not valid Unicode")
            return None
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # more digits than Python writes (sys.get_int_max_str_digits)
            problem(column, "expected text, found a number with thousands of digits")
            return None
    problem(column, f"expected text, found {describe(value)}")
    return None


def is_text(value: str) -> bool:
    """Whether a string can be written as UTF-8 (it holds no lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _surrogate(value: str) -> str:
    position = next(i for i, char in enumerate(value) if "\ud800" <= char <= "\udfff")
    return f"character {position + 1} is a lone surrogate (U+{ord(value[position]):04X})"


def read_dimensions(fields: Mapping[Any, Any], problem: Report) -> dict[str, str]:
    """The dimension values of a record: its ``dimensions`` mapping and its other fields.

    A value not given (None, blank) means the event has no value for that
    dimension, as an empty cell of a CSV file.
    """
    found: dict[str, str] = {}
    nested = fields.get("dimensions")
    if nested is not None:
        if isinstance(nested, Mapping):
            for name, value in nested.items():
                if _name(name, "dimensions", problem):
                    text = read_text(name, value, problem)
                    if text:
                        found[name] = text
        else:
            problem(
                "dimensions",
                f"expected a mapping of dimension names to values, found {describe(nested)}",
                "write {'gender': 'P'}",
            )
    for key, value in fields.items():
        if key in FIELDS or key == "dimensions" or not _name(key, None, problem):
            continue
        text = read_text(key, value, problem)
        if text:
            if key in found:
                problem(key, f"dimension {key!r} is given twice: in 'dimensions' and on its own")
            else:
                found[key] = text
    return dict(sorted(found.items()))


def _name(name: Any, column: str | None, problem: Report) -> bool:
    """Whether a key of a record (or of its dimensions) is usable as a name."""
    if not isinstance(name, str):
        problem(column, f"expected a field or dimension name (text), found {describe(name)}")
        return False
    if not is_text(name):
        problem(column, f"a name holds a lone surrogate: {_surrogate(name)}")
        return False
    return True


def read_day(column: str, value: Any, problem: Report) -> date | None:
    """A ``date`` (not a ``datetime``) given as such; None for anything else."""
    if isinstance(value, datetime):
        problem(
            column,
            f"expected a date, found the date and time {value.isoformat()}",
            "pass its .date(), the day in the time zone you mean",
        )
        return None
    return value if isinstance(value, date) else None
