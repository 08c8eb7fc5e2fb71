"""Reading a published-figures file (TOML), checked against its rule set.

The file is read the way rule files are: the TOML text gives its data and the
line of every key; cattrs structures each part (the ``[publication]`` head,
each table, each column, each row) into the classes of the file, strictly;
every structuring error becomes a ``FILE:LINE: KEY: message`` problem with a
did-you-mean, exactly as for a rule file. Then each part is checked against
the rule set: the document, the periods, what each column needs, the subject
of each row, and every cell, read once as figures in the declared number
format. Every problem of the file is reported in one run.

One mistake gives one problem. A misspelt key (``periode``, ``indikator``) is
reported once, then read as the key it is closest to, so that the rest of the
file is checked as if it were spelt right: no "required key is missing" for
the key it was meant to be, no "cell needs the row's indicator". An unknown
key written in many rows of a table is one problem. The cells of a column
that cannot be read are not checked against it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
from attrs import frozen

from .._budgets import TOTAL
from .._decimals import NumberFormat
from .._errors import IkuEvalError, Location, Problem, Severity, echo
from .._model import Basis, RuleSet
from .._periods import Granularity, Period
from .._publication import (
    Cell,
    Column,
    PrintedFigureError,
    Publication,
    Row,
    Shows,
    Table,
    is_unit,
    parse_cell,
)
from .._rollups import rollup_groups
from .._spans import REALISED, SpanName
from .._suggest import closest
from .files import PUBLISHED_FILE, InputFileError, read_text
from .repeated_rows import HINT, MAX_REPEATED_ROWS_REPORTED, repeated_rows
from .rules import _Locator
from .structuring import PartReader
from .toml_positions import Path as KeyPath
from .toml_positions import line_of
from .toml_text import read_toml


class PublicationError(IkuEvalError):
    """A published-figures file is malformed or does not fit its rule set."""


#: How many names the suggestions ("did you mean ...?") of one file may compare
#: in all. A suggestion compares an unknown name with every name it could be
#: (every column of the table, every indicator), so a file of thousands of
#: unknown names among thousands of columns would take minutes; 20,000
#: comparisons take a tenth of a second, and the first suggestions are enough
#: to show what went wrong.
MAX_COMPARED: Final = 20_000
#: The longest name a suggestion is worked out for: a name is compared letter by
#: letter, and no key or id a person misspells is this long.
MAX_SUGGESTED_LENGTH: Final = 100
#: The keys of a row besides its cells.
SUBJECTS: Final = ("indicator", "activity", "rollup", "composite", "note")
#: What each kind of column needs, and the subject its rows must name.
_NEEDS: Final = {
    Shows.TARGET: ("span", "indicator"),
    Shows.REALISATION: ("span", "indicator"),
    Shows.ACHIEVEMENT: ("basis", "indicator"),
    Shows.ROLLUP: ("basis", "rollup"),
    Shows.CEILING: (None, "activity"),
    Shows.SPENDING: (None, "activity"),
    Shows.ABSORPTION: (None, "activity"),
    Shows.COMPOSITE: (None, "composite"),
    Shows.WEIGHTED: ("composite", "indicator"),  # or the row's composite, a member
    Shows.MEDIUM_TERM: (None, "indicator"),
    Shows.PREVIOUS_YEAR: (None, "indicator"),
}


@frozen
class _File:
    """The file: its head and its tables (each structured on its own)."""

    publication: Mapping[str, Any]
    tables: tuple[Mapping[str, Any], ...]


@frozen
class _Head:
    """``[publication]``."""

    document: str
    period: str
    number_format: NumberFormat
    title: str | None = None


@frozen
class _TableText:
    """One ``[[tables]]`` entry; its columns and rows are structured one by one."""

    id: str
    title: str
    columns: Mapping[str, Any]
    rows: tuple[Any, ...]
    where: str | None = None
    note: str | None = None
    number_format: NumberFormat | None = None


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

    Args:
        text: the TOML document.
        ruleset: the rule set the figures are checked against.
        source: a name for the text in error messages (a file name...).

    Raises:
        PublicationError: listing every problem of the text, each with its line and key.
    """
    data, lines = _toml(text, source)
    reader = _Reader(ruleset, _Locator(source, lines, data), lines)
    publication = reader.publication(data)
    if reader.problems or publication is None:
        count = len(reader.problems)
        raise PublicationError(
            sorted(reader.problems, key=lambda p: p.location.line or 0),
            summary=f"{count} problem{'s' if count != 1 else ''} in the published figures",
        )
    return publication


