"""File names of the submission (DOMAIN.md §1; guide 1.2): ASCII only, checked by the upload system.

* ``{申請年度}_{統一編號}_application.xls`` — the seven sheets
* ``{申請年度}_{統一編號}_metting.pdf`` / ``_method.pdf`` — the two attachments
  (``metting`` is the official spelling: the upload system expects it)
* ``{上傳年月 yyyMM}_{統一編號}_accounting.xls`` — the quarterly cash ledger
"""

from __future__ import annotations

import re

from treasurer_app.ledger.quarters import quarter_month

# Attachment kind (as stored in YearBook.attachments) → the word the official file name uses.
ATTACHMENT_WORDS: dict[str, str] = {"meeting": "metting", "method": "method"}
_TAX_ID = re.compile(r"[0-9]{8}")


def _year(year: int) -> str:
    if not 100 <= year <= 999:
        raise ValueError(f"年度：檔名須用 3 位數字的民國年（填了 {year}）")
    return f"{year:03d}"


def _tax_id(tax_id: str) -> str:
    text = tax_id.strip()
    # Only the shape matters here: the checksum is a rule of the form, reported before export.
    if not (text.isascii() and _TAX_ID.fullmatch(text)):
        raise ValueError(f"統一編號：檔名須用 8 位半形數字（填了「{tax_id}」）")
    return text


def application_file_stem(year: int, tax_id: str) -> str:
    """(115, '12345678') → '115_12345678_application'."""
    return f"{_year(year)}_{_tax_id(tax_id)}_application"


def attachment_file_name(year: int, tax_id: str, kind: str) -> str:
    """(115, '12345678', 'meeting') → '115_12345678_metting.pdf'; kind 'method' → '…_method.pdf'."""
    if kind not in ATTACHMENT_WORDS:
        raise ValueError(f"附件種類：須為 {'、'.join(ATTACHMENT_WORDS)} 之一（填了 {kind}）")
    return f"{_year(year)}_{_tax_id(tax_id)}_{ATTACHMENT_WORDS[kind]}.pdf"


def accounting_file_stem(year: int, quarter: int, tax_id: str) -> str:
    """(115, 1, '12345678') → '11503_12345678_accounting': the quarter's last month, yyyMM."""
    return f"{quarter_month(int(_year(year)), quarter)}_{_tax_id(tax_id)}_accounting"
