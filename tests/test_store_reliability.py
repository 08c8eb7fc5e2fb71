"""The ledger under crashes and concurrent writers: nothing acknowledged lost, nothing half done.

A real importing process is killed with SIGKILL at random moments, again and
again; after each kill, every import it acknowledged must be in the ledger
whole, and nothing else may be: no entry outside a recorded batch, no batch
missing entries. Two processes importing at once must both succeed (one
waits for the other) without losing or doubling anything; a writer that
cannot wait is refused with a clear error.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ikueval._store import SQLiteLedgerStore, StoreError, open_ledger
from ledgers import SMALL_RULES, Clock, small_rules

ROWS_PER_FILE = 60
#: The total time the kill test may take, and the fewest kills it must make.
KILL_BUDGET_SECONDS = 4.0
MIN_KILLS = 20

#: Imports the files given, one import each, acknowledging each on stdout.
IMPORTER = """
import sys
from ikueval._store import open_ledger
store = open_ledger(sys.argv[1])
print("READY", flush=True)
for name in sys.argv[3:]:
    report = store.import_files([name], rules=sys.argv[2], actor="importer")
    content = report.contents[0]
    print("ACK", name, content.first_entry, content.last_entry, flush=True)
"""


def event_files(directory: Path, count: int, tag: str) -> list[Path]:
    """Files of ROWS_PER_FILE events, each with a distinct content; every value is 1."""
    files = []
    for number in range(count):
        path = directory / f"{tag}-{number:03d}.csv"
        rows = [f"A,2025-Q{1 + n % 2},1,{'LP'[n % 2]}" for n in range(ROWS_PER_FILE)]
        header = f"# file {tag} {number}\nindicator,period,value,gender\n"
        path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
        files.append(path)
    return files


def check_whole(store: SQLiteLedgerStore, acknowledged: set[str]) -> set[str]:
    """Check the ledger holds whole imports only; return the files it holds."""
    recorded: dict[str, int] = {}
    with store.reading() as reader:
        head = reader.head()
        if head is None:
            assert not acknowledged
            return set()
        expected_entry = 1
        for batch in reader.batches(1, head.number):
            assert batch.first_entry == expected_entry
            contents = reader.contents(batch.number)
            assert sum(c.size for c in contents) == batch.size
            for content in contents:
                origins = {
                    r.origin_file for r in reader.entries(content.first_entry, content.last_entry)
                }
                assert origins == {content.name}
                assert content.size == ROWS_PER_FILE, f"{content.name} is half imported"
                recorded[content.name] = recorded.get(content.name, 0) + 1
            expected_entry = batch.last_entry + 1
        assert reader.entry(expected_entry) is None, "entries beyond the last batch"
    assert all(count == 1 for count in recorded.values()), "a file was imported twice"
    assert acknowledged <= set(recorded), "an acknowledged import was lost"
    return set(recorded)


def importer(database: Path, rules: Path, files: list[Path]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(database), str(rules), *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def forked_importer(database: Path, rules: Path, files: list[Path]) -> tuple[int, int]:
    """A child process (forked: no interpreter start-up) importing ``files`` one by one.

    Returns its pid and the read end of a pipe on which it writes ``READY``
    once the ledger is open, then ``ACK NAME`` after each import returned.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child, killed before it ends
        os.close(read_end)
        try:
            store = open_ledger(database)
            os.write(write_end, b"READY\n")
            for number, path in enumerate(files):
                given = rules if number == 0 else None  # then the version in force
                store.import_files([path], rules=given, actor="importer")
                os.write(write_end, f"ACK {path}\n".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    return pid, read_end


def read_all(descriptor: int) -> str:
    chunks = []
    while chunk := os.read(descriptor, 65536):
        chunks.append(chunk)
    os.close(descriptor)
    return b"".join(chunks).decode()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_kill_9_during_imports_loses_nothing_acknowledged_and_leaves_nothing_half(
    tmp_path: Path,
) -> None:
    rules = small_rules(tmp_path)
    files = event_files(tmp_path, 80, "k")
    database = tmp_path / "ledger.db"
    open_ledger(database)
    rng = random.Random(1207)
    acknowledged: set[str] = set()
    kills = 0
    started = time.monotonic()
    deadline = time.monotonic() + KILL_BUDGET_SECONDS
    while (time.monotonic() < deadline or kills < MIN_KILLS) and len(acknowledged) < len(files):
        pid, pipe = forked_importer(database, rules, files)
        ready = os.read(pipe, 6)
        assert ready == b"READY\n"
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        kills += os.WIFSIGNALED(status)
        out = read_all(pipe)
        acknowledged |= {line.split()[1] for line in out.splitlines() if line.startswith("ACK")}
        check_whole(open_ledger(database, create=False), acknowledged)
    print(f"{kills} kills in {time.monotonic() - started:.1f}s, {len(acknowledged)} acknowledged")
    assert kills >= MIN_KILLS
    assert 0 < len(acknowledged) < len(files), "the kills did not land during the imports"
    # The killed imports are simply done again: the ones recorded are recognised.
    pid, pipe = forked_importer(database, rules, files)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status)
    assert read_all(pipe).count("ACK") == len(files)
    store = open_ledger(database, create=False)
    assert check_whole(store, acknowledged) == {str(f) for f in files}
    total = store.evaluate("2025-Q2").indicator("A").realisations["to_date"].value
    assert total == len(files) * ROWS_PER_FILE


