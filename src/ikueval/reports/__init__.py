"""Renderers: the last step, turning an evaluation into text or JSON."""

from .explain import render_explain
from .json import evaluation_data, evaluation_from_data, render_json
from .table import render_table

__all__ = [
    "evaluation_data",
    "evaluation_from_data",
    "render_explain",
    "render_json",
    "render_table",
]
