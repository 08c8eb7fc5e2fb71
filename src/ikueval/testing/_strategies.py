"""Hypothesis strategies: numbers, periods, small rule sets and their events.

Sizes are kept small (a few indicators, a few events per input) so that
property tests run in seconds.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs
from hypothesis import strategies as st

from .._periods import Period
from ._data import Dataset
from ._rules import (
    AGGREGATIONS,
    BASES,
    DIMENSIONS,
    DIRECTIONS,
    FORMULAS,
    GRANULARITIES,
    LEVELS,
    LOWER_FORMULAS,
    ROUNDING_MODES,
    SCALE,
    UNITS,
    YEARS,
    Generated,
    IndicatorSpec,
    RuleSpec,
    generated,
    rules_toml,
    spellings_of,
)

# --------------------------------------------------------------------------- numbers


def decimals(
    max_places: int = 2, max_value: int = 10_000, min_value: int = 0
) -> st.SearchStrategy[Decimal]:
    """Decimals from ``min_value`` to ``max_value`` with at most ``max_places`` decimals."""

    @st.composite
    def build(draw: st.DrawFn) -> Decimal:
        places = draw(st.integers(0, max_places))
        units = draw(st.integers(min_value * 10**places, max_value * 10**places))
        return Decimal(units).scaleb(-places)

    return build()


def positive_decimals(max_places: int = 2, max_value: int = 10_000) -> st.SearchStrategy[Decimal]:
    """Decimals above zero, up to ``max_value``, with at most ``max_places`` decimals."""

    @st.composite
    def build(draw: st.DrawFn) -> Decimal:
        places = draw(st.integers(0, max_places))
        return Decimal(draw(st.integers(1, max_value * 10**places))).scaleb(-places)

    return build()


AMBIGUOUS_PATTERN: Final = r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+"
"""Text that reads as an integer with ``.`` thousands groups in the Indonesian
format and as a decimal in the international one: ``7.375``, ``-12.500.000``."""


def ambiguous_texts(max_groups: int = 6) -> st.SearchStrategy[str]:
    """Numbers whose meaning depends on the declared format (at most ``max_groups`` groups)."""
    return st.from_regex(AMBIGUOUS_PATTERN, fullmatch=True).filter(
        lambda text: text.count(".") <= max_groups
    )


def event_values(negative: bool = False) -> st.SearchStrategy[Decimal]:
    """Realised values: small decimals with few places, non-negative unless ``negative``.

    Some are written with an exponent, as ``Decimal`` arithmetic may give them
    (``Decimal('1.5E+2')`` for 150).
    """
    values = decimals(max_places=2, max_value=1_000, min_value=-1_000 if negative else 0)
    return st.one_of(values, values.map(Decimal.normalize))


def free_text(max_size: int = 12) -> st.SearchStrategy[str]:
    """Names and notes as people write them: any text, quotes, accents, control characters.

    Never blank: a rule set refuses empty names (leave an optional key out instead).
    """
    return st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=max_size).filter(
        str.strip
    ) | st.sampled_from(["Jumlah PMI (Orang)", 'Nilai "Baik"', "Persentase\tlayanan\n", "é ß 日本"])


# --------------------------------------------------------------------------- periods


@st.composite
def periods(draw: st.DrawFn, years: Sequence[int] = YEARS, days: bool = True) -> Period:
    """A year, quarter, month or (when ``days``) day of one of ``years``."""
    year = draw(st.sampled_from(years))
    kinds = ["year", "quarter", "month", *(["day"] if days else [])]
    kind = draw(st.sampled_from(kinds))
    if kind == "year":
        return Period.year_of(year)
    if kind == "quarter":
        return Period.quarter_of(year, draw(st.integers(1, 4)))
    month = draw(st.integers(1, 12))
    if kind == "month":
        return Period.month_of(year, month)
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return Period.day_of(date(year, month, day))


def evaluation_periods(year: int) -> st.SearchStrategy[Period]:
    """A year, quarter or month of ``year``: what can be evaluated."""
    return periods(years=(year,), days=False)


# --------------------------------------------------------------------------- rule sets


@st.composite
def target_slots(
    draw: st.DrawFn, values: st.SearchStrategy[Decimal | str]
) -> dict[str, Decimal | str]:
    """An annual target and targets for some quarters (rarely months), in one document."""
    slots: dict[str, Decimal | str] = {}
    if draw(st.integers(0, 9)) > 0:
        slots["annual"] = draw(values)
    for quarter in draw(st.lists(st.integers(1, 4), unique=True)):
        slots[f"Q{quarter}"] = draw(values)
    if draw(st.integers(0, 4)) == 0:
        for month in draw(st.lists(st.integers(1, 12), unique=True, max_size=4)):
            slots[f"M{month:02d}"] = draw(values)
    if not slots:
        slots["annual"] = draw(values)
    return dict(sorted(slots.items(), key=lambda item: (item[0] != "annual", item[0])))


@st.composite
def indicator_specs(
    draw: st.DrawFn,
    indicator_id: str,
    objectives: Sequence[str] = (),
    categorical: bool | None = None,
    aggregation: str | None = None,
) -> IndicatorSpec:
    """One indicator: plain, with inputs and a formula, or categorical.

    Args:
        draw: given by hypothesis.
        indicator_id: the indicator's id.
        objectives: the objectives it may belong to.
        categorical: whether it is categorical (either when None).
        aggregation: with it, a numeric indicator aggregating its values (or
            all its inputs) that way.
    """
    if aggregation is not None and aggregation != "latest":
        categorical = False
    if categorical is None:
        kind = draw(st.sampled_from(["plain", "plain", "formula", "categorical"]))
    else:
        kind = "categorical" if categorical else draw(st.sampled_from(["plain", "formula"]))
    direction = draw(st.sampled_from(DIRECTIONS))
    cap = draw(st.none() | st.sampled_from([Decimal(100), Decimal(110), Decimal("120.5")]))
    objective = draw(st.none() | st.sampled_from(objectives)) if objectives else None
    bases = draw(
        st.none() | st.lists(st.sampled_from(BASES), min_size=1, max_size=3, unique=True).map(tuple)
    )
    name = draw(st.none() | free_text())
    description = draw(st.none() | free_text())
    base = IndicatorSpec(
        id=indicator_id,
        unit="Kategori",
        aggregation="latest",
        direction=direction,
        targets={},
        cap=cap,
        bases=bases,
        objective=objective,
        name=name,
        description=description,
    )
    if kind == "categorical":
        labels = st.sampled_from([label for label, _, _ in LEVELS])
        return attrs.evolve(base, targets=draw(target_slots(labels)), scale=SCALE)
    methods = st.sampled_from(AGGREGATIONS) if aggregation is None else st.just(aggregation)
    numeric = attrs.evolve(
        base,
        aggregation=draw(methods),
        target_aggregation=draw(st.none() | st.sampled_from(AGGREGATIONS)),
        dimensions=tuple(draw(st.lists(st.sampled_from(sorted(DIMENSIONS)), unique=True))),
        targets=draw(target_slots(decimals(max_places=1, max_value=500))),
    )
    if kind == "plain":
        return attrs.evolve(numeric, unit=draw(st.sampled_from(UNITS)))
    formula = draw(st.sampled_from(sorted(FORMULAS)))
    input_names, parameter_names = FORMULAS[formula]
    return attrs.evolve(
        numeric,
        unit="%",
        inputs={name: draw(methods) for name in input_names},
        formula=formula,
        parameters={name: draw(positive_decimals(1, 50)) for name in parameter_names},
        name=None,
        description=None,
    )


@st.composite
def rule_specs(
    draw: st.DrawFn,
    max_indicators: int = 3,
    categorical: bool | None = None,
    aggregation: str | None = None,
) -> RuleSpec:
    """A small rule set: 1 to ``max_indicators`` indicators and the policies around them.

    Args:
        draw: given by hypothesis.
        max_indicators: the most indicators it has.
        categorical: whether its indicators are categorical (either when None).
        aggregation: with it, the first indicator aggregates that way.
    """
    objectives = tuple(draw(st.lists(st.sampled_from(["SS-1", "SS-2"]), unique=True)))
    count = draw(st.integers(1, max_indicators))
    indicators = tuple(
        draw(
            indicator_specs(
                f"IKU-{n:02d}", objectives, categorical, aggregation if n == 1 else None
            )
        )
        for n in range(1, count + 1)
    )
    rollups = draw(
        st.none()
        | st.tuples(
            st.sampled_from(BASES),
            st.sampled_from(["zero", "exclude"]),
            st.sampled_from(["unrounded", "rounded"]),
        )
    )
    numbers = {
        value
        for indicator in indicators
        for value in (*indicator.targets.values(), indicator.cap)
        if isinstance(value, Decimal)
    }
    spellings = {value: draw(st.sampled_from(spellings_of(value))) for value in sorted(numbers)}
    return RuleSpec(
        year=draw(st.sampled_from(YEARS)),
        office=draw(free_text()),
        title=draw(st.none() | free_text()),
        spellings=spellings,
        indicators=indicators,
        rounding_mode=draw(st.sampled_from(ROUNDING_MODES)),
        places=draw(st.integers(0, 4)),
        lower_is_better=draw(st.sampled_from(LOWER_FORMULAS)),
        cap=draw(st.none() | st.sampled_from([Decimal(100), Decimal(150)])),
        rollups=rollups,
        objectives=objectives,
    )


def rule_sets(
    max_indicators: int = 3, categorical: bool | None = None, aggregation: str | None = None
) -> st.SearchStrategy[Generated]:
    """Generated rule sets, written as TOML and loaded; see :func:`rule_specs`."""
    return rule_specs(max_indicators, categorical, aggregation).map(generated)


def rule_texts(max_indicators: int = 3) -> st.SearchStrategy[str]:
    """Generated rule sets as TOML text; see :func:`rule_specs`."""
    return rule_specs(max_indicators).map(rules_toml)


# --------------------------------------------------------------------------- events


def period_text(year: int, granularity: str, draw: st.DrawFn) -> tuple[str, str]:
    """A record key (``period`` or ``date``) and a period of ``year`` of the granularity."""
    if granularity == "year":
        return "period", str(year)
    if granularity == "quarter":
        return "period", f"{year}-Q{draw(st.integers(1, 4))}"
    month = draw(st.integers(1, 12))
    if granularity == "month":
        return "period", f"{year}-{month:02d}"
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return draw(st.sampled_from(["period", "date"])), f"{year}-{month:02d}-{day:02d}"


@st.composite
def datasets(
    draw: st.DrawFn,
    rules: st.SearchStrategy[Generated] | None = None,
    max_events: int = 4,
    missing: bool = True,
    min_events: int = 0,
    granularities: Sequence[str] = GRANULARITIES,
) -> Dataset:
    """A rule set and ``min_events`` to ``max_events`` events for each indicator input.

    Args:
        draw: given by hypothesis.
        rules: the rule sets (:func:`rule_sets` when None).
        max_events: the most events of one input.
        missing: whether some events are reported as ``"-"``.
        min_events: the fewest events of one input.
        granularities: the granularities each indicator's events may have.
    """
    gen = draw(rules if rules is not None else rule_sets())
    year = gen.spec.year
    records: list[dict[str, Any]] = []
    granularity: dict[str, str] = {}
    for indicator in gen.spec.indicators:
        grain = draw(st.sampled_from(granularities))
        granularity[indicator.id] = grain
        # percentages and money may fall below zero; counts and scores may not
        signed = indicator.unit in ("%", "Rupiah") and not indicator.inputs and draw(st.booleans())
        for input_name in indicator.input_names:
            used: set[str] = set()
            # one breakdown per input: a total and its detail, or two breakdowns
            # (by gender, by channel), would count the same realisation twice
            breakdown = [name for name in indicator.dimensions if draw(st.booleans())]
            for _ in range(draw(st.integers(min_events, max_events))):
                key, when = period_text(year, grain, draw)
                record: dict[str, Any] = {"indicator": indicator.id, key: when}
                if indicator.inputs:
                    record["input"] = input_name
                if missing and draw(st.integers(0, 7)) == 0:
                    record["value"] = "-"
                elif indicator.categorical:
                    if when in used:  # one category per period
                        continue
                    used.add(when)
                    record["value"] = draw(
                        st.sampled_from([label for label, _, _ in LEVELS]) | decimals(1, 100)
                    )
                elif not indicator.adds_up:
                    if when in used:  # percentages and scores of one period do not add up
                        continue
                    used.add(when)
                    record["value"] = draw(event_values(negative=signed))
                else:
                    record["value"] = draw(event_values(negative=signed))
                dims = {name: draw(st.sampled_from(DIMENSIONS[name])) for name in breakdown}
                if dims:
                    record["dimensions"] = dims
                records.append(record)
    for index, record in enumerate(records):
        record["ref"] = f"e{index:03d}"
    return Dataset(gen, tuple(records), granularity)


@st.composite
def cases(
    draw: st.DrawFn, datasets_: st.SearchStrategy[Dataset] | None = None
) -> tuple[Dataset, Period]:
    """A dataset (from ``datasets_``, or :func:`datasets`) and a period of its year to evaluate."""
    dataset = draw(datasets_ if datasets_ is not None else datasets())
    return dataset, draw(evaluation_periods(dataset.year))
