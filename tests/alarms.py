"""A wall-clock alarm for tests that run hostile input: a hang fails the test instead of
stalling the run."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

#: A call that takes longer than this is taken for a hang.
HANG_SECONDS = 5.0


class Hang(BaseException):
    """Raised by the alarm when a call runs longer than its time limit.

    A BaseException, so that no ``except Exception`` in the code under test
    swallows it.
    """


@contextlib.contextmanager
def time_limit(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Turn a hang into a ``Hang`` exception (POSIX; elsewhere a no-op).

    The alarm interrupts Python code between two instructions: a single call
    into C that never returns (a regular expression, a huge power) is not
    interrupted. Not reentrant: an inner ``time_limit`` replaces the outer one.
    """
    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"the call ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
