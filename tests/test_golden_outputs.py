"""Every command's output on the bundled examples, compared with a recorded copy.

Refactoring must not change what people read: these outputs were recorded from
the command line and are compared byte for byte (standard output, standard
error and exit code). When a change is meant to alter an output, regenerate
the copies and review the diff before committing it:

    IKUEVAL_REGENERATE_GOLDEN=1 python -m pytest -q tests/test_golden_outputs.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ikueval._cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
RULES = "rules/bp3mi-jateng-2025.toml"
EVENTS = "examples/bp3mi-jateng-2025/"
PUBLISHED = "examples/bp3mi-jateng-2025/published-2025-Q2.toml"

#: name -> command-line arguments.
COMMANDS: dict[str, list[str]] = {
    "evaluate-table": ["evaluate", RULES, EVENTS, "--period", "2025-Q2"],
    "evaluate-json": ["evaluate", RULES, EVENTS, "--period", "2025-Q2", "--format", "json"],
    "evaluate-q1-table": ["evaluate", RULES, EVENTS, "--period", "2025-Q1"],
    "explain-all": ["explain", RULES, EVENTS, "--period", "2025-Q2"],
    "explain-iku-06": ["explain", RULES, EVENTS, "--period", "2025-Q2", "--indicator", "IKU-06"],
    "reconcile-table": ["reconcile", RULES, EVENTS, "--published", PUBLISHED],
    "reconcile-json": ["reconcile", RULES, EVENTS, "--published", PUBLISHED, "--format", "json"],
    "check": ["check", RULES, "rules/upt-bp2mi-semarang-2020-2024.toml"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_unchanged(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code = main(COMMANDS[name])
    captured = capsys.readouterr()
    recorded = f"[exit {code}]\n--- stdout\n{captured.out}--- stderr\n{captured.err}"
    path = GOLDEN / f"{name}.out"
    if os.environ.get("IKUEVAL_REGENERATE_GOLDEN"):
        path.write_text(recorded, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert recorded == expected, f"the output of `ikueval {' '.join(COMMANDS[name])}` changed"
