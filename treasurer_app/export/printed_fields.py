"""The few fields a sheet prints in a form of their own, and how a workbook's cell is read back into them:
the A/B choice of sheet 3 as two radio marks, 上課方式 of sheet 4 as check boxes, and the planned interest
written inside 預算經費 of sheet 6 as「(另使用利息8,000元)」. The layouts (layouts.py) print with these;
the importer (importer/application.py) reads with them.
"""

from __future__ import annotations

import re

from treasurer_app.fields import Money
from treasurer_app.forms import FORMS, final_accounts, training_report, work_plan

# Marks for choices printed on paper (the official template uses check boxes and radio buttons).
CHECKED, UNCHECKED = "■", "□"
SELECTED, UNSELECTED = "●", "○"
CHECK_MARKS = (CHECKED, "☑", "✓", "✔", "☒")  # what counts as ticked when reading a workbook back


def interest_use_text(choice: str) -> str | None:
    """The A/B choice printed as two radio marks, the chosen one filled."""
    parsed = final_accounts.INTEREST_USE.type.parse(choice)
    if parsed.problem is not None:
        return parsed.text
    return "\n".join(
        f"{SELECTED if option == parsed.value else UNSELECTED} {final_accounts.INTEREST_USE_LABELS[option]}"
        for option in final_accounts.INTEREST_USE_OPTIONS
    )


def parse_interest_use(text: str) -> str:
    """The stored choice ("A", "B") from a printed cell: marks, a bare letter or a label."""
    text = (text or "").strip()
    for option in final_accounts.INTEREST_USE_OPTIONS:
        if re.search(rf"{SELECTED}\s*{re.escape(final_accounts.INTEREST_USE_LABELS[option])}", text):
            return option
    if SELECTED in text or UNSELECTED in text:
        return ""
    letter = re.match(r"\s*([AaBb])(?:\s*[：:].*)?$", text, re.DOTALL)
    return letter.group(1).upper() if letter else text


def methods_text(text: str) -> str | None:
    """上課方式 printed as the guide's check boxes, one per line."""
    field = FORMS["training_report"].field("methods")
    parsed = field.type.parse(text or "")
    if parsed.text and not isinstance(parsed.value, tuple):
        return parsed.text
    chosen = parsed.value if isinstance(parsed.value, tuple) else ()
    return "\n".join(f"{CHECKED if option in chosen else UNCHECKED}{option}" for option in training_report.METHODS)


def parse_methods(text: str) -> str:
    """The stored 上課方式 text from a printed cell: the ticked boxes, or the text as typed."""
    text = (text or "").strip()
    boxes = (*CHECK_MARKS, UNCHECKED, "☐")
    if not any(mark in text for mark in boxes):
        return text
    ticked = "|".join(re.escape(mark) for mark in CHECK_MARKS)
    methods = training_report.METHODS
    return "、".join(option for option in methods if re.search(rf"(?:{ticked})\s*{re.escape(option)}", text))


_INTEREST_NOTE = re.compile(r"\s*[(（]\s*另使用利息\s*([0-9０-９][0-9０-９,，]*)\s*元?\s*[)）]\s*$")


def budget_text_with_interest(text: str, interest_text: str) -> str:
    """預算經費 as printed: the text, then the planned interest the guide's way, e.g. (另使用利息8,000元)."""
    interest = Money(9).parse(interest_text or "").value
    if not isinstance(interest, int) or interest == 0:
        return text
    _, already = split_budget_text(text)
    if already == interest:
        return text
    return f"{text}\n{work_plan.interest_note(interest)}" if text else work_plan.interest_note(interest)


def split_budget_text(text: str) -> tuple[str, int | None]:
    """(text, planned interest) from a printed 預算經費 that may end with (另使用利息8,000元)."""
    match = _INTEREST_NOTE.search(text or "")
    if match is None:
        return text or "", None
    amount = Money(9).parse(match.group(1)).value
    if not isinstance(amount, int):
        return text, None
    return text[: match.start()].rstrip(), amount
