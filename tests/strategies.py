"""Hypothesis strategies for ikueval: periods, number text, small rule sets and their events.

Rule sets are generated as a plain description (:class:`RuleSpec`), written as
TOML text by :func:`rules_toml` and read with :func:`ikueval.loads_rules`, so
that every generated rule set went through the same checks as a rule file.
Events are generated for one rule set as the dicts a caller passes to
:func:`ikueval.evaluate`; each carries its own ``ref`` so that its source does
not depend on its position in the list.

Sizes are kept small (a few indicators, a few events per input) so that the
property tests run in seconds.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ikueval import (
    Direction,
    Event,
    Period,
    RoundingMode,
    RuleSet,
    events_from_records,
    loads_rules,
)
from ikueval.achievement import LOWER_IS_BETTER
from ikueval.combining import METHODS
from ikueval.evaluation import BASES as EVALUATION_BASES

YEARS = (2024, 2025)
"""The years of generated rule sets (2024 is a leap year)."""

DOCUMENT = "pk"
"""The one document all generated targets come from."""

DIMENSIONS: Mapping[str, tuple[str, ...]] = {
    "gender": ("L", "P"),
    "channel": ("bp3mi-p4mi", "ltsa-mpp", "online"),
}
"""The dimensions every generated rule set declares."""

SCALE = "mutu"
LEVELS: tuple[tuple[str, Decimal, Decimal], ...] = (
    ("Kurang", Decimal(1), Decimal(0)),
    ("Cukup", Decimal(2), Decimal(60)),
    ("Baik", Decimal(3), Decimal(80)),
    ("Sangat Baik", Decimal(4), Decimal("90.5")),
)
"""The categorical scale of generated rule sets: label, score and min, lowest first."""

# Every member of the registries (docs/extending.md): a new aggregation method,
# lower-is-better formula or basis is generated, and so checked by every property.
AGGREGATIONS = tuple(method.value for method in METHODS)
DIRECTIONS = tuple(direction.value for direction in Direction)
LOWER_FORMULAS = tuple(formula.value for formula in LOWER_IS_BETTER)
ROUNDING_MODES = tuple(mode.value for mode in RoundingMode)
BASES = tuple(basis.value for basis in EVALUATION_BASES)
UNITS = ("Orang", "Dokumen", "%", "Nilai", "Rupiah")
GRANULARITIES = ("year", "quarter", "month", "day")

#: Formulas over the inputs ``a`` and ``b`` (and the parameter ``planned``).
FORMULAS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "a / b * 100": (("a", "b"), ()),
    "a * 100 / b": (("a", "b"), ()),
    "(a + b) / 2": (("a", "b"), ()),
    "a / planned * 100": (("a",), ("planned",)),
}


# --------------------------------------------------------------------------- numbers


def decimals(
    max_places: int = 2, max_value: int = 10_000, min_value: int = 0
) -> st.SearchStrategy[Decimal]:
    """Decimals with at most ``max_places`` decimals, from an integer count of units."""

    @st.composite
    def build(draw: st.DrawFn) -> Decimal:
        places = draw(st.integers(0, max_places))
        units = draw(st.integers(min_value * 10**places, max_value * 10**places))
        return Decimal(units).scaleb(-places)

    return build()


def positive_decimals(max_places: int = 2, max_value: int = 10_000) -> st.SearchStrategy[Decimal]:
    """Decimals above zero."""

    @st.composite
    def build(draw: st.DrawFn) -> Decimal:
        places = draw(st.integers(0, max_places))
        return Decimal(draw(st.integers(1, max_value * 10**places))).scaleb(-places)

    return build()


def indonesian_text(value: Decimal, *, group: bool = True) -> str:
    """A decimal as an Indonesian table writes it: ``7.375``, ``33,64``, ``-1.234,5``."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    if exponent >= 0:
        whole, fraction = text + "0" * exponent, ""
    else:
        text = text.rjust(-exponent + 1, "0")
        whole, fraction = text[:exponent], text[exponent:]
    whole = whole.lstrip("0") or "0"
    if group:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = ".".join([whole, *groups])
    return ("-" if sign else "") + whole + ("," + fraction if fraction else "")


#: Text that reads as an integer with '.' thousands groups in the Indonesian
#: format and as a decimal in the international one: ``7.375``, ``-12.500.000``.
AMBIGUOUS_PATTERN = r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+"


