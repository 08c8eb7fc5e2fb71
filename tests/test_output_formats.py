"""Output formats: the renderer registry on the command line, -o FILE, bytes, explain's JSON."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ikueval
from ikueval import build_ledger, evaluate, events_from_records
from ikueval._cli import _format, _write, main
from ikueval._decimals import is_decimal_text
from ikueval._errors import UsageError
from ikueval._periods import Period
from ikueval._reports.explanation import Explanation, explanation_data
from ikueval._reports.json import evaluation_data
from ikueval._reports.renderers import RENDERERS, Format, Renderers, RenderOptions
from ikueval.testing import Dataset, cases

ROOT = Path(__file__).resolve().parent.parent
RULES = "rules/bp3mi-jateng-2025.toml"
DATA = "examples/bp3mi-jateng-2025/"
PUBLISHED = "examples/bp3mi-jateng-2025/published-2025-Q2.toml"

#: The arguments of each command, without --format.
ARGUMENTS = {
    "evaluate": ["evaluate", RULES, DATA, "--period", "2025-Q2"],
    "explain": ["explain", RULES, DATA, "--period", "2025-Q2", "--indicator", "IKU-06"],
    "reconcile": ["reconcile", RULES, DATA, "--published", PUBLISHED],
    "report": ["report", RULES, DATA, "--period", "2025-Q2"],
}
FORMATS = [(command, name) for command in ARGUMENTS for name in getattr(RENDERERS, command)]
IDS = [f"{command}-{name}" for command, name in FORMATS]


@pytest.fixture(autouse=True)
def in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_every_command_with_formats_is_exercised() -> None:
    assert sorted(ARGUMENTS) == sorted(field.name for field in attrs.fields(Renderers))


@pytest.mark.parametrize(("command", "name"), FORMATS, ids=IDS)
def test_output_file_holds_what_standard_output_shows(
    command: str, name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """-o FILE holds the bytes standard output gets, text as UTF-8; the exit code and the
    warnings are the same."""
    args = [*ARGUMENTS[command], "--format", name]
    target = tmp_path / f"out.{name}"
    code_to_file, nothing, err_to_file = run(capsys, *args, "-o", str(target))
    assert nothing == ""
    if getattr(RENDERERS, command)[name].binary:
        piped = subprocess.run(
            [sys.executable, "-m", "ikueval", *args], capture_output=True, check=False
        )
        code, out, err = piped.returncode, piped.stdout, piped.stderr.decode("utf-8")
    else:
        code, text, err = run(capsys, *args)
        out = text.encode("utf-8")
    assert (code_to_file, err_to_file) == (code, err)
    assert target.read_bytes() == out


def test_an_output_file_that_cannot_be_written_is_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, *ARGUMENTS["evaluate"], "-o", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == f"{tmp_path}: cannot write the output: Is a directory"


# --------------------------------------------------------------------------- bytes

SPREADSHEET: Format[object] = Format(lambda _, __: b"PK\x03\x04", "a spreadsheet", binary=True)
FORMATS_WITH_BYTES = {"xlsx": SPREADSHEET}


class Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


def arguments(output: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(format="xlsx", output=output)


def test_bytes_are_not_written_to_a_terminal() -> None:
    with pytest.raises(UsageError) as caught:
        _format(arguments(), FORMATS_WITH_BYTES, Terminal(io.BytesIO()))
    assert str(caught.value) == (
        "the xlsx format is binary and is not written to a terminal (give the file to write "
        "with -o FILE, or redirect standard output)"
    )
    with pytest.raises(UsageError):
        _format(arguments(), FORMATS_WITH_BYTES, io.StringIO())  # no byte stream behind it


def test_bytes_go_to_a_pipe_or_a_file(tmp_path: Path) -> None:
    raw = io.BytesIO()
    pipe = io.TextIOWrapper(raw, encoding="utf-8")
    chosen = _format(arguments(), FORMATS_WITH_BYTES, pipe)
    pipe.write("text first, ")
    _write(arguments(), pipe, chosen.render(None, RenderOptions()))
    assert raw.getvalue() == b"text first, PK\x03\x04"

    target = tmp_path / "report.xlsx"
    chosen = _format(arguments(str(target)), FORMATS_WITH_BYTES, Terminal(io.BytesIO()))
    _write(arguments(str(target)), Terminal(io.BytesIO()), chosen.render(None, RenderOptions()))
    assert target.read_bytes() == b"PK\x03\x04"


@pytest.fixture(scope="module")
def subjects() -> dict[str, object]:
    """What each command renders, for the bundled example."""
    ruleset = ikueval.load_rules(ROOT / RULES)
    events = list(ikueval.read_events(ruleset, [ROOT / DATA]))
    ledger = build_ledger(ruleset, events, retain=["IKU-06"])
    evaluation = evaluate(ruleset, ledger, "2025-Q2")
    publication = ikueval.load_publication(ROOT / PUBLISHED, ruleset)
    return {
        "evaluate": evaluation,
        "explain": Explanation(evaluation, ruleset, ledger),
        "reconcile": ikueval.reconcile(ruleset, ledger, publication),
        "report": ikueval._reports.report_of(ruleset, ledger, "2025-Q2"),
    }


@pytest.mark.parametrize(("command", "name"), FORMATS, ids=IDS)
def test_formats_give_text_or_bytes_as_declared(
    command: str, name: str, subjects: dict[str, Any]
) -> None:
    chosen = getattr(RENDERERS, command)[name]
    options = RenderOptions(indicators=("IKU-06",) if command == "explain" else None)
    rendered = chosen.render(subjects[command], options)
    assert isinstance(rendered, bytes if chosen.binary else str)


# --------------------------------------------------------------------------- explain --format json


def parts_of(indicator: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every part of every realisation of an indicator's JSON, in its spans and in the
    bases that write theirs out (they normally name one of the spans')."""
    realisations = [
        *indicator["realisations"].values(),
        *(basis["realisation"] for basis in indicator["bases"].values()),
    ]
    for realisation in realisations:
        if isinstance(realisation, str):  # "realisations.to_date": written above
            assert realisation.removeprefix("realisations.") in indicator["realisations"]
            continue
        for aggregate in realisation["inputs"]:
            yield from aggregate["parts"]


