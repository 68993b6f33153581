"""Build the bundled Traditional Chinese TrueType font from Noto Sans CJK TC.

Run once by a developer; the output is committed under resources/fonts/ and the
app never runs this. reportlab reads only TrueType (glyf) outlines, while Noto
Sans CJK ships CFF outlines in a .ttc, so this script:

1. picks the "Noto Sans CJK TC" face out of the collection by its name table;
2. subsets it to the code points Traditional Chinese forms need (every CJK
   Unified Ideograph of the basic block and Extension A, Big5 symbols, Latin,
   Bopomofo, punctuation, full-width forms, box drawing, enclosed numbers…);
3. adds ballot boxes ☐ ☑ ☒ (absent from Noto CJK) drawn from its own □ ✓ ╳;
4. converts the cubic CFF outlines to quadratic glyf outlines with cu2qu;
5. renames the family to "Noto Sans TC TT" so it never clashes with an
   installed Noto Sans CJK TC.

Usage (from the repository root; Debian: apt-get install fonts-noto-cjk):

    .venv/bin/python installer/fonts/convert_font.py            # Regular only
    .venv/bin/python installer/fonts/convert_font.py --bold     # Regular + Bold

The output is deterministic: the same source file gives byte-identical fonts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from fontTools.misc.transform import Transform
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph

SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
SOURCE_FILES = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
SOURCE_FAMILY = "Noto Sans CJK TC"
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
OUTPUT_FILES = {"Regular": "NotoSansTC-Regular.ttf", "Bold": "NotoSansTC-Bold.ttf"}

FAMILY = "Noto Sans TC TT"
POSTSCRIPT_FAMILY = "NotoSansTCTT"

# Font units (UPM 1000): 1.0 is the tolerance fontTools' own otf2ttf uses; invisible at print sizes.
MAX_ERR = 1.0

# Code point blocks kept. Big5 (cp950) maps only into these, except ˍ U+02CD and
# ≒ U+2252, which Noto Sans CJK does not have in any face.
UNICODE_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x02B0, 0x02FF, "Spacing Modifier Letters (Bopomofo tones ˇˊˋ˙)"),
    (0x0300, 0x036F, "Combining Diacritical Marks"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x04FF, "Cyrillic (Big5-ETEN)"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x2070, 0x209F, "Superscripts and Subscripts"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols (℃ №)"),
    (0x2150, 0x218F, "Number Forms (Ⅰ Ⅱ Ⅲ)"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical Operators"),
    (0x2300, 0x23FF, "Miscellaneous Technical"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics (① ⑴ ⒈)"),
    (0x2500, 0x257F, "Box Drawing"),
    (0x2580, 0x259F, "Block Elements"),
    (0x25A0, 0x25FF, "Geometric Shapes (◎ ○ ● □ ■)"),
    (0x2600, 0x26FF, "Miscellaneous Symbols (★ ☆; ☐ ☑ ☒ are added)"),
    (0x2700, 0x27BF, "Dingbats (✓ ❶)"),
    # Text copied from government PDFs often carries radicals instead of ideographs.
    (0x2E80, 0x2EFF, "CJK Radicals Supplement"),
    (0x2F00, 0x2FDF, "Kangxi Radicals"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation (〇 「」 【】)"),
    (0x3040, 0x309F, "Hiragana (Big5-ETEN)"),
    (0x30A0, 0x30FF, "Katakana (Big5-ETEN)"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x31A0, 0x31BF, "Bopomofo Extended"),
    (0x3200, 0x32FF, "Enclosed CJK Letters and Months (㈠ ㊣)"),
    (0x3300, 0x33FF, "CJK Compatibility (㎡ ㎏)"),
    (0x3400, 0x4DBF, "CJK Unified Ideographs Extension A"),
    (0x4E00, 0x9FFF, "CJK Unified Ideographs"),
    (0xF900, 0xFAFF, "CJK Compatibility Ideographs"),
    (0xFE10, 0xFE1F, "Vertical Forms"),
    (0xFE30, 0xFE4F, "CJK Compatibility Forms"),
    (0xFE50, 0xFE6F, "Small Form Variants"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)

# GPOS-only features: they add no glyphs. Vertical and locl substitutions would
# pull in thousands of glyphs the app never shows.
LAYOUT_FEATURES = ["kern", "palt", "halt"]

# New code point → (base glyph's code point, mark's code point or None).
BALLOT_BOX = 0x25A1  # □
BALLOT_BOXES: dict[int, tuple[int, int | None]] = {
    0x2610: (BALLOT_BOX, None),  # ☐
    0x2611: (BALLOT_BOX, 0x2713),  # ☑ = □ + ✓
    0x2612: (BALLOT_BOX, 0x2573),  # ☒ = □ + ╳
}
MARK_SCALE = 0.62  # the mark's size relative to the box, so it stays inside the frame


def wanted_codepoints() -> list[int]:
    return [cp for first, last, _ in UNICODE_BLOCKS for cp in range(first, last + 1)]


def english_name(font: TTFont, name_id: int) -> str | None:
    record = font["name"].getName(name_id, 3, 1, 0x409)
    return record.toUnicode() if record is not None else None


def find_face(ttc_path: Path, family: str) -> int:
    """Index of the face whose English family name is `family`."""
    collection = TTCollection(str(ttc_path), lazy=True)
    try:
        for index, face in enumerate(collection.fonts):
            if english_name(face, 1) == family:
                return index
    finally:
        collection.close()
    raise SystemExit(f"{ttc_path}: no face named {family!r}")


def subset(font: TTFont, codepoints: Iterable[int]) -> None:
    options = Options()
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.recalc_timestamp = False
    subsetter = Subsetter(options=options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def glyph_bounds(glyph_set: object, name: str) -> tuple[float, float, float, float]:
    pen = BoundsPen(glyph_set)
    glyph_set[name].draw(pen)  # type: ignore[index]
    if pen.bounds is None:
        raise SystemExit(f"glyph {name} is empty")
    return pen.bounds


def mark_transform(glyph_set: object, box: str, mark: str) -> Transform:
    """Scale and move `mark` so it sits centred inside the frame of `box`."""
    bx0, by0, bx1, by1 = glyph_bounds(glyph_set, box)
    mx0, my0, mx1, my1 = glyph_bounds(glyph_set, mark)
    scale = MARK_SCALE * min((bx1 - bx0) / (mx1 - mx0), (by1 - by0) / (my1 - my0))
    dx = (bx0 + bx1) / 2 - scale * (mx0 + mx1) / 2
    dy = (by0 + by1) / 2 - scale * (my0 + my1) / 2
    return Transform(scale, 0, 0, scale, dx, dy)


def quadratic_glyph(draw_parts: Iterable[tuple[object, Transform | None]], max_err: float) -> Glyph:
    """One glyf glyph from one or more CFF glyphs, each optionally transformed."""
    tt_pen = TTGlyphPen(None)
    # CFF contours run counter-clockwise, TrueType clockwise: reverse them.
    cu2qu_pen = Cu2QuPen(tt_pen, max_err, reverse_direction=True)
    for cff_glyph, transform in draw_parts:
        pen = cu2qu_pen if transform is None else TransformPen(cu2qu_pen, transform)
        cff_glyph.draw(pen)  # type: ignore[attr-defined]
    return tt_pen.glyph()


def ballot_box_parts(font: TTFont) -> Iterator[tuple[int, str, list[tuple[str, Transform | None]]]]:
    """(code point, new glyph name, parts) for each ballot box to add."""
    cmap = font.getBestCmap()
    glyph_set = font.getGlyphSet()
    for codepoint, (box_cp, mark_cp) in BALLOT_BOXES.items():
        if codepoint in cmap:
            continue
        box = cmap[box_cp]
        parts: list[tuple[str, Transform | None]] = [(box, None)]
        if mark_cp is not None:
            mark = cmap[mark_cp]
            parts.append((mark, mark_transform(glyph_set, box, mark)))
        yield codepoint, f"uni{codepoint:04X}", parts


def add_to_cmap(font: TTFont, codepoint: int, glyph_name: str) -> None:
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[codepoint] = glyph_name


def cff_to_glyf(font: TTFont, max_err: float) -> None:
    """Replace the CFF table by glyf/loca, adding the ballot boxes on the way."""
    glyph_set = font.getGlyphSet()
    order = list(font.getGlyphOrder())
    glyphs = {name: quadratic_glyph([(glyph_set[name], None)], max_err) for name in order}
    metrics = font["hmtx"].metrics
    vertical = font["vmtx"].metrics if "vmtx" in font else None
    for codepoint, name, parts in ballot_box_parts(font):
        glyphs[name] = quadratic_glyph([(glyph_set[part], t) for part, t in parts], max_err)
        order.append(name)
        box = parts[0][0]
        metrics[name] = metrics[box]
        if vertical is not None:
            vertical[name] = vertical[box]
        add_to_cmap(font, codepoint, name)

    font.setGlyphOrder(order)
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:  # vertical origins belong to CFF fonts only
        del font["VORG"]
    glyf.compile(font)  # computes each glyph's bounds
    for name in order:
        glyph = glyf[name]
        metrics[name] = (metrics[name][0], glyph.xMin if glyph.numberOfContours else 0)

    font["maxp"] = truetype_maxp(glyphs)
    font["post"].formatType = 3.0  # CID fonts have no meaningful glyph names
    font["head"].glyphDataFormat = 0
    font["gasp"] = unhinted_gasp()
    font.sfntVersion = "\x00\x01\x00\x00"


def truetype_maxp(glyphs: dict[str, Glyph]) -> object:
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyphs)
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0  # every glyph is a simple glyph
    # The point and contour maxima are recalculated when the font is saved.
    for field in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, field, 0)
    return maxp


def unhinted_gasp() -> object:
    # No hints survive the conversion: ask for smoothed rendering at every size.
    gasp = newTable("gasp")
    gasp.version = 1
    gasp.gaspRange = {0xFFFF: 0x000F}
    return gasp


def rename(font: TTFont, style: str) -> None:
    """New family name in every record, so the font never passes for Noto Sans CJK TC."""
    version = english_name(font, 5) or ""
    postscript = f"{POSTSCRIPT_FAMILY}-{style}"
    names = {
        1: FAMILY,
        2: style,
        3: f"{version.split(';')[0].removeprefix('Version ')};{postscript}",
        4: f"{FAMILY} {style}",
        6: postscript,
        10: (
            f"Noto Sans CJK TC {style}, subset to Traditional Chinese ranges and converted "
            "from CFF to TrueType outlines (fontTools cu2qu) for treasurer_app. Ballot boxes "
            "U+2610-2612 drawn from the font's own glyphs."
        ),
    }
    table = font["name"]
    table.names = [r for r in table.names if r.nameID not in (*names, 16, 17, 21, 22)]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)


def convert(ttc_path: Path, output: Path, style: str, max_err: float) -> None:
    font = TTFont(str(ttc_path), fontNumber=find_face(ttc_path, SOURCE_FAMILY), recalcTimestamp=False)
    source_cmap = font.getBestCmap()
    expected = {cp for cp in wanted_codepoints() if cp in source_cmap} | set(BALLOT_BOXES)
    subset(font, wanted_codepoints())
    cff_to_glyf(font, max_err)
    rename(font, style)
    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(output))
    font.close()
    check(output, expected)


def check(output: Path, expected: set[int]) -> None:
    """Reload the result and fail loudly if a code point of the source was lost."""
    font = TTFont(str(output))
    cmap = font.getBestCmap()
    if "glyf" not in font or "CFF " in font:
        raise SystemExit(f"{output}: not a TrueType-outline font")
    lost = sorted(expected - set(cmap))
    if lost:
        raise SystemExit(f"{output}: lost {len(lost)} code points, first {[hex(cp) for cp in lost[:10]]}")
    size = output.stat().st_size
    print(f"{output}: {font['maxp'].numGlyphs} glyphs, {len(cmap)} code points, {size} bytes ({size / 1e6:.2f} MB)")
    font.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR, help="folder holding NotoSansCJK-*.ttc")
    parser.add_argument("--output-dir", type=Path, default=OUTPUT_DIR)
    parser.add_argument("--bold", action="store_true", help="also build the Bold face")
    parser.add_argument("--max-err", type=float, default=MAX_ERR, help="cu2qu tolerance in font units")
    args = parser.parse_args(argv)
    styles = ["Regular", "Bold"] if args.bold else ["Regular"]
    for style in styles:
        convert(args.source_dir / SOURCE_FILES[style], args.output_dir / OUTPUT_FILES[style], style, args.max_err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
