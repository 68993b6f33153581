"""The editors of a table's cells: a drop-down for a choice, tick boxes for several, a line checked as it is typed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from treasurer_app.fields import Choice, Field, MultiChoice
from treasurer_app.ui.widgets import ChoiceCombo, MultiChoiceInput

Index = QModelIndex | QPersistentModelIndex


CHOICE_SPREAD = 96  # px: the widest an open drop-down grows beyond its cell


class ChoiceEditor(ChoiceCombo):
    """A cell's drop-down. ``chosen(from_list)``: an option chosen, from the open list (by mouse or
    Enter) or by stepping through the options with the arrow keys while the list is closed."""

    chosen = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._from_list = False
        self.activated.connect(self._activated)

    def hidePopup(self) -> None:
        super().hidePopup()
        # A choice in the list hides it, then emits activated: remember the list until that has happened.
        self._from_list = True
        QTimer.singleShot(0, self._forget_list)

    def _forget_list(self) -> None:
        self._from_list = False

    def _activated(self) -> None:
        from_list, self._from_list = self._from_list, False
        self.chosen.emit(from_list)


MOUSE_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked,
    QAbstractItemView.EditTrigger.SelectedClicked,
    QAbstractItemView.EditTrigger.CurrentChanged,
)


class FieldDelegate(QStyledItemDelegate):
    """Cell editors by field type; the typed text is checked at once (``preview``)."""

    def __init__(
        self,
        field_of: Callable[[int], Field | None],
        preview: Callable[[int, int, str, QWidget], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.field_of = field_of
        self.preview = preview
        self.choices_of: Callable[[Index], tuple[str, ...] | None] = lambda index: None
        self.last_editor: QWidget | None = None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        self.last_editor = self._editor(parent, index)
        return self.last_editor

    def _editor(self, parent: QWidget, index: Index) -> QWidget:
        field = self.field_of(index.column())
        options = self.choices_of(index)
        if options is None and field is not None and isinstance(field.type, Choice):
            options = field.type.options
        if options is not None:
            combo = ChoiceEditor(parent)
            combo.addItem("", "")
            for option_text in options:
                combo.addItem(option_text, option_text)
            combo.view().setMinimumWidth(combo.options_width())  # the list, not the cell, takes the room
            combo.chosen.connect(lambda from_list, c=combo: self._chosen(c, from_list))
            if getattr(self.parent(), "last_edit_trigger", None) in MOUSE_TRIGGERS:
                QTimer.singleShot(0, combo, combo.showPopup)  # opened with the mouse: the list at once
            return combo
        if field is not None and isinstance(field.type, MultiChoice):
            editor = MultiChoiceInput(field, field.type.options, parent)
            editor.setAutoFillBackground(True)
            editor.edited.connect(lambda _=None, e=editor: self._commit(e))  # each tick, not only on leaving
            return editor
        line = QLineEdit(parent)
        row, column = index.row(), index.column()
        line.textEdited.connect(lambda text: self.preview(row, column, text, line))
        return line

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)

    def _chosen(self, editor: QWidget, from_list: bool) -> None:
        """Committed at once; a choice from the open list also closes the drop-down (no Enter needed)."""
        self.commitData.emit(editor)
        if from_list:
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            position = editor.findData(text)
            if position < 0:
                editor.addItem(text, text)
                position = editor.count() - 1
            editor.setCurrentIndex(position)
        elif isinstance(editor, MultiChoiceInput):
            editor.set_text(text)
        elif isinstance(editor, QLineEdit):
            editor.setText(text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData() or "")
        elif isinstance(editor, MultiChoiceInput | QLineEdit):
            model.setData(index, editor.text())

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        rect = option.rect
        wanted = rect.width()
        if isinstance(editor, MultiChoiceInput):
            wanted = max(wanted, editor.sizeHint().width())
        elif isinstance(editor, QComboBox):
            # A narrow column's drop-down (the ledger's 字, 28 px) showed only its arrow, not the choice being
            # made: it spreads over the next cells while open, as far as its choices need up to CHOICE_SPREAD.
            wanted = max(wanted, min(editor.sizeHint().width(), CHOICE_SPREAD))
        editor.setGeometry(rect.adjusted(0, 0, wanted - rect.width(), 0))
