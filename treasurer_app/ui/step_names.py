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
# The second programme (勞動部補助工會運用行動通訊軟體實施要點): its forms and tables by form id, then its papers.
LINE_EXPORT = "line_export"
LINE_STEPS: tuple[Step, ...] = (
    Step("line_application", "LINE 補助申請"),
    Step("line_approval", "核定及結報"),
    Step("line_fees", "月租費付款紀錄"),
    Step("line_messages", "轉發勞動部訊息"),
    Step("line_training", "參加勞動部訓練"),
    Step("line_other_subsidies", "其他機關補助"),
    Step(LINE_EXPORT, "LINE 補助文件"),
)
PORT_STEPS = STEPS
STEPS = (*PORT_STEPS, *LINE_STEPS)
LINE_STEP_IDS = frozenset(step.id for step in LINE_STEPS)
# A heading the navigator shows above the first step of each programme.
PROGRAMME_HEADINGS = {"application": "商港服務費福利專款", LINE_STEPS[0].id: "勞動部 LINE 官方帳號補助"}
STEP_NAMES = {step.id: step.name for step in STEPS}
