"""Small real PDFs for tests that need an attachment the export accepts."""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas


def one_page_pdf(text: str = "會議紀錄") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 760, text.encode("ascii", "replace").decode())  # Helvetica has no CJK; the text is a label
    page.showPage()
    page.save()
    return buffer.getvalue()
