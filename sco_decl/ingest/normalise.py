"""The one text normalisation applied to every extracted source (fetched page, HTML/PDF/DOCX file).

Every extracted text passes through :func:`normalise_text`, so two editions differ only in wording, never in
invisible characters or line layout. (A plain-text file is stored as given; the store only unifies its line
endings, with `store.files.normalise_newlines`, the one newline normaliser, which rule 1 also uses.)
The rules, applied in this order:

1. Line endings: CRLF and CR become LF (`normalise_newlines`); U+2028 (line separator) becomes LF; U+2029 (paragraph separator)
   and form feed become a blank line.
2. Unicode NFC composition.
3. Invisible characters are removed: private-use glyphs (category Co, e.g. bullet glyphs of plain-text
   copies), format characters (category Cf: zero-width space, BOM, soft hyphen, ...; except the zero-width
   joiner/non-joiner) and control characters other than LF and TAB.
4. Whitespace is folded: every other whitespace character (TAB, NBSP, ideographic space, ...) becomes a
   space, runs of spaces become one, and each line is stripped.
5. Paragraphs are the blocks between blank lines; several blank lines count as one. The output separates
   paragraphs by exactly one blank line and ends with one LF (an empty text stays empty).
6. Section numerals stand alone: a line that is only a Roman numeral (I to XXXIX, optionally followed by
   `.` or `)`) becomes its own paragraph, and a paragraph starting `II. ` or `II) ` followed by text is
   split after the numeral. The numeral is kept as written.
7. Hard-wrapped lines are joined: inside a paragraph, a line break is replaced by a space when the text
   gathered so far on that line is at least :data:`WRAP_MIN` characters long and the next line either
   starts with a lowercase letter or continues a sentence (the line does not end with `.`, `!`, `?`, `:`
   or `;`, optionally followed by closing quotes or brackets, and the next line is not a list item
   starting with `-`, `*`, a bullet or a number such as `3.`/`3)`). Between two CJK characters the join
   adds no space. Any other line break inside a paragraph is kept as a single LF.

The function is idempotent: ``normalise_text(normalise_text(t)) == normalise_text(t)``.
"""

from __future__ import annotations

import re
import unicodedata

from sco_decl.store.files import normalise_newlines

__all__ = ["WRAP_MIN", "normalise_text", "is_section_numeral", "join_hard_wraps"]

#: A line shorter than this is never treated as hard-wrapped (short lines end on purpose).
WRAP_MIN = 55

_KEEP_CF = {"\u200c", "\u200d"}
_NUMERAL = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_NUMERAL_LINE = re.compile(rf"^{_NUMERAL}[.)]?$")
_NUMERAL_LEAD = re.compile(rf"^({_NUMERAL}[.)])\s+(\S.*)$")
_SENTENCE_END = re.compile(r"[.!?:;。！？；：][\"'”’»)\]]*$")
_LIST_ITEM = re.compile(r"^(?:[-*•–—]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)])(?:\s|$)")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_RUN = re.compile(r"\n\s*\n")


def _clean_char(ch: str) -> str:
    if ch == "\n":
        return ch
    if ch.isspace():
        return " "
    category = unicodedata.category(ch)
    if category == "Co" or category == "Cc" or (category == "Cf" and ch not in _KEEP_CF):
        return ""
    return ch


def is_section_numeral(line: str) -> bool:
    """True when a whole line is a Roman section numeral (``I``, ``II.``, ``XIV)``)."""
    return bool(_NUMERAL_LINE.match(line.strip()))


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and ch.isalnum()


def _continues(line: str, following: str) -> bool:
    if len(line) < WRAP_MIN or not following:
        return False
    if following[0].islower():
        return True
    return not _SENTENCE_END.search(line) and not _LIST_ITEM.match(following)


def join_hard_wraps(lines: list[str]) -> list[str]:
    """Join lines that were wrapped inside one paragraph (rule 7); lines are already stripped."""
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line):
            sep = "" if _is_cjk(out[-1][-1]) and _is_cjk(line[0]) else " "
            out[-1] = out[-1] + sep + line
        else:
            out.append(line)
    return out


def _split_numerals(lines: list[str]) -> list[list[str]]:
    """Cut one paragraph's lines into paragraphs so that each section numeral stands alone (rule 6). The text
    after a leading numeral starts a paragraph, so it is looked at again: "I. II. Text" is three paragraphs
    (otherwise a second pass would split it further, and normalisation would not be idempotent)."""
    groups: list[list[str]] = [[]]
    queue = list(reversed(lines))
    while queue:
        line = queue.pop()
        lead = _NUMERAL_LEAD.match(line) if not groups[-1] else None
        if is_section_numeral(line):
            if groups[-1]:
                groups.append([])
            groups[-1].append(line)
            groups.append([])
        elif lead:
            groups[-1].append(lead.group(1))
            groups.append([])
            queue.append(lead.group(2))
        else:
            groups[-1].append(line)
    return [g for g in groups if g]


def normalise_text(text: str) -> str:
    """Return ``text`` normalised by the rules in this module's docstring."""
    text = normalise_newlines(text).replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\f", "\n\n")
    text = unicodedata.normalize("NFC", text)
    text = "".join(_clean_char(ch) for ch in text)
    text = _SPACES.sub(" ", text)
    paragraphs: list[str] = []
    for block in _BLANK_RUN.split(text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        for group in _split_numerals(lines):
            paragraphs.append("\n".join(join_hard_wraps(group)))
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
