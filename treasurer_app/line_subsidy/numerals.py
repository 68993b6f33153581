"""Amounts in Taiwan's capital numerals (大寫數字), written as on a cheque or a 領據.

``capital(1001120)`` is 壹佰萬零壹仟壹佰貳拾: every run of zeros between two non-zero digits is
one 零 — also across the 萬 and 億 boundaries, as banks write it — and trailing zeros are dropped.
``receipt_amount(4200)`` is 新臺幣肆仟貳佰元整. Amounts are whole NT$ of at most 9 digits (the
fields' Money(digits=9) limit): 999,999,999 is the largest.
"""

from __future__ import annotations

DIGITS = "零壹貳參肆伍陸柒捌玖"
PLACES = ("", "拾", "佰", "仟")  # within a group of four digits
GROUPS = {4: "萬", 8: "億"}  # the position (from the right, 0-based) where each group ends
MAX_DIGITS = 9


def capital(amount: int) -> str:
    """``amount`` (0 ≤ amount < 10⁹) in capital numerals, without 新臺幣 / 元整."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"capital() needs an int, not {amount!r}")
    if amount < 0:
        raise ValueError(f"金額不可為負數（{amount}）")
    text = str(amount)
    if len(text) > MAX_DIGITS:
        raise ValueError(f"金額最多 {MAX_DIGITS} 位數字（{amount}）")
    if amount == 0:
        return DIGITS[0]
    out: list[str] = []
    zero_pending = False
    size = len(text)
    for index, char in enumerate(text):
        position = size - 1 - index
        digit = int(char)
        if digit:
            if zero_pending:
                out.append(DIGITS[0])
                zero_pending = False
            out.append(DIGITS[digit] + PLACES[position % 4])
        else:
            zero_pending = True
        # 萬 closes its group when any of the group's digits is non-zero (壹佰萬, not 壹佰); 億 is one digit here.
        if position in GROUPS and any(c != "0" for c in text[max(0, index - 3) : index + 1]):
            out.append(GROUPS[position])
    return "".join(out)


def receipt_amount(amount: int) -> str:
    """The 領據's amount line: 新臺幣肆仟貳佰元整."""
    return f"新臺幣{capital(amount)}元整"
