"""Command-line jobs on project files: backup, restore, key export and key import.

Each ``*_command(args)`` takes an ``argparse.Namespace``, prints Chinese
messages (results on stdout, problems on stderr) and returns the exit code:
0 done, 1 refused or failed. The sub-commands that run them are declared once,
with all the others, in ``treasurer_app.cli.build_parser``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from treasurer_app import privacy
from treasurer_app.store import Store, StoreError, StoreLocked, list_backups, restore_backup

EXIT_OK = 0
EXIT_FAILED = 1
MANUAL_BACKUP_KIND = "manual"  # tagged: thinning never removes a backup the user asked for


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_FAILED


class _NoPassphrase(Exception):
    """No usable passphrase was typed; the message says why, in Chinese."""


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    given = getattr(args, "passphrase", None)
    if given is not None:
        return str(given)
    try:
        first = getpass.getpass("復原密語：")
        if confirm and getpass.getpass("再輸入一次復原密語：") != first:
            raise _NoPassphrase("復原密語兩次輸入不一致")
    except EOFError:  # no terminal to type on (input piped or closed)
        raise _NoPassphrase("沒有輸入復原密語（請在終端機視窗執行並輸入）") from None
    return first


def backup_command(args: argparse.Namespace) -> int:
    """``treasurer-app backup PROJECT [--list] [--backup-dir DIR]``: works while the app has the project open."""
    backup_dir = getattr(args, "backup_dir", None)
    if getattr(args, "list", False):
        return _list_backups(args.project, backup_dir)
    try:
        with Store.open(args.project, read_only=True, backup_dir=backup_dir) as store:
            target = store.backup_now(kind=MANUAL_BACKUP_KIND)
    except (StoreError, privacy.PrivacyError) as problem:
        return _fail(f"備份失敗：{problem}")
    print(f"已備份到：{target}")
    return EXIT_OK


_KIND_LABELS = {"": "自動", MANUAL_BACKUP_KIND: "手動", "before-restore": "還原前", "before-import": "匯入前"}


def _list_backups(project: str, backup_dir: str | None) -> int:
    if not Path(project).exists():
        return _fail(f"列出備份失敗：{project}：找不到專案檔")
    backups = list_backups(project, backup_dir)
    if not backups:
        print(f"{project}：還沒有備份")
        return EXIT_OK
    for backup in backups:
        label = _KIND_LABELS.get(backup.kind, "升級前" if backup.kind.startswith("before-migration") else backup.kind)
        print(f"{backup.taken_at:%Y-%m-%d %H:%M:%S}\t{label}\t{backup.path}")
    return EXIT_OK


def restore_command(args: argparse.Namespace) -> int:
    """``treasurer-app restore PROJECT BACKUP [--break-lock]``."""
    try:
        safety = restore_backup(
            args.backup,
            args.project,
            break_lock=bool(getattr(args, "break_lock", False)),
            backup_dir=getattr(args, "backup_dir", None),
        )
    except StoreLocked as locked:
        hint = "若確定那個程式已經結束，可加上 --break-lock 再試一次。" if locked.stale else "請先關閉正在使用的程式。"
        return _fail(f"還原失敗：{locked}{hint}")
    except (StoreError, privacy.PrivacyError) as problem:
        return _fail(f"還原失敗：{problem}")
    print(f"已從備份還原：{args.project}（來源：{args.backup}）")
    if safety is not None:
        print(f"還原前的內容已另存為：{safety}")
    return EXIT_OK


def key_export_command(args: argparse.Namespace) -> int:
    """``treasurer-app key-export PROJECT [--out FILE]``: the key wrapped under a recovery passphrase."""
    try:
        passphrase = _passphrase(args, confirm=True)
    except _NoPassphrase as problem:
        return _fail(f"匯出金鑰失敗：{problem}")
    try:
        with Store.open(args.project, read_only=True) as store:
            text = store.export_key(passphrase)
    except (StoreError, privacy.PrivacyError) as problem:
        return _fail(f"匯出金鑰失敗：{problem}")
    output = getattr(args, "out", None)
    if output in (None, "-"):
        sys.stdout.write(text)
        return EXIT_OK
    try:
        _write_private(Path(output), text)
    except OSError as exc:
        return _fail(f"匯出金鑰失敗：{output}：無法寫入（{exc.strerror or exc}）")
    print(f"已匯出金鑰備份：{output}。請記住復原密語，並將金鑰備份與專案檔分開保存。")
    return EXIT_OK


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def key_import_command(args: argparse.Namespace) -> int:
    """``treasurer-app key-import PROJECT KEY_FILE``: put an exported key into this PC's credential store."""
    source = getattr(args, "key_file", None)
    try:
        text = sys.stdin.read() if source in (None, "-") else Path(source).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"匯入金鑰失敗：{source}：無法讀取（{getattr(exc, 'strerror', None) or exc}）")
    try:
        passphrase = _passphrase(args, confirm=False)
    except _NoPassphrase as problem:
        return _fail(f"匯入金鑰失敗：{problem}")
    try:
        with Store.open(args.project, read_only=True) as store:
            store.import_key(text, passphrase)
    except (StoreError, privacy.PrivacyError) as problem:
        return _fail(f"匯入金鑰失敗：{problem}")
    print(f"已匯入金鑰：{args.project} 現在可以正常開啟與修改。")
    return EXIT_OK
