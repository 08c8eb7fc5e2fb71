"""Published-figures files: read like rule files, every problem located, one problem per mistake.

``tests/data/valid/published/NAME.toml`` is reconciled against the rule set and
events of that folder; its output must be ``NAME.out`` (regenerate with
``IKUEVAL_REGENERATE_GOLDEN=1`` and review the diff). Broken files are in the
invalid corpus (``tests/test_invalid_corpus.py``).
"""

from __future__ import annotations

import copy
import random
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples, matches_recorded, run_cli
from ikueval import build_ledger, load_rules, read_events
from ikueval._loading.published import SUBJECTS, PublicationError, loads_publication
from ikueval._loading.repeated_rows import MAX_REPEATED_ROWS_REPORTED
from ikueval._publication import Column
from ikueval._reconcile import Role, Verdict, reconcile
from ikueval._suggest import closest

VALID = Path(__file__).resolve().parent / "data" / "valid" / "published"
VALID_CASES = sorted(p for p in VALID.glob("*.toml") if p.name != "rules.toml")
BASE = ["published/rules.toml", "published/events.csv", "published/spending.csv"]
RULES = load_rules(VALID / "rules.toml")
LEDGER = build_ledger(RULES, read_events(RULES, [VALID / "events.csv", VALID / "spending.csv"]))
EXAMPLE = (VALID / "every-figure.toml").read_text(encoding="utf-8")
EXAMPLE_DATA: dict[str, Any] = tomllib.loads(EXAMPLE)


@pytest.mark.parametrize("case", VALID_CASES, ids=[p.stem for p in VALID_CASES])
def test_valid_published_figures(case: Path) -> None:
    ran = run_cli("reconcile", *BASE, "--published", f"published/{case.name}", cwd=VALID.parent)
    assert matches_recorded(ran.transcript, case.with_suffix(".out"))
    assert ran.err == ""


def test_the_valid_corpus_is_complete() -> None:
    assert len(VALID_CASES) >= 3
    outs = {p.stem for p in VALID.glob("*.out")}
    assert outs == {p.stem for p in VALID_CASES}


def test_cells_are_read_once_with_their_figures() -> None:
    publication = loads_publication(EXAMPLE, RULES)
    cell = publication.tables[0].rows[0].cells["capaian_sd"]
    assert cell.text == "560 Orang (56%)"
    assert [(f.value, f.unit) for f in cell.figures] == [
        (Decimal(560), "Orang"),
        (Decimal(56), "%"),
    ]


PERCENT = """
[publication]
document = "lkj-2025-q2"
period = "2025-Q2"
number_format = "indonesian"

[[tables]]
id = "t"
title = "Capaian (%)"
columns.capaian = { shows = "achievement", basis = "to_date", label = "Capaian (%)"UNIT }
rows = [{ indicator = "CASES", capaian = "147,50" }, { indicator = "PLACED", capaian = "56" }]
"""


def test_a_column_of_percentages_printed_without_the_sign() -> None:
    declared = loads_publication(PERCENT.replace("UNIT", ', unit = "%"'), RULES)
    column = declared.tables[0].columns["capaian"]
    assert (column.label, column.unit) == ("Capaian (%)", "%")
    figures = reconcile(RULES, LEDGER, declared).figures
    assert [(f.claim.role, f.printed.unit, f.verdict) for f in figures] == [
        (Role.ACHIEVEMENT, "%", Verdict.MATCH),
        (Role.ACHIEVEMENT, "%", Verdict.MATCH),
    ]
    assert [f.computed.shown for f in figures] == ["147.50", "56.00"]
    # Without the unit, a bare number in an achievement column is the realisation
    # over the span the basis uses: it only matches another computation.
    bare = reconcile(RULES, LEDGER, loads_publication(PERCENT.replace("UNIT", ""), RULES))
    assert [(f.claim.role, f.verdict) for f in bare.figures] == [
        (Role.REALISATION, Verdict.OTHER_COMPUTATION),
        (Role.REALISATION, Verdict.OTHER_COMPUTATION),
    ]
    assert [f.explanations[0].changes for f in bare.figures] == [
        ("printing the to_date achievement as the realisation",),
    ] * 2


