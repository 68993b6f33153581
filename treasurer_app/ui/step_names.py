"""The steps of a year as the navigator lists them: names only, so the window can be painted before
any form declaration is loaded (their states are worked out in steps.py)."""

from __future__ import annotations

from typing import NamedTuple

HOME, EXPORT = "home", "export"
LEDGER_STEP = "ledger"  # forms.LEDGER_FORM, spelled out here so that forms/ is not loaded to paint the window


class Step(NamedTuple):  # not a dataclass: dataclasses is not otherwise loaded before the first paint
    id: str  # a form id, "ledger", "home" or "export"
    name: str


STEPS: tuple[Step, ...] = (
    Step(HOME, "首頁"),
    Step("application", "工會基本資料"),
    Step("roster", "會員名冊"),
    Step(LEDGER_STEP, "現金收支登記簿"),
    Step("final_accounts", "決算及運用情形"),
    Step("training_report", "教育訓練成果報告"),
    Step("training_expenses", "教育訓練經費表"),
    Step("work_plan", "工作計畫書"),
    Step("budget", "歲入歲出預算書"),
    Step(EXPORT, "匯出與列印"),
)
STEP_NAMES = {step.id: step.name for step in STEPS}