def test_two_processes_importing_at_once_both_succeed(tmp_path: Path) -> None:
    rules = small_rules(tmp_path)
    database = tmp_path / "ledger.db"
    open_ledger(database)
    shared = event_files(tmp_path, 3, "shared")
    first = importer(database, rules, [*event_files(tmp_path, 6, "a"), *shared])
    second = importer(database, rules, [*shared, *event_files(tmp_path, 6, "b")])
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    store = open_ledger(database, create=False)
    recorded = check_whole(store, set())
    assert len(recorded) == 6 + 6 + 3
    total = store.evaluate("2025-Q2").indicator("A").realisations["to_date"].value
    assert total == 15 * ROWS_PER_FILE
    with store.reading() as reader:
        head = reader.head()
        assert head is not None
        assert head.last_entry == 15 * ROWS_PER_FILE


def test_a_writer_that_cannot_wait_is_refused_clearly(tmp_path: Path) -> None:
    clock = Clock()
    store = open_ledger(tmp_path / "ledger.db", clock=clock)
    rules = small_rules(tmp_path)
    (events,) = event_files(tmp_path, 1, "w")
    impatient = SQLiteLedgerStore(tmp_path / "ledger.db", busy_timeout=0.1)
    with store.writing():
        started = time.monotonic()
        with pytest.raises(StoreError) as error:
            impatient.import_files([events], rules=rules, actor="second")
        assert time.monotonic() - started < 5
    assert str(error.value) == (
        f"{tmp_path / 'ledger.db'}: the ledger is busy: another process kept it locked for "
        "writing (try again when the other import has finished)"
    )
    # Reading is never blocked by a writer.
    store.import_files([events], rules=rules, actor="first")
    with store.writing():
        assert impatient.snapshot().batch.number == 1
    assert SMALL_RULES  # the rule set the files were checked against


def test_readers_see_one_state_while_a_writer_appends(tmp_path: Path) -> None:
    store = open_ledger(tmp_path / "ledger.db")
    rules = small_rules(tmp_path)
    files = event_files(tmp_path, 2, "r")
    store.import_files([files[0]], rules=rules, actor="t")
    with store.reading() as reader:
        before = reader.head()
        store.import_files([files[1]], actor="t")  # committed while the snapshot is open
        assert reader.head() == before
    with store.reading() as reader:
        head = reader.head()
        assert head is not None
        assert head.number == 2
