"""Read an XLSX workbook back with the standard library: sheets, cells, number formats.

Enough of the format to check what ikueval writes: shared and inline strings,
numbers, the number format of each cell's style, frozen panes, column widths.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

from attrs import frozen

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
#: Excel's built-in number formats that the tests may meet.
BUILTIN_FORMATS = {0: "General", 3: "#,##0", 9: "0%", 10: "0.00%", 4: "#,##0.00"}


@frozen
class XCell:
    """One cell: a number (Decimal) or a string, and its number format."""

    value: Decimal | str | None
    number_format: str


@frozen
class XSheet:
    """A sheet: its cells by reference (``B7``), frozen pane, column widths."""

    name: str
    cells: dict[str, XCell]
    frozen: tuple[int, int]
    widths: dict[int, float]


def read_workbook(data: bytes) -> dict[str, XSheet]:
    """Every sheet of a workbook, by name, in order."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        strings = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            for item in root.findall("m:si", NS):
                strings.append("".join(t.text or "" for t in item.iter(f"{{{NS['m']}}}t")))
        formats = _formats(ElementTree.fromstring(archive.read("xl/styles.xml")))
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
        sheets = {}
        for sheet in workbook.findall("m:sheets/m:sheet", NS):
            target = targets[sheet.get(f"{{{NS['r']}}}id")]
            path = "xl/" + target.lstrip("/").removeprefix("xl/")
            name = sheet.get("name") or ""
            sheets[name] = _sheet(
                name, ElementTree.fromstring(archive.read(path)), strings, formats
            )
    return sheets


def _formats(styles: ElementTree.Element) -> list[str]:
    custom = {
        int(f.get("numFmtId") or 0): f.get("formatCode") or ""
        for f in styles.findall("m:numFmts/m:numFmt", NS)
    }
    found = []
    for xf in styles.findall("m:cellXfs/m:xf", NS):
        ident = int(xf.get("numFmtId") or 0)
        found.append(custom.get(ident) or BUILTIN_FORMATS.get(ident, f"builtin:{ident}"))
    return found


def _sheet(name: str, root: ElementTree.Element, strings: list[str], formats: list[str]) -> XSheet:
    cells = {}
    for c in root.iter(f"{{{NS['m']}}}c"):
        kind = c.get("t")
        style = formats[int(c.get("s") or 0)]
        v = c.find("m:v", NS)
        value: Decimal | str | None
        if kind == "s" and v is not None:
            value = strings[int(v.text or 0)]
        elif kind == "inlineStr":
            value = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
        elif kind == "str" and v is not None:
            value = v.text or ""
        elif v is not None:
            value = Decimal(v.text or "0")
        else:
            value = None
        cells[c.get("r") or ""] = XCell(value, style)
    pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
    frozen = (0, 0)
    if pane is not None and pane.get("state") == "frozen":
        frozen = (int(float(pane.get("ySplit") or 0)), int(float(pane.get("xSplit") or 0)))
    widths = {}
    for col in root.findall("m:cols/m:col", NS):
        for index in range(int(col.get("min") or 1), int(col.get("max") or 1) + 1):
            widths[index - 1] = float(col.get("width") or 0)
    return XSheet(name, cells, frozen, widths)


def reference(row: int, col: int) -> str:
    """``A1``-style reference of a zero-based cell."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def is_percent_format(number_format: str) -> bool:
    """Whether a number format shows a fraction as a percentage."""
    return bool(re.fullmatch(r"0(\.0+)?%", number_format))
