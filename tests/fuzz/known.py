"""The failures the fuzzer found, each with a small reproducer.

A :class:`Found` failure is an input (a scenario with some files replaced)
and what went wrong. ``test_found.py`` runs each reproducer the way the fuzzer
runs an input:

* :data:`FIXED`: fixed; the reproducer is a regression test.
* :data:`KNOWN`: not fixed yet. The fuzz run tolerates it (counts it, prints
  it, does not fail on it), and only it, so that CI stays green; its
  reproducer is a strict ``xfail``. When the fix is merged the reproducer
  passes, which fails the suite: move the entry to :data:`FIXED`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .ledger_plans import LedgerPlan
from .scenarios import EVENTS_DIR, PUBLISHED, RULES
from .verdicts import Failure

Files = Mapping[str, bytes]


@dataclass(frozen=True)
class Found:
    """A failure the fuzzer found.

    Args:
        name: the reproducer's test id.
        signature: a regular expression every failure of this bug matches
            (``hang in loading/toml_positions.py``).
        what: the bug, how it was found, and who fixed it (or why it is not fixed).
        scenario: the scenario the reproducer starts from.
        change: the reproducer's files, from the scenario's: only those that change.
        ledger: what the reproducer does with a ledger (:mod:`fuzz.ledger_plans`).
    """

    name: str
    signature: str
    what: str
    scenario: str
    change: Callable[[Files], Files]
    ledger: LedgerPlan | None = None

    def matches(self, failure: Failure) -> bool:
        """Whether ``failure`` is this bug."""
        return re.fullmatch(self.signature, failure.signature) is not None


def _file(path: str, text: str) -> Callable[[Files], Files]:
    """A reproducer that is one file, written out."""
    return lambda files: {path: text.encode("utf-8")}


def _edit(path: str, edit: Callable[[str], str]) -> Callable[[Files], Files]:
    """A reproducer that is one of the scenario's files, edited."""
    return lambda files: {path: edit(files[path].decode("utf-8")).encode("utf-8")}


def _one_cell_long(text: str) -> str:
    """The bundled published figures with one printed cell of 20,000 characters, in a table
    of a hundred more rows."""
    row = '  { indicator = "IKU-12", target = "75 Nilai", realisasi_tw1 = "-", '
    at = text.index(row)
    end = text.index("\n", at) + 1
    line = text[at:end]
    long = line.replace('realisasi_tw1 = "-"', 'realisasi_tw1 = "' + "a b" * 6_700 + '"', 1)
    return text[:at] + long + line * 100 + text[end:]


def _long_dimension(files: Files) -> Files:
    """A dimension named in 5,000 characters, and 3,000 events of distinct dimensions."""
    name = "d" * 5_000
    values = ", ".join(f'"v{i}"' for i in range(100))
    rules = (
        '[ruleset]\nid = "t"\noffice = "Office"\nyears = [2021]\n\n'
        '[[documents]]\nid = "pk"\ntitle = "PK"\n\n[rounding]\nmode = "half-up"\nplaces = 2\n\n'
        f"[dimensions.{name}]\nvalues = [{values}]\n\n[dimensions.g]\nvalues = [{values}]\n\n"
        '[[indicators]]\nid = "A"\nname = "A"\nunit = "Orang"\naggregation = "cumulative"\n'
        f'direction = "higher"\ndimensions = ["{name}", "g"]\ntargets.pk = {{ annual = 10 }}\n'
    )
    rows = [f"A,2021-Q1,v{i},v{j},1" for i in range(100) for j in range(30)]
    events = "\n".join([f"indicator,period,{name},g,value", *rows]) + "\n"
    return {RULES: rules.encode(), f"{EVENTS_DIR}/semarang-2021.csv": events.encode()}


def _iku07_printed(texts: list[str]) -> Files:
    """Published figures of one table that prints IKU-07's realisation in each row as given."""
    rows = "".join(f'  {{ indicator = "IKU-07", realisation = "{t}" }},\n' for t in texts)
    text = (
        '[publication]\ndocument = "lkj-2025-q2"\nperiod = "2025-Q2"\n'
        'number_format = "indonesian"\n\n[[tables]]\nid = "t"\ntitle = "T"\n'
        'columns.realisation = { shows = "realisation", span = "period" }\n'
        f"rows = [\n{rows}]\n"
    )
    return {PUBLISHED: text.encode("utf-8")}


