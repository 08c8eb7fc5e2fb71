"""How long and with what seed the fuzz tests run, from the environment.

* ``IKUEVAL_FUZZ_SEED``: the seed (any text; default ``0``). The same seed
  gives the same inputs on every machine.
* ``IKUEVAL_FUZZ_INPUTS``: how many mutated inputs (default 12, or no bound
  when a time budget is given).
* ``IKUEVAL_FUZZ_SECONDS``: a time budget: no new mutated input starts after it.
* ``IKUEVAL_FUZZ_INPUT``: run only this mutated input (to reproduce a failure).
* ``IKUEVAL_FUZZ_EXAMPLES``: how many command lines the argument fuzzer tries
  (default 20).
* ``IKUEVAL_FUZZ_MINIMISE_SECONDS``: time to minimise each failure (default 30).
"""

from __future__ import annotations

import math
import os
import zlib
from typing import Final

SEED: Final = os.environ.get("IKUEVAL_FUZZ_SEED", "0")
_BUDGET: Final = os.environ.get("IKUEVAL_FUZZ_SECONDS")
SECONDS: Final = float(_BUDGET) if _BUDGET else math.inf
INPUTS: Final = int(os.environ.get("IKUEVAL_FUZZ_INPUTS", "-1" if _BUDGET else "12"))
ONLY: Final = os.environ.get("IKUEVAL_FUZZ_INPUT")
EXAMPLES: Final = int(os.environ.get("IKUEVAL_FUZZ_EXAMPLES", "20"))
MINIMISE_SECONDS: Final = float(os.environ.get("IKUEVAL_FUZZ_MINIMISE_SECONDS", "30"))
#: The seed as hypothesis takes it.
HYPOTHESIS_SEED: Final = zlib.crc32(SEED.encode("utf-8"))
