"""首頁: what to do next — create the union or look at the sample, the deadlines, what is missing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from treasurer_app.findings import Finding
from treasurer_app.project import Project
from treasurer_app.ui.steps import (
    DONE,
    EXPORT,
    HOME,
    NOT_STARTED,
    STEPS,
    in_days,
    next_deadlines,
    roc_text,
    step_state,
)

if TYPE_CHECKING:
    from treasurer_app.rules import EducationYear


def card(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame(objectName="card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 14)
    heading = QLabel(title, objectName="sectionTitle")
    heading.setStyleSheet("padding-top: 0")
    layout.addWidget(heading)
    return frame, layout


class Dashboard(QWidget):
    create_union = Signal()
    open_sample = Signal()
    go_to = Signal(str)

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or date.today()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        self.body = QWidget(objectName="page")
        scroll.setWidget(self.body)
        self.layout_ = QVBoxLayout(self.body)
        self.layout_.setContentsMargins(24, 16, 24, 24)
        self.layout_.setSpacing(14)

    def _clear(self) -> None:
        while self.layout_.count():
            widget = self.layout_.takeAt(0).widget()
            if widget is not None:
                # hide() first: a card added a moment ago still has a queued "show" from the layout, which
                # would otherwise pop it up as a window of its own at the screen's corner.
                widget.hide()
                widget.setParent(None)  # gone from the page now, not at the next event loop turn
                widget.deleteLater()

    def show_project(self, project: Project, year: int | None, findings: list[Finding],
                     history: Sequence[EducationYear] | None = None) -> None:
        """``history``: the education history as the checker worked it out with ``findings`` (on its thread);
        None to work it out here."""
        self._clear()
        if year is None or year not in project.years:
            self._welcome()
        else:
            name = project.union_name(year) or "（尚未填寫工會名稱）"
            self.layout_.addWidget(QLabel(f"{name}　{year} 年度", objectName="pageTitle"))
            self._todo(project, year, findings)
            if history is None:
                from treasurer_app.rules import education_history

                history = education_history(project)
            self._education(history, year)
        self._deadlines()
        self.layout_.addStretch(1)

    def _welcome(self) -> None:
        title = QLabel("歡迎使用工會福利專款助手", objectName="pageTitle")
        text = QLabel(
            "這個程式陪您完成每年 1 月 31 日前要送的商港服務費福利專款申請（7 張表、會議紀錄、運用辦法），"
            "以及每季的現金收支登記簿。每一欄都會即時檢查，錯誤會以紅框標示並說明原因；"
            "資料自動儲存，不需要按儲存。"
        )
        text.setWordWrap(True)
        frame, layout = card("從這裡開始")
        create = QPushButton("建立本工會的資料", objectName="primary")
        create.clicked.connect(self.create_union)
        sample = QPushButton("先看看範例工會（指引的填寫範例）")
        sample.clicked.connect(self.open_sample)
        row = QHBoxLayout()
        row.addWidget(create)
        row.addWidget(sample)
        row.addStretch(1)
        layout.addLayout(row)
        note = QLabel("範例工會是勞動部填寫指引的範例（已更正錯誤），可隨意修改，不會影響您自己的資料。")
        note.setObjectName("pageHint")
        note.setWordWrap(True)
        layout.addWidget(note)
        for widget in (title, text, frame):
            self.layout_.addWidget(widget)

    def _todo(self, project: Project, year: int, findings: list[Finding]) -> None:
        frame, layout = card("還要完成的項目")
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        row = 0
        for step in STEPS:
            if step.id in (HOME,):
                continue
            state = step_state(project, year, step.id, findings)
            if state.label == DONE:
                status = "✓ 完成"
            elif state.label == NOT_STARTED:
                status = "尚未開始"
            else:
                status = f"{state.label}：{state.errors} 個錯誤、{state.warnings} 個警告"
            name = QLabel(step.name)
            detail = QLabel(status)
            detail.setStyleSheet("color: #2e7d32" if state.label == DONE else "color: #444")
            go = QPushButton("前往" if step.id != EXPORT else "檢查並匯出")
            go.clicked.connect(lambda _=False, target=step.id: self.go_to.emit(target))
            grid.addWidget(name, row, 0)
            grid.addWidget(detail, row, 1)
            grid.addWidget(go, row, 2)
            row += 1
        layout.addLayout(grid)
        missing = [kind for kind in ("meeting", "method") if not project.years[year].attachments.get(kind)]
        if missing:
            from treasurer_app.export.package import ATTACHMENT_LABELS

            names = "、".join(f"{ATTACHMENT_LABELS[k]} PDF" for k in missing)
            note = QLabel(f"尚未選擇附件：{names}（在「匯出與列印」選擇）")
            note.setObjectName("pageHint")
            layout.addWidget(note)
        self.layout_.addWidget(frame)

    def _education(self, history: Sequence[EducationYear], year: int) -> None:
        """§11: education at least 40 % of the allocation; two years short means no allocation the year after."""
        history = [h for h in history if h.year <= year - 1][-3:]
        if not history:
            return
        frame, layout = card("教育訓練支出比率（應占分配款 40% 以上）")
        for entry in history:
            met = "✓ 達標" if entry.met else "✗ 未達 40%"
            label = QLabel(f"{entry.year} 年度：教育訓練 {entry.education:,} 元／分配款 {entry.allocation:,} 元"
                           f"＝{entry.percent_text}　{met}")
            label.setStyleSheet("color: #2e7d32" if entry.met else "color: #c62828; font-weight: bold")
            layout.addWidget(label)
        if len(history) >= 2 and not history[-1].met and not history[-2].met:
            alarm = QLabel("連續 2 年未達 40%：依規定次 1 年度不予分配。請在工作計畫書與預算書提高教育訓練經費。")
            alarm.setWordWrap(True)
            alarm.setStyleSheet("color: white; background: #c62828; padding: 6px; font-weight: bold")
            layout.addWidget(alarm)
        self.layout_.addWidget(frame)

    def _deadlines(self) -> None:
        frame, layout = card("接下來的期限")
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        for row, deadline in enumerate(next_deadlines(self.today, 4)):
            days = deadline.days_left(self.today)
            when = QLabel(roc_text(deadline.due))
            left = QLabel(in_days(days))
            left.setStyleSheet("color: #c62828; font-weight: bold" if days <= 14 else "color: #555")
            what = QLabel(deadline.what)
            what.setWordWrap(True)
            grid.addWidget(when, row, 0)
            grid.addWidget(left, row, 1)
            grid.addWidget(what, row, 2)
        layout.addLayout(grid)
        self.layout_.addWidget(frame)

    def texts(self) -> list[str]:
        return [label.text() for label in self.body.findChildren(QLabel)]


__all__ = ["Dashboard"]
