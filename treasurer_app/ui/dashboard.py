"""首頁: what to do next — create the union or look at the sample, the deadlines, what is missing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from treasurer_app.findings import Finding
from treasurer_app.line_subsidy import forms as line_forms
from treasurer_app.line_subsidy import rules as line_rules
from treasurer_app.project import Project
from treasurer_app.ui.step_names import LINE_EXPORT, LINE_STEP_IDS, LINE_STEPS
from treasurer_app.ui.steps import (
    DONE,
    EXPORT,
    HOME,
    NOT_STARTED,
    STEPS,
    in_days,
    next_deadlines,
    roc_text,
    roc_year,
    step_state,
)

if TYPE_CHECKING:
    from treasurer_app.rules.education import EducationYear


DONE_STYLE = "color: #2e7d32"
URGENT_STYLE = "color: #c62828; font-weight: bold"
ERROR_STYLE = "color: #c62828; font-weight: bold"
WARNING_STYLE = "color: #b26a00; font-weight: bold"


def month_line(status: line_rules.MonthStatus) -> tuple[str, str, str]:
    """(month, what it says, style) for one month of forwarded MOL messages."""
    name = line_rules.month_name(status.month)
    if status.state == line_rules.MONTH_MET:
        return name, f"{status.count} 則 ✓", DONE_STYLE
    if status.state == line_rules.MONTH_SHORT:
        return name, f"只有 {status.count} 則，少 {status.missing} 則（已過）", ERROR_STYLE
    if status.state == line_rules.MONTH_RUNNING:
        return name, f"目前 {status.count} 則，月底前還須 {status.missing} 則", WARNING_STYLE
    return name, f"{status.count} 則", "color: #555"


def scroll_page(page: QWidget, spacing: int = 12) -> tuple[QWidget, QVBoxLayout]:
    """The frame of a page that scrolls (首頁, 匯出與列印, the LINE papers): ``page`` holds a frameless scroll
    area whose body (styled as ``#page``) is returned with its column layout, in the pages' margins."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea(page)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    body = QWidget(objectName="page")
    scroll.setWidget(body)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(24, 16, 24, 24)
    layout.setSpacing(spacing)
    return body, layout


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
        self.body, self.layout_ = scroll_page(self, spacing=14)

    def _clear(self) -> None:
        while self.layout_.count():
            widget = self.layout_.takeAt(0).widget()
            if widget is not None:
                # hide() first: a card added a moment ago still has a queued "show" from the layout, which
                # would otherwise pop it up as a window of its own at the screen's corner.
                widget.hide()
                widget.setParent(None)  # gone from the page now, not at the next event loop turn
                widget.deleteLater()

    def show_project(
        self,
        project: Project,
        year: int | None,
        findings: list[Finding],
        history: Sequence[EducationYear] | None = None,
    ) -> None:
        """``history``: the education history as the checker worked it out with ``findings`` (on its thread);
        None to work it out here."""
        self._clear()
        if year is None or year not in project.years:
            self._welcome()
        else:
            name = project.union_name(year) or "（尚未填寫工會名稱）"
            self.layout_.addWidget(QLabel(f"{name}　{year} 年度", objectName="pageTitle"))
            self._todo(project, year, findings)
            self._sources(project, year)
            self._line(project, year)
            if history is None:
                from treasurer_app.rules.education import education_history

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
            if step.id in (HOME,) or step.id in LINE_STEP_IDS:  # the LINE subsidy has its own card
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
            from treasurer_app.rules.attachments import ATTACHMENT_LABELS

            names = "、".join(f"{ATTACHMENT_LABELS[k]} PDF" for k in missing)
            note = QLabel(f"尚未選擇附件：{names}（在「匯出與列印」選擇）")
            note.setObjectName("pageHint")
            layout.addWidget(note)
        self.layout_.addWidget(frame)

    def _sources(self, project: Project, year: int) -> None:
        """Which sheets come from a ledger: this year's from last year's, next year's from this year's."""
        frame, layout = card("哪些表由現金收支登記簿產生")
        derived = "「決算及運用情形」與「教育訓練經費表」"
        last = project.years.get(year - 1)
        last_entries = last.ledger_entry_count() if last is not None else 0  # counted, last year's rows unread
        if last_entries:
            now = f"本年度申請書的{derived}由 {year - 1} 年的現金收支登記簿（{last_entries} 筆收支）自動計算。"
        else:
            now = (
                f"沒有 {year - 1} 年的現金收支登記簿：本年度的{derived}須手填；"
                f"也可以用「檔案 → 匯入活頁簿…」匯入 {year - 1} 年度的申請書與 {year - 1} 年各季的登記簿。"
            )
        book = project.years[year]
        entries = book.ledger_entry_count()
        later = (
            f"明年（{year + 1} 年度）申請書的{derived}，以及預算書的上年度未動支利息，"
            f"將由本年（{year} 年）的現金收支登記簿產生（目前 {entries} 筆收支）。"
        )
        for text in (now, later):
            label = QLabel(text)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.sources_texts = (now, later)
        self.layout_.addWidget(frame)

    def _line(self, project: Project, year: int) -> None:
        """The second programme: its application window, each month's forwarded messages, the claim deadline."""
        book = project.years[year]
        frame, layout = card("勞動部 LINE 官方帳號補助")
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        rows: list[tuple[str, str, str, str]] = []  # when, how long, what, style
        if not line_rules.in_use(book):
            note = QLabel(
                f"本年度尚未使用。勞動部補助工會 LINE 官方帳號月租費"
                f"（{year - 1} 年 12 月至 {year} 年 11 月），"
                f"須於 {line_forms.application_period(year)}申請。"
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        else:
            start, end = line_rules.application_window(year)
            mailed = line_rules.typed("line_application", book.forms.get("line_application", {}), "mailed_on")
            if isinstance(mailed, date):
                rows.append(
                    (roc_text(mailed), "已交寄", f"申請文件（前一年 {line_forms.APPLICATION_PERIOD}）", DONE_STYLE)
                )
            elif self.today <= end:
                days = (end - self.today).days
                rows.append(
                    (
                        roc_text(end),
                        in_days(days) if self.today >= start else f"{roc_text(start)}起",
                        "申請文件交寄期限（掛號等可查詢交寄日期之方式）",
                        URGENT_STYLE if days <= 14 else "",
                    )
                )
            else:
                rows.append((roc_text(end), "已過", "申請期間已過，尚未填寫交寄日期", ERROR_STYLE))
            if line_rules.approved(book):
                for status in line_rules.month_statuses(book, self.today):
                    if status.state in (line_rules.MONTH_SHORT, line_rules.MONTH_RUNNING):
                        name, text, style = month_line(status)
                        rows.append(
                            (
                                name,
                                "本月" if status.state == line_rules.MONTH_RUNNING else "已過",
                                f"轉發勞動部訊息：{text}",
                                style,
                            )
                        )
                deadline = line_rules.claim_deadline(year)
                claimed = line_rules.typed("line_approval", book.forms.get("line_approval", {}), "claimed_on")
                if isinstance(claimed, date):
                    rows.append((roc_text(claimed), "已發文", "結報請款專函", DONE_STYLE))
                else:
                    days = (deadline - self.today).days
                    rows.append(
                        (
                            roc_text(deadline),
                            in_days(days) if days >= 0 else "已過期",
                            f"結報請款（領據、成果報告表、每月訊息證明），請款 {line_rules.claim(book).total:,} 元",
                            ERROR_STYLE if days < 0 else URGENT_STYLE if days <= 14 else "",
                        )
                    )
        coming = roc_year(self.today) + 1  # the subsidy whose application window is this autumn (or next)
        start, end = line_rules.application_window(coming)
        if self.today > end:
            coming += 1
            start, end = line_rules.application_window(coming)
        if coming != year:
            days = (end - self.today).days
            where = "請先以「開始新年度…」建立該年度" if coming not in project.years else f"請切換到 {coming} 年度"
            rows.append(
                (
                    f"{roc_text(start)}至{roc_text(end)}",
                    in_days(days) if self.today >= start else f"還有 {(start - self.today).days} 天開始",
                    f"{coming} 年度補助的申請期間（{where}）",
                    URGENT_STYLE if start <= self.today else "",
                )
            )
        for row, (when, left, what, style) in enumerate(rows):
            labels = (QLabel(when), QLabel(left), QLabel(what))
            labels[2].setWordWrap(True)
            for col, label in enumerate(labels):
                label.setStyleSheet(style)
                grid.addWidget(label, row, col)
        layout.addLayout(grid)
        buttons = QHBoxLayout()
        for step_id, text in (
            (LINE_STEPS[0].id, "前往 LINE 補助申請"),
            ("line_messages", "登錄轉發訊息"),
            (LINE_EXPORT, "LINE 補助文件"),
        ):
            go = QPushButton(text)
            go.clicked.connect(lambda _=False, target=step_id: self.go_to.emit(target))
            buttons.addWidget(go)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.layout_.addWidget(frame)

    def _education(self, history: Sequence[EducationYear], year: int) -> None:
        """§11: education at least 40 % of the allocation; two years short means no allocation the year after."""
        history = [h for h in history if h.year <= year - 1][-3:]
        if not history:
            return
        frame, layout = card("教育訓練支出比率（應占分配款 40% 以上）")
        for entry in history:
            met = "✓ 達標" if entry.met else "✗ 未達 40%"
            label = QLabel(
                f"{entry.year} 年度：教育訓練 {entry.education:,} 元／分配款 {entry.allocation:,} 元"
                f"＝{entry.percent_text}　{met}"
            )
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
