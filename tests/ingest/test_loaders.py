"""Each loader on a real file made here: text, pages, headings and metadata."""

from __future__ import annotations

import pytest

from harness.files import make_docx, make_pdf
from ingest.errors import MetadataError, NoTextError, UnreadableFile, UnsupportedFileType
from ingest.loaders import load

MARKDOWN = b"""---
title: Calm Starts to the School Day
kind: practice
tags: [routines, transitions]
authors: [Early Years Practice Team]
date: 2026-02-12
community: Early Years
---
# Calm Starts to the School Day

Opening words before any heading.

## Before the bell

Greet each child by name at the door.

### Sensory check

- Dim the lights
- Offer a quiet corner

## After lunch

| Step | Who |
| --- | --- |
| Walk back slowly | Teacher |
"""


def test_markdown_front_matter_and_heading_paths() -> None:
    doc = load(MARKDOWN, "calm.md")
    assert doc.title == "Calm Starts to the School Day"
    assert doc.metadata["tags"] == ["routines", "transitions"]
    assert doc.metadata["community"] == "Early Years"
    paths = [s.heading_path for s in doc.sections]
    assert paths == [
        (),
        ("Before the bell",),
        ("Before the bell", "Sensory check"),
        ("After lunch",),
    ]
    sensory = doc.sections[2].text
    assert "- Dim the lights" in sensory and "- Offer a quiet corner" in sensory
    assert "Walk back slowly | Teacher" in doc.sections[3].text


def test_markdown_bad_front_matter_is_a_clear_error() -> None:
    with pytest.raises(MetadataError, match="not valid YAML"):
        load(b"---\ntitle: [unclosed\n---\nbody", "x.md")
    with pytest.raises(MetadataError, match="aliases"):
        load(b"---\na: &x [1, 2]\nb: *x\n---\nbody", "x.md")


def test_text_title_and_headings() -> None:
    data = (
        b"Youth Justice CoP - notes 14 May\n\nCHECK-IN\n- TK: busy month\n\n"
        b"Actions:\n- SR to send plan\n"
    )
    doc = load(data, "2026-05-14-notes.txt")
    assert doc.title is None  # a first line is text (the file name will serve as title)
    assert doc.sections[0].text == "Youth Justice CoP - notes 14 May"
    assert [s.heading_path for s in doc.sections] == [(), ("CHECK-IN",), ("Actions",)]
    underlined = load(b"Youth Justice CoP, 14 May\n=========\n\nWe met.\n", "n.txt")
    assert underlined.title == "Youth Justice CoP, 14 May"
    assert [s.text for s in underlined.sections] == ["We met."]
    given = load(b"---\ntitle: Bail support\n---\nPlease visit our events page!\n", "n.txt")
    assert given.title == "Bail support"


def test_text_refuses_binary_and_bad_encoding() -> None:
    with pytest.raises(UnreadableFile, match="binary"):
        load(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.md")
    with pytest.raises(UnreadableFile, match="UTF-8"):
        load(b"caf\xe9 au lait", "menu.txt")


def test_pdf_pages_and_metadata() -> None:
    data = make_pdf(
        ["Attachment begins with a secure base.", "", "Resilience is ordinary magic."],
        title="Readings on Development", author="Centre Research Team",
    )
    doc = load(data, "readings.pdf")
    assert doc.title == "Readings on Development"
    assert doc.metadata["authors"] == ["Centre Research Team"]
    assert doc.n_pages == 3
    assert [(s.page, s.text) for s in doc.sections] == [
        (1, "Attachment begins with a secure base."),
        (3, "Resilience is ordinary magic."),
    ]
    assert any("pages 2" in w and "OCR" in w for w in doc.warnings)


def test_pdf_without_text_needs_ocr() -> None:
    with pytest.raises(NoTextError, match="OCR"):
        load(make_pdf(["", ""]), "scan.pdf")


def test_pdf_malformed_and_truncated() -> None:
    with pytest.raises(UnreadableFile, match="not a readable PDF"):
        load(b"%PDF-1.4\nthis is not really a pdf", "broken.pdf")
    good = make_pdf(["Some text on a page."])
    with pytest.raises((UnreadableFile, NoTextError)):
        load(good[: len(good) // 3], "truncated.pdf")


def test_docx_headings_from_styles() -> None:
    data = make_docx(
        [
            ("Title", "Early Years CoP - March"),
            ("Heading 1", "Check-in"),
            ("", "Everyone shared one win."),
            ("Heading 2", "Round"),
            ("List Bullet", "JM: the Calm Corner kit is working"),
            ("Heading 1", "Actions"),
            ("", "AK to update the passport."),
        ],
        author="Early Years CoP facilitator",
    )
    doc = load(data, "march.docx")
    assert doc.title == "Early Years CoP - March"
    assert doc.metadata["authors"] == ["Early Years CoP facilitator"]
    assert [(s.heading_path, s.text) for s in doc.sections] == [
        (("Check-in",), "Everyone shared one win."),
        (("Check-in", "Round"), "- JM: the Calm Corner kit is working"),
        (("Actions",), "AK to update the passport."),
    ]


def test_docx_that_is_not_a_zip() -> None:
    with pytest.raises(UnreadableFile, match="not a valid Word document"):
        load(b"just some text pretending", "notes.docx")


def test_unsupported_and_empty() -> None:
    with pytest.raises(UnsupportedFileType, match="supported types"):
        load(b"x", "sheet.xlsx")
    with pytest.raises(NoTextError, match="empty"):
        load(b"", "empty.md")
