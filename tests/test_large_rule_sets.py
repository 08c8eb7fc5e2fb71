"""Large rule sets are read and checked in time linear in their size.

Nothing in loading may be quadratic in the number of indicators, documents,
objectives, activities or sub-units: not the checks of valid references, and
not the "did you mean" hints of unknown ones.
"""

from __future__ import annotations

import time

from ikueval import inspect_rules
from test_fuzz_inputs import time_limit


def many_names(count: int, *, objective: str = "o") -> str:
    """``count`` indicators, each with its own objective, activity, sub-unit and document.

    Each indicator names objective ``{objective}{n}``: with another prefix
    than ``o``, every indicator names an undeclared objective.
    """
    parts = [
        '[ruleset]\nid = "big"\noffice = "O"\nyears = [2025]\n',
        '[rounding]\nmode = "half-up"\nplaces = 2\n',
        '[targets]\nprecedence = ["d0"]\n',
    ]
    parts += [f'[[documents]]\nid = "d{n}"\ntitle = "D{n}"\n' for n in range(count)]
    parts += [f'[[objectives]]\nid = "o{n}"\nname = "O{n}"\n' for n in range(count)]
    parts += [f'[[activities]]\nid = "a{n}"\nname = "A{n}"\n' for n in range(count)]
    parts += [f'[[subunits]]\nid = "s{n}"\nname = "S{n}"\n' for n in range(count)]
    parts += [
        f'[[indicators]]\nid = "I{n}"\nname = "I{n}"\nobjective = "{objective}{n}"\n'
        f'activity = "a{n}"\nsubunit = "s{n}"\nunit = "Orang"\naggregation = "cumulative"\n'
        f'direction = "higher"\ntargets.d0 = {{ annual = 2 }}\ntargets.d{n} = {{ annual = 1 }}\n'
        for n in range(1, count)
    ]
    return "\n".join(parts)


def checked_in(text: str, seconds: float) -> list[str]:
    started = time.process_time()
    with time_limit(10 * seconds):
        report = inspect_rules(text, source="big.toml")
    assert time.process_time() - started < seconds
    return [str(p) for p in report.problems]


def test_thousands_of_names_are_checked_in_linear_time() -> None:
    found = checked_in(many_names(4_000), seconds=4.0)
    assert len(found) == 3999  # each indicator's second document disagrees, and warns
    assert found[0].startswith("big.toml:")
    assert "warning: d1 gives 1 for 2025, but d0 gives 2" in found[0]


def test_thousands_of_unknown_names_get_their_problem_in_linear_time() -> None:
    found = checked_in(many_names(2_000, objective="ob"), seconds=4.0)
    unknown = [m for m in found if "unknown objective" in m]
    assert len(unknown) == 1999
    assert unknown[0].endswith(
        "indicators[I1].objective: unknown objective 'ob1': declare it in [[objectives]] "
        "(did you mean 'o1'?)"
    )
    assert unknown[-1].endswith(
        "indicators[I1999].objective: unknown objective 'ob1999': declare it in [[objectives]]"
    )  # past the budget of hints: the problem, without its hint
