"""`treasurer-app check`: the printed report, --json, exit codes, and unusable input without a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from treasurer_app import interchange
from treasurer_app.cli import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, main
from treasurer_app.rules import check_project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GUIDE = FIXTURES / "guide_example.json"
CORRECTED = FIXTURES / "guide_example_corrected.json"
EXPECTED = (FIXTURES / "guide_example.expected.txt").read_text(encoding="utf-8")
REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def document() -> dict[str, Any]:
    return json.loads(CORRECTED.read_text(encoding="utf-8"))


def write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the report


def test_check_prints_the_guides_mistakes_exactly_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(GUIDE))
    assert code == EXIT_FINDINGS == 1
    assert out == EXPECTED
    assert err == ""


def test_check_of_the_corrected_example_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(CORRECTED))
    assert code == EXIT_OK == 0
    assert out == "00職業工會 115 年度申請檢查結果：0 個錯誤、0 個警告\n"
    assert err == ""


def test_check_with_only_warnings_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = document()
    doc["years"]["115"]["training_report"][3]["cost"] = "20001"  # the sessions' costs: a warning only
    code, out, _ = run(capsys, "check", str(write(tmp_path / "p.json", doc)))
    assert code == EXIT_OK
    assert out.splitlines()[0] == "00職業工會 115 年度申請檢查結果：0 個錯誤、1 個警告"
    assert "  警告  合計：199,700 與教育訓練成果報告各場次使用經費合計 199,701 不符" in out.splitlines()


def test_check_lists_errors_before_warnings_within_a_sheet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = document()
    doc["years"]["115"]["forms"]["training_expenses"]["line_13"] = "1"  # an error and a warning on sheet 5
    _, out, _ = run(capsys, "check", str(write(tmp_path / "p.json", doc)))
    lines = out.splitlines()
    start = lines.index("【福利專款教育訓練經費表】")
    assert lines[start + 1].startswith("  錯誤  合計：199,701")
    assert lines[start + 2].startswith("  警告  合計：199,701")


def test_check_names_a_union_without_a_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = document()
    doc["years"]["115"]["forms"]["application"]["union_name"] = ""
    code, out, _ = run(capsys, "check", str(write(tmp_path / "p.json", doc)))
    assert code == EXIT_FINDINGS
    assert out.startswith("（未填工會名稱） 115 年度申請檢查結果：1 個錯誤、0 個警告")


def test_check_json_lists_the_same_findings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(GUIDE), "--json")
    assert (code, err) == (EXIT_FINDINGS, "")
    listed = json.loads(out)
    expected = check_project(interchange.load(GUIDE), 115)
    assert listed == [
        {
            "severity": f.severity.value,
            "form": f.form,
            "form_name": {
                "application": "商港服務費福利專款申請書(含工會基本資料)",
                "final_accounts": "福利專款決算及運用情形(含結存分析表)",
                "training_report": "福利專款教育訓練成果報告",
                "training_expenses": "福利專款教育訓練經費表",
            }[f.form],
            "field": f.field,
            "row": f.row,
            "rule": f.rule,
            "message": f.message,
        }
        for f in expected
    ]
    assert len(listed) == 6
    # the same messages as the text report
    for item in listed:
        label = "錯誤" if item["severity"] == "error" else "警告"
        assert f"  {label}  {item['message']}" in EXPECTED.splitlines()


def test_check_json_of_the_corrected_example_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(CORRECTED), "--json")
    assert (code, json.loads(out)) == (EXIT_OK, [])


def test_check_year_picks_the_application(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = document()
    doc["years"]["114"] = {"forms": {"application": {"union_name": "00職業工會"}}}
    code, out, _ = run(capsys, "check", str(write(tmp_path / "p.json", doc)), "--year", "115")
    assert (code, out.splitlines()[0]) == (EXIT_OK, "00職業工會 115 年度申請檢查結果：0 個錯誤、0 個警告")
    code, out, _ = run(capsys, "check", str(write(tmp_path / "p.json", doc)), "--year", "114")
    assert code == EXIT_FINDINGS
    assert out.startswith("00職業工會 114 年度申請檢查結果：")


def test_check_defaults_to_the_latest_year(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = document()
    doc["years"]["114"] = {}
    _, out, _ = run(capsys, "check", str(write(tmp_path / "p.json", doc)))
    assert out.startswith("00職業工會 115 年度")


# ---------------------------------------------------------------- unusable input: exit 2, Chinese, no traceback


def unusable(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == EXIT_UNUSABLE == 2
    assert out == ""
    assert err.startswith("無法使用：")
    assert err.endswith("\n") and err.count("\n") == 1
    return err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "沒有這個.json"
    assert unusable(capsys, "check", str(missing)) == f"無法使用：{missing}：找不到檔案\n"


def test_a_folder_is_not_a_project(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert "這是資料夾，不是專案檔" in unusable(capsys, "check", str(folder))


def test_file_that_is_not_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("工會名稱,統一編號\n00職業工會,12345675\n", encoding="utf-8")
    assert unusable(capsys, "check", str(path)) == f"無法使用：{path}：JSON 格式錯誤（位置：第 1 行第 1 字）\n"


def test_file_that_is_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes('{"format": "工會"}'.encode("big5"))
    assert "不是 UTF-8 文字檔" in unusable(capsys, "check", str(path))


def test_json_of_another_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "p.json", {"format": "someone-elses", "version": 1, "years": {}})
    err = unusable(capsys, "check", str(path))
    assert err == f"無法使用：{path}：不是本程式的專案檔（format 應為 treasurer-app-project）（位置：format）\n"


def test_json_that_is_a_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "p.json", [1, 2, 3])
    assert unusable(capsys, "check", str(path)) == f"無法使用：{path}：應為物件（{{…}}）\n"


def test_newer_version(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = document()
    newer, current = interchange.FORMAT_VERSION + 1, interchange.FORMAT_VERSION
    doc["version"] = newer
    err = unusable(capsys, "check", str(write(tmp_path / "p.json", doc)))
    assert f"檔案版本 {newer} 比本程式支援的版本 {current} 新，請更新程式（位置：version）" in err


def test_wrong_type_deep_inside_names_the_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = document()
    doc["years"]["115"]["training_report"][2]["day1"] = [1141104]
    err = unusable(capsys, "check", str(write(tmp_path / "p.json", doc)))
    assert "應為文字或數字（位置：years.115.training_report[2].day1）" in err


def test_unknown_field_names_the_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = document()
    doc["years"]["115"]["forms"]["budget"]["rev_2"] = "937"  # derived, never stored
    err = unusable(capsys, "check", str(write(tmp_path / "p.json", doc)))
    assert "不認得的欄位（位置：years.115.forms.budget.rev_2）" in err


def test_file_that_is_neither_json_nor_a_project_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"  # not .json: opened as a project store
    path.write_text("這不是專案\n", encoding="utf-8")
    assert unusable(capsys, "check", str(path)) == f"無法使用：{path}：不是本程式的專案檔（這是文字檔）\n"


def test_missing_project_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "union.tapp"
    assert unusable(capsys, "check", str(missing)) == f"無法使用：{missing}：找不到專案檔\n"
    assert not missing.exists()  # checking never creates a project


def test_a_project_store_whose_key_is_missing_is_not_checked_as_if_its_members_were_blank(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, memory_keyring: Any
) -> None:
    from treasurer_app.store import Store

    path = tmp_path / "union.tap"
    with Store.create(path) as created:
        created.replace_project(interchange.load(CORRECTED))
    assert run(capsys, "check", str(path))[0] == EXIT_OK
    memory_keyring.entries.clear()  # another PC: the key is not in its credential store
    err = unusable(capsys, "check", str(path))
    assert "找不到此專案的加密金鑰" in err and "無法解密" in err
    assert unusable(capsys, "export", str(path), "--out", str(tmp_path / "out")) == err
    assert not (tmp_path / "out").exists()


def test_year_not_in_the_project(capsys: pytest.CaptureFixture[str]) -> None:
    assert unusable(capsys, "check", str(CORRECTED), "--year", "114") == "無法使用：專案沒有 114 年度（有 115）\n"


def test_project_without_years(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "p.json", {"format": "treasurer-app-project", "version": 1, "years": {}})
    assert unusable(capsys, "check", str(path)) == "無法使用：專案裡沒有任何年度的資料\n"


def test_bad_arguments_exit_2_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["check", str(CORRECTED), "--year", "一一五"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "usage: treasurer-app check" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------- export and export-ledger


def exportable(tmp_path: Path, members: bool = True) -> Path:
    from tests.pdf_samples import one_page_pdf

    doc = document()
    year = doc["years"]["115"]
    for kind in ("meeting", "method"):
        (tmp_path / f"{kind}.pdf").write_bytes(one_page_pdf(kind))
        year["attachments"][kind] = str(tmp_path / f"{kind}.pdf")
    year["ledger"] = {"header": {}, "entries": [
        {"month": "1", "day": "5", "kind": "收", "code": "1", "voucher": "A1", "amount": "467000",
         "category": "分配款", "account": "專戶存款1"}]}  # fmt: skip
    if not members:
        year["roster"] = []
        year["forms"]["application"]["member_count"] = "0"
    return write(tmp_path / "union.json", doc)


def test_export_writes_the_package_and_says_the_roster_holds_personal_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from treasurer_app.export.package import PERSONAL_DATA_NOTE

    out = tmp_path / "out"
    code, printed, err = run(capsys, "export", str(exportable(tmp_path)), "--out", str(out))
    assert (code, err) == (EXIT_OK, "")
    lines = printed.splitlines()
    assert lines[0] == f"注意：{PERSONAL_DATA_NOTE}"
    assert [line.split("（")[0] for line in lines[1:]] == [
        f"已寫入 {out / name}"
        for name in ("115_12345675_application.xls", "115_12345675_metting.pdf", "115_12345675_method.pdf")
    ]
    assert PERSONAL_DATA_NOTE in (out / "export-report-115.html").read_text(encoding="utf-8")


def test_export_without_members_has_no_personal_data_to_warn_about(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, printed, _ = run(capsys, "export", str(exportable(tmp_path, members=False)), "--out", str(tmp_path / "o"))
    assert code == EXIT_OK
    assert "個人資料" not in printed and printed.startswith("已寫入 ")


def test_export_refused_lists_the_reasons_and_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = document()
    doc["years"]["115"]["forms"]["application"]["tax_id"] = "12345678"
    code, printed, _ = run(capsys, "export", str(write(tmp_path / "bad.json", doc)), "--out", str(tmp_path / "o"))
    assert code == EXIT_FINDINGS
    assert printed.startswith("無法匯出，請先修正下列問題：3 個錯誤、0 個警告")
    assert "統一編號：檢查碼不符（12345678）" in printed and "會員大會或理監事會議紀錄：尚未選擇 PDF 檔" in printed
    assert not (tmp_path / "o").exists()


def test_export_ledger_writes_the_quarter_or_refuses(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    project = str(exportable(tmp_path))
    out = tmp_path / "out"
    code, printed, _ = run(capsys, "export-ledger", project, "--quarter", "115Q1", "--out", str(out))
    assert code == EXIT_OK
    assert printed.startswith(f"已寫入 {out / '11503_12345675_accounting.xls'}（")
    code, printed, _ = run(capsys, "export-ledger", project, "--quarter", "115Q5", "--out", str(out))
    assert code == EXIT_FINDINGS and "季別：格式為民國年加 Q 及季數 1–4" in printed
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    code, printed, _ = run(capsys, "export-ledger", project, "--quarter", "115Q1", "--out", str(tmp_path / "a-file"))
    assert code == EXIT_FINDINGS and "匯出：同名的檔案已存在，不是資料夾" in printed


# ---------------------------------------------------------------- the real entry point


def in_a_real_process(*argv: str, encoding: str = "utf-8") -> subprocess.CompletedProcess[bytes]:
    """`python -m treasurer_app.cli ARGV` with its output in ``encoding`` (PYTHONIOENCODING)."""
    return subprocess.run(
        [sys.executable, "-m", "treasurer_app.cli", *argv],
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        capture_output=True,
        timeout=120,
    )


def test_entry_point_in_a_real_process() -> None:
    done = in_a_real_process("check", str(GUIDE))
    assert done.returncode == 1
    assert done.stdout.decode("utf-8") == EXPECTED
    assert done.stderr.decode("utf-8") == ""


def test_entry_point_in_a_real_process_reports_unusable_input(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    done = in_a_real_process("check", str(missing))
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode("utf-8") == f"無法使用：{missing}：找不到檔案\n"


def test_a_name_the_console_encoding_lacks_does_not_end_in_a_traceback(tmp_path: Path) -> None:
    """Output redirected to a file on a Traditional Chinese Windows is Big5 (cp950): 𪚥 is not in it."""
    doc = document()
    doc["years"]["115"]["forms"]["application"]["union_name"] = "𪚥港區職業工會"
    done = in_a_real_process("check", str(write(tmp_path / "rare.json", doc)), encoding="cp950")
    assert done.stderr == b""
    assert done.returncode == EXIT_OK
    assert done.stdout.decode("cp950") == "\\U0002a6a5港區職業工會 115 年度申請檢查結果：0 個錯誤、0 個警告\n"


def test_the_window_route_knows_every_subcommand() -> None:
    import argparse

    from treasurer_app.cli import SUBCOMMANDS, build_parser

    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(SUBCOMMANDS) == set(actions[0].choices)


def test_help_lists_every_subcommand_though_a_subcommand_builds_only_its_own_parser(capsys) -> None:
    import argparse

    from treasurer_app.cli import SUBCOMMANDS, build_parser, main

    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    assert all(name in listed for name in SUBCOMMANDS)
    only = [a for a in build_parser("check")._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(only[0].choices) == ["check"]
    assert build_parser("check").parse_args(["check", "a.json", "--year", "114"]).year == 114


def test_a_subcommand_name_that_is_also_a_file_is_still_the_subcommand(tmp_path, monkeypatch) -> None:
    from treasurer_app.cli import project_file_argument

    monkeypatch.chdir(tmp_path)
    (tmp_path / "check").write_text("x")
    (tmp_path / "union.tap").write_text("x")
    assert project_file_argument(["check", "union.tap"]) is None
    assert project_file_argument(["union.tap"]) == Path("union.tap")
    assert project_file_argument(["missing.tap"]) is None
    assert project_file_argument(["--version"]) is None


# Loaded by `check` only when needed (issue 16: `check` is 90 % imports): the version lookup, typing,
# argparse's terminal sizing (shutil) — and the window, the store, the exporters.
NOT_FOR_CHECK = (
    "treasurer_app.about",
    "importlib.metadata",
    "tomllib",
    "typing",
    "shutil",
    "PySide6",
    "treasurer_app.store",
    "treasurer_app.export",
)


def test_check_loads_only_what_it_needs() -> None:
    script = (
        "import sys\n"
        "from treasurer_app.cli import main\n"
        f"status = main(['check', {str(GUIDE)!r}])\n"
        f"print(sorted(m for m in sys.modules if m.startswith({NOT_FOR_CHECK!r})))\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == EXIT_FINDINGS, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_version_is_still_there(capsys: pytest.CaptureFixture[str]) -> None:
    from treasurer_app.about import app_version

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"工會福利專款助手 {app_version()}"


def test_check_and_export_cover_the_line_subsidy(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.unit.test_line_subsidy import YEAR, repeat_project
    from treasurer_app.interchange import save

    project = repeat_project()
    project.years[YEAR].forms["application"]["tax_id"] = "12345675"
    project.years[YEAR].forms["line_application"]["target_friends"] = "1800"
    path = tmp_path / "union.json"
    save(project, path)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "LINE 官方帳號補助檢查結果" in out and "【LINE補助：LINE補助申請】" in out
    assert "群組目標好友人數：1,800 人，非初次申請須達 2,000 人以上" in out
    assert main(["export", str(path), "--out", str(tmp_path / "out"), "--line", "application"]) == 1
    assert not (tmp_path / "out").exists()
    project.years[YEAR].forms["line_application"]["target_friends"] = "2310"
    save(project, path)
    capsys.readouterr()
    for stage, first in (("application", "1_plan"), ("claim", "3_receipt")):
        assert main(["export", str(path), "--out", str(tmp_path / "out"), "--line", stage]) == 0
        assert f"115_12345675_line_{stage}_{first}.pdf" in capsys.readouterr().out
    assert len(list((tmp_path / "out").iterdir())) == 11
