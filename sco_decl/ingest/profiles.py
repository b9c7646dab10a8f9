"""Cleanup profiles: what each publisher's page carries besides the declaration, as data.

A profile says where the text starts and stops, which lines are header fields (kept as metadata) and which
are page furniture (dropped). Profiles are looked up by host in :data:`PROFILES`; a few publishers need a
small hook (kremlin splits place and date over two lines; plain-text copies mark paragraphs with bullet
glyphs), kept as functions referenced from the data. ../shared/sources.md describes each layout.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Profile", "PROFILES", "GENERIC", "profile_for", "parse_date"]

Hook = Callable[[list[str]], list[str]]

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MON = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
# Header-style place and date lines: "(Astana, July 05, 2005)", "Tashkent, 10-11 June 2010", "Moscow, May 29".
_DATE_TEXT = rf"(?:{_MON}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}(?:\s*-\s*\d{{1,2}})?\s+{_MON}\s+\d{{4}})"
PLACE_DATE = re.compile(rf"^\(?\s*([A-Z][\w .'-]{{1,40}}?),\s*({_DATE_TEXT})\s*\)?\.?$")


def parse_date(text: str) -> dt.date | None:
    """A date in the forms pages use: 'June 7, 2004', '10-11 June 2010' (last day), '2010/06/11', ISO."""
    text = text.strip()
    match = re.search(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.search(rf"{_MON}\s+(\d{{1,2}}),?\s+(\d{{4}})", text, re.IGNORECASE)
        if match:
            month, day, year = _MONTHS[match.group(1).lower()], int(match.group(2)), int(match.group(3))
        else:
            match = re.search(rf"(\d{{1,2}})\s+{_MON}\s+(\d{{4}})", text, re.IGNORECASE)
            if not match:
                return None
            day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class Profile:
    """How to clean one publisher's page.

    ``fields`` maps a regex (matched against whole lines in the header: before ``start_after``, or among the
    first ``head_lines`` lines) to the metadata key that receives its first group. ``drop`` patterns remove
    whole lines anywhere. ``title_first``: the first remaining header line is the page's title.
    """

    name: str
    fields: tuple[tuple[str, str], ...] = ()
    drop: tuple[str, ...] = ()
    start_after: str | None = None
    stop_at: str | None = None
    title_first: bool = False
    head_lines: int = 8
    hook: Hook | None = None
    dedupe_pages: bool = False
    compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    def rx(self, pattern: str) -> re.Pattern[str]:
        if pattern not in self.compiled:
            self.compiled[pattern] = re.compile(pattern, re.IGNORECASE)
        return self.compiled[pattern]


def _join_place_date(lines: list[str]) -> list[str]:
    """kremlin.ru splits 'Moscow,' and 'May 29, 2003' over two lines; rejoin them so PLACE_DATE matches."""
    out: list[str] = []
    for line in lines:
        last = next((i for i in range(len(out) - 1, -1, -1) if out[i]), None)
        if (last is not None and re.match(r"^[A-Z][\w .'-]{1,40},$", out[last])
                and re.match(rf"^{_DATE_TEXT}$", line)):
            out[last:] = [f"{out[last]} {line}"]
        else:
            out.append(line)
    return out


def _bullets_to_paragraphs(lines: list[str]) -> list[str]:
    """Plain-text copies put the whole document on one line with private-use bullets between items."""
    out: list[str] = []
    for line in lines:
        for part in re.split(r"\s*[\ue000-\uf8ff]+\s*", line):
            out.extend((part.strip(), ""))
    return out


_PLACE_FIELD = (PLACE_DATE.pattern, "place_date")
_TRANSLATION = (r"^((?:an? )?(?:unofficial |official )?(?:english )?translation\b.{0,80}|"
                r".{0,60}\btranslat(?:ion|ed) (?:by|from)\b.{0,60})$", "translation_note")

GENERIC = Profile(name="generic", fields=(_PLACE_FIELD, _TRANSLATION), head_lines=4)

_CHINADAILY = Profile(
    name="chinadaily",
    title_first=True,
    fields=(
        (r"^Updated:\s*(\d{4}-\d{2}-\d{2}(?: \d{1,2}:\d{2})?)$", "updated"),
        _PLACE_FIELD,
        _TRANSLATION,
        (r"^Editor'?s note:\s*(.+)$", "editors_note"),
    ),
    drop=(
        r"^[A-Z][A-Za-z ]*>\s*\S.*$",            # breadcrumbs: "CHINA> Background"
        r"^[|/]\s*$", r"^/\s*\w[\w ]*$",         # lone separators; print edition "/ Nation"
        r"^\((?:Xinhua|China Daily|Agencies|CRI|chinadaily\.com\.cn)\)$",
        r"^\(China Daily \d{2}/\d{2}/\d{4} page ?\d+\)$",     # print edition trailer
        r"^(?:[\w'&.-]+(?: [\w'&.-]+)?\s*\|\s*){2,}[\w'&.-]+(?: [\w'&.-]+)?$",  # "Home | BizChina | ..."
        r"^Editor'?s note:.*$",
    ),
    stop_at=r"^(?:Copyright|\(C\)|©)\s",
)

PROFILES: dict[str, Profile] = {
    "worldjpn.net": Profile(
        name="worldjpn",
        start_after=r"^\[Full text\]$",
        fields=(
            (r"^\[Title\]\s*(.+)$", "title"),
            (r"^\[Place\]\s*(.+)$", "place"),
            (r"^\[Date\]\s*(.+)$", "date"),
            (r"^\[Source\]\s*(.+)$", "source"),
            (r"^\[Notes\]\s*(.+)$", "notes"),
        ),
    ),
    "chinadaily.com.cn": _CHINADAILY,
    "china.org.cn": Profile(
        name="china.org.cn",
        start_after=r"^.*\bfollowing is the full text of the (?:document|declaration)\b.*:$",
        title_first=True,
        fields=(_PLACE_FIELD, _TRANSLATION),
        stop_at=r"^(?:Source:|\(Xinhua News Agency|Copyright)",
    ),
    "kremlin.ru": Profile(
        name="kremlin",
        title_first=True,
        hook=_join_place_date,
        head_lines=10,
        fields=(
            (r"^(.{0,200}\b(?:signed|adopted)\b.{0,200}\.)$", "intro"),
            _PLACE_FIELD,
            _TRANSLATION,
        ),
        drop=(
            r"^Select font\b.*$", r"^Character spacing \(Kerning\).*$", r"^View settings$",
            r"^Font size:.*$", r"^Site colou?rs:.*$", r"^Official website of the President of Russia$",
            r"^News\s*/?$", r"^/$", r"^Regular version of the site$", r"^Images:.*$",
        ),
        stop_at=r"^(?:Publication status|Published in sections|Text version)\b",
    ),
    "cis-legislation.com": Profile(
        name="cis-legislation",
        title_first=True,
        fields=(
            (r"^(Document from CIS Legislation database\b.*)$", "source"),
            (r"^of\s+(" + _DATE_TEXT + r")$", "date"),
        ),
    ),
    "bjreview.com.cn": Profile(
        name="bjreview",
        title_first=True,
        dedupe_pages=True,
        fields=((r"^UPDATED:\s*(.+)$", "updated"), _PLACE_FIELD, _TRANSLATION),
        drop=(r"^Government Documents$", r"^Share$", r"^Comments$", r"^Print\s*\|?.*$",
              r"^(?:Home|China|World|Business|Opinion|Lifestyle|Video|Documents)$"),
        stop_at=r"^(?:Copyright|©)\s",
    ),
    "fmprc.gov.cn": Profile(
        name="fmprc",
        title_first=True,
        fields=(_PLACE_FIELD, (r"^(\d{4}/\d{2}/\d{2})$", "posted")),
        drop=(r"^(?:العربية|Español|Русский|Français|中文|English|Arabic|Spanish|Russian|French|Chinese)$",
              r"^(?:(?:العربية|Español|Русский|Français|中文|English)\s*\|?\s*){2,}$"),
        stop_at=r"^(?:Suggest To A Friend|Print|Copyright)\b",
    ),
    "mid.ru": Profile(
        name="mid.ru",
        title_first=True,
        fields=((r"^(.{0,120}(?:на русском и английском|in Russian and English).{0,120})$", "language_note"),),
        drop=(r"^\d{1,2}\.\d{2}\.\d{2}\d{1,2}:\d{2}$",),
    ),
    "carrotsandsticks.net": Profile(name="plain-text", hook=_bullets_to_paragraphs, title_first=True,
                                    fields=(_PLACE_FIELD, _TRANSLATION)),
}
PROFILES["covid-19.chinadaily.com.cn"] = _CHINADAILY
PROFILES["en.special.kremlin.ru"] = PROFILES["kremlin.ru"]
PLAIN_TEXT = PROFILES["carrotsandsticks.net"]


def profile_for(host: str | None) -> Profile:
    """The profile of a host or of its nearest registered parent domain (www.x.com -> x.com)."""
    host = (host or "").lower().split(":")[0]
    while host:
        if host in PROFILES:
            return PROFILES[host]
        host = host.partition(".")[2]
    return GENERIC
