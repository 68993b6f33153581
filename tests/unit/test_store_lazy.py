"""Opening a many-year project reads each year's rows only when asked for (issue 16: a 20-year project opens
as fast as an empty one): ``Store.load(lazy=True)``, the window's project, and ``YearBook.defer_rows``."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path

import pytest

from treasurer_app.interchange import load, project_to_dict
from treasurer_app.ledger.entries import LedgerBook
from treasurer_app.project import Project, YearBook
from treasurer_app.rules import check_project
from treasurer_app.rules.education import education_history
from treasurer_app.store import Store, StoreError

FIXTURES = Path(__file__).parent.parent / "fixtures"
YEARS = (113, 114, 115)


def three_years() -> Project:
    """The guide's example as three years, each with its roster, training report and a ledger of its own."""
    example = load(FIXTURES / "guide_example_corrected.json")
    ledger = json.loads((FIXTURES / "ledger_114.json").read_text(encoding="utf-8"))
    project = Project()
    for year in YEARS:
        book = copy.deepcopy(example.years[115])
        book.year = year
        book.forms["application"]["year"] = str(year)
        header = {k: v for k, v in ledger["header"].items() if k != "interest_carried_in"}
        book.ledger = LedgerBook(header, [dict(entry) for entry in ledger["entries"][: 40 + year - 113]])
        project.years[year] = book
    return project