def ambiguous_texts(max_groups: int = 6) -> st.SearchStrategy[str]:
    """Numbers whose meaning depends on the declared format (at most ``max_groups`` groups)."""
    return st.from_regex(AMBIGUOUS_PATTERN, fullmatch=True).filter(
        lambda text: text.count(".") <= max_groups
    )


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


@dataclass(frozen=True)
class IndicatorSpec:
    """One generated indicator."""

    id: str
    unit: str
    aggregation: str
    direction: str
    targets: Mapping[str, Decimal | str]
    inputs: Mapping[str, str] = field(default_factory=dict)
    formula: str | None = None
    parameters: Mapping[str, Decimal] = field(default_factory=dict)
    cap: Decimal | None = None
    scale: str | None = None
    dimensions: tuple[str, ...] = ()
    target_aggregation: str | None = None
    bases: tuple[str, ...] | None = None
    objective: str | None = None
    name: str | None = None
    description: str | None = None

    @property
    def categorical(self) -> bool:
        return self.scale is not None

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(self.inputs) or ("value",)


@dataclass(frozen=True)
class RuleSpec:
    """One generated rule set."""

    year: int
    indicators: tuple[IndicatorSpec, ...]
    rounding_mode: str = "half-up"
    places: int = 2
    lower_is_better: str | None = "2t-r"
    cap: Decimal | None = None
    rollups: tuple[str, str, str] | None = None
    objectives: tuple[str, ...] = ()
    office: str = "Kantor Uji"
    title: str | None = None
    spellings: Mapping[Decimal, str] = field(default_factory=dict)
    """How some numbers are written in the TOML text (``1_000``, ``1.5e2``)."""


@dataclass(frozen=True)
class Generated:
    """A rule set as described, as TOML text, and as loaded."""

    spec: RuleSpec
    text: str
    rules: RuleSet


def toml_number(value: Decimal, spellings: Mapping[Decimal, str] | None = None) -> str:
    """A decimal as a TOML integer or float: as spelled in ``spellings``, else digit for digit."""
    if spellings and value in spellings:
        return spellings[value]
    return format(value, "f")


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, except that TOML also escapes DEL)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Decimal | str, spellings: Mapping[Decimal, str] | None = None) -> str:
    return toml_string(value) if isinstance(value, str) else toml_number(value, spellings)


def spellings_of(value: Decimal) -> list[str]:
    """Other ways TOML can write a number: ``1_000``, ``1.5e2``, ``150.0``."""
    found = [format(value, "f")]
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent >= 0 and len(digits) + exponent > 3:
        whole = format(value, "f")
        found.append(f"{whole[:-3]}_{whole[-3:]}")
    if any(digits) and not sign:
        found.append(f"{value.normalize():E}".replace("E+", "e").replace("E", "e"))
    if exponent >= 0:
        found.append(format(value, "f") + ".0")
    return found


def rules_toml(spec: RuleSpec) -> str:
    """The rule file of a spec."""
    lines = [
        "# ikueval rule set (generated)",
        "[ruleset]",
        'id = "generated"',
        f"office = {toml_string(spec.office)}",
        *([f"title = {toml_string(spec.title)}"] if spec.title is not None else []),
        f"years = [{spec.year}]",
        "",
        "[[documents]]",
        f'id = "{DOCUMENT}"',
        'title = "Perjanjian Kinerja"',
        'kind = "pk"',
        "",
        "[rounding]",
        f'mode = "{spec.rounding_mode}"',
        f"places = {spec.places}",
        "",
        "[achievement]",
    ]
    if spec.lower_is_better is not None:
        lines.append(f'lower_is_better = "{spec.lower_is_better}"')
    if spec.cap is not None:
        lines.append(f"cap = {toml_number(spec.cap)}")
    if spec.rollups is not None:
        basis, missing, member_values = spec.rollups
        lines += [
            "",
            "[rollups]",
            f'basis = "{basis}"',
            f'missing = "{missing}"',
            f'member_values = "{member_values}"',
        ]
    for name, values in DIMENSIONS.items():
        quoted = ", ".join(f'"{v}"' for v in values)
        lines += ["", f"[dimensions.{name}]", f"values = [{quoted}]"]
    levels = ", ".join(
        f'{{ label = "{label}", score = {toml_number(score)}, min = {toml_number(low)} }}'
        for label, score, low in LEVELS
    )
    lines += ["", f"[scales.{SCALE}]", f"levels = [{levels}]"]
    for objective in spec.objectives:
        lines += ["", "[[objectives]]", f'id = "{objective}"', f'name = "Sasaran {objective}"']
    for indicator in spec.indicators:
        lines += ["", *_indicator_toml(indicator, spec.spellings)]
    return "\n".join(lines) + "\n"


