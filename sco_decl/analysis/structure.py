"""Declaration structure: heading block, paragraphs, section numerals and point numbers, before any NLP.

Declarations number their sections (I, II, ...) and points ("3."); those are locators, not sentences, and
the title and dateline on top are header metadata, not sentences. Real pages come in several layouts
(notes/fixtures.md lists them): paragraphs separated by blank lines, by one newline, or by an indent; lines
hard-wrapped at 65-100 characters or not at all; numerals on their own lines or leading a paragraph. This
module recovers the same structure from all of them, line by line:

1. The heading block: title lines (a title may be hard-wrapped over two lines), a dateline in the usual
   English forms ("Port Alder, 14 June 2011", "(Kestrel, 7 June 2012)", "Valmora, May 29, 2013", a place and
   a date on two lines), "Declaration ..." subtitles and translation notes, before the first sentence.
2. Paragraph breaks: blank lines always; a section numeral or point number; an indented first line (when
   the text marks paragraphs by indents); in a hard-wrapped text a short line that ends a sentence; in a text
   that is not hard-wrapped, every newline that does not continue a clause (after `,` `;` `:` or before a
   lowercase word or a list dash).
3. Inside a paragraph a line break is a space.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Words that end with a period without ending the sentence (lowercase, without the period).
ABBREVIATIONS = frozenset("""mr mrs ms dr st no nos art arts para paras e.g i.e etc vs u.n u.s u.k p pp
sec secs cf ca approx gen col lt sr jr prof jan feb mar apr jun jul aug sep sept oct nov dec""".split())

_ROMAN = r"(?=[IVXLC])M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
_HEADING_RE = re.compile(rf"^(?:(?i:section|part|chapter)\s+)?(?P<num>{_ROMAN})\s*[.)]?"
                         rf"(?:\s+(?P<title>[^.!?;:]{{1,80}}))?$")
_LEADING_SECTION_RE = re.compile(rf"^(?:(?i:section|part|chapter)\s+)?(?P<num>{_ROMAN})[.)]\s+(?=[A-Z\"“])")
_NUMBER_ONLY_RE = re.compile(r"^\(?(?P<num>\d{1,3})\s*[.)．、]?$")
_POINT_RE = re.compile(r"^(?:\((?P<paren>\d{1,3})\)|(?P<num>\d{1,3}|[a-z])[.)])\s+(?=\S)")
# Chinese texts number sections 一、二、 (optionally 第一部分 and a short title) and points 1． 1、 （一） (1),
# with no space after; the numerals become Roman (sections) and Arabic (points) so that a Chinese text and
# its translation cite the same locators (the cross-lingual aligner uses them as anchors).
_CN_DIGITS = "〇一二三四五六七八九十"
_CN_HEADING_RE = re.compile(rf"^第?(?P<num>[{_CN_DIGITS}]{{1,3}})(?:部分)?(?:\s*$|\s*[、.．]\s*"
                            rf"(?P<title>[^。！？；：.!?;:]{{1,40}})$)")
_CN_POINT_RE = re.compile(rf"^(?:[（(](?P<paren>\d{{1,3}}|[{_CN_DIGITS}]{{1,3}})[)）]|(?P<num>\d{{1,3}})[．、])\s*"
                          rf"(?=\S)")
# Russian and Chinese datelines ("Лиск, 9 июня 2017 года", "2017年6月9日，利斯克") are header metadata too.
_RU_MONTHS = r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_RU_DATELINE_RE = re.compile(rf"^[(\[]?\s*(?:(?:г\.\s*)?[А-ЯЁ][\w.-]*(?:[ -][А-ЯЁ][\w.-]*)*\s*,?\s+)?"
                             rf"(?:\d{{1,2}}\s+{_RU_MONTHS}\s+\d{{4}}(?:\s*(?:года|г\.))?|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})"
                             rf"(?:\s*,?\s*(?:г\.\s*)?[А-ЯЁ][\w.-]*(?:[ -][А-ЯЁ][\w.-]*)*)?\s*[)\]]?\.?$")
_ZH_DATELINE_RE = re.compile(r"^[（(]?\s*(?:[^\s，,。]{1,12}[，,]\s*)?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                             r"(?:\s*[，,]?\s*[^\s，,。]{1,12})?\s*[）)]?$")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–—]\s*\d{1,2}(?:st|nd|rd|th)?)?"
_DATE = (rf"(?:{_DAY}\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}}|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}"
         rf"|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}})(?:,?\s+\d{{1,2}}:\d{{2}})?")
_PLACE = r"[A-Z][\w'’.-]*(?:[ -](?:[A-Z][\w'’.-]*|de|on|upon|am|an))*"
_DATELINE_RE = re.compile(rf"^[(\[]?\s*(?:(?:of|on|Updated:?|Dated?:?|Date:)\s+)?(?:{_PLACE}\s*,?\s+(?:on\s+)?)?"
                          rf"{_DATE}\s*[)\]]?\.?$", re.IGNORECASE)
_PLACE_LINE_RE = re.compile(rf"^[(\[]?{_PLACE},$")
_NOTE_RE = re.compile(r"^[(\[]?\s*(?:unofficial|official|informal|provisional)?\s*(?:translation|translated|"
                      r"source|editor's note|unofficial)\b", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?…。！？][\"'”’)\]»」』）]*$")
_CLAUSE_END_RE = re.compile(r"[,;:，；：、][\"'”’)\]»」』）]*$")
_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_BULLET_RE = re.compile(r"^[-–—•·*]\s")
_INDENT_RE = re.compile(r"^[ \t\u00a0\u3000]*")


@dataclass(frozen=True)
class Block:
    """One text paragraph with its locators; `text` has whitespace folded and the point number stripped."""

    text: str
    section: str | None
    section_title: str | None
    paragraph: int
    point: str | None

    @property
    def locator(self) -> str:
        return locator(self.section, self.paragraph, self.point)


@dataclass(frozen=True)
class Header:
    """The heading block on top of a text: metadata, never sentences."""

    title: str | None = None
    subtitles: tuple[str, ...] = ()
    dateline: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.title or self.subtitles or self.dateline or self.notes)

    def to_json(self) -> dict[str, object]:
        return {"title": self.title, "subtitles": list(self.subtitles), "dateline": self.dateline,
                "notes": list(self.notes)}


@dataclass
class Structure:
    """A text's heading block and its located paragraphs."""

    header: Header
    blocks: list[Block] = field(default_factory=list)


