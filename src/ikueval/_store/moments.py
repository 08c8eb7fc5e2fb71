"""Moments of a ledger store: when an entry was recorded, and how a moment is written.

Every batch of a store is stamped with the moment it was recorded, in UTC, to
the second, written ``2025-07-15T09:30:00Z``. Text in that form sorts in time
order, which is how the store keeps and compares it. The clock is injectable
(:data:`Clock`), so that tests and scripted histories can record at chosen
moments; the store never lets a moment go back before the previous batch's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Final

from .._errors import Problem, UsageError

#: A function returning the current moment (an aware datetime).
Clock = Callable[[], datetime]

#: How moments are stored and shown: UTC, to the second.
MOMENT_FORMAT: Final = "%Y-%m-%dT%H:%M:%SZ"

#: The longest moment text read (``2025-07-15T09:30:00.123456+07:00`` is 32
#: characters): anything longer is not a moment, and is refused unread.
MAX_MOMENT_LENGTH: Final = 40

MOMENT_SYNTAX: Final = (
    "a date 2025-07-15 (the end of that day, UTC) or a time with its zone, "
    "2025-07-15T09:30:00Z or 2025-07-15T16:30:00+07:00"
)

_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?"
)


def system_clock() -> datetime:
    """The current moment, from the system clock."""
    return datetime.now(UTC)


def moment_text(moment: datetime) -> str:
    """A moment as the store writes it: UTC, to the second.

    Raises:
        UsageError: for a datetime without a time zone.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise UsageError(f"{moment.isoformat()}: a moment needs a time zone (use UTC)")
    return moment.astimezone(UTC).strftime(MOMENT_FORMAT)


def parse_moment(text: str, *, what: str = "--as-of") -> datetime:
    """Read a moment: a date (the end of that day, UTC) or a time with its zone.

    Args:
        text: ``2025-07-15``, ``2025-07-15T09:30:00Z`` or ``2025-07-15T16:30:00+07:00``.
        what: the option or field the text was given in, for the message.

    Raises:
        UsageError: for anything else, and for a time without a zone (whose
            moment would depend on the machine's clock settings).
    """
    written = text.strip()
    if len(written) > MAX_MOMENT_LENGTH:
        raise UsageError(f"{what}: expected {MOMENT_SYNTAX}, found {len(written)} characters")
    try:
        if _DATE.fullmatch(written):
            day = date.fromisoformat(written)
            return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
        match = _DATETIME.fullmatch(written)
        if match:
            if match.group("zone") is None:
                raise UsageError(
                    Problem(
                        f"{what}: {written!r} has no time zone",
                        hint=f"add Z for UTC or +07:00 for WIB: {written}Z",
                    )
                )
            return datetime.fromisoformat(written.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError as exc:
        raise UsageError(f"{what}: {written!r} is not a valid moment ({exc})") from None
    raise UsageError(f"{what}: expected {MOMENT_SYNTAX}, found {written!r}")


def as_moment(value: datetime | str, *, what: str = "moment") -> str:
    """The stored text of a moment given as a datetime or as text (see :func:`parse_moment`).

    Raises:
        UsageError: for text that is not a moment, or a datetime without a zone.
    """
    if isinstance(value, str):
        value = parse_moment(value, what=what)
    return moment_text(value)