def _indicator_toml(spec: IndicatorSpec, spellings: Mapping[Decimal, str]) -> list[str]:
    lines = [
        "[[indicators]]",
        f'id = "{spec.id}"',
        f"name = {toml_string(spec.name if spec.name is not None else 'Indikator ' + spec.id)}",
        f'unit = "{spec.unit}"',
        f'aggregation = "{spec.aggregation}"',
        f'direction = "{spec.direction}"',
    ]
    if spec.objective is not None:
        lines.append(f'objective = "{spec.objective}"')
    if spec.description is not None:
        lines.append(f"description = {toml_string(spec.description)}")
    if spec.cap is not None:
        lines.append(f"cap = {toml_number(spec.cap, spellings)}")
    if spec.scale is not None:
        lines.append(f'scale = "{spec.scale}"')
    if spec.target_aggregation is not None:
        lines.append(f'target_aggregation = "{spec.target_aggregation}"')
    if spec.dimensions:
        lines.append("dimensions = [" + ", ".join(f'"{d}"' for d in spec.dimensions) + "]")
    if spec.bases is not None:
        lines.append("bases = [" + ", ".join(f'"{b}"' for b in spec.bases) + "]")
    if spec.formula is not None:
        lines.append(f'formula = "{spec.formula}"')
    for name, aggregation in spec.inputs.items():
        lines.append(f'inputs.{name} = {{ aggregation = "{aggregation}", unit = "Kasus" }}')
    for name, value in spec.parameters.items():
        lines.append(f"parameters.{name} = {toml_number(value)}")
    slots = ", ".join(
        f"{slot} = {toml_value(value, spellings)}" for slot, value in spec.targets.items()
    )
    lines.append(f"targets.{DOCUMENT} = {{ {slots} }}")
    return lines


def free_text(max_size: int = 12) -> st.SearchStrategy[str]:
    """Names and notes as people write them: any text, quotes, accents, control characters.

    Never blank: a rule set refuses empty names (leave an optional key out instead).
    """
    return st.text(
        st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=max_size
    ).filter(str.strip) | st.sampled_from(
        ["Jumlah PMI (Orang)", 'Nilai "Baik"', "Persentase\tlayanan\n", "é ß 日本"]
    )


@st.composite
def indicator_specs(
    draw: st.DrawFn,
    indicator_id: str,
    objectives: Sequence[str] = (),
    categorical: bool | None = None,
    aggregation: str | None = None,
) -> IndicatorSpec:
    """One indicator: plain, with inputs and a formula, or categorical.

    With ``aggregation``, a numeric indicator aggregating its values (or all its
    inputs) that way.
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
    texts = {"name": draw(st.none() | free_text()), "description": draw(st.none() | free_text())}
    if kind == "categorical":
        labels = st.sampled_from([label for label, _, _ in LEVELS])
        return IndicatorSpec(
            id=indicator_id,
            unit="Kategori",
            aggregation="latest",
            direction=direction,
            targets=draw(target_slots(labels)),
            cap=cap,
            scale=SCALE,
            bases=bases,
            objective=objective,
            **texts,
        )
    methods = st.sampled_from(AGGREGATIONS) if aggregation is None else st.just(aggregation)
    aggregation = draw(methods)
    target_aggregation = draw(st.none() | st.sampled_from(AGGREGATIONS))
    dimensions = tuple(draw(st.lists(st.sampled_from(sorted(DIMENSIONS)), unique=True)))
    targets = draw(target_slots(decimals(max_places=1, max_value=500)))
    if kind == "plain":
        return IndicatorSpec(
            id=indicator_id,
            unit=draw(st.sampled_from(UNITS)),
            aggregation=aggregation,
            direction=direction,
            targets=targets,
            cap=cap,
            dimensions=dimensions,
            target_aggregation=target_aggregation,
            bases=bases,
            objective=objective,
            **texts,
        )
    formula = draw(st.sampled_from(sorted(FORMULAS)))
    input_names, parameter_names = FORMULAS[formula]
    return IndicatorSpec(
        id=indicator_id,
        unit="%",
        aggregation=aggregation,
        direction=direction,
        targets=targets,
        inputs={name: draw(methods) for name in input_names},
        formula=formula,
        parameters={name: draw(positive_decimals(1, 50)) for name in parameter_names},
        cap=cap,
        dimensions=dimensions,
        target_aggregation=target_aggregation,
        bases=bases,
        objective=objective,
    )


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
def rule_specs(
    draw: st.DrawFn,
    max_indicators: int = 3,
    categorical: bool | None = None,
    aggregation: str | None = None,
) -> RuleSpec:
    """A small rule set: 1 to ``max_indicators`` indicators and the policies around them.

    With ``aggregation``, the first indicator aggregates that way.
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