def test_a_printed_unit_wins_over_the_columns() -> None:
    text = PERCENT.replace("UNIT", ', unit = "%"').replace('"56"', '"560 Orang"')
    (_, placed) = reconcile(RULES, LEDGER, loads_publication(text, RULES)).figures
    assert (placed.claim.role, placed.printed.unit, placed.verdict) == (
        Role.REALISATION,
        "Orang",
        Verdict.MATCH,
    )


def rows_table(rows: list[str]) -> str:
    """A publication of one table of targets, with the rows given."""
    head = PERCENT.split("[[tables]]")[0]
    written = "".join(f"  {row},\n" for row in rows)
    return (
        f'{head}[[tables]]\nid = "t"\ntitle = "T"\n'
        f'columns.target = {{ shows = "target", span = "annual" }}\nrows = [\n{written}]\n'
    )


def test_a_row_given_twice_is_a_warning_once() -> None:
    placed = '{ indicator = "PLACED", target = "1.000 Orang" }'
    noted = '{ indicator = "CASES", target = "40 Kasus", note = "NOTE" }'
    rows = [placed] * 400 + [noted.replace("NOTE", "under SS-1"), noted.replace("NOTE", "SS-2")]
    publication = loads_publication(rows_table(rows), RULES, source="p.toml")
    [warning] = publication.warnings
    assert str(warning) == (
        "p.toml:13: tables[t].rows[1]: warning: this row repeats the row of line 12: "
        "indicator PLACED, with the same cells (400 rows of the table are this row); each "
        "copy is reconciled as a printed figure (if the row was transcribed twice, delete "
        "the copy; if the report prints it twice, give each a note saying where it is printed)"
    )
    assert len(reconcile(RULES, LEDGER, publication).figures) == 402


def test_warnings_about_repeated_rows_are_bounded() -> None:
    rows = [f'{{ indicator = "PLACED", target = "{i} Orang" }}' for i in range(25)] * 2
    publication = loads_publication(rows_table(rows), RULES, source="p.toml")
    assert len(publication.warnings) == MAX_REPEATED_ROWS_REPORTED + 1
    assert str(publication.warnings[0]).startswith(
        "p.toml:37: tables[t].rows[25]: warning: this row repeats the row of line 12:"
    )
    assert str(publication.warnings[-1]) == (
        "p.toml: warning: 5 more rows repeat an earlier row of its table"
    )


def test_publication_errors_are_located() -> None:
    text = """
[publication]
document = "pk-2025"
period = "2025"
number_format = "internasional"

[[tables]]
id = "t1"
title = "Table 1"
columns.achievement = { shows = "achievement", basis = "period" }
rows = [
{ indicator = "CASE", achievement = "5O%" },
{ indicator = "CASES", achievment = "50%" },
{ indicator = "CASES", achievement = 50 }
]
"""
    with pytest.raises(PublicationError) as caught:
        loads_publication(text, RULES, source="p.toml")
    assert [str(p) for p in caught.value.problems] == [
        "p.toml:5: publication.number_format: expected one of 'international', 'indonesian', "
        "found text 'internasional' (did you mean 'international'?)",
        "p.toml:12: tables[t1].rows[0].indicator: unknown indicator 'CASE' (did you mean 'CASES'?)",
        "p.toml:12: tables[t1].rows[0].achievement: '5O%': after the number, 'O%' is not a unit "
        "(% or a word)",
        "p.toml:13: tables[t1].rows[1].achievment: unknown key 'achievment'; a row has "
        "indicator, activity, rollup, composite, note and the table's columns: achievement "
        "(did you mean 'achievement'?)",
        "p.toml:14: tables[t1].rows[2].achievement: expected text in quotes, found the number 50",
    ]
    assert str(caught.value).endswith("\n5 problems in the published figures")


# --------------------------------------------------------------------------- properties


#: The keys of the file format, at each level (docs/reconcile.md).
TOP = ["publication", "tables"]
HEAD = ["document", "period", "number_format", "title"]
TABLE = ["id", "title", "columns", "rows", "where", "note"]
COLUMN = [a.alias for a in attrs.fields(Column)]


