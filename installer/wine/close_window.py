"""Ask the program's main window to close, as its × button does (WM_CLOSE), and wait until it is gone.

    python close_window.py TITLE_PREFIX [TIMEOUT_SECONDS]

Run by installer/wine_smoke.sh with the Windows CPython in the same Wine prefix as the program (Wine's
taskkill does not find a process started from the Unix side). Exit 0 when a window whose title starts
with TITLE_PREFIX was asked to close and is gone within the timeout, 1 otherwise.
"""

import ctypes
import sys
import time
from ctypes import wintypes

WM_CLOSE = 0x0010
user32 = ctypes.windll.user32
EnumWindowsProc = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)


def windows_titled(prefix: str) -> list[int]:
    found: list[int] = []

    def visit(hwnd: int, _: int) -> bool:
        length = user32.GetWindowTextLengthW(hwnd)
        if length and user32.IsWindowVisible(hwnd):
            buffer = ctypes.create_unicode_buffer(length + 1)
            user32.GetWindowTextW(hwnd, buffer, length + 1)
            if buffer.value.startswith(prefix):
                found.append(hwnd)
        return True

    user32.EnumWindows(EnumWindowsProc(visit), 0)
    return found


def main() -> int:
    prefix = sys.argv[1]
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    targets = windows_titled(prefix)
    if not targets:
        print(f"no visible window titled {prefix}…", file=sys.stderr)
        return 1
    for hwnd in targets:
        user32.PostMessageW(hwnd, WM_CLOSE, 0, 0)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(user32.IsWindow(hwnd) for hwnd in targets):
            return 0
        time.sleep(0.5)
    print(f"the window titled {prefix}… is still open {timeout:.0f} s after WM_CLOSE", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
