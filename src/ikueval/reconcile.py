"""Reconciliation: check every figure a report prints against what its data give.

For each printed figure, the column it stands in and its unit say what it
claims to be (a target over a span, an achievement on a basis, a roll-up, a
budget figure). ikueval computes that claim from the rule set and the events,
and gives one verdict:

* ``match``: the claimed computation gives the printed figure;
* ``other_computation``: only another computation does, and the verdict names
  every change: another basis or span, another rounding mode or number of
  places, a cap, the other lower-is-better formula, a realisation printed as an
  achievement (or the reverse), a roll-up averaging the table's printed figures;
* ``contradiction``: no computation gives it, and another published figure
  that claims the same thing is printed differently;
* ``not_reproduced``: no computation ikueval knows gives it; the nearest
  candidates are shown, and no explanation is invented.

The search tries every single change and every pair of changes; the
explanations with the fewest changes are reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import attrs
from attrs import field, frozen

from .achievement import apply_cap, raw_achievement, substituted
from .aggregation import Ledger
from .converters import results_converter
from .decimals import (
    RoundingMode,
    distance,
    divide,
    exact_sum,
    multiply,
    percentage,
    plain,
    round_figure,
)
from .errors import IkuEvalError
from .evaluation import evaluate
from .model import (
    Basis,
    Direction,
    Indicator,
    LowerIsBetter,
    MemberValues,
    MissingPolicy,
    RuleSet,
    frozen_mapping,
)
from .publication import Column, Printed, Publication, Row, Shows, SpanName, Table, parse_cell
from .results import Evaluation, IndicatorResult, Status
from .units import same_unit

#: Caps tried when a figure matches no uncapped computation.
CAPS: Final = (Decimal(100), Decimal(110), Decimal(120))
#: Most changes an explanation may combine (basis and rounding, say).
MAX_CHANGES: Final = 2
#: Nearest candidates shown for a figure no computation reproduces.
NEAREST: Final = 3


class Verdict(Enum):
    """What ikueval concludes about one printed figure."""

    MATCH = "match"
    OTHER_COMPUTATION = "other_computation"
    CONTRADICTION = "contradiction"
    NOT_REPRODUCED = "not_reproduced"


class Role(Enum):
    """What a printed figure claims to be."""

    TARGET = "target"
    REALISATION = "realisation"
    INPUT = "input"
    PARAMETER = "parameter"
    ACHIEVEMENT = "achievement"
    ROLLUP = "rollup"
    CEILING = "ceiling"
    SPENDING = "spending"
    ABSORPTION = "absorption"


@frozen
class Claim:
    """What a printed figure claims, read from its column, row and unit."""

    role: Role
    subject: str
    period: str
    span: str | None = None
    basis: Basis | None = None
    unit: str | None = None

    def describe(self) -> str:
        """The claim in words: ``IKU-06 achievement period_vs_annual of 2025-Q2``."""
        detail = self.basis.value if self.basis else self.span
        unit = f" in {self.unit}" if self.unit and self.role in (Role.INPUT, Role.PARAMETER) else ""
        parts = [self.subject, self.role.value + unit, detail, f"of {self.period}"]
        return " ".join(p for p in parts if p)


@frozen
class FigureRef:
    """Where a figure is printed: table, row, column, and which figure of the cell."""

    table: str
    row: int
    line: int | None
    column: str
    part: int
    text: str
    cell: str


def _optional_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    return None if value is None else frozen_mapping(value)


@frozen
class Candidate:
    """A computation a printed figure is compared with.

    Args:
        description: what is computed, with the formula and values.
        changes: how it differs from what the figure claims (none for the claim).
        value: the unrounded value (a category, or None for "no figure").
        shown: the value as it is compared: rounded as ``rounding`` says.
        rounding: the rounding applied, in words.
        trail: the engine's trail of the figure (JSON data), when there is one.
    """

    description: str
    changes: tuple[str, ...] = ()
    value: Decimal | str | None = None
    shown: str | None = None
    rounding: str | None = None
    trail: Mapping[str, Any] | None = field(default=None, converter=_optional_mapping)


@frozen
class Reconciled:
    """The verdict on one printed figure, with its reason and the computations behind it."""

    figure: FigureRef
    claim: Claim
    printed: Printed
    verdict: Verdict
    reason: str
    computed: Candidate
    explanations: tuple[Candidate, ...] = ()
    nearest: tuple[Candidate, ...] = ()
    contradicts: tuple[FigureRef, ...] = ()


@frozen
class Reconciliation:
    """Every figure of a publication with its verdict."""

    ruleset: str
    document: str
    title: str | None
    period: str
    rounding: str
    figures: tuple[Reconciled, ...]
    tables: Mapping[str, str] = field(factory=dict, converter=frozen_mapping)
    """Table id -> title, in the order of the publication."""

    def counts(self) -> dict[Verdict, int]:
        """How many figures got each verdict."""
        return {v: sum(1 for f in self.figures if f.verdict is v) for v in Verdict}

    @property
    def all_match(self) -> bool:
        """Whether every figure is a plain match."""
        return all(f.verdict is Verdict.MATCH for f in self.figures)

    def only(self, tables: Iterable[str]) -> Reconciliation:
        """The same reconciliation, showing the figures of some tables only."""
        wanted = set(tables)
        return attrs.evolve(
            self,
            figures=tuple(f for f in self.figures if f.figure.table in wanted),
            tables={k: v for k, v in self.tables.items() if k in wanted},
        )


def reconcile(ruleset: RuleSet, ledger: Ledger, publication: Publication) -> Reconciliation:
    """Give every printed figure of a publication its verdict.

    Args:
        ruleset: the rule set the report is about.
        ledger: the events (see :func:`ikueval.build_ledger`).
        publication: the printed figures (:func:`ikueval.loading.load_publication`).
    """
    context = _Context(ruleset, ledger, publication)
    judged = [
        context.judge(ref, printed, claim, table, row)
        for ref, printed, claim, table, row in context.figures()
    ]
    by_claim: dict[Claim, list[Reconciled]] = {}
    for item in judged:
        by_claim.setdefault(item.claim, []).append(item)
    final = []
    for item in judged:
        others = tuple(
            other.figure
            for other in by_claim[item.claim]
            if other is not item and not _same_printed(other.printed, item.printed)
        )
        final.append(_with_contradictions(item, others))
    rounding = ruleset.rounding
    return Reconciliation(
        ruleset=ruleset.id,
        document=publication.document,
        title=publication.title,
        period=publication.period,
        rounding=f"{rounding.mode.value} to {rounding.places} places",
        figures=tuple(final),
        tables={t.id: t.title for t in publication.tables},
    )


def _with_contradictions(item: Reconciled, others: tuple[FigureRef, ...]) -> Reconciled:
    if not others:
        return item
    listed = _and(f"{o.table} ({o.text})" for o in others)
    if item.verdict is Verdict.NOT_REPRODUCED:
        claims = "claims" if len(others) == 1 else "claim"
        reason = f"contradicts {listed}, which {claims} the same figure; {item.reason}"
        return attrs.evolve(item, verdict=Verdict.CONTRADICTION, reason=reason, contradicts=others)
    prints = "prints" if len(others) == 1 else "print"
    reason = f"{item.reason}; {listed} {prints} the same figure differently"
    return attrs.evolve(item, reason=reason, contradicts=others)


def _and(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def _same_printed(a: Printed, b: Printed) -> bool:
    """Whether two printed figures say the same (12,5 and 12,50 do)."""
    return a.value == b.value


@frozen
class _Variant:
    """A computation before rounding."""

    description: str
    value: Decimal | str | None
    changes: tuple[str, ...] = ()
    rounds: bool = True
    """Whether the value is rounded like a published figure (else compared as it is)."""
    counts: bool = False
    """Whether it is a count or amount: shown as it is, rounded only past the places."""
    trail: Any = None


class _Context:
    def __init__(self, ruleset: RuleSet, ledger: Ledger, publication: Publication) -> None:
        self.ruleset = ruleset
        self.ledger = ledger
        self.publication = publication
        self.evaluations: dict[str, Evaluation] = {}

    def evaluation(self, period: str) -> Evaluation:
        if period not in self.evaluations:
            self.evaluations[period] = evaluate(self.ruleset, self.ledger, period)
        return self.evaluations[period]

    # ------------------------------------------------------------------ claims

    def figures(self) -> Iterator[tuple[FigureRef, Printed, Claim, Table, Row]]:
        number_format = self.publication.number_format
        for table in self.publication.tables:
            for index, row in enumerate(table.rows, start=1):
                for name, column in table.columns.items():
                    cell = row.cells.get(name)
                    if cell is None:
                        continue
                    for part, printed in enumerate(parse_cell(cell, number_format)):
                        ref = FigureRef(table.id, index, row.line, name, part, printed.text, cell)
                        yield ref, printed, self.claim(row, column, printed), table, row

    def claim(self, row: Row, column: Column, printed: Printed) -> Claim:
        period = column.period or self.publication.period
        shows = column.shows
        if shows is Shows.ROLLUP:
            return Claim(Role.ROLLUP, row.rollup or "", period, basis=column.basis)
        if shows is Shows.CEILING:
            return Claim(Role.CEILING, row.activity or "", period)
        if shows in (Shows.SPENDING, Shows.ABSORPTION):
            role = Role.SPENDING if shows is Shows.SPENDING else Role.ABSORPTION
            return Claim(role, row.activity or "", period, span=SpanName.TO_DATE.value)
        indicator = self.ruleset.indicator(row.indicator or "")
        assert indicator is not None  # checked when the publication was read
        if shows is Shows.ACHIEVEMENT:
            basis = column.basis or Basis.PERIOD
            span = _realisation_span(basis)
        else:
            span = (column.span or SpanName.PERIOD).value
            basis = Basis.TO_DATE if span == "to_date" else Basis.PERIOD
        unit = printed.unit
        input_unit = unit is not None and any(
            i.unit and same_unit(unit, i.unit) for i in indicator.inputs.values()
        )
        if isinstance(printed.value, Decimal) and unit and not same_unit(unit, indicator.unit):
            if printed.is_percentage:
                return Claim(Role.ACHIEVEMENT, indicator.id, period, basis=basis)
            if input_unit or (shows is Shows.TARGET and indicator.parameters):
                role = Role.PARAMETER if shows is Shows.TARGET else Role.INPUT
                return Claim(role, indicator.id, period, span=span, unit=unit)
        if shows is Shows.ACHIEVEMENT:
            if printed.is_percentage or printed.value is None:
                return Claim(Role.ACHIEVEMENT, indicator.id, period, basis=basis)
            return Claim(Role.REALISATION, indicator.id, period, span=span)
        role = Role.TARGET if shows is Shows.TARGET else Role.REALISATION
        return Claim(role, indicator.id, period, span=span)

    # ---------------------------------------------------------------- verdicts

    def judge(
        self, ref: FigureRef, printed: Printed, claim: Claim, table: Table, row: Row
    ) -> Reconciled:
        variants = list(self.variants(claim, table, row))
        claimed = variants[0]
        computed = self.candidate(claimed, printed, ())
        if _matches(computed, printed):
            return Reconciled(ref, claim, printed, Verdict.MATCH, _match_reason(computed), computed)
        found = self.explanations(variants, printed)
        if found:
            fewest = min(len(c.changes) for c in found)
            best = tuple(c for c in found if len(c.changes) == fewest)
            alternatives = "; or ".join(
                f"{' and '.join(c.changes)} ({c.description} = {c.shown})" for c in best
            )
            reason = (
                f"the claimed computation gives {_shown(computed)}; the printed figure matches "
                f"{alternatives}"
            )
            return Reconciled(
                ref, claim, printed, Verdict.OTHER_COMPUTATION, reason, computed, best
            )
        nearest = self.nearest(variants, printed)
        listed = "; ".join(f"{c.description} = {c.shown}" for c in nearest) or "none"
        if printed.value is None:
            reason = f"printed '-' (no figure), but the data give {_shown(computed)}"
        else:
            reason = (
                f"no computation ikueval knows gives {printed.text}; the claimed one gives "
                f"{_shown(computed)}; nearest: {listed}"
            )
        return Reconciled(
            ref, claim, printed, Verdict.NOT_REPRODUCED, reason, computed, (), nearest
        )

    def candidate(
        self,
        variant: _Variant,
        printed: Printed,
        extra: tuple[str, ...],
        mode: RoundingMode | None = None,
        places: int | None = None,
    ) -> Candidate:
        trail = (
            results_converter().unstructure(variant.trail) if variant.trail is not None else None
        )
        rounding = self.ruleset.rounding
        mode = mode or rounding.mode
        places = rounding.places if places is None else places
        if not isinstance(variant.value, Decimal):
            shown = variant.value if isinstance(variant.value, str) else None
            return Candidate(
                variant.description, variant.changes + extra, variant.value, shown, None, trail
            )
        shown_value = variant.value
        words = None
        if variant.rounds and not (variant.counts and _places(variant.value) <= places):
            shown_value = round_figure(variant.value, mode, places)
            words = f"{mode.value} to {places} place{'s' if places != 1 else ''}"
        return Candidate(
            variant.description,
            variant.changes + extra,
            variant.value,
            plain(shown_value),
            words,
            trail,
        )

    def explanations(self, variants: Sequence[_Variant], printed: Printed) -> list[Candidate]:
        declared = self.ruleset.rounding
        found = []
        for variant in variants:
            roundings: list[tuple[RoundingMode, int, tuple[str, ...]]] = [
                (declared.mode, declared.places, ())
            ]
            if isinstance(variant.value, Decimal) and variant.rounds:
                for mode in RoundingMode:
                    for places in sorted({declared.places, printed.places}):
                        if (mode, places) == (declared.mode, declared.places):
                            continue
                        words: list[str] = []
                        if mode is not declared.mode:
                            words.append(_MODE_WORDS[mode])
                        if places != declared.places:
                            unit = "place" if places == 1 else "places"
                            words.append(f"printed to {places} decimal {unit}")
                        roundings.append((mode, places, tuple(words)))
            for mode, places, changes in roundings:
                if not variant.changes and not changes:
                    continue  # the claimed computation itself
                if len(variant.changes) + len(changes) > MAX_CHANGES:
                    continue
                candidate = self.candidate(variant, printed, changes, mode, places)
                if _matches(candidate, printed):
                    found.append(candidate)
        return found

    def nearest(self, variants: Sequence[_Variant], printed: Printed) -> tuple[Candidate, ...]:
        if not isinstance(printed.value, Decimal):
            return ()
        target = printed.value
        numeric = [v for v in variants if isinstance(v.value, Decimal)]
        ranked = sorted(numeric, key=lambda v: (_distance(v.value, target), len(v.changes)))
        seen: set[str] = set()
        chosen = []
        for variant in ranked:
            candidate = self.candidate(variant, printed, ())
            if candidate.shown in seen:
                continue
            seen.add(candidate.shown or "")
            chosen.append(candidate)
            if len(chosen) == NEAREST:
                break
        return tuple(chosen)

    # ---------------------------------------------------------------- variants

    def variants(self, claim: Claim, table: Table, row: Row) -> Iterator[_Variant]:
        """Computations for a claim: the claimed one first, then the others."""
        if claim.role in (
            Role.ACHIEVEMENT,
            Role.REALISATION,
            Role.TARGET,
            Role.INPUT,
            Role.PARAMETER,
        ):
            indicator = self.ruleset.indicator(claim.subject)
            assert indicator is not None
            result = self.evaluation(claim.period).indicator(claim.subject)
            yield from {
                Role.ACHIEVEMENT: self.achievement_variants,
                Role.REALISATION: self.realisation_variants,
                Role.TARGET: self.target_variants,
                Role.INPUT: self.input_variants,
                Role.PARAMETER: self.parameter_variants,
            }[claim.role](claim, indicator, result)
        elif claim.role is Role.ROLLUP:
            yield from self.rollup_variants(claim, table)
        else:
            yield from self.budget_variants(claim, table, row)

    def achievement_variants(
        self, claim: Claim, indicator: Indicator, result: IndicatorResult
    ) -> Iterator[_Variant]:
        assert claim.basis is not None
        bases = [claim.basis, *(b for b in Basis if b is not claim.basis)]
        lower = self.ruleset.lower_formula()
        for basis in bases:
            achievement = result.achievement(basis)
            changes = () if basis is claim.basis else (f"on basis {basis.value}",)
            text = f"{basis.value} achievement"
            if achievement.status is not Status.COMPUTED or achievement.raw is None:
                yield _Variant(
                    f"{basis.value} achievement: none ({achievement.reason})",
                    None,
                    changes,
                    trail=achievement,
                )
                continue
            r, t = achievement.realisation.value, achievement.target.value
            if achievement.realisation_scored and achievement.target_scored:
                r, t = achievement.realisation_scored.score, achievement.target_scored.score
            text += f" {substituted(achievement.direction, achievement.lower_is_better, r, t)}"
            yield _Variant(text, achievement.unrounded, changes, trail=achievement)
            for cap in (None, *CAPS):
                if cap == achievement.cap:
                    continue
                words = "without the cap" if cap is None else f"with a cap of {plain(cap)}%"
                yield _Variant(
                    f"{text}, {words}",
                    apply_cap(achievement.raw, cap),
                    (*changes, words),
                    trail=achievement,
                )
            if (
                indicator.direction is Direction.LOWER
                and isinstance(r, Decimal)
                and isinstance(t, Decimal)
            ):
                for formula in LowerIsBetter:
                    if formula is lower:
                        continue
                    try:
                        raw = raw_achievement(Direction.LOWER, formula, r, t)
                    except ZeroDivisionError:
                        continue
                    yield _Variant(
                        f"{basis.value} achievement with the formula {formula.value}",
                        apply_cap(raw, achievement.cap),
                        (*changes, f"with the lower-is-better formula {formula.value}"),
                    )
        for span in ("period", "to_date"):
            realisation = result.realisations[span]
            if isinstance(realisation.value, Decimal):
                yield _Variant(
                    f"the realisation over {realisation.span}",
                    realisation.value,
                    (f"printing the {span} realisation as the achievement",),
                    counts=True,
                    trail=realisation,
                )

    def realisation_variants(
        self, claim: Claim, indicator: Indicator, result: IndicatorResult
    ) -> Iterator[_Variant]:
        spans = [claim.span or "period", *(s for s in ("period", "to_date") if s != claim.span)]
        for span in spans:
            realisation = result.realisations[span]
            changes = () if span == claim.span else (f"over the span {span}",)
            value = realisation.value if realisation.status is Status.COMPUTED else None
            detail = f"= {realisation.formula}" if realisation.formula else ""
            words = f"the realisation over {realisation.span} {detail}".rstrip()
            if value is None:
                words = f"the realisation over {realisation.span}: none ({realisation.reason})"
            yield _Variant(words, value, changes, counts=True, trail=realisation)
        for basis in (
            Basis.PERIOD,
            Basis.TO_DATE_VS_TARGET_TO_DATE,
            Basis.PERIOD_VS_ANNUAL,
            Basis.TO_DATE,
        ):
            achievement = result.achievement(basis)
            if achievement.unrounded is not None and _realisation_span(basis) == (
                claim.span or "period"
            ):
                yield _Variant(
                    f"the {basis.value} achievement: {achievement.method}",
                    achievement.unrounded,
                    (f"printing the {basis.value} achievement as the realisation",),
                    trail=achievement,
                )

    def target_variants(
        self, claim: Claim, indicator: Indicator, result: IndicatorResult
    ) -> Iterator[_Variant]:
        spans = [
            claim.span or "period",
            *(s for s in ("period", "to_date", "annual") if s != claim.span),
        ]
        for span in spans:
            target = result.targets[span]
            changes = () if span == claim.span else (f"over the span {span}",)
            documents = (
                ", ".join(p.sources[0] for p in target.aggregate.parts) if target.aggregate else ""
            )
            words = f"the target for {target.span}" + (f" from {documents}" if documents else "")
            if target.value is None:
                words = f"the target for {target.span}: none ({target.reason})"
            yield _Variant(words, target.value, changes, counts=True, trail=target)

    def input_variants(
        self, claim: Claim, indicator: Indicator, result: IndicatorResult
    ) -> Iterator[_Variant]:
        spans = [claim.span or "period", *(s for s in ("period", "to_date") if s != claim.span)]
        for span in spans:
            realisation = result.realisations[span]
            for aggregate in realisation.inputs:
                declared = indicator.inputs.get(aggregate.quantity)
                if (
                    declared is None
                    or not declared.unit
                    or not same_unit(declared.unit, claim.unit or "")
                ):
                    continue
                changes = () if span == claim.span else (f"over the span {span}",)
                yield _Variant(
                    f"input {aggregate.quantity} over {aggregate.span}",
                    aggregate.value,
                    changes,
                    counts=True,
                    trail=aggregate,
                )
        yield from self.parameter_variants(claim, indicator, result)

    def parameter_variants(
        self, claim: Claim, indicator: Indicator, result: IndicatorResult
    ) -> Iterator[_Variant]:
        """For a figure in an input's unit in a target column: the target in that unit,
        then the formula's parameters."""
        if claim.role is Role.PARAMETER:
            yield from self.target_in_input_unit(claim, indicator, result)
        for name, value in indicator.parameters.items():
            changes = () if claim.role is Role.PARAMETER else ("a parameter of the formula",)
            yield _Variant(
                f"parameter {name} of the formula {indicator.formula}", value, changes, rounds=False
            )

    def target_in_input_unit(
        self, claim: Claim, indicator: Indicator, result: IndicatorResult
    ) -> Iterator[_Variant]:
        """The target expressed in the unit of the indicator's single input.

        Only for a formula linear in its input through zero (``documents /
        planned * 100``): a target t is then t / f(1) of the input.
        """
        per_unit = _per_unit(indicator)
        spans = [
            claim.span or "period",
            *(s for s in ("period", "to_date", "annual") if s != claim.span),
        ]
        for span in spans:
            target = result.targets[span]
            if per_unit is None or not isinstance(target.value, Decimal):
                continue
            (name,) = indicator.inputs
            changes = () if span == claim.span else (f"over the span {span}",)
            yield _Variant(
                f"the target for {target.span} in {name}: {_short(target.value)} / "
                f"{_short(per_unit)}",
                divide(target.value, per_unit),
                changes,
                counts=True,
                trail=target,
            )
        if per_unit is None:
            yield _Variant(
                f"{indicator.id} has no single linear input to express its target in", None
            )

    def rollup_variants(self, claim: Claim, table: Table) -> Iterator[_Variant]:
        policy = self.ruleset.rollups
        missing = policy.missing if policy else MissingPolicy.EXCLUDE
        values = policy.member_values if policy else MemberValues.UNROUNDED
        basis = claim.basis or (policy.basis if policy else Basis.TO_DATE)
        members = self.rollup_members(claim.subject)
        evaluation = self.evaluation(claim.period)
        group = f"{len(members)} indicators ({members[0]}..{members[-1]})" if members else "none"
        for option in itertools.product(
            [basis, *(b for b in Basis if b is not basis)],
            [missing, *(m for m in MissingPolicy if m is not missing)],
            [values, *(v for v in MemberValues if v is not values)],
        ):
            b, m, v = option
            changes = tuple(
                words
                for words, differs in (
                    (f"on basis {b.value}", b is not basis),
                    (
                        "leaving out indicators without a figure"
                        if m is MissingPolicy.EXCLUDE
                        else "counting indicators without a figure as 0",
                        m is not missing,
                    ),
                    (f"averaging {v.value} figures", v is not values),
                )
                if differs
            )
            figures = []
            for member in members:
                achievement = evaluation.indicator(member).achievement(b)
                figures.append(
                    achievement.value if v is MemberValues.ROUNDED else achievement.unrounded
                )
            mean = _mean(figures, m)
            how = "those without one counted as 0" if m is MissingPolicy.ZERO else "with one"
            yield _Variant(
                f"mean of the {v.value} {b.value} achievements of {group} ({how})", mean, changes
            )
        for name, column in table.columns.items():
            if column.shows not in (Shows.ACHIEVEMENT,):
                continue
            printed = self.printed_column(table, name, set(members))
            if not printed:
                continue
            for m in MissingPolicy:
                words = "the mean of the figures this table prints in column " + repr(
                    column.label or name
                )
                how = "'-' left out" if m is MissingPolicy.EXCLUDE else "'-' counted as 0"
                yield _Variant(
                    f"{words} ({how})",
                    _mean(printed, m),
                    (f"averaging the table's printed column {column.label or name} ({how})",),
                )

    def printed_column(self, table: Table, name: str, members: set[str]) -> list[Decimal | None]:
        figures: list[Decimal | None] = []
        for row in table.rows:
            cell = row.cells.get(name)
            if row.indicator not in members or cell is None:
                continue
            main = parse_cell(cell, self.publication.number_format)[0]
            figures.append(main.value if isinstance(main.value, Decimal) else None)
        return figures

    def rollup_members(self, rollup: str) -> list[str]:
        head = self.ruleset.head_indicators
        if rollup == "all":
            return [i.id for i in head]
        group, _, key = rollup.partition(":")
        attribute = "objective" if group == "objective" else "activity"
        return [i.id for i in head if getattr(i, attribute) == key]

    def budget_variants(self, claim: Claim, table: Table, row: Row) -> Iterator[_Variant]:
        evaluation = self.evaluation(claim.period)
        try:
            budget = evaluation.budget(claim.subject)
        except KeyError:
            budget = None
        if claim.role is Role.CEILING:
            ceilings = [
                a.budget.ceiling
                for a in self.ruleset.activities
                if a.budget and claim.subject in ("total", a.id)
            ]
            value = exact_sum(ceilings) if ceilings else None
            yield _Variant(
                f"the budget ceiling of {claim.subject} in the rule set", value, rounds=False
            )
            return
        if claim.role is Role.SPENDING:
            spent = budget.spent if budget else None
            words = f"the spending of {claim.subject} to the end of {claim.period}"
            if spent is None:
                words += ": none recorded in the data"
            yield _Variant(words, spent, rounds=False, trail=budget)
            return
        words = f"absorption of {claim.subject}: spent / ceiling x 100"
        yield _Variant(words, budget.unrounded if budget else None, trail=budget)
        printed = self.printed_budget(table, row)
        if printed is not None:
            spent, ceiling = printed
            yield _Variant(
                f"the spending and ceiling printed in this row: {plain(spent)} / "
                f"{plain(ceiling)} x 100",
                percentage(spent, ceiling),
                ("from the spending and ceiling printed in the same row",),
            )

    def printed_budget(self, table: Table, row: Row) -> tuple[Decimal, Decimal] | None:
        found: dict[Shows, Decimal] = {}
        for name, column in table.columns.items():
            cell = row.cells.get(name)
            if cell is None or column.shows not in (Shows.CEILING, Shows.SPENDING):
                continue
            value = parse_cell(cell, self.publication.number_format)[0].value
            if isinstance(value, Decimal):
                found[column.shows] = value
        if Shows.CEILING in found and Shows.SPENDING in found and found[Shows.CEILING] != 0:
            return found[Shows.SPENDING], found[Shows.CEILING]
        return None


