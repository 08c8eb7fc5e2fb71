"""Realisation events: what happened, when, and where the figure came from.

An event says that ``value`` of an indicator (or of one of its inputs) was
realised in a period or on a date (or, naming an ``activity`` instead, what
the activity had spent by a date), optionally broken down by dimensions, and
records its source: a file and line, or a reference given by the caller. The
value ``"-"`` records that a table reported the figure as not measured: it
is kept and shown in the audit trail, and it is never read as zero.

This module turns plain records (dicts or objects with the same attribute
names) into checked :class:`Event` values. It reads no files: see
:mod:`ikueval._loading.events` for CSV and JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

from attrs import field, frozen

from ._converters import describe
from ._decimals import NumberFormat, check_figure, parse_number, without_exponent
from ._errors import EventError, IkuEvalError, Location, Problem
from ._model import IMPLICIT_INPUT, Indicator, RuleSet, TargetValue, frozen_mapping
from ._periods import Granularity, Period
from ._records import FIELDS as FIELDS  # the fields of a record, re-exported
from ._records import (
    TEXT_FIELDS,
    Report,
    given,
    is_text,
    read_day,
    read_dimensions,
    read_text,
    record_fields,
)
from ._suggest import did_you_mean
from ._units import may_be_negative, same_unit

#: How a table writes "not measured / no realisation yet".
MISSING_MARK: Final = "-"


@frozen
class EventSource:
    """Where an event came from: a file and line, or the caller's reference."""

    file: str | None = None
    line: int | None = None
    ref: str | None = None

    def __str__(self) -> str:
        if self.file is not None:
            place = self.file if self.line is None else f"{self.file}:{self.line}"
            return f"{place} ({self.ref})" if self.ref else place
        return self.ref or "(no source)"


@frozen
class Event:
    """One realisation event.

    Args:
        indicator: the indicator's id (None for spending).
        period: when it happened (a date is a period of one day).
        value: a number, a category label, or None when the source reported "-".
        input: the input of a multi-input indicator (None for a plain one).
        dimensions: dimension name -> value, e.g. ``{"gender": "P"}``.
        id: an optional unique id.
        unit: the unit written beside the value, checked against the indicator's.
        document / table: where in the documents the figure was taken from.
        note: free text for the audit trail.
        source: file and line, or the caller's reference.
        activity: for spending, the activity whose budget was spent: the value
            is the amount spent from January to the end of the period.
    """

    indicator: str | None
    period: Period
    value: TargetValue | None
    input: str | None = None
    dimensions: Mapping[str, str] = field(factory=dict, converter=frozen_mapping)
    id: str | None = None
    unit: str | None = None
    document: str | None = None
    table: str | None = None
    note: str | None = None
    source: EventSource = EventSource()
    activity: str | None = None

    @property
    def input_name(self) -> str:
        """The input the value belongs to (``value`` for a plain indicator)."""
        return self.input or IMPLICIT_INPUT

    @property
    def series(self) -> tuple[str, str]:
        """The ledger series of the event: (indicator, input) or the activity's spending."""
        if self.activity is not None:
            return spending_series(self.activity)
        return (self.indicator or "", self.input_name)

    @property
    def missing(self) -> bool:
        """Whether the source reported the figure as not measured ("-")."""
        return self.value is None


#: The input name of the spending series of an activity.
SPENDING: Final = "spending"


def spending_series(activity: str) -> tuple[str, str]:
    """The ledger series holding the spending of an activity."""
    return (f"activity:{activity}", SPENDING)


