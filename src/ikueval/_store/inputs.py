"""Checks of what callers give a store: actors, reasons, verification states, entry numbers."""

from __future__ import annotations

import getpass
import re
from collections.abc import Collection, Iterable, Iterator
from typing import Final

from .._errors import UsageError
from .states import DEFAULT_COUNTED, VerificationState

#: The longest actor accepted: a name, an e-mail address or an application's
#: id is far shorter; anything longer is a mistake (a file pasted in).
MAX_ACTOR_LENGTH: Final = 200
#: The longest reason accepted for a correction: a paragraph. The log shows a
#: reason on one line, so it must also be free of line breaks.
MAX_REASON_LENGTH: Final = 2_000
#: The most entries one ``ENTRY`` argument or range may name: far more than a
#: correction needs, and small enough that listing them is instant.
MAX_ENTRIES_PER_CORRECTION: Final = 1_000_000

_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_RANGE: Final = re.compile(r"([0-9]{1,12})(?:-([0-9]{1,12}))?")


def default_actor() -> str:
    """The login name of the person running ikueval, or ``unknown``."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):  # pragma: no cover - no login name at all
        return "unknown"


def check_actor(actor: str) -> str:
    """An actor: who records, one line of text.

    Raises:
        UsageError: an empty, multi-line or overlong actor.
    """
    return _one_line(actor, "actor", MAX_ACTOR_LENGTH, "say who records")


def check_reason(reason: str) -> str:
    """The reason of a correction: required, one line.

    Raises:
        UsageError: an empty, multi-line or overlong reason.
    """
    return _one_line(reason, "reason", MAX_REASON_LENGTH, "say why the entries are corrected")


def _one_line(text: str, what: str, limit: int, purpose: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise UsageError(f"{what}: required: {purpose}")
    if len(text) > limit:
        raise UsageError(f"{what}: {len(text)} characters, more than {limit}")
    if _CONTROL.search(text):
        raise UsageError(f"{what}: one line of text, without line breaks or control characters")
    return text.strip()


def check_state(state: VerificationState | str | None) -> str | None:
    """A verification state as stored (``None``: the event has no state).

    Raises:
        UsageError: a state that is not one of :class:`VerificationState`.
    """
    if state is None or isinstance(state, VerificationState):
        return None if state is None else state.value
    try:
        return VerificationState(state).value
    except ValueError:
        names = ", ".join(s.value for s in VerificationState)
        raise UsageError(f"unknown verification state {state!r}; expected one of {names}") from None


def counted_states(states: Collection[VerificationState | str] | None) -> frozenset[str]:
    """The states whose events count (``None``: :data:`DEFAULT_COUNTED`).

    Raises:
        UsageError: an unknown state.
    """
    chosen = DEFAULT_COUNTED if states is None else states
    return frozenset(check_state(state) or "" for state in chosen) - {""}


def entry_numbers(texts: Iterable[str | int]) -> Iterator[int]:
    """Entry numbers from ``17`` and ranges ``12-40`` (as given, in order).

    Raises:
        UsageError: text that is not a number or a range, or a range too large.
    """
    for text in texts:
        if isinstance(text, int):
            yield text
            continue
        match = _RANGE.fullmatch(text.strip())
        if not match:
            raise UsageError(f"expected an entry number (17) or a range (12-40), found {text!r}")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise UsageError(f"entry range {text!r} ends before it starts")
        if last - first + 1 > MAX_ENTRIES_PER_CORRECTION:
            raise UsageError(
                f"entry range {text!r} names more than {MAX_ENTRIES_PER_CORRECTION} entries"
            )
        yield from range(first, last + 1)
