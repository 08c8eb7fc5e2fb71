"""Renderers: the last step, turning an evaluation into text, JSON or a report.

The terminal table, ``explain`` and JSON render an evaluation directly. A
report (``ikueval report``) is first built as a language-neutral model
(:func:`build_report`), then written in one language. Every output format of
every command is an entry of :data:`RENDERERS`
(:mod:`ikueval._reports.renderers`): the thing rendered and
:class:`RenderOptions` in, text or bytes out.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_names
from .lang import Lang
from .renderers import RENDERERS, Format, RenderOptions

if TYPE_CHECKING:
    from .build import build_report, measured_periods, report_of
    from .document import Report
    from .explain import render_explain
    from .explanation import Explanation, explanation_data, render_explanation_json
    from .html import render_html
    from .json import evaluation_data, evaluation_from_data, write_json
    from .markdown import render_markdown
    from .render import render_json, render_table
    from .show import Renderer
    from .xlsx import render_xlsx

__getattr__ = lazy_names(
    __name__,
    {
        "build_report": ".build",
        "measured_periods": ".build",
        "report_of": ".build",
        "Report": ".document",
        "render_explain": ".explain",
        "Explanation": ".explanation",
        "explanation_data": ".explanation",
        "render_explanation_json": ".explanation",
        "render_html": ".html",
        "evaluation_data": ".json",
        "evaluation_from_data": ".json",
        "render_json": ".render",
        "write_json": ".json",
        "render_markdown": ".markdown",
        "Renderer": ".show",
        "render_table": ".render",
        "render_xlsx": ".xlsx",
    },
)

__all__ = [
    "RENDERERS",
    "Explanation",
    "Format",
    "Lang",
    "RenderOptions",
    "Renderer",
    "Report",
    "build_report",
    "evaluation_data",
    "evaluation_from_data",
    "explanation_data",
    "measured_periods",
    "render_explain",
    "render_explanation_json",
    "render_html",
    "render_json",
    "render_markdown",
    "render_table",
    "render_xlsx",
    "report_of",
    "write_json",
]
