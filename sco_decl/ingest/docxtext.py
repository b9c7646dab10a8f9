"""DOCX to text without trusting the file: only the main document part is read, streamed, under caps.

python-docx loads every part of the package into memory (a DOCX hiding 3 GB of images is read whole) and
builds the full XML tree, so a 0.7 MB file that unpacks to gigabytes took a minute and gigabytes of memory.
Here the zip's declared sizes are checked before anything is read, the one part holding the text
(``word/document.xml``, found through ``_rels/.rels``) is streamed through a byte counter into lxml's
``iterparse`` with entities, DTDs and the network off, each top-level block is turned into text and freed,
and the text stops at ``max_bytes``. Media, fonts and embedded objects are never opened.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO, Any, Iterator

from lxml import etree

from sco_decl.errors import InputError

__all__ = ["DocumentError", "TooLargeError", "docx_blocks", "docx_title", "xml_budget"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_SMALL_PART = 1024 * 1024  # _rels/.rels and docProps/core.xml are a few KB in any real file
# Errors a hostile or damaged zip can raise while being opened or inflated.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, RuntimeError,
               NotImplementedError, ValueError, KeyError)


class DocumentError(InputError):
    """A PDF or DOCX file that cannot be opened (damaged, encrypted, malformed XML, not really that format)."""


class TooLargeError(InputError):
    """A document whose unpacked XML or extracted text is over the size limit."""


def xml_budget(max_bytes: int) -> int:
    """How much XML may be read for ``max_bytes`` of text: markup is often ten times the text it wraps."""
    return max(10 * max_bytes, 4 * 1024 * 1024)


class _Capped(io.RawIOBase):
    """A read-only stream that raises once more than ``limit`` bytes came through (a zip entry that
    declares a small size but inflates to more is stopped here, not after it filled memory)."""

    def __init__(self, inner: IO[bytes], limit: int, what: str) -> None:
        self.inner, self.limit, self.what, self.seen = inner, limit, what, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.inner.read(min(len(buffer), 64 * 1024))
        self.seen += len(chunk)
        if self.seen > self.limit:
            raise TooLargeError(f"{self.what} unpacks to more than {self.limit:,} bytes; raise --max-size if "
                                "the document is really this long")
        buffer[: len(chunk)] = chunk
        return len(chunk)


_Stream = IO[bytes] | io.RawIOBase   # a zip member, or one wrapped in _Capped


def _member(archive: zipfile.ZipFile, part: str, limit: int, name: str) -> zipfile.ZipInfo:
    try:
        info = archive.getinfo(part)
    except KeyError:
        raise DocumentError(f"{name}: not a Word document (no {part} inside); save it again as .docx and retry") \
            from None
    if info.file_size > limit:
        raise TooLargeError(f"{name}: its {part} declares {info.file_size:,} bytes unpacked, over the limit of "
                            f"{limit:,}; raise --max-size if the document is really this long")
    return info


def _parser_options() -> dict[str, Any]:
    """No entity expansion, no DTD, no network, libxml2's default depth and size limits (no huge_tree)."""
    return {"resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": False}


def _refuse_dtd(root: etree._Element, name: str, part: str) -> None:
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise DocumentError(f"{name}: its {part} declares a DTD (entity definitions), which no Word document has; "
                        "refusing it (possible entity bomb)")


def _main_part(archive: zipfile.ZipFile, name: str) -> str:
    """The main document part named by the package relationships; Word itself writes word/document.xml."""
    if "_rels/.rels" not in archive.NameToInfo:
        return "word/document.xml"
    info = _member(archive, "_rels/.rels", _SMALL_PART, name)
    with archive.open(info) as raw:
        root = _parse_small(_Capped(raw, _SMALL_PART, f"{name}: _rels/.rels"), name, "_rels/.rels")
    for rel in root.iter(f"{_REL}Relationship"):
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("Target"):
            return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


