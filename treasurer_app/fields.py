"""Field types: one text the user typed → normalised text, a typed value, or the rule it breaks.

The contract is in docs/ARCHITECTURE.md ("Field type contract"); the rules are
DOMAIN.md §2 and the guide's 填寫說明. ``FieldType.parse`` never raises. An empty
input is never a problem for the type: whether a field is required is the
``Field``'s job. Problems are Traditional Chinese and carry no field label;
``Field.check`` puts the label in front.

Types are immutable values (``value.Value``), so they are hashable and parse results are cached
per (type, text): the app re-validates tens of thousands of values on each edit.
How a text is trimmed and folded to half-width before a type reads it is typed_text.py.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterable, Mapping
from datetime import date
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
from treasurer_app.value import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~6 ms of every treasurer-app check)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Final

ROC_OFFSET = 1911  # 民國年 = 西元年 − 1911

_DIGITS = re.compile(r"[0-9]+")


class Parsed(Value):
    __slots__ = ("problem", "text", "value")

    def __init__(self, text: str, value: object | None = None, problem: str | None = None) -> None:
        self.text: Final = text  # normalised text: what the user sees and what is stored
        self.value: Final = value  # typed value when valid and non-empty, else None
        self.problem: Final = problem  # the rule broken, without the field label; None when valid or empty


_EMPTY = Parsed("", None, None)


def invalid(text: str, problem: str) -> Parsed:
    """What a type's ``_parse`` returns for a text it refuses: the text kept, no value, the problem."""
    return Parsed(text, None, problem)


class FieldType(Value):
    """Base of all field types. Subclasses are immutable values (their settings in ``__slots__``) and
    implement ``_parse``."""

    __slots__ = ()
    # A quick test passed only by texts ``stored`` keeps as they are, or None: a file's reader then skips
    # ``stored`` for them (``normalise.Normaliser``: a quarter's vouchers and memos are 45,000 different texts).
    stored_as_is: Callable[[str], bool] | None = None

    def parse(self, raw: str | None) -> Parsed:
        if raw is None:
            return _EMPTY
        return _parse_cached(self, raw if isinstance(raw, str) else str(raw))

    def stored(self, raw: str) -> str:
        """The text stored for ``raw``: ``parse(raw).text`` (what a reader of a file normalises a value to)."""
        return self.parse(raw).text

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
        return invalid(trimmed, problem)
    # Trim again after normalising: NFKC turns some characters into a space plus a combining mark.
    text = trim(field_type._normalise(trimmed))
    if not text:
        return _EMPTY
    return field_type._parse(text)


class StructuredType(FieldType):
    """Codes and numbers: full-width digits, letters and punctuation are folded to half-width;
    other digits (², ①, ٣…) are refused rather than folded."""

    __slots__ = ()

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


class RocYear(StructuredType):
    """民國年: 3 digits, at least 100. Value: ``int``."""

    __slots__ = ()

    def _parse(self, text: str) -> Parsed:
        if not _DIGITS.fullmatch(text):
            return invalid(text, "須為 3 位數字的民國年，例如 115")
        if hint := _gregorian_hint(text):
            return invalid(text, hint)
        if len(text) != 3:
            return invalid(text, f"須為 3 位數字的民國年（目前 {len(text)} 位），例如 115")
        year = int(text)
        if year < 100:
            return invalid(text, "不可低於 100")
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


class RocDate(StructuredType):
    """民國年年年月月日日, 7 digits, e.g. 0840301; also accepts 114/7/21, 114-07-21, 114.7.21.

    Value: ``datetime.date``. Six digits are rejected rather than guessed (840301 could be
    a typo for 0840301 or for 1840301).
    """

    __slots__ = ()

    def _parse(self, text: str) -> Parsed:
        if separated := _SEPARATED_DATE.fullmatch(text):
            year, _, month, day = separated.groups()
            if hint := _gregorian_hint(year):
                return invalid(text, hint)
            if len(year) < 4:
                text = f"{int(year):03d}{int(month):02d}{int(day):02d}"
        if not _DIGITS.fullmatch(text):
            return invalid(text, f"格式為民國年年年月月日日（7 位數字），{_DATE_EXAMPLE}")
        if len(text) == 8 and (hint := _gregorian_hint(text[:4])):
            return invalid(text, hint)
        if len(text) == 6:
            return invalid(text, f"須為 7 位數字，民國年不足 3 位請在前面補 0，{_DATE_EXAMPLE}")
        if len(text) != 7:
            return invalid(text, f"須為 7 位數字（目前 {len(text)} 位），格式為民國年年年月月日日，{_DATE_EXAMPLE}")
        if problem := _date_problem(text):
            return invalid(text, problem)
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


