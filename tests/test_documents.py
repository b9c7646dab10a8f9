"""PDF and DOCX import: text layer with running headers, page numbers and hyphenation repaired; DOCX
paragraphs; clear errors for scans and damaged files. Files are made at test time."""
from __future__ import annotations

import docx
import pytest

from pdfmaker import make_pdf
from sco_decl.ingest.documents import DocumentError, NoTextLayerError, read_docx, read_pdf

HEADER = "Meridian Cooperation Organization - Documents of the Council"
PAGE_1 = [
    HEADER,
    "Declaration of the Heads of Member States",
    "",
    "The Heads of the Member States of the Meridian Cooperation Organization, meeting",
    "in Ombrin on 12 June 2017, have agreed to deepen their co-operation in the fields",
    "of transport, energy and telecommunications and to prepare a common plan.",
    "The Member States reaffirm their commitment to the principles of mutual trust and",
    "equality, and will act together against terrorism, separatism and extre-",
    "mism in all their forms.",
    "- 1 -",
]
PAGE_2 = [
    HEADER,
    "The Member States will strengthen co-",
    "operation in customs matters and will open new border crossings between the",
    "Republic of Arvalia and the Kingdom of Brenmark before the end of the year.",
    "The next meeting will be held in Valmora.",
    "- 2 -",
]
EXPECTED_PDF = (
    "Declaration of the Heads of Member States\n\n"
    "The Heads of the Member States of the Meridian Cooperation Organization, meeting in Ombrin on 12 June "
    "2017, have agreed to deepen their co-operation in the fields of transport, energy and telecommunications "
    "and to prepare a common plan.\n"
    "The Member States reaffirm their commitment to the principles of mutual trust and equality, and will act "
    "together against terrorism, separatism and extremism in all their forms.\n\n"
    "The Member States will strengthen co-operation in customs matters and will open new border crossings "
    "between the Republic of Arvalia and the Kingdom of Brenmark before the end of the year.\n"
    "The next meeting will be held in Valmora.\n"
)


def test_pdf_text_layer_is_repaired():
    result = read_pdf(make_pdf([PAGE_1, PAGE_2], title="MCO 2017"), "decl.pdf")
    assert result.text == EXPECTED_PDF
    assert result.meta == {"format": "pdf", "pages": 2, "pdf_title": "MCO 2017"}


def test_a_single_page_keeps_lines_that_only_look_like_headers():
    result = read_pdf(make_pdf([[HEADER, "The ministers met in Lisk."]]), "one.pdf")
    assert result.text.startswith(HEADER) and result.text.endswith("The ministers met in Lisk.\n")


def test_pdf_without_text_layer_says_so():
    with pytest.raises(NoTextLayerError, match=r"scan\.pdf: the PDF has no text layer .*2 page\(s\)"):
        read_pdf(make_pdf([[], []]), "scan.pdf")


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnot really", b"", b"PK\x03\x04zip"])
def test_damaged_pdf_is_a_clear_error(data):
    with pytest.raises(DocumentError, match=r"^bad\.pdf: "):
        read_pdf(data, "bad.pdf")


def _docx_bytes(tmp_path, paragraphs, table=None, title=None):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    if title:
        document.core_properties.title = title
    path = tmp_path / "decl.docx"
    document.save(path)
    return path.read_bytes()


def test_docx_paragraphs_and_tables(tmp_path):
    data = _docx_bytes(tmp_path, [
        "Joint Statement of the MCO Ministers", "", "II",
        "The ministers  agreed\tto meet in Kestrel.",
    ], table=[["For the Republic of Arvalia", "For the Kingdom of Brenmark"]], title="MCO statement")
    result = read_docx(data, "decl.docx")
    assert result.text == ("Joint Statement of the MCO Ministers\n\nII\n\nThe ministers agreed to meet in Kestrel."
                           "\n\nFor the Republic of Arvalia\n\nFor the Kingdom of Brenmark\n")
    assert result.meta == {"format": "docx", "docx_title": "MCO statement"}


def test_empty_or_damaged_docx(tmp_path):
    with pytest.raises(DocumentError, match="contains no text"):
        read_docx(_docx_bytes(tmp_path, ["", "  "]), "empty.docx")
    with pytest.raises(DocumentError, match=r"^bad\.docx: cannot read this DOCX"):
        read_docx(b"not a zip", "bad.docx")
