"""Rule sets for tests, as plain descriptions written as TOML: no hypothesis needed here.

A :class:`RuleSpec` describes a small rule set; :func:`rules_toml` writes it as
a rule file and :func:`generated` loads that text with
:func:`ikueval.loads_rules`, so that every rule set a test uses went through
the same checks as a rule file. :data:`MINIMAL_RULES` and
:func:`indicator_toml` build rule files by hand, a section at a time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from attrs import field, frozen

from .._achievement import LOWER_IS_BETTER
from .._combining import METHODS
from .._decimals import RoundingMode
from .._evaluation import BASES as EVALUATION_BASES
from .._loading import loads_rules
from .._model import Direction, RuleSet

YEARS: Final = (2024, 2025)
"""The years of generated rule sets (2024 is a leap year)."""

DOCUMENT: Final = "pk"
"""The one document all generated targets come from."""

DIMENSIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "gender": ("L", "P"),
    "channel": ("bp3mi-p4mi", "ltsa-mpp", "online"),
}
"""The dimensions every generated rule set declares, with their values."""

SCALE: Final = "mutu"
"""The name of the categorical scale every generated rule set declares."""

LEVELS: Final[tuple[tuple[str, Decimal, Decimal], ...]] = (
    ("Kurang", Decimal(1), Decimal(0)),
    ("Cukup", Decimal(2), Decimal(60)),
    ("Baik", Decimal(3), Decimal(80)),
    ("Sangat Baik", Decimal(4), Decimal("90.5")),
)
"""The levels of :data:`SCALE`: label, score and lowest value, lowest first."""

# Every member of the registries (docs/extending.md): a new aggregation method,
# lower-is-better formula or basis is generated, and so checked by every property.
AGGREGATIONS: Final = tuple(method.value for method in METHODS)
DIRECTIONS: Final = tuple(direction.value for direction in Direction)
LOWER_FORMULAS: Final = tuple(formula.value for formula in LOWER_IS_BETTER)
ROUNDING_MODES: Final = tuple(mode.value for mode in RoundingMode)
BASES: Final = tuple(basis.value for basis in EVALUATION_BASES)
UNITS: Final = ("Orang", "Dokumen", "%", "Nilai", "Rupiah")
NOT_ADDING_UP: Final = ("%", "Nilai")
"""Units whose values of one period cannot add up: one event per period."""
GRANULARITIES: Final = ("year", "quarter", "month", "day")

FORMULAS: Final[Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "a / b * 100": (("a", "b"), ()),
    "a * 100 / b": (("a", "b"), ()),
    "(a + b) / 2": (("a", "b"), ()),
    "a / planned * 100": (("a",), ("planned",)),
}
"""Formulas of generated indicators, with the inputs and the parameters each uses."""

MINIMAL_RULES: Final = """\
[ruleset]
id = "t"
office = "Office"
years = [2025]

[[documents]]
id = "pk"
title = "PK"

[rounding]
mode = "half-up"
places = 2
"""
"""The smallest valid head of a rule file: the year 2025, one document ``pk``, rounding.

Add sections after it (``[achievement]``, :func:`indicator_toml`...).
"""


@frozen
class IndicatorSpec:
    """One indicator of a :class:`RuleSpec`.

    Args:
        id: the indicator's id.
        unit: its unit (``Kategori`` for a categorical one).
        aggregation: ``cumulative``, ``latest`` or ``average``.
        direction: ``higher`` or ``lower``.
        targets: target slot (``annual``, ``Q1``, ``M04``) -> value or category label.
        inputs: input name -> aggregation, for an indicator with a formula.
        formula: the formula over the inputs and parameters.
        parameters: parameter name -> value.
        cap: the indicator's cap, in percent.
        scale: the categorical scale (:data:`SCALE`), for a categorical indicator.
        dimensions: the dimensions its events may be broken down by.
        target_aggregation: how its targets combine, when not as its values.
        bases: the bases it applies to (all when None).
        objective: the strategic objective it belongs to.
        name: its name (``Indikator ID`` when None).
        description: its description.
    """

    id: str
    unit: str
    aggregation: str
    direction: str
    targets: Mapping[str, Decimal | str]
    inputs: Mapping[str, str] = field(factory=dict)
    formula: str | None = None
    parameters: Mapping[str, Decimal] = field(factory=dict)
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
        """Whether the indicator's values are categories of a scale."""
        return self.scale is not None

    @property
    def input_names(self) -> tuple[str, ...]:
        """The names its events use: its inputs, or ``value``."""
        return tuple(self.inputs) or ("value",)

    @property
    def adds_up(self) -> bool:
        """Whether values of one period add up (inputs are counts; % and scores do not)."""
        return not self.categorical and (bool(self.inputs) or self.unit not in NOT_ADDING_UP)