def locator(section: str | None, paragraph: int, point: str | None) -> str:
    """The declaration's own numbering: `III.4` (section and point), `4` (a point without sections), and the
    paragraph within the section (`§III ¶2`, `¶2`) only where the text has no point number."""
    if point:
        return f"{section}.{point}" if section else point
    para = f"¶{paragraph}"
    return f"§{section} {para}" if section else para


def fold(text: str) -> str:
    return " ".join(text.split())


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def chinese_number(numeral: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20 (the numerals of section and point numbers)."""
    digits = [_CN_DIGITS.index(c) for c in numeral]
    if 10 not in digits:
        return int("".join(str(d) for d in digits))
    tens, _, ones = numeral.partition("十")
    return (_CN_DIGITS.index(tens) if tens else 1) * 10 + (_CN_DIGITS.index(ones) if ones else 0)


def to_roman(number: int) -> str:
    out = ""
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while number >= value:
            out += letters
            number -= value
    return out


def _point(text: str) -> tuple[str, str] | None:
    """A leading point number and the text after it ("3. ", "(3) ", "a) ", or Chinese "3．", "（三）")."""
    match = _POINT_RE.match(text)
    if match:
        return match.group("num") or match.group("paren"), text[match.end():]
    chinese = _CN_POINT_RE.match(text)
    if chinese:
        number = chinese.group("paren") or chinese.group("num")
        return (number if number.isdigit() else str(chinese_number(number))), text[chinese.end():]
    return None


def _heading(paragraph: str, expected: int) -> tuple[str, str | None] | None:
    """A Roman numeral heading (section number, optional title), or None for a text paragraph.

    A one-letter numeral with a title ("V. Marrow") is more often an initial in a signature than a
    heading, so it counts only when it is the next section number expected.
    """
    if "\n" in paragraph.strip() or len(paragraph) > 90:
        return None
    chinese = _CN_HEADING_RE.match(paragraph.strip())
    if chinese and 0 < chinese_number(chinese.group("num")) < 100:
        return to_roman(chinese_number(chinese.group("num"))), chinese.group("title")
    match = _HEADING_RE.match(paragraph.strip())
    if not match:
        return None
    title = match.group("title")
    numeral = match.group("num")
    if title and not title[0].isupper():
        return None
    if title and len(numeral) == 1 and roman_value(numeral) != expected:
        return None
    return numeral, title


# -- lines ------------------------------------------------------------------------------------------------
@dataclass
class _Line:
    text: str  # stripped
    indent: int
    blank_before: bool


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    blank = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"):
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        indent = len(_INDENT_RE.match(raw.replace("\t", "    ")).group(0))  # type: ignore[union-attr]
        out.append(_Line(stripped, indent, blank))
        blank = False
    return out


def _ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence: . ! ? (plus closing quotes), but not an abbreviation or an initial."""
    if not _SENTENCE_END_RE.search(line):
        return False
    last = line.split()[-1].rstrip("\"'”’)]»")
    if not last.endswith("."):
        return True
    word = last.lower().rstrip(".").lstrip("(\"'“‘[")
    return not (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def _is_dateline(text: str) -> bool:
    return len(text) <= 80 and bool(_DATELINE_RE.match(text) or _RU_DATELINE_RE.match(text)
                                    or _ZH_DATELINE_RE.match(text))


def _has_place(dateline: str) -> bool:
    return bool(re.match(r"^[(\[]?\s*[A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]*)*\s*,", dateline)) \
        and not dateline.lower().startswith(("updated", "date", "of ", "on "))


def _is_title_like(text: str) -> bool:
    """A heading line: capitalised, no final punctuation, not a list item."""
    first = text.lstrip("\"'“‘(《")[:1]
    return (bool(first) and (first.isupper() or first.isdigit() or bool(_HAN_RE.match(first))) and not _SENTENCE_END_RE.search(text)
            and not _CLAUSE_END_RE.search(text) and len(text) <= 250 and not _BULLET_RE.match(text))


def _is_structure(line: str) -> bool:
    return bool((_HEADING_RE.match(line) or _CN_HEADING_RE.match(line)) and len(line) <= 90) \
        or bool(_NUMBER_ONLY_RE.match(line))


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width a text is hard-wrapped at, or None when its lines are paragraphs (not wrapped).

    A wrapped text breaks most lines inside a sentence, at a steady width; an unwrapped one ends nearly
    every line with a sentence or clause.
    """
    body = [ln.text for ln in lines if not _is_structure(ln.text)]
    if len(body) < 3:
        return None
    lengths = sorted(len(t) for t in body)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    inside = sum(1 for t in body if not _SENTENCE_END_RE.search(t) and not re.search(r"[;:]$", t)
                 and len(t) >= 0.6 * width)
    if 50 <= width <= 130 and inside >= max(2, 0.3 * len(body)):
        return width
    return None


# -- the heading block ------------------------------------------------------------------------------------
def _header(lines: list[_Line], width: int | None) -> tuple[Header, int]:
    """The heading block at the top, and how many lines it takes."""
    limit = min(len(lines), 10)
    dated = next((n for n in range(limit) if _is_dateline(lines[n].text)
                  or (_PLACE_LINE_RE.match(lines[n].text) and n + 1 < len(lines)
                      and _is_dateline(lines[n + 1].text))), None)
    title: list[str] = []
    subtitles: list[str] = []
    notes: list[str] = []
    dateline: str | None = None
    n = 0
    while n < limit:
        line = lines[n]
        text = line.text
        if dateline is None and _PLACE_LINE_RE.match(text) and n + 1 < len(lines) and _is_dateline(lines[n + 1].text):
            dateline = f"{text} {lines[n + 1].text}"
            n += 2
            continue
        if _is_dateline(text):
            if dateline is None:
                dateline = text
            elif not _has_place(dateline) and _has_place(text):
                notes.append(dateline)  # "Updated: 2015-07-05" then "(Ombrin, July 05, 2015)"
                dateline = text
            else:
                notes.append(text)  # a second date ("2010/06/11" under "Tashkent, 10-11 June 2010")
            n += 1
            continue
        if _NOTE_RE.match(text) and len(text) <= 160 and (title or dateline):
            notes.append(text)
            n += 1
            continue
        continues = bool(title) and not line.blank_before and not subtitles and dateline is None \
            and text[:1].islower() and _is_title_like(text[:1].upper() + text[1:])
        if _is_structure(text) or _point(text) or not (_is_title_like(text) or continues):
            break
        before_date = dated is not None and n < dated
        wrapped_title = bool(title) and not line.blank_before and not subtitles and dateline is None \
            and not _starts_subtitle(text)
        if not (before_date or _stands_alone(lines, n, width)):
            break
        if wrapped_title:
            title.append(text)  # the title hard-wrapped over two lines
        elif not title:
            title.append(text)
        else:
            subtitles.append(text)
        n += 1
    return Header(fold(" ".join(title)) or None, tuple(subtitles), dateline, tuple(notes)), n


def _starts_subtitle(text: str) -> bool:
    return bool(re.match(r"^(?:Joint\s+)?(?:Declaration|Communiqu|Statement|Decision|Address)", text))


def _stands_alone(lines: list[_Line], n: int, width: int | None) -> bool:
    """A line that is a paragraph of its own: a blank line or a new paragraph follows, or it is short in a
    hard-wrapped text (a wrapped sentence would have filled it)."""
    if n + 1 >= len(lines) or lines[n + 1].blank_before:
        return True
    following = lines[n + 1].text
    if _is_dateline(following) or _is_structure(following) or _point(following):
        return True
    if lines[n + 1].indent > lines[n].indent:
        return True
    if width is None:
        return not following[:1].islower()
    return len(lines[n].text) < 0.75 * width


# -- paragraphs -------------------------------------------------------------------------------------------
def _paragraph_indent(lines: list[_Line]) -> int | None:
    """The indent that marks a paragraph's first line, when the text marks paragraphs that way."""
    body = [ln for ln in lines if not _is_structure(ln.text)]
    if len(body) < 3:
        return None
    base = min(ln.indent for ln in body)
    indented = sum(1 for ln in body if ln.indent > base)
    return base if 0 < indented < 0.7 * len(body) else None


def _breaks_before(prev: _Line, line: _Line, width: int | None, base_indent: int | None,
                   last_point: int | None) -> bool:
    """Whether `line` starts a new paragraph after `prev` (no blank line between them)."""
    text = line.text
    point = _point(text)
    if point:
        number = point[0]
        if _ends_sentence(prev.text):
            return True
        if number.isdigit() and last_point is not None and int(number) == last_point + 1:
            return True
    if base_indent is not None and line.indent > base_indent:
        return True
    if _BULLET_RE.match(text):
        return False  # list items stay in their sentence
    if width is not None:
        return _ends_sentence(prev.text) and len(prev.text) < 0.8 * width
    if _CLAUSE_END_RE.search(prev.text) or text[:1].islower():
        return False
    return not (prev.text.endswith(".") and not _ends_sentence(prev.text))  # "Mr." / "K." go on


_INLINE_POINT_RE = re.compile(r"(?<=[.!?:;])([\"'”’)\]]*) (\d{1,3})[.)] (?=[A-Z\"“‘(])")


def _inline_points(text: str, point: str | None, last: int | None) -> tuple[list[tuple[str, str | None]], int | None]:
    """Points run together into one paragraph ("... security. 2. The Member States ...") split again.

    Only the next number in sequence counts, so a figure in a sentence ("in 2. The") is left alone unless it
    continues the numbering.
    """
    out: list[tuple[str, str | None]] = []
    start = 0
    current = point
    for match in _INLINE_POINT_RE.finditer(text):
        number = int(match.group(2))
        if last is None or number != last + 1:
            continue
        out.append((text[start:match.start(2) - 1].strip(), current))
        start, current, last = match.end(), match.group(2), number
    out.append((text[start:].strip(), current))
    return [(t, n) for t, n in out if t], last


def recover(text: str) -> Structure:
    """A stored text as its heading block and located paragraphs."""
    lines = _lines(text)
    width = _wrap_width(lines)
    header, start = _header(lines, width)
    body = lines[start:]
    width = _wrap_width(body)  # measured again without the heading block's short lines
    base_indent = _paragraph_indent(body)
    current: list[str] = []
    section: str | None = None
    section_title: str | None = None
    pending_point: str | None = None
    point: str | None = None
    last_point: int | None = None
    out: list[Block] = []
    paragraph = 0

    def flush() -> None:
        nonlocal current, point, paragraph, last_point
        if current:
            pieces, last_point = _inline_points(fold(" ".join(current)), point, last_point)
            for text, number in pieces:
                paragraph += 1
                out.append(Block(text=text, section=section, section_title=section_title, paragraph=paragraph,
                                 point=number))
        current = []
        point = None

    prev: _Line | None = None
    for line in body:
        text = line.text
        expected = roman_value(section) + 1 if section else 1
        heading = _heading(text, expected)
        if heading:
            flush()
            section, section_title = heading
            paragraph = 0
            pending_point = None
            prev = None
            continue
        number_only = _NUMBER_ONLY_RE.match(text)
        if number_only and (line.blank_before or prev is None or _ends_sentence(prev.text)
                            or not prev.text[-1:].isalnum()):
            flush()
            pending_point = number_only.group("num")
            last_point = int(pending_point)
            prev = None
            continue
        new = line.blank_before or prev is None or not current or \
            _breaks_before(prev, line, width, base_indent, last_point)
        if new:
            flush()
            leading = _LEADING_SECTION_RE.match(text)
            if leading and roman_value(leading.group("num")) == expected and len(text) > 40:
                section, section_title = leading.group("num"), None
                paragraph = 0
                text = text[leading.end():]
            point, pending_point = pending_point, None
            numbered = _point(text)
            if numbered:
                point, text = numbered
                if point.isdigit():
                    last_point = int(point)
        current.append(text)
        prev = line
    flush()
    return Structure(header=header, blocks=out)


def blocks(text: str) -> list[Block]:
    """Split a stored text into located text paragraphs (the heading block is left out)."""
    return recover(text).blocks


def header(text: str) -> Header:
    """The heading block of a stored text (title, dateline, subtitles, notes)."""
    return recover(text).header
