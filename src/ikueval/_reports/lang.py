"""The languages of the words and number formats of every output meant for people."""

from __future__ import annotations

from enum import Enum


class Lang(Enum):
    """A language of the labels and number formats."""

    ID = "id"
    """Indonesian: ``33,64``, ``7.375``, ``Rp 6.948.530.000``."""
    EN = "en"
    """English: ``33.64``, ``7,375``, ``Rp 6,948,530,000``."""
