"""Draw the app icon: resources/icons/app.ico (16–256 px) and app.png (256 px).

A teal rounded square carrying the character 帳 (ledger) in the bundled Noto
Sans TC, with a gold coin in the corner at the sizes where it stays legible.
Each icon size is drawn on its own instead of scaled down from 256 px, so the
16 and 32 px images are sharp in Explorer and the task bar.

Run from the repository root after changing the design; the outputs are committed:

    .venv/bin/python installer/make_icon.py

Pillow comes with reportlab, already a runtime dependency.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT_FILE = ROOT / "resources" / "fonts" / "NotoSansTC-Regular.ttf"
OUTPUT_DIR = ROOT / "resources" / "icons"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
PNG_SIZE = 256
GLYPH = "帳"

TEAL_TOP = (20, 145, 155)
TEAL_BOTTOM = (12, 92, 128)
GOLD = (242, 183, 5)
GOLD_EDGE = (176, 120, 0)
WHITE = (255, 255, 255)

# Below this the coin would be a smudge: small icons show the character alone.
COIN_MIN_SIZE = 40
SUPERSAMPLE = 4


def gradient_square(size: int) -> Image.Image:
    """A vertical teal gradient filling the whole square."""
    gradient = Image.new("RGB", (1, size))
    for y in range(size):
        t = y / max(size - 1, 1)
        gradient.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(TEAL_TOP, TEAL_BOTTOM, strict=True)))
    return gradient.resize((size, size), Image.Resampling.NEAREST)


def rounded_mask(size: int, margin: int, radius: int) -> Image.Image:
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle((margin, margin, size - 1 - margin, size - 1 - margin), radius, fill=255)
    return mask


def draw_glyph(canvas: Image.Image, font_file: Path, box: tuple[int, int, int, int], weight: int) -> None:
    """Draw GLYPH centred in box, as large as fits; `weight` is a stroke width that emboldens the Regular face."""
    left, top, right, bottom = box
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.truetype(str(font_file), size=bottom - top)
    x0, y0, x1, y1 = draw.textbbox((0, 0), GLYPH, font=font, stroke_width=weight)
    scale = min((right - left) / (x1 - x0), (bottom - top) / (y1 - y0))
    font = ImageFont.truetype(str(font_file), size=max(1, int((bottom - top) * scale)))
    x0, y0, x1, y1 = draw.textbbox((0, 0), GLYPH, font=font, stroke_width=weight)
    x = left + ((right - left) - (x1 - x0)) / 2 - x0
    y = top + ((bottom - top) - (y1 - y0)) / 2 - y0
    draw.text((x, y), GLYPH, font=font, fill=WHITE, stroke_width=weight, stroke_fill=WHITE)


def draw_coin(canvas: Image.Image, centre: tuple[float, float], radius: float) -> None:
    draw = ImageDraw.Draw(canvas)
    cx, cy = centre
    edge = max(1.0, radius * 0.14)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=GOLD_EDGE)
    inner = radius - edge
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), fill=GOLD)
    # A square hole, as on the old Chinese cash coin.
    hole = radius * 0.3
    draw.rectangle((cx - hole, cy - hole, cx + hole, cy + hole), fill=GOLD_EDGE)


def draw_icon(size: int, font_file: Path = FONT_FILE) -> Image.Image:
    """The icon at one pixel size, drawn large and reduced once for anti-aliasing."""
    big = size * SUPERSAMPLE
    margin = round(big * (0.02 if size <= 32 else 0.04))
    radius = round(big * 0.2)
    icon = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    icon.paste(gradient_square(big), (0, 0), rounded_mask(big, margin, radius))

    with_coin = size >= COIN_MIN_SIZE
    inset = margin + round(big * (0.1 if size <= 32 else 0.14))
    glyph_box = (inset, inset, big - inset, big - inset)
    if with_coin:
        # Leave the lower-right corner to the coin: shift the character up and left.
        shift = round(big * 0.07)
        glyph_box = (inset - shift, inset - shift, big - inset - shift, big - inset - shift)
    weight = max(1, round(big * (0.018 if size <= 32 else 0.008)))
    draw_glyph(icon, font_file, glyph_box, weight)
    if with_coin:
        coin_radius = big * 0.15
        draw_coin(icon, (big - margin - coin_radius * 1.05, big - margin - coin_radius * 1.05), coin_radius)
    return icon.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(output_dir: Path = OUTPUT_DIR, font_file: Path = FONT_FILE) -> tuple[Path, Path]:
    if not font_file.is_file():
        raise SystemExit(f"找不到內建字型：{font_file}")
    output_dir.mkdir(parents=True, exist_ok=True)
    images = [draw_icon(size, font_file) for size in ICO_SIZES]
    ico = output_dir / "app.ico"
    largest = images[-1]
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=images[:-1])
    png = output_dir / "app.png"
    draw_icon(PNG_SIZE, font_file).save(png, format="PNG", optimize=True)
    return ico, png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT_DIR, help="output folder (default: resources/icons)")
    args = parser.parse_args()
    for path in write_icons(args.out):
        print(f"{path}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