def generated(spec: RuleSpec) -> Generated:
    """Write a spec as TOML and load it."""
    text = rules_toml(spec)
    return Generated(spec, text, loads_rules(text, source="generated.toml"))


def rule_sets(
    max_indicators: int = 3, categorical: bool | None = None, aggregation: str | None = None
) -> st.SearchStrategy[Generated]:
    """Generated rule sets (:class:`Generated`); see :func:`rule_specs`."""
    return rule_specs(max_indicators, categorical, aggregation).map(generated)


def rule_texts(max_indicators: int = 3) -> st.SearchStrategy[str]:
    """Generated rule sets as TOML text."""
    return rule_specs(max_indicators).map(rules_toml)


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Dataset:
    """A rule set, events for it, and the period granularity of each indicator's events.

    Every indicator's events share one granularity (year, quarter, month or
    day), and the events of one input one breakdown (the same dimension names),
    so that no two of them overlap and nothing is counted twice.
    """

    generated: Generated
    records: tuple[dict[str, Any], ...]
    granularity: Mapping[str, str]

    @property
    def rules(self) -> RuleSet:
        return self.generated.rules

    @property
    def spec(self) -> RuleSpec:
        return self.generated.spec

    @property
    def year(self) -> int:
        return self.spec.year

    def events(self) -> list[Event]:
        """The records as checked events."""
        return list(events_from_records(self.rules, self.records))


def period_text(year: int, granularity: str, draw: st.DrawFn) -> tuple[str, str]:
    """A record key (``period`` or ``date``) and a period of the granularity."""
    if granularity == "year":
        return "period", str(year)
    if granularity == "quarter":
        return "period", f"{year}-Q{draw(st.integers(1, 4))}"
    month = draw(st.integers(1, 12))
    if granularity == "month":
        return "period", f"{year}-{month:02d}"
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return draw(st.sampled_from(["period", "date"])), f"{year}-{month:02d}-{day:02d}"


def event_values(negative: bool = False) -> st.SearchStrategy[Decimal]:
    """Realised values: small decimals with few places, non-negative unless ``negative``.

    Some are written with an exponent, as ``Decimal`` arithmetic may give them
    (``Decimal('1.5E+2')`` for 150).
    """
    values = decimals(max_places=2, max_value=1_000, min_value=-1_000 if negative else 0)
    return st.one_of(values, values.map(Decimal.normalize))


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

    With ``missing``, some events are reported as ``"-"``. Each indicator's
    events are of one of ``granularities``.
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
                else:
                    record["value"] = draw(event_values(negative=signed))
                dims = {name: draw(st.sampled_from(DIMENSIONS[name])) for name in breakdown}
                if dims:
                    record["dimensions"] = dims
                records.append(record)
    for index, record in enumerate(records):
        record["ref"] = f"e{index:03d}"
    return Dataset(gen, tuple(records), granularity)


def record_period(record: Mapping[str, Any]) -> Period:
    """The period of an event record."""
    when = record.get("period") or record.get("date")
    return when if isinstance(when, Period) else Period.parse(str(when))


@st.composite
def cases(
    draw: st.DrawFn, datasets_: st.SearchStrategy[Dataset] | None = None
) -> tuple[Dataset, Period]:
    """A dataset and a period of its year to evaluate."""
    dataset = draw(datasets_ if datasets_ is not None else datasets())
    return dataset, draw(evaluation_periods(dataset.year))


def dataset_of(spec: RuleSpec, records: Sequence[Mapping[str, Any]]) -> Dataset:
    """A dataset from a spec and hand-written records (for explicit examples)."""
    listed = tuple(
        {**record, "ref": record.get("ref", f"e{index:03d}")}
        for index, record in enumerate(records)
    )
    grains = {}
    for record in listed:
        period = record_period(record)
        grains[record["indicator"]] = period.granularity.value
    return Dataset(generated(spec), listed, grains)