_MODE_WORDS: Final = {
    RoundingMode.HALF_UP: "rounded half-up",
    RoundingMode.DOWN: "rounded down (truncated)",
    RoundingMode.HALF_EVEN: "rounded half-even",
}


def _per_unit(indicator: Indicator) -> Decimal | None:
    """What one unit of the single input gives in the formula, if the formula is linear."""
    if indicator.formula is None or len(indicator.inputs) != 1:
        return None
    (name,) = indicator.inputs
    try:
        at = [
            indicator.formula.evaluate({**indicator.parameters, name: Decimal(x)})
            for x in (0, 1, 2)
        ]
    except IkuEvalError:
        return None
    if at[0] != 0 or at[1] == 0 or at[2] != multiply(Decimal(2), at[1]):
        return None
    return at[1]


def _distance(value: Decimal | str | None, target: Decimal) -> Decimal:
    return distance(value, target) if isinstance(value, Decimal) else Decimal("Infinity")


def _short(value: Decimal) -> str:
    """A decimal without trailing zeros: 12.500 -> 12.5 (for descriptions only)."""
    text = plain(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _text(value: object) -> str:
    return plain(value) if isinstance(value, Decimal) else str(value)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _realisation_span(basis: Basis) -> str:
    return "to_date" if basis in (Basis.TO_DATE, Basis.TO_DATE_VS_TARGET_TO_DATE) else "period"


def _mean(values: Iterable[Decimal | None], missing: MissingPolicy) -> Decimal | None:
    counted = [
        v if v is not None else Decimal(0)
        for v in values
        if v is not None or missing is MissingPolicy.ZERO
    ]
    if not counted:
        return None
    return divide(exact_sum(counted), Decimal(len(counted)))


def _matches(candidate: Candidate, printed: Printed) -> bool:
    if printed.value is None:
        return candidate.value is None
    if isinstance(printed.value, str):
        return candidate.value == printed.value
    return (
        candidate.shown is not None
        and isinstance(candidate.value, Decimal)
        and Decimal(candidate.shown) == printed.value
    )


def _shown(candidate: Candidate) -> str:
    if candidate.value is None:
        return "no figure"
    return candidate.shown or str(candidate.value)


def _match_reason(candidate: Candidate) -> str:
    if candidate.value is None:
        return f"matches: {candidate.description}"
    rounding = f", rounded {candidate.rounding}" if candidate.rounding else ""
    return f"matches {candidate.shown}: {candidate.description}{rounding}"
