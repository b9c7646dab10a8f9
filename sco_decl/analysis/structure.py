"""Declaration structure: paragraphs, section numerals and point numbers, before any NLP.

Declarations number their sections (I, II, ...) and points ("3."); those are locators, not sentences.
This module turns a stored text into blocks that know their section and paragraph, so every sentence can
be cited ("§II ¶3"). Rules (shared with the fixtures, see notes/fixtures.md):
- paragraphs are separated by blank lines; single newlines inside one are folded into spaces;
- a paragraph that is only a Roman numeral (optionally with '.' and a short title without final
  punctuation) starts a section and is not text;
- a paragraph that is only a number ("3." / "3)") gives its number to the next paragraph;
- a leading point number ("3. ", "3) ", "a) ") is stripped and kept as the paragraph's point.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_BLANK_RE = re.compile(r"\n[ \t\u00a0]*\n\s*")
_ROMAN = r"(?=[IVXLC])M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
_HEADING_RE = re.compile(rf"^(?:(?i:section|part|chapter)\s+)?(?P<num>{_ROMAN})\s*[.)]?"
                         rf"(?:\s+(?P<title>[^.!?;:]{{1,80}}))?$")
_NUMBER_ONLY_RE = re.compile(r"^(?P<num>\d{1,3})\s*[.)．、]?$")
_POINT_RE = re.compile(r"^(?P<num>\d{1,3}|[a-z])[.)]\s+(?=\S)")
# Chinese texts number sections 一、二、 (optionally 第一部分 and a short title) and points 1． 1、 （一） (1),
# with no space after; the numerals become Roman (sections) and Arabic (points) so that a Chinese text and
# its translation cite the same "§II ¶3" (the cross-lingual aligner uses them as anchors).
_CN_DIGITS = "〇一二三四五六七八九十"
_CN_HEADING_RE = re.compile(rf"^第?(?P<num>[{_CN_DIGITS}]{{1,3}})(?:部分)?(?:\s*$|\s*[、.．]\s*"
                            rf"(?P<title>[^。！？；：.!?;:]{{1,40}})$)")
_CN_POINT_RE = re.compile(rf"^(?:[（(](?P<paren>\d{{1,3}}|[{_CN_DIGITS}]{{1,3}})[)）]|(?P<num>\d{{1,3}})[．、])\s*"
                          rf"(?=\S)")


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
        para = f"¶{self.paragraph}"
        return f"§{self.section} {para}" if self.section else para


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


def _heading(paragraph: str, expected: int) -> tuple[str, str | None] | None:
    """A Roman numeral heading (section number, optional title), or None for a text paragraph.

    A one-letter numeral with a title ("V. Marrow") is more often an initial in a signature than a
    heading, so it counts only when it is the next section number expected. A Chinese numeral heading
    (一、) is given as its Roman numeral.
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


def blocks(text: str) -> list[Block]:
    """Split a stored text into located text paragraphs."""
    out: list[Block] = []
    section: str | None = None
    section_title: str | None = None
    paragraph = 0
    pending_point: str | None = None
    for raw in _BLANK_RE.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        para = fold(raw)
        if not para:
            continue
        heading = _heading(para, roman_value(section) + 1 if section else 1)
        if heading:
            section, section_title = heading
            paragraph = 0
            pending_point = None
            continue
        number_only = _NUMBER_ONLY_RE.match(para)
        if number_only:
            pending_point = number_only.group("num")
            continue
        point = pending_point
        pending_point = None
        match = _POINT_RE.match(para)
        chinese = None if match else _CN_POINT_RE.match(para)
        if match:
            point = match.group("num")
            para = para[match.end():]
        elif chinese:
            number = chinese.group("paren") or chinese.group("num")
            point = number if number.isdigit() else str(chinese_number(number))
            para = para[chinese.end():]
        paragraph += 1
        out.append(Block(text=para, section=section, section_title=section_title, paragraph=paragraph,
                         point=point))
    return out
