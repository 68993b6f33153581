"""Field types (DOMAIN.md §2): every example of the spec, normalisation, messages, and properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treasurer_app.fields import (
    Address,
    BankAccount,
    Choice,
    Count,
    Email,
    Field,
    FieldType,
    Money,
    MultiChoice,
    Parsed,
    Phone,
    RocDate,
    RocYear,
    RocYearMonth,
    Text,
    YearMonth,
    date_to_roc,
    roc_to_date,
)
from treasurer_app.identifiers import NationalId, TaxId, national_id_is_valid, national_id_sex, tax_id_is_valid

METHODS = ("上課講授", "分組討論", "生態參訪")
DAYS = ("0.5", "1", "2")

ALL_TYPES: tuple[FieldType, ...] = (
    RocYear(),
    RocDate(),
    RocYearMonth(),
    TaxId(),
    NationalId(),
    Phone(),
    Email(),
    Address(),
    Money(9),
    Money(7),
    Count(5),
    Text(150),
    Text(100, multiline=True),
    Choice(DAYS),
    Choice(("A", "B")),
    MultiChoice(METHODS),
    BankAccount(),
)


def valid(field_type: FieldType, raw: str) -> Parsed:
    parsed = field_type.parse(raw)
    assert parsed.problem is None, parsed
    assert parsed.value is not None, parsed
    return parsed


def problem(field_type: FieldType, raw: str) -> str:
    parsed = field_type.parse(raw)
    assert parsed.value is None, parsed
    assert parsed.problem is not None, parsed
    return parsed.problem


# ---------------------------------------------------------------- empty input


@pytest.mark.parametrize("field_type", ALL_TYPES, ids=repr)
@pytest.mark.parametrize("raw", ["", "   ", "\u3000\u3000", " \t\n", None])
def test_empty_input_is_empty_not_a_problem(field_type: FieldType, raw: str | None) -> None:
    assert field_type.parse(raw) == Parsed("", None, None)


# ---------------------------------------------------------------- ROC year


def test_roc_year_spec_example() -> None:
    assert valid(RocYear(), "115") == Parsed("115", 115, None)


@pytest.mark.parametrize("raw", ["99", "1150", "abc", "11五", "11 5", "-115"])
def test_roc_year_must_be_three_digits(raw: str) -> None:
    assert "須為 3 位數字的民國年" in problem(RocYear(), raw)


def test_roc_year_below_100_is_rejected() -> None:
    assert problem(RocYear(), "099") == "不可低於 100"


def test_roc_year_gregorian_year_gets_a_hint() -> None:
    assert problem(RocYear(), "2025") == "請填民國年（西元 2025 年即民國 114 年）"


def test_roc_year_full_width_digits_are_normalised() -> None:
    assert valid(RocYear(), "　１１５　") == Parsed("115", 115, None)


# ---------------------------------------------------------------- ROC date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0840301", date(1995, 3, 1)),
        ("1140721", date(2025, 7, 21)),
        ("0670127", date(1978, 1, 27)),  # 成立日期 of the guide's worked example
        ("0010101", date(1912, 1, 1)),
        ("1130229", date(2024, 2, 29)),  # 2024 is a leap year
    ],
)
def test_roc_date_spec_examples(raw: str, expected: date) -> None:
    assert valid(RocDate(), raw) == Parsed(raw, expected, None)


def test_roc_date_guides_own_example_1141140_does_not_exist() -> None:
    assert problem(RocDate(), "1141140") == "日期不存在（1141140：11月沒有40日）"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1141340", "日期不存在（1141340：沒有13月）"),
        ("1140015", "日期不存在（1140015：沒有0月）"),
        ("1140100", "日期不存在（1140100：1月沒有0日）"),
        ("1140431", "日期不存在（1140431：4月沒有31日）"),
        ("1120229", "日期不存在（1120229：112年2月沒有29日）"),
        ("0000101", "日期不存在（0000101：沒有民國 0 年）"),
    ],
)
def test_roc_date_must_be_a_real_calendar_date(raw: str, message: str) -> None:
    assert problem(RocDate(), raw) == message


@pytest.mark.parametrize(
    "raw", ["114/7/21", "114-07-21", "114.7.21", "114/07/21", "１１４／７／２１", "114－7－21", "１１４０７２１"]
)
def test_roc_date_separated_and_full_width_forms_normalise_to_seven_digits(raw: str) -> None:
    assert valid(RocDate(), raw) == Parsed("1140721", date(2025, 7, 21), None)


def test_roc_date_short_year_is_zero_padded() -> None:
    assert valid(RocDate(), "84/3/1").text == "0840301"


def test_roc_date_separated_form_of_a_missing_day_keeps_the_normalised_text() -> None:
    parsed = RocDate().parse("114/11/40")
    assert parsed.text == "1141140"
    assert parsed.problem == "日期不存在（1141140：11月沒有40日）"


def test_roc_date_six_digits_are_not_guessed() -> None:
    message = problem(RocDate(), "840301")
    assert "須為 7 位數字" in message
    assert "補 0" in message
    assert "0840301" in message


@pytest.mark.parametrize("raw", ["20250721", "2025/7/21", "2025-07-21"])
def test_roc_date_gregorian_dates_get_a_hint(raw: str) -> None:
    assert problem(RocDate(), raw) == "請填民國年（西元 2025 年即民國 114 年）"


@pytest.mark.parametrize("raw", ["11407211", "11407", "114/7", "114 07 21", "民國114年7月21日", "abc", "114/7-21"])
def test_roc_date_other_shapes_are_rejected(raw: str) -> None:
    assert "0840301" in problem(RocDate(), raw)


def test_roc_to_date_and_back() -> None:
    assert roc_to_date("1140721") == date(2025, 7, 21)
    assert roc_to_date("114/7/21") == date(2025, 7, 21)
    assert roc_to_date("1141140") is None
    assert roc_to_date("") is None
    assert roc_to_date(None) is None
    assert date_to_roc(date(2025, 7, 21)) == "1140721"
    assert date_to_roc(date(1995, 3, 1)) == "0840301"


@pytest.mark.parametrize("day", [date(1911, 12, 31), date(2911, 1, 1)])
def test_date_to_roc_refuses_dates_without_a_seven_digit_form(day: date) -> None:
    with pytest.raises(ValueError, match="民國"):
        date_to_roc(day)


# ---------------------------------------------------------------- ROC year-month


def test_roc_year_month_spec_example() -> None:
    parsed = valid(RocYearMonth(), "11503")
    assert parsed == Parsed("11503", YearMonth(115, 3), None)
    assert parsed.value == (115, 3)
    assert RocYearMonth().format(YearMonth(115, 3)) == "11503"


@pytest.mark.parametrize("raw", ["115/3", "115-03", "１１５０３"])
def test_roc_year_month_accepts_separated_and_full_width_forms(raw: str) -> None:
    assert valid(RocYearMonth(), raw).text == "11503"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("11513", "沒有13月"),
        ("11500", "沒有0月"),
        ("00003", "沒有民國 0 年"),
        ("1150", "5 位數字"),
        ("115033", "5 位數字"),
        ("115年3月", "5 位數字"),
    ],
)
def test_roc_year_month_rejections(raw: str, fragment: str) -> None:
    assert fragment in problem(RocYearMonth(), raw)


# ---------------------------------------------------------------- 統一編號


@pytest.mark.parametrize(
    "raw",
    [
        "76645831",
        "04595257",
        # 7th digit 7: 1 0 4 5 8 5 7 5 × 1 2 1 2 1 2 4 1 → digit sums 1+0+4+1+8+1+(2+8=10)+5 = 30
        "10458575",
        "00501503",
        "12345675",
        # 7 6 3 9 7 2 5 0 × 1 2 1 2 1 2 4 1 = 7,12,3,18,7,4,20,0 → 7+3+3+9+7+4+2+0 = 35: ÷5 yes, ÷10 no
        "76397250",
    ],
)
def test_tax_id_valid_vectors(raw: str) -> None:
    assert valid(TaxId(), raw) == Parsed(raw, raw, None)
    assert tax_id_is_valid(raw)


@pytest.mark.parametrize("raw", ["12345678", "00501502", "18034063"])
def test_tax_id_invalid_vectors(raw: str) -> None:
    assert problem(TaxId(), raw) == f"檢查碼不符（{raw}）"
    assert not tax_id_is_valid(raw)


def test_tax_id_seventh_digit_seven_may_count_as_one() -> None:
    # 0 0 0 0 0 0 7 4: 7×4 = 28 → 10 → counted as 1 (1 + 4 = 5 passes); counted as 0 or 10 it would not.
    assert tax_id_is_valid("00000074")
    # counted as 0 (0 + 0) passes
    assert tax_id_is_valid("00000070")
    # 0 0 0 0 0 0 7 2: 1 + 2 = 3, 0 + 2 = 2: neither passes
    assert not tax_id_is_valid("00000072")
    # the 1-or-0 alternative is for a 7 in the 7th place only: 0 0 0 0 0 0 2 4 → 2×4 = 8, 8 + 4 = 12
    assert not tax_id_is_valid("00000024")


@pytest.mark.parametrize("raw", ["1234567", "123456789", "1234567a", "1234-5678"])
def test_tax_id_needs_eight_digits(raw: str) -> None:
    message = problem(TaxId(), raw)
    assert "須為 8 位數字" in message
    assert "檢查碼" not in message


def test_tax_id_full_width_digits_are_normalised() -> None:
    assert valid(TaxId(), "７６６４５８３１").text == "76645831"


# ---------------------------------------------------------------- 身分證字號 and 居留證號


def test_national_id_spec_vectors() -> None:
    assert valid(NationalId(), "A123456789") == Parsed("A123456789", "A123456789", None)
    assert problem(NationalId(), "A123456788") == "檢查碼不符（A123456788）"
    assert national_id_is_valid("A123456789")
    assert not national_id_is_valid("A123456788")


def test_national_id_is_upper_cased_on_entry() -> None:
    assert valid(NationalId(), " a123456789 ").text == "A123456789"
    assert valid(NationalId(), "ａ１２３４５６７８９").text == "A123456789"


# Check digits worked out by hand: letter code (A=10 …) split into two digits, then
# weights 1,9,8,7,6,5,4,3,2,1,1; the total must end in 0.
RESIDENT_CERTIFICATES = [
    # old format, second letter A → code 10 → units digit 0:
    # 1×1 + 0×9 + 0×8 + 1×7 + 2×6 + 3×5 + 4×4 + 5×3 + 6×2 + 7×1 = 85, check 5 → 90
    ("AA12345675", "男"),
    # old format, F = 15, second letter D → 13 → 3:
    # 1×1 + 5×9 + 3×8 + 1×7 + 2×6 + 3×5 + 4×4 + 5×3 + 6×2 + 7×1 = 154, check 6 → 160
    ("FD12345676", "女"),
    # old format, M = 21, second letter B → 11 → 1:
    # 2×1 + 1×9 + 1×8 + 2×7 + 3×6 + 4×5 + 5×4 + 6×3 + 7×2 + 8×1 = 131, check 9 → 140
    ("MB23456789", "女"),
    # old format, C = 12, second letter C → 12 → 2:
    # 1×1 + 2×9 + 2×8 + 7×7 + 6×6 + 5×5 + 4×4 + 3×3 + 2×2 + 1×1 = 175, check 5 → 180
    ("CC76543215", "男"),
    # 2021 format, A = 10, second digit 8:
    # 1×1 + 0×9 + 8×8 + 0×7 + 0×6 + 0×5 + 0×4 + 0×3 + 0×2 + 1×1 = 66, check 4 → 70
    ("A800000014", "男"),
    # 2021 format, Z = 33, second digit 9:
    # 3×1 + 3×9 + 9×8 + 1×7 + 2×6 + 3×5 + 4×4 + 5×3 + 6×2 + 7×1 = 186, check 4 → 190
    ("Z912345674", "女"),
]


@pytest.mark.parametrize(("raw", "sex"), RESIDENT_CERTIFICATES)
def test_resident_certificates_are_accepted(raw: str, sex: str) -> None:
    assert valid(NationalId(), raw).text == raw
    assert national_id_sex(raw) == sex


@pytest.mark.parametrize("raw", ["AA12345674", "FD12345670", "A800000015", "Z912345675"])
def test_resident_certificate_checksum_is_checked(raw: str) -> None:
    assert problem(NationalId(), raw) == f"檢查碼不符（{raw}）"


def test_national_id_sex() -> None:
    assert national_id_sex("A123456789") == "男"
    # A = 10: 1×1 + 0×9 + 2×8 + 2×7 + 3×6 + 4×5 + 5×4 + 6×3 + 7×2 + 8×1 = 129, check 1 → 130
    assert national_id_sex("A223456781") == "女"
    assert national_id_sex("A123456788") is None  # invalid: unknown
    assert national_id_sex("") is None
    assert national_id_sex(None) is None


@pytest.mark.parametrize("raw", ["A12345678", "A1234567890", "1123456789", "AB1234567", "A12345678X", "A12345 6789"])
def test_national_id_shape_is_checked(raw: str) -> None:
    assert "1 個英文字母加 9 位數字" in problem(NationalId(), raw)


@pytest.mark.parametrize("raw", ["A323456789", "A023456789", "AE12345678"])
def test_national_id_second_character_is_checked(raw: str) -> None:
    assert problem(NationalId(), raw).startswith("第 2 碼須為 1 或 2")


# ---------------------------------------------------------------- phone, e-mail, address


@pytest.mark.parametrize(
    "raw",
    ["04-25670000", "04-12345678", "02-2345-6789", "0912-345678", "0912-345-678", "037-123456", "0826-12345",
     "04-25670000#123", "0800-123-456"],
)  # fmt: skip
def test_phone_accepted(raw: str) -> None:
    assert valid(Phone(), raw) == Parsed(raw, raw, None)


def test_phone_is_normalised() -> None:
    assert valid(Phone(), "０４－２５６７００００").text == "04-25670000"
    assert valid(Phone(), "04-25670000 # 123").text == "04-25670000#123"


def test_phone_without_dash_quotes_the_example() -> None:
    message = problem(Phone(), "0425670000")
    assert "「-」" in message
    assert "04-25670000" in message


@pytest.mark.parametrize("raw", ["(04)25670000", "04 25670000", "4-25670000", "04-2567-000a", "+886-4-25670000"])
def test_phone_other_shapes_are_rejected(raw: str) -> None:
    assert "04-25670000" in problem(Phone(), raw)


@pytest.mark.parametrize("raw", ["04-2567", "04-2567-00"])
def test_phone_digit_count_is_checked(raw: str) -> None:
    assert "號碼位數不符" in problem(Phone(), raw)


@pytest.mark.parametrize("raw", ["test@gmail.com", "xxx@abc.gov.tw", "a.b+c@mail.example.org"])
def test_email_accepted(raw: str) -> None:
    assert valid(Email(), raw) == Parsed(raw, raw, None)


def test_email_full_width_is_normalised() -> None:
    assert valid(Email(), "ｔｅｓｔ＠ｇｍａｉｌ．ｃｏｍ").text == "test@gmail.com"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("test gmail.com", "不可有空白"),
        ("te st@gmail.com", "不可有空白"),
        ("testgmail.com", "須有一個「@」"),
        ("a@b@gmail.com", "須有一個「@」"),
        ("test@gmail", "xxx@xxx.xxx.tw"),
        ("@gmail.com", "xxx@xxx.xxx.tw"),
        ("test@.com", "xxx@xxx.xxx.tw"),
        ("test.@gmail.com", "xxx@xxx.xxx.tw"),
        ("測試@gmail.com", "xxx@xxx.xxx.tw"),
    ],
)
def test_email_rejections(raw: str, fragment: str) -> None:
    assert fragment in problem(Email(), raw)


@pytest.mark.parametrize(
    "raw", ["111臺中市XX區XX里北XX路XX號", "40756臺中市梧棲區臨港路", "407564臺中市梧棲區臨港路", "111 臺北市士林區"]
)
def test_address_accepted(raw: str) -> None:
    assert valid(Address(), raw) == Parsed(raw, raw, None)


def test_address_full_width_digits_fold_but_chinese_stays() -> None:
    assert valid(Address(), "１１１臺中市（北屯區）１２號").text == "111臺中市（北屯區）12號"


def test_address_without_postal_code_is_rejected() -> None:
    assert "缺郵遞區號" in problem(Address(), "臺中市XX區XX里北XX路XX號")


@pytest.mark.parametrize("raw", ["11臺中市", "1112臺中市", "1112345臺中市"])
def test_address_postal_code_length_is_checked(raw: str) -> None:
    assert "郵遞區號須為 3 碼" in problem(Address(), raw)


def test_address_needs_text_after_the_postal_code() -> None:
    assert problem(Address(), "111") == "郵遞區號之後須填住址"


# ---------------------------------------------------------------- money and counts


@pytest.mark.parametrize(
    ("raw", "value"),
    [("0", 0), ("467000", 467000), ("1,234", 1234), ("１，２３４", 1234), ("１２３", 123), ("467,000", 467000),
     ("1,051,509", 1051509), ("007", 7), ("999999999", 999_999_999), ("　2,357,031　", 2357031)],
)  # fmt: skip
def test_money_normalises_to_plain_digits(raw: str, value: int) -> None:
    assert valid(Money(9), raw) == Parsed(str(value), value, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("１２３４５６７８９０", "最多 9 位數字（目前 10 位）"),
        ("1,234,567,890", "最多 9 位數字（目前 10 位）"),
        ("-5", "須為 0 或正整數（不可為負數）"),
        ("－5", "須為 0 或正整數（不可為負數）"),
        ("12.5", "須為 0 或正整數（不可有小數）"),
        ("12.0", "須為 0 或正整數（不可有小數）"),
        ("12a", "須為 0 或正整數，請寫阿拉伯數字"),
        ("一千", "須為 0 或正整數，請寫阿拉伯數字"),
        ("NT$100", "須為 0 或正整數，請寫阿拉伯數字"),
        ("1 234", "須為 0 或正整數，請寫阿拉伯數字"),
        ("12,34", "千分位「,」的位置不對（12,34），例如 1,234,567"),
        ("1234,567", "千分位「,」的位置不對（1234,567），例如 1,234,567"),
    ],
)
def test_money_rejections(raw: str, message: str) -> None:
    assert problem(Money(9), raw) == message


def test_too_many_digits_shows_the_normalised_number() -> None:
    assert Money(9).parse("１２３４５６７８９０").text == "1234567890"


def test_money_digit_limit_is_per_field() -> None:
    assert valid(Money(7), "9,999,999").value == 9_999_999
    assert problem(Money(7), "10,000,000") == "最多 7 位數字（目前 8 位）"


def test_count_has_its_own_digit_limit() -> None:
    assert valid(Count(5), "99,999").value == 99_999
    assert valid(Count(5), "００３８５").value == 385
    assert problem(Count(5), "100000") == "最多 5 位數字（目前 6 位）"
    assert problem(Count(5), "-1") == "須為 0 或正整數（不可為負數）"
    assert problem(Count(2), "100") == "最多 2 位數字（目前 3 位）"


# ---------------------------------------------------------------- text


def test_text_counts_characters_with_cjk_as_one() -> None:
    assert valid(Text(150), "碼" * 150).value == "碼" * 150
    assert problem(Text(150), "碼" * 151) == "最多 150 個字（目前 151 個字）"
    assert problem(Text(5), "ab碼頭cd") == "最多 5 個字（目前 6 個字）"


def test_text_is_kept_as_typed_apart_from_trimming() -> None:
    # full-width letters and digits in free text (names, descriptions) are the user's own spelling
    assert valid(Text(50), "\u3000ＸＸ工會　１號倉 ").text == "ＸＸ工會　１號倉"


def test_text_line_endings_are_unified() -> None:
    field_type = Text(100, multiline=True)
    assert field_type.multiline
    assert not Text(100).multiline
    assert valid(field_type, "第一行\r\n第二行\r第三行").text == "第一行\n第二行\n第三行"


# ---------------------------------------------------------------- choices


@pytest.mark.parametrize(
    ("raw", "option"), [("0.5", "0.5"), ("０．５", "0.5"), (".5", "0.5"), ("1.0", "1"), ("2", "2")]
)
def test_choice_matches_its_options(raw: str, option: str) -> None:
    assert valid(Choice(DAYS), raw) == Parsed(option, option, None)


def test_choice_folds_width_and_case_of_ascii_options() -> None:
    assert valid(Choice(("A", "B")), "ｂ").text == "B"
    assert valid(Choice(("男", "女")), " 女 ").text == "女"


def test_choice_rejection_lists_the_options() -> None:
    assert problem(Choice(DAYS), "3") == "須為下列之一：0.5、1、2"
    assert problem(Choice(("男", "女")), "M") == "須為下列之一：男、女"


def test_choice_options_given_as_a_list_still_hash() -> None:
    field_type = Choice(["男", "女"])  # type: ignore[arg-type]
    assert field_type.options == ("男", "女")
    assert hash(field_type) == hash(Choice(("男", "女")))
    assert valid(field_type, "男").value == "男"


@pytest.mark.parametrize(
    "raw",
    ["生態參訪、上課講授", "生態參訪,上課講授", "生態參訪，上課講授", "生態參訪/上課講授", "生態參訪 上課講授",
     "上課講授、生態參訪、上課講授", " 生態參訪 ， 上課講授 "],
)  # fmt: skip
def test_multi_choice_is_joined_in_option_order_without_repeats(raw: str) -> None:
    assert valid(MultiChoice(METHODS), raw) == Parsed("上課講授、生態參訪", ("上課講授", "生態參訪"), None)


def test_multi_choice_rejects_unknown_items_and_keeps_the_text() -> None:
    parsed = MultiChoice(METHODS).parse("上課講授、線上課程")
    assert parsed.text == "上課講授、線上課程"
    assert parsed.problem == "「線上課程」不是可選的項目；可選：上課講授、分組討論、生態參訪"


def test_multi_choice_minimum_count() -> None:
    assert problem(MultiChoice(METHODS, min_count=2), "上課講授") == "至少選 2 項：上課講授、分組討論、生態參訪"
    assert problem(MultiChoice(METHODS, min_count=2), "上課講授、上課講授").startswith("至少選 2 項")
    assert valid(MultiChoice(METHODS, min_count=2), "分組討論、上課講授").text == "上課講授、分組討論"


# ---------------------------------------------------------------- Field


def test_field_check_names_the_field_and_the_rule() -> None:
    tax_id = Field("tax_id", "統一編號", TaxId())
    parsed, message = tax_id.check("12345678")
    assert parsed.text == "12345678"
    assert message == "統一編號：檢查碼不符（12345678）"
    assert (
        Field("founded", "成立日期", RocDate()).check("1141140")[1] == "成立日期：日期不存在（1141140：11月沒有40日）"
    )
    nature = Field("work_nature", "港區工作性質", Text(150))
    assert nature.check("碼" * 151)[1] == "港區工作性質：最多 150 個字（目前 151 個字）"
    assert Field("amount", "金額", Money(9)).check("-5")[1] == "金額：須為 0 或正整數（不可為負數）"


def test_field_check_valid_input_has_no_message() -> None:
    parsed, message = Field("amount", "金額", Money(9)).check("１，２３４")
    assert message is None
    assert parsed == Parsed("1234", 1234, None)


def test_field_check_required_and_optional() -> None:
    assert Field("union_name", "工會名稱", Text(100)).check("　")[1] == "工會名稱：必填"
    assert Field("union_name", "工會名稱", Text(100)).check(None)[1] == "工會名稱：必填"
    dissolved = Field("dissolved", "解散、合併日期", RocDate(), required=False)
    assert dissolved.check("") == (Parsed("", None, None), None)
    assert dissolved.check("840301")[1] is not None  # optional, but what is typed is still checked


def test_field_label_override_and_year_placeholders() -> None:
    field = Field("allocation", "1、{Y1}年度分配款金額", Money(9))
    years = {"Y": 115, "Y1": 114, "Y2": 113}
    assert field.label_for(years) == "1、114年度分配款金額"
    assert field.check("abc", field.label_for(years))[1] == "1、114年度分配款金額：須為 0 或正整數，請寫阿拉伯數字"
    assert Field("x", "動支截至上一年{Y2}年歷年累積結餘款金額", Money(9)).label_for(years) == (
        "動支截至上一年113年歷年累積結餘款金額"
    )
    assert field.label_for({}) == "1、{Y1}年度分配款金額"  # an unknown placeholder is left visible


def test_application_worked_example_validates_except_the_placeholder_tax_id() -> None:
    """DOMAIN.md §3: the guide's filled-in sheet 1."""
    rows = [
        (Field("year", "申請年度", RocYear()), "115"),
        (Field("name", "工會名稱", Text(100)), "00職業工會"),
        (Field("founded", "成立日期", RocDate()), "0670127"),
        (Field("dissolved", "解散、合併日期", RocDate(), required=False), ""),
        (Field("nature", "港區工作性質", Text(150)), "碼頭裝卸作業"),
        (Field("account_name", "帳號戶名", Text(100)), "00工會商港服務費福利專款"),
        (Field("bank", "行庫別名稱及帳號", Text(100)), "臺灣銀行00港分行甲存戶123456789022"),
        (Field("address", "會址", Address()), "111臺中市XX區XX里北XX路XX號"),
        (Field("phone", "電話", Phone()), "04-12345678"),
        (Field("fax", "傳真", Phone()), "04-12345678"),
        (Field("leader", "工會負責人", Text(50)), "黃XX理事長"),
        (Field("members", "會員人數", Count(5)), "385"),
        (Field("contact", "聯絡人", Text(50)), "洪XX"),
        (Field("contact_phone", "聯絡人電話", Phone()), "04-12345678"),
        (Field("email", "聯絡人電子信箱", Email()), "test@gmail.com"),
    ]
    assert [field.check(raw)[1] for field, raw in rows] == [None] * len(rows)
    assert Field("tax_id", "統一編號", TaxId()).check("12345678")[1] == "統一編號：檢查碼不符（12345678）"


