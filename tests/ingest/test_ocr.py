"""Photos and scanned PDFs through the real pipeline: real pictures drawn here, read by the
real Tesseract in the bounded worker, found by search on the right page; a blank photo
refused; an upload needing recognition becomes a background job (202)."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader, PdfWriter

from harness.files import make_pdf
from harness.jobs import finished_job
from harness.scans import SANS, encoded, flipchart, page, photographed, scanned_pdf
from ingest.chunking import sections_from_chunks
from ingest.errors import UnreadableFile
from ingest.loaders import load, recognition_pages
from ingest.models import Outcome, Overrides
from ingest.ocr import (
    OcrLimits,
    Recognised,
    is_readable,
    lines_from_data,
    notes_for,
    recognised_pages,
)
from ingest.parse_worker import ParseWorker
from ingest.pipeline import Item, Pipeline
from search.retrieval import SearchOptions, search
from service.app import create_app
from service.settings import Settings
from store.embedded import Store
from store.embedder import Embedder
from store.records import ChunkRecord, Kind

FLIPCHART = [
    "Parking lot from the March meeting",
    "Try a walking check-in for teens who will not sit in a circle",
    "Ask the school nurse to join the next session",
]
HANDOUT = [  # each page long enough to be passages of its own (not carried into the next)
    "Welcome to the Community of Practice. This handout explains how our monthly meetings "
    "run and what members bring to them. Meetings last ninety minutes, start with tea and "
    "finish on time, and anyone working with children and families may come along.",
    "Reflective supervision in pairs. Each member brings one moment from the month when a "
    "young person surprised them, and the partner asks three open questions before offering "
    "any advice. The pairs change every term so that members hear other services' views.",
    "Closing circle. We end every meeting by naming one small thing we will try before the "
    "next session, and we write it on the shared board. At the following meeting we ask how "
    "it went, and what got in the way, before anything new is planned.",
]


@pytest.fixture(scope="module")
def worker() -> Iterator[ParseWorker]:
    with ParseWorker(timeout_s=60, memory_mb=1024, workers=1) as pool:
        yield pool


@pytest.fixture
def ocr_pipeline(store: Store, worker: ParseWorker) -> Pipeline:
    return Pipeline(store.index, store.originals, loader=worker)


def _item(name: str, data: bytes) -> Item:
    return Item(source=name, read=lambda: data, overrides=Overrides(kind=Kind.SESSION_NOTE))


def _mixed_pdf() -> bytes:
    """Page 1 typed (a text layer), pages 2 and 3 scanned (pictures only)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([HANDOUT[0]]))))
    for page_ in PdfReader(io.BytesIO(scanned_pdf([page(HANDOUT[1]), page(HANDOUT[2])]))).pages:
        writer.add_page(page_)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- the pure parts ------------------------------------------------------------------------

def test_word_table_becomes_lines_and_paragraphs() -> None:
    table: dict[str, list[Any]] = {
        "text": ["", "Quiet", "corner", "", "rules", "", "Next", "step", "~"],
        "conf": [-1, 96, 91, -1, 88, -1, 90, 20, 5],
        "block_num": [1, 1, 1, 1, 1, 2, 2, 2, 2],
        "par_num": [1, 1, 1, 1, 1, 1, 1, 1, 1],
        "line_num": [1, 1, 1, 2, 2, 1, 1, 1, 1],
    }
    found = lines_from_data(table)
    assert found.text == "Quiet corner\nrules\n\nNext step ~"
    assert found.readable_words == 4  # "step" is too unsure and "~" has no letters
    assert found.confidence == round((96 + 91 + 88 + 90 + 20 + 5) / 6, 1)
    assert is_readable(found)
    assert not is_readable(Recognised("~ |", 12.0, 0))


def test_confidence_per_page_is_kept_in_the_warnings_and_read_back() -> None:
    notes = notes_for({3: 58.4, 1: 93.0}, OcrLimits(low_confidence=75))
    assert notes[0].endswith("p. 1 93%, p. 3 58%.")
    assert "p. 3" in notes[1] and "may contain errors" in notes[1]
    assert recognised_pages(["another warning", *notes]) == {1: 93.0, 3: 58.0}
    assert recognised_pages(["pages 2 have no text layer"]) == {}
    assert notes_for({}, OcrLimits()) == []


