"""Sheets 1 and 2: the application (申請表) and the member roster (會員名冊), each against the other."""

from __future__ import annotations

from datetime import date

from treasurer_app.findings import Finding, error, warning
from treasurer_app.forms import FORMS
from treasurer_app.forms import application as app_form
from treasurer_app.forms import roster as roster_form
from treasurer_app.forms.base import check_fields, parse
from treasurer_app.identifiers import national_id_sex
from treasurer_app.project import Project
from treasurer_app.rules.common import is_blank

# ---------------------------------------------------------------- sheet 1


def check_application(project: Project, year: int) -> list[Finding]:
    values = project.years[year].forms["application"]
    spec = FORMS["application"]
    findings = check_fields(spec, values, year)
    findings += check_fields(spec, values, year, fields=[f for f in spec.extra_fields if values.get(f.key)])
    typed_year = parse(spec.field("year"), values.get("year")).value
    if isinstance(typed_year, int) and typed_year != year:
        findings.append(
            error(
                "application",
                "application.year_matches",
                f"{spec.label('year', year)}：須與專案年度 {year} 相同（填了 {typed_year}）",
                "year",
            )
        )
    founded = parse(spec.field("founded"), values.get("founded")).value
    dissolved = parse(spec.field("dissolved"), values.get("dissolved")).value
    if isinstance(founded, date) and isinstance(dissolved, date) and dissolved <= founded:
        findings.append(
            error(
                "application",
                "application.dissolved_after_founded",
                f"{spec.label('dissolved', year)}：須晚於{spec.label('founded', year)}",
                "dissolved",
            )
        )
    leader = (values.get("leader") or "").strip()
    if leader and not leader_title_ok(leader):
        findings.append(
            error(
                "application",
                "application.leader_title",
                f"{spec.label('leader', year)}：須為人名加職稱（{'或'.join(app_form.LEADER_TITLES)}），例如 黃XX理事長",
                "leader",
            )
        )
    if not (values.get("port") or "").strip():
        findings.append(
            warning(
                "application",
                "application.port_missing",
                f"{spec.label('port', year)}：尚未選擇；申請函的受文者（港區所在地之直轄市、縣（市）政府）將留白須手寫",
                "port",
            )
        )
    members = parse(spec.field("member_count"), values.get("member_count")).value
    roster_size = sum(1 for r in project.years[year].roster if not is_blank(r))
    if isinstance(members, int) and members != roster_size:
        findings.append(
            error(
                "application",
                "application.member_count_roster",
                f"{spec.label('member_count', year)}：須等於會員名冊人數（填了 {members} 人，名冊有 {roster_size} 人）",
                "member_count",
            )
        )
    return findings


def leader_title_ok(leader: str) -> bool:
    """A name followed by 理事長 or 常務理事 — not 副理事長 (the vice-chair)."""
    for title in app_form.LEADER_TITLES:
        name = leader.removesuffix(title)
        if name != leader and name and not name.endswith("副"):
            return True
    return False


# ---------------------------------------------------------------- sheet 2


def check_roster(project: Project, year: int) -> list[Finding]:
    spec = FORMS["roster"]
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for i, member in enumerate(project.years[year].roster):
        if is_blank(member):
            continue
        findings += check_fields(spec, member, year, fields=spec.columns, row=i)
        national_id = parse(spec.field("national_id"), member.get("national_id")).value
        if isinstance(national_id, str):
            if national_id in seen:
                findings.append(
                    error(
                        "roster",
                        "roster.id_unique",
                        f"第 {i + 1} 列 {spec.label('national_id', year)}：與第 {seen[national_id] + 1} 列重複",
                        "national_id",
                        i,
                    )
                )
            else:
                seen[national_id] = i
            sex_by_id = national_id_sex(national_id)
            id_label = spec.label("national_id", year)
            sex = (member.get("sex") or "").strip()
            if sex_by_id and sex in roster_form.SEXES and sex != sex_by_id:
                findings.append(
                    error(
                        "roster",
                        "roster.sex_matches_id",
                        f"第 {i + 1} 列 {spec.label('sex', year)}：與{id_label}不符（{id_label}為{sex_by_id}性）",
                        "sex",
                        i,
                    )
                )
        born = parse(spec.field("birth_date"), member.get("birth_date")).value
        joined = parse(spec.field("joined"), member.get("joined")).value
        if isinstance(born, date) and isinstance(joined, date) and joined <= born:
            message = f"第 {i + 1} 列 {spec.label('joined', year)}：須晚於{spec.label('birth_date', year)}"
            findings.append(error("roster", "roster.joined_after_birth", message, "joined", i))
    return findings