def _iku07_printed_often(files: Files) -> Files:
    """Published figures of one table that prints IKU-07's realisation 400 times."""
    return _iku07_printed(["7.375 Orang"] * 400)


def _iku07_printed_differently(files: Files) -> Files:
    """Published figures of one table that prints IKU-07's realisation 1,500 ways."""
    return _iku07_printed([f"{i} Orang" for i in range(1_500)])


_DEEP = ".".join(["a"] * 5_000)

FIXED: tuple[Found, ...] = (
    Found(
        "rules-key-twice-before-a-comma",
        r"hang in loading/toml_positions\.py",
        "the TOML line scanner looped for ever on a key set twice before `,`, `]` or `}` "
        "(a rule file); fixed by h7-toml",
        "semarang-2021",
        _file(RULES, 'aggregation=""\naggregation="",'),
    ),
    Found(
        "published-key-twice-before-a-brace",
        r"hang in loading/toml_positions\.py",
        "the same, in a published-figures file; fixed by h7-toml",
        "bp3mi-2025-Q2",
        _file(PUBLISHED, "a = 1\na = 1}\n"),
    ),
    Found(
        "rules-exponent-out-of-range",
        r"InvalidOperation in .*",
        "a TOML float whose exponent no Decimal holds raised InvalidOperation; fixed by h7-toml",
        "semarang-2021",
        _file(RULES, "s=1e9999999999999999999"),
    ),
    Found(
        "published-exponent-out-of-range",
        r"InvalidOperation in .*",
        "the same, in a published-figures file; fixed by h7-toml",
        "bp3mi-2025-Q2",
        _file(PUBLISHED, "s = 1e9999999999999999999\n"),
    ),
    Found(
        "rules-integer-too-long",
        r"ValueError in .*",
        "a TOML integer of 4,301 digits raised ValueError; fixed by h7-toml",
        "semarang-2021",
        _file(RULES, "note = " + "9" * 4301 + "\n"),
    ),
    Found(
        "published-integer-too-long",
        r"ValueError in .*",
        "the same, in a published-figures file; fixed by h7-toml",
        "bp3mi-2025-Q2",
        _file(PUBLISHED, "target = " + "9" * 4301 + "\n"),
    ),
    Found(
        "rules-header-nested-deeply",
        r"RecursionError in .*",
        "a table header 5,000 keys deep raised RecursionError in salvage.py; fixed by h7-toml",
        "semarang-2021",
        _file(RULES, f"[{_DEEP}]\n"),
    ),
    Found(
        "published-dotted-key-nested-deeply",
        r"(RecursionError in .*|hang in .*)",
        "a dotted key 5,000 keys deep in published figures: RecursionError in structuring.py "
        "(or a quadratic scan); fixed by h7-toml",
        "bp3mi-2025-Q2",
        _file(PUBLISHED, f"{_DEEP} = 1\n"),
    ),
    Found(
        "rules-dotted-key-of-many-parts",
        r"(hang in .*|slow: .*)",
        "tomllib reads a dotted key in time quadratic in its parts: a key of 32,000 parts "
        "(64 KB) took 14 s, one of a million (2 MiB) hours, before the nesting bound was "
        "checked; fixed in loading/toml_text.py (the key is found by the linear scan first)",
        "semarang-2021",
        _file(RULES, ".".join(["a"] * 32_000) + " = 1\n"),
    ),
    Found(
        "published-header-of-many-parts",
        r"(hang in .*|slow: .*)",
        "the same, for a table header of a million parts in published figures",
        "bp3mi-2025-Q2",
        _file(PUBLISHED, "[" + ".".join(["a"] * 1_000_000) + "]\n"),
    ),
    Found(
        "reconcile-table-padded-to-a-long-cell",
        r"output: (render_table\(reconciliation\)|reconcile)",
        "the reconciliation table padded every row of a column to its longest printed text: "
        "a text of 131,091 characters made 12.5 MB from 134 KB; fixed in reports/text.py",
        "bp3mi-2025-Q2",
        _edit(PUBLISHED, _one_cell_long),
    ),
    Found(
        "dimension-name-repeated-per-part",
        r"(output: |slow: |hang in ).*",
        "every part of a figure's trail repeats its dimensions' names: a name of 5,000 "
        "characters, written once in a file's header, made 48 MB of JSON from 75 KB; a "
        "dimension's name is now at most 64 characters (_loading/declaration_checks.py)",
        "semarang-2021",
        _long_dimension,
    ),
    Found(
        "reconcile-json-repeats-the-trail-per-cell",
        r"(output|slow): render_json\(reconciliation\)",
        "the JSON of a reconciliation repeated, for each printed cell, the whole trail of the "
        "figure it claims and the text of every other cell that claims the same figure, so it "
        "grew as cells x rows and cells x cells: a table printing IKU-07's realisation 400 "
        "times made 9.4 MB from 60 KB; fixed by h7-reconcile-json (version 2 of the document "
        "writes each figure, computation and trail once and refers to them by key; a figure "
        "names at most three of the figures printed differently, and counts the rest)",
        "bp3mi-2025-Q2",
        _iku07_printed_often,
    ),
    Found(
        "reconcile-figures-printed-differently-name-each-other",
        r"(output|slow): (render_(table|json)\(reconciliation\)|reconcile)",
        "each figure's reason named every other figure that claims the same thing printed "
        "differently, in the text as in the JSON, and finding them compared every pair: a "
        "table printing IKU-07's realisation 1,500 ways made 35 MB of text from 80 KB; fixed by "
        "h7-reconcile-json (reconcile/contradictions.py names the first three and counts the "
        "rest, in one pass)",
        "bp3mi-2025-Q2",
        _iku07_printed_differently,
    ),
    Found(
        "ledger-correct-a-million-missing-entries",
        r"(hang in _store/corrections\.py|(slow|output): .*correct.*)",
        "ledger correct DB 1-1000000 (or a withdrawal) on a ledger of a few entries built a "
        "problem for each missing entry: seconds, and tens of MB of message; fixed in "
        "_store/corrections.py (MAX_ENTRY_PROBLEMS named, the rest counted)",
        "semarang-2021",
        lambda files: {},
        LedgerPlan("files", ("2025-07-01",), "2025-07-01", None, ("1-1000000",), (), "r", True),
    ),
    *(
        Found(
            f"ledger-damaged-{name}",
            r"(TypeError|ValueError|InvalidOperation|JSONDecodeError|AttributeError) in .*",
            f"a ledger whose {name} was changed behind the triggers' back raised a Python error "
            "when read; fixed in _store/damage.py (a StoreError naming the damaged row)",
            "semarang-2021",
            lambda files: {},
            LedgerPlan("damaged", (), "2025-07-01", None, ("1",), (), "r", damage=("sql", sql)),
        )
        for name, sql in (
            ("content", "UPDATE contents SET first_entry = 'x'"),
            ("number", "UPDATE entries SET value = 'abc' WHERE kind = 'number'"),
            ("dimensions", "UPDATE entries SET dimensions = '{' WHERE entry = 1"),
            ("batch-kind", "UPDATE batches SET kind = 'bogus' WHERE batch = 1"),
            ("rule-text", "UPDATE rule_versions SET text = x'ff'"),
        )
    ),
    Found(
        "ledger-schema-not-utf8",
        r"UnicodeDecodeError in .*",
        "a ledger whose schema holds a byte that is not UTF-8: SQLite's message quoted it and "
        "Python raised UnicodeDecodeError; fixed in _store/sqlite.py (a StoreError: damaged)",
        "semarang-2021",
        lambda files: {},
        LedgerPlan(
            "damaged",
            (),
            "2025-07-01",
            None,
            ("1",),
            (),
            "r",
            damage=("poke", "CREATE TABLE entries ", "ff"),
        ),
    ),
    Found(
        "ledger-correct-dimensions-as-text",
        r"ValueError in _store/corrections\.py.*",
        "ledger correct DB 1 --set dimensions=x raised ValueError (dict of a text); fixed in "
        "_store/corrections.py (a UsageError)",
        "semarang-2021",
        lambda files: {},
        LedgerPlan("files", (), "2025-07-01", None, ("1",), (("dimensions", "x"),), "r"),
    ),
)

KNOWN: tuple[Found, ...] = ()


def known(failure: Failure) -> Found | None:
    """The known, unfixed bug ``failure`` is, if any."""
    return next((k for k in KNOWN if k.matches(failure)), None)
