"""The PII guard reads everything a document carries: title, headings, tags, authors, the file
name and the file's own properties, in real Word and PDF files, and never echoes a value."""

from __future__ import annotations

import io

import docx
import pytest
from fpdf import FPDF

from ingest.loaders import load
from ingest.models import LoadedDocument, PiiDecision, Section
from ingest.pii import PiiPolicy
from ingest.pii_fields import filename_place
from ingest.pii_guard import Carried, PersonalDataFound, guard

SECRETS = ("Jayden", "Miller", "14/03/2015", "14-03-2015", "0412 345 678", "jr.home@example.org")
CLEAN_BODY = [Section(("Notes",), "The group talked about calm corners and transitions.")]


def carried(**fields: object) -> Carried:
    base: dict[str, object] = {"title": "", "tags": (), "authors": (), "filename": "note.md"}
    base.update(fields)
    return Carried(**base)  # type: ignore[arg-type]


def refusal(document: LoadedDocument, given: Carried) -> str:
    with pytest.raises(PersonalDataFound) as caught:
        guard(document, given, PiiPolicy.REVIEW, None)
    return str(caught.value)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, (secret, text)


def make_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Visit to Jayden Miller, DOB 14/03/2015"
    document.core_properties.author = "Jayden Miller, aged 4"
    document.core_properties.keywords = "kinder, jr.home@example.org"
    document.add_heading("Contact: jr.home@example.org", level=1)
    document.add_paragraph("The group talked about calm corners and transitions.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(author: str) -> bytes:
    pdf = FPDF()
    pdf.set_author(author)
    pdf.set_title("Term planning")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="The group talked about calm corners and transitions.")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("given", "where"),
    [
        (carried(title="Visit to Jayden Miller, DOB 14/03/2015, 0412 345 678"), "in the title"),
        (carried(tags=("kinder", "jr.home@example.org")), "in the tags"),
        (carried(authors=("Early Years Team", "0412 345 678")), "in the authors"),
        (carried(filename="Jayden-Miller-DOB-14-03-2015.docx"), "in the file name"),
    ],
)
def test_fields_given_with_an_upload_are_read_and_not_echoed(given: Carried, where: str) -> None:
    message = refusal(LoadedDocument(CLEAN_BODY, "text/markdown"), given)
    assert where in message
    assert "redact" in message and "keep" in message
    assert_no_secret(message)


def test_a_heading_is_read_and_the_refusal_does_not_repeat_it() -> None:
    sections = [Section(("Week 3", "Call mum on 0412 345 678"), "Calm corner review."),
                Section(("Week 3", "Call mum on 0412 345 678"), "More notes.", page=3)]
    message = refusal(LoadedDocument(sections, "text/markdown"), carried())
    assert "phone in the 1st heading" in message and "heading on p. 3" in message
    assert "Call mum" not in message and "Week 3" not in message
    assert_no_secret(message)


def test_word_title_author_keywords_and_heading_are_read_from_a_real_file() -> None:
    document = load(make_docx(), "visit.docx")
    message = refusal(document, carried(filename="visit.docx"))
    assert "in the title" in message and "in the file's properties" in message
    assert "heading" in message
    assert_no_secret(message)


def test_redacting_a_word_file_leaves_no_value_anywhere() -> None:
    document = load(make_docx(), "Jayden-Miller-DOB-14-03-2015.docx")
    given = carried(title=document.title or "", tags=tuple(document.metadata["tags"]),
                    authors=tuple(document.metadata["authors"]),
                    filename="Jayden-Miller-DOB-14-03-2015.docx")
    guarded = guard(document, given, PiiPolicy.REDACT, None)
    assert guarded.rendition is not None
    rendition = guarded.rendition.decode()
    assert "[email removed]" in rendition and "calm corners" in rendition
    everything = " ".join([
        rendition, repr(guarded.document), repr(guarded.carried), *guarded.warnings,
    ])
    assert_no_secret(everything)
    assert guarded.carried.filename.endswith(".docx")
    assert "name-removed" in guarded.carried.filename


def test_a_pdf_author_property_is_read() -> None:
    document = load(make_pdf("Jayden Miller (DOB 14/03/2015)"), "plan.pdf")
    assert document.metadata["authors"]  # the loader read the /Author property
    message = refusal(document, carried(filename="plan.pdf"))
    assert "in the file's properties" in message
    assert_no_secret(message)


def test_findings_only_in_properties_still_replace_the_original() -> None:
    document = load(make_pdf("Jayden Miller (DOB 14/03/2015)"), "plan.pdf")
    guarded = guard(document, carried(filename="plan.pdf"), PiiPolicy.REDACT, None)
    assert guarded.rendition is not None  # the PDF with its properties is not kept
    assert_no_secret(repr(guarded.document.metadata) + guarded.rendition.decode())
    assert guarded.document.sections[0].text.startswith("The group talked")


def test_published_authors_are_not_personal_data() -> None:
    document = load(make_pdf("Etienne Wenger-Trayner, Beverly Wenger-Trayner"), "intro.pdf")
    given = carried(authors=("Etienne Wenger-Trayner", "Beverly Wenger-Trayner"),
                    filename="wenger-trayner-2015-introduction-to-cops.pdf")
    guarded = guard(document, given, PiiPolicy.REVIEW, None)
    assert guarded.document is document and guarded.rendition is None


def test_nothing_found_returns_the_inputs_unchanged() -> None:
    document = LoadedDocument(CLEAN_BODY, "text/markdown", title="Calm corners")
    given = carried(title="Calm corners", tags=("regulation",), authors=("Early Years Team",))
    guarded = guard(document, given, PiiPolicy.REDACT, None)
    assert guarded.document is document and guarded.carried is given
    assert guarded.rendition is None and guarded.warnings == ()


def test_warn_and_keep_index_as_given_and_say_where_without_values() -> None:
    document = LoadedDocument(CLEAN_BODY, "text/markdown", title="Jayden Miller, aged 4")
    for policy, decision in ((PiiPolicy.WARN, None), (PiiPolicy.REVIEW, PiiDecision.KEEP)):
        guarded = guard(document, carried(), policy, decision)
        assert guarded.document is document and guarded.rendition is None
        assert "in the title" in guarded.warnings[0]
        assert_no_secret(" ".join(guarded.warnings))


@pytest.mark.parametrize(("filename", "found"), [
    ("father-inclusive-practice.md", []),  # a role word before an ordinary word
    ("grandparent-carers-support-group.md", []),
    ("mum-ana-notes.md", ["Ana"]),
    ("her-son-amir-review.txt", ["Amir"]),
])
def test_a_lower_case_file_name_flags_only_real_names(filename: str, found: list[str]) -> None:
    place = filename_place(filename, [], [])
    assert [f.text for f in place.findings] == found
