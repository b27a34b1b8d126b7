"""Word files read in time linear in their XML, with limits a real document stays under."""

from __future__ import annotations

import io

import docx
import pytest

from harness.hostile import huge_table, merged_column, nested_tables, wide_span, word_document
from ingest.errors import NoTextError, UnreadableFile
from ingest.loaders import load
from ingest.loaders.docx import MAX_BLOCKS, MAX_PIECES


def test_merged_cells_are_read_once_where_they_start() -> None:
    document = docx.Document()
    document.add_heading("Roster", 1)
    document.add_paragraph("Who is on which shift.")
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Week one"  # spans three columns
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Night"  # down two rows
    buffer = io.BytesIO()
    document.save(buffer)
    loaded = load(buffer.getvalue(), "roster.docx")
    assert [(s.heading_path, s.text) for s in loaded.sections] == [
        (("Roster",), "Who is on which shift."),
        ((), "Week one\nNight | r1c1 | r1c2\n | r2c1 | r2c2"),
    ]


def test_text_in_nested_tables_is_read() -> None:
    data = word_document(
        b"<w:p><w:r><w:t>Intro.</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Outer"
        b"</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Inner</w:t><w:tab/><w:t>cell"
        b"</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>"
    )
    assert load(data, "nested.docx").sections[-1].text == "Outer\nInner\tcell"


def test_a_column_merged_down_many_rows_is_refused_for_its_size() -> None:
    """python-docx took quadratic time here, then hit Python's recursion limit (a 500)."""
    with pytest.raises(UnreadableFile, match=f"more than {MAX_BLOCKS:,} paragraphs"):
        load(merged_column(MAX_BLOCKS // 4 + 10), "merged.docx")


def test_cells_spanning_millions_of_columns_cost_nothing() -> None:
    with pytest.raises(NoTextError):  # python-docx built a tuple of 20 million cells a row
        load(wide_span(20_000_000), "span.docx")


def test_too_much_xml_and_too_deep_nesting_are_refused() -> None:
    with pytest.raises(UnreadableFile, match="MB of XML; the limit is 32 MB"):
        load(huge_table(80_000), "table.docx")
    with pytest.raises(UnreadableFile, match="damaged Word document"):
        load(nested_tables(200, 1), "deep.docx")


def test_a_paragraph_of_a_million_tabs_is_refused() -> None:
    """python-docx's XPath for a paragraph's text is quadratic in libxml2 here."""
    data = word_document(b"<w:p><w:r>" + b"<w:tab/>" * (MAX_PIECES + 10) + b"</w:r></w:p>")
    with pytest.raises(UnreadableFile, match=f"more than {MAX_PIECES:,} runs and pieces"):
        load(data, "tabs.docx")
