"""Read-only mappings: what every mapping of the rule-set model is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, NoReturn, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(dict[K, V]):
    """A read-only mapping: hashable, picklable, equal to a dict with the same items.

    A ``dict`` whose methods that would change it raise ``TypeError``, so that
    reading it (iterating, ``items()``, ``json.dumps``, unstructuring) runs at
    the speed of a dict. Use it where a frozen value holds a mapping
    (:func:`frozen_mapping` is the attrs converter).
    """

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, dict):
            return dict.__eq__(self, other)
        if isinstance(other, Mapping):
            return dict.__eq__(self, dict(other.items()))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __repr__(self) -> str:
        return dict.__repr__(self)

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (dict(self),))

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"a {type(self).__name__} cannot be changed")

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse


def frozen_mapping(value: Mapping[Any, Any] | None) -> Mapping[Any, Any]:
    """A read-only copy of a mapping (attrs converter); a FrozenMap is already one."""
    if type(value) is FrozenMap:
        return value
    if not value:
        return EMPTY_MAP
    return FrozenMap(value)


#: The empty read-only mapping: one object for every empty mapping a frozen value holds
#: (it cannot change), so that the many parts, targets and realisations without
#: dimension values or parameters do not each make one.
EMPTY_MAP: Final[FrozenMap[Any, Any]] = FrozenMap()
