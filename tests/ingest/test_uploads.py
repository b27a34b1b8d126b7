"""Upload names are display names, never paths."""

from __future__ import annotations

import pytest

from ingest.errors import UnsupportedFileType
from ingest.models import Overrides
from ingest.uploads import safe_filename, upload_item


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.md", "passwd.md"),
        ("..\\..\\windows\\notes.txt", "notes.txt"),
        ("evil\x00.md", "evil.md"),
        (".hidden.md", "hidden.md"),
        ("", "upload"),
        ("line\nbreak.txt", "linebreak.txt"),
    ],
)
def test_safe_filename(raw: str, safe: str) -> None:
    assert safe_filename(raw) == safe


def test_long_names_keep_their_extension() -> None:
    name = safe_filename("x" * 500 + ".docx")
    assert len(name) <= 120 and name.endswith(".docx")


def test_upload_source_names_the_content() -> None:
    a = upload_item("notes.md", b"one", Overrides())
    b = upload_item("notes.md", b"two", Overrides())
    assert a.source != b.source and a.source.startswith("upload:")
    with pytest.raises(UnsupportedFileType):
        upload_item("run.exe", b"MZ", Overrides())
