"""Bytes to text for fetched pages and imported files: honour the declared charset, detect legacy ones.

Old Russian and Chinese pages arrive as windows-1251, GB2312/GBK or Big5, often with no charset or a wrong
one (a page labelled utf-8 that does not decode, or labelled iso-8859-1 although it is Cyrillic). The order:
a byte-order mark wins; then the charset declared by the HTTP header or the page's own ``<meta>``; a
declared charset is trusted only when the bytes decode strictly and, for the Western single-byte charsets
that decode anything, when the detector does not find a clearly better legacy encoding. Undeclared bytes are
tried as UTF-8 and otherwise handed to charset-normalizer.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

__all__ = ["Decoded", "decode_bytes", "declared_charset"]

# Labels browsers treat as their superset (WHATWG Encoding Standard); decoding with the superset is safe.
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030",
    "iso-8859-1": "windows-1252", "latin-1": "windows-1252", "us-ascii": "windows-1252",
    "ascii": "windows-1252", "big5": "big5hkscs", "cp950": "big5hkscs",
}
# Charsets that decode every byte sequence, so a wrong label never fails: double-check them.
_PERMISSIVE = {"windows-1252", "cp1252", "latin-1", "iso8859-1", "ascii"}
_SAMPLE = 512 * 1024  # enough to tell a legacy charset; detecting on whole large pages is slow
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.-]+)""")


@dataclass(frozen=True)
class Decoded:
    """The decoded text, the codec used, and how it was chosen ("bom", "declared", "detected", "fallback")."""

    text: str
    encoding: str
    how: str


def _canonical(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset named by a Content-Type header, else by the page's ``<meta>`` or XML declaration."""
    if content_type:
        match = re.search(r"charset\s*=\s*([^;\s]+)", content_type, re.IGNORECASE)
        if match and _canonical(match.group(1)):
            return _canonical(match.group(1))
    head = body[:4096]
    match = _META.search(head) or _XML_DECL.search(head)
    if match:
        return _canonical(match.group(1).decode("ascii", "ignore"))
    return None


def _detect(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body[:_SAMPLE]).best()
    return _canonical(best.encoding) if best is not None else None


def decode_bytes(body: bytes, content_type: str | None = None, *, declared: str | None = None) -> Decoded:
    """Decode ``body``; ``content_type`` is the HTTP header value, ``declared`` an explicit override."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body.decode(codec, errors="replace"), codec, "bom")
    label = _canonical(declared) if declared else declared_charset(body, content_type)
    if label:
        try:
            text = body.decode(label)
        except UnicodeDecodeError:
            text = None
        if text is not None:
            if label not in _PERMISSIVE or body.isascii():
                return Decoded(text, label, "declared")
            detected = _detect(body)
            if detected is None or detected in _PERMISSIVE or detected == label:
                return Decoded(text, label, "declared")
            return Decoded(body.decode(detected, errors="replace"), detected, "detected")
    else:
        try:
            return Decoded(body.decode("utf-8"), "utf-8", "detected")
        except UnicodeDecodeError:
            pass
    detected = _detect(body)
    if detected:
        return Decoded(body.decode(detected, errors="replace"), detected, "detected")
    fallback = label or "utf-8"
    return Decoded(body.decode(fallback, errors="replace"), fallback, "fallback")
