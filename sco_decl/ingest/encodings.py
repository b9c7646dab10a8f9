"""Bytes to text for fetched pages and imported files: honour the declared charset, detect legacy ones.

Old Russian and Chinese pages arrive as windows-1251, GB2312/GBK or Big5, often with no charset or a wrong
one (a page labelled utf-8 that does not decode, or labelled iso-8859-1 although it is Cyrillic). The order:
a byte-order mark wins; then the charset declared by the HTTP header or the page's own ``<meta>``; a
declared charset is trusted only when the bytes decode strictly and, for the Western single-byte charsets
that decode anything, when the detector does not find a clearly better legacy encoding. Undeclared bytes are
tried as UTF-8 and otherwise handed to charset-normalizer.

GB18030 and Big5 decode almost any byte pairs of each other without an error, so a Big5 page labelled
gb2312 (the cctv gateway) would come out as strict, garbled text. For the Chinese codecs the choice is
therefore checked against the text: the decoding in which the commonest Han characters make up the larger
share wins (a wrong decoding yields rare characters and private-use code points).
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
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
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
        header = re.search(r"charset\s*=\s*([^;\s]+)", content_type, re.IGNORECASE)
        if header and _canonical(header.group(1)):
            return _canonical(header.group(1))
    head = body[:4096]
    meta = _META.search(head) or _XML_DECL.search(head)
    if meta:
        return _canonical(meta.group(1).decode("ascii", "ignore"))
    return None


# The commonest Han characters of modern Chinese in both scripts (simplified and traditional forms); in a
# correct decoding they are about half of all Han characters, in a GB/Big5 mix-up a few per cent.
_COMMON_HAN = frozenset(
    "的一是在不了有和人这這中大为為上个個国國我以要他时時来來用们們生到作地于於出就分对對成会會可主发發年动動"
    "同工也能下过過子说說产產种種面而方后後多定行学學法所民得经經十三之进進着等部度家电電力里如水化高自二理"
    "起小物现現实實加量都两兩体體制机機当當使点點从從业業本去把性好应應开開它合还還因由其些然前外天政四日那社"
    "义義事平形相全表间間样樣与與关關各重新线線内內数數正心反明看原又利比或但质質气氣第向道命此变變条條只没沒"
    "结結解问問意建月公无無系军軍很情者最立代想已通并並提直题題程展五果员員位入常文总總次品式活设設及管特件"
    "长長求基资資边邊流路级級少图圖山统統接知将將组組织織见見计計别別期根论論运運指几幾区區强強放决決西被必"
    "战戰先回则則任取据據处處府研务務领領导導议議联聯盟宣言声聲明签簽署协協约約织和平安稳穩定互信友睦邻鄰"
    "合作员領域交能源济濟贸貿易文化恐怖主义分裂极極端毒品犯罪际際秩序尊重权權独獨立领土完整干涉内政"
)
_CJK_CODECS = ("gb18030", "big5hkscs")


def _han_score(text: str) -> float:
    """Share of the commonest characters among Han and private-use characters (0 when there are none)."""
    sample = text[:20000]
    han = [c for c in sample if "\u4e00" <= c <= "\u9fff" or "\ue000" <= c <= "\uf8ff" or "\u3400" <= c <= "\u4dbf"]
    return sum(c in _COMMON_HAN for c in han) / len(han) if han else 0.0


def _cjk_check(body: bytes, decoded: Decoded) -> Decoded:
    """For a Chinese codec, keep the decoding of the body that reads most like Chinese."""
    if decoded.encoding not in _CJK_CODECS:
        return decoded
    best, best_score = decoded, _han_score(decoded.text)
    for codec in _CJK_CODECS:
        if codec == decoded.encoding:
            continue
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _han_score(text)
        if score > best_score + 0.1:
            best, best_score = Decoded(text, codec, "detected"), score
    return best


def _detect(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body[:_SAMPLE]).best()
    return _canonical(best.encoding) if best is not None else None


def decode_bytes(body: bytes, content_type: str | None = None, *, declared: str | None = None) -> Decoded:
    """Decode ``body``; ``content_type`` is the HTTP header value, ``declared`` an explicit override."""
    return _cjk_check(body, _decode(body, content_type, declared))


def _decode(body: bytes, content_type: str | None, declared: str | None) -> Decoded:
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