def strip_events(data: dict[str, Any]) -> dict[str, Any]:
    for indicator in data["indicators"]:
        for part in parts_of(indicator):
            del part["events"]
    return data


def check_events(data: dict[str, Any]) -> None:
    """Each part lists as many events as it counts, and they add up to its value."""
    for indicator in data["indicators"]:
        for part in parts_of(indicator):
            values = [event["value"] for event in part["events"]]
            assert len(values) == part["count"]
            if is_decimal_text(part["value"]):
                assert sum(Decimal(value) for value in values) == Decimal(part["value"])
            else:  # a category: one event per period
                assert values == [part["value"]]


def test_explain_json_of_everything_is_the_evaluation_with_its_events(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "explain", RULES, DATA, "--period", "2025-Q2", "--format", "json")
    assert code == 0
    explained = json.loads(out)
    _, evaluated, _ = run(
        capsys,
        "evaluate",
        RULES,
        DATA,
        "--period",
        "2025-Q2",
        "--format",
        "json",
        "--trail",
        "full",
    )
    check_events(explained)
    assert strip_events(explained) == json.loads(evaluated)


def test_explain_json_of_some_indicators(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["explain", RULES, DATA, "--period", "2025-Q2", "--format", "json"]
    code, out, _ = run(capsys, *args, "--indicator", "IKU-07", "--indicator", "IKU-03")
    assert code == 0
    data = json.loads(out)
    assert [item["id"] for item in data["indicators"]] == ["IKU-03", "IKU-07"]
    assert list(data) == [
        "ikueval",
        "trail",
        "ruleset",
        "office",
        "period",
        "spans",
        "rounding",
        "indicators",
    ]
    check_events(data)
    placements = data["indicators"][1]["realisations"]["period"]["inputs"][0]["parts"]
    assert sum(len(part["events"]) for part in placements) == 48
    evaluation = ikueval.evaluation_from_data(data)
    for result in evaluation.indicators:
        for achievement in result.achievements:
            ikueval.replay(achievement)


def test_without_a_ledger_no_event_is_listed() -> None:
    ruleset = ikueval.load_rules(RULES)
    evaluation = evaluate(ruleset, ikueval.read_events(ruleset, [DATA]), "2025-Q2")
    data = explanation_data(Explanation(evaluation, ruleset), ["IKU-06"])
    assert all(part["events"] == [] for part in parts_of(data["indicators"][0]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), data=st.data())
def test_explain_json_lists_every_event_whatever_their_order(
    case: tuple[Dataset, Period], data: st.DataObject
) -> None:
    """Each part lists exactly its events, in one order whatever the input order; without
    them the document is the evaluation's."""
    dataset, period = case
    retain = [i.id for i in dataset.spec.indicators]
    documents = []
    for records in (dataset.records, data.draw(st.permutations(dataset.records))):
        events = events_from_records(dataset.rules, records)
        ledger = build_ledger(dataset.rules, events, retain=retain)
        evaluation = evaluate(dataset.rules, ledger, period)
        documents.append(explanation_data(Explanation(evaluation, dataset.rules, ledger)))
    assert documents[0] == documents[1]
    check_events(documents[0])
    assert strip_events(documents[0]) == evaluation_data(evaluation)


@pytest.mark.parametrize("command", sorted(ARGUMENTS))
def test_help_describes_every_format(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for name, chosen in getattr(RENDERERS, command).items():
        assert f"{name}: {' '.join(chosen.description.split())}" in text
