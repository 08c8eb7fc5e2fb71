"""Hostile values from Python: whatever a caller passes as records, periods or
an evaluation document, ikueval answers with an :class:`~ikueval.IkuEvalError`
(never another exception), and what it accepts it keeps whole.

* Records of every shape (dicts, objects, junk) whose fields hold adversarial
  values: None, booleans, floats, NaN and infinite Decimals, huge ints, bytes,
  lists, dicts, datetimes, dates outside the years, objects, text with control
  characters or lone surrogates, 200 KB of text. They go through
  ``events_from_records`` -> ``build_ledger`` -> ``evaluate`` ->
  ``render_json`` / ``render_explain``; the period is adversarial too.
* Evaluation documents: the JSON of the bundled example with a key deleted or
  a value replaced, read with ``evaluation_from_data`` (and replayed).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import ikueval
from conftest import time_limit as alarm
from ikueval import (
    AuditError,
    Evaluation,
    Event,
    EventError,
    IkuEvalError,
    Period,
    PeriodError,
    build_ledger,
    evaluate,
    evaluation_from_data,
    events_from_records,
    load_rules,
    read_events,
    render_explain,
    render_json,
    replay,
    replay_budget,
    replay_rollup,
)
from ikueval._events import FIELDS

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules(ROOT / "rules" / "bp3mi-jateng-2025.toml")
EXAMPLES = ROOT / "examples" / "bp3mi-jateng-2025"
HOSTILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Records the bundled rule set accepts, of every kind; each test record is
#: one of them with a few fields replaced, deleted or added.
GOOD_RECORDS: list[dict[str, Any]] = [
    {"indicator": "IKU-05", "period": "2025-Q2", "value": "20", "note": "training"},
    {
        "indicator": "IKU-06",
        "date": "2025-04-21",
        "value": 1,
        "dimensions": {"gender": "L", "country": "Taiwan"},
        "id": "pmi-1",
    },
    {"indicator": "IKU-10", "period": "2025-05", "value": Decimal(3), "program": "g2g-jepang"},
    {"indicator": "IKU-13", "period": "2025-Q1", "value": "Baik", "table": "Tabel 3"},
    {"indicator": "IKU-01", "input": "received", "period": "2025-Q1", "value": "19"},
    {"activity": "fasilitasi", "date": "2025-06-30", "value": "818826164", "unit": "Rupiah"},
    {"indicator": "IKU-12", "period": "2025-Q2", "value": "-", "document": "lkj-2025-q2"},
    {"indicator": "IKU-08", "period": "2025-Q2", "value": "87.5", "unit": "%", "ref": "T3"},
]
#: Values that make sense in some field of the bundled rule set.
GOOD = {
    "indicator": ["IKU-06", "IKU-07", "IKU-08", "IKU-01", "IKU-10", "IKU-13", "IKU-12"],
    "activity": ["fasilitasi", "dukungan"],
    "input": ["received", "handled"],
    "period": ["2025", "2025-Q1", "2025-Q2", "2025-04", "2025-06-30"],
    "date": ["2025-04-21", "2025-06-30"],
    "value": ["12", "87,5", "87.5", "-", "Baik", "1.000", Decimal("36"), 7, "0"],
    "unit": ["Orang", "%", "Rupiah", "Kasus"],
}
LONG_TEXT = "IKU-07 " * 30_000  # about 200 KB


class Opaque:
    """An object without any field, and a str() that says nothing useful."""


hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            Decimal(text)
            for text in ("NaN", "sNaN", "-Infinity", "1E+999999999", "1E-999999999", "-0")
        ]
    ),
    st.sampled_from([10**5000, -(10**30), 2**63, 0, -1]),
    st.binary(max_size=8),
    st.lists(st.sampled_from(["IKU-07", "L", 1]), max_size=2).map(tuple),
    st.lists(st.sampled_from(["IKU-07", "L", 1]), max_size=2),
    st.dictionaries(st.sampled_from(["gender", "x", "1"]), st.sampled_from(["L", 1]), max_size=2),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 1, 1)),
    st.dates(),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)),
    st.times().map(lambda value: value or time(0)),
    st.builds(Opaque),
    st.builds(Period.parse, st.sampled_from(["2024", "2025-Q2", "2025-05-05", "2026-01"])),
    st.text(max_size=12),
    st.text(st.characters(categories=["Cc", "Cs", "Zl", "Zs"]), min_size=1, max_size=6),
    st.sampled_from(["\ud800", "IKU-07\udfff", " \x00 ", "\u2028", LONG_TEXT, "nan", "  "]),
)


def field_values(name: str) -> st.SearchStrategy[Any]:
    good = GOOD.get(name, ["a note", "Tabel 3", "lkj-2025-q2", "row-1"])
    return st.sampled_from(good) | hostile_values


@st.composite
def records(draw: st.DrawFn) -> Any:
    """A good record with up to three fields replaced, deleted or added, as a
    dict or an object; now and then something that is no record at all."""
    fields: dict[Any, Any] = dict(draw(st.sampled_from(GOOD_RECORDS)))
    keys = st.sampled_from([*FIELDS, "dimensions", "gender", "country", "program"])
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 0, 0, 1, 1, 2, 3]))):
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        key = draw(keys)
        if action == "delete":
            fields.pop(key, None)
        elif action == "add":
            fields[draw(hostile_keys)] = draw(hostile_values)
        elif key == "dimensions":
            fields[key] = draw(
                st.dictionaries(
                    st.sampled_from(["gender", "country", "program"]) | hostile_keys,
                    st.sampled_from(["L", "P", "Taiwan"]) | hostile_values,
                    max_size=3,
                )
                | hostile_values
            )
        else:
            fields[key] = draw(field_values(key))
    shape = draw(st.sampled_from(["dict"] * 16 + ["object", "object", "junk"]))
    if shape == "object":
        return SimpleNamespace(**{k: v for k, v in fields.items() if isinstance(k, str)})
    if shape == "junk":
        return draw(hostile_values)
    return fields


#: Keys a dict may have besides text: anything hashable.
hostile_keys = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.binary(max_size=4),
    st.tuples(st.integers()),
    st.dates(),
    st.builds(Opaque),
    st.sampled_from(["\ud800", "", " ", "x" * 1000, "gender", "value "]),
)


good_periods = st.sampled_from(["2025", "2025-Q2", "2025-06", "2025-Q1"])
bad_periods = hostile_values | st.sampled_from([2025, 2019, "2025-06-30", "2025-Q5", "2026"])
periods = st.integers(0, 3).flatmap(lambda n: bad_periods if n == 0 else good_periods)


@HOSTILE
@given(batch=st.lists(records(), max_size=3), period=periods)
def test_hostile_records_raise_only_ikueval_errors_and_lose_nothing(
    batch: list[Any], period: Any
) -> None:
    with alarm(20):
        events = outcome(lambda: list(events_from_records(RULES, batch)))
        if isinstance(events, IkuEvalError):
            event("records refused")
            return
        assert len(events) == len(batch)  # one event per record: none dropped
        for record, kept in zip(batch, events, strict=True):
            assert_kept(record, kept)
        ledger = outcome(lambda: build_ledger(RULES, events, retain=["IKU-06", "IKU-07"]))
        if isinstance(ledger, IkuEvalError):
            event("events conflict")
            return
        assert ledger.events_read == len(batch)
        evaluation = outcome(lambda: evaluate(RULES, ledger, period))
        if isinstance(evaluation, IkuEvalError):
            event("period refused")
            return
        event(f"evaluated with {len(batch)} records")
        render_json(evaluation).encode("utf-8")
        render_explain(evaluation, RULES, ledger=ledger).encode("utf-8")


T = TypeVar("T")


def outcome(call: Callable[[], T]) -> T | IkuEvalError:
    """The call's result, or the IkuEvalError it raised (any other exception fails)."""
    try:
        return call()
    except IkuEvalError as error:
        refused = error
    assert refused.problems, "an IkuEvalError carries at least one problem"
    return refused


