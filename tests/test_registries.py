"""Every extension point is one table, and nothing forgets a member (docs/extending.md).

The test walks every module of ikueval, finds every table keyed by the members
of an enum (a registry such as ``BASES``, or a table of words such as
``VERDICT_WORDS``) and checks that it covers every member and no other key; it
checks the same of every family of labels written once per member, in every
language. It then checks what each registry promises: the properties any
aggregation method or achievement formula must have, the spans every basis
names, the formats of every command as the command line offers them, and that
the documentation names every basis, aggregation method, lower-is-better
formula and span.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import re
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ikueval
from ikueval import _cli as cli
from ikueval._achievement import HIGHER_IS_BETTER, LOWER_IS_BETTER, AchievementFormula
from ikueval._combining import METHODS, combine
from ikueval._evaluation import BASES
from ikueval._model import Aggregation, Basis, LowerIsBetter, RangeRule, RollupMethod
from ikueval._reconcile.claims import Role
from ikueval._reports.labels import LABELS, MEMBER_LABELS, MEMBER_LABELS_EXCEPT
from ikueval._reports.lang import Lang
from ikueval._reports.renderers import RENDERERS, Renderers
from ikueval._results import Part, Status
from ikueval._rollup_methods import METHODS as ROLLUP_METHODS
from ikueval._rollup_methods import combine as combine_figures
from ikueval._spans import REALISED, SPANS, SpanName
from ikueval._units import UnitKind

ROOT = Path(__file__).resolve().parent.parent

#: The registry of each extension point (docs/extending.md), by the enum it covers.
REGISTRIES: Mapping[type[Enum], tuple[str, str]] = {
    Aggregation: ("ikueval._combining", "METHODS"),
    LowerIsBetter: ("ikueval._achievement", "LOWER_IS_BETTER"),
    Basis: ("ikueval._evaluation", "BASES"),
    SpanName: ("ikueval._spans", "SPANS"),
    RollupMethod: ("ikueval._rollup_methods", "METHODS"),
}

#: Tables that leave members out on purpose: (module, name) -> the members left out.
PARTIAL: Mapping[tuple[str, str], frozenset[Enum]] = {
    # a computed figure shows its value, not a mark
    ("ikueval._reports.text", "STATUS_MARKS"): frozenset({Status.COMPUTED}),
    # the names of the units ikueval knows: OTHER is every other unit
    ("ikueval._units", "_KINDS"): frozenset({UnitKind.OTHER}),
    # the figure each category claim states the category of: only categories have one
    ("ikueval._reconcile.categories", "_SCORED"): frozenset(Role)
    - {
        Role.CATEGORY,
        Role.TARGET_CATEGORY,
    },
}


def modules() -> list[ModuleType]:
    """Every module of the package, imported."""
    found = [ikueval]
    for info in pkgutil.walk_packages(ikueval.__path__, "ikueval."):
        if info.name != "ikueval.__main__":
            found.append(importlib.import_module(info.name))
    return found


def enum_tables() -> dict[int, tuple[tuple[str, str], type[Enum], Mapping[Any, Any]]]:
    """Every module-level mapping whose keys are all members of one enum, by identity
    (a table imported elsewhere is found once), named where it is defined."""
    found: dict[int, tuple[tuple[str, str], type[Enum], Mapping[Any, Any]]] = {}
    for module in modules():
        source = inspect.getsource(module)
        for name, value in vars(module).items():
            if not isinstance(value, Mapping) or not value:
                continue
            kinds = {type(key) for key in value}
            if len(kinds) != 1 or not issubclass(kind := kinds.pop(), Enum):
                continue
            defined = re.search(rf"^{re.escape(name)}\b[^\n]*=", source, re.MULTILINE)
            if id(value) not in found or defined:
                found[id(value)] = ((module.__name__, name), kind, value)
    return found


TABLES = sorted(enum_tables().values(), key=lambda t: t[0])


def table_named(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def test_the_walk_finds_every_registry() -> None:
    found = {id(table) for _, _, table in TABLES}
    for module, name in (*REGISTRIES.values(), *PARTIAL):
        assert id(table_named(module, name)) in found, f"{module}.{name} was not found"


@pytest.mark.parametrize(
    ("where", "enum", "table"), TABLES, ids=[f"{m}.{n}" for (m, n), _, _ in TABLES]
)
def test_every_table_covers_its_enum(
    where: tuple[str, str], enum: type[Enum], table: Mapping[Enum, Any]
) -> None:
    """A table keyed by an enum has every member (except those PARTIAL lists)."""
    left_out = next(
        (members for (m, n), members in PARTIAL.items() if table_named(m, n) is table),
        frozenset(),
    )
    missing = set(enum) - set(table) - left_out
    name = ".".join(where)
    assert not missing, f"{name} forgets {sorted(str(m.value) for m in missing)}"
    assert not left_out & set(table), f"{name} has a member PARTIAL says it leaves out"


@pytest.mark.parametrize("enum", list(REGISTRIES), ids=lambda e: e.__name__)
def test_registries_list_members_in_the_enum_order(enum: type[Enum]) -> None:
    """Outputs list bases, spans... in the order of their registry, which is the enum's."""
    module, name = REGISTRIES[enum]
    registry = getattr(importlib.import_module(module), name)
    assert tuple(registry) == tuple(enum)


