"""Input widgets by field type: one factory, ``make_input(field)``, used by every form editor.

Each input shows and edits the stored text; ``edited`` fires on every user change
(keystroke, pick, tick) and ``finished`` when the user leaves the field, which is
when the text is normalised (full-width digits, thousands separators…).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from treasurer_app.fields import (
    ROC_OFFSET,
    Choice,
    Count,
    Field,
    Money,
    MultiChoice,
    RocDate,
    Text,
    date_to_roc,
    roc_to_date,
)

MARK_PROPERTY = "mark"  # "error" | "warning" | "missing" | "" — styled in theme.py


def set_mark(widget: QWidget, mark: str) -> None:
    if widget.property(MARK_PROPERTY) == mark:
        return
    widget.setProperty(MARK_PROPERTY, mark)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def whole_number(text: str) -> int | None:
    """The number ``text`` spells in ASCII digits, else None: ``str.isdigit`` also accepts ① and ²,
    which ``int`` refuses (and an exception while painting or in an event filter ends the program)."""
    return int(text) if text.isascii() and text.isdigit() else None


def grouped(text: str) -> str:
    """'1234567' → '1,234,567' for display; anything that is not plain digits stays as typed."""
    number = whole_number(text)
    return text if number is None else f"{number:,}"


class FieldInput(QWidget):
    """Base of the inputs: a text value, a mark, and the two signals."""

    edited = Signal(str)
    finished = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setToolTip("\n".join(t for t in (field.hint, field.type.description) if t))

    def text(self) -> str:
        raise NotImplementedError

    def set_text(self, text: str) -> None:
        """Show ``text`` without firing ``edited`` (undo, reload, normalisation)."""
        raise NotImplementedError

    def mark_target(self) -> QWidget:
        return self

    def set_mark(self, mark: str, message: str = "") -> None:
        set_mark(self.mark_target(), mark)
        tips = [t for t in (message, self.field.hint, self.field.type.description) if t]
        self.mark_target().setToolTip("\n".join(tips))

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)


class _FocusWatcher(QObject):
    def __init__(self, on_out: Callable[[], object], on_in: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.on_out, self.on_in = on_out, on_in

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.on_out()
        elif event.type() == QEvent.Type.FocusIn and self.on_in is not None:
            self.on_in()
        return False


class _WindowUndo(QObject):
    """Ctrl+Z / Ctrl+Y go to the window's undo history, not to the line's own (one history for all edits)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.ShortcutOverride
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or (event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier)
            )
        ):
            event.ignore()
            return True
        return False


WINDOW_UNDO = _WindowUndo()


class LineInput(FieldInput):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line = QLineEdit(self)
        self.line.installEventFilter(WINDOW_UNDO)
        self.line.setAccessibleName(field.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line, 1)
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self.finished)
        self.setFocusProxy(self.line)

    def _typed(self, text: str) -> None:
        """A keystroke: what ``text()`` returns is up to date before anyone hears of it, so that a
        listener comparing it with the stored value does not put the text back (and the cursor at the end)."""
        self._remember(text)
        self.edited.emit(text)

    def _remember(self, text: str) -> None:
        pass

    def text(self) -> str:
        return self.line.text()

    def set_text(self, text: str) -> None:
        if self.line.text() != text:
            self.line.setText(text)

    def mark_target(self) -> QWidget:
        return self.line

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        set_mark(self.line, "")


