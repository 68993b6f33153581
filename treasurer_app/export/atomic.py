"""Writing so that a failure never leaves a half-written file, nor half a package, under the final names."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

# Beyond the system's one table (treasurer_app.store.errors.OS_REASONS): an exported file the user may have
# open, in Excel say, refuses to be replaced with "permission denied".
_HELD_OPEN = "，或檔案正在其他程式（例如 Excel）中開啟"


def write_reason(exc: OSError) -> str:
    """Why a file or folder could not be written, in Chinese (the system's own words are English)."""
    # Imported when a write failed only: exporting a project from a .json file does not load the store.
    from treasurer_app.store.errors import os_reason

    reason = os_reason(exc)
    return reason + _HELD_OPEN if exc.errno in (errno.EACCES, errno.EPERM) else reason


def failure_text(exc: OSError) -> str:
    """What failed and where, in Chinese; for a ``PackageFailed``, also what the target folder is left as."""
    if in_temporary_folder(exc):
        where = f"（暫存資料夾 {exc.filename}：匯出時在這裡暫放資料）"
    else:
        where = f"（{exc.filename}）" if exc.filename else ""
    after = ""
    if isinstance(exc, PackageFailed):
        if exc.created and exc.left_behind:  # the folder made for it could not be removed (Explorer holds it)
            after = f"；{exc.target} 原本不存在，匯出時建立的這個資料夾無法移除，但裡面沒有留下任何檔案"
        elif exc.created:
            after = f"；{exc.target} 原本不存在，沒有建立，也沒有留下任何檔案"
        else:
            after = f"；{exc.target} 沒有留下任何新檔案，原有的檔案沒有變動"
    return f"{write_reason(exc)}{where}{after}"


def write_atomically(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write`` with a temporary path beside ``path``, then rename it into place."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        # The file the user would have got, not our temporary name; and a writer's failing write() says no
        # file at all (a full disk, say): it was this one.
        if isinstance(exc, OSError) and exc.filename in (str(temporary), temporary, None):
            exc.filename = str(target)
        raise
    return target


@contextlib.contextmanager
def temporary_folder_named() -> Iterator[None]:
    """An ``OSError`` in the block (working on a file in the system's temporary folder, where a writer keeps
    scratch data) names that folder: a full disk is then said to be its disk, not the target's."""
    try:
        yield
    except OSError as exc:
        folder = tempfile.gettempdir()
        # On Windows a file made there fails with its own name (…\Temp\tmpab12cd), on Linux with the folder's.
        if exc.filename is None or Path(exc.filename).parent == Path(folder):
            exc.filename = folder
        raise


def in_temporary_folder(exc: OSError) -> bool:
    """Whether ``exc`` is a failure of the system's temporary folder (``temporary_folder_named``)."""
    return exc.filename is not None and Path(exc.filename) == Path(tempfile.gettempdir())


class PackageFailed(OSError):
    """A package could not be written whole; nothing of it is in ``target``. ``errno``/``filename``: the cause.
    ``created``: ``target`` did not exist before, and is not left behind (an empty folder is something new)
    unless ``left_behind``: it could not be removed again (empty)."""

    def __init__(self, cause: OSError, target: Path, created: bool = False) -> None:
        super().__init__(cause.errno, cause.strerror, cause.filename)
        self.target = target
        self.created = created
        self.left_behind = False


@contextlib.contextmanager
def staged_folder(target: str | Path) -> Iterator[Path]:
    """A hidden folder beside ``target`` to write a package into; its files are moved into ``target`` only
    when the block ends without error, all of them or (a move failing) none, files they replace put back.

    ``target`` is created first (so a path that cannot be a folder is said at once, as an ``OSError``), and
    removed again, with any folder made for it, when the package fails.
    An ``OSError`` while writing or moving comes out as ``PackageFailed`` naming the final file (or, failing
    outside the package, the folder that failed: the temporary folder, say).
    """
    target = Path(target)
    created = _make_folder(target)
    stage: Path | None = None
    done = False
    try:
        try:
            stage = _make_stage(target)
            yield stage
            _move_in(stage, target)
            done = True
        except OSError as exc:
            raise PackageFailed(_as_final(exc, stage, target), target, bool(created)) from None
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        if not done:
            for folder in reversed(created):  # innermost first; a folder someone put a file into meanwhile stays
                with contextlib.suppress(OSError):
                    folder.rmdir()
            failure = sys.exc_info()[1]
            if isinstance(failure, PackageFailed) and created:
                failure.left_behind = target.exists()


def _make_folder(target: Path) -> list[Path]:
    """Make ``target`` and its missing parents; the folders made, outermost first."""
    missing = []
    for folder in (target, *target.parents):
        if folder.exists():
            break
        missing.append(folder)
    target.mkdir(parents=True, exist_ok=True)
    return missing[::-1]


def _as_final(exc: OSError, stage: Path | None, target: Path) -> OSError:
    """``exc`` naming the file in ``target`` that a file in the staging folder was to become."""
    filename = exc.filename
    if filename is not None and stage is not None and Path(filename).is_relative_to(stage):
        filename = str(target / Path(filename).name)
    return OSError(exc.errno, exc.strerror, filename)


def _make_stage(target: Path) -> Path:
    """Beside ``target``; inside it when the parent is another disk (``target`` is a mount point or a drive
    root) or takes no new folder: moving a file in must be a rename on one disk."""
    prefix = f".{target.name or 'export'}.writing-"
    with contextlib.suppress(OSError):
        if target.parent != target and target.parent.stat().st_dev == target.stat().st_dev:
            return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    return Path(tempfile.mkdtemp(prefix=prefix, dir=target))


def _move_in(stage: Path, target: Path) -> None:
    names = sorted(p.name for p in stage.iterdir() if p.is_file())
    kept = stage / ".replaced"
    kept.mkdir()
    moved: list[str] = []
    replaced: list[str] = []
    try:
        for name in names:
            final = target / name
            if final.is_dir():
                raise IsADirectoryError(errno.EISDIR, "is a folder", str(final))
            if final.exists():
                os.replace(final, kept / name)
                replaced.append(name)
            os.replace(stage / name, final)
            moved.append(name)
    except OSError:
        for name in moved:
            with contextlib.suppress(OSError):
                (target / name).unlink()
        for name in replaced:
            with contextlib.suppress(OSError):
                os.replace(kept / name, target / name)
        raise
