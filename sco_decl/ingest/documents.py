"""PDF and DOCX files to text: the text layer of a PDF (pypdf) or the paragraphs of a DOCX (docxtext).

Both are bounded: the text may not grow past ``max_bytes`` (the `--max-size` of `add`), whatever the file
size, because a small compressed file can unpack to gigabytes.

PDFs need repair before normalisation: running headers and footers repeat on every page, page numbers sit
alone on a line, words are hyphenated at line ends, and paragraph ends are only visible as short lines.
A PDF made of scanned images has no text layer; that is an error that says so (OCR is out of scope).
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

from sco_decl.ingest.docxtext import DocumentError, TooLargeError, docx_blocks, docx_title
from sco_decl.ingest.normalise import normalise_text
from sco_decl.ingest import defaults

__all__ = ["DocumentError", "NoTextLayerError", "TooLargeError", "DocumentText", "read_pdf", "read_docx",
           "repair_pdf_pages"]


class NoTextLayerError(DocumentError):
    """A PDF whose pages carry no text, only images (a scan)."""


@dataclass(frozen=True)
class DocumentText:
    """Normalised text of a document and facts about it for the revision's metadata."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)


_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_HYPHEN_END = re.compile(r"(\w+)-$")
_WORD_START = re.compile(r"^([a-zà-ÿа-я]\w*)(.*)$")
# What pypdf (or the Python machinery under it) raises on damaged or hostile files: unknown filters are
# NotImplementedError, deep nesting RecursionError, inflation past pypdf's limits LimitReachedError (a
# PyPdfError), broken zlib data zlib.error.
_PDF_ERRORS: tuple[type[BaseException], ...] = (ValueError, KeyError, TypeError, AttributeError, IndexError,
                                                NotImplementedError, RecursionError, OverflowError, zlib.error,
                                                AssertionError, EOFError, UnicodeError)
_EDGE = 3  # lines at the top and bottom of a page where running headers and footers live


def _shape(line: str) -> str:
    """A line with its digits blanked, so 'Page 3' and 'Page 4' count as the same running footer."""
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and lines that recur at a page edge on at least half of the pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = set(lines[:_EDGE] + lines[-_EDGE:])
        counts.update({_shape(line) for line in edge})
    threshold = max(2, (len(pages) + 1) // 2)
    repeated = {shape for shape, n in counts.items() if n >= threshold} if len(pages) > 1 else set()
    cleaned = []
    for lines in pages:
        keep = []
        for i, line in enumerate(lines):
            at_edge = i < _EDGE or i >= len(lines) - _EDGE
            if at_edge and (_shape(line) in repeated or _PAGE_NUMBER.match(line.strip())):
                continue
            keep.append(line)
        cleaned.append(keep)
    return cleaned


def _paragraph_breaks(lines: list[str]) -> list[str]:
    """The separator after each line: a line clearly shorter than the column closes its paragraph (a
    heading, or a paragraph's last line) unless the next line starts in lowercase, i.e. continues it."""
    lengths = [len(line) for line in lines if len(line) >= 20]
    column = statistics.median(lengths) if lengths else 0
    return ["\n\n" if len(line) < 0.8 * column and not following[:1].islower() else "\n"
            for line, following in zip(lines, lines[1:] + [""])]


def _join_lines(lines: list[str], breaks: list[str], vocabulary: set[str]) -> str:
    """Rejoin 'coop-' + 'eration'; keep the hyphen when the document spells the word with one elsewhere."""
    out: list[list[str]] = []
    for line, sep in zip(lines, breaks):
        head = _HYPHEN_END.search(out[-1][0]) if out and out[-1][1] == "\n" else None
        tail = _WORD_START.match(line)
        if head and tail:
            first, rest = head.group(1), tail.group(1)
            joiner = "-" if f"{first}-{rest}".casefold() in vocabulary else ""
            out[-1] = [out[-1][0][: head.start()] + first + joiner + rest + tail.group(2), sep]
        else:
            out.append([line, sep])
    return "".join(line + sep for line, sep in out)


def repair_pdf_pages(page_texts: list[str]) -> str:
    """Page texts as pypdf gives them -> one normalised text (headers, page numbers, hyphens repaired)."""
    pages = [[line.strip() for line in text.splitlines() if line.strip()] for text in page_texts]
    lines = [line for page in _strip_running_lines(pages) for line in page]
    vocabulary = {w.casefold() for line in lines for w in re.findall(r"\w+-\w+", line)}
    return normalise_text(_join_lines(lines, _paragraph_breaks(lines), vocabulary))


@contextlib.contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Hold back a library's warnings about a damaged file: the user gets one line, ours, or the text."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _pdf_pages(reader: Any, name: str, max_bytes: int) -> list[str]:
    """Page texts, stopping as soon as they add up to more than ``max_bytes`` (a PDF of a few MB can
    inflate to gigabytes of content streams; pypdf bounds each stream, this bounds the sum)."""
    texts: list[str] = []
    size = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        size += len(text.encode("utf-8"))
        if size > max_bytes:
            raise TooLargeError(f"{name}: its text is over the limit of {max_bytes:,} bytes (at page "
                                f"{len(texts) + 1}); raise --max-size if the document is really this long")
        texts.append(text)
    return texts


def read_pdf(data: bytes, name: str, *, max_bytes: int = defaults.MAX_INPUT_BYTES) -> DocumentText:
    """Text of a PDF's text layer; a scan without one raises NoTextLayerError."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    errors: tuple[type[BaseException], ...] = (PyPdfError, *_PDF_ERRORS)
    try:
        with _quiet("pypdf"):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise DocumentError(f"{name}: the PDF is encrypted; save an unprotected copy and import that")
            page_texts = _pdf_pages(reader, name, max_bytes)
            info = reader.metadata
            title = str(info.title) if info and info.title else None
    except errors as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise DocumentError(f"{name}: cannot read this PDF ({reason}); check that the file is a complete PDF"
                            ) from exc
    if not any(text.strip() for text in page_texts):
        raise NoTextLayerError(
            f"{name}: the PDF has no text layer (its {len(page_texts)} page(s) are images, e.g. a scan); "
            "run OCR on it first or import a text, HTML or DOCX copy")
    text = repair_pdf_pages(page_texts)
    meta: dict[str, Any] = {"format": "pdf", "pages": len(page_texts)}
    if title:
        meta["pdf_title"] = title
    return DocumentText(text=text, meta=meta)


def read_docx(data: bytes, name: str, *, max_bytes: int = defaults.MAX_INPUT_BYTES) -> DocumentText:
    """Paragraphs (and table cells, in order) of a DOCX, one paragraph per blank-line-separated block;
    read under size caps by sco_decl.ingest.docxtext (media never opened)."""
    text = normalise_text("\n\n".join(docx_blocks(data, name, max_bytes)))
    if not text:
        raise DocumentError(f"{name}: the DOCX contains no text; nothing was stored")
    meta: dict[str, Any] = {"format": "docx"}
    title = docx_title(data, name)
    if title:
        meta["docx_title"] = title
    return DocumentText(text=text, meta=meta)
