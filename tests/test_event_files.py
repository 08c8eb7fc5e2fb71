"""Reading event files: spreadsheet exports, number formats, whole-file refusal."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from ikueval import EventError, RuleSet, read_events

Write = Callable[..., Path]


def problems(rules: RuleSet, *paths: Path) -> list[str]:
    with pytest.raises(EventError) as caught:
        read_events(rules, paths)
    assert str(caught.value).endswith("\nno events were read: fix the files above")
    return [str(p) for p in caught.value.problems]


def test_a_spreadsheet_export_is_read(bundled_rules: RuleSet, write_file: Write) -> None:
    text = (
        "\ufeff#: number_format = indonesian\r\n"
        "indicator;period;value;gender;sector;scheme;channel\r\n"
        "IKU-07;2025-04;1.120;L;formal;mandiri;bp3mi-p4mi\r\n"
        "\r\n"
        "indicator;period;value;gender;sector;scheme;channel\r\n"
        "IKU-08;2025-Q2;87,5;;;;\r\n"
        ";;;;;;\r\n"
    )
    events = list(read_events(bundled_rules, [write_file("export.csv", text)]))
    assert [(e.indicator, e.value, e.source.line) for e in events] == [
        ("IKU-07", Decimal("1120"), 3),
        ("IKU-08", Decimal("87.5"), 6),
    ]
    assert events[0].dimensions == {
        "channel": "bp3mi-p4mi",
        "gender": "L",
        "scheme": "mandiri",
        "sector": "formal",
    }


def test_tab_separated(bundled_rules: RuleSet, write_file: Write) -> None:
    path = write_file("tabs.csv", "indicator\tperiod\tvalue\nIKU-06\t2025-Q1\t80\n")
    (event,) = read_events(bundled_rules, [path])
    assert event.value == 80


def test_a_bad_file_is_refused_whole_with_every_bad_row(
    bundled_rules: RuleSet, write_file: Write
) -> None:
    path = write_file(
        "bad.csv",
        "indicator,period,value,unit,gender\n"
        "IKU-06,2025-Q1,80,Orang,\n"
        "IKU-06,2025-Q5,1,,\n"
        "IKU-06,2025-Q2,-3,,\n"
        "IKU-06,2025-Q2,3,Dokumen,\n"
        "IKU-06,2025-Q2,3,,X\n"
        "IKU-09,2025-Q2,1,,L\n"
        "IKU-06,2025-Q2,1,2\n",
    )
    name = str(path)
    assert problems(bundled_rules, path) == [
        f"{name}:3: period: expected a period (2025, 2025-Q1..2025-Q4, 2025-01..2025-12 or a "
        "date 2025-04-21), found '2025-Q5'",
        f"{name}:4: value: -3 is negative, but 'Orang' cannot be",
        f"{name}:5: unit: the row says 'Dokumen', but IKU-06 is in 'Orang'",
        f"{name}:6: gender: 'X' is not a value of dimension 'gender' (L, P)",
        f"{name}:7: gender: IKU-09 declares no dimensions, found 'gender'",
        f"{name}:8: the row has 4 cells, the header has 5 (check for a stray separator or a "
        "missing cell)",
        f"{name}: file refused: 7 rows read, 6 bad",
    ]


def test_undeclared_format_refuses_ambiguous_values(
    bundled_rules: RuleSet, write_file: Write
) -> None:
    path = write_file("plain.csv", 'indicator,period,value\nIKU-07,2025-Q1,"6,496"\n')
    assert problems(bundled_rules, path)[0] == (
        f"{path}:2: value: expected a number in the undeclared (international) format, found "
        "'6,496': ',' is not a decimal mark here; declare number_format = indonesian"
    )


def test_unknown_directive(bundled_rules: RuleSet, write_file: Write) -> None:
    path = write_file("d.csv", "#: number_fromat = indonesian\nindicator,period,value\n")
    assert problems(bundled_rules, path)[0] == (
        f"{path}:1: unknown directive 'number_fromat = indonesian'; expected 'number_format = "
        "indonesian' or 'number_format = international' (did you mean 'number_format'?)"
    )


def test_header_problems(bundled_rules: RuleSet, write_file: Write) -> None:
    path = write_file("h.csv", "indikator,period,value\nIKU-06,2025-Q1,80\n")
    found = problems(bundled_rules, path)
    assert found == [
        f"{path}:1: the header has no 'indicator' column (rename column 'indikator' to "
        "'indicator')",
        f"{path}: file refused: fix the header first (1 row not checked)",
    ]


def test_not_utf8(bundled_rules: RuleSet, write_file: Write) -> None:
    path = write_file("latin.csv", "indicator,period,value,note\nIKU-06,2025-Q1,80,é\n", "latin-1")
    assert problems(bundled_rules, path)[0] == (
        f"{path}:2: not UTF-8 text (byte 46 of the file) (save as 'CSV UTF-8' or UTF-8 JSON)"
    )


def test_duplicate_ids_across_files(bundled_rules: RuleSet, write_file: Write) -> None:
    one = write_file("a.csv", "id,indicator,period,value\nE1,IKU-06,2025-Q1,80\n")
    two = write_file("b.csv", "id,indicator,period,value\nE1,IKU-06,2025-Q2,3\n")
    assert problems(bundled_rules, one, two)[0] == (
        f"{two}:2: id: duplicate event id 'E1' (first at {one}:2)"
    )


def test_json_events_with_lines(bundled_rules: RuleSet, write_file: Write) -> None:
    path = write_file(
        "e.json",
        '{\n  "number_format": "indonesian",\n  "events": [\n'
        '    {"indicator": "IKU-07", "period": "2025-Q1", "value": "6.496"},\n'
        '    {"indicator": "IKU-10", "date": "2025-06-24", "value": 20,\n'
        '     "dimensions": {"program": "g2g-jepang"}}\n  ]\n}\n',
    )
    first, second = read_events(bundled_rules, [path])
    assert (first.value, first.source.line) == (6496, 4)
    assert (second.value, second.period.label, second.source.line) == (20, "2025-06-24", 5)


def test_json_problems(bundled_rules: RuleSet, write_file: Write) -> None:
    path = write_file(
        "e.json",
        '[\n {"indicator": "IKU-07", "period": "2025-Q1", "value": 1, "gender": "L"},\n'
        ' {"indicator": "IKU-07", "period": "2025-Q1", "value": 2.5e400}\n]\n',
    )
    assert problems(bundled_rules, path) == [
        f"{path}:2: events[0].gender: unknown key 'gender' (dimensions go inside \"dimensions\")",
        f"{path}:3: value: 2.5E+400 is too large for a figure (the limit is 10^24)",
        f"{path}: file refused: 2 rows read, 2 bad",
    ]


def test_missing_paths(bundled_rules: RuleSet, tmp_path: Path) -> None:
    assert problems(bundled_rules, tmp_path / "none.csv") == [
        f"{tmp_path / 'none.csv'}: no such file or directory"
    ]
    assert problems(bundled_rules, tmp_path) == [
        f"{tmp_path}: the directory holds no *.csv or *.json event file"
    ]
