"""The trace of an indicator's figures, as text: everything a reader needs to redo them.

For each basis: the events (file and row) that entered, how they were
aggregated, the target and the document it came from, the formula with the
values substituted, the unrounded result and the rounding applied; then the
comparisons with the medium-term target and the previous year.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .._achievement import substituted
from .._aggregation import Ledger
from .._comparisons import COMPARED
from .._model import Direction, TargetFigure, TargetRange
from .._periods import Period
from .._results import (
    Achievement,
    Aggregate,
    Category,
    Evaluation,
    IndicatorResult,
    MediumTermComparison,
    Part,
    PreviousYearComparison,
    Realisation,
    Status,
    Target,
)
from .._spans import SpanName
from .formats import TERMINAL_MARKS, with_marks
from .labels import Words
from .lang import Lang


class FigureExplainer:
    """Writes the trace of an indicator's figures in one language: its realisations,
    targets and achievements, and its comparisons.

    Args:
        lang: the language of the words and numbers.
        documents: document id -> title.
        ledger: a ledger that retained events, to list every event of a part.
    """

    def __init__(
        self, lang: Lang, documents: Mapping[str, str], ledger: Ledger | None = None
    ) -> None:
        self.w = Words(lang)
        self.marks = TERMINAL_MARKS[lang]
        self.documents = documents
        self.ledger = ledger
        self._from = self.w("explain.from")
        # The same figures recur in every trace; keyed by their text, as 1 and 1.0
        # are equal decimals written differently.
        self._numbers: dict[str, str] = {}

    def num(self, value: Decimal | None) -> str:
        """A decimal written out in full, in the language's marks (``-`` for None)."""
        if value is None:
            return "-"
        key = str(value)
        text = self._numbers.get(key)
        if text is None:
            text = with_marks(format(abs(value) if value == 0 else value, "f"), self.marks)
            self._numbers[key] = text
        return text

    def value(self, value: TargetFigure | None) -> str:
        """A figure, a category or a target range (``80..90``)."""
        if isinstance(value, TargetRange):
            return f"{self.num(value.min)}..{self.num(value.max)}"
        return value if isinstance(value, str) else self.num(value)

    def rounding_text(self, mode: str, places: int) -> str:
        """``rounded half-up to 2 places``."""
        return self.w("rounding", mode=mode, places=places)

    def indicator(self, result: IndicatorResult, evaluation: Evaluation) -> str:
        """Every basis of one indicator, a shared realisation or target detailed once."""
        rounding = evaluation.rounding_of(result)
        lines = [
            *self.heading(result),
            self.w(
                "explain.evaluated",
                period=evaluation.period,
                rounding=self.rounding_text(rounding.mode.value, rounding.places),
            ),
        ]
        shown: dict[int, str] = {}
        for achievement in result.achievements:
            lines.append("")
            lines.extend(self.achievement(achievement, result, shown))
        if result.comparisons is not None:
            lines.append("")
            lines.extend(self.medium_term(result.comparisons.medium_term, result, shown))
            lines.append("")
            lines.extend(self.previous_year(result.comparisons.previous_year, result))
        return "\n".join(lines) + "\n"

    def medium_term(
        self, compared: MediumTermComparison, result: IndicatorResult, shown: dict[int, str]
    ) -> list[str]:
        """The realisation to date against the medium-term target."""
        w = self.w
        words = w("explain.comparison.medium_term")
        if compared.year is not None:
            source = f", {compared.document}" if compared.document else ""
            words += f" ({compared.year}{source})"
        if compared.achievement is None:
            status = w(f"status.{compared.status.value}")
            return [f"[medium_term] {words}", f"  {status}: {compared.reason}"]
        return self.achievement(compared.achievement, result, shown, ("medium_term", words))

    def previous_year(self, compared: PreviousYearComparison, result: IndicatorResult) -> list[str]:
        """The same span of the previous year: its figures and the changes."""
        w = self.w
        words = f"{w('explain.comparison.previous_year')}: {compared.period or '-'}"
        if compared.achievement is None:
            status = w(f"status.{compared.status.value}")
            return [f"[previous_year] {words}", f"  {status}: {compared.reason}"]
        lines = self.achievement(compared.achievement, result, {}, ("previous_year", words))
        now = result.realisations[SpanName.TO_DATE].value
        then = compared.realisation.value if compared.realisation else None
        rounding = compared.rounding
        text = self.rounding_text(rounding.mode.value, rounding.places)
        if compared.change is not None:
            change = w(
                "explain.change",
                now=self.value(now),
                then=self.value(then),
                change=self.num(compared.change),
            )
            lines.append(f"  {change}")
        elif compared.reason:
            lines.append(f"  {w('explain.change_none', reason=compared.reason)}")
        if compared.growth_unrounded is not None and isinstance(then, Decimal):
            growth = w(
                "explain.growth",
                change=self.num(compared.change),
                then=self.num(then.copy_abs()),
                value=self.num(compared.growth_unrounded),
            )
            lines.append(f"  {growth}")
            lines.append(
                f"    {w('explain.rounded', rounding=text, value=self.num(compared.growth))}"
            )
        if compared.points_unrounded is not None and compared.achievement is not None:
            points = w(
                "explain.points",
                now=self.num(result.achievement(COMPARED).unrounded),
                then=self.num(compared.achievement.unrounded),
                value=self.num(compared.points_unrounded),
            )
            lines.append(f"  {points}")
            lines.append(
                f"    {w('explain.rounded', rounding=text, value=self.num(compared.points))}"
            )
        lines.extend(f"  {w('explain.note', note=note)}" for note in compared.notes)
        return lines

    def heading(self, result: IndicatorResult) -> list[str]:
        """The indicator's id, name, unit, aggregation, direction, objective, activity."""
        w = self.w
        where = (
            ("explain.objective", result.objective),
            ("explain.activity", result.activity),
        )
        return [
            f"{result.id}  {result.name}",
            w(
                "explain.head",
                unit=result.unit,
                aggregation=w(f"aggregation.{result.aggregation.value}"),
                direction=w(f"direction.{result.direction.value}"),
            )
            + "".join(f"; {w(label)} {value}" for label, value in where if value),
        ]

    def achievement(
        self,
        achievement: Achievement,
        result: IndicatorResult,
        shown: dict[int, str] | None = None,
        heading: tuple[str, str] | None = None,
    ) -> list[str]:
        """One basis; a realisation or target already detailed under ``shown`` is referred to.

        Args:
            achievement: the achievement.
            result: its indicator's figures.
            shown: the figures already detailed, by the name of their section.
            heading: the section's name and words, for an achievement that is none of
                the bases (a comparison); by default the basis and its words.
        """
        w = self.w
        shown = {} if shown is None else shown
        if heading is None:
            basis = achievement.basis.value if achievement.basis else ""
            heading = (basis, w(f"explain.basis.{basis}"))
        basis, words = heading
        lines = [f"[{basis}] {words}"]
        if achievement.status is Status.NOT_APPLICABLE:
            return [*lines, f"  {w('explain.not_applicable')}: {achievement.reason}"]
        details: tuple[tuple[object, list[str]], ...] = (
            (achievement.realisation, self.realisation(achievement.realisation, result)),
            (achievement.target, self.target(achievement.target, result)),
        )
        for figure, detail in details:
            if id(figure) in shown:  # the same object: shared by two bases
                lines.append(f"{detail[0]}  {w('explain.detailed', basis=shown[id(figure)])}")
            else:
                shown[id(figure)] = basis
                lines.extend(detail)
        if achievement.status is not Status.COMPUTED:
            status = w(f"status.{achievement.status.value}")
            return [
                *lines,
                f"  {w('explain.achievement_none', status=status, reason=achievement.reason)}",
            ]
        r: object = self.value(achievement.realisation.value)
        t: object = self.value(achievement.target.value)
        if achievement.realisation_scored and achievement.target_scored:
            rs, ts = achievement.realisation_scored, achievement.target_scored
            scale = w(
                "explain.scale",
                r_label=repr(rs.label),
                r_score=self.num(rs.score),
                t_label=repr(ts.label),
                t_score=self.num(ts.score),
            )
            lines.append(f"  {scale}")
            r, t = self.num(rs.score), self.num(ts.score)
        band = achievement.target.value
        if isinstance(band, TargetRange) and achievement.range_rule is not None:
            lines.append(f"  {self._range(achievement, band)}")
            if achievement.compared_with is None:
                text = self.rounding_text(
                    achievement.rounding.mode.value, achievement.rounding.places
                )
                value = self.num(achievement.value)
                lines.append(f"  {w('explain.achievement')} = {self.num(achievement.raw)}")
                return [*lines, f"  {w('explain.rounded', rounding=text, value=value)}"]
            t = self.num(achievement.compared_with)
        label = w("explain.achievement")
        pad = " " * (len(label) + 3)
        method = self._method(achievement)
        if "lower_is_better" in achievement.indicator_settings:
            method = w("explain.own", what=method)
        lines.append(f"  {label} = {method}")
        formula = substituted(achievement.direction, achievement.lower_is_better, r, t)
        lines.append(f"{pad}= {formula}")
        lines.append(f"{pad}= {self.num(achievement.raw)} {w('explain.unrounded')}")
        own_cap = "cap" in achievement.indicator_settings
        if achievement.cap is not None:
            applies = w(
                "explain.cap_applies"
                if achievement.unrounded != achievement.raw
                else "explain.cap_not"
            )
            cap = w(
                "explain.cap",
                cap=self.num(achievement.cap),
                applies=applies,
                value=self.num(achievement.unrounded),
            )
            lines.append(f"  {w('explain.own', what=cap) if own_cap else cap}")
        elif own_cap:
            lines.append(f"  {w('explain.no_cap')}")
        rounding = achievement.rounding
        text = self.rounding_text(rounding.mode.value, rounding.places)
        if "rounding" in achievement.indicator_settings:
            text = w("explain.own", what=text)
        lines.append(f"  {w('explain.rounded', rounding=text, value=self.num(achievement.value))}")
        return lines

    def _range(self, achievement: Achievement, band: TargetRange) -> str:
        """Where the realisation lies against a target range, and what the rule compares."""
        r = achievement.realisation.value
        where = "within"
        if isinstance(r, Decimal):
            where = "above" if r > band.max else "below" if r < band.min else "within"
        rule = achievement.range_rule.value if achievement.range_rule else ""
        compared = (
            self.w("explain.range_bound", bound=self.num(achievement.compared_with))
            if achievement.compared_with is not None
            else self.w("explain.range_hundred")
        )
        return self.w(
            f"explain.range_{where}",
            band=self.value(band),
            compared=compared,
            rule=rule,
        )

    def _method(self, achievement: Achievement) -> str:
        if achievement.direction is Direction.HIGHER:
            return self.w("formula.higher")
        lower = achievement.lower_is_better
        return self.w(f"formula.{lower.value if lower else 'none'}")

    def realisation(self, realisation: Realisation, result: IndicatorResult) -> list[str]:
        """A realisation: each input's parts and sources, the formula with its values."""
        w = self.w
        value = self.value(realisation.value)
        if realisation.status is Status.COMPUTED:
            head = w("explain.realisation", span=realisation.span, value=value, unit=result.unit)
            head += self.category(realisation.category)
        else:
            head = w("explain.realisation_none", span=realisation.span, reason=realisation.reason)
        lines = [f"  {head}"]
        for aggregate in realisation.inputs:
            name = (
                "" if realisation.formula is None else w("explain.input", name=aggregate.quantity)
            )
            lines.extend(self.aggregate(aggregate, name, result))
        if realisation.formula is not None:
            bindings: dict[str, Decimal] = dict(realisation.parameters)
            for a in realisation.inputs:
                if isinstance(a.value, Decimal):
                    bindings[a.quantity] = a.value
            listed = ", ".join(f"{k} = {self.num(v)}" for k, v in sorted(bindings.items()))
            lines.append(
                f"    {w('explain.formula', formula=realisation.formula, bindings=listed)}"
            )
            if realisation.status is Status.COMPUTED:
                lines.append(f"           = {value}")
            elif realisation.reason:
                lines.append(f"           : {realisation.reason}")
        return lines

    def aggregate(self, aggregate: Aggregate, name: str, result: IndicatorResult) -> list[str]:
        """An aggregate: how its parts combine, each part, each event when retained, notes."""
        w = self.w
        count = sum(part.count for part in aggregate.parts)
        if not aggregate.parts:
            lines = [f"    {name}{w('explain.no_events', span=aggregate.span)}"]
        else:
            summary = w(
                "explain.parts",
                method=w(f"explain.method.{aggregate.method.value}"),
                parts=w.count("explain.part", len(aggregate.parts)),
                events=w.count("explain.event", count),
                total=self.value(aggregate.value),
            )
            lines = [f"    {name}{summary}"]
        for part in aggregate.parts:
            lines.append(f"      {self.part(part)}")
            if self.ledger is not None:
                lines.extend(self._events(result, aggregate.quantity, part))
        lines.extend(f"    {w('explain.note', note=note)}" for note in aggregate.notes)
        return lines

    def part(self, part: Part) -> str:
        """One part: its period, dimensions, value, event count and sources."""
        dims = ", ".join(f"{k}={v}" for k, v in part.dimensions.items())
        text = f"{part.period}{f' [{dims}]' if dims else ''}: {self.value(part.value)}"
        if part.count != 1:
            text += f" {self.w('explain.part_events', n=part.count)}"
        if part.sources:
            return f"{text}  {self._from} {', '.join(part.sources)}"
        return text

    def _events(self, result: IndicatorResult, quantity: str, part: Part) -> list[str]:
        assert self.ledger is not None
        lines = []
        period = Period.parse(part.period)
        for cell in self.ledger.of(result.id, quantity).cells:
            if cell.period != period or dict(cell.dimensions) != dict(part.dimensions):
                continue
            if len(cell.events) < 2:
                continue
            for event in cell.events:
                where = " ".join(x for x in (event.document, event.table) if x)
                extra = "; ".join(x for x in (event.id, where, event.note) if x)
                lines.append(
                    f"        {event.source}: {self.value(event.value)}"
                    + (f"  ({extra})" if extra else "")
                )
        return lines

    def target(self, target: Target, result: IndicatorResult) -> list[str]:
        """A target: the targets it is made of and the documents they come from."""
        w = self.w
        if target.status is not Status.COMPUTED or target.aggregate is None:
            return [f"  {w('explain.target_none', span=target.span, reason=target.reason)}"]
        value = self.value(target.value)
        head = w("explain.target", span=target.span, value=value, unit=result.unit)
        lines = [f"  {head}{self.category(target.category)}"]
        parts = target.aggregate.parts
        if len(parts) > 1:
            method = w(f"explain.method.{target.aggregate.method.value}")
            lines.append(f"    {w('explain.targets', method=method, n=len(parts))}")
        computed = {c.period: c for c in target.computed}
        for part in parts:
            documents = "; ".join(self.document(d) for d in part.sources)
            lines.append(
                f"      {part.period}: {self.value(part.value)}  {w('explain.from')} {documents}"
            )
            found = computed.get(part.period)
            if found is not None:
                bindings = {**found.parameters, **found.inputs}
                listed = ", ".join(f"{k} = {self.num(v)}" for k, v in sorted(bindings.items()))
                written = w("explain.target_inputs", formula=found.formula, bindings=listed)
                lines.append(f"        {written}")
        lines.extend(f"    {w('explain.note', note=note)}" for note in target.aggregate.notes)
        return lines

    def category(self, category: Category | None) -> str:
        """``, category Sangat Baik on the scale nka: more than 90`` (empty without one)."""
        if category is None:
            return ""
        bounds = (
            ("band.min", category.min),
            ("band.above", category.above),
            ("band.below", category.below),
            ("band.up_to", category.up_to),
        )
        band = ", ".join(self.w(key, value=self.num(v)) for key, v in bounds if v is not None)
        label = self.w("explain.category", label=category.label, scale=category.scale, band=band)
        return f" ({label})"

    def document(self, document_id: str) -> str:
        """``pk-2025 (Perjanjian Kinerja ...)``."""
        title = self.documents.get(document_id)
        return f"{document_id} ({title})" if title else document_id
