"""Names of a package imported when first used, so that a command loads only what it needs.

``import ikueval`` and ``ikueval evaluate`` load the engine; the reports, the
reconciliation and the ledger store are loaded by the first use of one of
their names. A package lists its lazy names and gets a module ``__getattr__``
(PEP 562) from :func:`lazy_names`; type checkers see the names through an
``if TYPE_CHECKING:`` import of the same names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``names`` (name -> relative module) on first use.

    Args:
        package: the ``__name__`` of the package the names belong to.
        names: each lazy name and the module (relative to ``package``) defining it.
    """

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module, package), name)

    return __getattr__
