"""Importing damaged and foreign files: never a crash, always an ImportResult or a Chinese WorkbookImportError."""

from __future__ import annotations

import contextlib
import datetime
import io
import random
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from treasurer_app import interchange
from treasurer_app.export.importer import ImportResult, WorkbookImportError, import_workbook
from treasurer_app.export.layouts import application_grids, ledger_grids
from treasurer_app.export.xls import write_xls
from treasurer_app.export.xlsx import write_xlsx
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project
from treasurer_app.rules import check_project

FIXTURE = Path(__file__).parent.parent / "fixtures" / "guide_example_corrected.json"
YEAR = 115
CJK = re.compile(r"[\u4e00-\u9fff]")
VARIANTS_PER_SOURCE = 260  # × 4 source workbooks ≥ 1,000 damaged files


def small_project() -> Project:
    project = interchange.load(FIXTURE)
    book = project.years[YEAR]
    book.roster = book.roster[:6]
    book.ledger = LedgerBook(
        header={"opening_acct1": "1500000", "opening_acct2": "0", "opening_fixed": "0", "opening_petty": "57904"},
        entries=[
            {"month": "1", "day": "31", "kind": "支", "code": "6-1", "voucher": "1", "memo": "文具",
             "amount": "2000", "category": "分配款", "account": "零用金"},
            {"month": "2", "day": "9", "kind": "收", "code": "1", "voucher": "2", "memo": "分配款",
             "amount": "338037", "category": "分配款", "account": "專戶存款1"},
        ],
    )  # fmt: skip
    return project


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("sources")
    project = small_project()
    made = {}
    for name, grids in (("application", application_grids(project, YEAR)), ("ledger", ledger_grids(project, YEAR))):
        for suffix, writer in (("xls", write_xls), ("xlsx", write_xlsx)):
            path = folder / f"{name}.{suffix}"
            writer(grids, path)
            made[path.name] = path.read_bytes()
    return made


def check_outcome(path: Path) -> ImportResult | WorkbookImportError:
    """The contract: an ImportResult, or WorkbookImportError naming the file with a Chinese reason."""
    try:
        return import_workbook(path)
    except WorkbookImportError as failure:
        message = str(failure)
        assert message.startswith(path.name), message
        assert CJK.search(failure.reason), message
        return failure


# ---------------------------------------------------------------- ways to damage a file


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(0, len(data))]


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged)


def flip_header_bytes(rng: random.Random, data: bytes) -> bytes:
    """Damage within the first few kilobytes, where the directory and the workbook records are."""
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        damaged[rng.randrange(min(len(damaged), 4096))] = rng.randrange(256)
    return bytes(damaged)


