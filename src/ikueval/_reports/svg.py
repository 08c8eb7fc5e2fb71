"""Charts of the HTML report, drawn as inline SVG by ikueval (no script, no library).

Each chart shows figures of the report model only; every bar links to the
trace of its figure and carries the figure's source like a table cell does.
Scales are chosen for drawing (a bar longer than the axis is cut and marked);
they are not figures of the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Final

from .document import (
    AchievementChart,
    BudgetChart,
    MissingCell,
    NumberCell,
    PercentCell,
    PeriodName,
    ProgressChart,
    ProgressPanel,
    Source,
    TextCell,
)
from .show import Shower

#: The longest axis of a percentage chart: bars beyond it are cut (424.80% would
#: flatten every other bar).
MAX_AXIS: Final = Decimal(250)
_ROW: Final = 26
_LABEL_WIDTH: Final = 64
_WIDTH: Final = 940
_RIGHT: Final = 70


def _attr(text: str) -> str:
    return escape(text, quote=True)


def figure_attributes(source: Source | None, value: Decimal | str | None) -> str:
    """``data-figure`` (period and JSON path) and ``data-value`` of a shown figure."""
    if source is None:
        return ""
    text = f' data-figure="{_attr(source.period)} {_attr(source.figure)}"'
    if value is None:
        return text + ' data-missing=""'
    shown = format(value, "f") if isinstance(value, Decimal) else value
    return text + f' data-value="{_attr(shown)}"'


def _link(source: Source | None, body: str) -> str:
    if source is None or source.link is None:
        return body
    return f'<a href="#{_attr(source.link)}">{body}</a>'


def _axis(values: Sequence[Decimal], floor: Decimal = Decimal(150)) -> Decimal:
    top = max([floor, *values])
    step = Decimal(50)
    top = ((top + step - 1) // step) * step
    return min(top, MAX_AXIS)


def _x(value: Decimal, axis: Decimal, width: float) -> float:
    return float(max(Decimal(0), min(value, axis)) / axis) * width


def _ticks(axis: Decimal, left: float, width: float, top: float, bottom: float) -> str:
    parts = []
    tick = Decimal(0)
    while tick <= axis:
        x = left + _x(tick, axis, width)
        cls = "ref" if tick == 100 else "grid"
        parts.append(f'<line class="{cls}" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}"/>')
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{bottom + 13}" text-anchor="middle">{tick}%</text>'
        )
        tick += 50
    return "".join(parts)


def _svg(width: float, height: float, label: str, body: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" style="max-width:{width:.0f}px" role="img" '
        f'aria-label="{_attr(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def _bar(
    cell: PercentCell | MissingCell,
    axis: Decimal,
    left: float,
    width: float,
    y: float,
    height: float,
    cls: str,
    s: Shower,
) -> str:
    if isinstance(cell, MissingCell):
        text = escape(s("chart.achievement.none"))
        attributes = figure_attributes(cell.source, None)
        return _link(
            cell.source,
            f'<text class="none" x="{left + 4}" y="{y + height * 0.72:.1f}"{attributes}>'
            f"{text}</text>",
        )
    value = cell.value
    length = max(_x(value, axis, width), 1.5)
    tone = "" if value >= 100 else " below"
    cut = value > axis
    body = (
        f'<rect class="bar {cls}{tone}" x="{left}" y="{y:.1f}" width="{length:.1f}" '
        f'height="{height}" rx="2"/>'
    )
    if cut:
        end = left + length
        body += (
            f'<path class="cut" d="M{end - 9:.1f} {y - 1:.1f}l6 {height + 2}M{end - 4:.1f} '
            f'{y - 1:.1f}l6 {height + 2}"/>'
        )
    attributes = figure_attributes(cell.source, value)
    body += (
        f'<text class="value" x="{left + length + 5:.1f}" y="{y + height * 0.75:.1f}"'
        f"{attributes}>{escape(s.cell(cell))}</text>"
    )
    return _link(cell.source, body)


def achievement_chart(chart: AchievementChart, s: Shower) -> str:
    """A horizontal bar per indicator against the 100% line."""
    values = [b.cell.value for b in chart.bars if isinstance(b.cell, PercentCell)]
    axis = _axis(values)
    left, width = _LABEL_WIDTH, _WIDTH - _LABEL_WIDTH - _RIGHT
    top = 8
    rows = []
    for index, bar in enumerate(chart.bars):
        y = top + index * _ROW
        title = escape(f"{bar.label}  {s.text(bar.title)}")
        rows.append(
            f'<g><title>{title}</title><text class="label" x="{left - 8}" y="{y + 15}" '
            f'text-anchor="end">{escape(bar.label)}</text>'
            f"{_bar(bar.cell, axis, left, width, y + 4, 14, 'achievement', s)}</g>"
        )
    bottom = top + len(chart.bars) * _ROW
    body = _ticks(axis, left, width, top, bottom) + "".join(rows)
    return _svg(_WIDTH, bottom + 20, s.text(chart.title), body)


def budget_chart(chart: BudgetChart, s: Shower) -> str:
    """Per activity, two bars: budget absorption and mean achievement."""
    values = [
        c.value
        for pair in chart.pairs
        for c in (pair.absorption, pair.achievement)
        if isinstance(c, PercentCell)
    ]
    axis = _axis(values, Decimal(100))
    left, width = 96, _WIDTH - 96 - _RIGHT
    top, group = 30, 52
    legend = (
        f'<rect class="bar absorption" x="{left}" y="6" width="12" height="12" rx="2"/>'
        f'<text class="legend" x="{left + 18}" y="16">{escape(s.text(chart.absorption))}</text>'
        f'<rect class="bar mean" x="{left + 250}" y="6" width="12" height="12" rx="2"/>'
        f'<text class="legend" x="{left + 268}" y="16">{escape(s.text(chart.achievement))}</text>'
    )
    rows = []
    for index, pair in enumerate(chart.pairs):
        y = top + index * group
        rows.append(
            f"<g><title>{escape(s.text(pair.title))}</title>"
            f'<text class="label" x="{left - 8}" y="{y + 25}" text-anchor="end">'
            f"{escape(pair.label)}</text>"
            f"{_bar(pair.absorption, axis, left, width, y + 6, 16, 'absorption', s)}"
            f"{_bar(pair.achievement, axis, left, width, y + 24, 16, 'mean', s)}</g>"
        )
    bottom = top + len(chart.pairs) * group
    body = legend + _ticks(axis, left, width, top, bottom) + "".join(rows)
    return _svg(_WIDTH, bottom + 20, s.text(chart.title), body)


def progress_panels(chart: ProgressChart, s: Shower) -> list[str]:
    """One small chart per indicator: realisation to date (bars) and target to date (marks)."""
    return [_panel(panel, s) for panel in chart.panels]


def _panel(panel: ProgressPanel, s: Shower) -> str:
    width, height, base, top = 220.0, 118.0, 92.0, 14.0
    numbers = [
        c.value
        for point in panel.points
        for c in (point.realisation, point.target)
        if isinstance(c, NumberCell)
    ]
    title = f"<title>{escape(panel.label)}  {escape(s.text(panel.title))}</title>"
    if not numbers:
        texts = []
        for index, point in enumerate(panel.points):
            y = 30 + index * 18
            r, t = point.realisation, point.target
            texts.append(
                f'<text class="tick" x="8" y="{y}">{escape(s.text(PeriodName(point.period)))}: '
                f"<tspan{_cell_attributes(r)}>{escape(s.cell(r))}</tspan> / "
                f"<tspan{_cell_attributes(t)}>{escape(s.cell(t))}</tspan></text>"
            )
        category = escape(s("chart.progress.category"))
        note = f'<text class="none" x="8" y="{height - 8}">{category}</text>'
        return _svg(width, height, panel.label, title + "".join(texts) + note)
    top_value = max(numbers) or Decimal(1)
    scale = (base - top) / float(top_value * Decimal("1.12"))
    slot = (width - 16) / len(panel.points)
    parts = [title, f'<line class="axis" x1="8" y1="{base}" x2="{width - 8}" y2="{base}"/>']
    for index, point in enumerate(panel.points):
        x = 8 + index * slot
        bar_w = min(slot * 0.5, 34)
        cx = x + slot / 2
        r, t = point.realisation, point.target
        ty = base - float(t.value) * scale if isinstance(t, NumberCell) else base
        if isinstance(r, NumberCell):
            h = max(float(r.value) * scale, 1.0)
            label_y = min(base - h, ty) - 4
            parts.append(
                _link(
                    r.source,
                    f'<rect class="bar progress" x="{cx - bar_w / 2:.1f}" y="{base - h:.1f}" '
                    f'width="{bar_w:.1f}" height="{h:.1f}" rx="1.5"/>'
                    f'<text class="value" x="{cx:.1f}" y="{label_y:.1f}" '
                    f'text-anchor="middle"{_cell_attributes(r)}>{escape(s.cell(r))}</text>',
                )
            )
        else:
            parts.append(
                _link(
                    r.source,
                    f'<text class="none" x="{cx:.1f}" y="{base - 4}" text-anchor="middle"'
                    f"{_cell_attributes(r)}>{escape(s.cell(r))}</text>",
                )
            )
        if isinstance(t, NumberCell):
            parts.append(
                _link(
                    t.source,
                    f'<line class="target" x1="{cx - bar_w / 2 - 5:.1f}" y1="{ty:.1f}" '
                    f'x2="{cx + bar_w / 2 + 5:.1f}" y2="{ty:.1f}"{_cell_attributes(t)}/>',
                )
            )
        parts.append(
            f'<text class="tick" x="{cx:.1f}" y="{base + 14}" text-anchor="middle">'
            f"{escape(s.text(PeriodName(point.period)))}</text>"
        )
    return _svg(width, height, panel.label, "".join(parts))


def _cell_attributes(cell: NumberCell | TextCell | MissingCell) -> str:
    if isinstance(cell, NumberCell):
        return figure_attributes(cell.source, cell.value)
    if isinstance(cell, TextCell) and isinstance(cell.text, str):
        return figure_attributes(cell.source, cell.text)
    return figure_attributes(cell.source, None)
