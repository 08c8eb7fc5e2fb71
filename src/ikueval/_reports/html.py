"""The report as one self-contained HTML page.

Everything is inline (style sheet, charts as SVG, a few lines of script); the
page loads nothing from anywhere. Every figure links to its trace, an
appendix of ``<details>`` sections holding what ``ikueval explain`` prints,
and carries ``data-figure`` (its period and its path in the JSON output) and
``data-value`` (the engine's figure), so that a test can compare the page with
``ikueval evaluate --format json``. Every text is escaped: indicator names
come from rule files.
"""

from __future__ import annotations

from html import escape

from .document import (
    AchievementChart,
    Align,
    Block,
    BudgetChart,
    Cell,
    Column,
    GroupRow,
    MissingCell,
    Notes,
    PeriodName,
    ProgressChart,
    Report,
    Row,
    Section,
    StatusCell,
    Table,
    TextCell,
)
from .lang import Lang
from .show import Shower, cell_value
from .style import CSS, SCRIPT
from .svg import achievement_chart, budget_chart, figure_attributes, progress_panels


def _e(text: str) -> str:
    return escape(text, quote=True)


def render_html(report: Report, *, lang: Lang = Lang.ID) -> str:
    """The report as an HTML page in one language.

    Args:
        report: the report (:func:`ikueval.build_report`).
        lang: the language of the words and numbers (Indonesian unless asked,
            as `ikueval report --lang` defaults).
    """
    return _Page(report, Shower(report, lang)).render()


