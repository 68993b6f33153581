"""The cash ledger (DOMAIN.md §10, §11): parameter table, rules, balances, year-end derivation, caps, quarters."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from treasurer_app.export import names
from treasurer_app.findings import Finding, Severity
from treasurer_app.forms import FORMS, final_accounts, training_expenses
from treasurer_app.ledger.balances import balance_at, balances, closing_balances, opening_balances
from treasurer_app.ledger.codes import (
    ACCOUNTS,
    CATEGORIES,
    PARAMETER_TABLE,
    LedgerCode,
    allowed_accounts,
    allowed_categories,
    code_from_text,
    code_item,
    code_text,
    codes,
    kinds,
    lookup,
    summary_one,
    transfer_ends,
)
from treasurer_app.ledger.derivation import (
    CATEGORY_COLUMN,
    EXPENDITURE_KEYS,
    derive_final_accounts,
    derive_training_expenses,
    next_year_header,
)
from treasurer_app.ledger.entries import LedgerBook, parse_entries, parse_entry
from treasurer_app.ledger.quarters import parse_quarter, quarter_month, quarter_slice
from treasurer_app.ledger.sheet import (
    COLUMN_LABELS,
    ENTRY_FIELD,
    ENTRY_KEYS,
    ENTRY_ROWS,
    HEADER_FIELDS,
    HEADER_LABELS,
    INTEREST_CARRIED_IN,
    LEDGER_TITLE,
    OPENING_KEYS,
    SHEET_COLUMNS,
)
from treasurer_app.project import Project, YearBook
from treasurer_app.rules.ledger import check_caps, check_ledger

FIXTURE = Path(__file__).parent.parent / "fixtures" / "ledger_114.json"
YEAR = 114

OPENING = {"opening_acct1": "100000", "opening_acct2": "50000", "opening_fixed": "200000", "opening_petty": "5000"}


def entry(
    month: int | str = 1,
    day: int | str = 10,
    kind: str = "支",
    code: str = "6-1",
    voucher: str | None = None,
    memo: str = "",
    amount: int | str = 1000,
    category: str = "分配款",
    account: str = "專戶存款1",
) -> dict[str, str]:
    return {
        "month": str(month),
        "day": str(day),
        "kind": kind,
        "code": code,
        "voucher": voucher if voucher is not None else "",
        "memo": memo,
        "amount": str(amount),
        "category": category,
        "account": account,
    }


def book(*entries: dict[str, str], header: dict[str, str] | None = None) -> LedgerBook:
    """A ledger whose entries get unique vouchers V1, V2… unless one is given."""
    records = []
    for i, record in enumerate(entries, start=1):
        record = dict(record)
        if not record["voucher"]:
            record["voucher"] = f"V{i}"
        records.append(record)
    return LedgerBook(header=dict(OPENING if header is None else header), entries=records)


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def only(findings: list[Finding], rule: str) -> Finding:
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, findings
    return matching[0]


def fixture_book() -> LedgerBook:
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return LedgerBook(header=document["header"], entries=document["entries"])


# ---------------------------------------------------------------- the parameter table


def test_kinds_and_codes_follow_the_guide() -> None:
    assert kinds() == ("收", "轉", "支")
    assert codes("收") == ("1", "2", "3", "4", "5")
    assert codes("轉") == ("1", "2", "3", "4", "5", "6")
    assert codes("支") == (
        *(f"1-{n}" for n in range(1, 14)),
        "2-1", "2-2", "3-1", "3-2-1", "3-2-2", "4-1", "4-2", "4-3",
        "5-1", "5-2", "5-3", "5-4", "5-5", "6-1", "6-2", "7-1", "7-2",
    )  # fmt: skip
    assert codes("借") == ()


def test_strings_are_verbatim_with_the_guides_quirks() -> None:
    assert summary_one("收", "4") == "收-其他收入 (繳回款、移轉代管等)"
    assert summary_one("轉", "5") == "轉-提福利專款存款 1 為福利專款存款 2"
    assert summary_one("支", "6-2") == "6-3 交通費、車馬費、出席費、誤餐費、加班費等"  # says 6-3
    assert summary_one("支", "5-5") == "5-5 其他(書報、雜誌、刊物)"  # no 、
    assert summary_one("支", "6-1") == "6-1 辦公文具用品(電腦消耗品、紙張、水電費等)"
    assert summary_one("支", "3-1") == "3-1、(職災)團體意外保險"
    assert summary_one("支", "5-4") == "5-4、春節、中秋、端午、重陽、五一勞動節禮券、紀念品生日禮券、禮品"
    assert code_item("收", "1") == "年度收入"
    assert code_item("轉", "3") == "動支存款"
    assert code_item("支", "3-2-2") == "3、職災保險或慰問金"
    assert code_item("支", "7-2") == "7、福利專款誤植或扣抵"
    assert summary_one("支", "8-1") == "" and code_item("收", "9") == ""


def test_an_entry_is_declared_once_for_the_editor_the_sheet_the_file_and_the_store() -> None:
    from treasurer_app import store
    from treasurer_app.export.layouts import ledger_grids

    assert ENTRY_KEYS == ("month", "day", "kind", "code", "voucher", "memo", "amount", "category", "account")
    for key in ENTRY_KEYS:  # the editor's column names are the printed headers
        assert ENTRY_FIELD[key].label == COLUMN_LABELS[key]
    assert store.TABLE_COLUMNS["ledger"] == ENTRY_KEYS
    book = LedgerBook(dict(OPENING), [entry(voucher="1")])
    sheet = ledger_grids(Project({YEAR: YearBook(YEAR, ledger=book)}), YEAR)[0]
    printed = sorted((c.col, c.key.split(":")[1]) for c in sheet.cells if c.key and c.key.startswith("0:"))
    declared = [key for column in ENTRY_ROWS.columns for key in column.keys]
    assert [key for _, key in printed] == declared and sorted(declared) == sorted(ENTRY_KEYS)


def test_allowed_choices_per_code() -> None:
    assert allowed_categories("收", "1") == ("分配款",)
    assert allowed_accounts("收", "1") == ("專戶存款1",)
    assert allowed_accounts("收", "2") == ("專戶存款1", "專戶存款2")
    assert allowed_categories("收", "5") == ("誤植或扣抵",)
    assert allowed_categories("轉", "1") == ()
    assert allowed_accounts("轉", "4") == ("定期存款",)
    assert allowed_accounts("轉", "6") == ("專戶存款2",)
    assert allowed_categories("支", "1-1") == ("分配款", "利息收入")
    assert allowed_accounts("支", "1-1") == ("專戶存款1", "零用金")
    assert allowed_categories("支", "2-1") == ("利息收入", "其他收入")
    assert allowed_categories("支", "2-2") == ("分配款", "利息收入", "其他收入")
    assert allowed_accounts("支", "2-2") == ("專戶存款1", "專戶存款2", "零用金")
    assert allowed_categories("支", "4-2") == ("利息收入", "其他收入")
    assert allowed_accounts("支", "7-1") == ("專戶存款1", "專戶存款2")
    assert allowed_accounts("支", "7-2") == ("定期存款",)
    assert allowed_categories("支", "nope") == () and allowed_accounts("nope", "1") == ()


def test_account_names_have_no_space() -> None:
    assert ACCOUNTS == ("專戶存款1", "專戶存款2", "定期存款", "零用金")
    assert CATEGORIES == ("分配款", "利息收入", "其他收入", "誤植或扣抵")


def test_transfer_directions() -> None:
    assert transfer_ends("1", "專戶存款2") == ("專戶存款2", "定期存款")
    assert transfer_ends("2", "專戶存款1") == ("專戶存款1", "零用金")
    assert transfer_ends("3", "專戶存款2") == ("定期存款", "專戶存款2")  # the chosen account receives
    assert transfer_ends("4", "定期存款") == ("定期存款", "零用金")
    assert transfer_ends("5", "專戶存款1") == ("專戶存款1", "專戶存款2")
    assert transfer_ends("6", "專戶存款2") == ("專戶存款2", "專戶存款1")
    assert transfer_ends("9", "專戶存款1") is None


def test_training_codes_match_the_training_expense_lines() -> None:
    for n, line in enumerate(training_expenses.LINES, start=1):
        assert summary_one("支", f"1-{n}") == f"1-{n}、{line}"
        assert lookup("支", f"1-{n}").training_line == n


def test_every_allowed_payment_category_has_a_final_accounts_cell() -> None:
    inputs = {f.key for f in FORMS["final_accounts"].fields}
    for spec in PARAMETER_TABLE:
        if spec.kind != "支" or spec.final_row is None:
            continue
        for category in spec.categories:
            assert final_accounts.exp_key(spec.final_row, CATEGORY_COLUMN[category]) in inputs, spec.label


def test_sheet_layout() -> None:
    assert LEDGER_TITLE == "商港服務費福利專款現金收支登記簿"
    assert [label for _, label in SHEET_COLUMNS] == [  # the guide's example header (issue 13)
        "年", "月", "日", "字", "傳票序號", "摘要", "摘要(一)", "摘要(二)", "金額", "動支類別", "動支帳戶",
        "結存", "專戶存款1", "專戶存款2", "定期存款", "零用金",
    ]  # fmt: skip
    # 號 lives in 摘要(一): each 字 + 摘要(一) names one 號, and the cell reads back to it
    for spec in PARAMETER_TABLE:
        assert code_from_text(spec.kind, code_text(spec.kind, spec.code)) == spec.code, spec.label
    assert code_text("支", "9-9") == "9-9" and code_from_text("支", "9-9") == "9-9"  # unknown: kept
    assert [label for _, label in HEADER_LABELS] == [
        "工會名稱：", "年度：", "統一編號：", "上年度結存", "專戶存款1：", "專戶存款2：", "定期存款：", "零用金：",
    ]  # fmt: skip
    assert set(OPENING_KEYS.values()) | {INTEREST_CARRIED_IN} == {f.key for f in HEADER_FIELDS}


# ---------------------------------------------------------------- every disallowed combination


def _valid_record(spec: LedgerCode) -> dict[str, str]:
    category = spec.categories[0] if spec.categories else ""
    return entry(kind=spec.kind, code=spec.code, category=category, account=spec.accounts[0], voucher="V1")


def _big_header() -> dict[str, str]:
    return {key: "900000000" for key in OPENING_KEYS.values()}


@pytest.mark.parametrize("spec", PARAMETER_TABLE, ids=lambda s: s.label)
def test_allowed_combinations_pass(spec: LedgerCode) -> None:
    for category in spec.categories or ("",):
        for account in spec.accounts:
            record = entry(kind=spec.kind, code=spec.code, category=category, account=account, voucher="V1")
            assert check_ledger(LedgerBook(_big_header(), [record]), YEAR) == [], (category, account)


@pytest.mark.parametrize("spec", PARAMETER_TABLE, ids=lambda s: s.label)
def test_disallowed_categories_are_rejected_naming_code_and_choices(spec: LedgerCode) -> None:
    for category in CATEGORIES:
        if category in spec.categories:
            continue
        record = {**_valid_record(spec), "category": category}
        findings = check_ledger(LedgerBook(_big_header(), [record]), YEAR)
        if spec.kind == "轉":
            finding = only(findings, "ledger.transfer_category")
            assert finding.message == f"第 1 筆 動支類別：轉 {spec.code} 是轉帳，不填動支類別（填了 {category}）"
        else:
            finding = only(findings, "ledger.category_allowed")
            allowed = "、".join(spec.categories)
            assert finding.message == f"第 1 筆 動支類別：{spec.label} 只能用 {allowed}（填了 {category}）"
        assert (finding.field, finding.row, finding.severity) == ("category", 0, Severity.ERROR)


@pytest.mark.parametrize("spec", PARAMETER_TABLE, ids=lambda s: s.label)
def test_disallowed_accounts_are_rejected_naming_code_and_choices(spec: LedgerCode) -> None:
    for account in ACCOUNTS:
        if account in spec.accounts:
            continue
        record = {**_valid_record(spec), "account": account}
        finding = only(check_ledger(LedgerBook(_big_header(), [record]), YEAR), "ledger.account_allowed")
        allowed = "、".join(spec.accounts)
        assert finding.message == f"第 1 筆 動支帳戶：{spec.label} 只能用 {allowed}（填了 {account}）"
        assert (finding.field, finding.row) == ("account", 0)


def test_the_guides_example_message() -> None:
    records = [entry(code="6-1"), entry(code="6-1"), entry(code="1-1", account="專戶存款2")]
    finding = only(check_ledger(book(*records), YEAR), "ledger.account_allowed")
    assert finding.message == "第 3 筆 動支帳戶：支 1-1 只能用 專戶存款1、零用金（填了 專戶存款2）"


# ---------------------------------------------------------------- one test per rule


def test_a_clean_entry_has_no_findings() -> None:
    assert check_ledger(book(entry()), YEAR) == []


def test_blank_rows_are_ignored() -> None:
    blank = dict.fromkeys(ENTRY_FIELD, "  ")
    assert check_ledger(LedgerBook(OPENING, [{**entry(), "voucher": "V1"}, blank]), YEAR) == []


def test_date_must_exist_in_the_year() -> None:
    finding = only(check_ledger(book(entry(month=2, day=29)), 114), "ledger.date_real")
    assert finding.message == "第 1 筆 日：日期不存在（114年2月沒有29日）"
    assert check_ledger(book(entry(month=2, day=29)), 113) == []  # 2024 is a leap year
    assert only(check_ledger(book(entry(month=13)), YEAR), "ledger.date_real").field == "month"
    assert only(check_ledger(book(entry(day=0)), YEAR), "ledger.date_real").field == "day"
    assert only(check_ledger(book(entry(day="3.5")), YEAR), "ledger.date_real").field == "day"


def test_dates_in_chronological_order() -> None:
    findings = check_ledger(book(entry(month=3, day=5), entry(month=3, day=9), entry(month=3, day=7)), YEAR)
    finding = only(findings, "ledger.date_order")
    assert finding.row == 2
    assert finding.message == "第 3 筆 日：須依時間順序登記，3月7日 早於第 2 筆的 3月9日"
    same_day = check_ledger(book(entry(month=3, day=9), entry(month=3, day=9)), YEAR)
    assert same_day == []


def test_voucher_required_short_and_unique() -> None:
    missing = entry()
    missing["voucher"] = ""
    records = [{**entry(), "voucher": "A1"}, {**entry(), "voucher": "A1"}, {**entry(), "voucher": "12345678901"}]
    assert only(check_ledger(LedgerBook(OPENING, [missing]), YEAR), "ledger.required").message == (
        "第 1 筆 傳票序號：必填"
    )
    findings = check_ledger(LedgerBook(OPENING, records), YEAR)
    assert only(findings, "ledger.voucher_unique").message == "第 2 筆 傳票序號：與第 1 筆重複（A1）"
    assert only(findings, "ledger.voucher_length").message == "第 3 筆 傳票序號：最多 10 個字（目前 11 個字）"
    spellings = [
        {**entry(), "voucher": text} for text in ("V-7a", "v-7A", "Ｖ－７ａ", "V-7b")
    ]  # one voucher, three ways
    repeated = [f.row for f in check_ledger(LedgerBook(OPENING, spellings), YEAR) if f.rule == "ledger.voucher_unique"]
    assert repeated == [1, 2]


def test_memo_at_most_50_characters() -> None:
    assert check_ledger(book(entry(memo="王" * 50)), YEAR) == []
    finding = only(check_ledger(book(entry(memo="王" * 51)), YEAR), "ledger.memo_length")
    assert finding.message == "第 1 筆 摘要(二)：最多 50 個字（目前 51 個字）"


def test_amount_positive_and_at_most_nine_digits() -> None:
    assert only(check_ledger(book(entry(amount=0)), YEAR), "ledger.amount_positive").message == (
        "第 1 筆 金額：須大於 0"
    )
    assert only(check_ledger(book(entry(amount="1234567890")), YEAR), "ledger.amount").message == (
        "第 1 筆 金額：最多 9 位數字（目前 10 位）"
    )
    assert only(check_ledger(book(entry(amount="-5")), YEAR), "ledger.amount").field == "amount"
    assert only(check_ledger(book(entry(amount="")), YEAR), "ledger.required").field == "amount"
    assert check_ledger(book(entry(amount="1,000")), YEAR) == []  # thousands separators are normalised


def test_kind_and_code_must_be_in_the_table() -> None:
    assert only(check_ledger(book(entry(kind="借")), YEAR), "ledger.kind").message == (
        "第 1 筆 字：須為 收、轉、支 之一（填了 借）"
    )
    finding = only(check_ledger(book(entry(kind="收", code="6", category="分配款")), YEAR), "ledger.code_allowed")
    assert finding.message == "第 1 筆 號：收 字沒有 6 號，可選 1、2、3、4、5"


def test_category_and_account_required() -> None:
    findings = check_ledger(book(entry(code="1-1", category="", account="")), YEAR)
    messages = [f.message for f in findings if f.rule == "ledger.required"]
    assert messages == [
        "第 1 筆 動支類別：必填（支 1-1 可選 分配款、利息收入）",
        "第 1 筆 動支帳戶：必填（支 1-1 可選 專戶存款1、零用金）",
    ]


def test_transfer_has_no_category() -> None:
    transfer = entry(kind="轉", code="2", category="分配款", account="專戶存款1")
    assert rules(check_ledger(book(transfer), YEAR)) == ["ledger.transfer_category"]
    assert check_ledger(book({**transfer, "category": ""}), YEAR) == []


def test_no_account_may_go_negative() -> None:
    records = [
        entry(code="6-1", amount=3000, account="零用金"),
        entry(code="6-1", amount=3200, account="零用金"),  # 5,000 − 3,000 − 3,200 = −1,200
        entry(code="6-1", amount=100, account="零用金"),  # still short: not reported again
    ]
    finding = only(check_ledger(book(*records), YEAR), "ledger.balance_negative")
    assert finding.message == "第 2 筆 零用金 餘額不足，差 1,200 元"
    assert (finding.row, finding.field) == (1, "amount")


def test_a_transfer_can_overdraw_its_source() -> None:
    records = [entry(kind="轉", code="4", category="", account="定期存款", amount=200001)]
    finding = only(check_ledger(book(*records), YEAR), "ledger.balance_negative")
    assert finding.message == "第 1 筆 定期存款 餘額不足，差 1 元"


def test_header_balances_are_money_of_at_most_nine_digits() -> None:
    header = {**OPENING, "opening_petty": "1234567890", "opening_fixed": "abc"}
    findings = check_ledger(LedgerBook(header, []), YEAR)
    assert [f.message for f in findings] == [
        "上年度結存 定期存款：須為 0 或正整數，請寫阿拉伯數字",
        "上年度結存 零用金：最多 9 位數字（目前 10 位）",
    ]
    assert {f.rule for f in findings} == {"ledger.header_money"}
    assert check_ledger(LedgerBook({}, []), YEAR) == []  # a new union starts from nothing


def test_spellings_the_guide_uses_are_accepted() -> None:
    record = entry(code="1-1", account="專戶存款 1", amount="１，０００".replace("，", ","))
    assert check_ledger(book(record), YEAR) == []
    assert parse_entry(book(record).entries[0], YEAR).account == "專戶存款1"


# ---------------------------------------------------------------- typed entries and balances


def test_parse_entry_resolves_transfers() -> None:
    parsed = parse_entry(entry(month=10, day=1, kind="轉", code="3", category="", account="專戶存款2"), YEAR, 7)
    assert parsed is not None
    assert (parsed.index, parsed.date, parsed.source, parsed.target) == (7, date(2025, 10, 1), "定期存款", "專戶存款2")
    assert parsed.category is None
    typed = parse_entry(entry(kind="轉", code="3", category="分配款", account="專戶存款2"), YEAR)
    assert typed is not None and typed.category is None  # a transfer moves no source, whatever is typed
    receipt = parse_entry(entry(kind="收", code="1", account="專戶存款1"), YEAR)
    assert (receipt.source, receipt.target) == (None, "專戶存款1")
    payment = parse_entry(entry(code="1-1", account="零用金"), YEAR)
    assert (payment.source, payment.target, payment.amount) == ("零用金", None, 1000)


@pytest.mark.parametrize(
    "change",
    [{"month": "13"}, {"day": "31", "month": "4"}, {"kind": "借"}, {"code": "9-9"}, {"amount": "0"}, {"account": "x"}],
)
def test_unusable_entries_do_not_parse(change: dict[str, str]) -> None:
    assert parse_entry({**entry(), **change}, YEAR) is None


def test_running_balances() -> None:
    records = [
        entry(month=1, kind="收", code="1", amount=400000, account="專戶存款1"),
        entry(month=2, kind="轉", code="1", category="", amount=100000, account="專戶存款1"),
        entry(month=3, kind="轉", code="3", category="", amount=30000, account="專戶存款2"),
        entry(month=4, kind="轉", code="2", category="", amount=2000, account="專戶存款2"),
        entry(month=5, code="6-1", amount="oops"),  # unusable: balances stay
        entry(month=6, code="2-2", category="其他收入", amount=20000, account="專戶存款2"),
    ]
    running = balances(book(*records), YEAR)
    assert [b.amounts() for b in running] == [
        (500000, 50000, 200000, 5000),
        (400000, 50000, 300000, 5000),
        (400000, 80000, 270000, 5000),
        (400000, 78000, 270000, 7000),
        (400000, 78000, 270000, 7000),
        (400000, 58000, 270000, 7000),
    ]
    assert [b.total for b in running] == [755000, 755000, 755000, 755000, 755000, 735000]
    assert closing_balances(book(*records), YEAR) == running[-1]
    assert balance_at(book(*records), YEAR, date(2025, 3, 31)) == running[2]
    assert balance_at(book(*records), YEAR, date(2024, 12, 31)) == opening_balances(book())
    assert closing_balances(book(), YEAR).amounts() == (100000, 50000, 200000, 5000)
    assert running[0].of("零用金") == 5000


def test_next_year_header() -> None:
    records = [
        entry(kind="收", code="2", category="利息收入", amount=900),
        entry(code="4-3", category="利息收入", amount=400, account="專戶存款2"),
        entry(kind="收", code="3", category="利息收入", amount=50, account="專戶存款2"),
        entry(code="1-1", category="分配款", amount=300),
    ]
    header = next_year_header(book(*records, header={**OPENING, "interest_carried_in": "1000"}))
    assert header == {
        "opening_acct1": str(100000 + 900 - 300),
        "opening_acct2": str(50000 - 400 + 50),
        "opening_fixed": "200000",
        "opening_petty": "5000",
        "interest_carried_in": str(1000 + 900 + 50 - 400),
    }


def test_roll_over_carries_the_closing_balances() -> None:
    project = Project()
    project.add_year(YEAR).ledger = fixture_book()
    new = project.roll_over(YEAR)
    assert new.ledger is not None
    assert new.ledger.header == next_year_header(fixture_book(), YEAR)


# ---------------------------------------------------------------- the fixture, by hand


def test_fixture_is_a_clean_realistic_year() -> None:
    ledger = fixture_book()
    assert len(ledger.entries) >= 200
    used = {(e["kind"], e["code"]) for e in ledger.entries}
    assert used == {(s.kind, s.code) for s in PARAMETER_TABLE}
    assert check_ledger(ledger, YEAR) == []
    dates = [e.date for e in parse_entries(ledger, YEAR)]
    assert dates == sorted(dates)


def test_fixture_final_accounts_by_hand() -> None:
    derivation = derive_final_accounts(fixture_book(), YEAR, 1200)
    v = derivation.values
    # Revenue.
    assert v["rev_allocation"] == 467_000
    assert v["rev_interest"] == 1_200 + 12 * 708 + (1_234 + 156) + (1_318 + 162)  # carried in + 收2 + 收3 = 12,566
    assert v["rev_other"] == 2_000 + 15_000
    # A training session costs 7,000+1,000+2,000+5,000+500+17,560+5,480+2,640+10,000+1,870+300+200+450 = 54,000;
    # the fourth session's lecturer (7,000) is paid from interest.
    session = 7_000 + 1_000 + 2_000 + 5_000 + 500 + 17_560 + 5_480 + 2_640 + 10_000 + 1_870 + 300 + 200 + 450
    assert session == 54_000
    expected = {
        "exp_1_allocation": 4 * session - 7_000,
        "exp_1_interest": 7_000,
        "exp_2_surplus": 3 * 10_000 + 4 * 20_000,  # typhoon aid (2-1) + family emergencies (2-2)
        "exp_3-1_surplus": 240_000,
        "exp_3-2_allocation": 18 * 2_000 + 6 * 1_000,  # hospital visits (3-2-1) + family (3-2-2)
        "exp_3-2_surplus": 30_000,  # a death at work
        "exp_4_surplus": 3 * 24_000 + 2 * 6_000,
        "exp_4_interest": 2_000,
        "exp_5-1_allocation": 24 * 1_500,
        "exp_5-2_allocation": 9 * 1_200,
        "exp_5-2_interest": 1_200,
        "exp_5-3_allocation": 30_000,
        "exp_5-4_allocation": 40_000 + 20_000 + 15_000 + 25_000,
        "exp_5-5_allocation": 12 * 300,
        "exp_6_allocation": 12 * (1_500 + 800),
    }
    for key in EXPENDITURE_KEYS:
        assert v[key] == expected.get(key, 0), key

    allocation = 209_000 + 42_000 + 36_000 + 10_800 + 30_000 + 100_000 + 3_600 + 27_600
    interest = 7_000 + 2_000 + 1_200
    surplus = 110_000 + 240_000 + 30_000 + 84_000
    assert (allocation, interest, surplus) == (459_000, 10_200, 464_000)

    derived = FORMS["final_accounts"]
    from treasurer_app.forms.base import compute_derived

    totals = compute_derived(derived, {}, v)
    assert totals[final_accounts.subtotal_key(final_accounts.ALLOCATION)] == allocation
    assert totals[final_accounts.subtotal_key(final_accounts.INTEREST)] == interest
    assert totals[final_accounts.subtotal_key(final_accounts.SURPLUS)] == surplus
    assert totals["exp_total"] == 933_200
    # The domain's own relations.
    assert totals["exp_total"] == sum(totals[final_accounts.subtotal_key(c)] for c in final_accounts.ALL)
    assert totals[final_accounts.subtotal_key(final_accounts.INTEREST)] <= v["rev_interest"]
    assert totals[final_accounts.subtotal_key(final_accounts.ALLOCATION)] <= v["rev_allocation"]
    # Education ≥ 40 % of the allocation; administration ≤ 10 %.
    assert (v["exp_1_allocation"] + v["exp_1_interest"]) * 10 >= v["rev_allocation"] * 4
    assert v["exp_6_allocation"] * 10 <= v["rev_allocation"]


def test_fixture_training_expenses_by_hand() -> None:
    derivation = derive_training_expenses(fixture_book(), YEAR)
    assert derivation.values[training_expenses.line_key(1)] == 4 * 7_000  # 28,000, one of them paid from interest
    assert derivation.values[training_expenses.line_key(6)] == 4 * 17_560  # 70,240
    assert derivation.values[training_expenses.line_key(9)] == 4 * 10_000
    final = derive_final_accounts(fixture_book(), YEAR, 0).values
    assert sum(derivation.values.values()) == final["exp_1_allocation"] + final["exp_1_interest"] == 216_000
    assert len(derivation.entries[training_expenses.line_key(1)]) == 4


def test_fixture_closing_balances_by_hand() -> None:
    closing = closing_balances(fixture_book(), YEAR)
    acct1_in = 467_000 + 12 * 708 + 1_234 + 1_318 + 2_000 + 3_000 + 200_000 + 100_000
    acct1_out = 12 * 8_000 + 200_000 + 50_000 + 4 * (54_000 - 3_590) + 30_000 + 240_000 + 30_000 + 72_000
    acct1_out += 2_000 + 36_000 + 30_000 + 100_000 + 3_000
    assert closing.acct1 == 1_200_000 + acct1_in - acct1_out == 892_408
    assert closing.acct2 == 300_000 - 100_000 - 100_000 + 15_000 + 50_000 + 156 + 162 - 80_000 - 12_000
    assert closing.fixed == 500_000 + 100_000 - 10_000 - 200_000 - 350 + 200_000
    petty_out = 12 * (1_500 + 800 + 300) + 18 * 2_000 + 6 * 1_000 + 10 * 1_200 + 4 * (2_640 + 300 + 200 + 450)
    assert closing.petty == 20_000 + 12 * 8_000 + 10_000 - petty_out == 26_440
    header = next_year_header(fixture_book(), YEAR)
    assert header["interest_carried_in"] == str(12_566 - 10_200)


# ---------------------------------------------------------------- derivation details


def test_derivation_drill_down_and_exclusions() -> None:
    records = [
        entry(kind="收", code="1", amount=100000),
        entry(kind="收", code="5", category="誤植或扣抵", amount=3000),  # not the fund's money
        entry(code="7-1", category="誤植或扣抵", amount=3000),  # its refund
        entry(code="2-1", category="其他收入", amount=5000),
        entry(code="2-1", category="分配款", amount=7000),  # disallowed: reported, not derived
        entry(code="3-2-2", category="利息收入", amount=800, account="零用金"),
        entry(kind="轉", code="2", category="", amount=9000),
    ]
    derivation = derive_final_accounts(book(*records), YEAR, 50)
    assert derivation.values["rev_allocation"] == 100000
    assert derivation.values["rev_interest"] == 50
    assert derivation.values["exp_2_surplus"] == 5000
    assert derivation.values["exp_2_allocation"] == 0
    assert derivation.values["exp_3-2_interest"] == 800
    assert derivation.entries["exp_2_surplus"] == [3]
    assert derivation.entries["exp_3-2_interest"] == [5]
    assert derivation.entries["rev_allocation"] == [0]
    assert sum(derivation.values.values()) == 100000 + 50 + 5000 + 800
    assert "exp_1_surplus" not in derivation.values
    inputs = {f.key for f in FORMS["final_accounts"].fields}
    assert set(derivation.values) <= inputs


def test_project_supplies_the_derived_figures() -> None:
    project = Project()
    project.add_year(YEAR).ledger = fixture_book()
    project.add_year(YEAR + 1)
    final = project.effective(YEAR + 1, "final_accounts")
    assert final.supplied["exp_1_allocation"] == 209_000
    assert final.supplied["rev_interest"] == 12_566  # the header's carried-in interest is used
    assert len(final.drilldown["exp_5-1_allocation"]) == 24
    training = project.effective(YEAR + 1, "training_expenses")
    assert training.supplied[training_expenses.line_key(6)] == 70_240


# ---------------------------------------------------------------- per-person caps


def payment(code: str, memo: str, amount: int, month: int = 1, category: str = "其他收入") -> dict[str, str]:
    return entry(month=month, code=code, memo=memo, amount=amount, category=category)


def caps(*records: dict[str, str]) -> list[Finding]:
    return check_caps(book(*records, header={"opening_acct1": "900000000"}), YEAR)


def test_emergency_aid_is_capped_per_payment() -> None:
    assert caps(payment("2-2", "王小明", 50000), payment("2-2", "王小明", 50000, month=2)) == []
    finding = only(caps(payment("2-1", "王小明", 60001)), "ledger.cap_emergency")
    assert finding.message == "第 1 筆 金額：王小明 支 2-1 單筆 60,001 元，超過急難救助金每名每次上限 60,000 元"
    assert finding.severity is Severity.ERROR and finding.row == 0
    assert caps(payment("2-1", "王小明", 60000)) == []


def test_condolences_add_up_over_the_year_per_code() -> None:
    # DOMAIN.md §11: payments are grouped by member, per code and year.
    findings = caps(
        payment("3-2-1", "王小明", 60000),
        payment("3-2-2", "李大華", 90000, month=2),
        payment("3-2-1", " 王小明 ", 50000, month=3),
        payment("3-2-2", "王小明", 90000, month=4),  # another code: counted on its own
    )
    finding = only(findings, "ledger.cap_condolence")
    assert finding.row == 2
    assert finding.message == (
        "第 3 筆 金額：王小明 支 3-2-1 全年合計 110,000 元（第 1、3 筆），超過職災慰問金每名上限 100,000 元"
    )
    assert finding.severity is Severity.ERROR


def test_retirement_cap_is_inclusive() -> None:
    assert caps(payment("4-1", "王小明", 100000), payment("4-1", "王小明", 50000, month=2)) == []
    assert caps(payment("4-1", "王小明", 150000), payment("4-3", "王小明", 50000, month=2)) == []  # per code
    finding = only(
        caps(payment("4-1", "王小明", 100000), payment("4-1", "王小明", 50001, month=2)), "ledger.cap_retirement"
    )
    assert "全年合計 150,001 元" in finding.message and "退休補助金每名上限 150,000 元" in finding.message


def test_welfare_cap_and_bulk_purchases() -> None:
    welfare_5_1 = payment("5-1", "王小明", 6000, category="分配款")
    assert caps(welfare_5_1, payment("5-2", "王小明", 5000, category="分配款")) == []  # per code
    finding = only(
        caps(payment("5-2", "王小明", 6000, category="分配款"), payment("5-2", "王小明", 5000, category="分配款")),
        "ledger.cap_welfare",
    )
    assert finding.severity is Severity.ERROR
    bulk = only(caps(payment("5-4", "春節禮券", 40000, category="分配款")), "ledger.cap_welfare")
    assert bulk.severity is Severity.WARNING
    assert bulk.message.startswith("第 1 筆 金額：春節禮券 支 5-4 單筆 40,000 元，超過福利金每名上限 10,000 元；")


def test_insurance_cap() -> None:
    finding = only(caps(payment("3-1", "王小明", 1_000_001)), "ledger.cap_insurance")
    assert "團體保險每名上限 1,000,000 元" in finding.message
    assert caps(payment("3-1", "王小明", 1_000_000)) == []


def test_payments_without_a_name_are_checked_one_by_one() -> None:
    assert caps(payment("4-1", "", 100000), payment("4-1", "", 100000)) == []
    finding = only(caps(payment("4-1", "", 150001)), "ledger.cap_retirement")
    assert finding.message.startswith("第 1 筆 金額：（摘要(二)未填姓名）支 4-1 單筆 150,001 元")


def test_different_members_are_not_added_together() -> None:
    assert caps(payment("4-1", "王小明", 100000), payment("4-1", "李大華", 100000)) == []


def test_fixture_caps_only_warn_about_bulk_purchases() -> None:
    findings = check_caps(fixture_book(), YEAR)
    assert {f.severity for f in findings} == {Severity.WARNING}
    assert sorted(f.message.split("：")[1].split(" ")[0] for f in findings) == sorted(
        ["春節禮券", "五一勞動節禮品", "端午節禮品", "中秋節禮券", "114年度自強活動"]
    )


# ---------------------------------------------------------------- quarters and file names


def test_parse_quarter() -> None:
    assert parse_quarter("115Q1") == (115, 1)
    assert parse_quarter(" 115q4 ") == (115, 4)
    assert parse_quarter("１１５Ｑ２") == (115, 2)
    for bad in ("115Q5", "115", "2026Q1", "099Q1", "Q1", ""):
        with pytest.raises(ValueError, match="季別：格式為民國年加 Q 及季數 1–4，例如 115Q1"):
            parse_quarter(bad)


def test_quarter_month() -> None:
    assert [quarter_month(115, q) for q in (1, 2, 3, 4)] == ["11503", "11506", "11509", "11512"]
    with pytest.raises(ValueError, match="季別"):
        quarter_month(115, 5)


def test_quarter_slice() -> None:
    records = [entry(month=m, voucher=f"V{m}") for m in (1, 3, 4, 6, 7, 12)]
    unreadable = entry(month="x", voucher="VX")
    ledger = LedgerBook(dict(OPENING), [*records, unreadable, dict.fromkeys(ENTRY_FIELD, "")])
    assert [e["voucher"] for e in quarter_slice(ledger, 115, 1).entries] == ["V1", "V3", "VX"]
    assert [e["voucher"] for e in quarter_slice(ledger, 115, 2).entries] == ["V1", "V3", "V4", "V6", "VX"]
    assert len(quarter_slice(ledger, 115, 4).entries) == 7
    sliced = quarter_slice(ledger, 115, 1)
    assert sliced.header == ledger.header and sliced.header is not ledger.header
    sliced.entries[0]["memo"] = "changed"
    assert ledger.entries[0]["memo"] == ""  # a copy: exporting never edits the ledger


def test_quarter_slice_balances_match_balance_at() -> None:
    ledger = fixture_book()
    for quarter, last_day in ((1, date(2025, 3, 31)), (2, date(2025, 6, 30)), (3, date(2025, 9, 30))):
        sliced = quarter_slice(ledger, YEAR, quarter)
        assert closing_balances(sliced, YEAR) == balance_at(ledger, YEAR, last_day)


def test_file_names() -> None:
    assert names.accounting_file_stem(115, 1, "12345678") == "11503_12345678_accounting"
    assert names.accounting_file_stem(115, 4, "12345678") == "11512_12345678_accounting"
    assert names.application_file_stem(115, "12345678") == "115_12345678_application"
    assert names.attachment_file_name(115, "12345678", "meeting") == "115_12345678_metting.pdf"
    assert names.attachment_file_name(115, "12345678", "method") == "115_12345678_method.pdf"
    for stem in (names.application_file_stem(115, "76645831"), names.accounting_file_stem(115, 2, "76645831")):
        assert stem.isascii()
    with pytest.raises(ValueError, match="統一編號"):
        names.application_file_stem(115, "１２３４５６７８")
    with pytest.raises(ValueError, match="統一編號"):
        names.accounting_file_stem(115, 1, "1234567")
    with pytest.raises(ValueError, match="年度"):
        names.application_file_stem(2026, "12345678")
    with pytest.raises(ValueError, match="附件種類"):
        names.attachment_file_name(115, "12345678", "minutes")