class RocYearMonth(StructuredType):
    """民國年年年月月, 5 digits, e.g. 11503; also accepts 115/3. Value: ``YearMonth``."""

    __slots__ = ()

    def _parse(self, text: str) -> Parsed:
        if separated := _SEPARATED_MONTH.fullmatch(text):
            year, month = separated.groups()
            if hint := _gregorian_hint(year):
                return invalid(text, hint)
            if len(year) < 4:
                text = f"{int(year):03d}{int(month):02d}"
        if not _DIGITS.fullmatch(text) or len(text) != 5:
            return invalid(text, "格式為民國年年年月月（5 位數字），例如 11503")
        year, month = int(text[:3]), int(text[3:])
        if year < 1:
            return invalid(text, f"年月不存在（{text}：沒有民國 0 年）")
        if not 1 <= month <= 12:
            return invalid(text, f"年月不存在（{text}：沒有{month}月）")
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


# ---------------------------------------------------------------- contact details

# Lengths are loose here so that the digit count check below can say what is wrong.
_PHONE = re.compile(r"0[0-9]{1,3}-[0-9]{2,8}(?:-[0-9]{2,4})?(?:#[0-9]{1,6})?")
_PHONE_EXAMPLE = "例如 04-25670000；手機例如 0912-345678"
_SPACED_HASH = re.compile(r"\s*#\s*")


