"""Every bound ikueval puts on its input, by name (``docs/limits.md``).

ikueval is embedded in applications that accept rule files, event files and
published figures from their users. No input may make it hang, allocate
without bound, or fail with anything but an :class:`~ikueval.IkuEvalError`.
Each bound below is enforced where it applies (the module that enforces it
keeps its own name for it); ``docs/limits.md`` gives, for each, its value and
the error an input over it gets. These are read-only facts for applications
(to check an upload before handing it over, or to size a form); changing them
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ._conflicts import MAX_CONFLICTS_REPORTED, MAX_REPEATS_REPORTED
from ._decimals import (
    DIVISION_DIGITS,
    MAX_DECIMALS,
    MAX_MAGNITUDE,
    ROOT_WORKING_DIGITS,
    SUM_DIGITS,
)
from ._duplicates import MAX_VALUES_COMPARED
from ._errors import MAX_ECHO
from ._formula_functions import FUNCTIONS, MAX_ROOT_DEGREE, ROOT_DIGITS
from ._formula_functions import MAX_EXPONENT as MAX_POWER_EXPONENT
from ._formula_syntax import (
    MAX_CONSTANT_EXPONENT,
    MAX_CONSTANT_PLACES,
    MAX_ROUND_PLACES,
)
from ._formula_syntax import MAX_DEPTH as MAX_FORMULA_DEPTH
from ._formula_syntax import MAX_LENGTH as MAX_FORMULA_LENGTH
from ._formula_syntax import MAX_NODES as MAX_FORMULA_NODES
from ._formulas import MAX_PLACES as MAX_FORMULA_PLACES
from ._formulas import MAX_RESULT as MAX_FORMULA_RESULT
from ._formulas import MAX_RESULT_CHARACTERS as MAX_FORMULA_RESULT_CHARACTERS
from ._formulas import MAX_VALUE_EXPONENT, MIN_VALUE_EXPONENT
from ._ledger import MAX_CHANGED_SERIES
from ._loading.composite_checks import MAX_CYCLE_SHOWN
from ._loading.csv_events import MAX_CELL_CHARS, MAX_COLUMNS
from ._loading.declaration_checks import MAX_DIMENSION_NAME_CHARS
from ._loading.declaration_checks import MAX_PLACES as MAX_ROUNDING_PLACES
from ._loading.event_rows import MAX_PROBLEMS_PER_FILE
from ._loading.fast_rows import MAX_CACHED as MAX_CACHED_ROW_TEXTS
from ._loading.fast_rows import MAX_CACHED_TEXT as MAX_CACHED_ROW_TEXT_CHARS
from ._loading.files import CHUNK_BYTES as READ_CHUNK_BYTES
from ._loading.files import (
    MAX_CSV_FILE_BYTES,
    MAX_CSV_LINES,
    MAX_JSON_FILE_BYTES,
    MAX_LINE_BYTES,
    MAX_PUBLISHED_FILE_BYTES,
    MAX_RULE_FILE_BYTES,
)
from ._loading.json_events import (
    MAX_JSON_DEPTH,
    MAX_JSON_NUMBER_CHARS,
    MAX_JSON_STRING_CHARS,
    MAX_JSON_VALUES,
)
from ._loading.known_names import MAX_HINT_COMPARISONS
from ._loading.parallel import MAX_WORKERS
from ._loading.published import MAX_COMPARED, MAX_SUGGESTED_LENGTH
from ._loading.repeated_rows import MAX_REPEATED_ROWS_REPORTED
from ._loading.toml_positions import MAX_PATH_LENGTH
from ._loading.toml_text import MAX_NESTING
from ._overlaps import MAX_BREAKDOWNS
from ._part_sources import MAX_RANGES_PER_FILE, MAX_REFS_PER_PART
from ._periods import MAX_YEAR, MIN_YEAR
from ._reconcile.contradictions import MAX_NAMED, MAX_NAMED_CHARS
from ._reconcile.verdicts import MAX_CHANGES
from ._reports.text import MAX_PADDED_WIDTH
from ._rollup_methods import MAX_MEMBERS
from ._sources import MAX_LINES_LISTED, MAX_REFS_PER_CELL
from ._store.appending import APPEND_CHUNK, MAX_ID_PROBLEMS
from ._store.checks import MAX_SUBJECTS_NAMED
from ._store.corrections import MAX_ENTRY_PROBLEMS
from ._store.diff import MAX_CAUSES_SHOWN
from ._store.inputs import MAX_ACTOR_LENGTH, MAX_ENTRIES_PER_CORRECTION, MAX_REASON_LENGTH
from ._store.moments import MAX_MOMENT_LENGTH
from ._store.sqlite import BUSY_TIMEOUT_SECONDS, MAX_CACHED_RULE_VERSIONS

#: The functions a formula may call (a whitelist), each with its fewest and most
#: arguments: ``min`` and ``max`` take 2 to 16.
FORMULA_FUNCTIONS: Final[Mapping[str, tuple[int, int]]] = {
    name: (fewest, most) for name, (_, fewest, most) in sorted(FUNCTIONS.items())
}

__all__ = [
    "APPEND_CHUNK",
    "BUSY_TIMEOUT_SECONDS",
    "DIVISION_DIGITS",
    "FORMULA_FUNCTIONS",
    "MAX_ACTOR_LENGTH",
    "MAX_BREAKDOWNS",
    "MAX_CACHED_ROW_TEXTS",
    "MAX_CACHED_ROW_TEXT_CHARS",
    "MAX_CACHED_RULE_VERSIONS",
    "MAX_CAUSES_SHOWN",
    "MAX_CELL_CHARS",
    "MAX_CHANGED_SERIES",
    "MAX_CHANGES",
    "MAX_COLUMNS",
    "MAX_COMPARED",
    "MAX_CONFLICTS_REPORTED",
    "MAX_CONSTANT_EXPONENT",
    "MAX_CONSTANT_PLACES",
    "MAX_CSV_FILE_BYTES",
    "MAX_CSV_LINES",
    "MAX_CYCLE_SHOWN",
    "MAX_DECIMALS",
    "MAX_DIMENSION_NAME_CHARS",
    "MAX_ECHO",
    "MAX_ENTRIES_PER_CORRECTION",
    "MAX_ENTRY_PROBLEMS",
    "MAX_FORMULA_DEPTH",
    "MAX_FORMULA_LENGTH",
    "MAX_FORMULA_NODES",
    "MAX_FORMULA_PLACES",
    "MAX_FORMULA_RESULT",
    "MAX_FORMULA_RESULT_CHARACTERS",
    "MAX_HINT_COMPARISONS",
    "MAX_ID_PROBLEMS",
    "MAX_JSON_DEPTH",
    "MAX_JSON_FILE_BYTES",
    "MAX_JSON_NUMBER_CHARS",
    "MAX_JSON_STRING_CHARS",
    "MAX_JSON_VALUES",
    "MAX_LINES_LISTED",
    "MAX_LINE_BYTES",
    "MAX_MAGNITUDE",
    "MAX_MEMBERS",
    "MAX_MOMENT_LENGTH",
    "MAX_NAMED",
    "MAX_NAMED_CHARS",
    "MAX_NESTING",
    "MAX_PADDED_WIDTH",
    "MAX_PATH_LENGTH",
    "MAX_POWER_EXPONENT",
    "MAX_PROBLEMS_PER_FILE",
    "MAX_PUBLISHED_FILE_BYTES",
    "MAX_RANGES_PER_FILE",
    "MAX_REASON_LENGTH",
    "MAX_REFS_PER_CELL",
    "MAX_REFS_PER_PART",
    "MAX_REPEATED_ROWS_REPORTED",
    "MAX_REPEATS_REPORTED",
    "MAX_ROOT_DEGREE",
    "MAX_ROUNDING_PLACES",
    "MAX_ROUND_PLACES",
    "MAX_RULE_FILE_BYTES",
    "MAX_SUBJECTS_NAMED",
    "MAX_SUGGESTED_LENGTH",
    "MAX_VALUES_COMPARED",
    "MAX_VALUE_EXPONENT",
    "MAX_WORKERS",
    "MAX_YEAR",
    "MIN_VALUE_EXPONENT",
    "MIN_YEAR",
    "READ_CHUNK_BYTES",
    "ROOT_DIGITS",
    "ROOT_WORKING_DIGITS",
    "SUM_DIGITS",
]