@pytest.mark.parametrize("enum", list(REGISTRIES), ids=lambda e: e.__name__)
def test_registries_are_read_only_tables_of_records(enum: type[Enum]) -> None:
    module, name = REGISTRIES[enum]
    registry = table_named(module, name)
    member = next(iter(registry))
    with pytest.raises(TypeError):
        registry[member] = registry[member]  # a FrozenMap refuses to be changed
    for member, record in registry.items():
        assert attrs.has(type(record)), f"{name}[{member}] is not a record"
        for field in attrs.fields(type(record)):
            value = getattr(record, field.name)
            if isinstance(value, str):
                assert value.strip(), f"{name}[{member}].{field.name} is empty"


FAMILIES = sorted(MEMBER_LABELS)


@pytest.mark.parametrize("lang", list(Lang), ids=lambda lang: lang.value)
@pytest.mark.parametrize("family", FAMILIES)
def test_every_member_has_its_words_in_every_language(family: str, lang: Lang) -> None:
    """``f"{family}.{value}"`` exists for every member of the family's enum, and no label of
    that form names anything else (labels of a longer family, such as ``basis.phrase.X``
    next to ``basis.X``, belong to that family)."""
    enum = MEMBER_LABELS[family]
    expected = {str(member.value) for member in enum}
    except_ = MEMBER_LABELS_EXCEPT.get(family, frozenset())
    longer = [f for f in MEMBER_LABELS if f.startswith(f"{family}.")]
    found = {
        key[len(family) + 1 :]
        for key in LABELS[lang]
        if key.startswith(f"{family}.") and not any(key.startswith(f"{f}.") for f in longer)
    }
    missing = expected - found - except_
    extra = found - expected - except_
    assert not missing, f"{lang.value}: no label {family}.X for {sorted(missing)}"
    assert not extra, f"{lang.value}: labels {family}.X name no {enum.__name__}: {sorted(extra)}"
    assert except_ <= expected | found, f"{family}: MEMBER_LABELS_EXCEPT names no label"


# --------------------------------------------------------------------------- spans and bases


def test_every_basis_compares_spans_the_engine_has() -> None:
    for basis, rule in BASES.items():
        assert rule.realisation in REALISED, f"{basis}: no realisation over {rule.realisation}"
        assert rule.target in SPANS, f"{basis}: no target over {rule.target}"
    assert len({(r.realisation, r.target) for r in BASES.values()}) == len(BASES)


def test_spans_are_the_keys_of_the_results() -> None:
    ruleset = ikueval.load_rules("rules/bp3mi-jateng-2025.toml")
    evaluation = ikueval.evaluate(ruleset, [], "2025-Q2")
    result = evaluation.indicator("IKU-06")
    assert tuple(evaluation.spans) == tuple(SPANS)
    assert tuple(result.targets) == tuple(SPANS)
    assert tuple(result.realisations) == REALISED
    assert result.targets["annual"] is result.targets[SpanName.ANNUAL]
    assert [a.basis for a in result.achievements] == list(BASES)


# --------------------------------------------------------------------------- aggregation methods


@pytest.mark.parametrize("method", list(Aggregation), ids=lambda m: m.value)
@settings(max_examples=50, deadline=None)
@given(value=st.decimals(-1000, 1000, places=2), period=st.sampled_from(["2025-Q1", "2025-05"]))
def test_every_method_keeps_a_single_period(
    method: Aggregation, value: Decimal, period: str
) -> None:
    """Whatever the method, the figure of one period is that period's value."""
    assert combine(method, [Part(period, value)]) == value
    assert combine(method, []) is None


@pytest.mark.parametrize("method", list(Aggregation), ids=lambda m: m.value)
def test_methods_say_whether_they_combine_categories(method: Aggregation) -> None:
    parts = [Part("2025-Q1", "Baik")]
    if METHODS[method].categories:
        assert combine(method, parts) == "Baik"
    else:
        with pytest.raises(TypeError):
            combine(method, parts)


# --------------------------------------------------------------------------- achievement formulas

FORMULAS: Mapping[str, AchievementFormula] = {
    "higher": HIGHER_IS_BETTER,
    **{f"lower {formula.value}": entry for formula, entry in LOWER_IS_BETTER.items()},
}
positive = st.decimals(Decimal("0.01"), 10_000, places=2)


@pytest.mark.parametrize("name", list(FORMULAS))
def test_every_formula_reads_in_words(name: str) -> None:
    formula = FORMULAS[name]
    assert "{realisation}" in formula.template
    assert "{target}" in formula.template
    assert formula.text == formula.template.format(realisation="realisation", target="target")


