"""The findings panel: all findings of the year, grouped by step; a click jumps to the form, row and field.

Not part of the first paint: the window's dock (ui/main_window) and the register's panel (ui/ledger_marks)
load it when they are built, after the project's first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem, QWidget

from treasurer_app.ui import theme
from treasurer_app.ui.panels import ROLE_TARGET, dot
from treasurer_app.ui.step_names import STEP_NAMES, STEPS

if TYPE_CHECKING:
    from treasurer_app.findings import Finding

BLANKS_NAMED = 4  # the blanks of a step are one line naming the first few: the real problems stay in sight
NOTHING_CHECKED = "建立工會資料（或開啟範例工會）後，這裡會列出每一個要更正的地方，點一下就會跳到該欄。"


class _WrappingDelegate(QStyledItemDelegate):
    """Row heights for wrapped text: QTreeView asks a row's height without saying how wide it is."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        from PySide6.QtCore import QRect, Qt
        from PySide6.QtWidgets import QStyle

        hint = super().sizeHint(option, index)
        tree = self.parent()
        assert isinstance(tree, QTreeWidget)
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        left = depth * tree.indentation()
        item.rect = QRect(left, 0, tree.viewport().width() - left, hint.height())
        style = tree.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, tree)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
        width = text_rect.width() - 2 * margin
        if width <= 40:
            return hint
        flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        height = QFontMetrics(item.font).boundingRect(QRect(0, 0, width, 100_000), flags, item.text).height()
        return QSize(hint.width(), max(hint.height(), height + 6))


class FindingsPanel(QTreeWidget):
    """All findings of the year, grouped by step; a click jumps to the form, row and field."""

    jump = Signal(str, object, object)  # form, field, row

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QHeaderView

        super().__init__(parent)
        self.setHeaderHidden(True)
        # Long messages wrap onto more lines within the panel's width, never run off its edge.
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setStretchLastSection(True)
        self.setUniformRowHeights(False)
        self.setIndentation(14)
        self.setItemDelegate(_WrappingDelegate(self))
        self.collapsed_steps: set[str] = set()  # groups the user closed stay closed; new ones open
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)
        self.itemCollapsed.connect(lambda item: self.collapsed_steps.add(item.data(0, ROLE_TARGET)))
        self.itemExpanded.connect(lambda item: self.collapsed_steps.discard(item.data(0, ROLE_TARGET)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # row heights follow the new width

    def show_findings(self, findings: list[Finding], checked: bool = True) -> None:
        """``checked``: False while there is no year to check (nothing to say yet, not "no errors")."""
        from PySide6.QtGui import QBrush

        from treasurer_app.findings import MISSING_VALUE_RULES
        from treasurer_app.ui.steps import step_of

        self.clear()
        groups: dict[str, list[Finding]] = {}
        for finding in findings:
            groups.setdefault(step_of(finding.form), []).append(finding)
        if not findings:
            if checked:
                empty = QTreeWidgetItem(["沒有錯誤或警告"])
                empty.setIcon(0, dot(theme.DONE_COLOR))
            else:
                empty = QTreeWidgetItem([NOTHING_CHECKED])
            self.addTopLevelItem(empty)
            return
        for step in STEPS:
            group = groups.get(step.id)
            if not group:
                continue
            errors = sum(1 for f in group if f.is_error)
            header = QTreeWidgetItem([f"{STEP_NAMES[step.id]}（{errors} 錯誤、{len(group) - errors} 警告）"])
            header.setData(0, ROLE_TARGET, step.id)
            font = header.font(0)
            font.setBold(True)
            header.setFont(0, font)
            self.addTopLevelItem(header)
            missing = [f for f in group if f.is_error and f.rule in MISSING_VALUE_RULES]
            blank = {id(f) for f in missing}  # by identity: comparing findings one by one took seconds
            if missing:  # one line for the blanks, so the real problems are not buried under them
                labels = "、".join(f.message.partition("：必填")[0] for f in missing[:BLANKS_NAMED])  # the label
                more = "…" if len(missing) > BLANKS_NAMED else ""
                child = QTreeWidgetItem([f"尚未填寫 {len(missing)} 個必填欄位：{labels}{more}"])
                child.setIcon(0, dot(theme.IDLE_COLOR))
                child.setToolTip(0, "\n".join(f.message for f in missing[:40]))
                first = missing[0]
                child.setData(0, ROLE_TARGET, (first.form, first.field, first.row))
                header.addChild(child)
            shown = [f for f in group if id(f) not in blank]
            for finding in sorted(shown, key=lambda f: (not f.is_error, f.row if f.row is not None else -1)):
                child = QTreeWidgetItem([finding.message])
                child.setIcon(0, dot(theme.ERROR_COLOR if finding.is_error else theme.WARNING_COLOR))
                child.setForeground(0, QBrush(theme.ERROR_COLOR if finding.is_error else theme.WARNING_COLOR))
                child.setToolTip(0, finding.message)
                child.setData(0, ROLE_TARGET, (finding.form, finding.field, finding.row))
                header.addChild(child)
            self.blockSignals(True)  # not the user's doing: collapsed_steps stays as it is
            header.setExpanded(step.id not in self.collapsed_steps)
            self.blockSignals(False)

    def messages(self) -> list[str]:
        """Every line shown under the steps (the blanks of a step are one line)."""
        found: list[str] = []
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            found.extend(top.child(j).text(0) for j in range(top.childCount()))
        return found

    def _clicked(self, item: QTreeWidgetItem) -> None:
        target = item.data(0, ROLE_TARGET)
        if isinstance(target, tuple):
            form, field, row = target
            self.jump.emit(form, field, row)
        elif isinstance(target, str):
            item.setExpanded(not item.isExpanded())
