"""Page to declaration text: main-text extraction, then the publisher's cleanup profile, then normalise.

trafilatura finds the main text (favouring recall; its XML output keeps paragraphs apart from line breaks,
so hard-wrapped lines can be rejoined). Where it finds nothing, or collapses a page into one paragraph, a
plain block-level extraction with the stdlib html.parser takes over. The profile (sco_decl.ingest.profiles) then
moves header fields (title, place, date, translation note, source) into ``fields`` and drops page
furniture; what remains goes through sco_decl.ingest.normalise, the same as every other source.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import trafilatura

from sco_decl.errors import FetchError
from sco_decl.ingest.normalise import normalise_text
from sco_decl.ingest.layout import choose_profile, in_archive, unwrap_archive
from sco_decl.ingest.profiles import PLAIN_TEXT, Profile, parse_date, profile_for

__all__ = ["Extraction", "ExtractionError", "extract_html", "extract_plain", "html_blocks", "next_pages"]


#: Fewer words (and under 5x as many characters, for scripts without spaces) is page furniture.
MIN_WORDS = 4


class ExtractionError(FetchError):
    """A page or file that yields no declaration text."""


@dataclass
class Extraction:
    """The cleaned text of a page, the profile used, the header fields found and any warnings."""

    text: str
    profile: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def meta(self) -> dict[str, Any]:
        """What a revision's metadata records about the extraction."""
        return {"extractor": self.profile, "extraction_method": self.method, "header": dict(self.fields),
                "warnings": list(self.warnings)}


# ---------------------------------------------------------------- HTML to blocks (paragraphs, "\n" = <br>)
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "td", "th", "tr", "table",
               "section", "article", "blockquote", "pre", "dd", "dt", "dl", "center", "main", "form", "hr", "title",
               "body", "html"}
_SKIP_TAGS = {"script", "style", "noscript", "nav", "head", "header", "footer", "aside", "template", "select",
              "option", "iframe", "svg"}
_XML_BLOCKS = {"p", "head", "item", "list", "quote", "cell", "row", "table", "code", "main", "doc"}
_DOUBLE_BR = re.compile(r"(?:<br\s*/?>\s*){2,}", re.IGNORECASE)