def _keys(node: Any) -> Iterator[tuple[tuple[Any, ...], list[str]]]:
    """Every key of a publication's data with the keys that may stand at its place."""
    yield from (((key,), TOP) for key in node)
    yield from ((("publication", key), HEAD) for key in node["publication"])
    for index, table in enumerate(node["tables"]):
        yield from ((("tables", index, key), TABLE) for key in table)
        for name, spec in table["columns"].items():
            yield from ((("tables", index, "columns", name, key), COLUMN) for key in spec)
        row_keys = [*SUBJECTS, *table["columns"]]
        for number, row in enumerate(table["rows"]):
            yield from ((("tables", index, "rows", number, key), row_keys) for key in row)


KEYS = list(_keys(EXAMPLE_DATA))


def _misspellings(key: str) -> list[str]:
    """One letter dropped, doubled or replaced."""
    found = set()
    for i in range(len(key)):
        found.add(key[:i] + key[i + 1 :])
        found.add(key[:i] + key[i] + key[i:])
        found.add(key[:i] + ("x" if key[i] != "x" else "y") + key[i + 1 :])
    return sorted(w for w in found if w)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KEYS), st.randoms(use_true_random=False))
def test_one_misspelt_key_is_one_problem(place: tuple[Any, list[str]], rng: random.Random) -> None:
    """A misspelt key whose did-you-mean finds it gives exactly one problem, at that key."""
    path, allowed = place
    key = path[-1]
    candidates = [w for w in _misspellings(key) if w not in allowed and closest(w, allowed) == key]
    if not candidates:
        return
    misspelt = rng.choice(candidates)
    document = copy.deepcopy(EXAMPLE_DATA)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[misspelt] = parent.pop(key)
    with pytest.raises(PublicationError) as caught:
        loads_publication(tomli_w.dumps(document), RULES, source="p.toml")
    (problem,) = caught.value.problems
    assert str(problem.location.key).endswith(misspelt)
    assert problem.hint == f"did you mean {key!r}?"
    assert problem.location.line is not None


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """The example with one to three values replaced, keys deleted or renamed."""
    document = copy.deepcopy(EXAMPLE_DATA)
    values = st.one_of(
        st.text(max_size=8),
        st.integers(-5, 5),
        st.booleans(),
        st.lists(st.text(max_size=3), max_size=2),
        st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    )
    for _ in range(draw(st.integers(1, 3))):
        path, _ = draw(st.sampled_from(KEYS))
        parent: Any = document
        for step in path[:-1]:  # an earlier mutation may have changed the path's shape
            if isinstance(parent, list) and isinstance(step, int) and step < len(parent):
                parent = parent[step]
            elif isinstance(parent, dict):
                parent = parent.get(step)
            else:
                parent = None
                break
        if not isinstance(parent, dict) or path[-1] not in parent:
            continue
        action = draw(st.sampled_from(("delete", "replace", "rename")))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(values)
        else:
            parent[draw(st.text(min_size=1, max_size=8))] = parent.pop(path[-1])
    return document


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_broken_file_gives_located_problems_and_nothing_else(document: dict[str, Any]) -> None:
    """Only PublicationError, every problem in the file; a file read reconciles."""
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return
    try:
        publication = loads_publication(text, RULES, source="p.toml")
    except PublicationError as error:
        problems = error.problems
    else:
        reconciliation = reconcile(RULES, LEDGER, publication)
        assert all(f.verdict in Verdict for f in reconciliation.figures)
        return
    assert problems
    assert all(str(p).startswith("p.toml") for p in problems)


def test_suggestions_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_COMPARED names compared, unknown names are reported without a suggestion."""
    from ikueval._loading import published

    columns = "\n".join(
        f'columns.c{i:02d} = {{ shows = "target", span = "annual" }}' for i in range(40)
    )
    keys = ", ".join(f'c{i:02d}x = "1"' for i in range(5))
    head = PERCENT.split("[[tables]]")[0]
    row = f'{{ indicator = "PLACED", {keys} }}'
    text = f'{head}[[tables]]\nid = "t"\ntitle = "T"\n{columns}\nrows = [{row}]\n'
    monkeypatch.setattr(published, "MAX_COMPARED", 100)  # two suggestions among 44 keys
    with pytest.raises(PublicationError) as caught:
        loads_publication(text, RULES)
    hints = [p.hint for p in caught.value.problems]
    assert hints == ["did you mean 'c00'?", "did you mean 'c01'?", None, None, None]
