"""The spreadsheet read back cell by cell, and compared with the report and the evaluation."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("xlsxwriter", reason="the xlsx extra is not installed")

from ikueval._reports import Lang, render_xlsx
from ikueval._reports.document import (
    AmountCell,
    GroupRow,
    MissingCell,
    NumberCell,
    PercentCell,
    StatusCell,
    Table,
)
from ikueval._reports.show import Shower
from reporting import as_decimal, example, json_figure
from xlsx_reader import XSheet, is_percent_format, read_workbook, reference


@pytest.mark.parametrize("lang", list(Lang))
def test_every_cell_of_every_table_is_the_reports_and_the_evaluations(lang: Lang) -> None:
    report = example()
    shower = Shower(report, lang)
    sheets = read_workbook(render_xlsx(report, lang=lang))
    tables = [b for s in report.sections for b in s.blocks if isinstance(b, Table)]
    names = [f"{shower('col.table')} {n}" for n in range(1, len(tables) + 1)]
    assert list(sheets) == [*names, shower("xlsx.notes"), shower("xlsx.trace")]
    figures = 0
    for name, table in zip(names, tables, strict=True):
        sheet = sheets[name]
        grouped = any(c.group is not None for c in table.columns)
        first = 4 if grouped else 3
        assert sheet.cells["A1"].value == f"{name}. {shower.text(table.title)}"
        assert sheet.frozen[0] == first, "the headings are frozen"
        assert set(sheet.widths) >= set(range(len(table.columns) + 1)), "every width is set"
        for index, column in enumerate(table.columns):
            line = 2 if column.group is None else first - 1
            heading = sheet.cells[reference(line, index)].value
            assert isinstance(heading, str)
            assert heading.startswith(shower.text(column.heading))
        for offset, row in enumerate(table.rows):
            line = first + offset
            if isinstance(row, GroupRow):
                text = sheet.cells[reference(line, 0)].value
                assert isinstance(text, str)
                assert text.endswith(shower.text(row.text))
                continue
            for col, cell in enumerate(row.cells):
                figures += _check_cell(sheet, reference(line, col), cell, shower)
            traces = {c.source.trace for c in row.cells if getattr(c, "source", None)}
            traces.discard(None)
            written = sheet.cells.get(reference(line, len(table.columns)))
            if traces:
                assert written is not None
                assert isinstance(written.value, str)
                assert set(written.value.split(", ")) == traces
    assert figures > 150


def _check_cell(sheet: XSheet, ref: str, cell: object, shower: Shower) -> int:
    written = sheet.cells[ref]
    if isinstance(cell, NumberCell | PercentCell | AmountCell):
        # A spreadsheet number is a double: the one nearest the figure (0.8372 for 83.72%).
        assert isinstance(written.value, Decimal), ref
        scale = -2 if isinstance(cell, PercentCell) else 0
        assert float(written.value) == float(cell.value.scaleb(scale)), ref
        expected = as_decimal(json_figure(cell.source.period, cell.source.figure))
        assert isinstance(expected, Decimal), ref
        assert float(written.value) == float(expected.scaleb(scale)), cell.source.figure
        if isinstance(cell, PercentCell):
            assert is_percent_format(written.number_format), ref
            assert written.number_format == "0." + "0" * 2 + "%"
        elif isinstance(cell, AmountCell):
            assert written.number_format == '"Rp" #,##0'
        else:
            assert written.number_format.startswith("#,##0"), ref
        return 1
    if isinstance(cell, MissingCell):
        assert written.value == "-", ref
        if cell.source is not None:
            assert json_figure(cell.source.period, cell.source.figure) is None
        return 1
    assert isinstance(cell, StatusCell) or hasattr(cell, "text")
    text = shower.cell(cell)  # type: ignore[arg-type]
    if text:
        assert written.value == text, ref
        assert not isinstance(written.value, Decimal), "text stays text"
    return 0


def test_notes_and_traces_sheets() -> None:
    report = example()
    shower = Shower(report, Lang.ID)
    sheets = read_workbook(render_xlsx(report, lang=Lang.ID))
    notes = [c.value for c in sheets["Catatan"].cells.values() if isinstance(c.value, str)]
    assert any("warning: quarterly targets of this cumulative indicator" in n for n in notes)
    assert any(n.startswith("Tidak tersedia: aturan tidak memuat") for n in notes)
    traces = sheets["Jejak"]
    assert traces.frozen == (1, 0)
    for row, trace in enumerate(report.traces, start=1):
        assert traces.cells[reference(row, 0)].value == trace.anchor
        assert traces.cells[reference(row, 3)].value == shower.trace_text(trace)
    six = next(t for t in report.traces if t.anchor == "t-2025-Q2-IKU-06")
    assert "= 108,4112149532710280373831775700934579439 (tanpa pembulatan)" in shower.trace_text(
        six
    )


def test_fixed_document_properties() -> None:
    import io
    import zipfile

    data = render_xlsx(example(), lang=Lang.EN)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode()
        dates = {info.date_time for info in archive.infolist()}
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z' in core
    assert dates == {(1980, 1, 1, 0, 0, 0)}