def assert_kept(record: Any, event: Event) -> None:
    """Every field the record gave is on the event: nothing silently dropped or changed."""
    fields = record if isinstance(record, dict) else vars(record)
    for name in ("id", "indicator", "activity", "input", "unit", "document", "table", "note"):
        value = fields.get(name)
        if value is not None and str(value).strip():
            assert getattr(event, name) == str(value).strip()
    pairs = list(dict(fields.get("dimensions") or {}).items())
    if isinstance(record, dict):  # an object's other attributes are not read (documented)
        pairs += [(k, v) for k, v in fields.items() if k not in (*FIELDS, "dimensions")]
    expected = {k: str(v).strip() for k, v in pairs if v is not None and str(v).strip()}
    assert dict(event.dimensions) == expected


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"value": 10**5000}, "value: a number of 5001 digits is too large for a figure"),
        ({"value": b"12"}, "value: expected a number or text, found bytes"),
        ({"note": ["pasted", "cells"]}, "note: expected text, found a list"),
        ({"dimensions": ["gender", "L"]}, "dimensions: expected a mapping of dimension names"),
        ({"note": "\ud800"}, "note: character 1 is a lone surrogate (U+D800)"),
        ({"gender": "L", "dimensions": {"gender": "P"}}, "gender: dimension 'gender' is given"),
        ({"period": None, "date": datetime(2025, 4, 21, 23, 30)}, "date: expected a date, found"),
        ({"period": Period.parse("2025-Q2"), "date": "2025-04-21"}, "date: give either a"),
    ],
)
def test_hostile_fields_are_refused_with_their_column(record: dict[str, Any], message: str) -> None:
    base = {"indicator": "IKU-06", "period": "2025-Q2", "value": "3"}
    with pytest.raises(EventError) as caught:
        list(events_from_records(RULES, [{**base, **record}]))
    assert any(str(problem).startswith(message) for problem in caught.value.problems), [
        str(problem) for problem in caught.value.problems
    ]


