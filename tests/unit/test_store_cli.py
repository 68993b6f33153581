"""backup / restore / key-export / key-import: Chinese messages and exit codes, parsed by the app's own parser."""

from __future__ import annotations

import argparse
import io
import stat
import sys
from pathlib import Path

import pytest

from treasurer_app.cli import build_parser
from treasurer_app.interchange import project_to_dict
from treasurer_app.project import Project, YearBook
from treasurer_app.store import Store
from treasurer_app.store_cli import (
    EXIT_FAILED,
    EXIT_OK,
    backup_command,
    key_export_command,
    key_import_command,
    restore_command,
)

PASSPHRASE = "基隆港工會復原密語"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "union.tap"
    with Store.create(path) as created:
        created.replace_project(Project({114: YearBook(114, roster=[{"name": "王小明", "national_id": "A123456789"}])}))
    return path


def parse(*argv: str) -> argparse.Namespace:
    """The arguments as `treasurer-app` itself reads them (one declaration of the sub-commands)."""
    return build_parser().parse_args(argv)


def test_backup_works_while_the_app_holds_the_project(project_path, capsys):
    with Store.open(project_path) as running:
        args = parse("backup", str(project_path))
        assert args.run(args) == EXIT_OK
        backups = running.list_backups()
    out = capsys.readouterr().out
    assert len(backups) == 1 and backups[0].kind == "manual"
    assert f"已備份到：{backups[0].path}" in out


def test_backup_of_a_missing_file_fails_with_a_message(tmp_path, capsys):
    assert backup_command(parse("backup", str(tmp_path / "none.tap"))) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "備份失敗" in err and "找不到專案檔" in err


def test_restore_puts_the_backup_back_and_keeps_the_present(project_path, capsys):
    with Store.open(project_path) as opened:
        backup = opened.backup_now()
        opened.set_value(114, "application", "union_name", "之後改的")
    assert restore_command(parse("restore", str(project_path), str(backup))) == EXIT_OK
    out = capsys.readouterr().out
    assert "已從備份還原" in out and "還原前的內容已另存為" in out
    with Store.open(project_path) as opened:
        assert "union_name" not in opened.load().years[114].forms["application"]


def test_restore_while_the_app_is_open_is_refused(project_path, capsys):
    with Store.open(project_path) as opened:
        backup = opened.backup_now()
        assert restore_command(parse("restore", str(project_path), str(backup))) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "還原失敗" in err and "使用中" in err and "請先關閉" in err


def test_restore_of_something_that_is_not_a_backup(project_path, tmp_path, capsys):
    junk = tmp_path / "junk.tap"
    junk.write_text("hello", encoding="utf-8")
    assert restore_command(parse("restore", str(project_path), str(junk))) == EXIT_FAILED
    assert "不是本程式的專案檔" in capsys.readouterr().err


def test_key_export_and_import_round_trip(project_path, tmp_path, memory_keyring, capsys):
    key_file = tmp_path / "key.txt"
    args = parse("key-export", str(project_path), "--out", str(key_file))
    args.passphrase = PASSPHRASE
    assert key_export_command(args) == EXIT_OK
    assert "已匯出金鑰備份" in capsys.readouterr().out
    if sys.platform != "win32":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    memory_keyring.entries.clear()

    wrong = parse("key-import", str(project_path), str(key_file))
    wrong.passphrase = "不是這個密語喔喔"
    assert key_import_command(wrong) == EXIT_FAILED
    assert "復原密語：不正確" in capsys.readouterr().err

    right = parse("key-import", str(project_path), str(key_file))
    right.passphrase = PASSPHRASE
    assert key_import_command(right) == EXIT_OK
    assert "已匯入金鑰" in capsys.readouterr().out
    with Store.open(project_path) as opened:
        assert project_to_dict(opened.load())["years"]["114"]["roster"][0]["name"] == "王小明"