class NumberInput(LineInput):
    """Money and counts: right-aligned, shown with thousands separators while not being edited.

    While the user types, the text is exactly what was typed and the cursor stays where it is; the
    separators come on leaving the field and go again on coming back (the cursor kept beside the
    same digit)."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._stored = ""
        self._watcher = _FocusWatcher(self._show_grouped, self._show_plain)
        self.line.installEventFilter(self._watcher)

    def _remember(self, text: str) -> None:
        self._stored = text

    def _show_grouped(self) -> None:
        self.line.setText(grouped(self._stored))

    def _show_plain(self) -> None:
        shown = self.line.text()
        if shown == self._stored:
            return
        digits_before = len(shown[: self.line.cursorPosition()].replace(",", ""))
        self.line.setText(self._stored)
        self.line.setCursorPosition(digits_before)

    def text(self) -> str:
        return self._stored

    def set_text(self, text: str) -> None:
        self._stored = text
        shown = text if self.line.hasFocus() else grouped(text)
        if self.line.text() != shown:  # the same text again leaves the cursor alone
            self.line.setText(shown)


class RocCalendar(QFrame):
    """A month calendar whose header reads 民國 years; emits the picked date."""

    picked = Signal(date)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setNavigationBarVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setGridVisible(True)
        self.previous = QToolButton(self, text="‹")
        self.next = QToolButton(self, text="›")
        self.year = QSpinBox(self)
        self.year.setRange(1, 999)
        self.year.setPrefix("民國 ")
        self.year.setSuffix(" 年")
        self.month = QSpinBox(self)
        self.month.setRange(1, 12)
        self.month.setSuffix(" 月")
        header = QHBoxLayout()
        for widget in (self.previous, self.year, self.month, self.next):
            header.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.calendar)
        self.previous.clicked.connect(self.calendar.showPreviousMonth)
        self.next.clicked.connect(self.calendar.showNextMonth)
        self.calendar.currentPageChanged.connect(self._page_changed)
        self.year.valueChanged.connect(self._spin_changed)
        self.month.valueChanged.connect(self._spin_changed)
        self.calendar.clicked.connect(self._clicked)
        self.calendar.activated.connect(self._clicked)

    def show_date(self, shown: date) -> None:
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self.calendar.setCurrentPage(shown.year, shown.month)
        self._page_changed(shown.year, shown.month)

    def header_text(self) -> str:
        return f"{self.year.prefix()}{self.year.value()}{self.year.suffix()} {self.month.value()}{self.month.suffix()}"

    def _page_changed(self, year: int, month: int) -> None:
        for spin, value in ((self.year, year - ROC_OFFSET), (self.month, month)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)

    def _spin_changed(self) -> None:
        self.calendar.setCurrentPage(self.year.value() + ROC_OFFSET, self.month.value())

    def _clicked(self, picked: QDate) -> None:
        self.picked.emit(date(picked.year(), picked.month(), picked.day()))
        self.hide()


class RocDateInput(LineInput):
    """A 7-digit ROC date typed, or picked from a calendar that shows 民國 years."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line.setPlaceholderText("例如 1140721")  # no length limit: a long text is kept and its rule says why
        self.button = QToolButton(self, text="日曆")
        self.button.setToolTip("從日曆選日期（民國年）")
        self.layout().addWidget(self.button)
        self.button.clicked.connect(self.open_calendar)
        self.popup: RocCalendar | None = None

    def open_calendar(self) -> RocCalendar:
        if self.popup is None:
            self.popup = RocCalendar(self)
            self.popup.picked.connect(self._picked)
        self.popup.show_date(roc_to_date(self.text()) or date.today())
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        return self.popup

    def _picked(self, picked: date) -> None:
        self.line.setText(date_to_roc(picked))
        self.edited.emit(self.line.text())
        self.finished.emit()


class ChoiceCombo(QComboBox):
    """A drop-down that takes a choice typed with an input method (支, 男, １－１): the option it names is
    picked, as a typed letter or digit already does, instead of the text being dropped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
        # A list item delegate, not the menu-like default: under the style sheet that one drew the
        # current option as an empty white box when the list opened.
        self.setItemDelegate(QStyledItemDelegate(self))

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        typed = unicodedata.normalize("NFKC", event.commitString()).strip()
        index = self.option_for(typed) if typed else -1
        if index >= 0:
            self.setCurrentIndex(index)
            self.activated.emit(index)
        event.accept()

    def options_width(self) -> int:
        """The width at which every option's text fits beside the arrow (the style sheet's padding makes
        Qt's own size hint a few pixels short: 職業工會 touched the arrow and （請選擇） was cut)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.rect = QRect(0, 0, 400, self.sizeHint().height())
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        return widest + option.rect.width() - field.width() + 8

    def fit_options(self) -> None:
        """Wide enough for its longest option, and so is the list it opens."""
        width = self.options_width()
        self.setMinimumWidth(width)
        self.view().setMinimumWidth(width)

    def option_for(self, typed: str) -> int:
        """The option spelled ``typed``, else the first one starting with it; -1 when none does."""
        texts = [self.itemText(i) for i in range(self.count())]
        if typed in texts:
            return texts.index(typed)
        return next((i for i, text in enumerate(texts) if text and text.startswith(typed)), -1)