class _BlockParser(HTMLParser):
    """Text of a page as blocks: block tags end a paragraph, <br> ends a line. Also notes headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.headings: dict[str, str] = {}
        self.links: list[str] = []
        self._buf: list[str] = []
        self._skip = 0
        self._heading: str | None = None
        self._heading_buf: list[str] = []

    def _flush(self) -> None:
        text = "".join(self._buf)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            self.blocks.append(block)
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "br":
            self._buf.append("\n")
        elif tag in _BLOCK_TAGS:
            self._flush()
        if tag == "a":
            self.links.extend(v for k, v in attrs if k == "href" and v)
        if tag in ("h1", "h2", "title") and tag not in self.headings:
            self._heading, self._heading_buf = tag, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._buf.append("\n")
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()
        if tag == self._heading:
            self.headings[tag] = " ".join("".join(self._heading_buf).split())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._heading_buf.append(data)
        if not self._skip:
            self._buf.append(data.replace("\n", " "))

    def close(self) -> None:
        super().close()
        self._flush()


def _parse(html: str) -> _BlockParser:
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser


def _xml_blocks(element: ET.Element) -> list[str]:
    """Walk trafilatura's XML: block elements end a paragraph, <lb/> is a line break."""
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        lines = [" ".join(line.split()) for line in "".join(buf).split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            blocks.append(block)
        buf.clear()

    def walk(el: ET.Element) -> None:
        is_block = el.tag in _XML_BLOCKS
        if is_block:
            flush()
        if el.tag == "lb":
            buf.append("\n")
        buf.append((el.text or "").replace("\n", " "))
        for child in el:
            walk(child)
            buf.append((child.tail or "").replace("\n", " "))
        if is_block:
            flush()

    walk(element)
    flush()
    return blocks


def _trafilatura_blocks(html: str) -> list[str]:
    prepared = _DOUBLE_BR.sub("<p>", html)
    result = trafilatura.extract(prepared, output_format="xml", favor_recall=True, include_tables=True,
                                 include_comments=False, include_images=False, deduplicate=False)
    if not result:
        return []
    try:
        root = ET.fromstring(result)
    except ET.ParseError:
        return []
    main = root.find("main")
    return _xml_blocks(main if main is not None else root)


def html_blocks(html: str) -> tuple[list[str], str, _BlockParser]:
    """The page's main-text blocks and the method that found them ("trafilatura" or "html.parser")."""
    parsed = _parse(_DOUBLE_BR.sub("<p>", html))
    blocks = _trafilatura_blocks(html)
    if not blocks or (len(blocks) == 1 and len(parsed.blocks) >= 3):
        return parsed.blocks, "html.parser", parsed
    return blocks, "trafilatura", parsed


# ---------------------------------------------------------------- profile cleanup
def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _take_field(profile: Profile, line: str, fields: dict[str, str]) -> bool:
    for pattern, name in profile.fields:
        match = profile.rx(pattern).match(line)
        if not match:
            continue
        if name == "place_date":
            fields.setdefault("place", match.group(1).strip())
            fields.setdefault("date", match.group(2).strip())
        else:
            fields.setdefault(name, match.group(1).strip())
        return True
    return False


#: Page furniture every publisher has, dropped whatever the profile: site menus ("Home | News | ... ||||"),
#: print/close/share links, "back to top" and copyright lines.
_FURNITURE = re.compile("|".join([
    r"^\|*\s*(?:[^|]{1,30}?\s*\|+\s*){2,}[^|]{0,30}$",
    r"^(?:[\[(]?\s*(?:print(?: this)?(?: page| version| article)?|close(?: this)?(?: window)?|e-?mail(?: this)?"
    r"(?: page| article| to a friend)?|send to a friend|suggest to a friend|bookmark|share(?: this)?)\s*[\])]?"
    r"\s*[|/·•]?\s*)+$",
    r"^[↑^▲⇧]?\s*(?:back to (?:the )?top|to top|top of (?:the )?page|return to top)\b.{0,20}$",
    r"^(?:copyright\b|©|\(c\)\s*\d{4}|all rights reserved\b).{0,400}$",
]), re.IGNORECASE)


def _dropped(profile: Profile, line: str) -> bool:
    return bool(_FURNITURE.match(line)) or any(profile.rx(p).match(line) for p in profile.drop)


def _title_candidates(parsed: _BlockParser | None) -> set[str]:
    if parsed is None:
        return set()
    values = [parsed.headings.get(t, "") for t in ("h1", "h2", "title")]
    values += [v.split(" - ")[0].split(" | ")[0] for v in values]
    return {_key(v) for v in values if v.strip()}


def _title_like(line: str) -> bool:
    """A headline, not a sentence: no closing punctuation and not too long."""
    return not line.endswith((".", ":", ";", ",", "。", "：", "；", "，")) and len(line.split()) <= 30


def _clean(blocks: list[str], profile: Profile, parsed: _BlockParser | None) -> tuple[list[str], dict[str, str]]:
    """Apply a profile: header lines become fields, furniture goes, the text between start and stop stays."""
    lines = [line.strip() for line in "\n\n".join(blocks).split("\n")]
    if profile.hook:
        lines = profile.hook(lines)
    fields: dict[str, str] = {}
    if profile.start_after:
        marker = next((i for i, line in enumerate(lines) if profile.rx(profile.start_after).match(line)), None)
        if marker is not None:
            for line in lines[:marker]:
                _take_field(profile, line, fields)
            lines = lines[marker + 1:]
    candidates = _title_candidates(parsed)
    body: list[str] = []
    consumed = 0
    in_head = True
    for line in lines:
        if not line:
            body.append("")
            continue
        if in_head and consumed < profile.head_lines and _take_field(profile, line, fields):
            consumed += 1
            continue
        if _dropped(profile, line):
            continue
        if in_head and consumed < profile.head_lines:
            is_title = _key(line) in candidates or _key(line) == _key(fields.get("title", "\0"))
            if is_title or (profile.title_first and "title" not in fields and _title_like(line)):
                fields.setdefault("title", line)
                consumed += 1
                continue
        if profile.stop_at and profile.rx(profile.stop_at).match(line):
            break
        in_head = False
        body.append(line)
    if profile.title_first and "title" not in fields and parsed is not None:
        heading = parsed.headings.get("h1") or parsed.headings.get("h2")
        if heading:
            fields["title"] = heading
    paragraphs = [p for p in "\n".join(body).split("\n\n") if p.strip()]
    return paragraphs, fields


def _dedupe_join(pages: list[list[str]]) -> list[str]:
    """Join the paragraphs of a multi-page article; later pages repeat the opening paragraphs."""
    joined = list(pages[0]) if pages else []
    seen = {_key(p) for p in joined}
    for page in pages[1:]:
        start = 0
        while start < len(page) and _key(page[start]) in seen:
            start += 1
        joined.extend(page[start:])
        seen.update(_key(p) for p in page)
    return joined


def _finish(paragraphs: list[str], fields: dict[str, str], profile: Profile, method: str,
            expected_date: dt.date | None, source: str) -> Extraction:
    text = normalise_text("\n\n".join(paragraphs))
    if len(text.split()) < MIN_WORDS and len(text.strip()) < 5 * MIN_WORDS:
        found = f" (only {text.strip()!r})" if text.strip() else ""
        raise ExtractionError(f"{source}: no declaration text found on the page{found} (profile {profile.name}); "
                              "check the URL or save the page and import it with `sco-decl add`")
    warnings: list[str] = []
    if method == "html.parser":
        warnings.append("trafilatura found no usable main text; used the plain block extraction")
    header_date = parse_date(fields["date"]) if fields.get("date") else None
    if header_date:
        fields["date_iso"] = header_date.isoformat()
    if header_date and expected_date and header_date != expected_date:
        warnings.append(f"the page's header date {fields['date']!r} ({header_date.isoformat()}) disagrees with "
                        f"the catalog date {expected_date.isoformat()}")
    return Extraction(text=text, profile=profile.name, method=method, fields=fields, warnings=warnings)


def extract_html(html: str, url: str | None = None, *, expected_date: dt.date | None = None,
                 extra_pages: list[str] | tuple[str, ...] = (), profile: Profile | None = None) -> Extraction:
    """Extract the declaration from a page (plus continuation pages of a multi-page article)."""
    profile = profile or choose_profile(url, html=html).profile
    pages: list[list[str]] = []
    fields: dict[str, str] = {}
    method = "trafilatura"
    for page in [html, *extra_pages]:
        blocks, how, parsed = html_blocks(page)
        if profile.select:  # a page of many documents: keep the wanted one (sco_decl.ingest.pagecuts)
            blocks = profile.select(blocks, url, expected_date)
        if how != "trafilatura":
            method = how
        paragraphs, page_fields = _clean(blocks, profile, parsed)
        pages.append(paragraphs)
        for key, value in page_fields.items():
            fields.setdefault(key, value)
    return _finish(_dedupe_join(pages), fields, profile, method, expected_date, url or "<html>")


def extract_plain(text: str, url: str | None = None, *, expected_date: dt.date | None = None,
                  profile: Profile | None = None) -> Extraction:
    """Extract a plain-text copy: bullet glyphs become paragraph breaks, header fields are taken out."""
    profile = profile or profile_for(urlsplit(unwrap_archive(url)[0] or "").hostname if url else None)
    if profile.name == "generic":
        profile = PLAIN_TEXT
    paragraphs, fields = _clean(text.replace("\r\n", "\n").split("\n\n"), profile, None)
    return _finish(paragraphs, fields, profile, "plain", expected_date, url or "<text>")


def next_pages(html: str, url: str) -> list[str]:
    """Continuation pages of a multi-page article: links to ``<stem>_2.htm``, ``<stem>_3.htm`` ..."""
    path = urlsplit(url).path
    stem = re.sub(r"\.s?html?$", "", path.rsplit("/", 1)[-1])
    if not stem or stem == path.rsplit("/", 1)[-1]:
        return []
    pattern = re.compile(rf"(?:^|/){re.escape(stem)}_(\d+)\.s?html?$")
    found: dict[int, str] = {}
    for href in _parse(html).links:
        absolute = in_archive(url, href)
        match = pattern.search(urlsplit(absolute).path)
        if match and int(match.group(1)) > 1:
            found.setdefault(int(match.group(1)), absolute)
    return [found[n] for n in sorted(found)]

