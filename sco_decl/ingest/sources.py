"""What `sco-decl add SOURCE` does: a file, stdin or an http(s) URL becomes the next revision of an edition.

Files are read by a reader chosen from a dict keyed by suffix; each returns a SourceText. Decoding is strict:
a file that is not UTF-8 is refused with the likely encoding named, so nothing is ever stored garbled. A URL
takes the one download path there is (`fetch.add_url`), which keeps the raw page in the edition's raw/ folder
and records its provenance, exactly as `sco-decl fetch` does.

Light on purpose: a plain-text file is stored without loading httpx, trafilatura, pypdf or python-docx;
`fetch` (which imports them) is imported only when a page, a PDF, a DOCX or a URL is read.
"""
from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable

from charset_normalizer import from_bytes

from sco_decl.errors import InputError
from sco_decl.ingest import defaults
from sco_decl.ingest.defaults import Settings
from sco_decl.ingest.outcome import Outcome
from sco_decl.store.corpus import Corpus

if TYPE_CHECKING:
    from sco_decl.ingest.download import Downloader


@dataclass(frozen=True)
class SourceText:
    """Text ready for the store, with where it came from and any header facts found on the way."""

    text: str
    source: str
    meta: dict[str, Any] = field(default_factory=dict)


# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def bom_encoding(data: bytes) -> str | None:
    """The codec a byte-order mark names (UTF-8, UTF-16 or UTF-32, either byte order), or None."""
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def looks_binary(data: bytes) -> bool:
    """NUL bytes anywhere or many control characters: an image, archive or office file, not text."""
    if b"\0" in data:
        return True
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and controls / len(sample) > 0.05


def guess_encoding(data: bytes) -> str | None:
    """The most likely legacy encoding of some bytes (charset-normalizer), or None."""
    best = from_bytes(data[:200_000]).best()
    return best.encoding if best else None


