"""Reading rule sets from TOML, with every problem located.

:func:`load_rules` and :func:`loads_rules` return a checked
:class:`~ikueval._model.RuleSet` or raise a :class:`~ikueval._errors.RuleSetError`
listing every problem found in the file, each as ``FILE:LINE: KEY: message``.
:func:`inspect_rules` also returns the warnings, for ``ikueval check``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import tomli_w
from attrs import frozen
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from .._converters import ExpectedError, rules_converter
from .._errors import IkuEvalError, Location, Problem, RuleSetError, Severity, echo
from .._model import RuleSet
from .._suggest import did_you_mean
from .checks import check_ruleset
from .files import RULE_FILE, InputFileError, read_text
from .findings import Finding
from .salvage import is_under, leaves_of, salvage
from .toml_positions import Path as KeyPath
from .toml_positions import line_of
from .toml_text import read_toml


@frozen
class RuleReport:
    """The outcome of reading a rule file: the rule set (if valid) and all problems."""

    ruleset: RuleSet | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that make the rule set unusable."""
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems worth a look that do not stop evaluation."""
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def require(self) -> RuleSet:
        """The rule set.

        Raises:
            RuleSetError: listing every error, when the rule set is not valid.
        """
        if self.ruleset is None:
            count = len(self.errors)
            raise RuleSetError(
                self.errors, summary=f"{count} error{'s' if count != 1 else ''} in the rule set"
            )
        return self.ruleset


def load_rules(path: str | Path) -> RuleSet:
    """Read and check a rule file.

    Raises:
        RuleSetError: listing every error in the file.
    """
    return inspect_rule_file(path).require()


def loads_rules(text: str, *, source: str | None = None) -> RuleSet:
    """Read and check a rule set from TOML text.

    Args:
        text: the TOML document.
        source: a name for the text in error messages (a file name, a URL...).

    Raises:
        RuleSetError: listing every error in the text.
    """
    return inspect_rules(text, source=source).require()


def dumps_rules(ruleset: RuleSet) -> str:
    """Write a rule set as TOML (comments of the original file are not kept)."""
    data = rules_converter().unstructure(ruleset)
    return tomli_w.dumps(data)


def inspect_rules(text: str, *, source: str | None = None) -> RuleReport:
    """Read a rule set and report all its problems, errors and warnings alike."""
    document = read_toml(text, source)
    if isinstance(document, Problem):
        return RuleReport(None, (document,))
    data = document.data
    locate = _Locator(source, document.lines, data)
    try:
        ruleset = rules_converter().structure(data, RuleSet)
    except (ClassValidationError, IterableValidationError) as exc:
        leaves = leaves_of(exc)
        problems = locate.problems([(path, error) for path, error, _ in leaves])
        salvaged = salvage(data, leaves)
        if salvaged is not None:  # check the rest too: one run reports every problem
            partial, replaced = salvaged
            problems.extend(
                locate.finding(f) for f in _checked(partial) if not is_under(f.path, replaced)
            )
        return RuleReport(None, _in_file_order(problems))
    findings = _checked(ruleset)
    report = _in_file_order(locate.finding(f) for f in findings)
    has_errors = any(f.severity is Severity.ERROR for f in findings)
    return RuleReport(None if has_errors else ruleset, report)


def _checked(ruleset: RuleSet) -> list[Finding]:
    """The semantic findings; a check that fails is itself a finding, never a crash."""
    try:
        return check_ruleset(ruleset)
    except IkuEvalError as exc:
        return [Finding((), problem.message) for problem in exc.problems]


def inspect_rule_file(path: str | Path) -> RuleReport:
    """Read a rule file and report all its problems (an unreadable file is one problem)."""
    try:
        text = read_text(path, RULE_FILE)
    except InputFileError as exc:
        return RuleReport(None, exc.problems)
    return inspect_rules(text, source=str(path))


def _in_file_order(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems sorted by line (stable: same-line problems keep their order)."""
    return tuple(sorted(problems, key=lambda p: p.location.line or 0))


class _Locator:
    """Turns key paths into locations: ``FILE:LINE`` and ``indicators[IKU-07].unit``."""

    def __init__(self, source: str | None, lines: Mapping[KeyPath, int], data: dict[str, Any]):
        self.source = source
        self.lines = lines
        self.data = data

    def location(self, path: KeyPath) -> Location:
        return Location(self.source, line_of(self.lines, path), self.key_text(path))

    def key_text(self, path: KeyPath) -> str:
        text = ""
        node: Any = self.data
        for step in path:
            if isinstance(step, int):
                element = node[step] if isinstance(node, list) and step < len(node) else None
                label = element.get("id") if isinstance(element, dict) else None
                usable = isinstance(label, str) and label.strip()
                text += f"[{label}]" if usable else f"[{step}]"
                node = element
            else:
                text += f".{step}" if text else str(step)
                node = node.get(step) if isinstance(node, dict) else None
        return text

    def finding(self, finding: Finding) -> Problem:
        return Problem(finding.message, self.location(finding.path), finding.severity, finding.hint)

    def problems(self, leaves: Sequence[tuple[KeyPath, BaseException]]) -> list[Problem]:
        found = []
        for path, exc in leaves:
            if isinstance(exc, ForbiddenExtraKeysError):
                allowed = [a.alias for a in attrs.fields(exc.cl) if a.init]
                for key in sorted(exc.extra_fields):
                    found.append(
                        Problem(
                            f"unknown key {echo(key)!r}; expected one of {', '.join(allowed)}",
                            self.location((*path, key)),
                            hint=did_you_mean(key, allowed),
                        )
                    )
            elif isinstance(exc, KeyError):
                found.append(Problem("required key is missing", self.location(path)))
            elif isinstance(exc, ExpectedError):
                found.append(Problem(str(exc), self.location(path), hint=exc.hint))
            elif isinstance(exc, IkuEvalError):
                for problem in exc.problems:
                    found.append(Problem(problem.message, self.location(path), hint=problem.hint))
            else:
                found.append(Problem(f"invalid value: {exc}", self.location(path)))
        return found
