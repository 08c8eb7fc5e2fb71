"""Suggestions for misspelt names ("did you mean ...")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the choice closest to ``word``, or None when none is close."""
    options = sorted(set(choices))
    folded = {choice.casefold(): choice for choice in options}
    if word.casefold() in folded:
        return f"did you mean {folded[word.casefold()]!r}?"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None