# ---------------------------------------------------------------- types are values


def test_types_are_hashable_values() -> None:
    assert Money(9) == Money(9)
    assert hash(Money(9)) == hash(Money(9))
    assert Money(9) != Money(7)
    assert Money(5) != Count(5)
    assert len({RocDate(), RocDate(), TaxId()}) == 2


def test_parse_results_are_shared_between_equal_types() -> None:
    assert Money(9).parse("1,234") is Money(9).parse("1,234")


def test_descriptions_are_chinese_one_liners() -> None:
    for field_type in ALL_TYPES:
        assert field_type.description
        assert "\n" not in field_type.description
    assert "9 位數字" in Money(9).description
    assert "0840301" in RocDate().description


# ---------------------------------------------------------------- properties


@pytest.mark.parametrize("field_type", ALL_TYPES, ids=repr)
@given(raw=st.text())
def test_parse_never_raises_and_is_consistent(field_type: FieldType, raw: str) -> None:
    parsed = field_type.parse(raw)
    assert isinstance(parsed.text, str)
    if parsed.text == "":
        assert parsed == Parsed("", None, None)
    else:
        assert (parsed.value is None) != (parsed.problem is None)
        assert parsed.text == parsed.text.strip()
        # normalising twice changes nothing: what is stored parses to the same result
        assert field_type.parse(parsed.text) == parsed