@frozen
class RuleSpec:
    """A small rule set of one year, every target from :data:`DOCUMENT`.

    Every rule set declares the dimensions :data:`DIMENSIONS` and the scale
    :data:`SCALE`, whether its indicators use them or not.

    Args:
        year: its one year.
        indicators: its indicators.
        rounding_mode: ``half-up``, ``down`` or ``half-even``.
        places: the decimal places of achievements.
        lower_is_better: the formula of lower-is-better indicators (``2t-r`` or ``t/r``).
        cap: the cap of every indicator, in percent.
        rollups: the roll-up policy: basis, ``missing`` and ``member_values``.
        objectives: the ids of its strategic objectives.
        office: the office's name.
        title: the rule set's title.
        spellings: how some numbers are written in the TOML text (``1_000``, ``1.5e2``).
    """

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
    spellings: Mapping[Decimal, str] = field(factory=dict)


@frozen
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


def toml_value(value: Decimal | int | str, spellings: Mapping[Decimal, str] | None = None) -> str:
    """A target value as TOML: a category label as a string, a number as a number."""
    if isinstance(value, str):
        return toml_string(value)
    return toml_number(Decimal(value), spellings)


def spellings_of(value: Decimal) -> list[str]:
    """The ways TOML can write a number: ``1000``, ``1_000``, ``1e3``, ``1000.0``."""
    found = [format(value, "f")]
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"{value} is not a finite number")
    if exponent >= 0 and len(digits) + exponent > 3:
        whole = format(value, "f")
        found.append(f"{whole[:-3]}_{whole[-3:]}")
    if any(digits) and not sign:
        found.append(f"{value.normalize():E}".replace("E+", "e").replace("E", "e"))
    if exponent >= 0:
        found.append(format(value, "f") + ".0")
    return found


def indonesian_text(value: Decimal, *, group: bool = True) -> str:
    """A decimal as an Indonesian table writes it: ``7.375``, ``33,64``, ``-1.234,5``.

    Args:
        value: a finite decimal.
        group: whether to group thousands with ``.`` (``1234,5`` when False).
    """
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"{value} is not a finite number")
    text = "".join(map(str, digits))
    if exponent >= 0:
        whole, fraction = text + "0" * exponent, ""
    else:
        text = text.rjust(-exponent + 1, "0")
        whole, fraction = text[:exponent], text[exponent:]
    whole = whole.lstrip("0") or "0"
    if group:
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = ".".join([whole, *groups])
    return ("-" if sign else "") + whole + ("," + fraction if fraction else "")


def indicator_toml(
    indicator_id: str = "I",
    *,
    targets: Mapping[str, Decimal | int | str] | None = None,
    unit: str = "Orang",
    aggregation: str = "cumulative",
    direction: str = "higher",
    name: str | None = None,
    document: str = "pk",
    extra: str = "",
) -> str:
    """An ``[[indicators]]`` section of a rule file, to add after :data:`MINIMAL_RULES`.

    Args:
        indicator_id: the indicator's id.
        targets: target slot (``annual``, ``Q2``, ``M04``, ``2025``) -> value or
            category label; ``{"annual": 100}`` when None.
        unit: its unit.
        aggregation: ``cumulative``, ``latest`` or ``average``.
        direction: ``higher`` or ``lower``.
        name: its name (``Indicator ID`` when None).
        document: the document the targets come from.
        extra: more keys of the indicator, as TOML lines (``cap = 120``,
            ``formula = "a / b * 100"``...).
    """
    slots = ", ".join(
        f"{slot} = {toml_value(value)}" for slot, value in (targets or {"annual": 100}).items()
    )
    return f"""
[[indicators]]
id = {toml_string(indicator_id)}
name = {toml_string(name if name is not None else f"Indicator {indicator_id}")}
unit = {toml_string(unit)}
aggregation = "{aggregation}"
direction = "{direction}"
targets.{document} = {{ {slots} }}
{extra}
"""


def small_ruleset(*sections: str, head: str = MINIMAL_RULES, source: str = "test.toml") -> RuleSet:
    """Load a rule set made of ``head`` and ``sections`` (such as :func:`indicator_toml`'s).

    Raises:
        RuleSetError: listing every error of the text, located in ``source``.
    """
    return loads_rules(head + "".join(sections), source=source)


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
        lines += ["", *_indicator_lines(indicator, spec.spellings)]
    return "\n".join(lines) + "\n"


def _indicator_lines(spec: IndicatorSpec, spellings: Mapping[Decimal, str]) -> list[str]:
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


def generated(spec: RuleSpec) -> Generated:
    """Write a spec as TOML and load it.

    Raises:
        RuleSetError: when the spec describes an invalid rule set.
    """
    text = rules_toml(spec)
    return Generated(spec, text, loads_rules(text, source="generated.toml"))
