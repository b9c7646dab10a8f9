"""`fetch --check`: is each catalogued edition's page still there, and is there an archived copy?

Pages of the early summits move and vanish; a catalog is only as good as the links in it. This asks, per
edition, the live URL (a full GET through the same downloader, so redirects, limits and soft-404 pages count
as they would in a fetch) and the web archive's availability API, and stores nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from sco_decl.errors import FetchError
from sco_decl.ingest.defaults import Settings
from sco_decl.ingest.download import Downloader, downloading
from sco_decl.ingest.encodings import decode_bytes
from sco_decl.ingest.fetch import Progress, each_edition, selection
from sco_decl.ingest.wayback import closest_snapshot, looks_missing, short_reason
from sco_decl.store.corpus import Corpus

__all__ = ["Reach", "check_editions"]


@dataclass
class Reach:
    """Whether one edition's live page and an archived copy could be had, each with a short reason."""

    declaration: str
    edition: str
    url: str | None
    live_ok: bool
    live: str
    archive_ok: bool
    archived: str

    @property
    def ok(self) -> bool:
        return self.live_ok or self.archive_ok


def _live(downloader: Downloader, url: str) -> tuple[bool, str]:
    try:
        page = downloader.get(url)
    except FetchError as exc:
        return False, " ".join(str(exc).replace(f"{url}: ", "", 1).split())
    if "html" in page.content_type or not page.content_type:
        if looks_missing(decode_bytes(page.body, page.content_type).text):
            return False, f"a 'not found' page (HTTP {page.status})"
    moved = f", moved to {page.final_url}" if page.final_url != url else ""
    return True, f"ok (HTTP {page.status}{moved})"


def _archived(downloader: Downloader, archive: str | None, url: str, when: dt.date | None) -> tuple[bool, str]:
    if not archive:
        return False, "not asked (--no-archive)"
    try:
        snapshot = closest_snapshot(downloader, archive, url, when)
    except FetchError as exc:
        return False, f"archive not reached ({short_reason(exc)})"
    if snapshot is None:
        return False, "no archived copy"
    return True, f"{snapshot.date} {snapshot.url}"


def check_editions(corpus: Corpus, ids: Iterable[str] = (), *, edition: str | None = None,
                   settings: Settings | None = None, downloader: Downloader | None = None,
                   archive: str | None = None, progress: Progress | None = None) -> list[Reach]:
    """One :class:`Reach` per catalogued edition of ``ids`` (all declarations when empty)."""
    found: list[Reach] = []
    with downloading(downloader, settings) as session:
        for decl, info, name in each_edition(selection(corpus, ids, edition), progress):
            if info is None or not info.url:
                why = f"{decl.id} has no catalogued edition {name!r}" if info is None else "no URL in the catalog"
                found.append(Reach(decl.id, name, None, False, why, False, "not asked"))
                continue
            live_ok, live = _live(session, info.url)
            archive_ok, archived = _archived(session, archive, info.url, decl.date)
            found.append(Reach(decl.id, name, info.url, live_ok, live, archive_ok, archived))
    return found