@pytest.mark.parametrize("field_type", [RocDate(), RocYear(), TaxId(), Money(9), NationalId(), Phone()], ids=repr)
@given(raw=st.text(alphabet="0123456789０１２３４５６７８９,，/-－ AaＡ\u3000", max_size=14))
def test_parse_never_raises_on_near_miss_input(field_type: FieldType, raw: str) -> None:
    parsed = field_type.parse(raw)
    assert parsed.text == "" or (parsed.value is None) != (parsed.problem is None)


@given(st.integers(min_value=0, max_value=999_999_999))
def test_money_round_trip(value: int) -> None:
    assert Money(9).parse(Money(9).format(value)).value == value
    assert Money(9).parse(f"{value:,}").value == value


@given(st.integers(min_value=0, max_value=99_999))
def test_count_round_trip(value: int) -> None:
    assert Count(5).parse(Count(5).format(value)).value == value


@given(st.integers(min_value=10**9, max_value=10**15))
def test_money_over_nine_digits_is_always_rejected(value: int) -> None:
    assert Money(9).parse(str(value)).problem == f"最多 9 位數字（目前 {len(str(value))} 位）"


@given(st.dates(min_value=date(1912, 1, 1), max_value=date(2910, 12, 31)))
def test_roc_date_round_trip(value: date) -> None:
    text = RocDate().format(value)
    assert len(text) == 7
    assert RocDate().parse(text).value == value
    assert roc_to_date(date_to_roc(value)) == value


