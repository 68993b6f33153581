"""Qt widgets only.

PySide6-Essentials 6.12.0 (its abi3 wheel) hands None, True and False back to Python without taking a
reference, as if they were immortal, which they are only from Python 3.12 on. On Python 3.11 every void
Qt call and every signal emitted drops a reference to them that nobody took, and after some thousands
the interpreter aborts ("deallocating None") in the middle of the user's typing. Until the binding is
fixed they get here, once, the immortality it assumes: a count no session can use up.
"""

from __future__ import annotations

import sys

SPARE_REFERENCES = 1 << 40


def _pin_singletons() -> None:
    import ctypes

    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value == sys.getrefcount(singleton) - 1:  # the count is where CPython keeps it: safe to add to
            count.value += SPARE_REFERENCES


if sys.version_info < (3, 12):
    _pin_singletons()
