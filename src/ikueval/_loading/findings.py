"""A problem found in a rule set, at a key path (before it is given a line)."""

from __future__ import annotations

from attrs import frozen

from .._errors import Severity
from .toml_positions import Path


@frozen
class Finding:
    """A problem at a key path of a rule set."""

    path: Path
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None
