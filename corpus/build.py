"""Build the bundled .docx and .pdf documents from their Markdown sources in `_sources/`.

`_sources/<folder>/<name>.md` with `format: docx` or `format: pdf` in its front matter becomes
`<folder>/<name>.docx` or `.pdf`. Title, authors, tags, date and community go into the file's
own metadata, as a practitioner's word processor would put them there. Run: `make corpus`.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import docx
import yaml
from docx.shared import Pt
from fpdf import FPDF

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "_sources"
PAGEBREAK = "<!-- pagebreak -->"
_ASCII = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2022": "-",
        "\u00a0": " ",
        "\u2192": "->",
        "\u2264": "<=",
        "\u2265": ">=",
    }
)


def read_source(path: Path) -> tuple[dict[str, object], list[str]]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n", text, re.DOTALL)
    if not match:
        raise SystemExit(f"{path}: no front matter")
    meta = yaml.safe_load(match.group(1))
    return meta, text[match.end() :].splitlines()


def _date(meta: dict[str, object]) -> dt.datetime:
    value = meta.get("date")
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC)


def _plain(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).strip()


def blocks(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, text) pairs: title, h1, h2, bullet, para, pagebreak."""
    out: list[tuple[str, str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(("para", _plain(" ".join(paragraph))))
            paragraph.clear()

    for line in lines:
        stripped = line.strip()
        if stripped == PAGEBREAK:
            flush()
            out.append(("pagebreak", ""))
        elif not stripped:
            flush()
        elif stripped.startswith("### "):
            flush()
            out.append(("h2", _plain(stripped[4:])))
        elif stripped.startswith("## "):
            flush()
            out.append(("h1", _plain(stripped[3:])))
        elif stripped.startswith("# "):
            flush()
            out.append(("title", _plain(stripped[2:])))
        elif stripped.startswith(("- ", "* ")):
            flush()
            out.append(("bullet", _plain(stripped[2:])))
        else:
            paragraph.append(stripped)
    flush()
    return out


def build_docx(meta: dict[str, object], lines: list[str], target: Path) -> None:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    props = document.core_properties
    props.title = str(meta["title"])
    props.author = ", ".join(map(str, meta.get("authors") or []))  # type: ignore[call-overload]
    props.keywords = ", ".join(map(str, meta.get("tags") or []))  # type: ignore[call-overload]
    props.category = str(meta.get("community") or "")
    props.created = props.modified = _date(meta)
    props.last_modified_by = props.author
    props.revision = 1
    styles = {"title": "Title", "h1": "Heading 1", "h2": "Heading 2", "bullet": "List Bullet"}
    for kind, text in blocks(lines):
        if kind == "pagebreak":
            document.add_page_break()
        else:
            document.add_paragraph(text, style=styles.get(kind))
    document.save(str(target))


def build_pdf(meta: dict[str, object], lines: list[str], target: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_title(str(meta["title"]).translate(_ASCII))
    pdf.set_author(", ".join(map(str, meta.get("authors") or [])))  # type: ignore[call-overload]
    pdf.set_keywords(", ".join(map(str, meta.get("tags") or [])))  # type: ignore[call-overload]
    if meta.get("community"):
        pdf.set_subject(str(meta["community"]))
    pdf.set_creation_date(_date(meta))
    pdf.set_creator("Practice Commons corpus/build.py")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    sizes = {"title": 17, "h1": 13.5, "h2": 12, "bullet": 11, "para": 11}
    for kind, text in blocks(lines):
        if kind == "pagebreak":
            pdf.add_page()
            continue
        text = text.translate(_ASCII).encode("latin-1", "replace").decode("latin-1")
        bold = kind in {"title", "h1", "h2"}
        pdf.set_font("Helvetica", "B" if bold else "", sizes[kind])
        if bold:
            pdf.ln(3)
        if kind == "bullet":
            pdf.multi_cell(0, 5.6, "-  " + text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 7 if bold else 5.6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    pdf.output(str(target))


def main() -> int:
    built = 0
    for source in sorted(SOURCES.rglob("*.md")):
        meta, lines = read_source(source)
        fmt = str(meta.get("format", "")).lower()
        if fmt not in {"docx", "pdf"}:
            print(f"skip {source.relative_to(HERE)}: no 'format: docx|pdf'", file=sys.stderr)
            continue
        target = HERE / source.relative_to(SOURCES).with_suffix(f".{fmt}")
        target.parent.mkdir(parents=True, exist_ok=True)
        (build_docx if fmt == "docx" else build_pdf)(meta, lines, target)
        print(f"built {target.relative_to(HERE)}")
        built += 1
    print(f"{built} documents built")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
