"""Soak: 1,000 SIGKILLs of a process editing the project store, each followed by a full check;
then a disk-full phase: children editing as the window does, the disk full for stretches of edits.

Every edit a child acknowledged ("committed N", sent after the commit returned)
must be in the file, at most one more, never half an edit, and the file must
pass ``PRAGMA integrity_check`` (see ``tests/store_support.py``). In the disk-full
phase every edit must be in the file or have been shown unsaved: 0 lost silently.

Run: ``python benchmarks/soak_store_kill.py [--kills 1000] [--disk-full-kills 300] [--seed N] [--dir FOLDER]
[--full-disk-dir FOLDER]``. With ``--full-disk-dir`` (a folder on a small disk of its own, e.g. a 16 MiB
``mount -t tmpfs -o size=16m tmpfs FOLDER``) the disk is really filled (ENOSPC); without it SQLite's
``max_page_count`` makes SQLite itself answer SQLITE_FULL, on any machine.
The keys live in an in-memory keyring; the real OS keyring is never touched.
Exit code 0 when every check held.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="where to put the project (default: a temporary folder)")
    parser.add_argument("--disk-full-kills", type=int, default=300)
    parser.add_argument("--full-disk-dir", type=Path, help="a folder on a small disk of its own, really filled")
    args = parser.parse_args()

    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # children never reach a real keyring
    import keyring

    from tests.memory_keyring import MemoryKeyring
    from tests.store_support import build_crash_project, keys_for_child, run_disk_full_soak, run_kill_soak

    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "soak.tap"
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        build_crash_project(path)
        result = run_kill_soak(path, kills=args.kills, seed=args.seed, keys=keys_for_child(backend))
    print(f"kills\t{result.kills}")
    print(f"edits committed and verified\t{result.edits}")
    print(f"killed before the first acknowledgement\t{result.early_kills}")
    print(f"stale locks recognised and broken\t{result.stale_locks_broken}")
    print(f"backups opened and checked\t{result.backups_checked}")
    print(f"seconds\t{result.seconds:.1f}\t({result.seconds / result.kills * 1000:.0f} ms per kill)")
    if args.disk_full_kills:
        with tempfile.TemporaryDirectory() as scratch:
            folder = args.full_disk_dir or Path(scratch)
            mode = "ballast" if args.full_disk_dir else "pages"
            path = folder / "soak-full.tap"
            for leftover in folder.glob("soak-full.tap*"):
                leftover.unlink()
            build_crash_project(path)
            full = run_disk_full_soak(
                path, kills=args.disk_full_kills, seed=args.seed, keys=keys_for_child(backend), mode=mode
            )
        how = "a real full disk (ENOSPC)" if mode == "ballast" else "SQLite's own SQLITE_FULL (max_page_count)"
        print(f"disk-full phase\t{how}")
        print(f"kills\t{full.kills}")
        print(f"edits made\t{full.edits}")
        print(f"edits refused by the full disk, each shown unsaved\t{full.refused}")
        print(f"of those, written by a later save once space was freed\t{full.saved_on_retry}")
        print(f"of those, still shown unsaved when the process was killed\t{full.unsaved_at_kill}")
        print(f"edits lost silently\t{full.lost_silently}")
        print(f"seconds\t{full.seconds:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
