"""Units of measure (satuan) and what they allow.

A unit is free text in a rule set, but the common ones of Indonesian
performance documents are known, so that ikueval can tell counts from
percentages and scores: a count cannot be negative, a score should not be
summed over quarters, two percentages of one period do not add up
(:func:`adds_up`), and ``Orang`` in an event file means the same as ``orang``
in the rule set.
"""

from __future__ import annotations

from enum import Enum
from typing import Final


class UnitKind(Enum):
    """What kind of quantity a unit measures."""

    COUNT = "count"
    PERCENT = "percent"
    SCORE = "score"
    MONEY = "money"
    CATEGORY = "category"
    OTHER = "other"


_KINDS: Final = {
    UnitKind.COUNT: (
        "orang",
        "dokumen",
        "data",
        "paket",
        "lokasi",
        "bulan",
        "kasus",
        "kegiatan",
        "laporan",
        "unit",
        "pengaduan",
        "klaim",
        "persons",
        "documents",
        "cases",
    ),
    UnitKind.PERCENT: ("%", "persen", "percent"),
    UnitKind.SCORE: ("nilai", "indeks", "skor", "score", "index"),
    UnitKind.MONEY: ("rupiah", "rp", "idr"),
    UnitKind.CATEGORY: ("kategori", "predikat", "category"),
}
_BY_NAME: Final = {name: kind for kind, names in _KINDS.items() for name in names}

#: What one value of each kind is, in words; ``None`` for kinds whose values of
#: one period add up to its total (counts, amounts, and units ikueval does not
#: know, which are usually quantities). See :func:`adds_up`.
ONE_VALUE: Final[dict[UnitKind, str | None]] = {
    UnitKind.COUNT: None,
    UnitKind.MONEY: None,
    UnitKind.OTHER: None,
    UnitKind.PERCENT: "a percentage",
    UnitKind.SCORE: "a score",
    UnitKind.CATEGORY: "a category",
}
_SYNONYMS: Final = {"persen": "%", "percent": "%", "rp": "rupiah", "idr": "rupiah"}


def unit_kind(unit: str) -> UnitKind:
    """The kind of a unit; ``OTHER`` for units ikueval does not know."""
    return _BY_NAME.get(_canonical(unit), UnitKind.OTHER)


def same_unit(written: str, declared: str) -> bool:
    """Whether a unit written in an event file names the declared unit."""
    return _canonical(written) == _canonical(declared)


def canonical_unit(unit: str) -> str:
    """The name two units share when :func:`same_unit` says they are the same."""
    return _canonical(unit)


def may_be_negative(unit: str) -> bool:
    """Whether a value in this unit may be negative (counts and scores may not)."""
    return unit_kind(unit) not in (UnitKind.COUNT, UnitKind.SCORE)


def adds_up(unit: str) -> bool:
    """Whether two values in this unit for the same period add up to its total.

    Counts and amounts do (11 persons and 25 persons are 36 persons), and so
    do units ikueval does not know (``Ton``, ``Hektar``): it cannot tell, and
    they are usually quantities. Percentages, scores and indices, and
    categories do not: 87.5% twice is not 175%.
    """
    return ONE_VALUE[unit_kind(unit)] is None


def _canonical(unit: str) -> str:
    name = " ".join(unit.casefold().split())
    return _SYNONYMS.get(name, name)
