"""The examples in docs/ are tested, so that the documentation stays true.

Conventions in docs/*.md (see docs/README.md):

* ```python blocks run in order, sharing one namespace per document, with the
  repository as the working directory;
* ```console blocks hold commands (``$ ikueval ...``) each followed by its
  expected output (standard output and error together). A line ``...``
  stands for any number of lines; a last line ``[exit N]`` expects exit code
  N (otherwise 0);
* ```toml blocks must parse; a block whose first line is
  ``# ikueval rule set`` must also load as a valid rule set;
* a line ``<!-- setup: COMMAND -->`` runs COMMAND once, before the
  document's examples (to build the files they read, such as a ledger).
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ikueval import loads_rules

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SETUP = re.compile(r"^<!-- setup: (.+) -->$", re.MULTILINE)


@functools.cache
def prepared(path: Path) -> bool:
    """Run the setup commands of a document, once per test run."""
    for command in SETUP.findall(path.read_text(encoding="utf-8")):
        subprocess.run(
            [sys.executable if word == "python" else word for word in shlex.split(command)],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=120,
        )
    return True


def blocks(path: Path, language: str) -> list[tuple[int, str]]:
    """The fenced blocks of one language, with the line they start on."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        if match.group(1) == language:
            found.append((text.count("\n", 0, match.start()) + 1, match.group(2)))
    return found


def ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


@pytest.mark.parametrize("path", DOCS, ids=ids(DOCS))
def test_python_examples_run(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert prepared(path)
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem}"}
    for line, code in blocks(path, "python"):
        try:
            exec(compile(code, f"{path.name}:{line}", "exec", dont_inherit=True), namespace)
        except Exception as exc:  # pragma: no cover - the failure report
            pytest.fail(f"{path.name}, block at line {line}: {type(exc).__name__}: {exc}")


def console_examples() -> list[tuple[Path, int, str, list[str]]]:
    found = []
    for path in DOCS:
        for line, body in blocks(path, "console"):
            command: str | None = None
            expected: list[str] = []
            for text in body.splitlines():
                if text.startswith("$ "):
                    if command is not None:
                        found.append((path, line, command, expected))
                    command, expected = text[2:], []
                elif command is not None:
                    expected.append(text)
            if command is not None:
                found.append((path, line, command, expected))
    return found


CONSOLE = console_examples()


@pytest.mark.parametrize(
    ("path", "line", "command", "expected"),
    CONSOLE,
    ids=[f"{p.name}:{line}" for p, line, _, _ in CONSOLE],
)
def test_console_examples_print_what_the_docs_say(
    path: Path, line: int, command: str, expected: list[str]
) -> None:
    assert prepared(path)
    exit_code = 0
    if expected and re.fullmatch(r"\[exit \d+\]", expected[-1]):
        exit_code = int(expected[-1][6:-1])
        expected = expected[:-1]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    args = shlex.split(command)
    if args[0] == "ikueval":
        args = [sys.executable, "-m", "ikueval", *args[1:]]
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=60
    )
    output = (result.stdout + result.stderr).rstrip("\n").splitlines()
    where = f"{path.name}:{line}: {command}"
    assert matches([o.rstrip() for o in output], [e.rstrip() for e in expected]), (
        f"{where}\n--- expected\n" + "\n".join(expected) + "\n--- got\n" + "\n".join(output)
    )
    assert result.returncode == exit_code, f"{where}: exit {result.returncode}, not {exit_code}"


def matches(lines: list[str], pattern: list[str]) -> bool:
    """Whether ``lines`` match ``pattern``, where a ``...`` line matches any lines."""
    if not pattern:
        return not lines
    if pattern[0] == "...":
        return any(matches(lines[i:], pattern[1:]) for i in range(len(lines) + 1))
    return bool(lines) and lines[0] == pattern[0] and matches(lines[1:], pattern[1:])


@pytest.mark.parametrize("path", DOCS, ids=ids(DOCS))
def test_toml_examples_parse(path: Path) -> None:
    for line, code in blocks(path, "toml"):
        try:
            tomllib.loads(code)
        except tomllib.TOMLDecodeError as exc:  # pragma: no cover - the failure report
            pytest.fail(f"{path.name}, block at line {line}: {exc}")
        if code.startswith("# ikueval rule set"):
            loads_rules(code, source=f"{path.name}:{line}")


def test_the_matcher_handles_ellipses() -> None:
    assert matches(["a", "b", "c"], ["a", "...", "c"])
    assert matches(["a"], ["a", "..."])
    assert not matches(["a", "b"], ["a"])
    assert not matches(["a", "x", "c"], ["a", "b", "c"])


def test_the_documents_name_only_public_modules() -> None:
    """Applications use ``ikueval``, ``ikueval.limits`` and ``ikueval.testing``.

    Only the guide for contributors (``extending.md``) names the private modules
    that hold each table.
    """
    private = re.compile(r"\bikueval\._[a-z]")
    for path in [*DOCS, ROOT / "README.md", *sorted((ROOT / "examples").glob("*.py"))]:
        if path.name == "extending.md":
            continue
        text = path.read_text(encoding="utf-8")
        assert not private.search(text), f"{path.name} names a private module"


def test_every_limit_is_documented_and_every_documented_limit_is_public() -> None:
    """docs/limits.md and ``ikueval.limits`` name the same constants."""
    from ikueval import limits

    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", text))
    # The fuzz harness's own bounds (tests/fuzz/verdicts.py), and a placeholder.
    harness = {"CALL_SECONDS", "OUTPUT_FIXED", "OUTPUT_PER_INPUT_BYTE", "SECONDS_PER_MIB", "ENTRY"}
    assert sorted(named - harness - set(limits.__all__)) == []
    assert sorted(set(limits.__all__) - named) == []
