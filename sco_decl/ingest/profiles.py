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

from sco_decl.ingest.pagecuts import cjk_punctuation, document_cutter, strip_pinyin

__all__ = ["Profile", "PROFILES", "GENERIC", "profile_for", "parse_date"]

Hook = Callable[[list[str]], list[str]]
# A page's blocks, the page URL and the catalog date -> the blocks of the wanted document (many-document pages).
Selector = Callable[[list[str], "str | None", "dt.date | None"], list[str]]

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MON = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
# Header-style place and date lines: "(Astana, July 05, 2005)", "Tashkent, 10-11 June 2010", "Moscow, May 29".
_DATE_TEXT = rf"(?:{_MON}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}(?:\s*-\s*\d{{1,2}})?\s+{_MON}\s+\d{{4}})"
PLACE_DATE = re.compile(rf"^\(?\s*([A-Z][\w .'-]{{1,40}}?),\s*({_DATE_TEXT})\s*\)?\.?$")


_RU_MONTHS = {m: i for i, m in enumerate(
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(), 1)}
_RU_MON = "(" + "|".join(_RU_MONTHS) + ")"


def _date_other_script(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of '2005年7月5日', '07.06.2002' or '17 июня 2004 года', else None."""
    match = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
    if match:
        return int(match.group(1)), int(match.group(2)), int(match.group(3))
    match = re.search(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.:])", text)
    if match:
        return int(match.group(3)), int(match.group(2)), int(match.group(1))
    match = re.search(rf"(\d{{1,2}})\s*{_RU_MON}\s+(\d{{4}})", text, re.IGNORECASE)
    if match:
        return int(match.group(3)), _RU_MONTHS[match.group(2).lower()], int(match.group(1))
    return None


def parse_date(text: str) -> dt.date | None:
    """A date in the forms pages use: 'June 7, 2004', '10-11 June 2010' (last day), '2010/06/11', ISO,
    and on the Russian and Chinese pages '07.06.2002', '17 июня 2004 года', '2005年7月5日'."""
    text = text.strip()
    match = re.search(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    other = None if match else _date_other_script(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif other:
        year, month, day = other
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
    whole lines anywhere. ``title_first``: the first remaining header line is the page's title. ``select``
    cuts one document out of a page that holds several (sco_decl.ingest.pagecuts).
    """

    name: str
    fields: tuple[tuple[str, str], ...] = ()
    drop: tuple[str, ...] = ()
    start_after: str | None = None
    stop_at: str | None = None
    title_first: bool = False
    head_lines: int = 8
    hook: Hook | None = None
    select: Selector | None = None
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
_RU_DATE_FIELD = (rf"^((?:г\.\s*[А-Я][\w-]+,?\s+)?\d{{1,2}}\s+{_RU_MON}\s+\d{{4}}(?:\s+года?)?)$", "date")
# A line of two or more Latin words and no Cyrillic: where an English version follows a Russian text.
_LATIN_ONLY_LINE = r"^(?=[^\u0400-\u04ff]{20,}$)(?=.*[A-Za-z]{3,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}).*$"
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

# ---------------------------------------------------------------- the Russian and Chinese originals
# Layouts described in ../shared/catalog-originals.md ("Page layouts"); tested on fictional loopback pages.
_ZH_LEAD = r"^.{0,300}全文如下[:：]?$"        # "... the full text follows:" (Xinhua / CNS lead)
# "(2005年7月5日，阿斯塔纳)": date first, place second; the lookahead hands the place to group 1 as
# place_date expects (place, date).
_ZH_DATE_PLACE = (r"^[（(](?=[^)）]*?[，,、]\s*([^)），,]{1,20}?)\s*[)）]$)(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
                  r"[^)）]*[)）]$", "place_date")
_ZH_FOOTER = r"^[【\[]?(?:责任编辑|責任編輯|编辑|編輯)[:：】\]]|^(?:相关新闻|相關新聞|相关专题|相關專題|打印本页|關閉窗口|关闭窗口)"
_CHINANEWS = Profile(
    name="chinanews",
    hook=strip_pinyin,
    start_after=_ZH_LEAD,
    title_first=True,
    fields=(_ZH_DATE_PLACE,),
    drop=(r"^[（(]完[)）]$",),
    stop_at=_ZH_FOOTER,
)
_ORIGINALS: dict[str, Profile] = {
    "mfa.uz": Profile(
        name="mfa.uz",
        select=document_cutter(r"^\d{4}/\d{1,2}/\d{1,2}$", r"декларац|declaration", parse_date),
        title_first=True,
        fields=((r"^(\d{4}/\d{1,2}/\d{1,2})$", "date"),),
        drop=(r"^(?:Телефон|Тел\.|Горячая линия|Консульск\w*|Факс|E-mail|Эл\. ?почта)\b.*$",
              r"^[\w.+-]+@[\w-]+\.[\w.]+$", r"^\+?\d[\d ()-]{6,}$",
              r"^(?:O'zbekcha|Ўзбекча|Русский|English)(?:\s*\|?\s*(?:O'zbekcha|Ўзбекча|Русский|English))*$",
              r"^(?:Версия для слабовидящих|Мобильная версия|Документы)$"),
        stop_at=r"^(?:©|Все права защищены)",
    ),
    "pavlodar.com": Profile(
        name="pavlodar",
        head_lines=4,
        fields=((r"^[А-Я][а-я]+\s+от\s+(\d{2}\.\d{2}\.\d{4})\s*(?:года|г\.)$", "date"),
                (r"^[\"«„]\s*(\S.{9,}?)\s*[\"»“]$", "title")),
        drop=(r"^(?:Законодательство|Главная|Поиск по базе)(?:\s*\|.*)?$",),
        stop_at=r"^(?:©|Copyright|Назад к списку)",
    ),
    "cctv.com": Profile(
        name="cctv",
        start_after=_ZH_LEAD,
        title_first=True,
        fields=((r"^(.+?)\s*[（(]全文[)）]\s*[|｜]?$", "page_title"),
                (r"^(\d{1,2}月\d{1,2}日\s+\d{1,2}:\d{2})\s*[|｜]?$", "posted")),
        # the title-and-time table may come out after the text: drop its lines wherever they are
        drop=(r"^[|｜\s]+$", r"^.+[（(]全文[)）]\s*[|｜]$", r"^\d{1,2}月\d{1,2}日\s+\d{1,2}:\d{2}\s*[|｜]$"),
        stop_at=_ZH_FOOTER,
    ),
    "ifeng.com": Profile(
        name="ifeng",
        start_after=_ZH_LEAD,
        title_first=True,
        fields=((r"^(\d{4}年\d{2}月\d{2}日(?:\s*\d{2}:\d{2})?)\b.*$", "posted"),),
        stop_at=_ZH_FOOTER,
    ),
    "chinanews.com": _CHINANEWS,
    "china-sd.com": Profile(
        name="china-sd",
        title_first=True,
        fields=((r"^(\d{4}-\d{2}-\d{2}(?:\s+\d{2}:\d{2}(?::\d{2})?)?)(?:\s+来源[:：].*)?$", "posted"),
                (r"^来源[:：]\s*(.+)$", "source")),
        drop=(r"^(?:当前位置[:：]\s*)?首页\s*[>＞].*$", r"^(?:首页|新闻|相约上合|权威发布)(?:\s*[|｜]\s*\S+)*$"),
        stop_at=_ZH_FOOTER,
    ),
}
# China News Service pages mirrored on unrelated domains (same paths as chinanews.com, pinyin inserted).
for _mirror in ("chinanews.com.cn", "nbnewpower.cn", "jiuxingjy.com", "fraudsandswindlers.com"):
    _ORIGINALS[_mirror] = _CHINANEWS
_ORIGINALS["cctv.cn"] = _ORIGINALS["cctv.com"]

PROFILES: dict[str, Profile] = {
    "worldjpn.net": Profile(
        name="worldjpn",
        # The Chinese pages (D<n>C) label the same fields in Chinese and write half-width punctuation.
        start_after=r"^\[(?:Full text|全文)\]$",
        hook=cjk_punctuation,
        fields=(
            (r"^\[(?:Title|文件名称|文件名稱)\]\s*(.+)$", "title"),
            (r"^\[(?:Place|地点|地點)\]\s*(.+)$", "place"),
            (r"^\[(?:Date|日期)\]\s*(.+)$", "date"),
            (r"^\[(?:Source|出处|出處)\]\s*(.+)$", "source"),
            (r"^\[(?:Notes|备註|备注|備註)\]\s*(.+)$", "notes"),
        ),
        drop=(r"^\[(?:Notes|备註|备注|備註)\]$",),
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
            _RU_DATE_FIELD,
        ),
        drop=(
            r"^Select font\b.*$", r"^Character spacing \(Kerning\).*$", r"^View settings$",
            r"^Font size:.*$", r"^Site colou?rs:.*$", r"^Official website of the President of Russia$",
            r"^News\s*/?$", r"^/$", r"^Regular version of the site$", r"^Images:.*$",
            # the Russian accessible pages (special.kremlin.ru)
            r"^Настройки отображения$", r"^Настройки$", r"^Размер шрифта:.*$", r"^Цвета сайта:.*$",
            r"^Изображения:?.*$", r"^Президент России\s*[—–-]\s*официальный сайт$", r"^Новости\s*/?$",
            r"^Обычная версия сайта$",
        ),
        stop_at=r"^(?:Publication status|Published in sections|Text version|Опубликован в разделах|"
                r"Статус материала|Текстовая версия)\b",
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
        fields=((r"^(.{0,120}(?:на русском и английском|in Russian and English).{0,120})$", "language_note"),
                (r"^(Принят[аоы]?\s.{0,120})$", "adopted")),
        drop=(r"^\d{1,2}\.\d{2}\.\d{2}\d{1,2}:\d{2}$",),
        # The page gives the Russian text, then the English one: the Russian edition ends where it begins.
        stop_at=_LATIN_ONLY_LINE,
    ),
    "carrotsandsticks.net": Profile(name="plain-text", hook=_bullets_to_paragraphs, title_first=True,
                                    fields=(_PLACE_FIELD, _TRANSLATION)),
}
PROFILES.update(_ORIGINALS)
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
