"""Taiwan's identifiers as field types: 統一編號 (``TaxId``) and 身分證字號 or 居留證號 (``NationalId``),
each with its checksum; the sex an ID's second character gives."""

from __future__ import annotations

import re
from operator import mul

from treasurer_app.fields import Parsed, StructuredType, invalid
from treasurer_app.typed_text import fold

_DIGITS = re.compile(r"[0-9]+")

_TAX_ID_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)


def _tax_id_checksum_ok(digits: str) -> bool:
    products = [int(d) * w for d, w in zip(digits, _TAX_ID_WEIGHTS, strict=True)]
    total = sum(p // 10 + p % 10 for p in products)
    # Since 2023 the total must be divisible by 5 (10 before: a subset, so old numbers stay valid).
    if total % 5 == 0:
        return True
    # A 7th digit 7 gives 28 → 2 + 8 = 10, counted above (10 and 0 leave the same remainder);
    # it may also count as 1 + 0 = 1.
    return digits[6] == "7" and (total - 10 + 1) % 5 == 0


class TaxId(StructuredType):
    """統一編號: 8 digits with the MOF checksum (divisible-by-5 rule). Value: ``str``."""

    __slots__ = ()

    def _parse(self, text: str) -> Parsed:
        if not _DIGITS.fullmatch(text):
            return invalid(text, "須為 8 位數字")
        if len(text) != 8:
            return invalid(text, f"須為 8 位數字（目前 {len(text)} 位）")
        if not _tax_id_checksum_ok(text):
            return invalid(text, f"檢查碼不符（{text}）")
        return Parsed(text, text, None)

    @property
    def description(self) -> str:
        return "統一編號，8 位數字"


def tax_id_is_valid(text: str | None) -> bool:
    return TaxId().parse(text).value is not None


_LETTER_CODES = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34,
    "J": 18, "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25,
    "S": 26, "T": 27, "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}  # fmt: skip
_NATIONAL_ID_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
_ID_SHAPE = re.compile(r"[A-Z][0-9A-Z][0-9]{8}")
# 1/2: national ID; 8/9: resident certificate since 2021; A–D: the older resident certificate.
_ID_SECOND_CHAR_SEX = {"1": "男", "2": "女", "8": "男", "9": "女", "A": "男", "B": "女", "C": "男", "D": "女"}


def _national_id_checksum_ok(text: str) -> bool:
    area = _LETTER_CODES[text[0]]
    second = int(text[1]) if text[1].isdigit() else _LETTER_CODES[text[1]] % 10
    digits = (area // 10, area % 10, second, *map(int, text[2:]))  # 11 digits: the shape was checked
    total: int = sum(map(mul, digits, _NATIONAL_ID_WEIGHTS))
    return total % 10 == 0


class NationalId(StructuredType):
    """身分證字號 or 居留證號 (2021 format: letter + 8/9 + 8 digits; old: two letters + 8 digits).

    Letters are upper-cased on entry. Value: ``str``.
    """

    __slots__ = ()

    def _normalise(self, text: str) -> str:
        # Upper-casing can decompose a letter that folding composes again (「ῢ」 → Υ + two marks → Ϋ + one):
        # fold once more so that what is stored normalises to itself.
        return fold(fold(text).upper())

    def _parse(self, text: str) -> Parsed:
        if not _ID_SHAPE.fullmatch(text):
            return invalid(
                text, "格式為 1 個英文字母加 9 位數字，例如 A123456789（舊式居留證為 2 個英文字母加 8 位數字）"
            )
        if text[1] not in _ID_SECOND_CHAR_SEX:
            return invalid(text, f"第 2 碼須為 1 或 2（居留證為 8、9 或 A–D），目前為 {text[1]}")
        if not _national_id_checksum_ok(text):
            return invalid(text, f"檢查碼不符（{text}）")
        return Parsed(text, text, None)

    @property
    def description(self) -> str:
        return "身分證字號或居留證號，例如 A123456789"


def national_id_is_valid(text: str | None) -> bool:
    return NationalId().parse(text).value is not None


def national_id_sex(text: str | None) -> str | None:
    """'男' or '女' from the second character of a valid ID; None when the ID is empty or invalid."""
    value = NationalId().parse(text).value
    return _ID_SECOND_CHAR_SEX[value[1]] if isinstance(value, str) else None
