"""Where the start-up of ``ikueval evaluate`` on the bundled example goes, in one process.

Run by ``python benchmarks/profiling.py --mode startup`` (which runs it several
times, each in a fresh interpreter, and prints the medians); alone it prints
one JSON line of milliseconds:

* ``dependencies``: ``import attrs, cattrs, simpleeval, tomli_w``;
* ``import``: importing the command line (``ikueval._cli``), all of the
  engine it needs;
* ``first_run`` and ``warm_run``: ``main()`` on the example, then again in the
  same process (what is left when nothing is imported or generated any more:
  reading the rules and the events, evaluating, writing the table);
* ``attrs_classes``: attrs building the classes of ikueval as their modules
  are imported (``attrs.define`` and ``attrs.frozen``: collecting the fields,
  generating and compiling ``__init__``, ``__repr__``, ``__eq__`` and
  ``__hash__``, making the slotted class);
* ``cattrs_structuring``: cattrs generating and compiling the functions that
  structure the rule set's classes (on the first run only);
* ``regex_compiling``: compiling regular expressions (ikueval's and the
  standard library's, at import and on the first run).

The three pieces are timed by wrapping the functions that do them
(``attr._next_gen.attrs``, cattrs' ``make_dict_structure_fn`` as ikueval calls it,
``re._compiler.compile``): private names of those libraries, which is why this
is a benchmark script and not a test. The wrappers cost a few microseconds
each, counted in the pieces.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARGUMENTS = [
    "evaluate",
    str(ROOT / "rules" / "bp3mi-jateng-2025.toml"),
    str(ROOT / "examples" / "bp3mi-jateng-2025"),
    "--period",
    "2025-Q2",
    "-o",
    "/dev/null",
]


def timed(owner: Any, name: str, spent: dict[str, float], piece: str) -> None:
    """Replace ``owner.name`` by a wrapper adding its outermost calls' time to ``spent``."""
    original: Callable[..., Any] = getattr(owner, name)
    depth = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if depth[0]:
            return original(*args, **kwargs)
        depth[0] = 1
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[piece] = spent.get(piece, 0.0) + time.perf_counter() - start
            depth[0] = 0

    setattr(owner, name, wrapper)


def main() -> None:
    start = time.perf_counter()
    import attrs  # noqa: F401
    import cattrs  # noqa: F401
    import simpleeval  # noqa: F401
    import tomli_w  # noqa: F401

    dependencies = time.perf_counter() - start
    import re._compiler

    import attr._next_gen

    spent: dict[str, float] = {}
    timed(attr._next_gen, "attrs", spent, "attrs_classes")
    timed(re._compiler, "compile", spent, "regex_compiling")
    start = time.perf_counter()
    import ikueval._cli
    import ikueval._converters

    imported = time.perf_counter() - start
    timed(ikueval._converters, "make_dict_structure_fn", spent, "cattrs_structuring")
    runs = []
    for _ in range(2):
        start = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):  # the example's rule-set warning
            code = ikueval._cli.main(ARGUMENTS)
        runs.append(time.perf_counter() - start)
        if code != 0:
            raise SystemExit(f"ikueval evaluate exited with {code}")
    found = {
        "dependencies": dependencies,
        "import": imported,
        "first_run": runs[0],
        "warm_run": runs[1],
        **spent,
    }
    print(json.dumps({key: round(value * 1000, 2) for key, value in found.items()}))


if __name__ == "__main__":
    sys.exit(main())