class Phone(StructuredType):
    """Area code + '-' + number (04-25670000, 02-2345-6789, 0912-345678), optional '#ext'. Value: ``str``."""

    __slots__ = ()

    def _normalise(self, text: str) -> str:
        return _SPACED_HASH.sub("#", fold(text))

    def _parse(self, text: str) -> Parsed:
        number = text.split("#", 1)[0]
        if _DIGITS.fullmatch(number):
            return invalid(text, f"須加區域碼及「-」，{_PHONE_EXAMPLE}")
        if not _PHONE.fullmatch(text):
            return invalid(text, f"格式為區域碼加「-」再加號碼，{_PHONE_EXAMPLE}")
        digit_count = sum(c.isdigit() for c in number)
        if not 9 <= digit_count <= 10:
            return invalid(
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


class Email(StructuredType):
    """An ordinary e-mail address (one '@', a dotted domain, no spaces). Value: ``str``."""

    __slots__ = ()

    def _parse(self, text: str) -> Parsed:
        if any(c.isspace() for c in text):
            return invalid(text, f"不可有空白，{_EMAIL_EXAMPLE}")
        if text.count("@") != 1:
            return invalid(text, f"須有一個「@」，{_EMAIL_EXAMPLE}")
        if not _EMAIL.fullmatch(text):
            return invalid(text, f"格式為 xxx@xxx.xxx.tw，{_EMAIL_EXAMPLE}")
        return Parsed(text, text, None)

    @property
    def description(self) -> str:
        return f"電子信箱，{_EMAIL_EXAMPLE}"


_POSTAL_ADDRESS = re.compile(r"([0-9]{3}(?:-?[0-9]{2,3})?)(?![0-9])\s*(.*)", re.DOTALL)


class Address(FieldType):
    """Postal code (3, 3+2 or 3+3 digits) followed by the address. Value: ``str``."""

    __slots__ = ()

    def _normalise(self, text: str) -> str:
        return text.translate(FULLWIDTH_ALNUM)

    def _parse(self, text: str) -> Parsed:
        match = _POSTAL_ADDRESS.fullmatch(text)
        if match is None:
            if text[0].isdigit():
                return invalid(text, "郵遞區號須為 3 碼（或 3+2、3+3 碼），例如 111臺中市XX區XX里北XX路XX號")
            return invalid(text, "缺郵遞區號：請以 3 碼郵遞區號開頭，例如 111臺中市XX區XX里北XX路XX號")
        if not match.group(2):
            return invalid(text, "郵遞區號之後須填住址")
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
        return invalid(text, _number_problem(text))
    significant = plain.lstrip("0") or "0"
    if len(significant) > digits:  # checked on the text: int() refuses over 4,300 digits
        return invalid(significant, f"最多 {digits} 位數字（目前 {len(significant)} 位）")
    value = int(significant)
    canonical = str(value)
    if len(canonical) > digits:
        return invalid(canonical, f"最多 {digits} 位數字（目前 {len(canonical)} 位）")
    return Parsed(canonical, value, None)


def _number_problem(text: str) -> str:
    if _NEGATIVE.fullmatch(text):
        return "須為 0 或正整數（不可為負數）"
    if _DECIMAL.fullmatch(text):
        return "須為 0 或正整數（不可有小數）"
    if "," in text and _DIGITS.fullmatch(text.replace(",", "")):
        return f"千分位「,」的位置不對（{text}），例如 1,234,567"
    return "須為 0 或正整數，請寫阿拉伯數字"


class Money(StructuredType):
    """NT$ amount: a non-negative integer with at most ``digits`` digits. Value: ``int``."""

    __slots__ = ("digits",)

    def __init__(self, digits: int = 9) -> None:
        self.digits: Final = digits

    def _parse(self, text: str) -> Parsed:
        return _whole_number(text, self.digits)

    @property
    def description(self) -> str:
        return f"金額（新臺幣元）：0 或正整數，最多 {self.digits} 位數字"


class Count(StructuredType):
    """A count (場次, 人次, 時數…): a non-negative integer with at most ``digits`` digits. Value: ``int``."""

    __slots__ = ("digits",)

    def __init__(self, digits: int = 5) -> None:
        self.digits: Final = digits

    def _parse(self, text: str) -> Parsed:
        return _whole_number(text, self.digits)

    @property
    def description(self) -> str:
        return f"0 或正整數，最多 {self.digits} 位數字"


# ---------------------------------------------------------------- text and choices


class Text(FieldType):
    """Free text of at most ``max_chars`` characters (CJK count 1 each), kept as typed apart from trimming.

    ``multiline`` is for the editor only (a text box instead of a line). Value: ``str``.
    """

    __slots__ = ("max_chars", "multiline")

    def __init__(self, max_chars: int = 150, multiline: bool = False) -> None:
        self.max_chars: Final = max_chars
        self.multiline: Final = multiline

    # Letters and digits only: no space, line end or zero-width mark for stored() to take off.
    stored_as_is: Callable[[str], bool] | None = staticmethod(str.isalnum)

    def stored(self, raw: str) -> str:
        # Free text is only trimmed (its line ends made \n): read without the parse cache, which a file's
        # names, vouchers and memos, nearly all different, would fill for nothing.
        return super().stored(raw) if "\r" in raw else trim(raw)

    def _normalise(self, text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def _parse(self, text: str) -> Parsed:
        if len(text) > self.max_chars:
            return invalid(text, f"最多 {self.max_chars} 個字（目前 {len(text)} 個字）")
        return Parsed(text, text, None)

    @property
    def description(self) -> str:
        return f"最多 {self.max_chars} 個字"


# An account number: at least 6 digits, which may be grouped by「-」or spaces (郵局 0001234-0123456).
_ACCOUNT_NUMBER = re.compile(r"[0-9](?:[- ]?[0-9]){5,}")
_BANK_EXAMPLE = "例如 臺灣銀行00港分行甲存戶123456789022"


class BankAccount(Text):
    """行庫別名稱及帳號: the bank's full name and the account number (DOMAIN.md §3). Value: ``str``.

    Digits and letters typed full-width are folded; other digits (², ①…) are refused, as in numbers.
    """

    __slots__ = ()
    # Folding full-width letters and digits is more than Text's trimming: stored text is parse's, with no quick test.
    stored_as_is = None
    stored = FieldType.stored

    def __init__(self, max_chars: int = 100, multiline: bool = False) -> None:
        super().__init__(max_chars, multiline)

    def _normalise(self, text: str) -> str:
        return text.translate(FULLWIDTH_ALNUM)

    def _screen(self, text: str) -> str | None:
        char = foreign_digit(text)
        return None if char is None else foreign_digit_problem(char)

    def _parse(self, text: str) -> Parsed:
        if len(text) > self.max_chars:
            return invalid(text, f"最多 {self.max_chars} 個字（目前 {len(text)} 個字）")
        if not _ACCOUNT_NUMBER.search(text):  # 「00港分行」is a branch, not an account
            return invalid(text, f"缺帳號（至少 6 位數字）：請填行庫全名及帳號，{_BANK_EXAMPLE}")
        if not any(c.isalpha() for c in text):
            return invalid(text, f"缺行庫名稱：請填行庫全名及帳號，{_BANK_EXAMPLE}")
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
    from decimal import Decimal, InvalidOperation  # here: only a number typed unlike its option (~1.5 ms at start)

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


class Choice(FieldType):
    """One of ``options``; the stored text is the option's own spelling. Value: ``str``
    (numeric options such as 天數 '0.5' stay text: convert with ``Decimal`` where needed).
    """

    __slots__ = ("options",)

    def __init__(self, options: Iterable[str]) -> None:
        self.options: Final = tuple(options)  # a list would not hash

    def _screen(self, text: str) -> str | None:
        return option_digits_problem(text, self.options)

    def _parse(self, text: str) -> Parsed:
        option = _match_option(text, self.options)
        if option is None:
            return invalid(text, f"須為下列之一：{'、'.join(self.options)}")
        return Parsed(option, option, None)

    @property
    def description(self) -> str:
        return f"請選：{'、'.join(self.options)}"


_MULTI_SEPARATORS = re.compile(r"[、,，/／\s]+")


class MultiChoice(FieldType):
    """Several of ``options``, typed separated by 、 , ， / or spaces and stored joined by 、
    in the options' order, without repeats. Options must not contain those separators.
    Value: ``tuple[str, ...]``.
    """

    __slots__ = ("min_count", "options")

    def __init__(self, options: Iterable[str], min_count: int = 1) -> None:
        self.options: Final = tuple(options)
        self.min_count: Final = min_count

    def _screen(self, text: str) -> str | None:
        return option_digits_problem(text, self.options)

    def _parse(self, text: str) -> Parsed:
        chosen: set[str] = set()
        for token in _MULTI_SEPARATORS.split(text):
            if not token:
                continue
            option = _match_option(token, self.options)
            if option is None:
                return invalid(text, f"「{token}」不是可選的項目；可選：{'、'.join(self.options)}")
            chosen.add(option)
        value = tuple(o for o in self.options if o in chosen)
        if len(value) < self.min_count:
            return invalid(text, f"至少選 {self.min_count} 項：{'、'.join(self.options)}")
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


class FieldProblem(Value):
    """A field's own rule broken: ``rule`` is FIELD_REQUIRED (blank) or FIELD_INVALID (refused by the type)."""

    __slots__ = ("message", "rule")

    def __init__(self, rule: str, message: str) -> None:
        self.rule: Final = rule
        self.message: Final = message


class Field(Value):
    """One input of a form: key (ASCII), printed label (verbatim; may hold {Y} {Y1} {Y2}), type."""

    __slots__ = ("hint", "key", "label", "required", "type")

    def __init__(self, key: str, label: str, type: FieldType, required: bool = True, hint: str = "") -> None:
        self.key: Final = key
        self.label: Final = label
        self.type: Final = type
        self.required: Final = required
        self.hint: Final = hint  # the guide's fill-in instruction

    def with_label(self, label: str) -> Field:
        """The same field shown under another label (a matrix cell's column heading)."""
        return Field(self.key, label, self.type, self.required, self.hint)

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
