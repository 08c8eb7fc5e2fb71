"""Reading a published-figures file (TOML), checked against its rule set.

Every problem of the file is reported in one run with its file, line and key:
unknown keys and tables, a column that does not say what it shows, a row about
an indicator the rule set lacks, a cell that is not a figure in the declared
number format.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from ..decimals import NumberFormat
from ..errors import IkuEvalError, Location, Problem
from ..model import Basis, RuleSet
from ..periods import Granularity, Period
from ..publication import (
    Column,
    PrintedFigureError,
    Publication,
    Row,
    Shows,
    SpanName,
    Table,
    parse_cell,
)
from ..suggest import did_you_mean
from .files import PUBLISHED_FILE, InputFileError, read_text
from .toml_positions import Path as KeyPath
from .toml_positions import key_lines, line_of


class PublicationError(IkuEvalError):
    """A published-figures file is malformed or does not fit its rule set."""


_TOP: Final = ("publication", "tables")
_PUBLICATION: Final = ("document", "period", "number_format", "title")
_TABLE: Final = ("id", "title", "columns", "rows", "where", "note")
_COLUMN: Final = ("shows", "span", "period", "basis", "label")
_SUBJECTS: Final = ("indicator", "activity", "rollup", "note")
#: What each kind of column needs, and the subject its rows must name.
_NEEDS: Final = {
    Shows.TARGET: ("span", "indicator"),
    Shows.REALISATION: ("span", "indicator"),
    Shows.ACHIEVEMENT: ("basis", "indicator"),
    Shows.ROLLUP: ("basis", "rollup"),
    Shows.CEILING: (None, "activity"),
    Shows.SPENDING: (None, "activity"),
    Shows.ABSORPTION: (None, "activity"),
}


def load_publication(path: str | Path, ruleset: RuleSet) -> Publication:
    """Read and check a published-figures file.

    Raises:
        PublicationError: listing every problem of the file.
    """
    name = str(path)
    try:
        text = read_text(path, PUBLISHED_FILE)
    except InputFileError as exc:
        raise PublicationError(exc.problems) from None
    return loads_publication(text, ruleset, source=name)


def loads_publication(text: str, ruleset: RuleSet, *, source: str | None = None) -> Publication:
    """Read and check published figures from TOML text.

    Raises:
        PublicationError: listing every problem of the text.
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise PublicationError(Problem(f"not valid TOML: {exc}", Location(source))) from None
    reader = _Reader(source, key_lines(text), ruleset)
    publication = reader.publication(data)
    if reader.problems or publication is None:
        count = len(reader.problems)
        raise PublicationError(
            sorted(reader.problems, key=lambda p: p.location.line or 0),
            summary=f"{count} problem{'s' if count != 1 else ''} in the published figures",
        )
    return publication