def test_a_period_that_is_not_text_is_refused() -> None:
    with pytest.raises(
        PeriodError,
        match=r"^expected a period as text \('2025-Q2', '2025-04', '2025'\) or a Period, "
        "found the number 2019",
    ):
        evaluate(RULES, [], 2019)  # type: ignore[arg-type]
    with pytest.raises(EventError, match="expected an iterable of records"):
        evaluate(RULES, 5, "2025-Q2")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- evaluation documents

DOCUMENT_TEXT = render_json(evaluate(RULES, read_events(RULES, [EXAMPLES]), "2025-Q2"))
DOCUMENT = json.loads(DOCUMENT_TEXT)


def paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(paths(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(paths(value, (*path, index)))
    return found


PATHS = paths(DOCUMENT)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["1E+999999999", "NaN", "-0", "33.64", "\ud800", "computed", "latest"])
    | st.sampled_from(["realisations.to_date", "targets.annual", "targets", "realisations.x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(PATHS), st.booleans(), json_values), min_size=1, max_size=3
    )
)
def test_mutated_documents_raise_only_audit_errors(
    mutations: list[tuple[tuple[Any, ...], bool, Any]],
) -> None:
    document: Any = json.loads(DOCUMENT_TEXT)
    for path, delete, value in mutations:
        if not path:
            document = value
            continue
        parent = document
        for step in path[:-1]:
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                break
        else:
            if isinstance(parent, dict) or (
                isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent)
            ):
                if not delete:
                    parent[path[-1]] = value
                elif isinstance(parent, list) or path[-1] in parent:
                    del parent[path[-1]]
    with alarm(20):
        evaluation = outcome(lambda: evaluation_from_data(document))
        if isinstance(evaluation, IkuEvalError):
            assert isinstance(evaluation, AuditError)
            assert all(p.location.key and p.location.key[0] == "$" for p in evaluation.problems)
            return
        outcome(lambda: replay_all(evaluation))


def replay_all(evaluation: Evaluation) -> None:
    for result in evaluation.indicators:
        for achievement in result.achievements:
            replay(achievement)
    for rollup in evaluation.rollups:
        replay_rollup(rollup)
    for budget in evaluation.budgets:
        replay_budget(budget)


WRITTEN = "the version this ikueval writes (or 1)"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({}, f"$.ikueval: expected 2, {WRITTEN}, found nothing"),
        ({"ikueval": 3}, f"$.ikueval: expected 2, {WRITTEN}, found the number 3"),
        ({"ikueval": True}, f"$.ikueval: expected 2, {WRITTEN}, found the boolean true"),
        ([], "$: expected an evaluation document {...}, found a list"),
        ({"ikueval": 2}, "$.indicators: expected a list, found NoneType"),
        ({"ikueval": 1}, "$.indicators: expected a list, found NoneType"),
    ],
)
def test_documents_that_are_not_evaluations_are_refused(document: Any, message: str) -> None:
    with pytest.raises(AuditError) as caught:
        evaluation_from_data(document)
    assert str(caught.value.problems[0]) == message


def test_a_refused_value_names_its_json_path() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["indicators"][5]["bases"]["to_date"]["value"] = "1E+999999999"
    with pytest.raises(AuditError) as caught:
        evaluation_from_data(document)
    assert str(caught.value.problems[0]) == (
        "$.indicators[5].bases.to_date.value: expected a number written as text, such as "
        "\"33.64\", found text '1E+999999999'"
    )
    assert isinstance(ikueval.AuditMismatchError("x"), AuditError)


Q2 = Period.parse("2025-Q2")


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (Event("IKU-07", Q2, 1.5), "an event's value must be a finite Decimal"),  # type: ignore[arg-type]
        (Event("IKU-07", Q2, Decimal("NaN")), "an event's value must be a finite Decimal"),
        (Event("IKU-07", "2025-Q2", Decimal(1)), "an event's period must be a Period"),  # type: ignore[arg-type]
        (Event(["IKU-07"], Q2, Decimal(1)), "an event's indicator, activity"),  # type: ignore[arg-type]
        (Event("IKU-07", Q2, Decimal(1), dimensions={1: "L"}), "an event's dimension names"),  # type: ignore[dict-item]
        (Event("IKU-07", Q2, "Baik"), "IKU-07 has no categories: 'Baik' is not a number"),
        (Event("IKU-07", Q2, Decimal(1), source="a.csv"), "an event's source must be"),  # type: ignore[arg-type]
    ],
)
def test_events_built_by_hand_are_checked_by_the_ledger(event: Event, message: str) -> None:
    with pytest.raises(EventError) as caught:
        build_ledger(RULES, [event])
    assert str(caught.value.problems[0]).startswith(message)