def random_bytes(rng: random.Random, data: bytes) -> bytes:
    prefix = rng.choice([b"", data[:8], data[:512], b"PK\x03\x04"])
    return prefix + rng.randbytes(rng.randint(0, 5000))


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def drop_members(rng: random.Random, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.namelist()
    dropped = set(rng.sample(members, rng.randint(1, len(members))))
    return rezip(data, lambda name, content: None if name in dropped else content)


def garble_member(rng: random.Random, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        victim = rng.choice(archive.namelist())

    def change(name: str, content: bytes) -> bytes:
        if name != victim:
            return content
        how = rng.randrange(3)
        if how == 0:
            return content[: rng.randrange(len(content) + 1)]
        if how == 1:
            return flip_bytes(rng, content) if content else content
        return content.replace(b"<", b"<x", rng.randint(1, 5))

    return rezip(data, change)


XLS_DAMAGE = (truncate, flip_bytes, flip_header_bytes, random_bytes)
XLSX_DAMAGE = (truncate, flip_bytes, flip_header_bytes, random_bytes, drop_members, garble_member, garble_member)


def damaged_files(sources: dict[str, bytes], folder: Path) -> Iterator[Path]:
    rng = random.Random(20250704)
    for name, data in sources.items():
        damage = XLSX_DAMAGE if name.endswith(".xlsx") else XLS_DAMAGE
        for i in range(VARIANTS_PER_SOURCE):
            how = damage[i % len(damage)]
            path = folder / f"{i:04d}-{how.__name__}-{name}"
            path.write_bytes(how(rng, data))
            yield path


# ---------------------------------------------------------------- the tests


def test_a_thousand_damaged_workbooks_never_crash_the_import(sources: dict[str, bytes], tmp_path: Path) -> None:
    outcomes: dict[str, int] = {"imported": 0, "refused": 0}
    count = 0
    for path in damaged_files(sources, tmp_path):
        outcome = check_outcome(path)
        outcomes["imported" if isinstance(outcome, ImportResult) else "refused"] += 1
        count += 1
        path.unlink()
    assert count >= 1000
    assert outcomes["refused"] > 100  # the damage is real, not cosmetic
    assert outcomes["imported"] > 0  # and some damage (e.g. an unused zip member) is survivable


def test_a_thousand_damaged_workbooks_through_check_and_import_give_exit_codes_not_tracebacks(
    sources: dict[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`treasurer-app check FILE.xls` and `treasurer-app import FILE` on every damaged file: 0, 1 or 2, in Chinese."""
    from treasurer_app.cli import main

    codes: dict[int, int] = {}
    count = 0
    for n, path in enumerate(damaged_files(sources, tmp_path)):
        command = ["check", str(path)] if n % 4 else ["import", str(path)]  # import reads the same way: a quarter
        code = main(command)
        codes[code] = codes.get(code, 0) + 1
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        if code == 2:
            assert CJK.search(captured.err), captured.err
        count += 1
        path.unlink()
    assert count >= 1000
    assert set(codes) <= {0, 1, 2} and codes.get(2, 0) > 100 and codes.get(0, 0) + codes.get(1, 0) > 0


@pytest.mark.parametrize("name", ["application.xls", "application.xlsx", "ledger.xls", "ledger.xlsx"])
def test_undamaged_sources_import(sources: dict[str, bytes], tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(sources[name])
    result = import_workbook(path)
    assert result.kind == name.split(".")[0]
    assert result.year == YEAR


def refused(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(WorkbookImportError) as failure:
        import_workbook(path)
    assert str(failure.value).startswith(name)
    return failure.value.reason


def test_empty_file(tmp_path: Path) -> None:
    assert "空的" in refused(tmp_path, "empty.xls", b"")


def test_encrypted_xls_says_password(sources: dict[str, bytes], tmp_path: Path) -> None:
    data = sources["application.xls"]
    write_access = b"\x5c\x00\x70\x00"  # WRITEACCESS record, 112 bytes: turn it into FILEPASS (0x002F)
    assert write_access in data
    assert "密碼" in refused(tmp_path, "locked.xls", data.replace(write_access, b"\x2f\x00\x70\x00", 1))


def test_encrypted_xlsx_says_password(sources: dict[str, bytes], tmp_path: Path) -> None:
    # Excel stores an encrypted .xlsx as an OLE compound file with an EncryptionInfo stream.
    ole = sources["application.xls"][:512] + "EncryptionInfo".encode("utf-16-le") + bytes(2048)
    assert "密碼" in refused(tmp_path, "locked.xlsx", ole)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as stream:
        stream.write(b"PK\x03\x04")
        stream.truncate(60 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(WorkbookImportError) as failure:
        import_workbook(path)
    assert "太大" in failure.value.reason


def test_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from treasurer_app.export.importer import cells

    monkeypatch.setattr(cells, "MAX_UNPACKED_BYTES", 4 * 1024 * 1024)  # the real limit, scaled down to test fast
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(8 * 1024 * 1024))
    assert len(out.getvalue()) < 100_000
    assert "過大" in refused(tmp_path, "bomb.xlsx", out.getvalue())


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("page.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "網頁"),
        ("scan.xls", b"%PDF-1.7\n%%EOF\n", "PDF"),
        ("list.xlsx", "姓名,身分證字號\n王小明,A123456789\n".encode(), "不是 Excel"),
        ("other.xlsx", b"PK\x03\x04" + bytes(100), "損壞"),
    ],
)
def test_foreign_files_are_named_for_what_they_are(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    assert reason in refused(tmp_path, name, data)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"<document/>")
    assert "不是 Excel" in refused(tmp_path, "letter.xlsx", out.getvalue())


def test_empty_workbook(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(WorkbookImportError) as failure:
        import_workbook(path)
    assert "空的" in failure.value.reason


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkbookImportError) as failure:
        import_workbook(tmp_path / "nowhere.xls")
    assert "找不到檔案" in failure.value.reason
    with pytest.raises(WorkbookImportError) as failure:
        import_workbook(tmp_path)
    assert "資料夾" in failure.value.reason


def test_unreadable_year_is_a_clear_refusal(sources: dict[str, bytes], tmp_path: Path) -> None:
    import openpyxl

    source = tmp_path / "source.xlsx"
    source.write_bytes(sources["application.xlsx"])
    book = openpyxl.load_workbook(source)
    first = book.worksheets[0]
    first.protection.sheet = False
    first["B2"] = "明年"  # 申請年度: the first row after the 項 目 | 內 容 header
    book.save(tmp_path / "bad-year.xlsx")
    with pytest.raises(WorkbookImportError) as failure:
        import_workbook(tmp_path / "bad-year.xlsx")
    assert "申請年度" in failure.value.reason and "明年" in failure.value.reason


# ---------------------------------------------------------------- odd but valid workbooks


def _cells(book: openpyxl.Workbook) -> Iterator[Any]:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from (cell for cell in row if not isinstance(cell, MergedCell))


def _merge_at_random(seed: int) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        rng = random.Random(seed)
        for sheet in book.worksheets:
            for _ in range(6):
                row, col = rng.randint(1, sheet.max_row), rng.randint(1, sheet.max_column)
                with contextlib.suppress(ValueError):  # openpyxl refuses a merge over an existing one
                    sheet.merge_cells(
                        start_row=row,
                        start_column=col,
                        end_row=row + rng.randint(0, 3),
                        end_column=col + rng.randint(0, 3),
                    )

    return change


def _numbers_as_floats(book: openpyxl.Workbook) -> None:
    for cell in _cells(book):
        if isinstance(cell.value, int) or (isinstance(cell.value, str) and cell.value.isdigit()):
            cell.value = float(cell.value) + 0.25 * (cell.row % 2)


def _digits_as_dates(book: openpyxl.Workbook) -> None:
    for cell in _cells(book):
        if isinstance(cell.value, str) and cell.value.isdigit() and len(cell.value) == 7:
            cell.value = datetime.datetime(int(cell.value[:3]) + 1911, int(cell.value[3:5]), int(cell.value[5:]))
        elif isinstance(cell.value, int) and cell.row % 3 == 0:
            cell.value = datetime.datetime(1899, 12, 31 - cell.row % 28)  # before any ROC date


def _long_strings(book: openpyxl.Workbook) -> None:
    for cell in _cells(book):
        if isinstance(cell.value, str) and cell.row > 5 and cell.column > 1:
            cell.value += "長" * 32_000


def _empty_sheets(book: openpyxl.Workbook) -> None:
    book.create_sheet("空白", 0)
    book.create_sheet("")


def _values_of_every_kind(book: openpyxl.Workbook) -> None:
    odd = [True, -0.000001, 1e300, "#DIV/0!", datetime.time(12, 30), "  ", "=1+1"]
    for n, cell in enumerate(c for c in _cells(book) if isinstance(c.value, int)):
        cell.value = odd[n % len(odd)]


ODD_WORKBOOKS = {
    **{f"merged-{seed}": _merge_at_random(seed) for seed in range(8)},
    "numbers-as-floats": _numbers_as_floats,
    "digits-as-dates": _digits_as_dates,
    "long-strings": _long_strings,
    "empty-sheets": _empty_sheets,
    "values-of-every-kind": _values_of_every_kind,
}


@pytest.mark.parametrize("source", ["application.xlsx", "ledger.xlsx"])
@pytest.mark.parametrize("change", ODD_WORKBOOKS.values(), ids=ODD_WORKBOOKS.keys())
def test_an_odd_but_valid_workbook_is_imported_or_refused_for_its_layout_never_called_damaged(
    sources: dict[str, bytes], tmp_path: Path, source: str, change: Callable[[openpyxl.Workbook], None]
) -> None:
    """A reader bug must not hide behind "可能已損壞": ``detail`` is set only when the reader itself failed."""
    original = tmp_path / source
    original.write_bytes(sources[source])
    book = openpyxl.load_workbook(original)
    change(book)
    edited = tmp_path / f"edited-{source}"
    book.save(edited)
    outcome = check_outcome(edited)
    if isinstance(outcome, WorkbookImportError):
        assert outcome.detail == "", outcome.detail
        return
    project = Project({outcome.year: outcome.book})
    assert all(finding.message for finding in check_project(project, outcome.year))  # and every rule reads it


def test_a_workbook_of_very_long_texts_imports(sources: dict[str, bytes], tmp_path: Path) -> None:
    """Every label lookup used to run difflib over each 32,000-character cell: 16 s for six members.

    How long it takes is measured in benchmarks/bench_import.py, never timed here.
    """
    original = tmp_path / "application.xlsx"
    original.write_bytes(sources["application.xlsx"])
    book = openpyxl.load_workbook(original)
    _long_strings(book)
    book.save(tmp_path / "long.xlsx")
    check_outcome(tmp_path / "long.xlsx")
