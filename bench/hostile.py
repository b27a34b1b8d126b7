"""Hostile files: a generated set of bad uploads, each with the status it must get.

    .venv/bin/python bench/hostile.py OUT_DIR     # writes the files and manifest.json

tests/service/test_hostile.py posts every file to a real `commons serve` and checks the
status, that each answer comes within the client's time bound, and that the server keeps
serving with bounded memory.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.loaders.docx import MAX_UNZIPPED_BYTES
from tests.conftest import make_pdf


def _docx_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A .docx whose document.xml inflates past the limit (written in pieces)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            block = b"0" * (1 << 20)
            for _ in range(MAX_UNZIPPED_BYTES // len(block) + 20):
                handle.write(block)
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["Confidential notes."]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _blank_pages(n: int) -> bytes:
    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page_tree_loop() -> bytes:
    """A PDF whose /Pages node lists itself as a kid."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    return _raw_pdf(objects)


def _raw_pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    size = len(objects) + 1
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _deflate_bomb_pdf() -> bytes:
    """A page whose content stream inflates to about 1 GB."""
    import zlib

    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(compressor.compress(chunk) for _ in range(1024)) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream
        + b"\nendstream",
    ]
    return _raw_pdf(objects)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol4;</w:t></w:r></w:p></w:body></w:document>"""

YAML_BOMB = b"""---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]
---
# Title

Body text.
"""


def cases() -> list[tuple[str, bytes, int]]:
    """(file name, content, expected HTTP status)."""
    good_pdf = make_pdf(["A real page of text about transitions into school. " * 5] * 3)
    return [
        ("empty.md", b"", 422),
        ("empty.pdf", b"", 422),
        ("empty.docx", b"", 422),
        ("whitespace.txt", b"   \n\n\t  \n", 422),
        ("front-matter-only.md", b"---\ntitle: Nothing else\n---\n", 422),
        ("truncated.pdf", good_pdf[: len(good_pdf) // 2], 422),
        ("header-only.pdf", b"%PDF-1.7\n", 422),
        ("html-named.pdf", b"<html><body>not a pdf</body></html>", 422),
        ("encrypted.pdf", _encrypted_pdf(), 422),
        ("page-tree-loop.pdf", _page_tree_loop(), 422),
        ("five-thousand-blank-pages.pdf", _blank_pages(5000), 422),
        ("scanned-blank.pdf", _blank_pages(3), 422),
        ("deflate-bomb.pdf", _deflate_bomb_pdf(), 422),
        ("zip-bomb.docx", _zip_bomb(), 422),
        ("not-a-zip.docx", b"Plain words pretending to be Word.", 422),
        ("zip-not-docx.docx", _docx_zip({"hello.txt": b"hi"}), 422),
        ("broken-xml.docx", _docx_zip({
            "[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}), 422),
        ("entity-bomb.docx", _docx_zip({
            "[Content_Types].xml": (
                b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                b'package/2006/content-types"><Override PartName="/word/document.xml" '
                b'ContentType="application/vnd.openxmlformats-officedocument.'
                b'wordprocessingml.document.main+xml"/></Types>'),
            "_rels/.rels": (
                b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
                b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                b'schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'officeDocument" Target="word/document.xml"/></Relationships>'),
            "word/document.xml": BILLION_LAUGHS}), 422),
        ("png-renamed.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), 422),
        ("utf16.txt", "Notes in UTF-16".encode("utf-16"), 422),
        ("invalid-utf8.txt", b"Caf\xe9 meeting notes \xff\xfe", 422),
        ("sixty-megabytes.txt", b"word " * (12 * 1024 * 1024), 413),
        ("ten-megabyte-line.md", b"# One line\n\n" + b"a" * (10 * 1024 * 1024), 422),
        ("ten-megabyte-words.md", b"# Words\n\n" + b"lol " * (2_600_000), 422),
        ("not-yaml.md", b"---\ntitle: [unclosed\n  - : :\n---\nbody text", 422),
        ("yaml-bomb.md", YAML_BOMB, 422),
        ("yaml-list.md", b"---\n- just\n- a list\n---\nbody text", 422),
        ("yaml-huge.md", b"---\nnote: '" + b"x" * 40_000 + b"'\n---\nbody", 422),
        ("bad-date.md", b"---\ndate: last Tuesday\n---\nSome body text here.", 422),
        ("bad-kind.md", b"---\nkind: gossip\n---\nSome body text here.", 422),
        ("program.exe", b"MZ\x90\x00" + bytes(100), 415),
        ("no-extension", b"just text", 415),
        ("spreadsheet.xlsx", _docx_zip({"xl/workbook.xml": b"<workbook/>"}), 415),
        ("../../../etc/escape\x00.md", b"# Traversal\n\nA name that tries to escape.", 201),
    ]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-files")
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for number, (name, data, status) in enumerate(cases()):
        stored = out / f"{number:02d}.bin"
        stored.write_bytes(data)
        manifest.append({"name": name, "file": stored.name, "status": status,
                         "bytes": len(data)})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"{len(manifest)} hostile files written to {out}")


if __name__ == "__main__":
    main()
