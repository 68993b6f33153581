"""``Value``: an immutable record made of its ``__slots__``, for the declarations read at every start.

What ``@dataclass(frozen=True)`` gave them, without its cost: a dataclass writes and compiles its
``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` when its module
is imported (about 0.5 ms a class, and importing ``dataclasses`` pulls ``inspect``, ``ast`` and ``dis``).
The forms, the ledger and the rules declare some fifty classes, a fifth of every ``treasurer-app check``.

A subclass lists its fields in ``__slots__``, annotates each ``Final[...]`` (the type checker then refuses
any assignment outside ``__init__``: the immutability a frozen dataclass checked at run time) and writes
its ``__init__``. Two values are equal when they are of the same class with equal fields; equal values
hash alike; ``repr`` is ``Name(field=value, …)``. A slot whose name starts with ``_`` holds what the class
works out from its fields (an index by key, say): it is left out of all three.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import ClassVar


def _no_fields(value: object) -> tuple[()]:
    return ()


class Value:
    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()  # the slots of the class and its bases but the ``_`` ones
    # The fields' values, read in C (a field type is hashed on every parse): the one value of a one-field class.
    _values: ClassVar[Callable[[object], object]] = staticmethod(_no_fields)

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        slots = (name for klass in reversed(cls.__mro__) for name in vars(klass).get("__slots__", ()))
        cls._fields = tuple(name for name in slots if not name.startswith("_"))
        cls._values = staticmethod(attrgetter(*cls._fields) if cls._fields else _no_fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Value) or type(other) is not type(self):
            return NotImplemented
        values = type(self)._values
        return bool(values(self) == values(other))

    def __hash__(self) -> int:
        return hash(type(self)._values(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"
