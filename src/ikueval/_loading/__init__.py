"""Loading: rule sets from TOML and events from CSV and JSON files.

This is the only part of ikueval that reads files; the engine works on the
values these functions return.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_names
from .built_rules import check_ruleset
from .events import event_files, read_events
from .ingest import read_ledger
from .rules import (
    RuleReport,
    dumps_rules,
    inspect_rule_file,
    inspect_rules,
    load_rules,
    loads_rules,
)

if TYPE_CHECKING:
    from .published import PublicationError, load_publication, loads_publication

__getattr__ = lazy_names(
    __name__,
    dict.fromkeys(("PublicationError", "load_publication", "loads_publication"), ".published"),
)

__all__ = [
    "PublicationError",
    "RuleReport",
    "check_ruleset",
    "dumps_rules",
    "event_files",
    "inspect_rule_file",
    "inspect_rules",
    "load_publication",
    "load_rules",
    "loads_publication",
    "loads_rules",
    "read_events",
    "read_ledger",
]
