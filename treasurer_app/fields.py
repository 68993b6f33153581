"""Field types: one text the user typed → normalised text, a typed value, or the rule it breaks.

The contract is in docs/ARCHITECTURE.md ("Field type contract"); the rules are
DOMAIN.md §2 and the guide's 填寫說明. ``FieldType.parse`` never raises. An empty
input is never a problem for the type: whether a field is required is the
``Field``'s job. Problems are Traditional Chinese and carry no field label;
``Field.check`` puts the label in front.

Types are frozen dataclasses, so they are hashable and parse results are cached
per (type, text): the app re-validates tens of thousands of values on each edit.
How a text is trimmed and folded to half-width before a type reads it is typed_text.py.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from treasurer_app.findings import FIELD_INVALID, FIELD_REQUIRED
from treasurer_app.typed_text import (
    FULLWIDTH_ALNUM,
    fold,
    foreign_digit,
    foreign_digit_problem,
    option_digits_problem,
    trim,
)

ROC_OFFSET = 1911  # 民國年 = 西元年 − 1911

_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Parsed:
    text: str  # normalised text: what the user sees and what is stored
    value: object | None = None  # typed value when valid and non-empty, else None
    problem: str | None = None  # the rule broken, without the field label; None when valid or empty


_EMPTY = Parsed("", None, None)


def _invalid(text: str, problem: str) -> Parsed:
    return Parsed(text, None, problem)


class FieldType:
    """Base of all field types. Subclasses are frozen dataclasses and implement ``_parse``."""

    def parse(self, raw: str | None) -> Parsed:
        if raw is None:
            return _EMPTY
        return _parse_cached(self, raw if isinstance(raw, str) else str(raw))

    def _normalise(self, text: str) -> str:
        """The text as it will be stored (before trimming); keeps what was typed unless a type says otherwise."""
        return text

    def _screen(self, text: str) -> str | None:
        """A problem found in the trimmed text before it is normalised (which could hide it), or None."""
        return None

    def _parse(self, text: str) -> Parsed:
        """Parse a normalised, trimmed, non-empty text."""
        raise NotImplementedError

    def format(self, value: object) -> str:
        """Typed value → canonical text; the inverse of ``parse`` for valid values."""
        return str(value)

    @property
    def description(self) -> str:
        raise NotImplementedError


@lru_cache(maxsize=1 << 16)
def _parse_cached(field_type: FieldType, raw: str) -> Parsed:
    trimmed = trim(raw)
    if trimmed and (problem := field_type._screen(trimmed)) is not None:
        return _invalid(trimmed, problem)
    # Trim again after normalising: NFKC turns some characters into a space plus a combining mark.
    text = trim(field_type._normalise(trimmed))
    if not text:
        return _EMPTY
    return field_type._parse(text)


class _StructuredType(FieldType):
    """Codes and numbers: full-width digits, letters and punctuation are folded to half-width;
    other digits (², ①, ٣…) are refused rather than folded."""

    def _normalise(self, text: str) -> str:
        return fold(text)

    def _screen(self, text: str) -> str | None:
        char = foreign_digit(text)
        return None if char is None else foreign_digit_problem(char)


# ---------------------------------------------------------------- ROC years and dates


class YearMonth(namedtuple("YearMonth", ("roc_year", "month"))):  # not typing.NamedTuple: typing costs ~6 ms at start
    """The value of a ``RocYearMonth``: ROC year (int) and month (int, 1–12)."""

    __slots__ = ()


_SEPARATED_DATE = re.compile(r"([0-9]{1,4})([/.-])([0-9]{1,2})\2([0-9]{1,2})")
_SEPARATED_MONTH = re.compile(r"([0-9]{1,4})[/.-]([0-9]{1,2})")
_DATE_EXAMPLE = "例如 0840301"


def _gregorian_hint(year_digits: str) -> str | None:
    if len(year_digits) == 4 and int(year_digits) > ROC_OFFSET:
        roc = int(year_digits) - ROC_OFFSET
        return f"請填民國年（西元 {int(year_digits)} 年即民國 {roc} 年）"
    return None


@dataclass(frozen=True)
class RocYear(_StructuredType):
    """民國年: 3 digits, at least 100. Value: ``int``."""

    def _parse(self, text: str) -> Parsed:
        if not _DIGITS.fullmatch(text):
            return _invalid(text, "須為 3 位數字的民國年，例如 115")
        if hint := _gregorian_hint(text):
            return _invalid(text, hint)
        if len(text) != 3:
            return _invalid(text, f"須為 3 位數字的民國年（目前 {len(text)} 位），例如 115")
        year = int(text)
        if year < 100:
            return _invalid(text, "不可低於 100")
        return Parsed(text, year, None)

    def format(self, value: object) -> str:
        return f"{value:03d}"

    @property
    def description(self) -> str:
        return "民國年，3 位數字，不可低於 100，例如 115"


def _date_problem(text: str) -> str | None:
    """Why a 7-digit YYYMMDD is not a real date, or None."""
    year, month, day = int(text[:3]), int(text[3:5]), int(text[5:])
    if year < 1:
        return f"日期不存在（{text}：沒有民國 0 年）"
    if not 1 <= month <= 12:
        return f"日期不存在（{text}：沒有{month}月）"
    try:
        date(year + ROC_OFFSET, month, day)
    except ValueError:
        if month == 2 and day == 29:
            return f"日期不存在（{text}：{year}年2月沒有29日）"
        return f"日期不存在（{text}：{month}月沒有{day}日）"
    return None


@dataclass(frozen=True)
class RocDate(_StructuredType):
    """民國年年年月月日日, 7 digits, e.g. 0840301; also accepts 114/7/21, 114-07-21, 114.7.21.

    Value: ``datetime.date``. Six digits are rejected rather than guessed (840301 could be
    a typo for 0840301 or for 1840301).
    """

    def _parse(self, text: str) -> Parsed:
        if separated := _SEPARATED_DATE.fullmatch(text):
            year, _, month, day = separated.groups()
            if hint := _gregorian_hint(year):
                return _invalid(text, hint)
            if len(year) < 4:
                text = f"{int(year):03d}{int(month):02d}{int(day):02d}"
        if not _DIGITS.fullmatch(text):
            return _invalid(text, f"格式為民國年年年月月日日（7 位數字），{_DATE_EXAMPLE}")
        if len(text) == 8 and (hint := _gregorian_hint(text[:4])):
            return _invalid(text, hint)
        if len(text) == 6:
            return _invalid(text, f"須為 7 位數字，民國年不足 3 位請在前面補 0，{_DATE_EXAMPLE}")
        if len(text) != 7:
            return _invalid(text, f"須為 7 位數字（目前 {len(text)} 位），格式為民國年年年月月日日，{_DATE_EXAMPLE}")
        if problem := _date_problem(text):
            return _invalid(text, problem)
        return Parsed(text, _date_of(text), None)

    def format(self, value: object) -> str:
        if not isinstance(value, date):
            raise TypeError(f"RocDate.format needs a date, not {value!r}")
        return date_to_roc(value)

    @property
    def description(self) -> str:
        return f"民國年年年月月日日，7 位數字，{_DATE_EXAMPLE}"


def _date_of(text: str) -> date:
    return date(int(text[:3]) + ROC_OFFSET, int(text[3:5]), int(text[5:]))


@dataclass(frozen=True)
class RocYearMonth(_StructuredType):
    """民國年年年月月, 5 digits, e.g. 11503; also accepts 115/3. Value: ``YearMonth``."""

    def _parse(self, text: str) -> Parsed:
        if separated := _SEPARATED_MONTH.fullmatch(text):
            year, month = separated.groups()
            if hint := _gregorian_hint(year):
                return _invalid(text, hint)
            if len(year) < 4:
                text = f"{int(year):03d}{int(month):02d}"
        if not _DIGITS.fullmatch(text) or len(text) != 5:
            return _invalid(text, "格式為民國年年年月月（5 位數字），例如 11503")
        year, month = int(text[:3]), int(text[3:])
        if year < 1:
            return _invalid(text, f"年月不存在（{text}：沒有民國 0 年）")
        if not 1 <= month <= 12:
            return _invalid(text, f"年月不存在（{text}：沒有{month}月）")
        return Parsed(text, YearMonth(year, month), None)

    def format(self, value: object) -> str:
        if not isinstance(value, tuple):
            raise TypeError(f"RocYearMonth.format needs a YearMonth, not {value!r}")
        roc_year, month = value
        return f"{roc_year:03d}{month:02d}"

    @property
    def description(self) -> str:
        return "民國年年年月月，5 位數字，例如 11503"


def roc_to_date(text: str | None) -> date | None:
    """'1140721' (or 114/7/21) → date(2025, 7, 21); None when empty or not a real date."""
    value = RocDate().parse(text).value
    return value if isinstance(value, date) else None


def date_to_roc(value: date) -> str:
    """date(2025, 7, 21) → '1140721'. Dates outside ROC years 1–999 have no 7-digit form."""
    roc_year = value.year - ROC_OFFSET
    if not 1 <= roc_year <= 999:
        raise ValueError(f"{value.isoformat()} 不在民國 1–999 年之間")
    return f"{roc_year:03d}{value.month:02d}{value.day:02d}"


# ---------------------------------------------------------------- identifiers

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


@dataclass(frozen=True)
class TaxId(_StructuredType):
    """統一編號: 8 digits with the MOF checksum (divisible-by-5 rule). Value: ``str``."""

    def _parse(self, text: str) -> Parsed:
        if not _DIGITS.fullmatch(text):
            return _invalid(text, "須為 8 位數字")
        if len(text) != 8:
            return _invalid(text, f"須為 8 位數字（目前 {len(text)} 位）")
        if not _tax_id_checksum_ok(text):
            return _invalid(text, f"檢查碼不符（{text}）")
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
    digits = (area // 10, area % 10, second, *(int(c) for c in text[2:]))
    return sum(d * w for d, w in zip(digits, _NATIONAL_ID_WEIGHTS, strict=True)) % 10 == 0


@dataclass(frozen=True)
class NationalId(_StructuredType):
    """身分證字號 or 居留證號 (2021 format: letter + 8/9 + 8 digits; old: two letters + 8 digits).

    Letters are upper-cased on entry. Value: ``str``.
    """

    def _normalise(self, text: str) -> str:
        # Upper-casing can decompose a letter that folding composes again (「ῢ」 → Υ + two marks → Ϋ + one):
        # fold once more so that what is stored normalises to itself.
        return fold(fold(text).upper())

    def _parse(self, text: str) -> Parsed:
        if not _ID_SHAPE.fullmatch(text):
            return _invalid(
                text, "格式為 1 個英文字母加 9 位數字，例如 A123456789（舊式居留證為 2 個英文字母加 8 位數字）"
            )
        if text[1] not in _ID_SECOND_CHAR_SEX:
            return _invalid(text, f"第 2 碼須為 1 或 2（居留證為 8、9 或 A–D），目前為 {text[1]}")
        if not _national_id_checksum_ok(text):
            return _invalid(text, f"檢查碼不符（{text}）")
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


# ---------------------------------------------------------------- contact details

# Lengths are loose here so that the digit count check below can say what is wrong.
_PHONE = re.compile(r"0[0-9]{1,3}-[0-9]{2,8}(?:-[0-9]{2,4})?(?:#[0-9]{1,6})?")
_PHONE_EXAMPLE = "例如 04-25670000；手機例如 0912-345678"
_SPACED_HASH = re.compile(r"\s*#\s*")


@dataclass(frozen=True)
class Phone(_StructuredType):
    """Area code + '-' + number (04-25670000, 02-2345-6789, 0912-345678), optional '#ext'. Value: ``str``."""

    def _normalise(self, text: str) -> str:
        return _SPACED_HASH.sub("#", fold(text))

    def _parse(self, text: str) -> Parsed:
        number = text.split("#", 1)[0]
        if _DIGITS.fullmatch(number):
            return _invalid(text, f"須加區域碼及「-」，{_PHONE_EXAMPLE}")
        if not _PHONE.fullmatch(text):
            return _invalid(text, f"格式為區域碼加「-」再加號碼，{_PHONE_EXAMPLE}")
        digit_count = sum(c.isdigit() for c in number)
        if not 9 <= digit_count <= 10:
            return _invalid(
                text, f"號碼位數不符（含區域碼應為 9 或 10 位數字，目前 {digit_count} 位），{_PHONE_EXAMPLE}"
            )
        return Parsed(text, text, None)

    @property
    def description(self) -> str:
        return f"區域碼加「-」及號碼，{_PHONE_EXAMPLE}；分機以 # 接在後面"


_EMAIL_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_EMAIL_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_EMAIL_LOCAL}@{_EMAIL_LABEL}(?:\.{_EMAIL_LABEL})*\.[A-Za-z]{{2,}}")
_EMAIL_EXAMPLE = "例如 test@gmail.com"


@dataclass(frozen=True)
class Email(_StructuredType):
    """An ordinary e-mail address (one '@', a dotted domain, no spaces). Value: ``str``."""

    def _parse(self, text: str) -> Parsed:
        if any(c.isspace() for c in text):
            return _invalid(text, f"不可有空白，{_EMAIL_EXAMPLE}")
        if text.count("@") != 1:
            return _invalid(text, f"須有一個「@」，{_EMAIL_EXAMPLE}")
        if not _EMAIL.fullmatch(text):
            return _invalid(text, f"格式為 xxx@xxx.xxx.tw，{_EMAIL_EXAMPLE}")
        return Parsed(text, text, None)

    @property
    def description(self) -> str:
        return f"電子信箱，{_EMAIL_EXAMPLE}"


_POSTAL_ADDRESS = re.compile(r"([0-9]{3}(?:-?[0-9]{2,3})?)(?![0-9])\s*(.*)", re.DOTALL)


@dataclass(frozen=True)
class Address(FieldType):
    """Postal code (3, 3+2 or 3+3 digits) followed by the address. Value: ``str``."""

    def _normalise(self, text: str) -> str:
        return text.translate(FULLWIDTH_ALNUM)

    def _parse(self, text: str) -> Parsed:
        match = _POSTAL_ADDRESS.fullmatch(text)
        if match is None:
            if text[0].isdigit():
                return _invalid(text, "郵遞區號須為 3 碼（或 3+2、3+3 碼），例如 111臺中市XX區XX里北XX路XX號")
            return _invalid(text, "缺郵遞區號：請以 3 碼郵遞區號開頭，例如 111臺中市XX區XX里北XX路XX號")
        if not match.group(2):
            return _invalid(text, "郵遞區號之後須填住址")
        return Parsed(text, text, None)

    @property
    def description(self) -> str:
        return "郵遞區號（3 碼）及住址，例如 111臺中市XX區XX里北XX路XX號"


# ---------------------------------------------------------------- numbers

_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_NEGATIVE = re.compile(r"-[0-9,.]*[0-9][0-9,.]*")
_DECIMAL = re.compile(r"[0-9,]*\.[0-9]+")


def _whole_number(text: str, digits: int) -> Parsed:
    """A non-negative integer with at most ``digits`` digits; '1,234' and full-width digits accepted."""
    plain = text.replace(",", "") if _GROUPED.fullmatch(text) else text
    if not _DIGITS.fullmatch(plain):
        return _invalid(text, _number_problem(text))
    significant = plain.lstrip("0") or "0"
    if len(significant) > digits:  # checked on the text: int() refuses over 4,300 digits
        return _invalid(significant, f"最多 {digits} 位數字（目前 {len(significant)} 位）")
    value = int(significant)
    canonical = str(value)
    if len(canonical) > digits:
        return _invalid(canonical, f"最多 {digits} 位數字（目前 {len(canonical)} 位）")
    return Parsed(canonical, value, None)


def _number_problem(text: str) -> str:
    if _NEGATIVE.fullmatch(text):
        return "須為 0 或正整數（不可為負數）"
    if _DECIMAL.fullmatch(text):
        return "須為 0 或正整數（不可有小數）"
    if "," in text and _DIGITS.fullmatch(text.replace(",", "")):
        return f"千分位「,」的位置不對（{text}），例如 1,234,567"
    return "須為 0 或正整數，請寫阿拉伯數字"


@dataclass(frozen=True)
class Money(_StructuredType):
    """NT$ amount: a non-negative integer with at most ``digits`` digits. Value: ``int``."""

    digits: int = 9

    def _parse(self, text: str) -> Parsed:
        return _whole_number(text, self.digits)

    @property
    def description(self) -> str:
        return f"金額（新臺幣元）：0 或正整數，最多 {self.digits} 位數字"


@dataclass(frozen=True)
class Count(_StructuredType):
    """A count (場次, 人次, 時數…): a non-negative integer with at most ``digits`` digits. Value: ``int``."""

    digits: int = 5

    def _parse(self, text: str) -> Parsed:
        return _whole_number(text, self.digits)

    @property
    def description(self) -> str:
        return f"0 或正整數，最多 {self.digits} 位數字"


# ---------------------------------------------------------------- text and choices


@dataclass(frozen=True)
class Text(FieldType):
    """Free text of at most ``max_chars`` characters (CJK count 1 each), kept as typed apart from trimming.

    ``multiline`` is for the editor only (a text box instead of a line). Value: ``str``.
    """

    max_chars: int = 150
    multiline: bool = False

    def _normalise(self, text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def _parse(self, text: str) -> Parsed:
        if len(text) > self.max_chars:
            return _invalid(text, f"最多 {self.max_chars} 個字（目前 {len(text)} 個字）")
        return Parsed(text, text, None)

    @property
    def description(self) -> str:
        return f"最多 {self.max_chars} 個字"


# An account number: at least 6 digits, which may be grouped by「-」or spaces (郵局 0001234-0123456).
_ACCOUNT_NUMBER = re.compile(r"[0-9](?:[- ]?[0-9]){5,}")
_BANK_EXAMPLE = "例如 臺灣銀行00港分行甲存戶123456789022"


@dataclass(frozen=True)
class BankAccount(Text):
    """行庫別名稱及帳號: the bank's full name and the account number (DOMAIN.md §3). Value: ``str``.

    Digits and letters typed full-width are folded; other digits (², ①…) are refused, as in numbers.
    """

    max_chars: int = 100

    def _normalise(self, text: str) -> str:
        return text.translate(FULLWIDTH_ALNUM)

    def _screen(self, text: str) -> str | None:
        char = foreign_digit(text)
        return None if char is None else foreign_digit_problem(char)

    def _parse(self, text: str) -> Parsed:
        if len(text) > self.max_chars:
            return _invalid(text, f"最多 {self.max_chars} 個字（目前 {len(text)} 個字）")
        if not _ACCOUNT_NUMBER.search(text):  # 「00港分行」is a branch, not an account
            return _invalid(text, f"缺帳號（至少 6 位數字）：請填行庫全名及帳號，{_BANK_EXAMPLE}")
        if not any(c.isalpha() for c in text):
            return _invalid(text, f"缺行庫名稱：請填行庫全名及帳號，{_BANK_EXAMPLE}")
        return Parsed(text, text, None)

    @property
    def description(self) -> str:
        return f"行庫全名及帳號，最多 {self.max_chars} 個字，{_BANK_EXAMPLE}"


_NUMBER = re.compile(r"[0-9]*\.?[0-9]+")


def _choice_key(text: str) -> str:
    return fold(text).casefold()


def _same_number(a: str, b: str) -> bool:
    if not (_NUMBER.fullmatch(a) and _NUMBER.fullmatch(b)):
        return False
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


def _match_option(text: str, options: tuple[str, ...]) -> str | None:
    """The option the text means: exact, or equal after folding width and case, or the same number (1.0 = 1)."""
    if text in options:
        return text
    key = _choice_key(text)
    for option in options:
        if _choice_key(option) == key or _same_number(fold(text), option):
            return option
    return None


@dataclass(frozen=True)
class Choice(FieldType):
    """One of ``options``; the stored text is the option's own spelling. Value: ``str``
    (numeric options such as 天數 '0.5' stay text: convert with ``Decimal`` where needed).
    """

    options: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))  # a list would not hash

    def _screen(self, text: str) -> str | None:
        return option_digits_problem(text, self.options)

    def _parse(self, text: str) -> Parsed:
        option = _match_option(text, self.options)
        if option is None:
            return _invalid(text, f"須為下列之一：{'、'.join(self.options)}")
        return Parsed(option, option, None)

    @property
    def description(self) -> str:
        return f"請選：{'、'.join(self.options)}"


_MULTI_SEPARATORS = re.compile(r"[、,，/／\s]+")


@dataclass(frozen=True)
class MultiChoice(FieldType):
    """Several of ``options``, typed separated by 、 , ， / or spaces and stored joined by 、
    in the options' order, without repeats. Options must not contain those separators.
    Value: ``tuple[str, ...]``.
    """

    options: tuple[str, ...]
    min_count: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))

    def _screen(self, text: str) -> str | None:
        return option_digits_problem(text, self.options)

    def _parse(self, text: str) -> Parsed:
        chosen: set[str] = set()
        for token in _MULTI_SEPARATORS.split(text):
            if not token:
                continue
            option = _match_option(token, self.options)
            if option is None:
                return _invalid(text, f"「{token}」不是可選的項目；可選：{'、'.join(self.options)}")
            chosen.add(option)
        value = tuple(o for o in self.options if o in chosen)
        if len(value) < self.min_count:
            return _invalid(text, f"至少選 {self.min_count} 項：{'、'.join(self.options)}")
        return Parsed("、".join(value), value, None)

    def format(self, value: object) -> str:
        if not isinstance(value, tuple | list):
            raise TypeError(f"MultiChoice.format needs a tuple of options, not {value!r}")
        return "、".join(str(option) for option in value)

    @property
    def description(self) -> str:
        return f"可複選（以「、」分隔）：{'、'.join(self.options)}"


# ---------------------------------------------------------------- fields


class _KeepUnknown(dict[str, object]):
    """format_map mapping that leaves unknown placeholders as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class FieldProblem:
    """A field's own rule broken: ``rule`` is FIELD_REQUIRED (blank) or FIELD_INVALID (refused by the type)."""

    rule: str
    message: str


