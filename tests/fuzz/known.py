"""Failures the fuzzer found that are being fixed elsewhere, with their reproducers.

Each :class:`Known` failure is tolerated by the fuzz run (counted and printed,
not failed), and only it, so that CI stays green until its fix is merged; its
reproducer runs in ``test_found.py`` as a strict ``xfail``. When the fix is
merged, that test passes, which fails the suite (strict): delete the entry
here, and the reproducer becomes a plain regression test by moving it to
:data:`fuzz.test_found.FIXED`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .oracle import Failure


@dataclass(frozen=True)
class Known:
    """A failure being fixed elsewhere.

    Args:
        name: the reproducer's test id.
        signature: a regular expression the failure's signature matches
            (``hang in loading/toml_positions.py``).
        reason: the bug, and who fixes it.
        scenario: the scenario the reproducer starts from.
        files: the reproducer's files, in place of the scenario's.
    """

    name: str
    signature: str
    reason: str
    scenario: str
    files: Mapping[str, bytes] = field(default_factory=dict)

    def matches(self, failure: Failure) -> bool:
        """Whether ``failure`` is this bug."""
        return re.fullmatch(self.signature, failure.signature) is not None


KNOWN: tuple[Known, ...] = ()


def known(failure: Failure) -> Known | None:
    """The known bug ``failure`` is, if any."""
    return next((k for k in KNOWN if k.matches(failure)), None)
