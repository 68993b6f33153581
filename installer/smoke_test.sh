#!/usr/bin/env bash
# Build the frozen bundle on this machine and run its smoke test (tests/frozen/).
#
#   bash installer/smoke_test.sh            # build + test
#   SKIP_BUILD=1 bash installer/smoke_test.sh   # test the bundle already in dist/
#
# A bare Debian needs, besides what .ci/run installs for Qt: nothing more
# (libegl1 libgl1 libfontconfig1 are in that list); poppler-utils makes the PDF
# font check use pdffonts, xvfb adds the real-X-display start.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
[ -x "$python" ] || python=python3

if ! "$python" -c "import PyInstaller" 2>/dev/null; then
  "$python" -m pip install -q "pyinstaller==6.22.3"
fi

started=$(date +%s)
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  "$python" installer/build.py --no-installer
fi
built=$(date +%s)
echo "bundle: $(du -sh dist/treasurer-app | cut -f1)  (build $((built - started)) s)"

TREASURER_APP_FROZEN_TEST=1 "$python" -m pytest tests/frozen -p no:cacheprovider
echo "build + smoke test: $(( $(date +%s) - started )) s"
