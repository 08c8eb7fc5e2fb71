"""The report as a spreadsheet (XLSX), written with XlsxWriter (``pip install 'ikueval[xlsx]'``).

One sheet per table, named as the HTML page numbers its tables (``Tabel 3``),
its title in the first row, the headings frozen, and a last column naming the
traces of the row's figures. Figures are numeric cells
with number formats: counts ``#,##0``, ratios with the rule set's places,
achievements as percentages (0.3364 shown as ``33.64%``), amounts as
``"Rp" #,##0``; a spreadsheet shows the thousands and decimal marks of the
reader's own settings, so the language changes the words only. A missing
figure is the text ``-``. A notes sheet holds what the report says around its
tables; a trace sheet holds every trace, one a row: what ``ikueval explain``
prints for an indicator in a period (each basis in turn), a roll-up or a budget.

The same inputs give the same bytes: the document's dates are fixed and
XlsxWriter stamps every part of the archive with the same date.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any, Final

from .._decimals import decimal_places
from .._errors import Problem, UsageError
from .document import (
    Align,
    AmountCell,
    Cell,
    GroupRow,
    MissingCell,
    Notes,
    NumberCell,
    PercentCell,
    Report,
    StatusCell,
    Table,
)
from .lang import Lang
from .show import Shower

#: The creation date written into every workbook, so that the bytes depend on the
#: inputs only (the date XlsxWriter gives the parts of the archive).
FIXED_DATE: Final = datetime(1980, 1, 1, tzinfo=UTC)
#: Sheet names are at most 31 characters in XLSX.
MAX_SHEET_NAME: Final = 31
_WIDTHS: Final = {"wide": 56, "ident": 13, "number": 15, "text": 12}
_EXTRA: Final = "pip install 'ikueval[xlsx]'"


def _workbook_class() -> Any:
    try:
        import xlsxwriter
    except ImportError:
        raise UsageError(
            Problem(
                "the xlsx format needs the XlsxWriter package, which is not installed",
                hint=f"install it with: {_EXTRA}",
            )
        ) from None
    return xlsxwriter.Workbook


def render_xlsx(report: Report, *, lang: Lang = Lang.ID) -> bytes:
    """The report as an XLSX workbook.

    Args:
        report: the report (:func:`ikueval.build_report`).
        lang: the language of the words (Indonesian unless asked, as
            `ikueval report --lang` defaults).

    Raises:
        UsageError: when XlsxWriter is not installed (``pip install 'ikueval[xlsx]'``).
    """
    workbook_class = _workbook_class()
    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    workbook = workbook_class(buffer, options)
    s = Shower(report, lang)
    workbook.set_properties(
        {
            "title": f"{s('report.title', period=s.words.period(report.period))} — {report.office}",
            "author": f"ikueval {report.version}",
            "company": report.office,
            "created": FIXED_DATE.replace(tzinfo=None),
        }
    )
    _Writer(workbook, report, s).write()
    workbook.close()
    return buffer.getvalue()


class _Writer:
    def __init__(self, workbook: Any, report: Report, s: Shower) -> None:
        self.book = workbook
        self.report = report
        self.s = s
        places = report.rounding.places
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.base = base
        self.formats: dict[str, Any] = {}

        def add(name: str, **spec: object) -> None:
            self.formats[name] = workbook.add_format({**base, **spec})

        add("title", bold=True, font_size=13, font_color="#14365C")
        add(
            "head",
            bold=True,
            font_color="#FFFFFF",
            bg_color="#14365C",
            border=1,
            text_wrap=True,
            align="center",
            valign="vcenter",
        )
        add("group", bold=True, font_color="#14365C", bg_color="#E6ECF3")
        add("text", border=1, text_wrap=True)
        add("ident", border=1, bold=True, font_color="#14365C")
        add("missing", border=1, align="center", font_color="#5B6776")
        add("count", border=1, num_format="#,##0")
        for n in range(1, places + 1):
            add(f"decimal{n}", border=1, num_format="#,##0." + "0" * n)
        add("percent", border=1, num_format="0." + "0" * places + "%" if places else "0%")
        add("amount", border=1, num_format='"Rp" #,##0')
        add("met", border=1, bold=True, font_color="#1D7A4C", bg_color="#E2F2E8", align="center")
        add(
            "not_met", border=1, bold=True, font_color="#B2551D", bg_color="#FBEADC", align="center"
        )
        add(
            "not_assessable",
            border=1,
            bold=True,
            font_color="#5F6B78",
            bg_color="#E9EDF1",
            align="center",
        )
        add("note", italic=True, font_color="#5B6776")
        add("plain", text_wrap=False)
        add("mono", font_name="Courier New", font_size=9, text_wrap=True)
        add("link", font_color="#1F4E82", underline=1)

    def write(self) -> None:
        tables = [
            block
            for section in self.report.sections
            for block in section.blocks
            if isinstance(block, Table)
        ]
        for number, table in enumerate(tables, start=1):
            self.table(table, f"{self.s('col.table')} {number}"[:MAX_SHEET_NAME])
        self.notes()
        self.traces()

    def table(self, table: Table, name: str) -> None:
        s = self.s
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, f"{name}. {s.text(table.title)}", self.formats["title"])
        grouped = any(c.group is not None for c in table.columns)
        head = 2
        for index, column in enumerate(table.columns):
            heading = s.text(column.heading)
            if column.basis is not None:
                heading += f"\n({column.basis.value})"
            if column.group is None:
                if grouped:
                    sheet.merge_range(head, index, head + 1, index, heading, self.formats["head"])
                else:
                    sheet.write_string(head, index, heading, self.formats["head"])
            else:
                sheet.write_string(head + 1, index, heading, self.formats["head"])
            kind = "wide" if column.wide else "ident" if column.ident else "number"
            if column.align is not Align.RIGHT and kind == "number":
                kind = "text"
            sheet.set_column(index, index, _WIDTHS[kind])
        trace_column = len(table.columns)
        if grouped:
            sheet.merge_range(
                head, trace_column, head + 1, trace_column, s("xlsx.trace"), self.formats["head"]
            )
        else:
            sheet.write_string(head, trace_column, s("xlsx.trace"), self.formats["head"])
        sheet.set_column(trace_column, trace_column, 34)
        index = 0
        while grouped and index < len(table.columns):
            group = table.columns[index].group
            count = 1
            while (
                index + count < len(table.columns) and table.columns[index + count].group == group
            ):
                count += 1
            if group is not None:
                if count > 1:
                    sheet.merge_range(
                        head, index, head, index + count - 1, s.text(group), self.formats["head"]
                    )
                else:
                    sheet.write_string(head, index, s.text(group), self.formats["head"])
            index += count
        first = head + (2 if grouped else 1)
        sheet.set_row(head, 42 if not grouped else 20)
        if grouped:
            sheet.set_row(head + 1, 30)
        wide = next((i for i, c in enumerate(table.columns) if c.wide), -1)
        sheet.freeze_panes(first, wide + 1 if 0 <= wide <= 2 else 0)
        row_index = first
        for row in table.rows:
            if isinstance(row, GroupRow):
                # A row format: the text runs on over the empty cells of the row.
                text = f"{row.code}  {s.text(row.text)}" if row.code else s.text(row.text)
                sheet.set_row(row_index, None, self.formats["group"])
                sheet.write_string(row_index, 0, text, self.formats["group"])
            else:
                for col, cell in enumerate(row.cells):
                    self.cell(sheet, row_index, col, cell, table.columns[col].ident)
                traces = dict.fromkeys(
                    cell.source.trace
                    for cell in row.cells
                    if not isinstance(cell, StatusCell)
                    and cell.source is not None
                    and cell.source.trace is not None
                )
                if traces:
                    sheet.write_string(row_index, trace_column, ", ".join(traces))
            row_index += 1
        for note in table.notes:
            row_index += 1
            sheet.write_string(row_index, 0, s.text(note), self.formats["note"])

    def cell(self, sheet: Any, row: int, col: int, cell: Cell, ident: bool) -> None:
        s = self.s
        if isinstance(cell, NumberCell) and cell.upper is not None:  # a target range
            sheet.write_string(row, col, s.cell(cell), self.formats["text"])
        elif isinstance(cell, NumberCell):
            sheet.write_number(row, col, float(cell.value), self._number_format(cell))
        elif isinstance(cell, PercentCell):
            sheet.write_number(row, col, float(cell.value.scaleb(-2)), self._percent_format(cell))
        elif isinstance(cell, AmountCell):
            sheet.write_number(row, col, float(cell.value), self.formats["amount"])
        elif isinstance(cell, MissingCell):
            sheet.write_string(row, col, s.cell(cell), self.formats["missing"])
        elif isinstance(cell, StatusCell):
            sheet.write_string(row, col, s.cell(cell), self.formats[cell.assessment.value])
        else:
            style = "ident" if ident else "text"
            sheet.write_string(row, col, s.cell(cell), self.formats[style])

    def _number_format(self, cell: NumberCell) -> Any:
        places = min(decimal_places(cell.value), cell.rounding.places)
        if cell.category:  # the number stays a number; its format shows the category
            digits = "#,##0." + "0" * places if places else "#,##0"
            text = cell.category.replace('"', "")
            name = f"category:{places}:{text}"
            if name not in self.formats:
                self.formats[name] = self.book.add_format(
                    {**self.base, "border": 1, "num_format": f'{digits} "({text})"'}
                )
            return self.formats[name]
        if places and f"decimal{places}" not in self.formats:  # an indicator's own rounding
            self.formats[f"decimal{places}"] = self.book.add_format(
                {**self.base, "border": 1, "num_format": "#,##0." + "0" * places}
            )
        return self.formats[f"decimal{places}" if places else "count"]

    def _percent_format(self, cell: PercentCell) -> Any:
        """The percent format of the places the figure was rounded to (an indicator may
        round to other places than the rule set)."""
        exponent = cell.value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if places == self.report.rounding.places:
            return self.formats["percent"]
        name = f"percent{places}"
        if name not in self.formats:
            spec = "0." + "0" * places + "%" if places else "0%"
            self.formats[name] = self.book.add_format(
                {**self.base, "border": 1, "num_format": spec}
            )
        return self.formats[name]

    def notes(self) -> None:
        s, report = self.s, self.report
        sheet = self.book.add_worksheet(s("xlsx.notes")[:MAX_SHEET_NAME])
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 110)
        period = s.words.period(report.period)
        rows: list[tuple[str, str, str]] = [
            (s("report.kind"), f"{report.office}, {period}", "title"),
            (s("report.meta.ruleset"), report.ruleset, "plain"),
            (s("report.meta.period"), f"{period} ({report.period})", "plain"),
            (
                s("report.meta.rounding"),
                s(
                    "report.meta.rounding.value",
                    mode=report.rounding.mode.value,
                    places=report.rounding.places,
                ),
                "plain",
            ),
            (s("report.meta.made"), s("report.meta.made.value", version=report.version), "plain"),
        ]
        for section in report.sections:
            rows.append(("", "", "plain"))
            rows.append((f"{section.number}. {s.text(section.title)}", "", "title"))
            rows.extend(("", s.text(text), "plain") for text in section.intro)
            for block in section.blocks:
                if isinstance(block, Notes):
                    if block.title is not None:
                        rows.append(("", s.text(block.title), "note"))
                    rows.extend(("", s.text(item), "plain") for item in block.items)
                elif isinstance(block, Table):
                    rows.extend(("", s.text(note), "note") for note in block.notes)
        for index, (label, text, style) in enumerate(rows):
            sheet.write_string(index, 0, label, self.formats["title" if label else "plain"])
            sheet.write_string(index, 1, text, self.formats[style])

    def traces(self) -> None:
        s = self.s
        sheet = self.book.add_worksheet(s("xlsx.trace")[:MAX_SHEET_NAME])
        heads = (s("xlsx.trace"), s("report.meta.period"), s("col.subject"), "")
        for col, (text, width) in enumerate(zip(heads, (24, 10, 40, 130), strict=True)):
            sheet.write_string(0, col, text, self.formats["head"])
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)
        for line, trace in enumerate(self.report.traces, start=1):
            sheet.write_string(line, 0, trace.anchor, self.formats["ident"])
            sheet.write_string(line, 1, trace.period, self.formats["text"])
            sheet.write_string(line, 2, s.text(trace.title), self.formats["text"])
            sheet.write_string(line, 3, s.trace_text(trace), self.formats["mono"])
