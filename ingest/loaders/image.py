"""Photos and scans (.jpg, .png, .heic): the text recognised on them, as one page.

A flipchart photographed at the end of a meeting is a one-page document: its text is found
by OCR (ingest/ocr.py) and kept on page 1, with the page's confidence noted. A picture with
no readable text is refused rather than indexed empty.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePath

from PIL import Image, UnidentifiedImageError

from ingest.errors import NoTextError, UnreadableFile
from ingest.models import LoadedDocument, Section
from ingest.ocr import OcrLimits, PagesRead, is_readable, notes_for, recognise

try:  # HEIC/HEIF, the iPhone's format, through libheif (pillow-heif ships it in its wheel)
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
    HEIC = False

MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".heic": "image/heic"}
SUFFIXES = tuple(MEDIA_TYPES) if HEIC else (".jpg", ".jpeg", ".png")
MAX_PIXELS = 100_000_000  # a picture declaring more (a "pixel bomb") is refused unopened


def open_image(data: bytes, filename: str) -> Image.Image:
    """The picture, fully decoded; an unreadable or outsized file is refused."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnreadableFile(
            f"'{filename}' is a picture of more than {MAX_PIXELS // 1_000_000} megapixels; "
            "save it at a smaller size and upload it again"
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnreadableFile(
            f"'{filename}' is not a readable picture ({exc}); save it again as JPEG or PNG"
        ) from exc
    return image


def load_image(data: bytes, filename: str, *, ocr: OcrLimits | None = None,
               pages_read: PagesRead | None = None) -> LoadedDocument:
    limits = ocr or OcrLimits()
    image = open_image(data, filename)
    page = recognise(image, limits, f"'{filename}'")
    if pages_read is not None:
        pages_read(1, 1)
    if not is_readable(page):
        raise NoTextError(
            f"'{filename}' has no readable text: text recognition found "
            f"{page.readable_words} clear word(s). If it shows writing, photograph it again "
            "closer, straight on and in even light, and upload that"
        )
    suffix = PurePath(filename).suffix.lower()
    return LoadedDocument(
        sections=[Section((), page.text, page=1)],
        media_type=MEDIA_TYPES.get(suffix, "image/jpeg"),
        n_pages=1,
        warnings=notes_for({1: page.confidence}, limits),
    )