def event_from_record(
    ruleset: RuleSet,
    record: Mapping[str, Any] | object,
    *,
    source: EventSource | None = None,
    number_format: NumberFormat | None = None,
) -> Event:
    """Build and check one event from a dict or an object with event attributes.

    Keys are the names in :data:`FIELDS`; dimensions are given as a mapping
    under ``dimensions``, or (for rows read from files) as extra keys.

    Raises:
        EventError: listing every problem of the record.
    """
    fields = record_fields(record)
    location_file = source.file if source else None
    location_line = source.line if source else None
    problems: list[Problem] = []

    def problem(column: str | None, message: str, hint: str | None = None) -> None:
        problems.append(Problem(message, Location(location_file, location_line, column), hint=hint))

    text = {key: read_text(key, fields.get(key), problem) for key in TEXT_FIELDS}
    dimensions = read_dimensions(fields, problem)
    ref = text.get("ref")
    if source is None:
        source = EventSource(ref=ref)
    elif ref and not source.ref:
        source = EventSource(source.file, source.line, ref)

    indicator_id = text.get("indicator")
    if text.get("activity") and not indicator_id:
        return _spending_event(
            ruleset, fields, text, dimensions, source, number_format, problem, problems
        )
    indicator = ruleset.indicator(indicator_id) if indicator_id else None
    if not indicator_id:
        if not given(fields.get("indicator")):  # given, but not as text: reported above
            problem(
                "indicator",
                "missing: every event names its indicator (or, for spending, its activity)",
            )
    elif text.get("activity"):
        problem("activity", "name either an indicator or, for spending, an activity: not both")
    elif indicator is None:
        problem(
            "indicator",
            f"unknown indicator {indicator_id!r}",
            _suggest(indicator_id, [i.id for i in ruleset.indicators]),
        )

    input_name = text.get("input")
    if indicator is not None:
        if indicator.inputs and not input_name:
            problem(
                "input",
                f"{indicator.id} has inputs {', '.join(sorted(indicator.inputs))}: say which one",
            )
        elif input_name and not indicator.inputs:
            problem("input", f"{indicator.id} has no inputs, found input {input_name!r}")
        elif input_name and input_name not in indicator.inputs:
            problem(
                "input",
                f"{indicator.id} has no input {input_name!r}",
                _suggest(input_name, list(indicator.inputs)),
            )

    period = _period(ruleset, fields, problem)
    value = _value(ruleset, indicator, fields.get("value"), number_format, problem)

    unit = text.get("unit")
    if indicator is not None:
        expected = _unit_of(indicator, input_name)
        if unit and not same_unit(unit, expected):
            problem("unit", f"the row says {unit!r}, but {indicator.id} is in {expected!r}")
        if isinstance(value, Decimal) and value < 0 and not may_be_negative(expected):
            problem("value", f"{value} is negative, but {expected!r} cannot be")

    if indicator is not None:
        for name, dim_value in dimensions.items():
            _check_dimension(ruleset, indicator.id, indicator.dimensions, name, dim_value, problem)

    if problems or indicator is None or period is None or value is _INVALID:
        raise EventError(problems)
    return _event(
        text,
        source,
        period,
        value,
        indicator=indicator.id,
        input_name=input_name,
        dimensions=dimensions,
    )


def _spending_event(
    ruleset: RuleSet,
    fields: Mapping[str, Any],
    text: Mapping[str, str | None],
    dimensions: Mapping[str, str],
    source: EventSource,
    number_format: NumberFormat | None,
    problem: Report,
    problems: list[Problem],
) -> Event:
    """An event of spending: the amount an activity had spent by the end of a period."""
    activity_id = text.get("activity") or ""
    activity = ruleset.activity(activity_id)
    if activity is None:
        known = [a.id for a in ruleset.activities]
        problem("activity", f"unknown activity {activity_id!r}", _suggest(activity_id, known))
    elif activity.budget is None:
        problem("activity", f"activity {activity_id!r} has no budget in the rule set")
    if text.get("input"):
        problem("input", "spending has no inputs")
    for name in dimensions:
        problem(name, "spending cannot be broken down by dimensions")
    period = _period(ruleset, fields, problem)
    value = _value(ruleset, None, fields.get("value"), number_format, problem)
    if isinstance(value, str):
        problem("value", f"expected an amount, found {value!r}")
    unit = text.get("unit")
    if unit and not same_unit(unit, "Rupiah"):
        problem("unit", f"the row says {unit!r}, but spending is in 'Rupiah'")
    if isinstance(value, Decimal) and value < 0:
        problem("value", f"{value} is negative: spending to date cannot be")
    if problems or activity is None or period is None or value is _INVALID:
        raise EventError(problems)
    return _event(text, source, period, value, activity=activity.id)


def _event(
    text: Mapping[str, str | None],
    source: EventSource,
    period: Period,
    value: TargetValue | None,
    *,
    indicator: str | None = None,
    activity: str | None = None,
    input_name: str | None = None,
    dimensions: Mapping[str, str] | None = None,
) -> Event:
    """A checked event, with the fields every record may carry."""
    return Event(
        indicator=indicator,
        activity=activity,
        period=period,
        value=value,
        input=input_name or None,
        dimensions=dimensions or {},
        id=text.get("id"),
        unit=text.get("unit"),
        document=text.get("document"),
        table=text.get("table"),
        note=text.get("note"),
        source=source,
    )


def events_from_records(
    ruleset: RuleSet,
    records: Iterable[Mapping[str, Any] | object],
    *,
    origin: str | None = None,
    number_format: NumberFormat | None = None,
) -> Iterator[Event]:
    """Check and convert records lazily (the caller's iterable is streamed).

    Records that are already :class:`Event` values pass through unchanged.
    A record without a ``ref`` gets ``origin[index]`` (or ``record[index]``)
    as its reference, so that every figure can be traced back to it.

    Raises:
        EventError: at the first bad record, with all of its problems; or when
            ``records`` is not iterable.
    """
    try:
        iterator = iter(records)
    except TypeError:
        raise EventError(
            f"expected an iterable of records (dicts or objects), found {describe(records)}"
        ) from None
    for index, record in enumerate(iterator):
        if isinstance(record, Event):
            yield record
            continue
        ref = f"{origin or 'record'}[{index}]"
        fields = record_fields(record)
        if not given(fields.get("ref")):
            fields = {**fields, "ref": ref}
        yield event_from_record(ruleset, fields, number_format=number_format)