def _toml(text: str, source: str | None) -> tuple[dict[str, Any], Mapping[KeyPath, int]]:
    """The data of a TOML text and the line of each key: the one place the text is parsed.

    Raises:
        PublicationError: when the text is not valid TOML, holds a number too long to
            read or nests too deeply, with its line.
    """
    document = read_toml(text, source)
    if isinstance(document, Problem):
        raise PublicationError(document)
    return document.data, document.lines


class _Reader(PartReader):
    """Structures and checks the parts of one file, collecting every problem."""

    def __init__(self, ruleset: RuleSet, locate: _Locator, lines: Mapping[KeyPath, int]) -> None:
        super().__init__(locate, lines)
        self.ruleset = ruleset
        self.comparisons_left = MAX_COMPARED
        #: rows a table gives twice: where the copy is, and the warning's text
        self.repeated: list[tuple[KeyPath, str]] = []
        #: subject key -> its name in messages, the ids the rule set knows, how it is written.
        self.subjects: dict[str, tuple[str, frozenset[str], str]] = {
            "indicator": ("indicator", frozenset(i.id for i in ruleset.indicators), ""),
            "activity": ("activity", frozenset((*(a.id for a in ruleset.activities), TOTAL)), ""),
            "rollup": (
                "roll-up",
                frozenset(g.id for g in rollup_groups(ruleset)),
                "; expected all, objective:ID or activity:ID",
            ),
            "composite": (
                "composite",
                frozenset(c.id for c in ruleset.composites),
                "; expected the id of one of the rule set's [[composites]]",
            ),
        }

    def closest(self, word: str, choices: Collection[str]) -> str | None:
        """The choice closest to a word, while the file's comparisons last."""
        if len(choices) > self.comparisons_left or len(word) > MAX_SUGGESTED_LENGTH:
            return None
        self.comparisons_left -= len(choices)
        return closest(word, choices)

    def did_you_mean(self, word: str, choices: Collection[str]) -> str | None:
        """A hint naming the choice closest to a word (see :meth:`closest`)."""
        found = self.closest(word, choices)
        return f"did you mean {found!r}?" if found else None

    def publication(self, data: dict[str, Any]) -> Publication | None:
        found = self.fields(data, _File, ())
        head = {}
        if "publication" in found:
            head = self.fields(found["publication"], _Head, ("publication",))
        document, period = head.get("document"), head.get("period")
        if document is not None and self.ruleset.document(document) is None:
            self.problem(
                ("publication", "document"),
                f"the rule set has no document {document!r}",
                self.did_you_mean(document, [d.id for d in self.ruleset.documents]),
            )
        if period is not None:
            period = self.period(period, ("publication", "period"))
        number_format = head.get("number_format")
        raw_tables = found.get("tables")
        if raw_tables == ():
            self.problem(("tables",), "expected one or more [[tables]]")
        tables = [
            self.table(raw, ("tables", index), number_format)
            for index, raw in enumerate(raw_tables or ())
        ]
        seen: set[str] = set()
        for index, table in enumerate(tables):
            if table is not None and table.id in seen:
                self.problem(("tables", index, "id"), f"duplicate table id {table.id!r}")
            elif table is not None:
                seen.add(table.id)
        if self.problems or document is None or period is None or number_format is None:
            return None
        return Publication(
            document=document,
            period=period,
            number_format=number_format,
            tables=tuple(t for t in tables if t is not None),
            title=head.get("title"),
            source=self.locate.source,
            warnings=self.warnings(),
        )

    def warnings(self) -> tuple[Problem, ...]:
        """The first rows given twice, then how many more (:mod:`.repeated_rows`)."""
        shown = self.repeated[:MAX_REPEATED_ROWS_REPORTED]
        found = [
            Problem(text, self.locate.location(path), Severity.WARNING, HINT)
            for path, text in shown
        ]
        more = len(self.repeated) - len(shown)
        if more:
            rows = "row repeats" if more == 1 else "rows repeat"
            found.append(
                Problem(
                    f"{more} more {rows} an earlier row of its table",
                    Location(self.locate.source),
                    Severity.WARNING,
                )
            )
        return tuple(found)

    def period(self, text: str, at: KeyPath) -> str | None:
        try:
            period = Period.parse(text)
        except IkuEvalError as exc:
            self.problem(at, exc.problems[0].message)
            return None
        if period.granularity is Granularity.DAY or period.year not in self.ruleset.years:
            self.problem(at, f"{period.label} is not a year, quarter or month of the rule set")
            return None
        return period.label

    def table(
        self, raw: Mapping[str, Any], at: KeyPath, number_format: NumberFormat | None
    ) -> Table | None:
        text = self.fields(raw, _TableText, at)
        raw_columns, raw_rows = text.get("columns"), text.get("rows")
        if raw_columns is not None and not raw_columns:
            self.problem((*at, "columns"), "expected the columns: columns.NAME = { shows = ... }")
        if raw_rows is not None and not raw_rows:
            self.problem((*at, "rows"), "expected the rows: rows = [ { ... }, ... ]")
        columns = {}
        for name, spec in (raw_columns or {}).items():
            column = self.column(spec, (*at, "columns", name))
            if column is not None:
                columns[name] = column
        rows = _Rows(
            self, at, tuple(raw_columns or ()), columns, text.get("number_format") or number_format
        )
        read = [rows.read(raw_row, index) for index, raw_row in enumerate(raw_rows or ())]
        rows.report_unknown_keys()
        self.repeated.extend(repeated_rows(at, read))
        if "id" not in text or "title" not in text:
            return None
        return Table(
            id=text["id"],
            title=text["title"],
            columns=columns,
            rows=tuple(r for r in read if r is not None),
            where=text.get("where"),
            note=text.get("note"),
            line=line_of(self.lines, at),
            number_format=text.get("number_format"),
        )

    def column(self, spec: Mapping[str, Any], at: KeyPath) -> Column | None:
        column: Column | None = self.structure(spec, Column, at)
        if column is None:
            return None
        shows = column.shows.value
        needs, _ = _NEEDS[column.shows]
        if needs == "span" and column.span is None:
            choices = ", ".join(s.value for s in SpanName)
            self.problem((*at, "span"), f"required key is missing; expected one of {choices}")
        if needs == "basis" and column.basis is None:
            choices = ", ".join(b.value for b in Basis)
            self.problem((*at, "basis"), f"required key is missing; expected one of {choices}")
        if needs != "span" and column.span is not None:
            self.problem((*at, "span"), f"a {shows} column has no span")
        if needs != "basis" and column.basis is not None:
            self.problem((*at, "basis"), f"a {shows} column has no basis")
        composites = [c.id for c in self.ruleset.composites]
        if needs == "composite" and column.composite is None:
            self.problem(
                (*at, "composite"),
                "required key is missing: the composite whose members' weighted values the "
                "column shows",
            )
        elif needs == "composite" and column.composite not in composites:
            self.problem(
                (*at, "composite"),
                f"unknown composite {column.composite!r}",
                self.did_you_mean(column.composite or "", composites),
            )
        elif column.shows is Shows.COMPOSITE and column.composite is not None:
            self.problem(
                (*at, "composite"),
                "a composite column does not name its composite: each row does",
                'write composite = "ID" in the rows',
            )
        elif needs != "composite" and column.composite is not None:
            self.problem((*at, "composite"), f"a {shows} column has no composite")
        span = column.span
        if column.shows is Shows.REALISATION and span is not None and span not in REALISED:
            realised = " or ".join(repr(name.value) for name in REALISED)
            self.problem((*at, "span"), f"a realisation is over {realised}, not {span.value!r}")
        period = None if column.period is None else self.period(column.period, (*at, "period"))
        unit = column.unit
        if unit is not None and not is_unit(unit):
            self.problem(
                (*at, "unit"),
                f"{unit!r} is not a unit as printed after a number",
                "write % or a word, such as Orang",
            )
            unit = None
        return attrs.evolve(column, period=period, unit=unit)


