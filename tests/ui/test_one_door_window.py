"""The window's findings are ``rules.check_project``'s (issue 14, one door): the recheck passes its snapshot
and kept derivations in, it does not copy the rules' loop, so what the window shows is what the CLI's
check and the export see — a year without data included."""

from __future__ import annotations

import pytest

from treasurer_app import rules
from treasurer_app.findings import Finding, error
from treasurer_app.forms import PROJECT_FORM
from treasurer_app.ui.services import load_sample

DOOR_MESSAGE = "門：只有經過 check_project 才看得到這一項"


def keys(findings: list[Finding]) -> list[tuple]:
    return sorted(
        (f.severity, f.form, f.rule, f.field or "", -1 if f.row is None else f.row, f.message) for f in findings
    )


def settled(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.checker.pending(), timeout=20_000)


def test_the_windows_findings_are_the_doors(window, qtbot) -> None:
    window.load_project(load_sample())
    settled(window, qtbot)
    project, year, checker = window.document.project, window.year, window.checker
    expected = rules.check_project(project, year, attachments=True, line=True, today=checker.today)
    assert expected  # the sample has findings to compare (its attachments are not chosen, at least)
    assert keys(checker.findings) == keys(expected)


def test_a_year_without_data_shows_the_doors_finding(window, qtbot) -> None:
    window.load_project(load_sample())
    settled(window, qtbot)
    missing = max(window.document.project.years) + 5
    window.checker.set_year(missing)
    settled(window, qtbot)
    assert keys(window.checker.findings) == keys(rules.check_project(window.document.project, missing))
    assert [f.rule for f in window.checker.findings] == ["project.year_missing"]
    window.checker.run_now()  # the check on the UI thread (檢查並匯出) goes through the same door
    assert [f.rule for f in window.checker.findings] == ["project.year_missing"]


def test_a_rule_added_behind_the_door_reaches_the_window(window, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    def door_rule(project, year):  # type: ignore[no-untyped-def]
        return [error(PROJECT_FORM, "test.door", DOOR_MESSAGE)]

    monkeypatch.setattr(rules, "CHECKS", (*rules.CHECKS, door_rule))
    window.create_union(115)
    settled(window, qtbot)
    assert "test.door" in [f.rule for f in window.checker.findings]  # from the worker thread
    assert DOOR_MESSAGE in window.findings.messages()
    window.checker.run_now()
    assert "test.door" in [f.rule for f in window.checker.findings]  # and on the UI thread