def test_text_rebuilt_from_chunks_drops_their_overlap() -> None:
    chunks = [ChunkRecord("d", 0, "one\ntwo\nthree", page_start=1, page_end=1),
              ChunkRecord("d", 1, "three\nfour", page_start=1, page_end=1),
              ChunkRecord("d", 2, "five", page_start=2, page_end=2)]
    sections = sections_from_chunks(chunks)
    assert [(s.page, s.text) for s in sections] == [(1, "one\ntwo\nthree\nfour"), (2, "five")]


def test_pages_to_recognise_are_photos_and_pages_without_a_text_layer() -> None:
    assert recognition_pages(b"\x89PNG whatever", "wall.png") == 1
    assert recognition_pages(_mixed_pdf(), "handout.pdf") == 2
    assert recognition_pages(make_pdf(["Typed only.", ""]), "typed.pdf") == 0  # blank: none
    assert recognition_pages(b"# notes", "notes.md") == 0


# --- real pictures, the real Tesseract, the real model and store ---------------------------

def test_flipchart_photo_is_recognised_and_found(ocr_pipeline: Pipeline) -> None:
    photo = encoded(photographed(flipchart(FLIPCHART, face=SANS, seed=3), seed=3), "JPEG")
    [result] = ocr_pipeline.ingest([_item("march-parking-lot.jpg", photo)])
    assert result.outcome is Outcome.ADDED, result.reason
    doc = result.document
    assert doc is not None and doc.media_type == "image/jpeg" and doc.n_pages == 1
    confidence = recognised_pages(doc.warnings)
    assert list(confidence) == [1] and confidence[1] > 50

    hits = search(ocr_pipeline.index, "walking check-in for teenagers who won't sit in a circle",
                  options=SearchOptions(k=3))
    assert hits[0].document.source == "march-parking-lot.jpg"
    assert "walking check-in" in hits[0].passages[0].text.lower()
    assert hits[0].passages[0].page_start == 1
    # the stored original is the photo itself, one click from the document page
    assert ocr_pipeline.originals.get(doc.content_hash) == photo


def test_mixed_pdf_recognises_only_its_scanned_pages_and_keeps_page_numbers(
        ocr_pipeline: Pipeline) -> None:
    [result] = ocr_pipeline.ingest([_item("handout.pdf", _mixed_pdf())])
    assert result.outcome is Outcome.ADDED, result.reason
    assert result.document is not None and result.document.n_pages == 3
    assert set(recognised_pages(result.document.warnings)) == {2, 3}  # not the typed page

    hits = search(ocr_pipeline.index, "closing circle one small thing to try",
                  options=SearchOptions(k=3))
    assert hits[0].document.source == "handout.pdf"
    assert hits[0].passages[0].page_start == 3
    hits = search(ocr_pipeline.index, "partner asks open questions before advice",
                  options=SearchOptions(k=3))
    assert hits[0].passages[0].page_start == 2


def test_each_page_recognised_is_reported_in_process_and_from_the_worker(
        worker: ParseWorker) -> None:
    scan = scanned_pdf([page(HANDOUT[0]), page(HANDOUT[1]), page(HANDOUT[2])])
    here: list[tuple[int, int]] = []
    load(scan, "handout.pdf", pages_read=lambda done, total: here.append((done, total)))
    assert here == [(1, 3), (2, 3), (3, 3)]

    # from the worker process: (0, 3) at once, then what it reported, ending with all three
    there: list[tuple[int, int]] = []
    doc = worker.load(scan, "handout.pdf", lambda done, total: there.append((done, total)))
    assert there[0] == (0, 3) and there[-1] == (3, 3), there
    assert [done for done, _ in there] == sorted({done for done, _ in there}), there
    assert [s.page for s in doc.sections] == [1, 2, 3]

    typed: list[tuple[int, int]] = []  # nothing to recognise: nothing to report
    worker.load(make_pdf([HANDOUT[0]]), "typed.pdf", lambda d, t: typed.append((d, t)))
    assert typed == []