class _Page:
    def __init__(self, report: Report, shower: Shower) -> None:
        self.report = report
        self.s = shower
        self.tables = 0
        self.charts = 0

    def render(self) -> str:
        s, report = self.s, self.report
        period = s.words.period(report.period)
        title = f"{s('report.title', period=period)} — {report.office}"
        toc = "".join(
            f'<li><a href="#s-{_e(sec.id)}">{_e(s.text(sec.title))}</a></li>'
            for sec in report.sections
        )
        toc += f'<li class="app"><a href="#traces">{_e(s("section.traces"))}</a></li>'
        body = "".join(self.section(section) for section in report.sections)
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{s.lang.value}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="ikueval {_e(report.version)}">\n'
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f'<div class="page">\n{self.cover(period)}\n'
            f'<nav class="toc"><h2>{_e(s("report.contents"))}</h2><ol>{toc}</ol></nav>\n'
            f"<main>\n{body}{self.traces()}</main>\n"
            f"<footer>{_e(s('report.meta.made.value', version=report.version))}</footer>\n"
            f"</div>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
        )

    def cover(self, period: str) -> str:
        s, report = self.s, self.report
        spans = report.spans
        meta = [
            ("report.meta.office", report.office),
            ("report.meta.ruleset", report.ruleset),
            ("report.meta.period", f"{period} ({report.period})"),
            (
                "report.meta.spans",
                s(
                    "report.meta.spans.value",
                    period=PeriodName(spans["period"]),
                    period_code=spans["period"],
                    to_date=PeriodName(spans["to_date"]),
                    to_date_code=spans["to_date"],
                    annual=PeriodName(spans["annual"], short=False),
                ),
            ),
            (
                "report.meta.rounding",
                s(
                    "report.meta.rounding.value",
                    mode=report.rounding.mode.value,
                    places=report.rounding.places,
                ),
            ),
        ]
        items = "".join(f"<dt>{_e(s(key))}</dt><dd>{_e(value)}</dd>" for key, value in meta)
        ruleset_title = f'<p class="ruleset-title">{_e(report.title)}</p>' if report.title else ""
        return (
            f'<header class="cover"><p class="kind">{_e(s("report.kind"))}</p>'
            f"<h1>{_e(report.office)}</h1>"
            f'<p class="subtitle">{_e(period)}</p>{ruleset_title}'
            f'<dl class="meta">{items}</dl></header>'
        )

    def section(self, section: Section) -> str:
        s = self.s
        intro = "".join(f'<p class="intro">{_e(s.text(t))}</p>' for t in section.intro)
        blocks = "".join(self.block(block, section) for block in section.blocks)
        return (
            f'<section id="s-{_e(section.id)}"><h2><span class="num">{section.number}</span>'
            f"<span>{_e(s.text(section.title))}</span></h2>{intro}{blocks}</section>\n"
        )

    def block(self, block: Block, section: Section) -> str:
        if isinstance(block, Table):
            return self.table(block, section)
        if isinstance(block, Notes):
            return self.notes(block)
        self.charts += 1
        caption = f'<span class="no">{self.charts}.</span>{_e(self.s.text(block.title))}'
        if isinstance(block, AchievementChart):
            inner = achievement_chart(block, self.s)
        elif isinstance(block, BudgetChart):
            inner = budget_chart(block, self.s)
        else:
            inner = self.progress(block)
        return (
            f'<figure class="chart" id="{_e(block.id)}"><figcaption>{caption}</figcaption>'
            f'<div class="chart-box">{inner}</div></figure>'
        )

    def progress(self, chart: ProgressChart) -> str:
        s = self.s
        svgs = progress_panels(chart, s)
        panels = "".join(
            f'<div class="panel"><h4>{_e(panel.label)} · {_e(panel.unit)}</h4>'
            f'<p title="{_e(s.text(panel.title))}">{_e(s.text(panel.title))}</p>{svg}</div>'
            for panel, svg in zip(chart.panels, svgs, strict=True)
        )
        legend = (
            f'<p class="legend-line"><i class="r"></i>{_e(s.text(chart.realisation))}'
            f'<i class="t"></i>{_e(s.text(chart.target))}</p>'
        )
        return f'{legend}<div class="panels">{panels}</div>'

    def notes(self, notes: Notes) -> str:
        s = self.s
        title = f"<h3>{_e(s.text(notes.title))}</h3>" if notes.title is not None else ""
        items = "".join(f"<li>{_e(s.text(item))}</li>" for item in notes.items)
        return f'{title}<ul class="warnings">{items}</ul>'

    def table(self, table: Table, section: Section) -> str:
        s = self.s
        self.tables += 1
        head = self.head(table.columns)
        width = len(table.columns)
        rows = []
        for row in table.rows:
            if isinstance(row, GroupRow):
                code = f'<span class="code">{_e(row.code)}</span>' if row.code else ""
                rows.append(
                    f'<tr class="group"><th colspan="{width}" scope="colgroup">{code}'
                    f"{_e(s.text(row.text))}</th></tr>"
                )
            else:
                cls = ' class="total"' if row.total else ""
                cells = "".join(
                    self.cell(cell, column)
                    for cell, column in zip(row.cells, table.columns, strict=True)
                )
                rows.append(f"<tr{cls}>{cells}</tr>")
        notes = "".join(f"<li>{_e(s.text(n))}</li>" for n in table.notes)
        notes_html = f'<ul class="notes">{notes}</ul>' if notes else ""
        chips = self.chips(table) if table.id == "status" else ""
        wide = " wide-table" if width > 7 else ""
        return (
            f'<figure class="table" id="table-{_e(table.id)}"><figcaption>'
            f'<span class="no">{s("col.table")} {self.tables}.</span>'
            f"{_e(s.text(table.title))}</figcaption>{chips}"
            f'<div class="scroll"><table class="t-{_e(section.id)}{wide}">{head}'
            f"<tbody>{''.join(rows)}</tbody></table></div>{notes_html}</figure>"
        )

    def head(self, columns: tuple[Column, ...]) -> str:
        s = self.s
        grouped = any(c.group is not None for c in columns)
        top: list[str] = []
        bottom: list[str] = []
        index = 0
        while index < len(columns):
            column = columns[index]
            if column.group is None:
                span = ' rowspan="2"' if grouped else ""
                cls = ' class="basis"' if column.basis is not None else ""
                top.append(f'<th scope="col"{span}{cls}>{self.heading(column)}</th>')
                index += 1
                continue
            count = 1
            while index + count < len(columns) and columns[index + count].group == column.group:
                count += 1
            top.append(f'<th scope="colgroup" colspan="{count}">{_e(s.text(column.group))}</th>')
            bottom.extend(
                f'<th scope="col">{self.heading(c)}</th>' for c in columns[index : index + count]
            )
            index += count
        rows = f"<tr>{''.join(top)}</tr>"
        if bottom:
            rows += f"<tr>{''.join(bottom)}</tr>"
        return f"<thead>{rows}</thead>"

    def heading(self, column: Column) -> str:
        text = _e(self.s.text(column.heading))
        if column.basis is not None:
            code = _e(column.basis.value).replace("_", "_<wbr>")
            text += f"<code>{code}</code>"
        return text

    def cell(self, cell: Cell, column: Column) -> str:
        s = self.s
        classes = []
        if column.align is Align.RIGHT:
            classes.append("r")
        if column.wide:
            classes.append("wide")
        if column.ident:
            classes.append("id")
        if isinstance(cell, StatusCell):
            body = f'<span class="status {cell.assessment.value}">{_e(s.cell(cell))}</span>'
            link = cell.source.link
            body = f'<a class="st" href="#{_e(link)}">{body}</a>' if link else body
            return f'<td class="c">{body}</td>'
        if isinstance(cell, MissingCell):
            classes.append("missing")
            title = f' title="{_e(s.why(cell))}"'
        else:
            title = ""
        source = None if isinstance(cell, StatusCell) else cell.source
        text = _e(s.cell(cell))
        if source is not None:
            attributes = figure_attributes(source, cell_value(cell))
            text = self._link(source.link, text, attributes)
        cls = f' class="{" ".join(classes)}"' if classes else ""
        return f"<td{cls}{title}>{text}</td>"

    def _link(self, trace: str | None, body: str, attributes: str) -> str:
        if trace is None:
            return f"<span{attributes}>{body}</span>" if attributes else body
        return f'<a class="fig" href="#{_e(trace)}"{attributes}>{body}</a>'

    def chips(self, table: Table) -> str:
        s = self.s
        chips = []
        for row in table.rows:
            if not isinstance(row, Row):
                continue
            status = next((c for c in row.cells if isinstance(c, StatusCell)), None)
            ident = row.cells[1]
            if status is None or not isinstance(ident, TextCell):
                continue
            mark = {"met": "✓", "not_met": "✗", "not_assessable": "–"}[status.assessment.value]
            label = f"{s.text(ident.text)} {mark}"
            hint = s.cell(status)
            chips.append(
                f'<a href="#{_e(status.source.link or "")}" title="{_e(hint)}">'
                f'<span class="status {status.assessment.value}">{_e(label)}</span></a>'
            )
        return f'<div class="chips">{"".join(chips)}</div>'

    def traces(self) -> str:
        s = self.s
        items = []
        for trace in self.report.traces:
            parts = "\n\n".join(
                f'<span id="{_e(part_anchor)}">{_e(text)}</span>' if part_anchor else _e(text)
                for part_anchor, text in s.trace(trace)
            )
            items.append(
                f'<details id="{_e(trace.anchor)}"><summary>{_e(s.words.period(trace.period))} · '
                f"{_e(s.text(trace.title))}</summary><pre>{parts}</pre></details>"
            )
        return (
            f'<section id="traces" class="traces"><h2><span>{_e(s("section.traces"))}</span></h2>'
            f'<p class="intro">{_e(s("section.traces.intro"))}</p>{"".join(items)}</section>\n'
        )
