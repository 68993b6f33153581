"""Start Wine's desktop and keep it up for the whole run.

    python desktop.py READY_FILE SECONDS

Run by installer/wine_smoke.sh (in the background, with the Windows CPython) before any program under test.
The first Windows program that needs the desktop window makes Wine start `explorer.exe /desktop`, and that
explorer keeps a copy of the program's stderr for as long as it runs: started by a test's program, it held
the test's pipe open and the test waited for ever. Started here, it holds only this script's output. And
Wine closes a desktop a second after its last other user is gone, so this process stays, as that user,
until SECONDS have passed or the smoke test's cleanup ends it.

Writes "WIDTHxHEIGHT" (the desktop's size, the virtual X screen's when Wine draws on X) to READY_FILE once
the desktop is up.
"""

import ctypes
import sys
import time

SM_CXSCREEN, SM_CYSCREEN = 0, 1


def main() -> int:
    ready, seconds = sys.argv[1], float(sys.argv[2])
    user32 = ctypes.windll.user32
    if not user32.GetDesktopWindow():  # starts explorer.exe /desktop and waits for it
        print("no desktop window", file=sys.stderr)
        return 1
    size = f"{user32.GetSystemMetrics(SM_CXSCREEN)}x{user32.GetSystemMetrics(SM_CYSCREEN)}"
    with open(ready, "w", encoding="utf-8") as out:
        out.write(size + "\n")
    time.sleep(seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
