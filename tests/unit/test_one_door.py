"""One door for the rules (issue 14): ``rules.check_project`` is what the CLI's check and the export run, so a
rule added to it reaches both, and neither adds findings of its own beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_line_subsidy import YEAR as LINE_YEAR
from tests.unit.test_line_subsidy import repeat_project
from treasurer_app import interchange, rules
from treasurer_app.cli import findings_as_json, main
from treasurer_app.export.package import ExportRefused, export_application
from treasurer_app.findings import FIELD_INVALID, FIELD_REQUIRED, Finding, error
from treasurer_app.forms import FORMS, PROJECT_FORM
from treasurer_app.line_subsidy.forms import APPLICATION, LINE_FORMS
from treasurer_app.project import Project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORRECTED = FIXTURES / "guide_example_corrected.json"
DOOR_MESSAGE = "門：只有經過 check_project 才看得到這一項"


def door_rule(project: Project, year: int) -> list[Finding]:
    return [error(PROJECT_FORM, "test.door", DOOR_MESSAGE)]


@pytest.fixture
def extra_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """One more rule behind the door, as a new rule would be added."""
    monkeypatch.setattr(rules, "CHECKS", (*rules.CHECKS, door_rule))


def test_a_rule_added_behind_the_door_reaches_the_cli_check(extra_rule, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(CORRECTED)])
    assert DOOR_MESSAGE in capsys.readouterr().out
    main(["check", str(CORRECTED), "--json"])
    assert "test.door" in [item["rule"] for item in json.loads(capsys.readouterr().out)]


def test_a_rule_added_behind_the_door_stops_the_export(extra_rule, tmp_path: Path) -> None:
    project = interchange.load(CORRECTED)
    with pytest.raises(ExportRefused) as refused:
        export_application(project, 115, tmp_path / "out")
    assert "test.door" in [f.rule for f in refused.value.findings]


def test_the_cli_json_is_the_doors_findings_line_subsidy_included(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = repeat_project()
    project.years[LINE_YEAR].forms[APPLICATION.id]["mail_tracking"] = ""  # a LINE finding to see
    interchange.save(project, tmp_path / "line.json")
    expected = rules.check_project(project, LINE_YEAR, line=True)
    assert any(f.form in LINE_FORMS for f in expected) and any(f.form not in LINE_FORMS for f in expected)
    main(["check", str(tmp_path / "line.json"), "--json"])
    assert capsys.readouterr().out == findings_as_json(expected) + "\n"


def test_the_exports_attachment_findings_come_through_the_door(tmp_path: Path) -> None:
    project = interchange.load(CORRECTED)
    project.years[115].attachments.clear()
    with pytest.raises(ExportRefused) as refused:
        export_application(project, 115, tmp_path / "out")
    door = [f for f in rules.check_project(project, 115, attachments=True) if f.is_error]
    assert refused.value.findings == door
    assert {f.rule for f in door} == {"export.attachment_missing"}


def test_a_year_without_data_is_one_finding_whatever_is_asked() -> None:
    project = interchange.load(CORRECTED)
    for options in ({}, {"attachments": True, "line": True}):
        findings = rules.check_project(project, 130, **options)
        assert [(f.rule, f.form) for f in findings] == [("project.year_missing", PROJECT_FORM)]


def test_blank_and_invalid_values_have_rules_of_their_own_naming_the_field() -> None:
    project = interchange.load(CORRECTED)
    project.years[115].forms["application"]["union_name"] = ""
    project.years[115].forms["application"]["tax_id"] = "12345678"
    own = {(f.rule, f.field) for f in rules.check_project(project, 115) if f.rule.startswith("field.")}
    assert own == {(FIELD_REQUIRED, "union_name"), (FIELD_INVALID, "tax_id")}
    spec = FORMS["application"]
    assert spec.field("union_name").problem("") is not None
    assert spec.field("union_name").problem("").rule == FIELD_REQUIRED  # type: ignore[union-attr]
    assert spec.field("tax_id").problem("12345678").rule == FIELD_INVALID  # type: ignore[union-attr]
    assert spec.field("tax_id").problem("12345675") is None
