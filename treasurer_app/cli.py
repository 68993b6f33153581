"""`treasurer-app`: the window with no argument; the same jobs without a window as subcommands.

Exit status: 0 clean, 1 errors found (or the job was refused), 2 unusable input.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from treasurer_app import APP_NAME

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:  # the window starts without loading the domain: imports happen in the commands
    from typing import Any

    from treasurer_app.editing.edits import ReplaceYears
    from treasurer_app.findings import Finding
    from treasurer_app.project import Project

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


class UnusableInput(Exception):
    """Input the command cannot work with; the message is Chinese and names the file."""


def load_project(path: str) -> Project:
    """Open an interchange file (.json) or a project store, read-only."""
    from treasurer_app.interchange import InterchangeError, load

    if Path(path).suffix.lower() == ".json":
        try:
            return load(path)
        except InterchangeError as exc:
            raise UnusableInput(str(exc)) from None
    from treasurer_app import store

    try:
        with store.Store.open(path, read_only=True) as opened:
            project = opened.load()
            if opened.key_problem is not None and _holds_locked_values(project):
                # Checked or exported, 「（已加密）」would be read as every member's name and ID.
                raise UnusableInput(str(opened.key_problem))
            return project
    except store.StoreError as exc:
        raise UnusableInput(str(exc)) from None


def _holds_locked_values(project: Project) -> bool:
    from treasurer_app.privacy import LOCKED_TEXT

    for book in project.years.values():
        rows = [*book.roster, *book.training_report, *(book.ledger.entries if book.ledger else [])]
        if any(LOCKED_TEXT in row.values() for row in rows):
            return True
    return False


def pick_year(project: Project, year: int | None) -> int:
    if not project.years:
        raise UnusableInput("專案裡沒有任何年度的資料")
    if year is None:
        return max(project.years)
    if year not in project.years:
        have = "、".join(str(y) for y in sorted(project.years))
        raise UnusableInput(f"專案沒有 {year} 年度（有 {have}）")
    return year


def format_findings(findings: Sequence[Finding], heading: str, where: Callable[[Finding], str] | None = None) -> str:
    """The report of a check; ``where`` names the cell of a finding (a workbook checked directly)."""
    from treasurer_app.specs import ALL_FORM_NAMES as FORM_NAMES

    errors = sum(1 for f in findings if f.is_error)
    warnings = len(findings) - errors
    lines = [f"{heading}：{errors} 個錯誤、{warnings} 個警告"]
    for form_id, form_name in FORM_NAMES.items():
        group = [f for f in findings if f.form == form_id]
        if not group:
            continue
        lines.append("")
        lines.append(f"【{form_name}】")
        for f in sorted(group, key=lambda f: not f.is_error):
            cell = where(f) if where is not None else ""
            lines.append(f"  {f.severity.label}  {cell + '  ' if cell else ''}{f.message}")
    return "\n".join(lines)


def refusal_text(findings: Sequence[Finding], heading: str) -> str:
    """Why an export was refused. A disk that refused the files is nothing to correct in the data: then
    the heading does not ask for it, nor count errors."""
    if findings and all(f.rule == "export.write_failed" for f in findings):
        return "\n".join([f"{heading}：", *(f"  {f.message}" for f in findings)])
    return format_findings(findings, f"{heading}，請先修正下列問題")


def findings_as_json(findings: Sequence[Finding]) -> str:
    from treasurer_app.specs import ALL_FORM_NAMES as FORM_NAMES

    return json.dumps(
        [
            {
                "severity": f.severity.value,
                "form": f.form,
                "form_name": FORM_NAMES.get(f.form, f.form),
                "field": f.field,
                "row": f.row,
                "rule": f.rule,
                "message": f.message,
            }
            for f in findings
        ],
        ensure_ascii=False,
        indent=1,
    )


WORKBOOK_SUFFIXES = (".xls", ".xlsx")


def is_workbook(path: str) -> bool:
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def check_command(args: argparse.Namespace) -> int:
    from treasurer_app.line_subsidy.forms import LINE_FORMS
    from treasurer_app.rules import check_project

    paths = list(args.project)
    if any(is_workbook(path) for path in paths) or len(paths) > 1:
        return check_workbooks_command(paths, args)
    project = load_project(paths[0])
    year = pick_year(project, args.year)
    everything = check_project(project, year, line=True)  # LINE: nothing when the union does not use it that year
    if args.json:
        print(findings_as_json(everything))
        return EXIT_FINDINGS if any(f.is_error for f in everything) else EXIT_OK
    findings = [f for f in everything if f.form not in LINE_FORMS]
    line = [f for f in everything if f.form in LINE_FORMS]
    name = project.union_name(year) or "（未填工會名稱）"
    print(format_findings(findings, f"{name} {year} 年度申請檢查結果"))
    from treasurer_app.line_subsidy.rules import in_use

    if line or in_use(project.years[year]):
        print()
        print(format_findings(line, f"{name} {year} 年度 LINE 官方帳號補助檢查結果"))
    return EXIT_FINDINGS if any(f.is_error for f in everything) else EXIT_OK


def check_workbooks_command(paths: Sequence[str], args: argparse.Namespace) -> int:
    """Each workbook read as the importer reads it and checked as a project is: findings with sheet and cell."""
    from treasurer_app.workbook_import import check_workbook

    unusable = [p for p in paths if not is_workbook(p)]
    if unusable:
        raise UnusableInput(f"{Path(unusable[0]).name}：一次檢查多個檔案時，每個都須是 .xls 或 .xlsx 活頁簿")
    checks = [check_workbook(path) for path in paths]
    if args.year is not None:
        for check in checks:
            if check.read.result is not None and check.read.result.year != args.year:
                check.read.failure = f"這是 {check.read.result.year} 年度的活頁簿，不是指定的 {args.year} 年度"
                check.read.result = None
                check.findings = []
    if args.json:
        print(json.dumps([_check_as_json(check) for check in checks], ensure_ascii=False, indent=1))
    else:
        blocks = []  # the workbooks read; each one that could not be is said once, on stderr, below
        for check in checks:
            if check.read.result is None:
                continue
            text = format_findings(check.findings, check.heading, check.where)
            notes = check.read.result.notes
            if notes:
                text += f"\n\n【匯入說明】（{len(notes)} 項未讀入或已調整）\n"
                text += "\n".join(f"  注意  {note}" for note in notes)
            blocks.append(text)
        if blocks:
            print(("\n\n" + "─" * 40 + "\n\n").join(blocks))
        if len(checks) > 1:
            errors = sum(1 for c in checks if any(f.is_error for f in c.findings))
            failed = sum(1 for c in checks if c.read.result is None)
            clean = len(checks) - errors - failed
            gap = "\n" if blocks else ""
            print(f"{gap}共 {len(checks)} 個活頁簿：{clean} 個無錯誤、{errors} 個有錯誤、{failed} 個無法讀取")
    if any(check.read.result is None for check in checks):
        if not args.json:
            for check in checks:
                if check.read.result is None:
                    print(f"無法使用：{check.read.name}：{check.read.failure}", file=sys.stderr)
        return EXIT_UNUSABLE
    return EXIT_FINDINGS if any(f.is_error for c in checks for f in c.findings) else EXIT_OK


def _check_as_json(check: Any) -> dict[str, Any]:
    if check.read.result is None:
        return {"file": check.read.name, "unusable": check.read.failure}
    return {
        "file": check.read.name,
        "kind": check.read.result.kind,
        "year": check.read.result.year,
        "findings": [
            {**item, "cell": check.where(finding)}
            for item, finding in zip(json.loads(findings_as_json(check.findings)), check.findings, strict=True)
        ],
        "notes": check.read.result.notes,
    }


def import_command(args: argparse.Namespace) -> int:
    """Workbooks into a project: the report, what would change, a backup, then the years replaced."""
    from treasurer_app import workbook_import

    batch = workbook_import.read_workbooks(args.files, args.year)
    print("匯入報告")
    print("\n".join(workbook_import.report_lines(batch)))
    if not batch.years:
        raise UnusableInput("沒有可以匯入的活頁簿")
    if args.into is None:
        print("\n（未指定 --into 專案檔，以上只列出活頁簿的內容，沒有寫入任何檔案）")
        return EXIT_OK
    into = Path(args.into)
    project, save = _import_target(into)
    changes = workbook_import.diff(project, batch)
    print(f"\n匯入 {into.name} 會有的變更：")
    print("\n".join(f"  {change.line()}" for change in changes))
    if workbook_import.replaces_something(project, changes) and not args.yes and not _confirmed():
        print("未匯入：專案已有這些年度的資料，確定要取代請加上 --yes", file=sys.stderr)
        return EXIT_FINDINGS
    if all(change.status == workbook_import.UNCHANGED for change in changes):
        print("內容相同，沒有寫入")
        return EXIT_OK
    backup = save(project, workbook_import.import_edit(project, batch))
    if backup is not None:
        print(f"匯入前已備份：{backup}")
    print(f"已匯入 {into}")
    return EXIT_OK


def _confirmed() -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        return False
    try:
        answer = input("專案已有這些年度的資料，要以活頁簿的內容取代嗎？(y/N) ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "是")


def _import_target(path: Path) -> tuple[Project, Callable[[Project, ReplaceYears], Path | None]]:
    """The project an import goes into and how to make the import there: in a store through an edit
    session, as the window does (backed up first; all years or none), or in a .json (kept as .bak)."""
    if path.suffix.lower() == ".json":
        existing = load_project(str(path)) if path.exists() else None

        def save_json(project: Project, edit: ReplaceYears) -> Path | None:
            from treasurer_app import interchange

            edit.apply(project)
            backup = None
            if existing is not None:
                backup = path.with_name(path.name + ".bak")
                backup.write_bytes(path.read_bytes())
            interchange.save(project, path)
            return backup

        from treasurer_app.project import Project as ProjectType

        return (existing or ProjectType()), save_json
    if not path.exists():
        raise UnusableInput(f"{path.name}：找不到專案檔（新的專案請先在程式中建立，或匯入到 .json 檔）")
    project = load_project(str(path))

    def save_store(project: Project, edit: ReplaceYears) -> Path | None:
        from treasurer_app.editing.persistence import StorePersistence
        from treasurer_app.editing.session import EditSession
        from treasurer_app.store import StoreError

        try:
            persistence = StorePersistence(path, create=False)
        except StoreError as exc:
            raise UnusableInput(str(exc)) from None
        try:
            backup = persistence.backup_now(kind="before-import")
            session = EditSession(project, persistence)
            session.apply(edit)
        except StoreError as exc:
            raise UnusableInput(str(exc)) from None
        finally:
            persistence.close()
        if session.unsaved:  # the file refused the years: none of them is in it
            raise UnusableInput(session.unsaved.problem)
        return backup

    return project, save_store


def export_command(args: argparse.Namespace) -> int:
    from treasurer_app.export.package import ExportRefused, export_application

    project = load_project(args.project)
    year = pick_year(project, args.year)
    if args.line:
        return export_line(project, year, args.line, Path(args.out))
    for kind in ("meeting", "method"):
        chosen = getattr(args, kind)
        if chosen:
            project.years[year].attachments[kind] = str(Path(chosen).resolve())
    try:
        report = export_application(
            project, year, Path(args.out), fmt=args.format, pdf=args.pdf, acknowledged=args.accept_warnings
        )
    except ExportRefused as refused:
        print(refusal_text(refused.findings, "無法匯出"))
        return EXIT_FINDINGS
    for note in report.notes:  # the personal-data note when the roster has members, as in the report
        print(f"注意：{note}")
    for written in report.files:
        print(f"已寫入 {written.path}（{written.size:,} 位元組）")
    return EXIT_OK


def export_line(project: Project, year: int, stage: str, out: Path) -> int:
    """The LINE subsidy's papers of one stage (application or claim), refused while errors stop them."""
    from treasurer_app.export.atomic import PackageFailed, failure_text, write_reason
    from treasurer_app.line_subsidy import documents, rules

    stopping = rules.blocking(rules.check_line(project, year), stage)
    if stopping:
        print(format_findings(stopping, f"無法匯出 LINE 補助{documents.STAGE_NAMES[stage]}文件，請先修正下列問題"))
        return EXIT_FINDINGS
    if not rules.in_use(project.years[year]):
        raise UnusableInput(f"{year} 年度沒有 LINE 官方帳號補助的資料")
    try:
        written = documents.write_line_documents(project, year, out, stage)
    except ValueError as exc:  # a 統一編號 a file name cannot hold
        raise UnusableInput(str(exc)) from None
    except PackageFailed as exc:
        raise UnusableInput(f"匯出：{failure_text(exc)}") from None
    except OSError as exc:  # the folder itself
        raise UnusableInput(f"{out}：{write_reason(exc)}") from None
    for path in written:
        print(f"已寫入 {path}（{path.stat().st_size:,} 位元組）")
    return EXIT_OK


