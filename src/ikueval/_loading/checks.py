"""Semantic checks of a rule set: what a well-formed file can still get wrong.

Each check yields :class:`Finding` values that point at a key path of the
file; :mod:`ikueval._loading.rules` turns them into located problems. Errors
make a rule set unusable; warnings point at something a planner should look
at (an input declared and never used, quarterly targets that add up to more
than the annual one...).

The checks, by what they check: :mod:`.declaration_checks` (what the rule set
declares besides its indicators), :mod:`.indicator_checks` (each indicator),
:mod:`.target_checks` and :mod:`.target_inputs` (its targets),
:mod:`.composite_checks` (composites, the medium-term target) and :mod:`.plan`
(the plan's consistency); :mod:`.known_names` holds the names references may use.
"""

from __future__ import annotations

from .._errors import Severity
from .._model import FrozenMap, RuleSet
from .._targets import BINDING_TARGETS, TargetEntry, document_order, rank_targets
from .composite_checks import check_composites, check_medium_term
from .declaration_checks import (
    check_activities,
    check_dimensions_and_scales,
    check_duplicates,
    check_meta,
    check_precedence,
    check_subunits,
)
from .findings import Finding
from .indicator_checks import check_indicator
from .known_names import Hints, Known
from .plan import check_plan


def check_ruleset(ruleset: RuleSet) -> list[Finding]:
    """Every semantic problem of a rule set, in file order."""
    known = Known(
        documents=frozenset(d.id for d in ruleset.documents),
        objectives=frozenset(o.id for o in ruleset.objectives),
        activities=frozenset(a.id for a in ruleset.activities),
        dimensions=frozenset(ruleset.dimensions),
        scales=frozenset(ruleset.scales),
        subunits=frozenset(s.id for s in ruleset.subunits),
        indicators=frozenset(i.id for i in ruleset.indicators),
        hint=Hints(),
    )
    findings = [
        *check_meta(ruleset),
        *check_duplicates(ruleset),
        *check_precedence(ruleset, known),
        *check_dimensions_and_scales(ruleset),
        *check_activities(ruleset, known),
    ]
    entries: list[list[TargetEntry]] = []
    for index, indicator in enumerate(ruleset.indicators):
        entries.append([])
        findings.extend(check_indicator(ruleset, known, index, indicator, entries[-1]))
    findings.extend(check_subunits(ruleset, known))
    findings.extend(check_composites(ruleset, known.hint))
    findings.extend(check_medium_term(ruleset, entries, known.hint))
    order = document_order(ruleset)
    choices = [rank_targets(ruleset, found, order) for found in entries]
    findings.extend(check_plan(ruleset, choices))
    if not any(finding.severity is Severity.ERROR for finding in findings):
        # Every target is valid, so the entries are those the engine declares: keep
        # the ranking for the evaluations (binding_targets).
        ruleset.keep_derived(BINDING_TARGETS, tuple(FrozenMap(found) for found in choices))
    return findings