class _Reader:
    def __init__(self, source: str | None, lines: dict[KeyPath, int], ruleset: RuleSet) -> None:
        self.source = source
        self.lines = lines
        self.ruleset = ruleset
        self.problems: list[Problem] = []

    def problem(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        key = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path).lstrip(".")
        location = Location(self.source, line_of(self.lines, path), key or None)
        self.problems.append(Problem(message, location, hint=hint))

    def unknown_keys(self, data: Mapping[str, Any], allowed: tuple[str, ...], at: KeyPath) -> None:
        for key in data:
            if key not in allowed:
                self.problem(
                    (*at, key),
                    f"unknown key {key!r}; expected one of {', '.join(allowed)}",
                    did_you_mean(key, allowed),
                )

    def text(self, data: Mapping[str, Any], key: str, at: KeyPath, required: bool) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem((*at, key), "required key is missing")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem((*at, key), f"expected text in quotes, found {value!r}")
            return None
        return value

    def publication(self, data: Mapping[str, Any]) -> Publication | None:
        self.unknown_keys(data, _TOP, ())
        head = data.get("publication")
        if not isinstance(head, dict):
            self.problem(("publication",), "expected a [publication] table")
            return None
        self.unknown_keys(head, _PUBLICATION, ("publication",))
        at: KeyPath = ("publication",)
        document = self.text(head, "document", at, required=True)
        if document is not None and self.ruleset.document(document) is None:
            documents = [d.id for d in self.ruleset.documents]
            self.problem(
                (*at, "document"),
                f"the rule set has no document {document!r}",
                did_you_mean(document, documents),
            )
        period = self.period(head.get("period"), (*at, "period"), required=True)
        number_format = self.number_format(head.get("number_format"), (*at, "number_format"))
        tables = data.get("tables")
        if not isinstance(tables, list) or not tables:
            self.problem(("tables",), "expected one or more [[tables]]")
            return None
        read = [self.table(t, ("tables", i), number_format) for i, t in enumerate(tables)]
        ids = [t.id for t in read if t is not None]
        for index, table_id in enumerate(ids):
            if table_id in ids[:index]:
                self.problem(("tables", index, "id"), f"duplicate table id {table_id!r}")
        if document is None or period is None:
            return None
        return Publication(
            document=document,
            period=period,
            number_format=number_format,
            tables=tuple(t for t in read if t is not None),
            title=self.text(head, "title", at, required=False),
            source=self.source,
        )

    def period(self, value: Any, at: KeyPath, required: bool) -> str | None:
        if value is None:
            if required:
                self.problem(at, "required key is missing")
            return None
        try:
            period = Period.parse(str(value))
        except IkuEvalError as exc:
            self.problem(at, exc.problems[0].message)
            return None
        if period.granularity is Granularity.DAY or period.year not in self.ruleset.years:
            self.problem(at, f"{period.label} is not a year, quarter or month of the rule set")
            return None
        return period.label

    def number_format(self, value: Any, at: KeyPath) -> NumberFormat:
        found = self.choice(value, NumberFormat, at, required=True)
        return found if isinstance(found, NumberFormat) else NumberFormat.INTERNATIONAL

    def table(self, data: Any, at: KeyPath, number_format: NumberFormat) -> Table | None:
        if not isinstance(data, dict):
            self.problem(at, "expected a table")
            return None
        self.unknown_keys(data, _TABLE, at)
        table_id = self.text(data, "id", at, required=True)
        title = self.text(data, "title", at, required=True)
        raw_columns = data.get("columns")
        if not isinstance(raw_columns, dict) or not raw_columns:
            self.problem((*at, "columns"), "expected the columns: columns.NAME = { shows = ... }")
            raw_columns = {}
        columns = {}
        for name, spec in raw_columns.items():
            column = self.column(spec, (*at, "columns", name))
            if column is not None:
                columns[name] = column
        raw_rows = data.get("rows")
        if not isinstance(raw_rows, list) or not raw_rows:
            self.problem((*at, "rows"), "expected the rows: rows = [ { ... }, ... ]")
            raw_rows = []
        rows = []
        for index, raw in enumerate(raw_rows):
            row = self.row(raw, (*at, "rows", index), raw_columns, columns, number_format)
            if row is not None:
                rows.append(row)
        if table_id is None or title is None:
            return None
        return Table(
            id=table_id,
            title=title,
            columns=columns,
            rows=tuple(rows),
            where=self.text(data, "where", at, required=False),
            note=self.text(data, "note", at, required=False),
            line=line_of(self.lines, at),
        )

    def column(self, spec: Any, at: KeyPath) -> Column | None:
        if not isinstance(spec, dict):
            self.problem(at, "expected { shows = ..., ... }")
            return None
        self.unknown_keys(spec, _COLUMN, at)
        shows = self.choice(spec.get("shows"), Shows, (*at, "shows"), required=True)
        if not isinstance(shows, Shows):
            return None
        needs, _ = _NEEDS[shows]
        span = self.choice(spec.get("span"), SpanName, (*at, "span"), required=needs == "span")
        basis = self.choice(spec.get("basis"), Basis, (*at, "basis"), required=needs == "basis")
        if needs != "span" and spec.get("span") is not None:
            self.problem((*at, "span"), f"a {shows.value} column has no span")
        if needs != "basis" and spec.get("basis") is not None:
            self.problem((*at, "basis"), f"a {shows.value} column has no basis")
        if shows is Shows.REALISATION and span is SpanName.ANNUAL:
            self.problem((*at, "span"), "a realisation is of the period or to date, not annual")
        period = self.period(spec.get("period"), (*at, "period"), required=False)
        return Column(
            shows=shows,
            span=span if isinstance(span, SpanName) else None,
            period=period,
            basis=basis if isinstance(basis, Basis) else None,
            label=self.text(spec, "label", at, required=False),
        )

    def choice(self, value: Any, enum: Any, at: KeyPath, required: bool) -> Any:
        choices = [member.value for member in enum]
        if value is None:
            if required:
                self.problem(at, f"required key is missing; expected one of {', '.join(choices)}")
            return None
        for member in enum:
            if member.value == value:
                return member
        self.problem(
            at,
            f"expected one of {', '.join(choices)}, found {value!r}",
            did_you_mean(str(value), choices),
        )
        return None

    def row(
        self,
        data: Any,
        at: KeyPath,
        declared: Mapping[str, Any],
        columns: Mapping[str, Column],
        number_format: NumberFormat,
    ) -> Row | None:
        if not isinstance(data, dict):
            self.problem(at, 'expected a row { indicator = ..., COLUMN = "as printed", ... }')
            return None
        subjects = {key: data.get(key) for key in _SUBJECTS}
        for key, value in subjects.items():
            if value is not None and (not isinstance(value, str) or not value.strip()):
                self.problem((*at, key), f"expected text in quotes, found {value!r}")
        self.subject_exists(subjects, at)
        cells = {}
        for key, value in data.items():
            if key in _SUBJECTS:
                continue
            if key not in declared:
                self.problem(
                    (*at, key),
                    f"unknown column {key!r}; the table declares {', '.join(declared) or 'none'}",
                    did_you_mean(key, list(declared)),
                )
                continue
            if not isinstance(value, str):
                self.problem(
                    (*at, key),
                    f"write the cell as printed, in quotes: {value!r}",
                    hint=f'{key} = "{value}"',
                )
                continue
            column = columns.get(key)
            if column is None:
                continue  # the column itself is reported
            _, subject = _NEEDS[column.shows]
            if not subjects.get(subject):
                self.problem((*at, key), f"a {column.shows.value} cell needs the row's {subject}")
                continue
            try:
                parse_cell(value, number_format)  # checked here, read by the reconciler
            except PrintedFigureError as exc:
                self.problem((*at, key), f"{value!r}: {exc.problems[0].message}")
                continue
            cells[key] = value
        return Row(
            line=line_of(self.lines, at),
            cells=cells,
            indicator=subjects["indicator"],
            activity=subjects["activity"],
            rollup=subjects["rollup"],
            note=subjects["note"],
        )

    def subject_exists(self, subjects: Mapping[str, Any], at: KeyPath) -> None:
        indicator, activity, rollup = (subjects[k] for k in ("indicator", "activity", "rollup"))
        ruleset = self.ruleset
        if isinstance(indicator, str) and ruleset.indicator(indicator) is None:
            self.problem(
                (*at, "indicator"),
                f"unknown indicator {indicator!r}",
                did_you_mean(indicator, [i.id for i in ruleset.indicators]),
            )
        activities = [a.id for a in ruleset.activities]
        if isinstance(activity, str) and activity != "total" and activity not in activities:
            self.problem(
                (*at, "activity"),
                f"unknown activity {activity!r}",
                did_you_mean(activity, [*activities, "total"]),
            )
        if isinstance(rollup, str):
            known = [
                "all",
                *(f"objective:{o.id}" for o in ruleset.objectives),
                *(f"activity:{a}" for a in activities),
            ]
            if rollup not in known:
                self.problem(
                    (*at, "rollup"),
                    f"unknown roll-up {rollup!r}; expected all, objective:ID or activity:ID",
                    did_you_mean(rollup, known),
                )
