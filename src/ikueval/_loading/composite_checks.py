"""Checks of the composites and the comparisons a rule set declares.

``[[composites]]``: each member names one indicator or roll-up that exists, at
most once; a weighted composite gives every member a positive weight and no
other composite gives one; a composite of achievements names its basis, one of
realisations its span; a member roll-up combines the same figure as the
composite; and no composite is among its own members, directly or through
others. ``[targets] medium_term``: its year is a year of the rule set and its
document is declared.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Final

from .._errors import Severity
from .._model import Composite, MemberFigure, RuleSet
from .._rollup_methods import MAX_MEMBERS, METHODS
from .._rollups import rollup_groups
from .._spans import REALISED
from .._targets import TargetEntry
from .findings import Finding
from .toml_positions import Path

Hint = Callable[[str, Collection[str]], str | None]
"""A "did you mean" hint for a word among choices (within the check's budget)."""


def check_composites(ruleset: RuleSet, hint: Hint) -> Iterator[Finding]:
    """Every problem of ``[[composites]]``; ``hint`` suggests names."""
    composites = {c.id: c for c in ruleset.composites}
    groups = {g.id: g for g in rollup_groups(ruleset)} if ruleset.rollups is not None else {}
    indicators = [i.id for i in ruleset.indicators]
    known_indicators = frozenset(indicators)
    rollup_names = sorted({*composites, *groups})
    seen: set[str] = set()
    for index, composite in enumerate(ruleset.composites):
        at: Path = ("composites", index)
        if composite.id in seen:
            yield Finding((*at, "id"), f"duplicate id {composite.id!r} of [[composites]]")
        seen.add(composite.id)
        if composite.id == "all" or ":" in composite.id:
            yield Finding(
                (*at, "id"),
                f"{composite.id!r} is the name of a roll-up of [rollups]",
                hint="choose an id that is not 'all' and has no ':'",
            )
        yield from _figure(at, composite, hint)
        yield from _members(
            ruleset,
            at,
            composite,
            (known_indicators, indicators),
            composites,
            groups,
            rollup_names,
            hint,
        )
    yield from _cycles(ruleset)


def _figure(at: Path, composite: Composite, hint: Hint) -> Iterator[Finding]:
    if composite.figure is MemberFigure.ACHIEVEMENT:
        if composite.basis is None:
            yield Finding(
                (*at, "basis"),
                "a composite of achievements needs the basis of the achievements it combines",
                hint='add basis = "to_date", say, or figure = "realisation" with its span',
            )
        if composite.span is not None:
            yield Finding(
                (*at, "span"),
                'only a composite of realisations (figure = "realisation") has a span',
            )
        return
    if composite.basis is not None:
        yield Finding(
            (*at, "basis"), 'only a composite of achievements (figure = "achievement") has a basis'
        )
    realised = [name.value for name in REALISED]
    if composite.span is None:
        yield Finding(
            (*at, "span"),
            "a composite of realisations needs the span of the realisations it combines: "
            + " or ".join(repr(name) for name in realised),
        )
    elif composite.span not in realised:
        yield Finding(
            (*at, "span"),
            f"expected one of {', '.join(repr(name) for name in realised)}, "
            f"found text {composite.span!r}",
            hint=hint(composite.span, realised),
        )


def _members(
    ruleset: RuleSet,
    at: Path,
    composite: Composite,
    known: tuple[frozenset[str], list[str]],
    composites: Mapping[str, Composite],
    groups: Mapping[str, object],
    rollup_names: list[str],
    hint: Hint,
) -> Iterator[Finding]:
    method = METHODS[composite.method]
    if not composite.members:
        yield Finding((*at, "members"), "a composite needs at least one member")
    if len(composite.members) > MAX_MEMBERS:
        yield Finding(
            (*at, "members"),
            f"a composite has at most {MAX_MEMBERS} members, found {len(composite.members)}",
        )
    listed: set[str] = set()
    for position, member in enumerate(composite.members):
        where: Path = (*at, "members", position)
        named = [key for key in ("indicator", "rollup") if getattr(member, key) is not None]
        if len(named) != 1:
            yield Finding(
                where,
                "a member names one indicator or one roll-up"
                + ("" if named else ': indicator = "IKU-01" or rollup = "ID"'),
            )
            continue
        key = named[0]
        ident = member.id
        if ident in listed:
            yield Finding((*where, key), f"{ident!r} is listed twice")
        listed.add(ident)
        if key == "indicator":
            yield from _indicator_member(ruleset, where, composite, ident, known, hint)
        else:
            yield from _rollup_member(ruleset, where, composite, ident, composites, groups)
            if ident not in composites and ident not in groups:
                forms = "a composite, or all, objective:ID or activity:ID of [rollups]"
                if ruleset.rollups is None and (ident == "all" or ":" in ident):
                    forms = "the roll-ups of groups need a [rollups] table"
                yield Finding(
                    (*where, key),
                    f"unknown roll-up {ident!r}: expected {forms}",
                    hint=hint(ident, rollup_names),
                )
        if method.weighted and member.weight is None:
            yield Finding(
                where,
                "every member of a weighted composite needs its weight",
                hint="add weight = N, a number above 0",
            )
        elif method.weighted and member.weight is not None and member.weight <= 0:
            yield Finding((*where, "weight"), f"a weight must be above 0, found {member.weight}")
        elif not method.weighted and member.weight is not None:
            yield Finding(
                (*where, "weight"),
                f"only a weighted composite has weights, not a {composite.method.value} one",
                hint='write method = "weighted", or leave the weight out',
            )


def _indicator_member(
    ruleset: RuleSet,
    where: Path,
    composite: Composite,
    ident: str,
    known: tuple[frozenset[str], list[str]],
    hint: Hint,
) -> Iterator[Finding]:
    if ident not in known[0]:
        yield Finding(
            (*where, "indicator"), f"unknown indicator {ident!r}", hint=hint(ident, known[1])
        )
        return
    indicator = ruleset.indicator(ident)
    if composite.figure is MemberFigure.REALISATION and indicator and indicator.categorical:
        yield Finding(
            (*where, "indicator"),
            f"{ident} is categorical: its realisation is a category, not a figure to combine",
            hint='combine its achievement instead (figure = "achievement")',
        )


def _rollup_member(
    ruleset: RuleSet,
    where: Path,
    composite: Composite,
    ident: str,
    composites: Mapping[str, Composite],
    groups: Mapping[str, object],
) -> Iterator[Finding]:
    """A member roll-up must combine what the composite combines."""
    mine = _what(composite.figure, composite.basis.value if composite.basis else composite.span)
    other = composites.get(ident)
    if other is not None:
        theirs = _what(other.figure, other.basis.value if other.basis else other.span)
    elif ident in groups and ruleset.rollups is not None:
        theirs = _what(MemberFigure.ACHIEVEMENT, ruleset.rollups.basis.value)
    else:
        return
    if theirs != mine:
        yield Finding(
            (*where, "rollup"),
            f"{ident} combines {theirs}, but this composite combines {mine}",
            hint="the members of a composite must be figures of one kind",
        )


def _what(figure: MemberFigure, detail: str | None) -> str:
    if figure is MemberFigure.ACHIEVEMENT:
        return f"{detail} achievements"
    return f"realisations over the span {detail}"


#: Composites of a cycle named in its message (a cycle through hundreds is cut).
MAX_CYCLE_SHOWN: Final = 10


def _cycles(ruleset: RuleSet) -> Iterator[Finding]:
    """A composite among its own members, directly or through others: one finding per
    cycle, at the member that closes it. The walk visits every composite and member once."""
    index = {c.id: n for n, c in enumerate(ruleset.composites)}
    members = {
        c.id: [(p, m.rollup) for p, m in enumerate(c.members) if m.rollup in index]
        for c in ruleset.composites
    }
    done: set[str] = set()
    for root in ruleset.composites:
        if root.id in done:
            continue
        path = [root.id]
        on_path = {root.id: 0}
        steps = [iter(members[root.id])]
        while steps:
            step = next(steps[-1], None)
            if step is None:
                steps.pop()
                finished = path.pop()
                del on_path[finished]
                done.add(finished)
                continue
            position, target = step
            assert target is not None
            if target in on_path:
                start = on_path[target]
                shown = path[start : start + MAX_CYCLE_SHOWN]
                if len(path) - start > MAX_CYCLE_SHOWN:
                    shown = [*shown, "..."]
                yield Finding(
                    ("composites", index[path[-1]], "members", position, "rollup"),
                    f"{target} contains {path[-1]}: a composite cannot be among its own members "
                    f"({' -> '.join([*shown, target])})",
                )
            elif target not in done:
                on_path[target] = len(path)
                path.append(target)
                steps.append(iter(members[target]))


def check_medium_term(
    ruleset: RuleSet, entries: list[list[TargetEntry]], hint: Hint
) -> Iterator[Finding]:
    """``[targets] medium_term``: a year of the rule set, a declared document, and targets."""
    declared = ruleset.targets.medium_term
    if declared is None:
        return
    at: Path = ("targets", "medium_term")
    if declared.year not in ruleset.years:
        years = ", ".join(str(y) for y in ruleset.years)
        yield Finding(
            (*at, "year"),
            f"{declared.year} is not a year of the rule set ({years})",
            hint="the medium-term target is the target of one of the rule set's years",
        )
        return
    documents = [d.id for d in ruleset.documents]
    if declared.document is not None and declared.document not in documents:
        yield Finding(
            (*at, "document"),
            f"unknown document {declared.document!r}",
            hint=hint(declared.document, documents),
        )
        return
    found = any(
        entry.period.year == declared.year
        and (declared.document is None or entry.document == declared.document)
        for found_entries in entries
        for entry in found_entries
    )
    if not found:
        source = f" in {declared.document}" if declared.document else ""
        yield Finding(
            at,
            f"no indicator has a target for {declared.year}{source}: every medium-term "
            "comparison will have no target",
            Severity.WARNING,
        )
