"""Renderers: the last step, turning an evaluation into text, JSON or a report.

The terminal table, ``explain`` and JSON render an evaluation directly. A
report (``ikueval report``) is first built as a language-neutral model
(:func:`build_report`), then written by one of :data:`REPORT_FORMATS`, each a
:data:`~ikueval.reports.show.Renderer`: a report and a language in, text or
bytes out.
"""

from collections.abc import Mapping
from typing import Final

from .build import build_report, measured_periods, report_of
from .document import Report
from .explain import render_explain
from .html import render_html
from .json import evaluation_data, evaluation_from_data, render_json
from .labels import Lang
from .markdown import render_markdown
from .show import Renderer
from .table import render_table
from .xlsx import render_xlsx

#: The report formats of ``ikueval report --format``, by name.
REPORT_FORMATS: Final[Mapping[str, Renderer]] = {
    "html": render_html,
    "xlsx": render_xlsx,
    "md": render_markdown,
}

__all__ = [
    "REPORT_FORMATS",
    "Lang",
    "Renderer",
    "Report",
    "build_report",
    "evaluation_data",
    "evaluation_from_data",
    "measured_periods",
    "render_explain",
    "render_html",
    "render_json",
    "render_markdown",
    "render_table",
    "render_xlsx",
    "report_of",
]