def refuse_nul(text: str, name: str) -> str:
    """A NUL character is never part of a declaration: it marks a binary or damaged file."""
    at = text.find("\0")
    if at >= 0:
        raise InputError(f"{name}: holds a NUL character (at character {at:,}); it is binary or damaged, "
                         "not text: give a .txt, .md, .html, .pdf or .docx")
    return text


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode bytes as `encoding` (default: by byte-order mark, else UTF-8); refuse binary and mis-encoded input.

    UTF-16 and UTF-32 are full of NUL bytes, so a byte-order mark is read before the binary test, and the
    NUL test then runs on the decoded text.
    """
    encoding = encoding or bom_encoding(data)
    if encoding:
        try:
            return refuse_nul(data.decode(encoding), name)
        except LookupError as exc:
            raise InputError(f"{name}: unknown encoding {encoding!r} given to --encoding") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: is not valid {encoding} (byte {exc.start}); check --encoding") from exc
    if looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not text; give a .txt, .md, .html, .pdf or .docx")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        guess = guess_encoding(data) or "windows-1252"
        raise InputError(f"{name}: is not UTF-8 (byte {exc.start}; it looks like {guess}); "
                         f"import it with --encoding {guess}") from exc


def read_bytes(source: str, max_bytes: int, stdin: BinaryIO | None = None) -> tuple[bytes, str]:
    """Read a file or `-` (stdin), refusing anything over `max_bytes` before reading it whole."""
    if source == "-":
        stream = stdin or sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        name = "<stdin>"
    else:
        path = Path(source)
        if path.is_dir():
            raise InputError(f"{source}: is a folder; give the file to import")
        if not path.is_file():
            raise InputError(f"{source}: no such file")
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(f"{source}: cannot read ({exc.strerror}); check the file and try again") from exc
        if size > max_bytes:
            raise InputError(f"{source}: is {size:,} bytes, over the limit of {max_bytes:,}; "
                             "raise it with --max-size if the text is really this long")
        try:
            data = path.read_bytes()
        except OSError as exc:  # vanished since the check above, unreadable, a device...
            raise InputError(f"{source}: cannot read ({exc.strerror}); check the file and try again") from exc
        name = source
    if len(data) > max_bytes:
        raise InputError(f"{name}: is over the limit of {max_bytes:,} bytes; raise it with --max-size")
    return data, name


def _read_plain(source: str, *, encoding: str | None, max_bytes: int,
                stdin: BinaryIO | None = None) -> SourceText:
    data, name = read_bytes(source, max_bytes, stdin)
    text = decode_text(data, name, encoding)
    if not text.strip():
        raise InputError(f"{name}: the text is empty; nothing was stored")
    origin = "stdin" if source == "-" else str(Path(source).resolve())
    return SourceText(text=text, source=origin, meta={"encoding": encoding or "utf-8"})


def _read_document(source: str, *, encoding: str | None, max_bytes: int, stdin: BinaryIO | None = None,
                   expected_date: dt.date | None = None, profile: str | None = None) -> SourceText:
    """HTML, PDF and DOCX files go through the same extraction as fetched pages (sco_decl.ingest.fetch),
    including its warning when the page's header date differs from the catalog's (``expected_date``)."""
    from sco_decl.ingest.fetch import extract_file  # heavy: trafilatura, pypdf, python-docx

    data, name = read_bytes(source, max_bytes, stdin)
    text, meta = extract_file(data, name, encoding=encoding, max_bytes=max_bytes, expected_date=expected_date,
                              profile=profile)
    return SourceText(text=text, source=str(Path(source).resolve()), meta=meta)


Reader = Callable[..., SourceText]

# Suffix -> reader.
READERS: dict[str, Reader] = {".txt": _read_plain, ".md": _read_plain, ".text": _read_plain, "": _read_plain,
                              ".html": _read_document, ".htm": _read_document, ".xhtml": _read_document,
                              ".pdf": _read_document, ".docx": _read_document}


def read_source(source: str, *, encoding: str | None = None, max_bytes: int = defaults.MAX_INPUT_BYTES,
                stdin: BinaryIO | None = None, expected_date: dt.date | None = None,
                profile: str | None = None) -> SourceText:
    """Read a file by its suffix, or `-` for stdin. ``expected_date`` and ``profile`` reach the page
    extraction of HTML files (the catalog's date; a forced cleanup profile). A URL is not read here: it is
    added by :func:`add_source`, which keeps the raw page."""
    if source == "-":
        return _read_plain(source, encoding=encoding, max_bytes=max_bytes, stdin=stdin)
    if is_url(source):
        raise InputError(f"{source}: a URL is downloaded by add_source (or `sco-decl add`), which keeps the "
                         "raw page; read_source reads files and stdin")
    suffix = Path(source).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(s for s in READERS if s))
        raise InputError(f"{source}: cannot import {suffix} files; use one of {known}")
    if reader is _read_document:
        return _read_document(source, encoding=encoding, max_bytes=max_bytes, expected_date=expected_date,
                              profile=profile)
    return reader(source, encoding=encoding, max_bytes=max_bytes)


def is_url(source: str) -> bool:
    """An http(s) address, not a file name."""
    return source.lower().startswith(("http://", "https://"))


def add_source(corpus: Corpus, decl_id: str, edition: str, source: str, *, note: str | None = None,
               encoding: str | None = None, max_bytes: int = defaults.MAX_INPUT_BYTES,
               stdin: BinaryIO | None = None, profile: str | None = None, meta: dict[str, Any] | None = None,
               settings: Settings | None = None, downloader: Downloader | None = None) -> Outcome:
    """Store what `source` holds (a file, `-` for stdin, or an http(s) URL) as the next revision of
    `decl_id`@`edition`; ``meta`` (provenance the user gave) is kept with it.

    A URL goes through `fetch.add_url`: the raw page is kept in raw/ (so `reextract` works on it) and the
    revision records where and when it was retrieved. ``settings`` and ``downloader`` reach that download;
    ``max_bytes`` bounds a file (and, for a URL, the download when no ``settings`` are given)."""
    if is_url(source):
        from sco_decl.ingest.fetch import add_url  # heavy: httpx, trafilatura

        return add_url(corpus, decl_id, edition, source, note=note, profile=profile, meta=meta,
                       settings=settings or Settings(max_bytes=max_bytes), downloader=downloader)
    decl = corpus.declaration(decl_id)
    got = read_source(source, encoding=encoding, max_bytes=max_bytes, stdin=stdin, expected_date=decl.date,
                      profile=profile)
    result = corpus.add(decl.id, edition, got.text, source=got.source, note=note, meta={**got.meta, **(meta or {})})
    return Outcome(decl.id, edition, None, result.status, result.revision,
                   warnings=list(got.meta.get("warnings", [])))
