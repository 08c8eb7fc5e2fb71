"""How a call is judged: its time limit, the output bound, and the failures the
harness reports (:class:`Failure`), collected for one input in an :class:`Outcome`."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

import ikueval
from conftest import Hang, time_limit
from ikueval import IkuEvalError

from .generate import FuzzInput

T = TypeVar("T")

#: The longest a call may take: one command, or one function of the API. The
#: bundled example takes a tenth of that for every command ...
CALL_SECONDS: Final = 1.0
#: ... plus this much per MiB of input: files are read and checked at about a
#: second per MiB (docs/limits.md), and a mutation may make a file of 2 MiB.
SECONDS_PER_MIB: Final = 1.0
#: A slow call is run again (at most this many times) when the process had
#: less than half of the processor meanwhile: a busy machine is not a slow input.
RETRIES: Final = 2
#: The output bound (docs/limits.md, "Output"): this many bytes per byte of
#: input, each file's name counted once per line of the file ... (the JSON of an
#: evaluation writes each row's dimensions, names and values, as an indented
#: object in the trail of each span: up to about 100 bytes per byte of a row
#: with many dimensions of the longest names allowed) ...
OUTPUT_PER_INPUT_BYTE: Final = 128
#: ... plus this much, whatever the input (the headings, the notes and the
#: labels of an evaluation without data).
OUTPUT_FIXED: Final = 64 * 1024

_SOURCE: Final = str(Path(ikueval.__file__).parent)


def time_bound(fuzz: FuzzInput) -> float:
    """The longest one call may take on ``fuzz``: a second, and a second per MiB of its files."""
    size = sum(len(content) for content in fuzz.files.values())
    return CALL_SECONDS + SECONDS_PER_MIB * size / 1024**2


def output_bound(size: int) -> int:
    """The most bytes any output may have, for an input of ``size`` bytes (``FuzzInput.size``)."""
    return OUTPUT_FIXED + OUTPUT_PER_INPUT_BYTE * size


@dataclass(frozen=True)
class Failure:
    """Something the harness does not accept.

    Args:
        kind: ``exception``, ``hang``, ``slow``, ``exit``, ``traceback``,
            ``output``, ``replay`` or ``disagree``.
        where: the command (``ikueval evaluate --format json``) or the
            function (``read_events``).
        signature: what every failure of the same bug shares: the kind, the
            exception and the innermost function of ikueval it came from.
        detail: the traceback, or what was expected and found.
    """

    kind: str
    where: str
    signature: str
    detail: str = field(compare=False)

    def __str__(self) -> str:
        return f"{self.signature} ({self.where})\n{self.detail}"


@dataclass
class Outcome:
    """What one input gave: its failures, and the API's results for the command line to match."""

    failures: list[Failure] = field(default_factory=list)
    #: per command name, the (exit code, standard output) the API's results predict
    expected: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    #: how often a slow call is tried again (not while minimising: a hang is expected there)
    retries: int = RETRIES

    @property
    def stalled(self) -> bool:
        """A call hung or was slow: the rest of the input is not run (each would take as long)."""
        return any(f.kind in ("hang", "slow") for f in self.failures)


def _where_in_ikueval(tb: Any) -> str:
    """``module.py:function`` of the innermost frame in ikueval, or of the innermost frame."""
    frames = traceback.extract_tb(tb)
    inside = [f for f in frames if f.filename.startswith(_SOURCE)]
    frame = (inside or frames or [None])[-1]
    if frame is None:
        return "?"
    name = Path(frame.filename)
    module = name.relative_to(_SOURCE).as_posix() if inside else name.name
    return f"{module}:{frame.name}"


def _exception_failure(where: str, exc: BaseException) -> Failure:
    at = _where_in_ikueval(exc.__traceback__)
    text = "".join(traceback.format_exception(exc))
    if isinstance(exc, Hang):  # the module is the bug, the function only where the alarm rang
        return Failure("hang", where, f"hang in {at.split(':')[0]}", text)
    return Failure("exception", where, f"{type(exc).__name__} in {at}", text)


def timed(
    where: str, call: Callable[[], T], seconds: float = CALL_SECONDS, retries: int = RETRIES
) -> tuple[T | IkuEvalError | None, Failure | None]:
    """Run ``call`` within the time limit: its result, or the IkuEvalError it raised.

    Any other exception, a hang or a run over the limit is a Failure (and the
    result None). A run over the limit is tried again when the machine, not the
    call, was slow.
    """
    for attempt in range(retries + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            with time_limit(seconds):
                result: T | IkuEvalError = call()
        except IkuEvalError as exc:
            result = exc
        except Hang as exc:
            if _starved(wall, cpu) and attempt < retries:
                continue
            return None, _exception_failure(where, exc)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            return None, _exception_failure(where, exc)
        took = time.perf_counter() - wall
        if took <= seconds:
            return result, None
        if not _starved(wall, cpu) or attempt == retries:
            return None, Failure("slow", where, f"slow: {where}", f"took {took:.2f} s")
    raise AssertionError("unreachable")  # pragma: no cover


def _starved(wall: float, cpu: float) -> bool:
    return (time.process_time() - cpu) < 0.5 * (time.perf_counter() - wall)


def size_of(text: str) -> int:
    return len(text.encode("utf-8", errors="surrogatepass"))


def check_size(outcome: Outcome, where: str, text: str, bound: int) -> None:
    if size_of(text) > bound:
        outcome.failures.append(
            Failure("output", where, f"output: {where}", f"{size_of(text)} bytes, bound {bound}")
        )


def first_difference(a: str, b: str) -> str:
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = max(0, at - 80)
    return f"at character {at}: {a[start : at + 80]!r}\nversus {b[start : at + 80]!r}"
