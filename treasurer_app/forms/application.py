"""Sheet 1 — 商港服務費福利專款申請書(含工會基本資料) (DOMAIN.md §3)."""

from __future__ import annotations

from treasurer_app.fields import Address, BankAccount, Choice, Count, Email, Field, Phone, RocDate, RocYear, Text
from treasurer_app.forms.base import FormSpec
from treasurer_app.forms.layout import Layout, Line, Lines, ScreenOnly
from treasurer_app.identifiers import TaxId

UNION_TYPES = ("職業工會", "企業工會")
LEADER_TITLES = ("理事長", "常務理事")
# The commercial ports of 商港服務費福利專款運用管理要點 點二, each with the local government of its port area
# (港區所在地之直轄市、縣（市）政府, guide 1.1), which receives the union's application and cover letter.
PORT_AUTHORITIES = {
    "基隆港": "基隆市政府",
    "蘇澳港": "宜蘭縣政府",  # 宜蘭縣蘇澳鎮
    "臺中港": "臺中市政府",
    "高雄港": "高雄市政府",
    "花蓮港": "花蓮縣政府",
    "安平港": "臺南市政府",  # 臺南市安平區
    "臺北港": "新北市政府",  # 新北市八里區, not 臺北市
    "布袋港": "嘉義縣政府",  # 嘉義縣布袋鎮
}
PORTS = tuple(PORT_AUTHORITIES)
HEADERS = ("項 目", "內 容")  # the printed table's two column headers

FIELDS = (
    Field("year", "申請年度", RocYear(), hint="依實際申請年度填寫，不可低於 100；各表單年度自動引用本欄。"),
    Field("union_name", "工會名稱", Text(100), hint="全名；各表單標題自動引用本欄。"),
    Field("tax_id", "統一編號", TaxId(), hint="請輸入正確統一編號（作為資料上傳時檢核依據）。"),
    Field("founded", "成立日期", RocDate(), hint="民國年月日 7 碼，例如 0840301。"),
    Field("dissolved", "解散、合併日期", RocDate(), required=False, hint="無解散或合併者不必填寫；格式同成立日期。"),
    Field("work_nature", "港區工作性質", Text(150), hint="依實際狀況填寫，最多 150 個文字。"),
    Field("account_name", "帳號戶名", Text(100), hint="全名。"),
    Field(
        "bank_account",
        "行庫別名稱及帳號",
        BankAccount(100),
        hint="行庫全名及帳號，例如 臺灣銀行00港分行甲存戶123456789022。",
    ),
    Field("address", "會址", Address(), hint="郵遞區號（3 碼）及住址，例如 111臺中市XX區XX里北XX路XX號。"),
    Field("phone", "電話", Phone(), hint="加區域碼及「-」，例如 04-25670000。"),
    Field("fax", "傳真", Phone(), hint="加區域碼及「-」，例如 04-25670000。"),
    Field(
        "leader",
        "工會負責人 (理事長或常務理事)",
        Text(50),
        hint="人名加職稱，職稱為理事長或常務理事，例如 黃XX理事長。",
    ),
    Field("member_count", "會員人數", Count(5), hint="須與會員名冊人數相同，請寫阿拉伯數字。"),
    Field("contact", "聯絡人", Text(50), hint="人名。"),
    Field("contact_phone", "聯絡人電話", Phone(), hint="加區域碼及「-」，例如 04-25670000。"),
    Field("contact_email", "聯絡人電子信箱", Email(), hint="例如 test@gmail.com。"),
)
UNION_TYPE = Field(
    "union_type", "工會類型", Choice(UNION_TYPES), hint="決定會員名冊的格式：職業工會列投保單位，企業工會列服務部門。"
)
PORT = Field(
    "port",
    "港區",
    Choice(PORTS),
    hint="工會所在的港區：申請資料函送港區所在地之直轄市、縣（市）政府（例如臺北港為新北市政府）。",
)

# The guide prints the sheet as the 項 目 | 內 容 table alone, no title rows above it.
LAYOUT = Layout(
    blocks=(Lines(tuple(Line(f.key) for f in FIELDS), headers=HEADERS), ScreenOnly((UNION_TYPE.key, PORT.key))),
    widths=(34, 64),
)

SPEC = FormSpec(
    id="application",
    number=1,
    sheet_name="商港服務費福利專款申請書(含工會基本資料)",
    title="商港服務費福利專款申請書(含工會基本資料)",
    period=0,
    fields=FIELDS,
    extra_fields=(UNION_TYPE, PORT),
    layout=LAYOUT,
)
