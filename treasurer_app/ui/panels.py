"""The side navigator (steps with their state), and the coloured dots it shares with the findings panel
(ui/findings_panel.py).

Part of the first paint: the domain (findings, forms, rules) is imported only when there is something to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from treasurer_app.ui import theme
from treasurer_app.ui.step_names import HOME, PROGRAMME_HEADINGS, STEPS

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex, QPersistentModelIndex
    from PySide6.QtGui import QColor, QIcon, QPainter

    from treasurer_app.findings import Finding
    from treasurer_app.project import Project

# Qt.ItemDataRole.UserRole + 1, as a number: touching PySide's Qt namespace builds all its enums (≈ 25 ms),
# which the first paint does without.
ROLE_TARGET = 0x0100 + 1
_RIGHT_CENTRED = 0x0002 | 0x0080  # Qt.AlignmentFlag.AlignRight | AlignVCenter, as a number (see ROLE_TARGET)
_STATE_GAP = 8  # pixels between a step's name and its state
_ITEM_PADDING = 8  # theme.py's QListWidget#navigator::item padding, left and right
_LINE_BREAK = "\u2028"  # an item's "\n" as the delegate's style option holds it (Qt's line separator)


_DOTS: dict[tuple[int, int], QIcon] = {}


def dot(color: QColor, size: int = 12) -> QIcon:
    """A coloured dot, drawn once per colour: the panel shows one per finding, thousands at a time."""
    key = (color.rgba(), size)
    if key not in _DOTS:
        _DOTS[key] = _draw_dot(color, size)
    return _DOTS[key]


def _draw_dot(color: QColor, size: int) -> QIcon:
    # Imported here, not for the first paint: see ROLE_TARGET (QIcon and QPainter bring ≈ 200 enum members).
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QIcon, QPainter, QPixmap

    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(color)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class _StepDelegate(QStyledItemDelegate):
    """A step on one line: its name, and its state (``完成``, ``有錯誤 · 2``) on the right in smaller letters.

    Two lines a step made the list taller than a 1366×768 screen's window (17 steps and two headings):
    it had to be scrolled to reach the last ones. The item's text stays ``name\nstate`` (what a screen reader
    reads, what the tests see); a name and state too wide for one line are shown on two, as before."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        name, _, state = option.text.partition(_LINE_BREAK)
        if state and self._fits(option, name, state):
            option.text = name

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().paint(painter, option, index)
        state = str(index.data()).partition("\n")[2]
        if not state:  # a heading, or a step before the project's first check: nothing more to draw
            return
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        if _LINE_BREAK in shown.text:  # on two lines: drawn whole above
            return
        painter.save()
        painter.setFont(_state_font(shown.font))
        selected = bool(shown.state & QStyle.StateFlag.State_Selected)
        painter.setPen(theme.NAVIGATOR_STATE_SELECTED if selected else theme.NAVIGATOR_STATE)
        painter.drawText(shown.rect.adjusted(0, 0, -_ITEM_PADDING, 0), _RIGHT_CENTRED, state)
        painter.restore()

    def _fits(self, option: QStyleOptionViewItem, name: str, state: str) -> bool:
        view = option.widget
        width = view.viewport().width() if isinstance(view, QListWidget) else option.rect.width()
        icon = option.decorationSize.width() + 6 if not option.icon.isNull() else 0
        needed = QFontMetrics(option.font).horizontalAdvance(name) + _STATE_GAP
        needed += QFontMetrics(_state_font(option.font)).horizontalAdvance(state)
        return 2 * _ITEM_PADDING + icon + needed <= width


def _state_font(font: QFont) -> QFont:
    smaller = QFont(font)
    smaller.setPointSizeF(max(font.pointSizeF() - 2, 8))
    return smaller


class Navigator(QListWidget):
    """首頁 and the nine steps, each with 未開始 / 有錯誤 / 有警告 / 完成 and its number of findings."""

    step_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigator")
        self.setIconSize(QSize(12, 12))
        self.setFixedWidth(210)
        # A heading wider than the list (a wider Windows font, less the vertical scroll bar of a 768-pixel
        # screen) goes onto a second line: never a sideways scroll bar over the last row (seen under Wine).
        # The policy is set by its name through Qt's property system: Qt.ScrollBarPolicy would build PySide's
        # whole Qt namespace (≈ 20 ms) before the first paint.
        self.setProperty("horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self.setWordWrap(True)
        self.setItemDelegate(_StepDelegate(self))
        self.headings: list[QListWidgetItem] = []
        for step in STEPS:
            if step.id in PROGRAMME_HEADINGS:  # one union, two programmes: a heading above each one's steps
                heading = QListWidgetItem(PROGRAMME_HEADINGS[step.id])
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                self.addItem(heading)
                self.headings.append(heading)
            item = QListWidgetItem(step.name)
            item.setData(ROLE_TARGET, step.id)
            self.addItem(item)
        self.currentItemChanged.connect(self._chosen)

    def settle_headings(self) -> None:
        """The headings can no longer be chosen. Done once a project is open and on screen: the flags need the
        Qt namespace, which is built neither for the first paint nor for the project's first frame."""
        from PySide6.QtCore import Qt

        for heading in self.headings:
            heading.setFlags(Qt.ItemFlag.NoItemFlags)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        target = item.data(ROLE_TARGET) if item is not None else None
        if target is not None:  # (a heading, before settle_headings, is no step)
            self.step_chosen.emit(target)

    def item_for(self, step_id: str) -> QListWidgetItem:
        return next(self.item(i) for i in range(self.count()) if self.item(i).data(ROLE_TARGET) == step_id)

    def select(self, step_id: str) -> None:
        self.setCurrentItem(self.item_for(step_id))

    def state_text(self, step_id: str) -> str:
        return self.item_for(step_id).text()

    def update_states(self, project: Project, year: int | None, findings: list[Finding]) -> None:
        from PySide6.QtGui import QIcon

        from treasurer_app.ui.steps import DONE, HAS_ERRORS, HAS_WARNINGS, step_state

        colors = {HAS_ERRORS: theme.ERROR_COLOR, HAS_WARNINGS: theme.WARNING_COLOR, DONE: theme.DONE_COLOR}
        for step in STEPS:
            item = self.item_for(step.id)
            if step.id == HOME or year is None or year not in project.years:
                item.setText(step.name)
                item.setIcon(QIcon())
                continue
            state = step_state(project, year, step.id, findings)
            count = f" · {state.count}" if state.count else ""
            item.setText(f"{step.name}\n{state.label}{count}")
            item.setIcon(dot(colors.get(state.label, theme.IDLE_COLOR)))
            tip = f"{state.errors} 個錯誤、{state.warnings} 個警告" if state.count else state.label
            item.setToolTip(tip)
