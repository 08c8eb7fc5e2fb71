"""``ikueval ledger ...`` and ``--ledger DB [--as-of T]`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ikueval._cli import main
from ledgers import DATA, RULES, events_file, small_rules


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_import_evaluate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "office.db")
    assert (
        run(capsys, "ledger", "init", db)[1] == f"{db}: empty ledger created (schema version 1)\n"
    )
    assert run(capsys, "ledger", "init", db)[1] == f"{db}: already a ledger, left as it is\n"
    code, out, err = run(capsys, "ledger", "import", db, str(RULES), str(DATA), "--actor", "op")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{db}: batch 1 recorded at ")
    assert lines[0].endswith(
        " by op: 129 events; rules version 1 (sha256 563b93b0cde7) now in force"
    )
    assert lines[1] == f"  {DATA}/ikpa-2025.csv: entries 1-7, 7 events"
    assert lines[2] == f"  {DATA}/placements-2025-q2.csv: entries 8-55, 48 events"
    assert "warning: quarterly targets" in err

    code, out, _ = run(capsys, "ledger", "import", db, str(RULES), str(DATA / "spending-2025.csv"))
    assert code == 0
    assert (
        out.splitlines()[0]
        == f"{db}: nothing new recorded; rules version 1 (sha256 563b93b0cde7) in force"
    )
    assert out.splitlines()[1].endswith("entries 119-120): skipped")

    _, by_ledger, err = run(capsys, "evaluate", "--ledger", db, "--period", "2025-Q2")
    _, by_files, _ = run(capsys, "evaluate", str(RULES), str(DATA), "--period", "2025-Q2")
    assert by_ledger == by_files
    assert err.splitlines()[0].startswith(f"ledger {db} latest: batch 1 of ")
    code, out, _ = run(
        capsys, "explain", "--ledger", db, "--period", "2025-Q2", "--indicator", "IKU-06"
    )
    assert code == 0
    assert f"from {db}:86-88,118" in out
    code, out, _ = run(
        capsys,
        "reconcile",
        "--ledger",
        db,
        "--published",
        str(DATA / "published-2025-Q2.toml"),
        "--table",
        "tabel-1",
    )
    assert code == 1
    assert "41 figures: 40 match, 1 match only another computation" in out


def test_correct_withdraw_log_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "office.db")
    rules = small_rules(tmp_path)
    events = events_file(tmp_path, "a.csv", ["A,2025-Q1,5,L,", "A,2025-Q1,3,P,", "B,2025-Q1,1,,"])
    assert run(capsys, "ledger", "import", db, str(rules), str(events))[0] == 0
    code, out, _ = run(
        capsys, "ledger", "correct", db, "1", "--set", "value=6", "--reason", "recounted",
        "--actor", "auditor",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[1] == "  entry 4 corrects entry 1: A 2025-Q1 [gender=L]: 5 -> 6"
    code, out, _ = run(capsys, "ledger", "correct", db, "2-3", "--withdraw", "--reason", "twice")
    assert out.splitlines()[1:] == [
        "  entry 5 withdraws entry 2: A 2025-Q1 [gender=P]: 3",
        "  entry 6 withdraws entry 3: B 2025-Q1: 1",
    ]
    code, out, _ = run(capsys, "ledger", "log", db, "--indicator", "B")
    assert out.splitlines()[1] == f"  entry 3  B 2025-Q1: 1  from {events}:4"
    assert out.splitlines()[-1] == "  entry 6 withdraws entry 3: B 2025-Q1: 1"
    code, out, _ = run(capsys, "ledger", "log", db, "--indicator", "C")
    assert out == f"{db}: no entry of C\n"
    code, out, _ = run(capsys, "ledger", "diff", db, "--period", "2025-Q1", "--from", "2000-01-01")
    assert code == 2
    code, out, _ = run(capsys, "evaluate", "--ledger", db, "--period", "2025-Q1")
    assert code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["evaluate", "--period", "2025-Q2"], "give the rule file and the event files"),
        (["evaluate", str(RULES), "--period", "2025-Q2"], "give the rule file and the event files"),
        (["evaluate", str(RULES), str(DATA), "--as-of", "2025-07-15", "--period", "2025-Q2"],
         "--as-of and --count-state read a ledger: give --ledger DB"),
        (["evaluate", str(RULES), "--ledger", "x.db", "--period", "2025-Q2"],
         "with --ledger, the rule set and the events come from the ledger"),
    ],
)  # fmt: skip
def test_files_or_a_ledger(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in err


def test_bad_corrections_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "office.db")
    rules = small_rules(tmp_path)
    run(
        capsys,
        "ledger",
        "import",
        db,
        str(rules),
        str(events_file(tmp_path, "a.csv", ["B,2025-Q1,1,,"])),
    )
    for args, message in [
        (["1", "--set", "value"], "--set 'value': expected FIELD=VALUE"),
        (["1", "--set", "value=2", "--set", "VALUE=3"], "--set value: given twice"),
        (["1", "--withdraw", "--set", "value=2"], "--withdraw takes no --set or --state"),
        (["x"], "expected an entry number (17) or a range (12-40), found 'x'"),
        (["3-1", "--set", "value=2"], "entry range '3-1' ends before it starts"),
        (["1"], "nothing to correct"),
        # found by the fuzzer (tests/fuzz): a ValueError from dict("x")
        (["1", "--set", "dimensions=x"], "dimensions: expected a table of dimensions"),
    ]:
        code, _, err = run(capsys, "ledger", "correct", db, *args, "--reason", "r")
        assert (code, message in err) == (2, True), (args, err)


def test_a_refused_first_import_creates_no_ledger(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "office.db"
    bad = events_file(tmp_path, "bad.csv", ["A,2025-Q5,1,L,"])
    code, _, err = run(capsys, "ledger", "import", str(db), str(small_rules(tmp_path)), str(bad))
    assert code == 2
    assert err.splitlines()[-1] == "nothing was added to the ledger: fix the problems above"
    assert run(capsys, "ledger", "import", str(db), str(tmp_path / "none.toml"))[0] == 2
    assert not db.exists()
