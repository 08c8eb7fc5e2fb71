"""The report as GitHub-flavoured Markdown: the same sections and tables, to paste.

Group rows (a strategic objective) become a row whose first cell is in bold;
two-level headings are written as one (``TW I: Target``). Charts and traces
are left out: the HTML report has them, and ``ikueval explain`` prints every
trace. Text is escaped so that a ``|``, ``*`` or ``<`` in a name stays text.
"""

from __future__ import annotations

import re
from typing import Final

from .document import Align, GroupRow, Notes, Report, Table
from .lang import Lang
from .show import Shower

_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]<>|#])")


def _md(text: str) -> str:
    """Text safe in a Markdown table cell: special characters escaped, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(report: Report, *, lang: Lang = Lang.ID) -> str:
    """The report as Markdown text.

    Args:
        report: the report (:func:`ikueval.build_report`).
        lang: the language of the words and numbers (Indonesian unless asked,
            as `ikueval report --lang` defaults).
    """
    s = Shower(report, lang)
    period = s.words.period(report.period)
    lines = [
        f"# {_md(s('report.title', period=period))}: {_md(report.office)}",
        "",
        f"- {s('report.meta.ruleset')}: `{report.ruleset}`"
        + (f" ({_md(report.title)})" if report.title else ""),
        f"- {s('report.meta.period')}: {_md(period)} ({report.period})",
        f"- {s('report.meta.rounding')}: "
        + _md(
            s(
                "report.meta.rounding.value",
                mode=report.rounding.mode.value,
                places=report.rounding.places,
            )
        ),
        f"- {s('md.traces')}",
    ]
    number = 0
    for section in report.sections:
        lines.extend(["", f"## {section.number}. {_md(s.text(section.title))}"])
        for text in section.intro:
            lines.extend(["", _md(s.text(text))])
        for block in section.blocks:
            if isinstance(block, Table):
                number += 1
                lines.extend(["", *_table(block, number, s)])
            elif isinstance(block, Notes):
                lines.append("")
                if block.title is not None:
                    lines.extend([f"**{_md(s.text(block.title))}**", ""])
                lines.extend(f"- {_md(s.text(item))}" for item in block.items)
    return "\n".join(lines) + "\n"


def _table(table: Table, number: int, s: Shower) -> list[str]:
    headings = []
    for column in table.columns:
        text = s.text(column.heading)
        if column.group is not None:
            text = f"{s.text(column.group)}: {text}"
        if column.basis is not None:
            text += f" ({column.basis.value})"
        headings.append(_md(text))
    rule = ["---:" if c.align is Align.RIGHT else "---" for c in table.columns]
    lines = [
        f"**{_md(s('col.table'))} {number}. {_md(s.text(table.title))}**",
        "",
        f"| {' | '.join(headings)} |",
        f"| {' | '.join(rule)} |",
    ]
    for row in table.rows:
        if isinstance(row, GroupRow):
            code = f"{row.code} " if row.code else ""
            cells = [f"**{_md(code + s.text(row.text))}**"] + [""] * (len(table.columns) - 1)
        else:
            cells = [_md(s.cell(cell)) for cell in row.cells]
            if row.total:
                cells = [f"**{c}**" if c else c for c in cells]
        lines.append(f"| {' | '.join(cells)} |")
    if table.notes:
        lines.append("")
        lines.extend(f"- {_md(s.text(note))}" for note in table.notes)
    return lines