class _Rows:
    """Reads the rows of one table; an unknown key written in several rows is one problem."""

    def __init__(
        self,
        reader: _Reader,
        at: KeyPath,
        declared: Sequence[str],
        columns: Mapping[str, Column],
        number_format: NumberFormat | None,
    ) -> None:
        self.reader = reader
        self.at = at
        self.declared = declared
        self.columns = columns
        self.number_format = number_format
        self.keys = frozenset((*SUBJECTS, *declared))
        self.unknown: dict[str, list[KeyPath]] = {}
        self.suggested: dict[str, str | None] = {}
        self.members: dict[str, frozenset[str]] = {}

    def read(self, value: Any, index: int) -> Row | None:
        at: KeyPath = (*self.at, "rows", index)
        raw: Mapping[str, Any] | None = self.reader.structure(value, Mapping[str, Any], at)
        if raw is None:
            return None
        subjects: dict[str, str] = {}
        cells: dict[str, tuple[KeyPath, str]] = {}
        written = set()
        for key, value in raw.items():
            meant = key
            if key not in self.keys:
                self.unknown.setdefault(key, []).append((*at, key))
                suggested = self.suggestion(key)
                if suggested is None or suggested in raw:
                    continue
                meant = suggested  # checked as what it was meant to be
            written.add(meant)
            text = self.reader.structure(value, str, (*at, key))
            if text is None:
                continue
            if meant in SUBJECTS:
                subjects[meant] = text
            else:
                cells[meant] = ((*at, key), text)
        self.subjects_exist(subjects, at)
        read = {}
        lacking: dict[str, list[str]] = {}
        for name, (path, text) in cells.items():
            column = self.columns.get(name)
            if column is None:
                continue  # the column itself is reported
            _, subject = _NEEDS[column.shows]
            member = column.shows is Shows.WEIGHTED and "composite" in written
            if subject not in written and not member:
                lacking.setdefault(subject, []).append(name)
            if column.shows is Shows.WEIGHTED:
                self.is_member(column.composite, subjects, path)
            if self.number_format is None:
                continue  # the number format is reported
            try:
                figures = parse_cell(text, self.number_format, column.unit)
            except PrintedFigureError as exc:
                self.reader.problem(path, f"{text!r}: {exc.problems[0].message}")
                continue
            read[name] = Cell(text, figures)
        for subject, names in lacking.items():
            cells_text = f"cell {names[0]} needs" if len(names) == 1 else "cells "
            if len(names) > 1:
                cells_text += f"{', '.join(names[:-1])} and {names[-1]} need"
            self.reader.problem(at, f"the {cells_text} the row's {subject}")
        return Row(
            line=line_of(self.reader.lines, at),
            cells=read,
            indicator=subjects.get("indicator"),
            activity=subjects.get("activity"),
            rollup=subjects.get("rollup"),
            note=subjects.get("note"),
            composite=subjects.get("composite"),
        )

    def subjects_exist(self, subjects: Mapping[str, str], at: KeyPath) -> None:
        """Each subject the row names is one the rule set has."""
        for key, (word, known, forms) in self.reader.subjects.items():
            value = subjects.get(key)
            if value is not None and value not in known:
                self.reader.problem(
                    (*at, key),
                    f"unknown {word} {value!r}{forms}",
                    self.reader.did_you_mean(value, known),
                )

    def is_member(self, composite_id: str | None, subjects: Mapping[str, str], at: KeyPath) -> None:
        """The row of a weighted value names a member of the column's composite."""
        composite = self.reader.ruleset.composite(composite_id or "")
        member = subjects.get("indicator", subjects.get("composite"))
        if composite is None or member is None:
            return  # reported elsewhere
        if composite.id not in self.members:
            self.members[composite.id] = frozenset(m.id for m in composite.members)
        if member not in self.members[composite.id]:
            self.reader.problem(
                at, f"{member} is not a member of {composite.id}, so it has no weighted value there"
            )

    def suggestion(self, key: str) -> str | None:
        """The row key closest to an unknown one (worked out once per key and table)."""
        if key not in self.suggested:
            self.suggested[key] = self.reader.closest(key, self.keys)
        return self.suggested[key]

    def report_unknown_keys(self) -> None:
        columns = ", ".join(self.declared) or "none"
        for key, paths in self.unknown.items():
            where = f" in {len(paths)} rows (the first is here)" if len(paths) > 1 else ""
            suggested = self.suggestion(key)
            self.reader.problem(
                paths[0],
                f"unknown key {echo(key)!r}{where}; a row has {', '.join(SUBJECTS)} and the "
                f"table's columns: {columns}",
                f"did you mean {suggested!r}?" if suggested else None,
            )
