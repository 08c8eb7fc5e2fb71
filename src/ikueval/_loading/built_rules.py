"""Checking a rule set built in Python, as a rule file is checked.

A :class:`~ikueval.RuleSet` made from its classes (or changed with
``attrs.evolve``) skips the checks of :func:`~ikueval.loads_rules`.
:func:`check_ruleset` gives it the same checks, structural and semantic, by
writing it as a rule file and inspecting that: one set of rules, whichever way
a rule set was made.
"""

from __future__ import annotations

import attrs

from .._errors import Location, Problem
from .._model import RuleSet
from .rules import RuleReport, dumps_rules, inspect_rules


def check_ruleset(ruleset: RuleSet, *, source: str | None = None) -> RuleReport:
    """Check a rule set built in Python: every error and warning, located by key path.

    The checks are those of a rule file (``docs/rules.md``, and ``ikueval
    check``). There is no file, so a problem has no line: its location is the
    key path a rule file would have (``indicators[IKU-07].cap``), after
    ``source`` when one is given.

    Args:
        ruleset: the rule set to check.
        source: a name for the rule set in the problems (the module or the
            function that builds it, say).

    Returns:
        A :class:`~ikueval._loading.RuleReport` (as :func:`ikueval.inspect_rules`
        gives): ``problems`` holds the errors and warnings; ``ruleset`` is the
        rule set given when it has no error, else None. ``report.require()``
        returns the rule set or raises :class:`~ikueval.RuleSetError` listing
        every error.
    """
    try:
        text = dumps_rules(ruleset)
    except (TypeError, ValueError, AttributeError) as exc:
        problem = Problem(f"not a rule set ikueval can check: {exc}", Location(source))
        return RuleReport(None, (problem,))
    report = inspect_rules(text)
    problems = tuple(
        attrs.evolve(p, location=Location(source, None, p.location.key)) for p in report.problems
    )
    return RuleReport(None if report.errors else ruleset, problems)
