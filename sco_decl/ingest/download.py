"""Polite HTTP downloads and the raw-page archive that makes offline re-extraction possible.

One :class:`Downloader` serves a whole fetch run: it waits so that a host gets at most one request per
``min_interval`` seconds, retries transient failures (timeouts, connection errors, 5xx, 429) with
exponential backoff (or the server's Retry-After, up to a cap) but never a 404, refuses bodies over a size
limit while streaming, checks the content type, and sends conditional headers (ETag / Last-Modified) when
asked. ``timeout`` bounds the whole download of a URL, retries included (sco_decl.ingest.netpolicy), and
redirects are followed by hand, hop by hop, so each hop is checked and named in the provenance. Raw responses
are kept gzip-compressed beside a small JSON record of URL, headers, status and retrieval time
(:func:`store_raw`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import socket
import time
import zlib
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urljoin, urlsplit

import httpx

from sco_decl.errors import FetchError
from sco_decl.fsutil import atomic_write_bytes, atomic_write_text
from sco_decl.ingest.defaults import USER_AGENT, Settings
from sco_decl.ingest.netpolicy import Deadline, Resolver, bound_transport, redirect_refusal, resolve_host, retry_after

__all__ = ["Page", "Downloader", "PageGone", "downloading", "store_raw", "latest_raw", "load_raw_bodies"]

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
_RAW_LIMIT = 64 * 1024 * 1024  # a stored raw page never unpacks past this (a gzip bomb in raw/ stops here)
_RETRY_STATUS = {429, 500, 502, 503, 504}
_REDIRECT_STATUS = {301, 302, 303, 307, 308}
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class PageGone(FetchError):
    """The page is not there (404, 410, a host name that does not resolve, a 'not found' page sent as 200):
    the cases where a web-archive copy is worth asking for. ``kind`` says which."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


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
    redirects: list[dict[str, Any]] = field(default_factory=list)
    archive: dict[str, Any] | None = None     # set when the page is a web-archive copy (sco_decl.ingest.wayback)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Downloader:
    """Downloads pages with retries, per-host pacing and limits. ``sleep``/``clock``/``resolve`` are injectable
    (``resolve`` maps a host name to its addresses for the redirect check)."""

    settings: Settings = field(default_factory=Settings)
    client: httpx.Client | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    resolve: Resolver = resolve_host
    _last: dict[str, float] = field(default_factory=dict)
    _unresolved: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.client is None:
            self.client = httpx.Client(follow_redirects=False, timeout=self.settings.timeout,
                                       headers={"User-Agent": self.settings.user_agent},
                                       transport=bound_transport())

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

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            kinds: tuple[str, ...] = ACCEPTED_TYPES) -> Page:
        """Download ``url``; raise FetchError with a one-line reason when it cannot be had in time.
        ``kinds`` are the content types accepted (pages with text, unless an API's JSON is asked for)."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"{url}: not an http(s) URL")
        headers = {"User-Agent": self.settings.user_agent}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).netloc.lower()
        if host in self._unresolved:
            raise PageGone(f"{url}: {self._unresolved[host]} (host not reached earlier in this run; no network?)",
                           "dns")
        limit = self.settings.timeout
        deadline: float | None = None
        attempt = 0
        while True:
            attempt += 1
            self._pace(url)
            deadline = deadline or time.monotonic() + limit   # pacing is politeness, not the request's time
            try:
                page = self._follow(url, headers, deadline)
            except _TRANSIENT as exc:
                reason = "timed out" if isinstance(exc, httpx.TimeoutException) else f"connection failed ({exc})"
                if _name_not_resolved(exc):
                    # No DNS answer is not a passing fault worth seconds of backoff, and it will not change for
                    # the other editions on this host in this run: remember it (offline runs end quickly).
                    self._unresolved[host] = f"host name not resolved ({exc})"
                    raise PageGone(f"{url}: {self._unresolved[host]}; no network?", "dns") from exc
                failure = f"{url}: {reason} after {attempt} attempt{'s' if attempt > 1 else ''}"
                if attempt > self.settings.retries or deadline - time.monotonic() <= 0:
                    raise FetchError(f"{failure} (at most {limit:g} s for the whole request; "
                                     "--timeout sets it)") from exc
                wait = self.settings.backoff * 2 ** (attempt - 1)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:   # bad encoding, malformed response, ...
                raise FetchError(f"{url}: {exc}") from exc
            else:
                if page.status not in _RETRY_STATUS:
                    page.attempts = attempt
                    return self._check(page, kinds)
                failure = f"{url}: HTTP {page.status} after {attempt} attempt{'s' if attempt > 1 else ''}"
                if attempt > self.settings.retries:
                    raise FetchError(failure)
                asked = retry_after(page.headers.get("retry-after"))
                cap = self.settings.retry_after_cap
                if asked is not None and asked > cap:
                    raise FetchError(f"{url}: HTTP {page.status}; the server asks to retry after {asked:.0f} s, "
                                     f"more than the {cap:g} s this tool waits; try again later")
                wait = asked if asked is not None else self.settings.backoff * 2 ** (attempt - 1)
            if wait >= deadline - time.monotonic():
                raise FetchError(f"{failure}; no time left for another attempt within the {limit:g} s limit "
                                 "(--timeout sets it)")
            self.sleep(wait)

    def _follow(self, url: str, headers: dict[str, str], deadline: float) -> Page:
        """One attempt: the request and its redirects, each hop checked and recorded."""
        hops: list[dict[str, Any]] = []
        current = url
        Deadline.set(deadline)
        try:
            for _ in range(self.settings.max_redirects + 1):
                page = self._once(current, headers, deadline)
                location = page.headers.get("location")
                if page.status not in _REDIRECT_STATUS or not location:
                    page.url, page.redirects = url, hops
                    return page
                target = urljoin(current, location.strip())
                refusal = redirect_refusal(url, target, self.resolve)
                if refusal:
                    raise FetchError(f"{url}: {refusal}; not followed")
                hops.append({"url": current, "status": page.status, "location": target})
                current = target
        finally:
            Deadline.set(None)
        raise FetchError(f"{url}: too many redirects (more than {self.settings.max_redirects})")

    def _once(self, url: str, headers: dict[str, str], deadline: float) -> Page:
        assert self.client is not None
        with self.client.stream("GET", url, headers=headers, timeout=self.settings.timeout,
                                follow_redirects=False) as response:
            limit = self.settings.max_bytes
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url}: the page is {int(declared):,} bytes, over the limit of {limit:,}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"{url}: the page is over the size limit of {limit:,} bytes")
                if time.monotonic() > deadline:   # the network backend bounds reads; this bounds any transport
                    raise httpx.ReadTimeout("the time limit for the whole request was reached")
                chunks.append(chunk)
            retrieved = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            return Page(url=url, final_url=str(response.url), status=response.status_code,
                        headers={k.lower(): v for k, v in response.headers.items()}, body=b"".join(chunks),
                        retrieved=retrieved)

    def _check(self, page: Page, kinds: tuple[str, ...]) -> Page:
        if page.not_modified:
            return page
        if page.status in (404, 410):
            gone = " (not found)" if page.status == 404 else " (gone)"
            raise PageGone(f"{page.url}: HTTP {page.status}{gone}", str(page.status))
        if page.status >= 400:
            raise FetchError(f"{page.url}: HTTP {page.status}")
        kind = page.content_type.split(";")[0].strip().lower()
        if kind and kind not in kinds:
            raise FetchError(f"{page.url}: not a page with text (content type {kind})")
        if not page.body.strip():
            raise FetchError(f"{page.url}: the page is empty (HTTP {page.status}, 0 bytes of text)")
        return page


@contextmanager
def downloading(downloader: Downloader | None, settings: Settings | None = None) -> Iterator[Downloader]:
    """The downloader given (left open for its owner), or a new one for this run, closed at the end."""
    if downloader is not None:
        yield downloader
        return
    own = Downloader(settings or Settings())
    try:
        yield own
    finally:
        own.close()


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
        fields = {k: item[k] for k in ("url", "final_url", "status", "headers", "retrieved", "redirects",
                                   "archive")
                  if k in item}
        pages.append(Page(body=body, **fields))
    return pages