@given(st.integers(min_value=100, max_value=999), st.integers(min_value=1, max_value=12))
def test_roc_year_and_year_month_round_trip(year: int, month: int) -> None:
    assert RocYear().parse(RocYear().format(year)).value == year
    assert RocYearMonth().parse(RocYearMonth().format(YearMonth(year, month))).value == (year, month)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8).filter(tax_id_is_valid))
def test_tax_id_round_trip(value: str) -> None:
    assert TaxId().parse(TaxId().format(value)).value == value


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_tax_id_every_prefix_has_check_digits_five_apart(prefix: str) -> None:
    # The last digit has weight 1: exactly the two digits d and d + 5 complete the total to a multiple of 5,
    # twice that when a 7th digit 7 lets 10 count as 1 too.
    check_digits = [d for d in range(10) if tax_id_is_valid(f"{prefix}{d}")]
    if prefix[6] == "7":
        assert len(check_digits) == 4
    else:
        assert len(check_digits) == 2
        assert check_digits[1] - check_digits[0] == 5


@given(st.lists(st.sampled_from(METHODS), min_size=1, max_size=5))
def test_multi_choice_round_trip(chosen: list[str]) -> None:
    field_type = MultiChoice(METHODS)
    parsed = field_type.parse(" , ".join(chosen))
    assert set(parsed.value or ()) == set(chosen)
    assert field_type.parse(field_type.format(parsed.value)) == parsed


