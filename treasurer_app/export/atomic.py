"""Writing so that a failure never leaves a half-written file, nor half a package, under the final names."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
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
        if isinstance(exc, OSError) and exc.filename in (str(temporary), temporary):
            exc.filename = str(target)  # the file the user would have got, not our temporary name
        raise
    return target


class PackageFailed(OSError):
    """A package could not be written whole; nothing of it is in ``target``. ``errno``/``filename``: the cause."""

    def __init__(self, cause: OSError, target: Path) -> None:
        super().__init__(cause.errno, cause.strerror, cause.filename)
        self.target = target


@contextlib.contextmanager
def staged_folder(target: str | Path) -> Iterator[Path]:
    """A hidden folder beside ``target`` to write a package into; its files are moved into ``target`` only
    when the block ends without error, all of them or (a move failing) none, files they replace put back.

    ``target`` is created first (so a path that cannot be a folder is said at once, as an ``OSError``).
    An ``OSError`` while writing or moving comes out as ``PackageFailed`` naming the final file.
    """
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    stage = _make_stage(target)
    try:
        try:
            yield stage
            _move_in(stage, target)
        except OSError as exc:
            name = Path(exc.filename).name if exc.filename else ""
            cause = OSError(exc.errno, exc.strerror, str(target / name) if name else None)
            raise PackageFailed(cause, target) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


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
