"""The bundled Traditional Chinese font: present, TrueType, covers the forms' text, embeds in PDFs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.lib.fonts import tt2ps
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from treasurer_app import fonts
from treasurer_app.resources import resources_dir

REPO = Path(__file__).resolve().parents[2]
MAX_REGULAR_BYTES = 10 * 1024 * 1024  # the installer's budget for the font

# Printed labels of the forms and ledger (DOMAIN.md), names and symbols users type.
LABELS = [
    "商港服務費福利專款申請書(含工會基本資料)",
    "福利專款會員名冊",
    "福利專款決算及運用情形(含結存分析表)",
    "福利專款教育訓練成果報告",
    "福利專款教育訓練經費表",
    "福利專款工作計畫書",
    "福利專款歲入歲出預算書",
    "現金收支登記簿",
    "臺灣銀行",
    "〇〇",
    "◎",
    "黃洪臺",
    "講師鐘點費",
    "佈置",
    "嘉義尊皇飯店",
    "泰安龍騰飯店",
    "中樞公司候工室",
    "堆高機",
    "貳萬元",
    "壹萬元",
    "純金戒指",
    "誤植或扣抵",
    "摘要(一)",
    "摘要(二)",
    "傳票序號",
    "零用金",
    "定期存款",
    "第",
    "頁",
    "共",
    "理事長",
    "常務監事",
    "會計",
    "製表人",
    "印",
    "申請年度",
    "統一編號",
    "解散、合併日期",
    "港區工作性質",
    "行庫別名稱及帳號",
    "工會負責人(理事長或常務理事)",
    "聯絡人電子信箱",
    "身分證字號",
    "職業工會會員名冊",
    "企業工會會員名冊",
    "結餘款金額(包括其他收入)",
    "3-2-2、會員家屬住院或死亡慰問金",
    "5-4、春節、中秋、端午、重陽、五一勞動節禮券、紀念品生日禮券、禮品",
    "6-1 辦公文具用品(電腦消耗品、紙張、水電費等)",
    "受益人次(男)",
    "職業(或職場業務)相關知識",
    "勞動知能及法令",
    "上課講授",
    "生態參訪",
    "場地佈置費",
    "平安保險費",
    "每場次50,000元*4場次=200,000元。",
    "(另使用利息8,000元)",
    "截至114年度歷年累積結餘款",
    "轉-提福利專款存款為定期存款",
    "收-非商港服務費福利專款",
    "7-2、定期存款解約利息損失",
    "111臺中市XX區XX里北XX路XX號",
    "統一編號：檢查碼不符（12345678）",
    "○",
    "●",
    "☐",
    "☑",
    "☒",
    "✓",
    "／",
    "※",
    "＊",
    "①②③",
    "㈠㈡",
    "ㄅㄆㄇㄈ",
    "１２３ＡＢＣ",
    "「」『』【】《》",
]

# Form symbols and scripts beyond the labels above.
SYMBOLS = "◎○●□■△▲◇◆★☆☐☑☒✓╳※＊／〇①⑩⑳⑴⒈㈠㊣ⅠⅩ℃№㎡㎏─│┌┐└┘├┤┬┴┼═║→←↑↓±×÷≦≧≠∞√∵∴°§ˇˊˋ˙‧…—–“”‘’、。，；：？！"

# Big5 (cp950) characters that Noto Sans CJK has in none of its faces.
KNOWN_BIG5_GAPS = {"\u02cd", "\u2252"}  # ˍ ≒


@pytest.fixture(scope="module")
def covered() -> set[int]:
    """Code points the bundled font maps to a glyph, as reportlab reads them."""
    face = TTFont("coverage-probe", str(fonts.font_path())).face
    return set(face.charToGlyph)


def big5_characters() -> set[str]:
    characters = set()
    for lead in range(0x81, 0xFF):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                characters.add(bytes([lead, trail]).decode("cp950"))
            except UnicodeDecodeError:
                continue
    return characters


def uncovered(text: str, covered: set[int]) -> list[str]:
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in covered})


def test_resources_dir_is_the_repository_folder_in_a_source_tree() -> None:
    assert resources_dir() == REPO / "resources"
    assert fonts.font_path() == REPO / "resources" / "fonts" / "NotoSansTC-Regular.ttf"


def test_resources_dir_is_inside_the_bundle_when_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    fonts_folder = tmp_path / "resources" / "fonts"
    fonts_folder.mkdir(parents=True)
    (fonts_folder / fonts.REGULAR_FILE).write_bytes(b"placeholder")

    assert resources_dir() == tmp_path / "resources"
    assert fonts.font_path() == fonts_folder / fonts.REGULAR_FILE


def test_bold_falls_back_to_regular_only_when_no_bold_face_is_bundled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    fonts_folder = tmp_path / "resources" / "fonts"
    fonts_folder.mkdir(parents=True)
    (fonts_folder / fonts.REGULAR_FILE).write_bytes(b"placeholder")
    assert fonts.font_path(bold=True) == fonts_folder / fonts.REGULAR_FILE
    assert fonts.bundled_font_files() == [fonts_folder / fonts.REGULAR_FILE]

    (fonts_folder / fonts.BOLD_FILE).write_bytes(b"placeholder")
    assert fonts.font_path(bold=True) == fonts_folder / fonts.BOLD_FILE
    assert fonts.bundled_font_files() == [fonts_folder / fonts.REGULAR_FILE, fonts_folder / fonts.BOLD_FILE]


def test_a_missing_font_is_reported_in_chinese_with_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(FileNotFoundError, match="內建字型：找不到字型檔") as error:
        fonts.font_path()
    assert str(tmp_path / "resources" / "fonts" / fonts.REGULAR_FILE) in str(error.value)


def test_regular_font_is_bundled_within_its_size_budget() -> None:
    path = REPO / "resources" / "fonts" / fonts.REGULAR_FILE
    assert path.is_file()
    assert 1_000_000 < path.stat().st_size < MAX_REGULAR_BYTES


def test_licence_and_provenance_ship_next_to_the_font() -> None:
    folder = REPO / "resources" / "fonts"
    licence = (folder / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Adobe" in licence
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "fonts-noto-cjk" in readme
    assert "convert_font.py" in readme


def test_font_has_truetype_outlines_and_its_own_family_name() -> None:
    ttlib = pytest.importorskip("fontTools.ttLib")
    font = ttlib.TTFont(str(fonts.font_path()), lazy=True)
    assert "glyf" in font
    assert "CFF " not in font
    assert font["name"].getDebugName(1) == fonts.FONT_FAMILY
    names = " ".join(record.toUnicode() for record in font["name"].names if record.nameID in (1, 3, 4, 6, 16))
    assert "Noto Sans CJK" not in names  # would clash with an installed Noto Sans CJK TC


def test_every_label_and_symbol_is_drawn_with_a_non_empty_outline() -> None:
    ttlib = pytest.importorskip("fontTools.ttLib")
    font = ttlib.TTFont(str(fonts.font_path()))
    cmap, glyf = font.getBestCmap(), font["glyf"]
    visible = {ch for ch in "".join(LABELS) + SYMBOLS if not ch.isspace()}
    empty = sorted(ch for ch in visible if glyf[cmap[ord(ch)]].numberOfContours <= 0)
    assert empty == []


def test_every_label_and_symbol_has_a_glyph(covered: set[int]) -> None:
    assert uncovered("".join(LABELS) + SYMBOLS, covered) == []


def test_every_cjk_unified_ideograph_of_the_basic_block_and_extension_a_has_a_glyph(covered: set[int]) -> None:
    # Up to the last ideograph Noto Sans CJK 2.004 draws (Unicode 10: U+9FEA…U+9FEF are the newest it has).
    basic = range(0x4E00, 0x9FEF + 1)
    extension_a = range(0x3400, 0x4DB5 + 1)
    assert [hex(cp) for cp in (*basic, *extension_a) if cp not in covered] == []


def test_every_big5_character_has_a_glyph(covered: set[int]) -> None:
    big5 = big5_characters()
    assert len(big5) > 13_000
    assert uncovered("".join(big5 - KNOWN_BIG5_GAPS), covered) == []


def test_registering_twice_returns_the_same_registered_font() -> None:
    name = fonts.register_reportlab_fonts()
    first = pdfmetrics.getFont(name)
    assert fonts.register_reportlab_fonts() == name
    assert pdfmetrics.getFont(name) is first
    assert name == fonts.REPORTLAB_FONT
    assert isinstance(first, TTFont)


def test_bold_markup_in_a_paragraph_resolves_to_a_registered_face() -> None:
    name = fonts.register_reportlab_fonts()
    assert tt2ps(name, 1, 0) in pdfmetrics.getRegisteredFontNames()


# One line each; the symbols in pieces so no line runs off the page (pdftotext drops what does).
PRINTED_LINES = [*LABELS, *(SYMBOLS[start : start + 40] for start in range(0, len(SYMBOLS), 40))]


def draw_labels(path: Path) -> None:
    font = fonts.register_reportlab_fonts()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(font, 9)
    y = A4[1] - 36
    for label in PRINTED_LINES:
        pdf.drawString(36, y, label)
        y -= 9.5
    pdf.save()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_labels_round_trip_through_a_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "labels.pdf"
    draw_labels(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True, encoding="utf-8"
    ).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert [line for line in PRINTED_LINES if line not in lines] == []


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs pdffonts (poppler-utils)")
def test_the_font_is_embedded_as_a_subset(tmp_path: Path) -> None:
    pdf = tmp_path / "labels.pdf"
    draw_labels(pdf)
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines() if fonts.REPORTLAB_FONT in line]
    assert rows, listing
    for row in rows:
        # name type encoding emb sub uni object-id generation: read from the right, the type may hold spaces
        emb, sub = row[-5], row[-4]
        assert row[0].split("+")[0].isupper() and "+" in row[0]  # subset tag, e.g. AAAAAA+NotoSansTCTT
        assert (emb, sub) == ("yes", "yes")