def row_count(project: Project, year: int) -> int:
    book = project.years[year]
    ledger = book.ledger.entries if book.ledger is not None else []
    return (
        len(book.roster) + len(book.training_report) + len(ledger) + sum(len(rows) for rows in book.line_rows.values())
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "union.tap"
    with Store.create(path) as created:
        created.replace_project(three_years())
    return path


def test_a_year_not_asked_for_is_not_read(path: Path) -> None:
    expected = three_years()
    with Store.open(path) as opened:
        project = opened.load(lazy=True)
        assert opened.rows_read == 0
        assert sorted(project.years) == list(YEARS)
        assert project.years[113].forms["application"]["union_name"]  # forms are read at once
        assert len(project.years[115].roster) == len(expected.years[115].roster)
        assert opened.rows_read == row_count(expected, 115)  # 115's rows only, all of its tables at once
        assert [project.years[year].rows_deferred for year in YEARS] == [True, True, False]
        # A deferred year's ledger is read, not taken for "no ledger" (a class default would answer None).
        assert project.years[114].ledger is not None
        assert project.years[114].ledger.entries == expected.years[114].ledger.entries
        assert opened.rows_read == row_count(expected, 115) + row_count(expected, 114)
        assert project.years[113].rows_deferred
    with Store.open(path) as opened:
        assert project_to_dict(opened.load(lazy=True)) == project_to_dict(expected)


def test_without_lazy_every_row_is_read_at_once(path: Path) -> None:
    with Store.open(path) as opened:
        project = opened.load()
        assert opened.rows_read == sum(row_count(three_years(), year) for year in YEARS)
        assert not any(book.rows_deferred for book in project.years.values())


def test_an_edit_to_a_lazily_read_year_persists(path: Path) -> None:
    with Store.open(path) as opened:
        project = opened.load(lazy=True)
        book = project.years[113]
        member = {**book.roster[0], "name": "王大同"}
        book.roster[0] = member
        opened.set_row(113, "roster", 0, member)
        entries = project.years[114].ledger.entries
        entries.insert(3, {**entries[3], "voucher": "新增"})
        opened.insert_row(114, "ledger", 3, entries[3])
        # A year written whole while still unread keeps its rows (they are read before the file's go).
        untouched = project.years[115]
        assert untouched.rows_deferred
        opened.put_year(untouched)
        assert not untouched.rows_deferred
    with Store.open(path) as again:
        reread = again.load()
    assert reread.years[113].roster[0]["name"] == "王大同"
    assert reread.years[114].ledger.entries[3]["voucher"] == "新增"
    assert len(reread.years[114].ledger.entries) == len(three_years().years[114].ledger.entries) + 1
    assert project_to_dict(reread)["years"]["115"] == project_to_dict(three_years())["years"]["115"]


def test_a_snapshot_with_unread_years_checks_as_a_whole_project(path: Path) -> None:
    """The checker checks a snapshot on its own thread: the years the window has not read are read there,
    through a connection of that thread, and the findings are those of the whole project."""
    with Store.open(path) as opened:
        whole = opened.load()
        expected = (check_project(whole, 115), education_history(whole))
        project = opened.load(lazy=True)
        assert project.years[115].roster  # the window read the year it shows
        project.keep_derivations()
        snapshot = project.snapshot()
        assert [snapshot.years[year].rows_deferred for year in YEARS] == [True, True, False]
        found: list[object] = []
        worker = threading.Thread(
            target=lambda: found.append((check_project(snapshot, 115), education_history(snapshot)))
        )
        worker.start()
        worker.join()
        assert found == [expected]
        assert expected[1]  # the education history draws on the earlier years' ledgers
        # The window's own years are still unread, and read the same rows when asked.
        assert project.years[113].rows_deferred
        assert project.years[113].ledger.entries == whole.years[113].ledger.entries


def test_a_snapshot_keeps_rows_set_before_they_were_read(path: Path) -> None:
    with Store.open(path) as opened:
        project = opened.load(lazy=True)
        book = project.years[113]
        book.ledger = None  # the year's ledger removed before anything of it was read
        twin = book.snapshot()
        assert twin.ledger is None and book.ledger is None
        assert twin.roster == three_years().years[113].roster


def test_a_deep_copy_of_an_unread_year_is_whole_and_its_own(path: Path) -> None:
    with Store.open(path) as opened:
        project = opened.load(lazy=True)
        copied = copy.deepcopy(project.years[114])
    assert not copied.rows_deferred
    assert copied.ledger is not None
    assert copied.ledger.entries == three_years().years[114].ledger.entries


def test_an_unread_year_after_the_file_is_closed_says_so(path: Path) -> None:
    with Store.open(path) as opened:
        project = opened.load(lazy=True)
    with pytest.raises(StoreError, match="已關閉"):
        assert project.years[113].roster


def test_a_years_ledger_entries_are_counted_without_reading_its_rows(path: Path) -> None:
    # The home page names last year's number of entries: counting them read that year's 5,000 entries at opening.
    expected = {year: len(book.ledger.entries) for year, book in three_years().years.items() if book.ledger}
    with Store.open(path) as opened:
        project = opened.load(lazy=True)
        assert {year: project.years[year].ledger_entry_count() for year in YEARS} == expected
        assert opened.rows_read == 0 and all(project.years[year].rows_deferred for year in YEARS)
        ledger = project.years[114].ledger  # read now, then an entry added
        assert ledger is not None
        ledger.entries.append({"month": "1"})
        assert project.years[114].ledger_entry_count() == expected[114] + 1
    assert YearBook(113).ledger_entry_count() == 0


def test_whether_a_table_has_a_filled_row_is_answered_without_reading_its_rows(path: Path) -> None:
    # The home page asks it of every table of the year shown (and the LINE check of its tables): it read the year.
    tables = ("roster", "training_report", *three_years().years[115].line_rows)
    expected = {table: three_years().years[115].has_filled_row(table) for table in tables}
    assert expected["roster"] and not expected["line_fees"]
    with Store.open(path) as opened:
        project = opened.load(lazy=True)
        assert {table: project.years[115].has_filled_row(table) for table in tables} == expected
        assert opened.rows_read == 0 and project.years[115].rows_deferred


def test_a_table_whose_only_values_are_sealed_is_read_to_say_whether_it_is_filled(tmp_path: Path) -> None:
    project = Project()
    book = project.add_year(115)
    book.roster = [{"name": "王小明"}, {"name": ""}]  # the name is sealed: the file alone cannot tell
    path = tmp_path / "sealed.tap"
    with Store.create(path) as created:
        created.replace_project(project)
    with Store.open(path) as opened:
        lazy = opened.load(lazy=True)
        assert lazy.years[115].has_filled_row("roster")
        assert opened.rows_read == 2  # read, not guessed
    book.roster = [{"name": " "}]
    with Store.open(path) as opened:
        opened.replace_project(project)
        assert not opened.load(lazy=True).years[115].has_filled_row("roster")
