"""Pure helpers of the web page: labels, lenient parameters, and a document's outline."""

from __future__ import annotations

from datetime import date

from service.web.format import Block, outline, page_label, text_blocks
from service.web.forms import BrowseForm, SearchForm
from store.records import Kind


def test_page_labels() -> None:
    assert page_label(3, 3) == "p. 3"
    assert page_label(3, None) == "p. 3"
    assert page_label(3, 4) == "pp. 3-4"
    assert page_label(None, None) == ""


def test_bad_parameters_are_ignored_not_errors() -> None:
    form = SearchForm.parse("  bail  ", "nonsense", " ", ["re-entry", "", "re-entry"],
                            "2026-02-30", "2026-12-31")
    assert form == SearchForm(q="bail", tags=("re-entry",), date_to=date(2026, 12, 31))
    assert BrowseForm.parse("reading", None, None, "; drop", "-5") == BrowseForm(Kind.READING)


def test_each_active_filter_links_to_the_search_without_it() -> None:
    form = SearchForm(q="leaving custody", kind=Kind.SESSION_NOTE, community="Youth Justice",
                      tags=("re-entry", "bail"))
    links = {f.label: f.remove_url for f in form.active_filters()}
    assert links["Community: Youth Justice"] == (
        "/?q=leaving+custody&kind=session-note&tag=re-entry&tag=bail")
    assert links["Tag: re-entry"] == (
        "/?q=leaving+custody&kind=session-note&community=Youth+Justice&tag=bail")


def test_pdf_text_is_reflowed_into_paragraphs_lists_and_subheadings() -> None:
    wide = "x" * 80
    text = (f"Key ideas\n- Adversity is common, {wide}\nnot exceptional.\n- It clusters.\n"
            f"In brief\nThe study asked one question {wide}\nabout health.\n"
            "https://doi.org/10.1/abc")
    assert text_blocks(text, reflow=True) == [
        Block("h", "Key ideas"),
        Block("ul", items=(f"Adversity is common, {wide} not exceptional.", "It clusters.")),
        Block("h", "In brief"),
        Block("p", f"The study asked one question {wide} about health."),
        Block("p", "https://doi.org/10.1/abc"),
    ]
    assert text_blocks("One line.\nAnother line.") == [Block("p", "One line."),
                                                       Block("p", "Another line.")]


def test_outline_marks_each_new_page_and_each_changed_heading() -> None:
    parts = outline([(("Roles",), "a", None), (("Roles", "Convenor"), "b", None),
                     (("Roles", "Facilitator"), "c", None)])
    assert [(p.kind, p.label, p.level) for p in parts if p.kind != "text"] == [
        ("heading", "Roles", 2), ("heading", "Convenor", 3), ("heading", "Facilitator", 3)]
    pages = outline([((), "p1", 1), ((), "p1 again", 1), ((), "p2", 2)])
    assert [p.anchor for p in pages if p.kind == "page"] == ["page-1", "page-2"]
