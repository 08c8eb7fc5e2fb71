"""Reading rule sets from TOML, with every problem located.

:func:`load_rules` and :func:`loads_rules` return a checked
:class:`~ikueval.model.RuleSet` or raise a :class:`~ikueval.errors.RuleSetError`
listing every problem found in the file, each as ``FILE:LINE: KEY: message``.
:func:`inspect_rules` also returns the warnings, for ``ikueval check``.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import attrs
import tomli_w
from attrs import frozen
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from ..converters import ExpectedError, rules_converter
from ..errors import IkuEvalError, Location, Problem, RuleSetError, Severity
from ..model import RuleSet
from ..suggest import did_you_mean
from .checks import Finding, check_ruleset
from .toml_positions import Path as KeyPath
from .toml_positions import key_lines, line_of


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
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        return RuleReport(None, (_toml_problem(exc, source),))
    lines = key_lines(text)
    locate = _Locator(source, lines, data)
    try:
        ruleset = rules_converter().structure(data, RuleSet)
    except (ClassValidationError, IterableValidationError) as exc:
        leaves = _leaves(exc, ())
        problems = locate.problems(leaves)
        salvaged = _salvage(data, leaves)
        if salvaged is not None:
            # Check what could be read, so that one run reports every problem.
            partial, kept, unread = salvaged
            findings = check_ruleset(partial, unread)
            problems.extend(locate.finding(_restore(f, kept)) for f in findings)
        return RuleReport(None, _in_file_order(problems))
    findings = check_ruleset(ruleset)
    report = _in_file_order(locate.finding(f) for f in findings)
    has_errors = any(f.severity is Severity.ERROR for f in findings)
    return RuleReport(None if has_errors else ruleset, report)


def inspect_rule_file(path: str | Path) -> RuleReport:
    """Read a rule file and report all its problems (an unreadable file is one problem)."""
    where = Location(str(path))
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except FileNotFoundError:
        return RuleReport(None, (Problem("no such rule file", where),))
    except IsADirectoryError:
        return RuleReport(None, (Problem("is a directory, not a rule file", where),))
    except UnicodeDecodeError as exc:
        problem = Problem(f"not UTF-8 text (byte {exc.start})", where, hint="save it as UTF-8")
        return RuleReport(None, (problem,))
    except OSError as exc:
        return RuleReport(None, (Problem(f"cannot read: {exc.strerror}", where),))
    return inspect_rules(text, source=str(path))


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def _toml_problem(exc: tomllib.TOMLDecodeError, source: str | None) -> Problem:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    line = int(match.group(1)) if match and match.group(1) else None
    text = _TOML_POSITION.sub("", message).strip()
    column = f" at column {match.group(2)}" if match and match.group(2) else ""
    return Problem(f"not valid TOML: {text}{column}", Location(source, line))


#: Parts of a rule set that can be left out, to check the rest of a broken file.
_LISTS: Final = ("indicators", "documents", "objectives", "activities")
_MAPPINGS: Final = ("dimensions", "scales")


def _salvage(
    data: dict[str, Any], leaves: Sequence[tuple[KeyPath, BaseException]]
) -> tuple[RuleSet, dict[str, list[int]], dict[str, set[str]]] | None:
    """The readable part of a rule set that failed to structure.

    Unknown keys are dropped; an entry of a list (an indicator...) or of a
    mapping (a scale...) with a problem is left out. Returns the partial rule
    set, for each list the original indices of the entries kept, and the names
    of the entries left out; None when a problem is in a part that cannot be
    left out (rounding, years...).
    """
    reduced = copy.deepcopy(data)
    dropped: dict[str, set[Any]] = {}
    for path, exc in leaves:
        if isinstance(exc, ForbiddenExtraKeysError):
            node: Any = reduced
            for step in path:
                node = node[step]
            for key in exc.extra_fields:
                node.pop(key, None)
        elif len(path) >= 2 and path[0] in _LISTS + _MAPPINGS:
            dropped.setdefault(str(path[0]), set()).add(path[1])
        else:
            return None
    kept: dict[str, list[int]] = {}
    unread: dict[str, set[str]] = {}
    for table, keys in dropped.items():
        entries = reduced[table]
        if table in _LISTS:
            kept[table] = [i for i in range(len(entries)) if i not in keys]
            unread[table] = {
                str(entries[i].get("id")) for i in keys if isinstance(entries[i], dict)
            }
            reduced[table] = [entries[i] for i in kept[table]]
        else:
            unread[table] = {str(k) for k in keys}
            reduced[table] = {k: v for k, v in entries.items() if k not in keys}
    try:
        return rules_converter().structure(reduced, RuleSet), kept, unread
    except Exception:  # nothing more can be checked
        return None


def _restore(finding: Finding, kept: dict[str, list[int]]) -> Finding:
    """A finding on a partial rule set, with list indices of the original file."""
    path = finding.path
    if len(path) >= 2 and path[0] in kept and isinstance(path[1], int):
        path = (path[0], kept[str(path[0])][path[1]], *path[2:])
    return attrs.evolve(finding, path=path)


def _in_file_order(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems sorted by line (stable: same-line problems keep their order)."""
    return tuple(sorted(problems, key=lambda p: p.location.line or 0))


def _leaves(exc: BaseException, path: KeyPath) -> list[tuple[KeyPath, BaseException]]:
    """The leaf errors of a cattrs error tree, each with its key path."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step: str | int = note.name if isinstance(note, AttributeValidationNote) else note.index
            found.extend(_leaves(sub, (*path, step)))
        for sub in without:
            found.extend(_leaves(sub, path))
        return found
    return [(path, exc)]


class _Locator:
    """Turns key paths into locations: ``FILE:LINE`` and ``indicators[IKU-07].unit``."""

    def __init__(self, source: str | None, lines: dict[KeyPath, int], data: dict[str, Any]):
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
                text += f"[{label}]" if isinstance(label, str) else f"[{step}]"
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
                            f"unknown key {key!r}; expected one of {', '.join(allowed)}",
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
