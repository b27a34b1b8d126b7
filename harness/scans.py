"""Pictures of text for the OCR tests, bench/ocr.py and the corpus: a clean scan, a phone
photo of a flipchart (skewed, blurred, unevenly lit) and handwriting-like lettering, drawn with
Pillow and the fonts Debian ships (fonts-dejavu-core; fonts-comic-neue and fonts-humor-sans
for the handwriting-like condition, else DejaVu Sans Oblique or DejaVu Sans)."""

from __future__ import annotations

import io
import random
import textwrap
from enum import StrEnum
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = Path("/usr/share/fonts")
SANS = FONTS / "truetype/dejavu/DejaVuSans.ttf"
SERIF = FONTS / "truetype/dejavu/DejaVuSerif.ttf"
HANDWRITING = (FONTS / "opentype/comic-neue/ComicNeue-Regular.otf",
               FONTS / "truetype/humor-sans/Humor-Sans.ttf",
               FONTS / "truetype/dejavu/DejaVuSans-Oblique.ttf")


class Condition(StrEnum):
    """How a page was captured."""

    CLEAN = "clean scan"
    PHOTO = "phone photo"
    HANDWRITING = "handwriting-like"


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def handwriting_font() -> Path:
    """The first handwriting-like font installed (plain DejaVu Sans at worst)."""
    return next((p for p in HANDWRITING if p.exists()), SANS)


def page(text: str, face: Path = SERIF, size: int = 36, width: int = 2480,
         height: int = 3508, columns: int = 70) -> Image.Image:
    """An A4 page at 300 dpi: black text on white, paragraphs separated by blank lines."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    letters = font(face, size)
    y = 220
    for paragraph in text.split("\n\n"):
        for line in textwrap.wrap(" ".join(paragraph.split()), columns):
            draw.text((200, y), line, fill=0, font=letters)
            y += int(size * 1.5)
        y += size
    return image


def flipchart(lines: list[str], face: Path | None = None, size: int = 64,
              seed: int = 0) -> Image.Image:
    """A flipchart sheet in marker: large lettering, each letter a little off its line, as a
    hand writes (with a handwriting-like font), on off-white paper."""
    rng = random.Random(seed)
    face = face or handwriting_font()
    letters = font(face, size)
    rows = sum(len(textwrap.wrap(line, 34) or [""]) for line in lines)
    width, height = 1800, max(2400, 320 + rows * int(size * 1.45) + len(lines) * size // 2)
    image = Image.new("RGB", (width, height), (250, 249, 244))
    draw = ImageDraw.Draw(image)
    ink = (20, 40, 110)
    y = 160
    for line in lines:
        wrapped = textwrap.wrap(line, 34) or [""]
        for part in wrapped:
            x = 140 + rng.randint(-10, 10)
            for char in part:
                draw.text((x, y + rng.randint(-3, 3)), char, fill=ink, font=letters)
                x += int(draw.textlength(char, font=letters)) + rng.randint(0, 2)
            y += int(size * 1.45)
        y += size // 2
    return image


def sticky_wall(notes: list[str], face: Path | None = None, size: int = 44,
                seed: int = 0) -> Image.Image:
    """Sticky notes on a wall, three to a row, each a square of colour with a few words in
    marker, each a little crooked."""
    rng = random.Random(seed)
    letters = font(face or handwriting_font(), size)
    side, gap = 520, 60
    rows = (len(notes) + 2) // 3
    wall = Image.new("RGB", (3 * side + 4 * gap, rows * side + (rows + 1) * gap), (236, 232, 224))
    colours = [(253, 238, 140), (255, 204, 153), (186, 230, 201), (190, 215, 250)]
    for i, text in enumerate(notes):
        note = Image.new("RGB", (side, side), colours[i % len(colours)])
        draw = ImageDraw.Draw(note)
        y = 50
        for line in textwrap.wrap(text, 16):
            draw.text((36, y), line, fill=(25, 25, 35), font=letters)
            y += int(size * 1.35)
        note = note.rotate(rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True,
                           fillcolor=(236, 232, 224))
        row, column = divmod(i, 3)
        wall.paste(note, (gap + column * (side + gap), gap + row * (side + gap)))
    return wall


def photographed(image: Image.Image, seed: int = 0, skew: float = 4.0, blur: float = 1.6,
                 shade: float = 0.5) -> Image.Image:
    """What a phone makes of a sheet: seen a little from below (the top narrower), turned up
    to `skew` degrees, out of focus, lit from one side (the far edge darker by `shade`), with
    sensor noise, saved as a JPEG."""
    rng = random.Random(seed)
    rgb = image.convert("RGB")
    width, height = rgb.size
    inset = width * rng.uniform(0.02, 0.05)  # the top edge, further away, looks narrower
    rgb = rgb.transform((width, height), Image.Transform.QUAD,
                        (-inset, 0, -inset * 0.1, height, width + inset * 0.1, height,
                         width + inset, 0),
                        resample=Image.Resampling.BICUBIC, fillcolor=(120, 110, 100))
    angle = rng.uniform(-skew, skew)
    rgb = rgb.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True,
                     fillcolor=(120, 110, 100))
    rgb = rgb.filter(ImageFilter.GaussianBlur(blur))
    width, height = rgb.size
    light = Image.linear_gradient("L").rotate(90 if rng.random() < 0.5 else -90)
    dark = Image.blend(rgb, Image.new("RGB", (width, height), (0, 0, 0)), shade)
    rgb = Image.composite(rgb, dark, light.resize((width, height)))
    noise = Image.effect_noise((width, height), 20).convert("RGB")
    rgb = Image.blend(rgb, noise, 0.08)
    return Image.open(io.BytesIO(encoded(rgb, "JPEG", quality=75)))


def encoded(image: Image.Image, fmt: str, quality: int = 85) -> bytes:
    """The image as a file's bytes: PNG or JPEG (at `quality`)."""
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=quality)
    else:
        image.save(out, fmt)
    return out.getvalue()


def scanned_pdf(pages: list[Image.Image], **info: object) -> bytes:
    """A PDF whose pages are only pictures, as a scanner makes it (no text layer); `info`:
    its title, author, subject or keywords."""
    first, *rest = [p.convert("L") for p in pages]
    out = io.BytesIO()
    first.save(out, "PDF", resolution=300.0, save_all=True, append_images=rest, **info)
    return out.getvalue()