# ---------------------------------------------------------------- digits other than 0–9 (issue 11)

NUMERIC_TYPES: tuple[FieldType, ...] = (
    Money(9), Count(5), RocYear(), RocDate(), RocYearMonth(), TaxId(), Phone(), NationalId(), Choice(DAYS),
)  # fmt: skip


@pytest.mark.parametrize("field_type", NUMERIC_TYPES, ids=repr)
@pytest.mark.parametrize(
    ("raw", "char", "kind"),
    [
        ("²", "²", "是上標數字"),
        ("10²", "²", "是上標數字"),
        ("11⁵", "⁵", "是上標數字"),
        ("₂", "₂", "是下標數字"),
        ("①", "①", "是圈號數字"),
        ("𝟏𝟏𝟓", "𝟏", "是數學字型的數字"),
        ("٣٨٥", "٣", "不是阿拉伯數字"),  # Arabic-Indic
        ("१२३", "१", "不是阿拉伯數字"),  # Devanagari
        ("⑴", "⑴", "不是阿拉伯數字"),
        ("Ⅻ", "Ⅻ", "不是阿拉伯數字"),
        ("〇", "〇", "不是阿拉伯數字"),
        ("㏩", "㏩", "不是阿拉伯數字"),  # folds to「10日」
    ],
)
def test_digits_other_than_0_to_9_are_refused_not_read(field_type: FieldType, raw: str, char: str, kind: str) -> None:
    """NFKC would read「²」as 2,「10²」as 102,「①」as 1: a figure is never guessed from such a character."""
    assert problem(field_type, raw) == f"「{char}」{kind}，請改用阿拉伯數字 0–9"
    assert field_type.parse(f" {raw}\u3000").text == raw  # kept as written, trimmed, for the user to correct


