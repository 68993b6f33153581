"""Files that are not what the window asked for, given to 檔案 → 開啟專案檔…, 匯入交換檔… and the roster's
從活頁簿匯入…: each is refused with a Chinese message naming the file and what is wrong with it, and the
open project stays exactly as it was (same file, same data, same undo history).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from treasurer_app import APP_NAME, store
from treasurer_app.interchange import dumps, project_to_dict
from treasurer_app.ui.services import load_sample


@dataclass
class Dialogs:
    """QMessageBox and QFileDialog as a test answers them: what was said, and which file was "chosen"."""

    chosen: Path = Path()
    said: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, title, text)
    button: str = "取消"  # the button clicked in a message box with buttons of its own

    def texts(self, kind: str) -> list[str]:
        return [text for said_kind, _title, text in self.said if said_kind == kind]


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    answers = Dialogs()

    def static(kind: str, reply: object) -> Callable[..., object]:
        def dialog(parent: object, title: str, text: str, *rest: object) -> object:
            answers.said.append((kind, title, text))
            return reply

        return staticmethod(dialog)  # type: ignore[return-value]

    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, static(kind, QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", static("question", QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(answers.chosen), "")))

    def exec_box(box: QMessageBox) -> int:
        answers.said.append(("box", box.windowTitle(), box.text()))
        buttons = [b for b in box.buttons() if b.text() == answers.button]
        assert buttons, [b.text() for b in box.buttons()]
        buttons[0].click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return answers


def sample_tap(path: Path) -> Path:
    with store.Store.create(path) as created:
        created.replace_project(load_sample())
    return path


def make_bad_files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    good = sample_tap(folder / "good.tap")
    data = good.read_bytes()
    files = {
        "text": folder / "notes.tap",
        "truncated": folder / "truncated.tap",
        "newer": folder / "newer.tap",
        "read-only": folder / "readonly.tap",
        "empty": folder / "empty.tap",
        "other json": folder / "other.json",
        "json list": folder / "list.json",
        "bad xls": folder / "bad.xls",
        "bad xlsx": folder / "bad.xlsx",
        "folder": folder / "folder.tap",
        "missing": folder / "missing.tap",
    }
    files["text"].write_text("會員名單：王小明、李小華\n", encoding="utf-8")
    files["truncated"].write_bytes(data[: len(data) // 3])  # a copy or download cut short
    shutil.copy(good, files["newer"])
    with sqlite3.connect(files["newer"]) as newer:
        newer.execute("PRAGMA user_version = 99")  # written by a later version of the program
    shutil.copy(good, files["read-only"])
    os.chmod(files["read-only"], 0o444)
    files["empty"].write_bytes(b"")
    files["other json"].write_text('{"format": "someone-else", "version": 1, "years": {}}', encoding="utf-8")
    files["json list"].write_text("[1, 2, 3]", encoding="utf-8")
    files["bad xls"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00garbage" * 64)  # OLE header, no body
    files["bad xlsx"].write_bytes(b"PK\x03\x04" + b"garbage" * 64)  # a zip cut short
    files["folder"].mkdir()
    return files


# What each entry point says about each file: the file's name and the reason.
OPEN_REASONS = {
    "text": "不是本程式的專案檔（這是文字檔）",
    "truncated": "專案檔已損毀或不完整",
    "newer": "此專案檔由較新版本的程式建立",
    "read-only": "檔案為唯讀",
    "empty": "不是本程式的專案檔（空白檔案）",
    "other json": "不是本程式的專案檔",
    "json list": "不是本程式的專案檔",
    "bad xls": "不是本程式的專案檔",
    "bad xlsx": "不是本程式的專案檔",
    "folder": "這是資料夾",
    "missing": "找不到專案檔",
}
IMPORT_REASONS = {
    "text": "JSON 格式錯誤",
    "truncated": "不是 UTF-8 文字檔",
    "newer": "不是 UTF-8 文字檔",
    "read-only": "不是 UTF-8 文字檔",
    "empty": "檔案是空的",
    "other json": "format 應為 treasurer-app-project",
    "json list": "應為物件",
    "bad xls": "不是 UTF-8 文字檔",
    "bad xlsx": "JSON 格式錯誤",
    "folder": "這是資料夾",
    "missing": "找不到檔案",
}
ROSTER_REASONS = {
    "text": "不是 Excel 活頁簿",
    "truncated": "不是 Excel 活頁簿",
    "newer": "不是 Excel 活頁簿",
    "read-only": "不是 Excel 活頁簿",
    "empty": "檔案是空的",
    "other json": "不是 Excel 活頁簿",
    "json list": "不是 Excel 活頁簿",
    "bad xls": "檔案已損壞",
    "bad xlsx": "檔案已損壞",
    "folder": "這是資料夾",
    "missing": "找不到檔案",
}


@dataclass(frozen=True)
class State:
    location: Path
    data: dict
    history: int
    read_only: bool


def state(window) -> State:
    document = window.document
    return State(
        document.persistence.location, project_to_dict(document.project), document.undo_stack.count(), window.read_only
    )


@pytest.fixture
def opened(window, dialogs: Dialogs):
    """The sample union, open with one edit in its history."""
    window.load_project(load_sample())
    window.document.set_value(115, "application", "contact", "洪小姐")
    dialogs.said.clear()
    return window


def test_open_project_file_refuses_each_bad_file(opened, dialogs: Dialogs, tmp_path: Path) -> None:
    before = state(opened)
    for name, path in make_bad_files(tmp_path / "files").items():
        dialogs.said.clear()
        dialogs.chosen = path
        assert not opened.files.choose_project_file(), name
        warnings = dialogs.texts("warning")
        assert len(warnings) == 1, (name, dialogs.said)
        assert warnings[0].startswith("無法開啟工會資料：\n"), name
        assert path.name in warnings[0] and OPEN_REASONS[name] in warnings[0], (name, warnings[0])
        assert dialogs.said[-1][1] == APP_NAME
        assert state(opened) == before, name
    assert not (tmp_path / "files" / "missing.tap").exists()  # not created in passing


def test_a_read_only_project_file_is_offered_read_only_and_opens_so(opened, dialogs: Dialogs, tmp_path: Path) -> None:
    files = make_bad_files(tmp_path / "files")
    dialogs.chosen = files["read-only"]
    dialogs.button = "以唯讀方式開啟"
    assert opened.files.choose_project_file()
    kind, _title, text = dialogs.said[0]
    assert kind == "box" and "檔案為唯讀" in text and "可改以唯讀方式開啟" in text
    assert opened.read_only and opened.document.persistence.location == files["read-only"]
    assert opened.windowTitle().endswith("唯讀")
    contact = opened.document.value(115, "application", "contact")
    opened.document.set_value(115, "application", "contact", "王先生")  # refused, and said so
    assert opened.document.value(115, "application", "contact") == contact
    assert opened.save_label.text().startswith("唯讀")


def test_import_interchange_refuses_each_bad_file(opened, dialogs: Dialogs, tmp_path: Path) -> None:
    before = state(opened)
    for name, path in make_bad_files(tmp_path / "files").items():
        dialogs.said.clear()
        dialogs.chosen = path
        assert not opened.files.import_interchange(), name
        assert [kind for kind, _title, _text in dialogs.said] == ["question", "warning"], (name, dialogs.said)
        warning = dialogs.texts("warning")[0]
        assert warning.startswith("無法匯入：") and path.name in warning, (name, warning)
        assert IMPORT_REASONS[name] in warning, (name, warning)
        assert state(opened) == before, name
        assert not any("匯入前" in b.label for b in opened.document.persistence.backups())  # nothing replaced


def test_a_read_only_interchange_file_imports(opened, dialogs: Dialogs, tmp_path: Path) -> None:
    exported = tmp_path / "union.json"
    exported.write_text(dumps(load_sample()), encoding="utf-8")
    os.chmod(exported, 0o444)
    dialogs.chosen = exported
    assert opened.files.import_interchange()
    assert opened.document.value(115, "application", "contact") != "洪小姐"  # the file's data now
    assert "已匯入交換檔：union.json" in opened.statusBar().currentMessage()


def test_roster_import_refuses_each_bad_file(opened, dialogs: Dialogs, tmp_path: Path) -> None:
    opened.show_step("roster")
    page = opened.page("roster")
    before = state(opened)
    for name, path in make_bad_files(tmp_path / "files").items():
        dialogs.said.clear()
        dialogs.chosen = path
        page.import_workbook()
        warnings = dialogs.texts("warning")
        assert len(dialogs.said) == 1 and len(warnings) == 1, (name, dialogs.said)
        assert warnings[0].startswith("無法匯入：") and path.name in warnings[0], (name, warnings[0])
        assert ROSTER_REASONS[name] in warnings[0], (name, warnings[0])
        assert dialogs.said[0][1] == "匯入會員名冊"
        assert state(opened) == before, name
    assert page.count_label.text() == "共 385 人"