def test_key_export_asks_twice_and_refuses_a_mismatch(project_path, monkeypatch, capsys):
    answers = iter(["第一次輸入的密語", "第二次不一樣的密語"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert key_export_command(parse("key-export", str(project_path))) == EXIT_FAILED
    assert "兩次輸入不一致" in capsys.readouterr().err


def test_no_terminal_to_type_the_passphrase_on_is_a_message_not_a_traceback(
    project_path, tmp_path, monkeypatch, capsys
):
    def closed_input(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", closed_input)
    assert key_export_command(parse("key-export", str(project_path))) == EXIT_FAILED
    assert capsys.readouterr().err == "匯出金鑰失敗：沒有輸入復原密語（請在終端機視窗執行並輸入）\n"
    key_file = tmp_path / "key.txt"
    key_file.write_text("-----BEGIN TREASURER-APP KEY-----", encoding="utf-8")
    assert key_import_command(parse("key-import", str(project_path), str(key_file))) == EXIT_FAILED
    assert capsys.readouterr().err == "匯入金鑰失敗：沒有輸入復原密語（請在終端機視窗執行並輸入）\n"


def test_key_export_to_the_screen(project_path, capsys):
    args = parse("key-export", str(project_path))
    args.passphrase = PASSPHRASE
    assert key_export_command(args) == EXIT_OK
    assert "-----BEGIN TREASURER-APP KEY-----" in capsys.readouterr().out


def test_key_export_without_the_key_says_so(project_path, memory_keyring, capsys):
    memory_keyring.entries.clear()
    args = parse("key-export", str(project_path))
    args.passphrase = PASSPHRASE
    assert key_export_command(args) == EXIT_FAILED
    assert "找不到此專案的加密金鑰" in capsys.readouterr().err


def test_key_import_of_an_unreadable_file(project_path, tmp_path, capsys):
    args = parse("key-import", str(project_path), str(tmp_path / "none.txt"))
    args.passphrase = PASSPHRASE
    assert key_import_command(args) == EXIT_FAILED
    assert "無法讀取" in capsys.readouterr().err


def test_backup_list_names_every_backup_with_its_kind(project_path, capsys):
    with Store.open(project_path) as opened:
        opened.backup_now()
        opened.backup_now(kind="before-restore")
    assert backup_command(parse("backup", str(project_path))) == EXIT_OK
    capsys.readouterr()
    assert backup_command(parse("backup", str(project_path), "--list")) == EXIT_OK
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert {line.split("\t")[1] for line in lines} == {"自動", "還原前", "手動"}


def test_backup_list_of_a_missing_project(tmp_path, capsys):
    assert backup_command(parse("backup", str(tmp_path / "none.tap"), "--list")) == EXIT_FAILED
    assert "找不到專案檔" in capsys.readouterr().err


def test_the_documented_options_reach_the_commands(project_path, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "elsewhere"
    args = parse("backup", str(project_path), "--backup-dir", str(folder))
    assert args.run(args) == EXIT_OK
    assert [p.parent for p in folder.iterdir()] == [folder]
    assert f"已備份到：{folder}" in capsys.readouterr().out
    args = parse("key-export", str(project_path))  # no --out: the key is printed
    args.passphrase = PASSPHRASE
    assert args.run(args) == EXIT_OK
    printed = capsys.readouterr().out
    assert "-----BEGIN TREASURER-APP KEY-----" in printed
    monkeypatch.setattr("sys.stdin", io.StringIO(printed))
    args = parse("key-import", str(project_path))  # no file: the key is read from standard input
    args.passphrase = PASSPHRASE
    assert args.run(args) == EXIT_OK
    assert "已匯入金鑰" in capsys.readouterr().out


def test_the_app_cli_parser_reaches_these_commands(project_path, tmp_path, capsys):
    key_file = tmp_path / "key.txt"
    args = build_parser().parse_args(["key-export", str(project_path), "--out", str(key_file)])
    args.passphrase = PASSPHRASE
    assert args.run(args) == EXIT_OK
    args = build_parser().parse_args(["key-import", str(project_path), str(key_file)])
    args.passphrase = PASSPHRASE
    assert args.run(args) == EXIT_OK
    args = build_parser().parse_args(["backup", str(project_path), "--list"])
    assert args.run(args) == EXIT_OK
    assert "還沒有備份" in capsys.readouterr().out