def _parse_small(stream: _Stream, name: str, part: str) -> etree._Element:
    try:
        root = etree.parse(stream, etree.XMLParser(**_parser_options())).getroot()
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"{name}: its {part} is not well-formed XML ({exc}); save it again as .docx") from exc
    _refuse_dtd(root, name, part)
    return root


def _run_text(run: etree._Element) -> str:
    """A run's text as Word shows it: tabs and breaks become characters (python-docx's Run.text)."""
    out: list[str] = []
    for child in run:
        tag = child.tag
        if tag == f"{_W}t":
            out.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
    return "".join(out)


def _paragraph_text(paragraph: etree._Element) -> str:
    """Runs of the paragraph, hyperlinks and fields included, text boxes (drawn shapes) left out."""
    runs: Iterator[etree._Element] = paragraph.iter(f"{_W}r")
    if paragraph.find(f".//{_W}txbxContent") is not None:
        runs = (run for run in runs if not any(a.tag == f"{_W}txbxContent" for a in run.iterancestors()))
    return "".join(_run_text(run) for run in runs)


def _block_texts(element: etree._Element) -> list[str]:
    """A body child as text blocks: a paragraph, each table cell, or the paragraphs of a content control."""
    if element.tag == f"{_W}p":
        return [_paragraph_text(element)]
    if element.tag == f"{_W}tbl":
        return ["\n".join(_paragraph_text(p) for p in cell.iterchildren(f"{_W}p"))
                for row in element.iterchildren(f"{_W}tr") for cell in row.iterchildren(f"{_W}tc")]
    if element.tag == f"{_W}sdt":
        content = element.find(f"{_W}sdtContent")
        return [text for child in (content if content is not None else []) for text in _block_texts(child)]
    return []


def _iter_blocks(stream: _Stream, name: str, part: str) -> Iterator[str]:
    """Blocks of the document body in order; each body child is freed once read, so memory stays flat."""
    depth = 0
    body_depth: int | None = None
    events = etree.iterparse(stream, events=("start", "end"), **_parser_options())
    for event, element in events:
        if event == "start":
            depth += 1
            if depth == 1:
                _refuse_dtd(element, name, part)
            if element.tag == f"{_W}body" and body_depth is None:
                body_depth = depth
            continue
        if body_depth is not None and depth == body_depth + 1:
            yield from _block_texts(element)
            element.clear()
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
        depth -= 1


def docx_blocks(data: bytes, name: str, max_bytes: int) -> list[str]:
    """The text blocks of a DOCX, refusing one whose XML or text is over the limits before it costs much."""
    limit = xml_budget(max_bytes)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _main_part(archive, name)
            info = _member(archive, part, limit, name)
            blocks: list[str] = []
            size = 0
            with archive.open(info) as raw:
                for block in _iter_blocks(_Capped(raw, limit, f"{name}: {part}"), name, part):
                    size += len(block.encode("utf-8")) + 2
                    if size > max_bytes:
                        raise TooLargeError(f"{name}: its text is over the limit of {max_bytes:,} bytes; raise "
                                            "--max-size if the document is really this long")
                    blocks.append(block)
            return blocks
    except (DocumentError, TooLargeError):
        raise
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"{name}: the document XML is malformed ({exc}); save it again as .docx") from exc
    except _ZIP_ERRORS as exc:
        raise DocumentError(f"{name}: cannot read this DOCX ({exc}); save it again as .docx and retry") from exc


def docx_title(data: bytes, name: str) -> str | None:
    """The title in docProps/core.xml, if any (a damaged or oversized core.xml just means no title)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "docProps/core.xml" not in archive.NameToInfo:
                return None
            info = _member(archive, "docProps/core.xml", _SMALL_PART, name)
            with archive.open(info) as raw:
                root = _parse_small(_Capped(raw, _SMALL_PART, f"{name}: core.xml"), name, "docProps/core.xml")
    except (DocumentError, TooLargeError, *_ZIP_ERRORS):
        return None
    title = root.find("{http://purl.org/dc/elements/1.1/}title")
    return title.text.strip() if title is not None and title.text and title.text.strip() else None