def test_a_digit_refusal_names_the_field() -> None:
    assert Field("amount", "金額", Money(9)).check("1000²")[1] == "金額：「²」是上標數字，請改用阿拉伯數字 0–9"


@pytest.mark.parametrize("field_type", NUMERIC_TYPES, ids=repr)
def test_full_width_digits_are_still_arabic_digits(field_type: FieldType) -> None:
    assert "阿拉伯數字 0–9" not in (field_type.parse("１２３").problem or "")


@pytest.mark.parametrize("field_type", [Text(50), Address()], ids=repr)
def test_free_text_keeps_other_digits(field_type: FieldType) -> None:
    raw = "111臺中市XX路①號 10m²" if isinstance(field_type, Address) else "面積 10m²，第①條"
    assert valid(field_type, raw).text == raw


def test_an_option_spelled_with_such_a_digit_is_still_that_option() -> None:
    assert valid(Choice(("①甲", "②乙")), "②乙").text == "②乙"
    assert "圈號數字" in problem(Choice(("1", "2")), "②")


# ---------------------------------------------------------------- 行庫別名稱及帳號


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("臺灣銀行00港分行甲存戶123456789022", "臺灣銀行00港分行甲存戶123456789022"),  # the guide's example
        ("台灣銀行 OO 分行 000123456789", "台灣銀行 OO 分行 000123456789"),  # the guide's 填寫說明
        ("中華郵政 0001234-0123456", "中華郵政 0001234-0123456"),
        ("臺灣銀行甲存戶１２３４５６７８９０２２", "臺灣銀行甲存戶123456789022"),
    ],
)
def test_bank_account_with_an_account_number(raw: str, expected: str) -> None:
    assert valid(BankAccount(), raw).text == expected