@pytest.mark.parametrize("name", list(FORMULAS))
@settings(max_examples=50, deadline=None)
@given(target=positive, a=positive, b=positive)
def test_every_formula_gives_100_on_target_and_follows_its_direction(
    name: str, target: Decimal, a: Decimal, b: Decimal
) -> None:
    """A realisation equal to the target is 100%; a better realisation is never less."""
    formula = FORMULAS[name]
    assert formula.compute(target, target) == 100
    low, high = sorted((a, b))
    better, worse = (high, low) if name == "higher" else (low, high)
    assert formula.compute(better, target) >= formula.compute(worse, target)


# --------------------------------------------------------------------------- roll-up methods

figures = st.decimals(Decimal(0), 10_000, places=4)
weights = st.decimals(Decimal("0.01"), 1000, places=2)


@pytest.mark.parametrize("method", list(RollupMethod), ids=lambda m: m.value)
@settings(max_examples=50, deadline=None)
@given(value=figures, weight=weights)
def test_every_rollup_method_keeps_a_single_figure(
    method: RollupMethod, value: Decimal, weight: Decimal
) -> None:
    """Whatever the method (and the weight), one member's figure is the result."""
    combined = combine_figures(method, [value], [weight])
    assert combined.value == value


@settings(max_examples=100, deadline=None)
@given(values=st.lists(figures, min_size=1, max_size=12), weight=weights)
def test_a_weighted_mean_with_equal_weights_is_the_plain_mean(
    values: list[Decimal], weight: Decimal
) -> None:
    weighted = combine_figures(RollupMethod.WEIGHTED, values, [weight] * len(values))
    mean = combine_figures(RollupMethod.MEAN, values)
    assert weighted.value == mean.value
    assert str(weighted.value) == str(mean.value)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(figures, min_size=1, max_size=12))
def test_the_geometric_mean_never_exceeds_the_arithmetic_mean(values: list[Decimal]) -> None:
    geometric = combine_figures(RollupMethod.GEOMETRIC, values)
    assert geometric.value <= combine_figures(RollupMethod.MEAN, values).value
    assert min(values) <= geometric.value <= max(values)


@pytest.mark.parametrize("method", list(RollupMethod), ids=lambda m: m.value)
def test_rollup_methods_say_whether_they_take_weights(method: RollupMethod) -> None:
    figures_ = [Decimal(100), Decimal(50)]
    light, heavy = (
        combine_figures(method, figures_, [Decimal(1), Decimal(3)]),
        combine_figures(method, figures_, [Decimal(3), Decimal(1)]),
    )
    assert (light.value != heavy.value) is ROLLUP_METHODS[method].weighted


# --------------------------------------------------------------------------- output formats

COMMANDS = [field.name for field in attrs.fields(Renderers)]


def format_option(command: str) -> argparse.Action:
    parser = cli._parser()
    (subparsers,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    (option,) = (a for a in subparsers.choices[command]._actions if "--format" in a.option_strings)
    return option


@pytest.mark.parametrize("command", COMMANDS)
def test_the_command_line_offers_every_format(command: str) -> None:
    formats = getattr(RENDERERS, command)
    option = format_option(command)
    assert tuple(option.choices or ()) == tuple(formats)
    assert option.required or option.default == next(iter(formats))
    for name, entry in formats.items():
        assert entry.description.strip(), f"{command} --format {name} has no description"


@pytest.mark.parametrize("command", COMMANDS)
def test_the_docs_list_every_format(command: str) -> None:
    cli_md = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    synopsis = cli_md.split("```")[1]
    (line,) = (line for line in synopsis.splitlines() if line.startswith(f"ikueval {command} "))
    names = list(getattr(RENDERERS, command))
    assert f"--format {'|'.join(names)}" in line
    assert "[-o FILE]" in line
    for name in names:
        assert re.search(rf"`--format {name}`|`--format [a-z|\\]*{name}", cli_md), name


# --------------------------------------------------------------------------- the docs

NAMED: Mapping[type[Enum], tuple[str, ...]] = {
    Basis: ("docs/concepts.md", "docs/rules.md"),
    Aggregation: ("docs/concepts.md", "docs/rules.md"),
    LowerIsBetter: ("docs/concepts.md", "docs/rules.md"),
    RangeRule: ("docs/concepts.md", "docs/rules.md"),
    SpanName: ("docs/concepts.md",),
    RollupMethod: ("docs/concepts.md", "docs/rules.md"),
}


@pytest.mark.parametrize("enum", list(NAMED), ids=lambda e: e.__name__)
def test_the_docs_name_every_member(enum: type[Enum]) -> None:
    """Each basis, aggregation method, formula and span is written in the docs as the rule
    file writes it (``"2t-r"`` or `` `2t-r` ``)."""
    for path in NAMED[enum]:
        text = (ROOT / path).read_text(encoding="utf-8")
        for member in enum:
            quoted = re.compile(rf"[`\"]{re.escape(str(member.value))}[`\"]")
            assert quoted.search(text), f"{path} does not name {enum.__name__} {member.value!r}"


def test_the_extending_guide_names_every_registry() -> None:
    text = (ROOT / "docs" / "extending.md").read_text(encoding="utf-8")
    for name in ("METHODS", "LOWER_IS_BETTER", "BASES", "SPANS", "RENDERERS", "MEMBER_LABELS"):
        assert f"`{name}`" in text
