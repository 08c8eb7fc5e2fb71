"""The evaluation document: streamed, laid out, its realisations and targets written once.

``docs/audit.md`` describes the document; these tests hold what it promises
beyond the keys: the pieces make the document, the layout, the references from
the bases to the realisations and targets (and objects written out where no
reference fits), bytes that are always UTF-8, and documents of the first
format still read.
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from conftest import ROOT, achievements, examples
from ikueval import (
    AuditError,
    Evaluation,
    Ledger,
    Period,
    RuleSet,
    evaluate,
    evaluation_data,
    evaluation_from_data,
    render_json,
    replay,
    write_json,
)
from ikueval._reports.json import json_pieces
from ikueval._reports.json_layout import EXPANDED_DEPTH, INDENT, lay_out
from ikueval.testing import Dataset, cases

QUICK = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def q2(bundled_rules: RuleSet, bundled_ledger: Ledger) -> Evaluation:
    return evaluate(bundled_rules, bundled_ledger, "2025-Q2")


def test_the_pieces_are_the_document(q2: Evaluation) -> None:
    pieces = list(json_pieces(q2))
    assert len(pieces) > len(q2.indicators)  # the header, an indicator a piece...
    text = "".join(pieces)
    assert text == render_json(q2)
    assert json.loads(text) == evaluation_data(q2)
    written = io.BytesIO()
    write_json(q2, written)
    assert written.getvalue() == text.encode("utf-8")


def test_the_layout_indents_down_to_the_figures(q2: Evaluation) -> None:
    """Lines are indented by two spaces per level, down to EXPANDED_DEPTH; deeper values
    are on one line; the layout is that of the data laid out whole."""
    text = render_json(q2)
    data = json.loads(text)
    assert text == lay_out(data) + "\n"
    for line in text.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // len(INDENT)
        assert depth <= EXPANDED_DEPTH
        if depth == EXPANDED_DEPTH:  # a figure on its line: a key and a whole value, or an item
            whole = line.strip().removesuffix(",")
            try:
                json.loads("{" + whole + "}")  # "key": value
            except json.JSONDecodeError:
                json.loads(whole)  # an item of a list
    six = text[text.index('"id": "IKU-06"') :]
    assert '\n        "to_date": {"basis": "to_date", "status": "computed", ' in six


def test_bases_name_the_realisations_and_targets_they_compare(q2: Evaluation) -> None:
    data = evaluation_data(q2)
    for item in data["indicators"]:
        for basis in item["bases"].values():
            kind, span = basis["realisation"].split(".")
            assert kind == "realisations"
            assert span in item["realisations"]
            kind, span = basis["target"].split(".")
            assert kind == "targets"
            assert span in item["targets"]
    assert evaluation_from_data(data) == q2


def test_a_realisation_the_indicator_does_not_write_is_written_out(q2: Evaluation) -> None:
    """An evaluation made by hand may compare what the indicator does not hold: the base
    then carries the object itself, and reads back the same; an equal copy of one the
    indicator holds is named."""
    six = q2.indicator("IKU-06")
    copied = attrs.evolve(six.realisations["period"])
    assert copied == six.realisations["period"]
    assert copied is not six.realisations["period"]
    changed = attrs.evolve(six.achievements[0].realisation, span="2025-04", formula=None, inputs=())
    bases = (
        attrs.evolve(six.achievements[0], realisation=changed),
        attrs.evolve(six.achievements[1], realisation=copied),
        *six.achievements[2:],
    )
    edited = attrs.evolve(
        q2, indicators=(attrs.evolve(six, achievements=bases),), rollups=(), composites=()
    )
    data = evaluation_data(edited)
    written = data["indicators"][0]["bases"]["period"]["realisation"]
    assert isinstance(written, dict)
    assert written["span"] == "2025-04"
    assert data["indicators"][0]["bases"]["period"]["target"] == "targets.period"
    assert data["indicators"][0]["bases"]["period_vs_annual"]["realisation"] == (
        "realisations.period"
    )
    assert evaluation_from_data(json.loads(render_json(edited))) == edited


def full_document(q2: Evaluation) -> dict[str, Any]:
    return json.loads(render_json(q2))


def test_a_reference_to_nothing_is_refused(q2: Evaluation) -> None:
    for reference, kind in (
        ("realisations.annual", "realisation"),
        ("targets.to_date.aggregate", "target"),
        ("bases.period", "realisation"),
        ("__class__", "target"),
    ):
        data = full_document(q2)
        data["indicators"][5]["bases"]["to_date"][kind] = reference
        with pytest.raises(AuditError) as caught:
            evaluation_from_data(data)
        (problem,) = caught.value.problems
        assert str(problem).startswith(f"$.indicators[5].bases.to_date.{kind}: expected a {kind}")


def test_a_problem_in_what_bases_name_is_reported_once_where_it_is_written(
    q2: Evaluation,
) -> None:
    data = full_document(q2)
    del data["indicators"][5]["realisations"]["to_date"]["status"]
    with pytest.raises(AuditError) as caught:
        evaluation_from_data(data)
    assert [str(problem) for problem in caught.value.problems] == [
        "$.indicators[5].realisations.to_date.status: required key is missing"
    ]


def as_first_format(document: dict[str, Any]) -> dict[str, Any]:
    """A document as the first ikueval wrote it: realisations and targets copied into
    every basis and comparison, no ``trail``."""
    old = copy.deepcopy(document)
    old["ikueval"] = 1
    del old["trail"]

    def written(item: dict[str, Any], reference: Any) -> Any:
        if not isinstance(reference, str):
            return reference
        node: Any = item
        for step in reference.split("."):
            node = node[step]
        return node

    for item in old["indicators"]:
        achievements_ = list(item["bases"].values())
        for key in ("medium_term", "previous_year"):
            found = (item["comparisons"] or {}).get(key) or {}
            if found.get("achievement"):
                achievements_.append(found["achievement"])
        for achievement in achievements_:
            achievement["realisation"] = written(item, achievement["realisation"])
            achievement["target"] = written(item, achievement["target"])
    return old


@QUICK
@given(case=cases())
def test_documents_of_the_first_format_still_read_and_replay(case: tuple[Dataset, Period]) -> None:
    dataset, period = case
    evaluation = evaluate(dataset.rules, dataset.records, period)
    old = as_first_format(evaluation_data(evaluation))
    assert "realisations." not in json.dumps(old)
    assert evaluation_from_data(old) == evaluation
    for achievement in achievements(evaluation_from_data(old)):
        replay(achievement)


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_a_file_name_that_is_not_utf8_is_written_as_an_escape(tmp_path: Path) -> None:
    """The JSON is UTF-8 whatever the data: a lone surrogate (an undecodable byte of a
    file name) is written as its JSON escape, and reads back as the same character."""
    folder = os.fsdecode(os.fsencode(str(tmp_path)) + b"/data-\xff")
    os.mkdir(folder)
    shutil.copy(ROOT / "examples" / "bp3mi-jateng-2025" / "quarterly-2025.csv", folder)
    command = [
        sys.executable, "-m", "ikueval", "evaluate", str(ROOT / "rules" / "bp3mi-jateng-2025.toml"),
        folder, "--period", "2025-Q2", "--format", "json",
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, check=True, cwd=tmp_path).stdout
    text = out.decode("utf-8")  # strictly: valid UTF-8
    assert "data-\\udcff" in text
    data = json.loads(text)
    parts = data["indicators"][5]["realisations"]["to_date"]["inputs"][0]["parts"]
    assert parts[0]["sources"][0].startswith(folder)
    target = tmp_path / "out.json"
    subprocess.run([*command, "-o", str(target)], capture_output=True, check=True, cwd=tmp_path)
    assert target.read_bytes() == out


@QUICK
@given(case=cases())
def test_a_document_read_back_is_written_the_same(case: tuple[Dataset, Period]) -> None:
    """Byte for byte, with either trail: equal realisations of two spans (the period and
    the year, when a year is evaluated) are named as the basis names them."""
    dataset, period = case
    for trail in ("full", "compact"):
        text = render_json(evaluate(dataset.rules, dataset.records, period, trail=trail))
        assert render_json(evaluation_from_data(json.loads(text))) == text
