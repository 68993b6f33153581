"""The two attachment PDFs the application needs (會議紀錄, 補助辦法): chosen, and readable by the authority.

Reads the files: ``check_project(..., attachments=True)`` runs these for the window and the export.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from treasurer_app.findings import Finding, error
from treasurer_app.forms import PROJECT_FORM
from treasurer_app.project import ATTACHMENT_KINDS

# What the guide calls the two attachments (§1.2 (二) 2 (7)).
ATTACHMENT_LABELS = {"meeting": "會員大會或理監事會議紀錄", "method": "福利專款運用補助辦法"}
PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"
PDF_TAIL_BYTES = 1024  # %%EOF must sit this close to the end (trailing newlines and padding are common)


def check_attachments(paths: Mapping[str, str]) -> list[Finding]:
    """Findings for missing or broken attachment PDFs (``paths``: kind → the file chosen)."""
    problems = []
    for kind in ATTACHMENT_KINDS:
        label = ATTACHMENT_LABELS[kind]
        text = (paths.get(kind) or "").strip()
        if not text:
            problems.append(error(PROJECT_FORM, "export.attachment_missing", f"{label}：尚未選擇 PDF 檔", kind))
            continue
        problem = pdf_problem(Path(text))
        if problem:
            problems.append(error(PROJECT_FORM, "export.attachment_invalid", f"{label}：{problem}（{text}）", kind))
    return problems


def chosen_attachments(paths: Mapping[str, str]) -> dict[str, Path]:
    """kind → the file chosen: what the export copies once ``check_attachments`` found nothing wrong."""
    return {kind: Path(text) for kind in ATTACHMENT_KINDS if (text := (paths.get(kind) or "").strip())}


def pdf_problem(path: Path) -> str | None:
    """Why ``path`` is not a usable PDF file, in Chinese; None when it is one."""
    try:
        if not path.is_file():
            return "找不到檔案" if not path.exists() else "這不是檔案"
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(len(PDF_MAGIC))
            stream.seek(max(0, size - PDF_TAIL_BYTES))
            tail = stream.read()
    except PermissionError:
        return "沒有讀取權限"
    except OSError as exc:
        return f"無法讀取（{exc.strerror or exc}）"
    if size == 0:
        return "檔案是空的"
    if head != PDF_MAGIC:
        return "不是 PDF 檔（開頭不是 %PDF-）"
    if PDF_END not in tail:
        return "PDF 檔不完整（結尾缺 %%EOF，可能沒有存完或已損壞）"
    return _pdf_content_problem(path)


def _pdf_content_problem(path: Path) -> str | None:
    """Open the PDF for real: the authority must be able to read its pages."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes are not the user's business
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            return "PDF 檔有密碼保護，主管機關無法開啟，請存成沒有密碼的 PDF"
        pages = len(reader.pages)
    except Exception:  # pypdf raises many kinds on a damaged file; each means the same to the user
        return "PDF 檔已損壞，無法讀取內容"
    if pages == 0:
        return "PDF 檔沒有任何頁面"
    return None
