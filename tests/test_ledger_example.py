"""The scripted history of examples/bp3mi-jateng-2025/history: the Q2 report reproduced as of
its publication, and today's figures changed by the corrections recorded since."""

from __future__ import annotations

import os
import runpy
from decimal import Decimal
from pathlib import Path

import pytest

import ikueval
from ikueval._store import SQLiteLedgerStore, open_ledger
from ledgers import DATA, RULES, figures

SCRIPT = DATA / "history" / "record_history.py"
PUBLISHED = DATA / "published-2025-Q2.toml"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> SQLiteLedgerStore:
    database = tmp_path_factory.mktemp("history") / "bp3mi.db"
    script = runpy.run_path(str(SCRIPT))
    cwd = Path.cwd()
    try:
        assert script["main"]([str(database)]) == 0
    finally:
        os.chdir(cwd)  # the script works from the repository root
    return open_ledger(database, create=False)


def test_as_of_publication_the_ledger_gives_the_reports_data(history: SQLiteLedgerStore) -> None:
    ruleset = ikueval.load_rules(RULES)
    by_files = ikueval.evaluate(ruleset, ikueval.read_events(ruleset, [DATA]), "2025-Q2")
    snapshot = history.snapshot("2025-07-15")
    assert snapshot.rules.version == 1
    assert snapshot.batch.number == 4
    assert figures(snapshot.evaluate("2025-Q2")) == figures(by_files)
    publication = ikueval.load_publication(PUBLISHED, ruleset)
    files = ikueval.build_ledger(ruleset, ikueval.read_events(ruleset, [DATA]))
    expected = ikueval.reconcile(ruleset, files, publication)
    found = ikueval.reconcile(snapshot.ruleset, snapshot.ledger(), publication)
    assert [f.verdict for f in found.figures] == [f.verdict for f in expected.figures]


def test_todays_figures_differ_by_the_later_corrections(history: SQLiteLedgerStore) -> None:
    today = history.evaluate("2025-Q2")
    assert today.indicator("IKU-06").achievement("to_date").value == Decimal("107.48")
    assert today.indicator("IKU-03").realisations["period"].value == Decimal("25.00")
    assert today.indicator("IKU-05").targets["period"].value == 10
    difference = history.diff("2025-Q2", "2025-07-15")
    assert {c.subject for c in difference.changes} == {
        "IKU-03",
        "IKU-05",
        "IKU-06",
        "roll-up all",
        "roll-up objective:SS-3",
        "roll-up objective:SS-4",
        "roll-up activity:fasilitasi",
    }
    assert [c.entry.entry for c in difference.causes["IKU-06"]] == [132]
    assert difference.causes["IKU-06"][0].superseded is not None
    assert difference.causes["IKU-06"][0].superseded.event_id == "IKU06-2025Q2-05"
    assert difference.rules_changed


def test_before_the_may_corrections_q1_was_wrong(history: SQLiteLedgerStore) -> None:
    april = history.evaluate("2025-Q1", "2025-04-30")
    assert april.indicator("IKU-06").realisations["period"].value == 78
    assert april.indicator("IKU-07").realisations["period"].value == 6469
    may = history.evaluate("2025-Q1", "2025-05-31")
    assert may.indicator("IKU-06").realisations["period"].value == 80
    assert may.indicator("IKU-07").realisations["period"].value == 6496
