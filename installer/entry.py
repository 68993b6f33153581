"""Entry point of both frozen executables: the same `main` as the `treasurer-app` console script.

`treasurer-app(.exe)` is built as a window program (no console on Windows) and
`treasurer-app-cli(.exe)` as a console program; both run this script.
"""

import sys

from treasurer_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
