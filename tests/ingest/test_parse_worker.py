"""Reading files in worker processes: same documents, clear refusals past the limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.files import make_docx, make_pdf
from harness.hostile import repeated_paragraphs, word_document
from ingest.errors import NoTextError, UnreadableFile, UnsupportedFileType
from ingest.loaders import load
from ingest.parse_worker import ParseWorker


@pytest.fixture(scope="module")
def worker() -> Iterator[ParseWorker]:
    """One worker, so a replaced worker is the one that reads the next file."""
    with ParseWorker(timeout_s=0.5, memory_mb=200, workers=1) as pool:
        yield pool


def test_documents_read_in_the_worker_are_the_same_as_in_process(worker: ParseWorker) -> None:
    files = {
        "march.docx": make_docx([("Title", "Early Years CoP - March"), ("Heading 1", "Check-in"),
                                 ("", "Everyone shared one win."), ("List Bullet", "Calm kit")],
                                author="Facilitator"),
        "reading.pdf": make_pdf(["Transitions into school.", "", "Kinship carers and kinder."]),
        "note.md": b"---\ntitle: A note\ntags: [kinder]\n---\n# Plan\n\nThe Bridges passport.",
        "plain.txt": b"Calm corner\n\nPlain words about the calm corner.",
    }
    for name, data in files.items():
        read = worker.load(data, name)
        assert read == load(data, name), name
        assert read.sections, name


def test_errors_raised_in_the_worker_keep_their_type_and_message(worker: ParseWorker) -> None:
    with pytest.raises(NoTextError, match=r"'empty\.md' is empty"):
        worker.load(b"", "empty.md")
    with pytest.raises(UnsupportedFileType, match="supported types are"):
        worker.load(b"x", "sheet.xlsx")
    with pytest.raises(UnreadableFile, match="not a valid Word document"):
        worker.load(b"plain words", "notes.docx")


def test_a_slow_file_is_refused_at_the_time_limit_and_the_worker_replaced(
    worker: ParseWorker,
) -> None:
    slow = repeated_paragraphs(190_000)  # some seconds to read, and then refused for its text
    with pytest.raises(UnreadableFile, match=r"'slow.docx' took longer than 0.5 s to read"):
        worker.load(slow, "slow.docx")
    note = worker.load(b"# After\n\nThe next upload is read.", "after.md")
    assert note.text == "The next upload is read."


def test_a_file_that_needs_too_much_memory_is_refused() -> None:
    hungry = word_document([b"<w:p/>" * 100_000] * 40)  # 24 MB of XML: a tree of ~500 MB
    with ParseWorker(timeout_s=120, memory_mb=200, workers=1) as pool:
        with pytest.raises(UnreadableFile, match="needed more than 200 MB of memory to read"):
            pool.load(hungry, "hungry.docx")
        assert pool.load(b"Still reading.", "next.txt").text == "Still reading."


def test_close_stops_the_workers() -> None:
    pool = ParseWorker(workers=2)
    assert pool.load(b"Some text.", "a.txt").text == "Some text."
    processes = list(pool._pool._pool_manager.worker_manager.workers.values())
    assert len(processes) == 2 and all(p.is_alive() for p in processes)
    pool.close()
    assert not any(p.is_alive() for p in processes)
