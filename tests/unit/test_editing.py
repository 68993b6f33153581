"""The edit model without Qt: each edit applies and reverts itself on a project, says what it changed,
and a session writes it to a real store."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from treasurer_app.editing.changes import ROW_AREAS, Area, Change, ChangeKind
from treasurer_app.editing.edits import (
    AddYear,
    DeleteRows,
    Edit,
    InsertRows,
    MoveRow,
    ReplaceYears,
    RollOver,
    SetAcknowledged,
    SetCell,
    SetRecord,
    SetValue,
)
from treasurer_app.editing.persistence import StorePersistence
from treasurer_app.editing.session import EditSession, Written
from treasurer_app.forms.base import Record
from treasurer_app.interchange import load, project_to_dict
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.resources import resources_dir
from treasurer_app.specs import ALL_FORMS
from treasurer_app.store import Store

YEAR = 115


def entry(n: int) -> Record:
    return {
        "month": "3",
        "day": str(n + 1),
        "kind": "支",
        "code": "1-1",
        "voucher": f"V{n:03d}",
        "memo": f"講師費 {n}",
        "amount": str(1000 + n),
        "category": "分配款",
        "account": "專戶存款1",
    }


def sample() -> Project:
    project = load(resources_dir() / "sample" / "sample_union.json")
    project.years[YEAR].ledger = LedgerBook({"opening_acct1": "50000"}, [entry(n) for n in range(5)])
    return project


def meaning(project: Project) -> object:
    """The project as every rule, export and screen reads it: a value put back blank where there was none
    (reverting the first keystroke in a field; the store keeps blanks too) reads as none."""
    return meaning_of(project_to_dict(project))


def meaning_of(data: dict) -> object:
    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if v != ""}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(data)


EDITS: dict[str, tuple[Edit, list[Change]]] = {
    "value": (
        SetValue(YEAR, Area.APPLICATION, "contact", "王小明"),
        [Change(ChangeKind.VALUE, YEAR, Area.APPLICATION, "contact")],
    ),
    "line value": (
        SetValue(YEAR, Area.LINE_APPROVAL, "letter_no", "勞動福3字第1140000001號"),
        [Change(ChangeKind.VALUE, YEAR, Area.LINE_APPROVAL, "letter_no")],
    ),
    "ledger header": (
        SetValue(YEAR, Area.LEDGER_HEADER, "interest_carried_in", "120"),
        [Change(ChangeKind.VALUE, YEAR, Area.LEDGER_HEADER, "interest_carried_in")],
    ),
    "attachment": (
        SetValue(YEAR, Area.ATTACHMENTS, "meeting", "/tmp/會議紀錄.pdf"),
        [Change(ChangeKind.VALUE, YEAR, Area.ATTACHMENTS, "meeting")],
    ),
    "cell": (SetCell(YEAR, Area.ROSTER, 2, "name", "林小華"), [Change(ChangeKind.CELL, YEAR, Area.ROSTER, "name", 2)]),
    "cell after the last row": (
        SetCell(YEAR, Area.TRAINING_REPORT, 4, "course_1", "勞工安全"),
        [
            Change(ChangeKind.INSERT, YEAR, Area.TRAINING_REPORT, row=4),
            Change(ChangeKind.CELL, YEAR, Area.TRAINING_REPORT, "course_1", 4),
        ],
    ),
    "record": (
        SetRecord(YEAR, Area.LEDGER, 1, {"code": "2-1", "memo": "會議餐費"}),
        [Change(ChangeKind.CELL, YEAR, Area.LEDGER, None, 1)],
    ),
    "insert": (
        InsertRows(YEAR, Area.LEDGER, 1, [entry(10), entry(11)]),
        [Change(ChangeKind.INSERT, YEAR, Area.LEDGER, row=1), Change(ChangeKind.INSERT, YEAR, Area.LEDGER, row=2)],
    ),
    "delete": (
        DeleteRows(YEAR, Area.ROSTER, [7, 3, 7]),
        [Change(ChangeKind.DELETE, YEAR, Area.ROSTER, row=7), Change(ChangeKind.DELETE, YEAR, Area.ROSTER, row=3)],
    ),
    "delete a LINE row": (
        DeleteRows(YEAR, Area.LINE_FEES, [0]),
        [Change(ChangeKind.DELETE, YEAR, Area.LINE_FEES, row=0)],
    ),
    "move": (MoveRow(YEAR, Area.LEDGER, 4, 0), [Change(ChangeKind.MOVE, YEAR, Area.LEDGER, row=0, source=4)]),
    "acknowledged": (
        SetAcknowledged(YEAR, {"budget.some_warning"}),
        [Change(ChangeKind.VALUE, YEAR, Area.ACKNOWLEDGED)],
    ),
    "roll over": (RollOver(YEAR), [Change(ChangeKind.YEAR, YEAR + 1, Area.YEAR)]),
    "add a year": (AddYear(YEAR - 1), [Change(ChangeKind.YEAR, YEAR - 1, Area.YEAR)]),
    "import": (
        ReplaceYears([YearBook(YEAR, roster=[{"name": "甲"}]), YearBook(YEAR + 3)], "匯入活頁簿"),
        [Change(ChangeKind.YEAR, YEAR, Area.YEAR), Change(ChangeKind.YEAR, YEAR + 3, Area.YEAR)],
    ),
}


@pytest.mark.parametrize("name", EDITS)
def test_an_edit_says_what_it_changed_and_reverting_gives_the_project_back(name):
    edit, expected = copy.deepcopy(EDITS[name])
    project = sample()
    before = copy.deepcopy(project)
    stepped: list[Change] = []
    assert edit.apply(project, stepped.append) == expected == stepped
    assert project != before
    edit.revert(project)
    assert meaning(project) == meaning(before)
    edit.apply(project)  # redo after undo: the same state as the first time
    again = sample()
    copy.deepcopy(EDITS[name])[0].apply(again)
    assert meaning(project) == meaning(again)


def test_a_change_is_typed_and_reads_the_names_the_store_and_the_window_use():
    change = Change("cell", YEAR, "training_report", "course_1", 2)
    assert change.kind is ChangeKind.CELL and change.area is Area.TRAINING_REPORT
    assert change == Change(ChangeKind.CELL, YEAR, Area.TRAINING_REPORT, "course_1", 2)
    with pytest.raises(ValueError):
        Change("cell", YEAR, "sheet_four", "course_1", 2)  # an area no edit can land in


def test_every_form_is_an_area_and_the_tables_have_rows():
    forms = {area.value for area in Area} - {"ledger", "ledger_header", "attachments", "acknowledged", "year"}
    assert forms == set(ALL_FORMS)
    tables = {form_id for form_id, spec in ALL_FORMS.items() if spec.is_table}
    assert {area.value for area in ROW_AREAS} == tables | {"ledger"}


def test_an_edit_tells_the_project_which_year_changed():
    project = sample()
    project.add_year(YEAR + 1)
    other = project.years[YEAR + 1].revision
    revision, ledger_revision = project.years[YEAR].revision, project.years[YEAR].ledger_revision
    SetValue(YEAR, Area.APPLICATION, "contact", "王小明").apply(project)
    assert project.years[YEAR].revision != revision and project.years[YEAR].ledger_revision == ledger_revision
    SetCell(YEAR, Area.LEDGER, 0, "memo", "改").apply(project)
    assert project.years[YEAR].ledger_revision != ledger_revision
    assert project.years[YEAR + 1].revision == other


def test_keystrokes_in_one_field_merge_into_one_edit():
    project = sample()
    first, second = (
        SetValue(YEAR, Area.APPLICATION, "contact", "王"),
        SetValue(YEAR, Area.APPLICATION, "contact", "王小"),
    )
    original = project.years[YEAR].forms["application"].get("contact", "")
    first.apply(project)
    second.apply(project)
    assert first.merge(second)
    assert not first.merge(SetValue(YEAR, Area.APPLICATION, "phone", "1"))
    first.revert(project)
    assert project.years[YEAR].forms["application"].get("contact", "") == original


def stored(path: Path) -> dict:
    with Store.open(path, read_only=True) as copy_of_file:
        return project_to_dict(copy_of_file.load())


def test_a_session_writes_every_edit_to_the_store_and_its_reverts_too(tmp_path: Path):
    path = tmp_path / "union.tap"
    persistence = StorePersistence(path)
    persistence.replace(sample())
    written: list[Written] = []
    session = EditSession(persistence.load(), persistence, written.append)
    edits = [copy.deepcopy(edit) for edit, _ in EDITS.values()]
    for edit in edits:
        session.apply(edit)
        assert stored(path) == project_to_dict(session.project), edit.title
    assert written and all(w.saved and not w.joined for w in written)
    assert [w.change for w in written][:1] == [Change(ChangeKind.VALUE, YEAR, Area.APPLICATION, "contact")]
    for edit in reversed(edits):
        session.revert(edit)
        assert meaning_of(stored(path)) == meaning(session.project), edit.title
    assert meaning_of(stored(path)) == meaning(sample())
    assert not session.unsaved
    persistence.close()


class RefusingDisk:
    """A persistence whose disk is full until ``free``: every write fails with the store's kind of message."""

    def __init__(self, inner: StorePersistence) -> None:
        self.inner, self.full, self.location = inner, True, inner.location

    def record(self, project: Project, change: Change) -> None:
        if self.full:
            raise OSError("磁碟空間不足")
        self.inner.record(project, change)

    def resync(self, project: Project, years: set[int]) -> None:
        if self.full:
            raise OSError("磁碟空間不足")
        self.inner.resync(project, years)


def test_an_import_the_disk_refused_is_kept_whole_and_written_whole_when_space_returns(tmp_path: Path):
    path = tmp_path / "union.tap"
    persistence = StorePersistence(path)
    persistence.replace(sample())
    disk = RefusingDisk(persistence)
    written: list[Written] = []
    session = EditSession(persistence.load(), disk, written.append)  # type: ignore[arg-type]
    before = stored(path)
    session.apply(ReplaceYears([YearBook(YEAR, roster=[{"name": "甲"}]), YearBook(YEAR + 3)], "匯入活頁簿"))
    assert [(w.saved, w.change.year) for w in written] == [(False, YEAR), (False, YEAR + 3)]
    assert len(session.unsaved) == 2 and session.unsaved.years == {YEAR, YEAR + 3}
    assert stored(path) == before  # neither year: all or nothing
    assert not session.retry()
    disk.full = False
    assert session.retry() and not session.unsaved
    assert stored(path) == project_to_dict(session.project)
    persistence.close()