class ChoiceInput(FieldInput):
    def __init__(self, field: Field, options: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.options = options
        self.combo = ChoiceCombo(self)
        self.combo.addItem("（請選擇）", "")
        for option in options:
            self.combo.addItem(option, option)
        self.combo.fit_options()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.combo.activated.connect(self._activated)
        self.setFocusProxy(self.combo)

    def _activated(self, index: int) -> None:
        self.edited.emit(self.combo.itemData(index) or "")
        self.finished.emit()

    def text(self) -> str:
        return self.combo.currentData() or ""

    def set_text(self, text: str) -> None:
        index = self.combo.findData(text)
        if index < 0:  # an imported value that is not an option: keep it visible, the rule reports it
            self.combo.addItem(text, text)
            self.combo.fit_options()
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def mark_target(self) -> QWidget:
        return self.combo


class MultiChoiceInput(FieldInput):
    """One check box per option; the text is the ticked options joined by 、."""

    def __init__(self, field: Field, options: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.frame = QFrame(self)
        self.frame.setObjectName("multiChoice")
        self.boxes = [QCheckBox(option, self.frame) for option in options]
        inner = QHBoxLayout(self.frame)
        inner.setContentsMargins(4, 2, 4, 2)
        for box in self.boxes:
            inner.addWidget(box)
            box.toggled.connect(self._toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.frame)
        layout.addStretch(1)
        self._quiet = False

    def _toggled(self) -> None:
        if not self._quiet:
            self.edited.emit(self.text())
            self.finished.emit()

    def text(self) -> str:
        return "、".join(box.text() for box in self.boxes if box.isChecked())

    def set_text(self, text: str) -> None:
        value = self.field.type.parse(text).value
        chosen = value if isinstance(value, tuple) else ()
        self._quiet = True
        for box in self.boxes:
            box.setChecked(box.text() in chosen)
        self._quiet = False

    def mark_target(self) -> QWidget:
        return self.frame


class TextAreaInput(FieldInput):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.area = QPlainTextEdit(self)
        self.area.setTabChangesFocus(True)
        self.area.setUndoRedoEnabled(False)
        self.area.installEventFilter(WINDOW_UNDO)
        self.area.setFixedHeight(self.area.fontMetrics().lineSpacing() * 3 + 14)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area)
        self.area.textChanged.connect(self._changed)
        self._watcher = _FocusWatcher(self.finished.emit)
        self.area.installEventFilter(self._watcher)
        self._quiet = False
        self.setFocusProxy(self.area)

    def _changed(self) -> None:
        if not self._quiet:
            self.edited.emit(self.area.toPlainText())

    def text(self) -> str:
        return self.area.toPlainText()

    def set_text(self, text: str) -> None:
        if self.area.toPlainText() == text:
            return
        self._quiet = True
        self.area.setPlainText(text)
        self._quiet = False

    def mark_target(self) -> QWidget:
        return self.area


def make_input(field: Field, parent: QWidget | None = None) -> FieldInput:
    kind = field.type
    if isinstance(kind, RocDate):
        return RocDateInput(field, parent)
    if isinstance(kind, Money | Count):
        return NumberInput(field, parent)
    if isinstance(kind, MultiChoice):
        return MultiChoiceInput(field, kind.options, parent)
    if isinstance(kind, Choice):
        return ChoiceInput(field, kind.options, parent)
    if isinstance(kind, Text) and kind.multiline:
        return TextAreaInput(field, parent)
    return LineInput(field, parent)


class ReadOnlyFigure(QLabel):
    """A computed or supplied figure: shown, never typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figure")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_number(self, value: int) -> None:
        self.setText(f"{value:,}")


def focus_out(widget: QWidget) -> None:
    """For tests and programmatic moves: deliver a focus-out as the user leaving the field would."""
    event = QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason)
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(widget, event)
