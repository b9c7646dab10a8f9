"""Line repairs and cuts that the Russian and Chinese publishers' pages need (used by their profiles).

- China News Service mirrors run a simplified-to-traditional converter that writes the pinyin of some
  characters after them in brackets ("會(huì )"); :func:`strip_pinyin` deletes those insertions and turns the
  mirrors' ``━━`` into the Chinese dash.
- worldjpn's Chinese pages use half-width punctuation with spaces and ASCII zeros inside Chinese numerals
  (二00一年); :func:`cjk_punctuation` writes them as a Chinese text would, so witnesses can be compared.
- Several publishers (the Uzbek foreign ministry) put many documents on one page, each a title followed by a
  date line; :func:`cut_document` keeps the one that is wanted, chosen by its title.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable
from urllib.parse import unquote, urlsplit

from sco_decl.errors import FetchError

__all__ = ["strip_pinyin", "cjk_punctuation", "cut_document", "document_cutter"]

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# One pinyin syllable in brackets right after a Han character: an initial, a final with or without tone
# marks, optional trailing space inside the bracket. Uppercase or multi-word brackets ("(SCO)") are kept.
_PINYIN = re.compile(
    rf"(?<={_HAN})[(（]\s*(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv{_TONED}][a-z{_TONED}]{{0,4}}\s*[)）]")


def strip_pinyin(lines: list[str]) -> list[str]:
    """Delete bracketed pinyin inserted after Han characters; ``━━`` becomes the Chinese dash ``——``."""
    return [_PINYIN.sub("", line).replace("━━", "——") for line in lines]


_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def _numeral_zeros(line: str) -> str:
    """二00一年 -> 二〇〇一年: ASCII zeros standing inside a number written in Chinese numerals."""
    previous = None
    while previous != line:
        previous = line
        line = re.sub(r"(?<=[〇一二三四五六七八九十])0|0(?=[〇一二三四五六七八九十])", "〇", line)
    return line


def cjk_punctuation(lines: list[str]) -> list[str]:
    """Half-width punctuation next to Han characters becomes full-width; ``--`` becomes ``——``; ASCII
    quotes around Chinese become “”; lines without Han characters are left as they are (English pages)."""
    out = []
    for line in lines:
        if not re.search(_HAN, line):
            out.append(line)
            continue
        line = _numeral_zeros(line).replace("--", "——")
        line = re.sub(rf"(?:(?<={_HAN})|(?<=[”」』，。：；]))\s*\(\s*|\s*\(\s*(?={_HAN})", "（", line)
        line = re.sub(rf"（([^()（）]*?)\s*\)\s*", r"（\1）", line)
        line = re.sub(rf"(?<={_HAN}|[）”」』])\s*([,;:?!])\s*", lambda m: _HALF_TO_FULL[m.group(1)], line)
        line = re.sub(rf"(?<={_HAN})\.(\s+|$)", "。", line)
        quotes = iter(["“", "”"] * line.count('"'))
        line = re.sub(r'\s*"\s*', lambda m: next(quotes), line) if line.count('"') % 2 == 0 else line
        out.append(line)
    return out


def _fragment_title(url: str | None) -> str | None:
    """The document title a catalog URL names after '#', e.g. ...documents/?print=Y#Декларация о ..."""
    fragment = urlsplit(url).fragment if url else ""
    return " ".join(unquote(fragment).split()) or None


def cut_document(lines: list[str], date_line: str, *, title: str | None, kind: str,
                 expected: dt.date | None, parse: Callable[[str], dt.date | None]) -> list[str]:
    """The one document of a many-document page: a title line whose next non-empty line matches
    ``date_line`` starts a document, which runs to the next such title. Chosen by ``title`` (a prefix,
    case-insensitive) when given, else the document dated ``expected`` whose title matches ``kind``
    (a declaration, not the convention signed the same day). A page with no such pairs is returned as is."""
    rx = re.compile(date_line)
    filled = [i for i, line in enumerate(lines) if line.strip()]
    starts = [i for i, j in zip(filled, filled[1:]) if rx.match(lines[j].strip()) and not rx.match(lines[i].strip())]
    if len(starts) < 2 and title is None:
        return lines
    spans = list(zip(starts, starts[1:] + [len(lines)]))

    def date_of(start: int) -> dt.date | None:
        following = next(j for j in filled if j > start)
        return parse(lines[following].strip())

    if title:
        wanted = " ".join(title.split()).casefold()
        chosen = [s for s in spans if " ".join(lines[s[0]].split()).casefold().startswith(wanted)]
    else:
        chosen = [s for s in spans if expected is None or date_of(s[0]) == expected]
        chosen = [s for s in chosen if re.search(kind, lines[s[0]], re.IGNORECASE)] or chosen
    if not chosen:
        listed = "; ".join(f"{lines[a].strip()} ({lines[next(j for j in filled if j > a)].strip()})"
                           for a, _ in spans[:8])
        wanted_text = f"titled {title!r}" if title else f"dated {expected.isoformat() if expected else '?'}"
        raise FetchError(f"the page holds {len(spans)} documents and none is {wanted_text} (found: {listed}); "
                         "name the title after '#' in the catalog URL")
    start, end = chosen[0]
    return lines[start:end]


def document_cutter(date_line: str, kind: str, parse: Callable[[str], dt.date | None]
                    ) -> Callable[[list[str], str | None, dt.date | None], list[str]]:
    """A profile's ``select`` hook over the page's blocks: cut the wanted document (see cut_document)."""
    def select(blocks: list[str], url: str | None, expected: dt.date | None) -> list[str]:
        lines = [line for block in blocks for line in (*block.split("\n"), "")]
        kept = cut_document(lines, date_line, title=_fragment_title(url), kind=kind, expected=expected, parse=parse)
        return ["\n".join(kept)] if kept is not lines else blocks
    return select