@pytest.mark.parametrize("raw", ["臺灣銀行港分行甲存戶", "臺灣銀行00港分行甲存戶", "臺灣銀行 12345"])
def test_bank_account_without_an_account_number_is_refused(raw: str) -> None:
    assert problem(BankAccount(), raw).startswith("缺帳號（至少 6 位數字）：請填行庫全名及帳號")


def test_bank_account_without_the_banks_name_is_refused() -> None:
    assert problem(BankAccount(), "１２３４５６７８９０２２").startswith("缺行庫名稱")


def test_bank_account_refuses_other_digits_and_keeps_its_limit() -> None:
    assert problem(BankAccount(), "臺灣銀行甲存戶12345⁶789") == "「⁶」是上標數字，請改用阿拉伯數字 0–9"
    assert problem(BankAccount(), "臺灣銀行" + "1" * 97) == "最多 100 個字（目前 101 個字）"


@pytest.mark.parametrize("raw", ["ῢ", "ΐ", "ﬀ", "ǅ", "a123456789"])
def test_national_id_normalises_to_a_text_that_normalises_to_itself(raw: str) -> None:
    # hypothesis found 「ῢ」: upper-casing after folding left a decomposed letter that the next read composed
    once = NationalId().parse(raw)
    assert NationalId().parse(once.text) == once