_INVALID: Final[Any] = object()
#: Longer numbers are named by their length in messages, not written out.
_SHOWN_DIGITS: Final = 40


def _unit_of(indicator: Indicator, input_name: str | None) -> str:
    """The unit values of an input (or of a plain indicator) are in."""
    if input_name is not None and input_name in indicator.inputs:
        return indicator.inputs[input_name].unit or indicator.unit
    return indicator.unit


def _period(ruleset: RuleSet, fields: Mapping[str, Any], problem: Report) -> Period | None:
    raw_period, raw_date = fields.get("period"), fields.get("date")
    if given(raw_period) and given(raw_date):
        problem("date", "give either a period or a date, not both")
        return None
    if not given(raw_period) and not given(raw_date):
        problem("period", "missing: give a period (2025-Q2, 2025-04) or a date")
        return None
    column, raw = ("period", raw_period) if given(raw_period) else ("date", raw_date)
    try:
        if isinstance(raw, Period):
            period, written = raw, raw.label
        elif isinstance(raw, date):
            day = read_day(column, raw, problem)
            if day is None:
                return None
            period, written = Period.day_of(day), day.isoformat()
        else:
            text = read_text(column, raw, problem)
            if text is None:
                return None
            period, written = Period.parse(text), text
    except IkuEvalError as exc:
        problem(column, exc.problems[0].message)
        return None
    if column == "date" and period.granularity is not Granularity.DAY:
        problem("date", f"expected a date such as 2025-04-21, found {written!r}")
        return None
    if period.year not in ruleset.years:
        years = ", ".join(str(y) for y in ruleset.years)
        problem(column, f"{period.label} is outside the rule set's years ({years})")
        return None
    return period


def _value(
    ruleset: RuleSet,
    indicator: Indicator | None,
    raw: Any,
    number_format: NumberFormat | None,
    problem: Report,
) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        problem("value", "missing: write the figure, or '-' if the source reports none")
        return _INVALID
    if isinstance(raw, (bool, float)):
        problem(
            "value",
            f"{raw!r} is a {type(raw).__name__}: pass numbers as Decimal, int or text "
            "so that no digit is lost",
        )
        return _INVALID
    if not isinstance(raw, str | Decimal | int):
        problem("value", f"expected a number or text, found {describe(raw)}")
        return _INVALID
    scale = ruleset.scale_of(indicator) if indicator is not None else None
    written = None
    if isinstance(raw, Decimal | int):
        value = Decimal(raw)  # JSON numbers arrive as Decimal, possibly as 1E+3
        digits = len(value.as_tuple().digits)
        if digits > _SHOWN_DIGITS:
            written = f"a number of {digits} digits"
    elif not is_text(raw):
        problem("value", "the text is not valid Unicode (it holds a lone surrogate)")
        return _INVALID
    else:
        text = raw.strip()
        if text == MISSING_MARK:
            return None
        if scale is not None and scale.level(text) is not None:
            return text
        written = text
        try:
            value = parse_number(text, number_format)
        except IkuEvalError as exc:
            if scale is None:
                problem("value", exc.problems[0].message)
            else:
                labels = ", ".join(level.label for level in scale.levels)
                problem("value", f"expected a category ({labels}) or a score, found {text!r}")
            return _INVALID
    try:
        check_figure(value, written)
    except IkuEvalError as exc:
        problem("value", exc.problems[0].message)
        return _INVALID
    return without_exponent(value)


def _check_dimension(
    ruleset: RuleSet,
    indicator_id: str,
    declared: tuple[str, ...],
    name: str,
    value: str,
    problem: Report,
) -> None:
    if name not in declared:
        if declared:
            problem(
                name,
                f"{indicator_id} has no dimension {name!r} (it has {', '.join(declared)})",
                _suggest(name, list(declared)),
            )
        else:
            problem(name, f"{indicator_id} declares no dimensions, found {name!r}")
        return
    dimension = ruleset.dimensions.get(name)
    if dimension is not None and value not in dimension.values:
        problem(
            name,
            f"{value!r} is not a value of dimension {name!r} ({', '.join(dimension.values)})",
            _suggest(value, list(dimension.values)),
        )


def _suggest(word: str, choices: list[str]) -> str | None:
    return did_you_mean(word, choices)
