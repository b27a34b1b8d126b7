"""Reading the text of a picture of a page: Tesseract (Debian's tesseract-ocr) via pytesseract.

A flipchart photo or a scanned page becomes plain text and a confidence: Tesseract's mean
word confidence (0-100). The pure parts (turning Tesseract's word table into lines, deciding
whether anything readable was found, the note a document keeps about its recognised pages)
are separate from the one call that runs Tesseract, so tests of them need no image.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps

from ingest.errors import UnreadableFile

MIN_WORD_CONFIDENCE = 60  # a word Tesseract is at least this sure of counts as readable
MIN_READABLE_WORDS = 3  # fewer readable words than this: the picture has no readable text
# Automatic page layout; Sauvola's local thresholds, so a sheet lit from one side is not half
# lost to a single global threshold (bench/ocr.py: phone photos).
TESSERACT_CONFIG = "--psm 3 -c thresholding_method=2"
NOTE_PREFIX = "Read from an image by OCR (Tesseract), confidence per page:"
_NOTE_PAGE = re.compile(r"p\. (\d+) (\d+)%")
# Told after each page is recognised: (pages recognised so far, pages to recognise in all).
PagesRead = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrLimits:
    """What one page may cost to recognise, and when its result is flagged as doubtful."""

    page_timeout_s: float = 30.0  # Tesseract is stopped past this, and the file refused
    max_pages: int = 200  # a file with more pages to recognise is refused: split it
    max_pixels: int = 16_000_000  # larger pictures are scaled down first (a 16 MP photo)
    low_confidence: float = 75.0  # pages below this are flagged "may contain errors"
    language: str = "eng"


@dataclass(frozen=True)
class Recognised:
    """The text found on one page, and how sure Tesseract was of it."""

    text: str
    confidence: float  # mean confidence of the words found, 0-100 (0: no words)
    readable_words: int  # words of two or more letters or digits held with some confidence


def lines_from_data(data: Mapping[str, Sequence[Any]]) -> Recognised:
    """Text from Tesseract's word table (pytesseract's image_to_data as a dict): words joined
    by spaces, lines by newlines and blocks or paragraphs by a blank line."""
    lines: list[list[str]] = []
    breaks: list[bool] = []  # a paragraph starts at this line
    last_line: tuple[int, int, int] | None = None
    last_par: tuple[int, int] | None = None
    confidences: list[float] = []
    readable = 0
    for i, word in enumerate(data.get("text", [])):
        word = str(word).strip()
        conf = float(data["conf"][i])
        if not word or conf < 0:  # conf -1 marks a block, paragraph or line, not a word
            continue
        confidences.append(conf)
        if conf >= MIN_WORD_CONFIDENCE and sum(c.isalnum() for c in word) >= 2:
            readable += 1
        par = (int(data["block_num"][i]), int(data["par_num"][i]))
        line = (*par, int(data["line_num"][i]))
        if line != last_line:
            lines.append([])
            breaks.append(last_par is not None and par != last_par)
            last_line, last_par = line, par
        lines[-1].append(word)
    text = ""
    for words, new_paragraph in zip(lines, breaks, strict=True):
        text += ("\n\n" if new_paragraph else "\n" if text else "") + " ".join(words)
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return Recognised(text, round(mean, 1), readable)


def is_readable(page: Recognised) -> bool:
    """Whether a page holds text worth indexing, rather than noise read into a blank photo."""
    return page.readable_words >= MIN_READABLE_WORDS


def prepared(image: Image.Image, max_pixels: int) -> Image.Image:
    """The picture upright (as the camera recorded), in grey, and no larger than max_pixels."""
    image = ImageOps.exif_transpose(image) or image
    if "A" in image.mode or "transparency" in image.info:  # transparent parts become paper
        rgba = image.convert("RGBA")
        image = Image.new("RGBA", rgba.size, "white")
        image.alpha_composite(rgba)
    image = image.convert("L")
    pixels = image.width * image.height
    if pixels > max_pixels:
        scale = (max_pixels / pixels) ** 0.5
        size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def tesseract_available() -> bool:
    """Whether the Tesseract program is installed (without it nothing can be recognised)."""
    import pytesseract

    return shutil.which(pytesseract.pytesseract.tesseract_cmd) is not None


def recognise(image: Image.Image, limits: OcrLimits, where: str) -> Recognised:
    """Run Tesseract on one page; `where` names it in an error ("'notes.pdf', p. 3").

    Tesseract runs as its own process, stopped after `limits.page_timeout_s`; it inherits
    the reading worker's memory limit. One thread per page: the workers already use the cores.
    """
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    page = prepared(image, limits.max_pixels)
    try:
        data = pytesseract.image_to_data(
            page, lang=limits.language, config=TESSERACT_CONFIG,
            output_type=pytesseract.Output.DICT, timeout=limits.page_timeout_s,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise UnreadableFile(
            f"{where} needs text recognition, and Tesseract is not installed on the server; "
            "an administrator can install Debian's tesseract-ocr (`make run` does)"
        ) from exc
    except pytesseract.TesseractError as exc:  # out of memory, a picture it cannot take
        raise UnreadableFile(
            f"{where} could not be recognised ({exc.message or exc.status}); it may be too "
            "large or damaged. Scan or photograph it again at a lower resolution"
        ) from exc
    except RuntimeError as exc:  # pytesseract's timeout (TesseractError is one too)
        raise UnreadableFile(
            f"{where} took longer than {limits.page_timeout_s:g} s to recognise; take the "
            "photo closer and straighter, or scan it at 300 dpi, and upload it again"
        ) from exc
    return lines_from_data(data)


def ocr_note(confidences: Mapping[int, float]) -> str:
    """What a document keeps about its recognised pages: one line, page by page."""
    pages = ", ".join(f"p. {page} {round(conf)}%" for page, conf in sorted(confidences.items()))
    return f"{NOTE_PREFIX} {pages}."


def low_confidence_warning(pages: Sequence[int]) -> str:
    """The warning for pages read with low confidence."""
    label = "p." if len(pages) == 1 else "pp."
    return (f"{label} {', '.join(map(str, pages))} read from a photo or scan with low confidence "
            "and may contain errors; the original is one click away")


def notes_for(confidences: Mapping[int, float], limits: OcrLimits) -> list[str]:
    """The warnings a document with recognised pages carries: the note, and the low pages."""
    if not confidences:
        return []
    notes = [ocr_note(confidences)]
    low = [page for page, conf in sorted(confidences.items()) if conf < limits.low_confidence]
    if low:
        notes.append(low_confidence_warning(low))
    return notes


def recognised_pages(warnings: Sequence[str]) -> dict[int, float]:
    """Page -> OCR confidence, read back from a document's warnings ({} if none was OCR'd)."""
    for warning in warnings:
        if warning.startswith(NOTE_PREFIX):
            return {int(p): float(c) for p, c in _NOTE_PAGE.findall(warning)}
    return {}