@given(
    st.text(alphabet=st.sampled_from([" ", "\u3000", "\u200b", "\ufeff", "\r", "\n", "\t", "a", "王", "1", "Ａ", "１"]))
)
def test_the_stored_text_of_free_text_is_what_parsing_stores(raw: str) -> None:
    """Text.stored skips the parse (and its cache) for a text without \\r: it must give parse's text all the same."""
    for field_type in (Text(10), Text(150, multiline=True), BankAccount()):
        assert field_type.stored(raw) == field_type.parse(raw).text


@given(st.one_of(st.text(), st.text(alphabet=st.sampled_from([" ", "\u200b", "\ufeff", "\r", "王", "1", "Ａ", "²"]))))
def test_free_text_a_reader_keeps_as_it_is_is_what_parsing_stores(raw: str) -> None:
    """The quick test file readers skip Text.stored with (a vouchers' and memos' thousands of different texts)."""
    for field_type in (Text(10), Text(150, multiline=True), BankAccount()):
        if field_type.stored_as_is is not None and field_type.stored_as_is(raw):
            assert field_type.parse(raw).text == raw
    assert Text().stored_as_is is not None and Text().stored_as_is("會員003155") and Text().stored_as_is("V00437")


@pytest.mark.parametrize("raw", ["  王小明 ", "A1\r\nB", "", "１２３"])
def test_every_type_stores_what_parsing_stores(raw: str) -> None:
    for field_type in (Text(), Money(9), Count(2), Choice(("收", "支")), RocDate()):
        assert field_type.stored(raw) == field_type.parse(raw).text
