"""The command line as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, run_python
from ikueval._cli import main

#: Paths as a user gives them, from the repository (the messages print them so).
RULES = "rules/bp3mi-jateng-2025.toml"
DATA = "examples/bp3mi-jateng-2025/"
BASES = ["period", "period_vs_annual", "to_date", "to_date_vs_target_to_date"]


def test_evaluate_prints_a_table_of_all_indicators() -> None:
    code, out, err = run_cli("evaluate", RULES, DATA, "--period", "2025-Q2")
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("IKU-")}
    assert sorted(rows) == [f"IKU-{n:02d}" for n in range(1, 14)]
    assert rows["IKU-06"] == [
        "IKU-06", "Orang", "30", "50", "107", "36", "116",
        "120.00", "33.64", "108.41", "232.00",
    ]  # fmt: skip
    assert rows["IKU-04"][-4:] == ["n/r"] * 4
    assert "Roll-ups: mean to_date achievement" in out
    assert "activity:dukungan     33.33" in out
    # The rule set's own inconsistency is reported, on standard error.
    assert "indicators[IKU-05].targets.lkj-2025-q2.Q2: warning:" in err


def test_evaluate_json() -> None:
    code, out, _ = run_cli("evaluate", RULES, DATA, "--period", "2025-Q2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["period"] == "2025-Q2"
    by_id = {item["id"]: item for item in data["indicators"]}
    assert len(by_id) == 20  # 13 IKU and the 7 components of the IKPA
    for item in data["indicators"]:
        assert list(item["achievement"]) == BASES
    assert by_id["IKU-06"]["achievement"] == {
        "period": "120.00",
        "period_vs_annual": "33.64",
        "to_date": "108.41",
        "to_date_vs_target_to_date": "232.00",
    }
    assert by_id["IKU-04"]["achievement"] == dict.fromkeys(BASES)
    reason = by_id["IKU-04"]["bases"]["to_date"]["reason"]
    assert reason == "no realisation in 2025-Q1..2025-Q2 (reported as '-')"
    trail = by_id["IKU-06"]["bases"]["to_date"]
    assert trail["unrounded"] == "108.4112149532710280373831775700934579439"
    assert (trail["realisation"], trail["target"]) == ("realisations.to_date", "targets.annual")
    target = by_id["IKU-06"]["targets"]["annual"]
    assert target["aggregate"]["parts"][0]["sources"] == ["pk-2025"]


def test_explain_lets_a_reader_redo_the_figure() -> None:
    code, out, _ = run_cli("explain", RULES, DATA, "--period", "2025-Q2", "--indicator", "IKU-06")
    assert code == 0
    assert "[period_vs_annual] the realisation of the period against the annual target" in out
    assert "  target for 2025 = 107 Orang" in out
    assert "      2025: 107  from pk-2025 (Perjanjian Kinerja Tahun 2025" in out
    assert "              = 36 / 107 x 100" in out
    assert "              = 33.64485981308411214953271028037383177570 (unrounded)" in out
    assert "  rounded half-up to 2 places: 33.64" in out
    assert "      2025-Q1: 80  from examples/bp3mi-jateng-2025/quarterly-2025.csv:23" in out
    # Every record behind a part is listed with its file and line.
    assert "        examples/bp3mi-jateng-2025/repatriations-2025-q2.csv:6: 1" in out


def test_explain_unknown_indicator_is_a_usage_error() -> None:
    code, out, err = run_cli("explain", RULES, DATA, "--period", "2025-Q2", "--indicator", "IKU-99")
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1].startswith("unknown indicator IKU-99; the rule set has IKU-01,")


def test_check_reports_warnings_with_file_line_and_key() -> None:
    code, out, _ = run_cli("check", RULES)
    assert code == 1  # warnings only: findings
    assert out.splitlines() == [
        "rules/bp3mi-jateng-2025.toml:229: indicators[IKU-05].targets.lkj-2025-q2.Q2: warning: "
        "quarterly targets of this cumulative indicator add up to 40 (2025-Q1 20 + 2025-Q2 20), "
        "more than the annual target 20 (check whether the quarterly figures are targets to "
        "date rather than per quarter)",
        "rules/bp3mi-jateng-2025.toml: valid, 20 indicators, 1 warning",
    ]


def test_check_reports_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        (ROOT / RULES)
        .read_text(encoding="utf-8")
        .replace('aggregation = "average"', 'aggregation = "averge"'),
        encoding="utf-8",
    )
    code, out, _ = run_cli("check", str(bad))
    assert code == 2
    assert (
        f"{bad}:264: indicators[IKU-08].aggregation: expected one of 'cumulative', 'latest', "
        "'average', found text 'averge' (did you mean 'average'?)" in out.splitlines()
    )


def test_bad_input_is_reported_without_traceback(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text("indicator,period,value\nIKU-07,2025-Q1,7.375\nIKU-99,2025-Q1,1\n")
    code, out, err = run_cli("evaluate", RULES, str(events), "--period", "2025-Q2")
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert (
        f"{events}:2: value: '7.375' is ambiguous: 7375 in the Indonesian format, 7.375 in "
        "the international one; declare the file's number format (#: number_format = "
        "indonesian, or international)"
    ) in lines
    assert f"{events}:3: indicator: unknown indicator 'IKU-99' (did you mean 'IKU-09'?)" in lines
    assert f"{events}: file refused: 2 rows read, 2 bad" in lines
    assert "Traceback" not in err


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["evaluate", RULES])
    assert caught.value.code == 2
    code, _, err = run_cli("evaluate", RULES, DATA, "--period", "2025-Q5")
    assert code == 2
    assert "expected a period" in err


def test_debug_shows_the_traceback() -> None:
    code, _, err = run_cli("evaluate", RULES, DATA, "--period", "2024", "--debug")
    assert code == 2
    assert "Traceback (most recent call last)" in err
    assert err.splitlines()[-1].startswith("2024 is outside the years")


def test_installed_command_runs() -> None:
    result = run_python("-m", "ikueval", "evaluate", RULES, DATA, "--period", "2025-Q2")
    assert result.returncode == 0, result.stderr
    assert "IKU-06  Orang" in result.stdout


# --------------------------------------------------------------------------- hostile input


def test_special_files_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    (tmp_path / "zero.toml").symlink_to("/dev/zero")
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    long_name = str(tmp_path / ("x" * 300))
    cases = [
        (["check", str(loop)], f"{loop}: cannot read: Too many levels of symbolic links"),
        (["check", long_name], f"{long_name}: cannot read: File name too long"),
        (["check", str(tmp_path)], f"{tmp_path}: is a directory, not a rule file"),
        (
            ["evaluate", RULES, str(loop), "--period", "2025-Q2"],
            f"{loop}: cannot read: Too many levels of symbolic links",
        ),
        (["check", str(fifo)], f"{fifo}: not a regular file (a FIFO)"),
        (["evaluate", str(fifo), DATA, "--period", "2025-Q2"], f"{fifo}: not a regular file"),
        (["evaluate", RULES, str(fifo), "--period", "2025-Q2"], f"{fifo}: not a regular file"),
        (["evaluate", RULES, str(tmp_path), "--period", "2025-Q2"], f"{fifo}: not a regular"),
        (
            ["reconcile", RULES, DATA, "--published", str(tmp_path / "zero.toml")],
            f"{tmp_path / 'zero.toml'}: not a regular file (a character device)",
        ),
    ]
    for args, expected in cases:
        code, out, err = run_cli(*args)
        assert code == 2, args
        assert expected in out + err, args
        assert "Traceback" not in out + err


def test_a_json_note_with_half_a_character_is_refused(tmp_path: Path) -> None:
    events = tmp_path / "events.json"
    events.write_text(
        '[{"indicator": "IKU-06", "period": "2025-Q2", "value": 1, "note": "\\ud800"}]'
    )
    code, out, err = run_cli("explain", RULES, str(events), "--period", "2025-Q2")
    assert (code, out) == (2, "")
    assert f"{events}:1: events[0].note: the text holds a lone surrogate (\\ud800)" in err


def test_characters_the_terminal_cannot_show_are_escaped(tmp_path: Path) -> None:
    events = tmp_path / "events.json"
    events.write_text(
        '[{"indicator": "IKU-06", "period": "2025-Q2", "value": 1, "id": "a",'
        ' "note": "selesai \\u2713"},'
        ' {"indicator": "IKU-06", "period": "2025-Q2", "value": 1, "id": "b"}]'
    )
    result = subprocess.run(
        [sys.executable, "-m", "ikueval", "explain", RULES, str(events), "--period", "2025-Q2"],
        cwd=ROOT,
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"selesai \\u2713" in result.stdout


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    name = tmp_path / "bad\nname\x1b[2J.csv"
    name.write_text("indicator,period,value\nIKU-99,2025-Q1,1\n")
    code, _, err = run_cli("evaluate", RULES, str(name), "--period", "2025-Q2")
    assert code == 2
    shown = str(tmp_path / "bad\\nname\\x1b[2J.csv")
    assert f"{shown}:2: indicator: unknown indicator 'IKU-99'" in err.splitlines()[-3]
    assert "\x1b" not in err


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["evaluate", RULES, DATA, "--period", "2025-Q1", "--period", "2025-Q2"], "--period"),
        (
            [
                "evaluate",
                RULES,
                DATA,
                "--period",
                "2025-Q2",
                "--format",
                "json",
                "--format",
                "table",
            ],
            "--format",
        ),
        (["explain", RULES, DATA, "--period=2025-Q2", "--period=2025-Q2"], "--period"),
        (
            ["reconcile", RULES, DATA, "--published", "a.toml", "--published", "b.toml"],
            "--published",
        ),
        (
            [
                "reconcile",
                RULES,
                DATA,
                "--published",
                "a.toml",
                "--period",
                "2025",
                "--per",
                "2025",
            ],
            "--period",
        ),
        (
            [
                "reconcile",
                RULES,
                DATA,
                "--published",
                "a.toml",
                "--format",
                "json",
                "--format",
                "json",
            ],
            "--format",
        ),
    ],
)
def test_an_option_given_twice_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], args: list[str], option: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.endswith(f"error: argument {option}: given more than once")


def test_repeatable_options_may_repeat() -> None:
    code, out, _ = run_cli(
        "explain", RULES, DATA, "--period", "2025-Q2", "--debug", "--debug",
        "--indicator", "IKU-06", "--indicator", "IKU-06",
    )  # fmt: skip
    assert code == 0
    assert out.count("[period] ") == 1


def test_every_single_value_option_refuses_a_second_value() -> None:
    """No option of any command silently keeps the last of two values."""
    import argparse

    from ikueval._cli import _parser
    from ikueval._cli_options import Once

    found = []
    walked = 0
    parsers = [("ikueval", _parser())]
    while parsers:
        name, parser = parsers.pop()
        walked += 1
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend((f"{name} {sub}", p) for sub, p in action.choices.items())
            elif action.option_strings and type(action) is argparse._StoreAction:
                found.append(f"{name} {'/'.join(action.option_strings)}")
            elif action.option_strings and isinstance(action, Once):
                assert action.nargs is None
    assert walked > 10  # every command, and the ledger's commands
    assert found == []


def test_evaluate_loads_no_renderer_store_or_reconciliation_it_does_not_use() -> None:
    """Start-up: ``ikueval evaluate`` loads the engine and its table, nothing else."""
    code = (
        "import contextlib, io, sys\n"
        "from ikueval._cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    main(['evaluate', {RULES!r}, {DATA!r}, '--period', '2025-Q2'])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    loaded = set(run_python("-c", code).stdout.split())
    for heavy in (
        "ikueval._store.sqlite",
        "ikueval._reports.html",
        "ikueval._reports.xlsx",
        "ikueval._reports.build",
        "ikueval._reports.explanation",
        "ikueval._loading.published",
        "ikueval._reconcile.alternatives",
        "ikueval._reconcile.verdicts",
        "ikueval._publication",
        "ikueval._reports.json",
        "multiprocessing",
        "sqlite3",
        "xlsxwriter",
    ):
        assert heavy not in loaded, heavy
    assert "ikueval._reports.table" in loaded
