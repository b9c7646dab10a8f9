"""Which publisher's layout a page is in, from its address when that helps and from the page itself when not.

A page reaches the tool from its publisher's host, from a mirror, from a saved file, or from a web archive
(``/web/<timestamp>id_/<original URL>``), so the host alone is not enough. :func:`choose_profile` tries, in
order: a profile the user forced (``--profile``), the host of the URL and of the final URL (archive
addresses unwrapped to the original host), the page's own address (canonical link, og:url, a browser's
"saved from" comment), the publisher's markers found in the page (:data:`MARKERS`), the publisher named in
the catalog, and last the generic cleanup. It says which of these decided, for the provenance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from sco_decl.errors import InputError
from sco_decl.ingest.profiles import GENERIC, PROFILES, Profile, profile_for

__all__ = ["Choice", "choose_profile", "unwrap_archive", "in_archive", "profile_named", "profile_names", "page_url", "MARKERS",
           "detect_by_markers"]

# /web/<timestamp>[id_|if_|...]/<original>; the original may have lost a slash of its scheme on the way.
_ARCHIVE_PATH = re.compile(r"^/web/(\d{8,14})(?:[a-z]{2}_)?/+((?:https?:/+)?[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:[/?#].*)?)$",
                           re.IGNORECASE)

#: Evidence of a publisher's layout inside a page: (regex, weight). A score of 2 or more decides. Patterns
#: are searched in the HTML (tags included), so class names and footers count as much as visible lines.
MARKERS: dict[str, tuple[tuple[str, int], ...]] = {
    "worldjpn": ((r"\[Full text\]", 2), (r"\[(?:Title|Place|Date|Source)\]\s", 1), (r"worldjpn", 2),
                 (r"The World and Japan", 2), (r"\[全文\]", 2), (r"\[(?:文件名称|日期|地点|出处)\]", 1),
                 (r"データベース『", 1)),
    "chinadaily": ((r"chinadaily\.com\.cn", 2), (r"\bChina Daily\b", 1), (r"Updated:\s*\d{4}-\d{2}-\d{2}", 1),
                   (r"\(China Daily \d{2}/\d{2}/\d{4} page ?\d+\)", 2), (r"Home \| BizChina \|", 2),
                   (r"[A-Z]{3,}&gt;\s*\w+", 1)),
    "china.org.cn": ((r"china\.org\.cn", 2), (r"China Internet Information Center", 2),
                     (r"following is the full text of the (?:document|declaration)", 1)),
    "kremlin": ((r"kremlin\.ru", 2), (r"Official website of the President of Russia", 2),
                (r"Президент России\s*[—-]\s*официальный сайт", 2), (r"Опубликован в разделах", 1),
                (r"Настройки отображения", 1), (r"Размер шрифта:", 1),
                (r"Select font\b", 1), (r"Character spacing \(Kerning\)", 2), (r"Publication status:", 1),
                (r"Regular version of the site", 1), (r"Published in sections?:", 1)),
    "cis-legislation": ((r"Document from CIS Legislation database", 2), (r"SojuzPravoInform", 2),
                        (r"cis-legislation\.com", 2)),
    "bjreview": ((r"bjreview\.com", 2), (r"Beijing Review", 2), (r"UPDATED:\s*\w+ \d{1,2}, \d{4} NO\. \d+", 2),
                 (r"Government Documents", 1)),
    "fmprc": ((r"fmprc\.gov\.cn", 2), (r"Ministry of Foreign Affairs of the People's Republic of China", 2),
              (r"Suggest To A Friend", 1), (r"العربية[\s\S]{0,200}Español[\s\S]{0,200}Русский", 2)),
    "mid.ru": ((r"\bmid\.ru\b", 2), (r"Министерство иностранных дел Российской Федерации", 2),
               (r"<p>\s*\d{1,2}\.\d{2}\.\d{2}\d{1,2}:\d{2}\s*</p>", 2), (r"на русском и английском языках", 1)),
    # The Russian and Chinese originals (profiles by the docs work; layouts in shared/catalog-originals.md).
    "mfa.uz": ((r"\bmfa\.uz\b", 2), (r"O'zbekcha\s*\|\s*Русский", 2), (r"Версия для слабовидящих", 1),
               (r"Телефон доверия", 1)),
    "pavlodar": ((r"pavlodar\.com", 2), (r"Законодательство\s*\|\s*Главная\s*\|\s*Поиск по базе", 2),
                 (r"Назад к списку", 1), (r"[А-Я][а-я]+ от \d{2}\.\d{2}\.\d{4} года", 1)),
    "cctv": ((r"cctv\.(?:com|cn)", 2), (r"\d{2}月\d{2}日 \d{2}:\d{2}\s*\|", 2)),
    "ifeng": ((r"ifeng\.com", 2), (r"凤凰网|鳳凰網", 2), (r"我要投票", 2), (r"热点搜索", 1)),
    "chinanews": ((r"chinanews\.com", 2), (r"中新網|中新网", 2), (r"left_zw", 1), (r"[（(]完[)）]", 1)),
    "china-sd": ((r"china-sd\.com", 2), (r"齐鲁网|齊魯網", 2), (r"TRS_Editor", 1), (r"当前位置：首页", 1),
                 (r"打印本页\s*关闭窗口", 1)),
}
_COMPILED = {name: tuple((re.compile(p, re.IGNORECASE), w) for p, w in marks) for name, marks in MARKERS.items()}
_PAGE_URL = re.compile(r"""<!-- saved from url=\(\d+\)(https?://[^\s>]+)|<link[^>]+rel=["']canonical["'][^>]+"""
                       r"""href=["'](https?://[^"']+)|<meta[^>]+property=["']og:url["'][^>]+content=["'](https?://[^"']+)""",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Choice:
    """The profile chosen for a page and what decided it (kept in the revision's provenance)."""

    profile: Profile
    reason: str


def unwrap_archive(url: str | None) -> tuple[str | None, str | None]:
    """A web-archive snapshot URL as (original URL, timestamp); any other URL as (url, None).

    The path decides, not the host, so a mirror of the archive (or a test's fake one) unwraps the same way.
    """
    if not url:
        return url, None
    match = _ARCHIVE_PATH.match(urlsplit(url).path + _query(url))
    if not match:
        return url, None
    original = re.sub(r"^(https?):/+", r"\1://", match.group(2), flags=re.IGNORECASE)
    if "://" not in original:
        original = "http://" + original
    return original, match.group(1)


def in_archive(snapshot: str, link: str) -> str:
    """The archive's address of ``link`` found on the archived page ``snapshot`` (relative links are joined to
    the original address, so a multi-page article's next page is asked of the archive, not of the lost host)."""
    original, stamp = unwrap_archive(snapshot)
    if not stamp or not original:
        return urljoin(snapshot, link)
    if urlsplit(link).path.startswith("/web/") and not urlsplit(link).netloc:
        return urljoin(snapshot, link)
    prefix = snapshot[:len(snapshot) - len(urlsplit(snapshot).path) - len(_query(snapshot))]
    marker = re.match(r"^/web/\d{8,14}(?:[a-z]{2}_)?/", urlsplit(snapshot).path, re.IGNORECASE)
    return prefix + (marker.group(0) if marker else "/") + urljoin(original, link)


def _query(url: str) -> str:
    parts = urlsplit(url)
    return (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def page_url(html: str) -> str | None:
    """The address a saved page came from (browser 'saved from' comment, canonical link, og:url)."""
    match = _PAGE_URL.search(html[:20000])
    return next((g for g in match.groups() if g), None) if match else None


def profile_names() -> list[str]:
    """The names ``--profile`` accepts."""
    return sorted({p.name for p in PROFILES.values()} | {GENERIC.name})


def profile_named(name: str) -> Profile:
    """The profile called ``name``; an unknown name is an error listing the known ones."""
    for profile in [*PROFILES.values(), GENERIC]:
        if profile.name == name:
            return profile
    raise InputError(f"--profile {name!r} is unknown; use one of {', '.join(profile_names())}")


def _by_host(url: str | None) -> Profile | None:
    original, _ = unwrap_archive(url)
    profile = profile_for(urlsplit(original).hostname if original else None)
    return None if profile is GENERIC else profile


def detect_by_markers(html: str) -> Profile | None:
    """The profile whose markers score highest in the page (at least 2), or None."""
    sample = html[:300_000]
    scores = {name: sum(w for rx, w in marks if rx.search(sample)) for name, marks in _COMPILED.items()}
    best = max(scores, key=lambda n: scores[n], default=None)
    if best is None or scores[best] < 2:
        return None
    return next((p for p in PROFILES.values() if p.name == best), None)


def _by_publisher(publisher: str | None) -> Profile | None:
    text = (publisher or "").lower()
    for host in re.findall(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", text):
        profile = _by_host(f"//{host}")
        if profile:
            return profile
    names = {profile.name: profile for profile in PROFILES.values()}
    return next((p for name, p in names.items() if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", text)),
                None)


def choose_profile(url: str | None, final_url: str | None = None, *, html: str | None = None,
                   publisher: str | None = None, forced: str | None = None) -> Choice:
    """The cleanup profile for a page, by the first of: forced name, host, page address, markers, publisher."""
    if forced:
        return Choice(profile_named(forced), "forced")
    for candidate, reason in ((url, "host"), (final_url, "final host")):
        profile = _by_host(candidate)
        if profile:
            archived = unwrap_archive(candidate)[1] is not None
            return Choice(profile, f"archived page's original {reason}" if archived else reason)
    if html:
        profile = _by_host(page_url(html))
        if profile:
            return Choice(profile, "page address")
        profile = detect_by_markers(html)
        if profile:
            return Choice(profile, "page markers")
    profile = _by_publisher(publisher)
    if profile:
        return Choice(profile, "publisher")
    return Choice(GENERIC, "default")
