"""The event ids of the files read together, and where each was first seen.

Two events with the same id in the files read together are refused, naming
where the id was first seen. A million ids in a ``dict`` take some 140 MB
(a text object, an int object and an entry each); :class:`IdIndex` keeps them
in flat arrays instead, about 55 bytes an id: the ids' UTF-8 bytes one after
another, where each starts and where it was seen, and an open-addressing
table of their hashes. The answer is exact: ids whose hashes agree are
compared byte for byte.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Final

#: Slots of the table at first (a power of two); it grows fourfold when half full.
_FIRST_SLOTS: Final = 1 << 12
_HASH_BITS: Final = (1 << 63) - 1


class IdIndex:
    """Ids seen, each with where it was first seen (a packed file line, or a text)."""

    __slots__ = ("_ends", "_entries", "_hashes", "_mask", "_places", "_texts", "_words")

    def __init__(self) -> None:
        self._texts = bytearray()
        self._ends = array("q")
        """Where each id's bytes end in ``_texts`` (the next one starts there)."""
        self._places = array("q")
        """Where each id was first seen: a packed line, or ``-1 - n`` for ``_words[n]``."""
        self._words: list[str] = []
        self._hashes = array("q", bytes(8 * _FIRST_SLOTS))
        self._entries = array("i", bytes(4 * _FIRST_SLOTS))
        """Per slot: 0 for a free slot, else the id's number plus one."""
        self._mask = _FIRST_SLOTS - 1

    def __len__(self) -> int:
        return len(self._ends)

    def seen(self, ident: str, place: int | str) -> int | str | None:
        """Where ``ident`` was first seen; None, after noting it at ``place``, if never."""
        code = hash(ident) & _HASH_BITS or 1
        entries, mask = self._entries, self._mask
        slot = code & mask
        data = ident.encode("utf-8", "surrogatepass")
        entry = entries[slot]
        while entry:
            if self._hashes[slot] == code:
                number = entry - 1
                ends = self._ends
                if self._texts[(ends[number - 1] if number else 0) : ends[number]] == data:
                    return self._place(number)
            slot = (slot + 1) & mask
            entry = entries[slot]
        texts = self._texts
        texts += data
        self._ends.append(len(texts))
        if isinstance(place, str):
            self._places.append(-1 - len(self._words))
            self._words.append(place)
        else:
            self._places.append(place)
        self._hashes[slot] = code
        count = len(self._ends)
        entries[slot] = count
        if 2 * count > mask:
            self._grow()
        return None

    def encoded(self) -> Iterator[bytes]:
        """The ids as UTF-8, in the order they were first seen."""
        texts, start = self._texts, 0
        for end in self._ends:
            yield bytes(texts[start:end])
            start = end

    def _place(self, number: int) -> int | str:
        place = self._places[number]
        return self._words[-1 - place] if place < 0 else place

    def _grow(self) -> None:
        """Four times the slots, every id placed again (each id moves a third of a time)."""
        size = 4 * (self._mask + 1)
        hashes = array("q", bytes(8 * size))
        entries = array("i", bytes(4 * size))
        mask = size - 1
        for code, entry in zip(self._hashes, self._entries, strict=True):
            if entry:
                slot = code & mask
                while entries[slot]:
                    slot = (slot + 1) & mask
                hashes[slot] = code
                entries[slot] = entry
        self._hashes, self._entries, self._mask = hashes, entries, mask