@dataclass(frozen=True)
class Field:
    """One input of a form: key (ASCII), printed label (verbatim; may hold {Y} {Y1} {Y2}), type."""

    key: str
    label: str
    type: FieldType
    required: bool = True
    hint: str = ""  # the guide's fill-in instruction

    def check(self, raw: str | None, label: str | None = None) -> tuple[Parsed, str | None]:
        """(parsed, message): message is「{label}：{problem}」or「{label}：必填」, None when fine.

        Pass ``label`` (e.g. from ``label_for``) when the printed label has year placeholders.
        """
        parsed = self.type.parse(raw)
        found = self._problem(parsed, label)
        return parsed, None if found is None else found.message

    def problem(self, raw: str | None, label: str | None = None) -> FieldProblem | None:
        """What is wrong with ``raw`` by this field's own rule, with the rule's id; None when fine."""
        return self._problem(self.type.parse(raw), label)

    def _problem(self, parsed: Parsed, label: str | None) -> FieldProblem | None:
        name = self.label if label is None else label
        if not parsed.text:
            return FieldProblem(FIELD_REQUIRED, f"{name}：必填") if self.required else None
        if parsed.problem is not None:
            return FieldProblem(FIELD_INVALID, f"{name}：{parsed.problem}")
        return None

    def label_for(self, years: Mapping[str, object]) -> str:
        """The label with {Y}, {Y1}, {Y2} filled in, e.g. {"Y": 115, "Y1": 114, "Y2": 113}."""
        return self.label.format_map(_KeepUnknown(years))
