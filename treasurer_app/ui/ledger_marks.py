"""How the register shows what is wrong where the treasurer looks.

* A cell with an error (or a warning) gets a coloured frame and a corner triangle, drawn after the
  cell itself: the selection colour paints over a cell's background but not over these.
* A balance or an available amount below zero is written in red, selected or not.
* The current entry's messages are one line under the register (``entry_message``).
* The year's findings are in a panel on the page, folded until opened (``FindingsBox``).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPolygonF
from PySide6.QtWidgets import QStyleOptionViewItem, QToolButton, QVBoxLayout, QWidget

from treasurer_app.findings import Finding
from treasurer_app.ui import theme
from treasurer_app.ui.findings_panel import FindingsPanel

Index = QModelIndex | QPersistentModelIndex
MARK_ROLE = int(Qt.ItemDataRole.UserRole) + 20  # "error" | "warning" | None: the worst finding of a cell
MARK_COLORS = {"error": theme.ERROR_COLOR, "warning": theme.WARNING_COLOR}
FRAME_WIDTH = 2
CORNER = 9  # the triangle's side, in pixels
PANEL_HEIGHT = 170
MESSAGES_SHOWN = 3  # more than that under the register and it is no longer one line to read


def worst_mark(findings: list[Finding]) -> str | None:
    if any(f.is_error for f in findings):
        return "error"
    return "warning" if findings else None


def paint_mark(painter: QPainter, option: QStyleOptionViewItem, mark: str | None) -> None:
    """The frame and the corner triangle of a marked cell, over whatever the cell looks like."""
    color = MARK_COLORS.get(mark or "")
    if color is None:
        return
    rect = option.rect
    painter.save()
    pen = painter.pen()
    pen.setColor(color)
    pen.setWidth(FRAME_WIDTH)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect.adjusted(1, 1, -1, -1))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    left, top = rect.left(), rect.top()
    painter.drawPolygon(QPolygonF([QPointF(left, top), QPointF(left + CORNER, top), QPointF(left, top + CORNER)]))
    painter.restore()


def keep_foreground_when_selected(option: QStyleOptionViewItem, index: Index) -> None:
    """A red figure stays red on the selection colour (Qt would write it in the highlight's text colour)."""
    brush = index.data(Qt.ItemDataRole.ForegroundRole)
    if isinstance(brush, QColor | QBrush):
        color = brush if isinstance(brush, QColor) else brush.color()
        palette: QPalette = option.palette
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.HighlightedText, color)
        option.palette = palette


def entry_message(findings: list[Finding]) -> tuple[str, str]:
    """(text, mark) of the line under the register for the current entry's findings, errors first."""
    if not findings:
        return "", ""
    ordered = sorted(findings, key=lambda f: not f.is_error)
    messages = list(dict.fromkeys(f.message for f in ordered))
    text = "\n".join(messages[:MESSAGES_SHOWN])
    if len(messages) > MESSAGES_SHOWN:
        text += f"\n（另有 {len(messages) - MESSAGES_SHOWN} 則，見下方「檢查結果」）"
    return text, worst_mark(findings) or ""


class FindingsBox(QWidget):
    """The findings panel inside the page, folded to one line that counts them; a click unfolds it."""

    jump = Signal(str, object, object)  # form, field, row — as FindingsPanel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("findingsToggle")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self.set_open)
        layout.addWidget(self.toggle)
        self.panel = FindingsPanel(self)
        self.panel.setMinimumHeight(120)
        self.panel.setMaximumHeight(PANEL_HEIGHT)  # the register keeps most of a 768-pixel screen
        self.panel.hide()
        self.panel.jump.connect(self.jump)
        layout.addWidget(self.panel)
        self.show_findings([], checked=False)

    def set_open(self, opened: bool) -> None:
        self.toggle.setChecked(opened)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        self.panel.setVisible(opened)

    def is_open(self) -> bool:
        return self.panel.isVisibleTo(self)

    def show_findings(self, findings: list[Finding], checked: bool = True) -> None:
        errors = sum(1 for f in findings if f.is_error)
        warnings = len(findings) - errors
        if not checked:
            summary = "檢查結果"
        elif findings:
            summary = f"檢查結果：{errors} 個錯誤、{warnings} 個警告（點一下展開，點一則就跳到該欄）"
        else:
            summary = "檢查結果：沒有錯誤或警告"
        self.toggle.setText(summary)
        self.toggle.setStyleSheet(f"color: {MARK_COLORS['error'].name()};" if errors else "")
        self.panel.show_findings(findings, checked)