def test_blank_photo_is_refused_with_a_reason_and_nothing_is_written(
        ocr_pipeline: Pipeline) -> None:
    blank = photographed(page("").resize((1240, 1754)), seed=5)
    [result] = ocr_pipeline.ingest([_item("wall.jpg", encoded(blank, "JPEG"))])
    assert result.outcome is Outcome.FAILED
    assert result.reason is not None and "'wall.jpg' has no readable text" in result.reason
    assert "photograph it again" in result.reason
    assert ocr_pipeline.index.catalog.all_documents() == []


def test_recognised_text_goes_through_the_personal_data_guard(ocr_pipeline: Pipeline) -> None:
    sheet = flipchart(["Follow up with the family", "Call Mum on 0412 555 019 after school"],
                      face=SANS, seed=7)
    [result] = ocr_pipeline.ingest([_item("follow-up.png", encoded(sheet, "PNG"))])
    assert result.outcome is Outcome.FAILED
    assert result.reason is not None and "phone" in result.reason.lower()


def test_iphone_photo_heic_is_read() -> None:
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    flipchart(["Bring one story of repair", "to the next meeting"], face=SANS, seed=4).save(
        out, format="HEIF", quality=80)
    doc = load(out.getvalue(), "IMG_0042.HEIC")
    assert doc.media_type == "image/heic"
    assert "story of repair" in doc.text and [s.page for s in doc.sections] == [1]


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels: what a "pixel bomb" starts with."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + \
            struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_hostile_pictures_are_refused_with_reasons() -> None:
    with pytest.raises(UnreadableFile, match=r"'bomb\.png' is a picture of more than 100 "):
        load(_png_header(30_000, 30_000), "bomb.png")
    with pytest.raises(UnreadableFile, match=r"'notes\.jpg' is not a readable picture"):
        load(b"Meeting notes typed in a text editor", "notes.jpg")
    with pytest.raises(UnreadableFile, match=r"'cut\.png' is not a readable picture"):
        load(encoded(page("Cut off half way"), "PNG")[:4000], "cut.png")


def test_a_pdf_with_too_many_pages_to_recognise_is_refused_before_any() -> None:
    scan = scanned_pdf([page(HANDOUT[1]), page(HANDOUT[2])])
    with pytest.raises(UnreadableFile, match=r"2 scanned pages to recognise; the limit is 1"):
        load(scan, "book.pdf", OcrLimits(max_pages=1))


def test_a_page_past_its_time_limit_is_refused_clearly() -> None:
    sheet = encoded(page(" ".join(HANDOUT)), "PNG")
    with pytest.raises(UnreadableFile, match=r"'slow\.png' took longer than 0\.01 s to recognise"):
        load(sheet, "slow.png", OcrLimits(page_timeout_s=0.01))


# --- the upload path: a background job, then the document page's flag ---------------------

TOKEN = "ocr-writer-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_photo_upload_is_a_job_and_its_page_flags_doubtful_text(
        tmp_path: Path, embedder: Embedder) -> None:
    # every recognised page counts as doubtful here, so the flag must show
    settings = Settings(data_dir=tmp_path / "data", api_tokens=TOKEN, ocr_low_confidence=100)
    photo = encoded(flipchart(FLIPCHART, face=SANS, seed=11), "PNG")
    with TestClient(create_app(settings, embedder=embedder)) as client:
        response = client.post("/api/documents", files={"file": ("wall.png", photo)},
                               data={"kind": "session-note"}, headers=AUTH)
        assert response.status_code == 202, response.text
        job = finished_job(client, response.json()["id"], AUTH)
        assert job["status"] == "done", job
        assert (job["pages_recognised"], job["pages_to_recognise"]) == (1, 1)
        doc_id = job["document"]["id"]

        blank = encoded(photographed(page("").resize((800, 1100)), seed=2), "JPEG")
        response = client.post("/api/documents", files={"file": ("blank.jpg", blank)},
                               headers=AUTH)
        assert response.status_code == 202
        refused = finished_job(client, response.json()["id"], AUTH)
        assert refused["status"] == "failed" and "no readable text" in refused["reason"]

        html = client.get(f"/documents/{doc_id}", headers=AUTH).text
        assert "This page was read from a photo and may contain errors" in html
        assert f'href="/api/documents/{doc_id}/file"' in html
        assert "walking check-in" in html.lower()
        assert client.get(f"/api/documents/{doc_id}/file", headers=AUTH).content == photo
