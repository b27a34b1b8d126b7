"""Hostile files: a generated set of bad uploads, each with the HTTP status it must get.

bench/hostile.py writes them out and times reading the .docx ones; tests/service/test_hostile.py
posts them to a real `commons serve`, tests/ingest/ reads some of them directly.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from pypdf import PdfReader, PdfWriter

from harness.files import make_pdf
from ingest.loaders.docx import MAX_UNZIPPED_BYTES


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


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    b'package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    b"</Relationships>"
)


def word_document(body: bytes | list[bytes]) -> bytes:
    """A minimal valid .docx (what Word needs to open it) whose body XML is `body`.

    A list is written piece by piece, so a body of hundreds of MB never sits in memory.
    """
    pieces = [body] if isinstance(body, bytes) else body
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            handle.write(f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for piece in pieces:
                handle.write(piece)
            handle.write(b"</w:body></w:document>")
    return buffer.getvalue()


def _cell(text: str = "", props: str = "") -> bytes:
    run = f"<w:r><w:t>{text}</w:t></w:r>" if text else ""
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}<w:p>{run}</w:p></w:tc>".encode()


def repeated_paragraphs(n: int) -> bytes:
    """Thousands of identical short paragraphs: a few KB zipped, minutes for python-docx."""
    return word_document([b"<w:p><w:r><w:t>The kinship carer met the school.</w:t></w:r></w:p>"]
                         * n)


def empty_paragraphs(n: int) -> bytes:
    """Millions of empty paragraphs: no text at all, but a parse tree of gigabytes."""
    block = b"<w:p/>" * 100_000
    return word_document([block] * (n // 100_000))


def many_runs(n: int) -> bytes:
    """One paragraph of one-letter runs."""
    return word_document([b"<w:p>", b"<w:r><w:t>a</w:t></w:r>" * n, b"</w:p>"])


def merged_column(rows: int, columns: int = 4) -> bytes:
    """A table whose cells are merged down the whole column (python-docx is quadratic here)."""
    first = b"<w:tr>" + _cell("Merged", '<w:vMerge w:val="restart"/>') * columns + b"</w:tr>"
    later = b"<w:tr>" + _cell("", "<w:vMerge/>") * columns + b"</w:tr>"
    return word_document([b"<w:tbl>", first, *([later] * (rows - 1)), b"</w:tbl>",
                          b"<w:p><w:r><w:t>After the table.</w:t></w:r></w:p>"])


def wide_span(span: int) -> bytes:
    """Empty cells that claim to span millions of grid columns (python-docx repeats each)."""
    row = b"<w:tr>" + _cell("", f'<w:gridSpan w:val="{span}"/>') + b"</w:tr>"
    return word_document([b"<w:tbl>", row * 20, b"</w:tbl>"])


def huge_table(rows: int, columns: int = 10) -> bytes:
    """A plain table of many short cells."""
    row = b"<w:tr>" + b"".join(_cell(f"r c{c}") for c in range(columns)) + b"</w:tr>"
    return word_document([b"<w:tbl>", *([row] * rows), b"</w:tbl>"])


def nested_tables(depth: int, copies: int) -> bytes:
    """Tables nested in table cells, deep, many times over."""
    opening = b"<w:tbl><w:tr><w:tc>" * depth
    closing = b"<w:p/></w:tc></w:tr></w:tbl>" * depth
    nest = opening + b"<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + closing
    return word_document([nest] * copies + [b"<w:p><w:r><w:t>Top.</w:t></w:r></w:p>"])


def hostile_docx() -> list[tuple[str, bytes, int]]:
    """Small .docx files that once cost minutes or gigabytes to read, and their status."""
    return [
        ("repeated-paragraphs.docx", repeated_paragraphs(200_000), 422),
        ("empty-paragraphs.docx", empty_paragraphs(30_000_000), 422),
        ("many-runs.docx", many_runs(3_000_000), 422),
        ("merged-column.docx", merged_column(60_000), 422),
        ("wide-span.docx", wide_span(20_000_000), 422),
        ("huge-table.docx", huge_table(200_000), 422),
        ("nested-tables.docx", nested_tables(200, 2_000), 422),
    ]


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
        ("front-matter-only.md", b"---\ntags: [nothing]\n---\n", 422),  # no title, no text
        ("truncated.pdf", good_pdf[: len(good_pdf) // 2], 422),
        ("header-only.pdf", b"%PDF-1.7\n", 422),
        ("html-named.pdf", b"<html><body>not a pdf</body></html>", 422),
        ("encrypted.pdf", _encrypted_pdf(), 422),
        ("page-tree-loop.pdf", _page_tree_loop(), 422),
        ("five-thousand-blank-pages.pdf", _blank_pages(5000), 422),
        ("scanned-blank.pdf", _blank_pages(3), 422),
        ("deflate-bomb.pdf", _deflate_bomb_pdf(), 422),
        ("zip-bomb.docx", _zip_bomb(), 422),
        *hostile_docx(),
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
