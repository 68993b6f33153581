"""Is a file on a network drive? The store opens such a file in a mode SQLite supports there.

SQLite's WAL keeps its index in shared memory (the ``-shm`` file), which only works when every
process using the file runs on one computer; over SMB or NFS two office PCs could both think
they may write. A project on a network drive is therefore kept with a rollback journal and an
exclusive lock: one computer at a time has it open.

* Windows: a UNC path (``\\\\server\\share\\…``) or a drive letter whose type is
  ``DRIVE_REMOTE`` (a mapped network drive), asked of ``GetDriveTypeW``.
* Linux: the file system of the longest mount point holding the path, read from
  ``/proc/self/mounts`` (cifs, smb3, nfs, nfs4, sshfs, 9p…).
* Elsewhere: not detected (local).

``TREASURER_APP_NETWORK_DRIVE=1`` forces the answer yes, ``=0`` no: for tests, and for a share
the detection cannot see (a network file system behind a FUSE mount of an unknown kind).
"""

from __future__ import annotations

import contextlib
import ntpath
import os
import sys
from pathlib import Path

NETWORK_DRIVE_ENV = "TREASURER_APP_NETWORK_DRIVE"
# Linux file system types that live on another computer (as /proc/mounts names them).
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "afs", "ceph", "coda", "ncpfs", "glusterfs",
        "lustre", "gfs2", "ocfs2", "davfs", "fuse.sshfs", "sshfs", "fuse.glusterfs", "fuse.cephfs",
        "fuse.rclone", "fuse.davfs2", "fuse.s3fs", "fuse.smbnetfs",
    }
)  # fmt: skip
_DRIVE_REMOTE = 4  # GetDriveTypeW


def is_network_path(path: str | Path) -> bool:
    """True when ``path`` (a file, existing or about to be created) is on a network drive."""
    forced = os.environ.get(NETWORK_DRIVE_ENV, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    try:
        if sys.platform == "win32":
            return _windows_remote(Path(path))
        if sys.platform.startswith("linux"):
            return _linux_file_system(Path(path)) in NETWORK_FILE_SYSTEMS
    except (OSError, ValueError):
        pass  # a path the system cannot resolve: treated as local, as before this check existed
    return False


# ---------------------------------------------------------------- Windows


def windows_drive_root(path: str) -> str | None:
    r"""The root GetDriveTypeW is asked about, or None when ``path`` is a UNC path (remote in itself).

    ``C:\x`` → ``C:\``; ``\\?\C:\x`` → ``C:\``; ``\\server\share\x`` and ``\\?\UNC\server\share\x`` → None.
    """
    text = path.replace("/", "\\")
    if text.startswith(("\\\\?\\", "\\\\.\\")):
        rest = text[4:]
        if rest[:4].upper() == "UNC\\":
            return None
        text = rest
    elif text.startswith("\\\\"):
        return None
    if len(text) >= 2 and text[1] == ":":
        return text[:2] + "\\"
    return ""  # relative without a drive: the caller makes it absolute first


def _windows_remote(path: Path) -> bool:
    import ctypes

    root = windows_drive_root(ntpath.abspath(str(path)))
    if root is None:
        return True
    if not root:
        return False
    get_drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]  # typeshed: windll on win32 only
    get_drive_type.argtypes = [ctypes.c_wchar_p]
    get_drive_type.restype = ctypes.c_uint
    return int(get_drive_type(root)) == _DRIVE_REMOTE


# ---------------------------------------------------------------- Linux


def _unescape_mount_field(field: str) -> str:
    r"""/proc/mounts writes a space in a mount point as \040, a tab as \011, a backslash as \134."""
    out, i = [], 0
    while i < len(field):
        code = field[i + 1 : i + 4]
        if field[i] == "\\" and len(code) == 3 and all(c in "01234567" for c in code):
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mount_file_system(path: str, mounts: str) -> str | None:
    """The type of the file system holding absolute ``path``, given the text of /proc/mounts."""
    best_point, best_type = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point, fs_type = _unescape_mount_field(fields[1]), fields[2]
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best_point):  # the last of equal mount points is the one in effect
            best_point, best_type = point, fs_type
    return best_type


def _existing(path: Path) -> Path:
    """The path itself, or its nearest existing parent (a project about to be created)."""
    path = path.absolute()
    for candidate in (path, *path.parents):
        with contextlib.suppress(OSError):
            if candidate.exists():
                return candidate.resolve()
    return path


def _linux_file_system(path: Path) -> str | None:
    mounts = Path("/proc/self/mounts")
    if not mounts.exists():
        mounts = Path("/proc/mounts")
    return mount_file_system(str(_existing(path)), mounts.read_text(encoding="utf-8", errors="replace"))