def export_ledger_command(args: argparse.Namespace) -> int:
    from treasurer_app.export.package import ExportRefused, export_ledger

    project = load_project(args.project)
    try:
        report = export_ledger(project, args.quarter, Path(args.out), fmt=args.format, pdf=args.pdf)
    except ExportRefused as refused:
        print(refusal_text(refused.findings, "無法匯出現金收支登記簿"))
        return EXIT_FINDINGS
    except ValueError as exc:
        raise UnusableInput(str(exc)) from None
    for note in report.notes:  # a quarter without entries, as in the report
        print(f"注意：{note}")
    for written in report.files:
        print(f"已寫入 {written.path}（{written.size:,} 位元組）")
    return EXIT_OK


def store_command(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from treasurer_app import store_cli

        command: Callable[[argparse.Namespace], int] = getattr(store_cli, name)
        return command(args)

    return run


class _Formatter(argparse.HelpFormatter):
    """argparse's own, sized without shutil: argparse builds a formatter for every argument it is given,
    and shutil (with the compression modules it loads) is ~5 ms of every treasurer-app check."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=max(_console_width() - 2, 20))


def _console_width() -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    console = sys.__stdout__
    if console is None:  # a frozen windowed exe
        return 80
    try:
        return os.get_terminal_size(console.fileno()).columns
    except (ValueError, OSError):  # no console (a pipe)
        return 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


class VersionAction(argparse.Action):
    """``--version``: the version is looked up (importlib.metadata, ~40 ms) only when asked for, not on
    every subcommand."""

    def __init__(
        self,
        option_strings: Sequence[str],
        dest: str = argparse.SUPPRESS,
        default: str = argparse.SUPPRESS,
        help: str = "顯示版本後結束",
    ) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from treasurer_app import __version__

        print(f"{APP_NAME} {__version__}")
        parser.exit()


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, that subcommand's alone (what running it needs: each
    subcommand's parser looks its messages up in the system's translations, ~1 ms apiece on every run)."""
    parser = _Parser(prog="treasurer-app", description=f"{APP_NAME}（不帶參數時開啟視窗）")
    parser.add_argument("--version", action=VersionAction)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, add in _SUBCOMMAND_PARSERS.items():
        if only is None or name == only:
            add(commands)
    return parser


def _check_parser(commands: Any) -> None:
    check = commands.add_parser("check", help="像主管機關上傳系統一樣檢查專案或活頁簿，列出錯誤與警告")
    check.add_argument(
        "project",
        nargs="+",
        metavar="FILE",
        help="專案檔（.json 交換檔或專案資料庫），或一個以上的申請書／登記簿活頁簿（.xls、.xlsx）",
    )
    check.add_argument("--year", type=int, help="申請年度（預設為最新年度）")
    check.add_argument("--json", action="store_true", help="以 JSON 輸出檢查結果")
    check.set_defaults(run=check_command)


def _import_parser(commands: Any) -> None:
    importing = commands.add_parser("import", help="匯入申請書與現金收支登記簿活頁簿（.xls、.xlsx）到專案")
    importing.add_argument("files", nargs="+", metavar="FILE", help="活頁簿，可一次多個（去年的申請書與各季登記簿）")
    importing.add_argument("--into", metavar="PROJECT", help="匯入的專案（專案資料庫或 .json）；省略則只列出報告")
    importing.add_argument("--year", type=int, help="只匯入這個年度的活頁簿")
    importing.add_argument("--yes", action="store_true", help="專案已有該年度資料時，不再詢問，直接取代")
    importing.set_defaults(run=import_command)


def _export_parser(commands: Any) -> None:
    export = commands.add_parser("export", help="匯出申請檔（7 個工作表的活頁簿、附件 PDF）")
    export.add_argument("project")
    export.add_argument("--year", type=int)
    export.add_argument("--out", required=True, help="輸出資料夾")
    export.add_argument("--format", choices=("xls", "xlsx"), default="xls")
    export.add_argument("--pdf", action="store_true", help="同時產生可列印的 PDF")
    export.add_argument("--accept-warnings", action="store_true", help="確認所有警告後匯出")
    export.add_argument("--meeting", metavar="PDF", help="會員大會或理監事會議紀錄 PDF（匯出為 …_metting.pdf）")
    export.add_argument("--method", metavar="PDF", help="福利專款運用補助辦法 PDF（匯出為 …_method.pdf）")
    export.add_argument(
        "--line",
        choices=("application", "claim"),
        help="改為匯出勞動部 LINE 官方帳號補助的申請文件（application）或結報請款文件（claim）",
    )
    export.set_defaults(run=export_command)


def _export_ledger_parser(commands: Any) -> None:
    ledger = commands.add_parser("export-ledger", help="匯出季報現金收支登記簿")
    ledger.add_argument("project")
    ledger.add_argument("--quarter", required=True, help="例如 115Q1")
    ledger.add_argument("--out", required=True)
    ledger.add_argument("--format", choices=("xls", "xlsx"), default="xls")
    ledger.add_argument("--pdf", action="store_true")
    ledger.set_defaults(run=export_ledger_command)


def _backup_parser(commands: Any) -> None:
    backup = commands.add_parser("backup", help="立即備份專案資料庫（程式開著也可以）")
    backup.add_argument("project", help="專案資料庫")
    backup.add_argument("--list", action="store_true", help="列出既有備份")
    backup.add_argument("--backup-dir", help="備份資料夾（預設為專案檔旁的 backups）")
    backup.set_defaults(run=store_command("backup_command"))


def _restore_parser(commands: Any) -> None:
    restore = commands.add_parser("restore", help="從備份還原專案資料庫（先另存目前內容）")
    restore.add_argument("project")
    restore.add_argument("backup", help="備份檔")
    restore.add_argument("--break-lock", action="store_true", help="專案被已結束的程式鎖住時，解除鎖定後還原")
    restore.set_defaults(run=store_command("restore_command"))


def _key_export_parser(commands: Any) -> None:
    key_export = commands.add_parser("key-export", help="以復原密語匯出個資加密金鑰（移到另一台電腦用）")
    key_export.add_argument("project")
    key_export.add_argument("-o", "--out", help="金鑰備份檔（省略則印在畫面上）")
    key_export.set_defaults(run=store_command("key_export_command"))


def _key_import_parser(commands: Any) -> None:
    key_import = commands.add_parser("key-import", help="以復原密語匯入個資加密金鑰")
    key_import.add_argument("project")
    key_import.add_argument("key_file", nargs="?", default="-", help="金鑰備份檔（省略則從標準輸入讀取）")
    key_import.set_defaults(run=store_command("key_import_command"))


_SUBCOMMAND_PARSERS: dict[str, Callable[[Any], None]] = {
    "check": _check_parser,
    "import": _import_parser,
    "export": _export_parser,
    "export-ledger": _export_ledger_parser,
    "backup": _backup_parser,
    "restore": _restore_parser,
    "key-export": _key_export_parser,
    "key-import": _key_import_parser,
}
SUBCOMMANDS = tuple(_SUBCOMMAND_PARSERS)


def project_file_argument(arguments: Sequence[str]) -> Path | None:
    """`treasurer-app PATH.tap` (what the installer's file association runs): the file to open in the window.

    Only an existing file that is neither an option nor a subcommand's name counts.
    """
    if not arguments or arguments[0].startswith("-") or arguments[0] in SUBCOMMANDS:
        return None
    return Path(arguments[0]) if Path(arguments[0]).is_file() else None


def _tolerant_output() -> None:
    """A character the output's encoding lacks is written as \\uXXXX instead of ending the command with a
    traceback: a member named 𪚥 in a report redirected to a file on a Big5 (cp950) Windows console."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # The window is routed to before argparse and the domain load: cold start is the window's.
    project_file = project_file_argument(arguments)
    if not arguments or project_file is not None:
        from treasurer_app.ui.crash import install

        install()  # first: the windowed program has no console to show a failure while starting
        from treasurer_app.ui.app import run_app

        return run_app(project_path=project_file) if project_file is not None else run_app()
    args = build_parser(only=arguments[0] if arguments[0] in SUBCOMMANDS else None).parse_args(arguments)
    _tolerant_output()
    # The program ends after the command. Its last act would be the cyclic collector's full pass over every
    # object still alive (the forms' declarations, the project, the parse cache): ~10 ms of a 70 ms check, to
    # free memory the system takes back anyway. Objects frozen at exit are left out of that pass.
    atexit.register(gc.freeze)
    run: Callable[[argparse.Namespace], int] = args.run  # every subcommand sets one (set_defaults)
    try:
        return run(args)
    except UnusableInput as exc:
        print(f"無法使用：{exc}", file=sys.stderr)
        return EXIT_UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
