"""Polite HTTP downloads and the raw-page archive that makes offline re-extraction possible.

One :class:`Downloader` serves a whole fetch run: it waits so that a host gets at most one request per
``min_interval`` seconds, retries transient failures (timeouts, connection errors, 5xx, 429) with
exponential backoff but never a 404, refuses bodies over a size limit while streaming, checks the content
type, and sends conditional headers (ETag / Last-Modified) when asked. Raw responses are kept gzip-compressed
beside a small JSON record of URL, headers, status and retrieval time (:func:`store_raw`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import socket
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import httpx

from sco_decl._version import __version__
from sco_decl.errors import FetchError
from sco_decl.fsutil import atomic_write_bytes, atomic_write_text

__all__ = ["Settings", "Page", "Downloader", "store_raw", "latest_raw", "load_raw_bodies", "USER_AGENT"]

USER_AGENT = f"sco-decl/{__version__} (+research tool)"
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
_RAW_LIMIT = 64 * 1024 * 1024  # a stored raw page never unpacks past this (a gzip bomb in raw/ stops here)
_RETRY_STATUS = {429, 500, 502, 503, 504}
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class Settings:
    """Knobs of a fetch run; the defaults are what a real run should use."""

    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    min_interval: float = 1.0
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = USER_AGENT


@dataclass
class Page:
    """A complete response: status, final URL after redirects, headers, body and when it was retrieved."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    retrieved: str
    attempts: int = 1

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Downloader:
    """Downloads pages with retries, per-host pacing and limits. ``sleep``/``clock`` are injectable."""

    settings: Settings = field(default_factory=Settings)
    client: httpx.Client | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict)
    _unresolved: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.client is None:
            self.client = httpx.Client(follow_redirects=True, timeout=self.settings.timeout,
                                       headers={"User-Agent": self.settings.user_agent})

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

    def _pace(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            wait = self.settings.min_interval - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Page:
        """Download ``url``; raise FetchError with a one-line reason when it cannot be had."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"{url}: not an http(s) URL")
        headers = {"User-Agent": self.settings.user_agent}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).netloc.lower()
        if host in self._unresolved:
            raise FetchError(f"{url}: {self._unresolved[host]} (host not reached earlier in this run; no network?)")
        attempt = 0
        while True:
            attempt += 1
            self._pace(url)
            try:
                page = self._once(url, headers)
            except _TRANSIENT as exc:
                reason = "timed out" if isinstance(exc, httpx.TimeoutException) else f"connection failed ({exc})"
                if _name_not_resolved(exc):
                    # No DNS answer is not a passing fault worth seconds of backoff, and it will not change for
                    # the other editions on this host in this run: remember it (offline runs end quickly).
                    self._unresolved[host] = f"host name not resolved ({exc})"
                    raise FetchError(f"{url}: {self._unresolved[host]}; no network?") from exc
                if attempt > self.settings.retries:
                    raise FetchError(f"{url}: {reason} after {attempt} attempts") from exc
            except (httpx.HTTPError, httpx.InvalidURL) as exc:   # too many redirects, bad encoding, ...
                raise FetchError(f"{url}: {exc}") from exc
            else:
                if page.status not in _RETRY_STATUS:
                    page.attempts = attempt
                    return self._check(page)
                if attempt > self.settings.retries:
                    raise FetchError(f"{url}: HTTP {page.status} after {attempt} attempts")
            self.sleep(self.settings.backoff * 2 ** (attempt - 1))

    def _once(self, url: str, headers: dict[str, str]) -> Page:
        assert self.client is not None
        with self.client.stream("GET", url, headers=headers, timeout=self.settings.timeout) as response:
            limit = self.settings.max_bytes
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url}: the page is {int(declared):,} bytes, over the limit of {limit:,}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"{url}: the page is over the size limit of {limit:,} bytes")
                chunks.append(chunk)
            retrieved = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            return Page(url=url, final_url=str(response.url), status=response.status_code,
                        headers={k.lower(): v for k, v in response.headers.items()}, body=b"".join(chunks),
                        retrieved=retrieved)

    def _check(self, page: Page) -> Page:
        if page.not_modified:
            return page
        if page.status >= 400:
            raise FetchError(f"{page.url}: HTTP {page.status}{' (not found)' if page.status == 404 else ''}")
        kind = page.content_type.split(";")[0].strip().lower()
        if kind and kind not in ACCEPTED_TYPES:
            raise FetchError(f"{page.url}: not a page with text (content type {kind})")
        if not page.body.strip():
            raise FetchError(f"{page.url}: the page is empty (HTTP {page.status}, 0 bytes of text)")
        return page


def _name_not_resolved(exc: BaseException) -> bool:
    """True when a connection failed because the host name has no address (socket.gaierror underneath)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# ---------------------------------------------------------------- the raw archive
def _stamp(retrieved: str) -> str:
    return retrieved.replace("-", "").replace(":", "")


def store_raw(raw_dir: Path, pages: list[Page]) -> Path:
    """Keep the pages of one retrieval: bodies as ``<sha16>.gz`` (written once), a JSON record per fetch."""
    records = []
    for page in pages:
        digest = hashlib.sha256(page.body).hexdigest()
        body_path = raw_dir / f"{digest[:16]}.gz"
        if not body_path.exists():
            atomic_write_bytes(body_path, gzip.compress(page.body, mtime=0))
        record = {k: v for k, v in asdict(page).items() if k != "body"}
        records.append({**record, "body": body_path.name, "sha256": digest, "bytes": len(page.body)})
    stamp = _stamp(pages[0].retrieved)
    path = raw_dir / f"{stamp}.json"
    n = 1
    while path.exists():
        n += 1
        path = raw_dir / f"{stamp}-{n}.json"
    atomic_write_text(path, json.dumps({"tool": USER_AGENT, "pages": records}, indent=2, ensure_ascii=False))
    return path


def latest_raw(raw_dir: Path) -> dict[str, Any] | None:
    """The newest raw record of an edition (with its file name under ``"file"``), or None."""
    records = sorted(raw_dir.glob("*.json")) if raw_dir.is_dir() else []
    if not records:
        return None
    newest = max(records, key=lambda p: (p.stem.split("-")[0], int(p.stem.split("-")[1]) if "-" in p.stem else 1))
    try:
        data = json.loads(newest.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FetchError(f"{newest}: the raw page record is damaged ({type(exc).__name__}); delete it and "
                         "fetch the edition again") from exc
    pages = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages, list) or not pages or not all(isinstance(p, dict) and isinstance(p.get("body"), str)
                                                           for p in pages):
        raise FetchError(f"{newest}: the raw page record has no list of pages with bodies; delete it and fetch "
                         "the edition again")
    data["file"] = newest.name
    return data


def load_raw_bodies(raw_dir: Path, record: dict[str, Any]) -> list[Page]:
    """The pages of a raw record, bodies decompressed, ready for extraction again."""
    pages = []
    for item in record["pages"]:
        path = raw_dir / item["body"]
        try:
            with gzip.open(path) as stream:
                body = stream.read(_RAW_LIMIT + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise FetchError(f"{path}: the stored raw page is missing or damaged; fetch it again") from exc
        if len(body) > _RAW_LIMIT:
            raise FetchError(f"{path}: the stored raw page unpacks to more than {_RAW_LIMIT:,} bytes; "
                             "delete it and fetch the edition again")
        fields = {k: item[k] for k in ("url", "final_url", "status", "headers", "retrieved") if k in item}
        pages.append(Page(body=body, **fields))
    return pages
