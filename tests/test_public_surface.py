"""The public surface: the version, ikueval.testing and its optional dependency, check_ruleset."""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
import tomllib
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings

import ikueval
from conftest import ROOT, examples, run_python
from ikueval import RuleSet, RuleSetError, Severity, check_ruleset, inspect_rules, loads_rules
from ikueval._model import Aggregation, Direction, Document, Indicator, Meta, Rounding
from ikueval.testing import MINIMAL_RULES, Generated, indicator_toml, rule_sets

# --------------------------------------------------------------------------- the version


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "ikueval.__version__"}
    assert importlib.metadata.version("ikueval") == ikueval.__version__


# --------------------------------------------------------------------------- ikueval.testing


def test_ikueval_does_not_import_hypothesis() -> None:
    check = "import sys, ikueval, ikueval._cli; print('hypothesis' in sys.modules)"
    ran = run_python("-c", check)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "False\n", "")


def test_ikueval_testing_without_hypothesis_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # as if not installed
    for name in [name for name in sys.modules if name.startswith("ikueval.testing")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError) as caught:
        importlib.import_module("ikueval.testing")
    assert str(caught.value) == (
        "ikueval.testing needs the hypothesis package, which is not installed "
        "(install it with: pip install 'ikueval[test]')"
    )


def test_ikueval_testing_exports_what_it_lists() -> None:
    import ikueval.testing

    assert sorted(ikueval.testing.__all__) == sorted(set(ikueval.testing.__all__))
    assert all(hasattr(ikueval.testing, name) for name in ikueval.testing.__all__)


# --------------------------------------------------------------------------- check_ruleset


def built(*indicators: Indicator) -> RuleSet:
    """A rule set made from its classes, as an application would build one."""
    return RuleSet(
        ruleset=Meta(id="app", office="Office", years=(2025,)),
        rounding=Rounding(ikueval.RoundingMode.HALF_UP, 2),
        documents=(Document("pk", "PK"),),
        indicators=indicators,
    )


PLACED = Indicator(
    "PLACED",
    "Workers placed",
    "Orang",
    Aggregation.CUMULATIVE,
    Direction.HIGHER,
    targets={"pk": {"annual": Decimal(100)}},
)


def test_a_valid_rule_set_built_in_python_passes() -> None:
    ruleset = built(PLACED)
    report = check_ruleset(ruleset)
    assert report.problems == ()
    assert report.ruleset is ruleset
    assert report.require() is ruleset


def test_problems_are_located_by_key_path_without_a_line() -> None:
    cases = Indicator(
        "CASES",
        "Cases",
        "Kasus",
        Aggregation.CUMULATIVE,
        Direction.LOWER,
        targets={"pk": {"annual": Decimal(10), "Q5": Decimal(1)}, "renstra": {}},
        cap=Decimal(90),
    )
    report = check_ruleset(built(PLACED, cases), source="app.rules")
    assert report.ruleset is None
    assert [str(p) for p in report.errors] == [
        "app.rules: indicators[CASES].direction: lower is better, but neither the indicator "
        "nor the rule set says which formula to use (declare [achievement] lower_is_better = "
        '"2t-r" or "t/r", or lower_is_better on the indicator)',
        "app.rules: indicators[CASES].cap: a cap of 90% is below 100%: the indicator could "
        "never be fully achieved",
        "app.rules: indicators[CASES].targets.pk.Q5: expected a target slot (annual, Q1..Q4 "
        "or M01..M12 (for a rule set of one year), or a period such as 2025, 2025-Q2, "
        "2025-04), found 'Q5'",
        "app.rules: indicators[CASES].targets.renstra: unknown document 'renstra': declare it "
        "in [[documents]]",
    ]
    assert all(p.location.line is None for p in report.problems)
    with pytest.raises(RuleSetError) as caught:
        report.require()
    assert str(caught.value).endswith("\n4 errors in the rule set")


def test_warnings_alone_keep_the_rule_set() -> None:
    text = MINIMAL_RULES + indicator_toml(
        "RATE",
        unit="%",
        extra='formula = "x * 100"\ninputs.x = { aggregation = "cumulative" }\n'
        'inputs.y = { aggregation = "cumulative" }',
    )
    ruleset = loads_rules(text)  # warnings do not stop loading
    report = check_ruleset(ruleset)
    assert report.errors == ()
    assert [str(p) for p in report.warnings] == [
        "indicators[RATE].inputs.y: warning: 'y' is declared but the formula does not use it"
    ]
    assert report.warnings[0].severity is Severity.WARNING
    assert report.require() is ruleset


def test_something_that_is_no_rule_set_is_one_problem() -> None:
    odd = attrs.evolve(built(PLACED), indicators=(attrs.evolve(PLACED, unit=object()),))
    (problem,) = check_ruleset(odd).problems
    assert problem.message.startswith("not a rule set ikueval can check: ")


@settings(max_examples=examples(60), deadline=None)
@given(rule_sets())
def test_a_rule_set_is_checked_as_its_file_is(generated: Generated) -> None:
    """check_ruleset finds the problems inspect_rules finds in the text, at the same keys."""

    def problems(found: tuple[ikueval.Problem, ...]) -> list[tuple[str | None, str]]:
        return sorted((p.location.key, str(p.message)) for p in found)

    from_text = inspect_rules(generated.text)
    report = check_ruleset(generated.rules)
    assert problems(report.problems) == problems(from_text.problems)
    assert report.ruleset is generated.rules
