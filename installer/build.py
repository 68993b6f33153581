"""Build the one-folder bundle dist/treasurer-app/ and, on Windows, the installer.

    python installer/build.py                 # bundle (+ installer on Windows)
    python installer/build.py --no-installer  # bundle only
    python installer/build.py --clean         # drop PyInstaller's cache first
    python installer/build.py --dist D --work W   # elsewhere than dist/ and build/pyinstaller/
    python installer/build.py --installer-only --iscc X:\\ISCC.exe --define Wine   # installer of D's bundle

Steps: check that every run-time dependency has its licence listed
(treasurer_app/about.py), run PyInstaller on installer/treasurer_app.spec (which
writes version_info.txt and the baked treasurer_app._version from pyproject.toml),
print the bundle's size, then on Windows run Inno Setup's ISCC on
installer/treasurer_app.iss with the version, the project file suffix and the
folders passed as /D defines → dist/treasurer-app-setup-{version}.exe.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bundle_support

ROOT = bundle_support.ROOT
SPEC = ROOT / "installer" / "treasurer_app.spec"
ISS = ROOT / "installer" / "treasurer_app.iss"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / bundle_support.BUNDLE_NAME
IS_WINDOWS = sys.platform == "win32"
# Where Inno Setup puts ISCC: per machine (choco, the official installer) or per user.
ISCC_FOLDERS = (
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")),
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")),
    Path(os.environ.get("LOCALAPPDATA", r"C:\Users\Default\AppData\Local")) / "Programs",
)


class BuildError(Exception):
    """A build step that cannot go on; the message is Chinese and says what to do."""


def check_installed_metadata(version: str) -> None:
    """The bundle carries treasurer-app's installed metadata: it must match pyproject.toml."""
    try:
        installed = metadata.version(bundle_support.APP_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise BuildError("treasurer-app 尚未安裝到這個 Python 環境：請先執行 pip install -e .[build]") from None
    if installed != version:
        raise BuildError(
            f"已安裝的 treasurer-app 版本（{installed}）與 pyproject.toml（{version}）不同："
            "請重新執行 pip install -e .[build] 後再打包"
        )


def check_licences() -> None:
    unlisted = bundle_support.unlisted_distributions()
    if unlisted:
        raise BuildError(
            f"授權條款：下列執行時需要的套件不在 treasurer_app/about.py 的 COMPONENTS 裡：{', '.join(unlisted)}"
        )


def run_pyinstaller(clean: bool, dist: Path, work: Path) -> None:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        command.append("--clean")
    command.append(str(SPEC))
    print("+ " + " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("PyInstaller 打包失敗（見上方訊息）")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def find_iscc() -> Path:
    on_path = shutil.which("iscc") or shutil.which("ISCC")
    if on_path:
        return Path(on_path)
    for folder in ISCC_FOLDERS:
        found = sorted(folder.glob("Inno Setup */ISCC.exe"), reverse=True)  # the newest major version first
        if found:
            return found[0]
    raise BuildError("找不到 ISCC.exe：請安裝 Inno Setup 6（choco install innosetup）或加上 --no-installer")


def project_suffix() -> str:
    """The project file extension the installer registers: the store's own constant."""
    from treasurer_app.store import PROJECT_SUFFIX

    return PROJECT_SUFFIX


def iscc_defines(version: str, dist: Path = DIST) -> dict[str, str]:
    numbers = ".".join(str(n) for n in bundle_support.windows_version(version))
    return {
        "AppVersion": version,
        "AppVersionNumeric": numbers,
        "ProjectExt": project_suffix(),
        "BundleDir": str(dist / bundle_support.BUNDLE_NAME),
        "OutputDir": str(dist),
        "RepoRoot": str(ROOT),
    }


def run_iscc(version: str, dist: Path, iscc: Path | None = None, extra_defines: Sequence[str] = ()) -> Path:
    iscc = iscc or find_iscc()
    defines = [f"/D{key}={value}" for key, value in iscc_defines(version, dist).items()]
    defines += [f"/D{name}" for name in extra_defines]
    command = [str(iscc), "/Qp", *defines, str(ISS)]
    print("+ " + " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("Inno Setup 編譯安裝程式失敗（見上方訊息）")
    setup = dist / f"treasurer-app-setup-{version}.exe"
    if not setup.is_file():
        raise BuildError(f"Inno Setup 沒有產生 {setup.name}")
    return setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="打包 treasurer-app（PyInstaller 單一資料夾；Windows 另產生安裝程式）")
    parser.add_argument("--clean", action="store_true", help="先清除 PyInstaller 的快取")
    parser.add_argument("--no-installer", action="store_true", help="只打包，不執行 Inno Setup")
    parser.add_argument("--dist", type=Path, default=DIST, help=f"輸出資料夾（預設 {DIST}）")
    parser.add_argument("--work", type=Path, default=WORK, help=f"PyInstaller 的暫存資料夾（預設 {WORK}）")
    parser.add_argument("--installer-only", action="store_true", help="不重新打包：為輸出資料夾裡的程式產生安裝程式")
    parser.add_argument("--iscc", type=Path, help="Inno Setup 的 ISCC.exe（預設在 PATH 與 Program Files 裡找）")
    parser.add_argument(
        "--define", action="append", default=[], metavar="NAME", help="另外傳給 ISCC 的 /DNAME（例如 Wine）"
    )
    args = parser.parse_args(argv)
    if args.installer_only and args.no_installer:
        parser.error("--installer-only 與 --no-installer 不能同時使用")
    dist, bundle = args.dist.resolve(), args.dist.resolve() / bundle_support.BUNDLE_NAME

    started = time.monotonic()
    version = bundle_support.project_version()
    try:
        if args.installer_only:
            if not (bundle / f"{bundle_support.GUI_EXE}.exe").is_file():
                raise BuildError(f"{bundle} 裡沒有已打包的 Windows 程式：請先不加 --installer-only 打包")
        else:
            check_installed_metadata(version)
            check_licences()
            run_pyinstaller(args.clean, dist, args.work.resolve())
        size = folder_size(bundle)
        print(f"bundle: {bundle}  {size / 1024 / 1024:.1f} MiB  version {version}", flush=True)
        if (IS_WINDOWS and not args.no_installer) or args.installer_only:
            setup = run_iscc(version, dist, args.iscc, args.define)
            print(f"installer: {setup}  {setup.stat().st_size / 1024 / 1024:.1f} MiB", flush=True)
    except BuildError as exc:
        print(f"打包失敗：{exc}", file=sys.stderr)
        return 1
    print(f"build time: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
