"""Web-archive copies of pages that have moved or vanished (the Internet Archive's Wayback Machine).

Many early declaration pages are gone from their sites. When a catalogued URL answers 404 or 410, its host no
longer resolves, or it sends a "page not found" page with status 200 (:func:`looks_missing`), fetch asks the
archive's availability API for the snapshot closest to the declaration's date (:func:`closest_snapshot`) and
downloads the original bytes: the ``id_`` form of the snapshot URL, which the archive serves without its
toolbar or rewritten links. The archive's base address is a parameter, so tests run a fake one on 127.0.0.1.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sco_decl.errors import FetchError
from sco_decl.ingest.download import Downloader

__all__ = ["Snapshot", "closest_snapshot", "looks_missing", "snapshot_url", "short_reason"]

# The Internet Archive documents its availability API on archive.org, its snapshots on web.archive.org.
_API_HOSTS = {"https://web.archive.org": "https://archive.org", "http://web.archive.org": "https://archive.org"}
_JSON_TYPES = ("application/json", "text/json", "text/javascript", "text/plain")
# A heading that says the page is gone; a bare number counts only at the start ("404 - Not Found", not
# "Statement on the 404 km railway").
_MISSING = re.compile(r"^\W*(?:error\W*)?(?:404|410)\b|\b(?:error|http)\s*(?:404|410)\b|\b(?:404|410)\s+error\b|"
                      r"\bnot\s+found\b|\bno\s+longer\s+(?:available|exists)\b|\bdoes\s+not\s+exist\b|"
                      r"\b(?:cannot|could\s+not)\s+be\s+found\b|\bhas\s+been\s+(?:removed|deleted)\b", re.IGNORECASE)
_HEADINGS = re.compile(r"<(title|h1|h2)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Snapshot:
    """One archived copy: the original URL, the archive's 14-digit timestamp and where its bytes are."""

    original: str
    timestamp: str
    url: str

    @property
    def date(self) -> str:
        """The snapshot's day, YYYY-MM-DD."""
        t = self.timestamp.ljust(8, "0")
        return f"{t[:4]}-{t[4:6]}-{t[6:8]}"

    def provenance(self, live_failure: str | None) -> dict[str, Any]:
        """What a revision records about an archived copy it was made from."""
        return {"original": self.original, "snapshot": self.url, "timestamp": self.timestamp,
                "snapshot_date": self.date, "live_failure": live_failure}


def short_reason(exc: BaseException) -> str:
    """An error's message on one line without the long API address it starts with (the archive is named
    by the caller)."""
    reason = " ".join(str(exc).split())
    return reason.split(": ", 1)[-1] if reason.startswith(("http://", "https://")) else reason


def snapshot_url(base: str, timestamp: str, original: str) -> str:
    """The ``id_`` address of a snapshot: the original bytes, no archive toolbar."""
    return f"{base.rstrip('/')}/web/{timestamp}id_/{original}"


def looks_missing(html: str) -> bool:
    """A 'not found' page sent with status 200 (a soft 404): its title or first heading says the page is gone."""
    headings = [re.sub(r"<[^>]+>", " ", text) for _, text in _HEADINGS.findall(html[:50_000])[:3]]
    return any(_MISSING.search(" ".join(h.split())) for h in headings)


def closest_snapshot(downloader: Downloader, base: str, url: str, when: dt.date | None) -> Snapshot | None:
    """The archived copy of ``url`` closest to ``when``, or None when the archive has none."""
    api = _API_HOSTS.get(base.rstrip("/").lower(), base.rstrip("/"))
    query = f"{api}/wayback/available?url={quote(url, safe='')}"
    if when:
        query += f"&timestamp={when:%Y%m%d}"
    page = downloader.get(query, kinds=_JSON_TYPES)
    try:
        data = json.loads(page.body.decode("utf-8"))
        closest = (data.get("archived_snapshots") or {}).get("closest") or {}
    except (UnicodeDecodeError, ValueError, AttributeError) as exc:
        raise FetchError(f"{query}: the archive's answer is not the JSON of its availability API") from exc
    timestamp = str(closest.get("timestamp") or "")
    if not closest.get("available", True) or not re.fullmatch(r"\d{4,14}", timestamp):
        return None
    if str(closest.get("status", "200")) not in ("200", ""):
        return None
    return Snapshot(original=url, timestamp=timestamp, url=snapshot_url(base, timestamp, url))
