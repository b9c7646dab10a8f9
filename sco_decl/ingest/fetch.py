"""Fetch the catalogued editions: download, keep the raw page, extract, store a revision with provenance.

One failing edition never stops the others: each gets an :class:`Outcome` (new revision, unchanged, not
modified, already present, raw only, or failed with the reason). Without ``refresh`` an edition that has
text is not downloaded again; with it the page is re-requested conditionally (ETag / Last-Modified), and a
changed page becomes a new revision. :func:`reextract` rebuilds a revision from the stored raw page, so a
better extractor needs no network. The library reports progress through a callback and never prints.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

from sco_decl._version import __version__
from sco_decl.ingest import defaults
from sco_decl.ingest.documents import read_docx, read_pdf
from sco_decl.ingest.defaults import Settings
from sco_decl.ingest.download import (Downloader, Page, PageGone, downloading, latest_raw, load_raw_bodies,
                                      store_raw)
from sco_decl.ingest.encodings import decode_bytes
from sco_decl.errors import FetchError, NoTextError, NotFoundError, ScoDeclError
from sco_decl.ingest.extract import Extraction, extract_html, extract_plain, next_pages
from sco_decl.store.model import Declaration, EditionInfo
from sco_decl.ingest.outcome import Outcome
from sco_decl.ingest.layout import choose_profile
from sco_decl.ingest.wayback import closest_snapshot, looks_missing, short_reason
from sco_decl.store.corpus import Corpus

__all__ = ["fetch_editions", "reextract", "extract_pages", "extract_file", "Progress",
           "selection", "each_edition", "add_url"]

Progress = Callable[[int, int, str], None]
_MAX_PAGES = 10

def _kind(page: Page) -> str:
    ctype = page.content_type.split(";")[0].strip().lower()
    path = urlsplit(page.final_url).path.lower()
    if ctype == "application/pdf" or page.body.startswith(b"%PDF") or path.endswith(".pdf"):
        return "pdf"
    if ctype.endswith("wordprocessingml.document") or path.endswith(".docx"):
        return "docx"
    if ctype == "text/plain" or path.endswith(".txt"):
        return "plain"
    return "html"


def extract_pages(pages: list[Page], *, expected_date: dt.date | None = None, publisher: str | None = None,
                  profile: str | None = None, max_bytes: int = defaults.MAX_INPUT_BYTES) -> tuple[str, dict[str, Any]]:
    """Text and extraction metadata of downloaded pages (the first page plus its continuations).

    ``profile`` forces a cleanup profile by name; otherwise sco_decl.ingest.layout chooses one. A PDF or
    DOCX may not unpack to more than ``max_bytes`` of text."""
    first = pages[0]
    kind = _kind(first)
    if kind == "pdf":
        document = read_pdf(first.body, first.final_url, max_bytes=max_bytes)
        return document.text, {"extractor": "pdf", **document.meta}
    if kind == "docx":
        document = read_docx(first.body, first.final_url, max_bytes=max_bytes)
        return document.text, {"extractor": "docx", **document.meta}
    decoded = [decode_bytes(p.body, p.content_type) for p in pages]
    result: Extraction
    if kind == "plain":
        choice = choose_profile(first.url, first.final_url, publisher=publisher, forced=profile)
        forced_or_found = choice.profile if choice.reason != "default" else None
        result = extract_plain(decoded[0].text, first.final_url, expected_date=expected_date,
                               profile=forced_or_found)
    else:
        choice = choose_profile(first.url, first.final_url, html=decoded[0].text, publisher=publisher,
                                forced=profile)
        result = extract_html(decoded[0].text, first.final_url, expected_date=expected_date,
                              extra_pages=[d.text for d in decoded[1:]], profile=choice.profile)
    return result.text, {**result.meta(), "profile_from": choice.reason, "encoding": decoded[0].encoding,
                         "encoding_from": decoded[0].how}


def _download(downloader: Downloader, url: str, publisher: str | None, conditional: dict[str, Any] | None,
              profile: str | None = None) -> list[Page]:
    """The page and, for multi-page articles, its continuation pages."""
    page = downloader.get(url, etag=(conditional or {}).get("etag"),
                          last_modified=(conditional or {}).get("last-modified"))
    pages = [page]
    if not page.not_modified and _kind(page) == "html":
        html = decode_bytes(page.body, page.content_type).text
        choice = choose_profile(url, page.final_url, html=html, publisher=publisher, forced=profile)
        if choice.profile.dedupe_pages:
            pages += [downloader.get(extra) for extra in next_pages(html, page.final_url)[:_MAX_PAGES]]
    return pages


def _revision_meta(pages: list[Page], extraction: dict[str, Any], raw_file: str | None) -> dict[str, Any]:
    first = pages[0]
    meta: dict[str, Any] = {
        "url": first.url, "final_url": first.final_url, "retrieved": first.retrieved,
        "http_status": first.status, "attempts": first.attempts, "etag": first.headers.get("etag"),
        "last_modified": first.headers.get("last-modified"), "content_type": first.content_type or None,
        "tool": f"sco-decl {__version__}", "raw": raw_file, **extraction,
    }
    if first.redirects:
        meta["redirects"] = [dict(hop) for hop in first.redirects]
    if first.archive:   # an archived copy: cite the original address, and the snapshot beside it
        meta["url"] = first.archive["original"]
        meta["archive"] = dict(first.archive)
    if len(pages) > 1:
        meta["pages"] = [p.final_url for p in pages]
    return meta


def _store(corpus: Corpus, decl: Declaration, edition: str, pages: list[Page], raw_file: str | None,
           publisher: str | None, note: str | None = None, profile: str | None = None,
           extra: dict[str, Any] | None = None) -> Outcome:
    text, extraction = extract_pages(pages, expected_date=decl.date, publisher=publisher, profile=profile)
    meta = {**_revision_meta(pages, extraction, raw_file), **(extra or {})}
    result = corpus.add(decl.id, edition, text, source=pages[0].url, note=note, meta=meta)
    return Outcome(decl.id, edition, pages[0].url, result.status, result.revision,
                   warnings=list(extraction.get("warnings", [])))


def _live_or_archived(downloader: Downloader, url: str, decl: Declaration, publisher: str | None,
                      conditional: dict[str, Any] | None, profile: str | None, archive: str | None) -> list[Page]:
    """The live page, or, when it is gone (404, 410, no DNS, a soft 404) and an archive is given, the archived
    copy closest to the declaration's date, marked as such for the provenance."""
    try:
        pages = _download(downloader, url, publisher, conditional, profile)
        first = pages[0]
        if not first.not_modified and _kind(first) == "html" and looks_missing(
                decode_bytes(first.body, first.content_type).text):
            raise PageGone(f"{url}: the page says it is not found (a 'soft 404' sent as HTTP {first.status})",
                           "soft-404")
        return pages
    except PageGone as gone:
        if not archive:
            raise
        live = " ".join(str(gone).split())
        try:
            snapshot = closest_snapshot(downloader, archive, url, decl.date)
        except FetchError as exc:
            raise FetchError(f"{live}; asking the web archive ({archive}) failed too: {short_reason(exc)}") from exc
        if snapshot is None:
            raise FetchError(f"{live}; the web archive ({archive}) has no copy either") from gone
        try:
            pages = _download(downloader, snapshot.url, publisher, None, profile)
        except FetchError as exc:
            raise FetchError(f"{live}; its archived copy of {snapshot.date} failed too: {exc}") from exc
        for page in pages:
            page.archive = snapshot.provenance(live)
        return pages


def _fetch_one(corpus: Corpus, downloader: Downloader, decl: Declaration, info: EditionInfo, *,
               refresh: bool, raw_only: bool, profile: str | None = None,
               archive: str | None = None) -> Outcome:
    url = info.url
    if not url:
        return Outcome(decl.id, info.name, None, "failed", reason="the catalog gives no URL for this edition")
    has_text = bool(corpus.revisions(decl.id, info.name))
    if has_text and not refresh and not raw_only:
        return Outcome(decl.id, info.name, url, "present", corpus.revisions(decl.id, info.name)[-1])
    raw_dir = corpus.edition_dir(decl.id, info.name) / "raw"   # created only when a page is kept
    previous = latest_raw(raw_dir) if refresh and has_text else None
    conditional = previous["pages"][0].get("headers") if previous else None
    pages = _live_or_archived(downloader, url, decl, info.publisher, conditional, profile, archive)
    if pages[0].not_modified:
        if not has_text:
            return Outcome(decl.id, info.name, url, "failed", reason="HTTP 304 (not modified) to a plain request")
        return Outcome(decl.id, info.name, url, "not-modified", corpus.revisions(decl.id, info.name)[-1])
    raw_file = store_raw(corpus.raw_dir(decl.id, info.name), pages).name
    if raw_only:
        return Outcome(decl.id, info.name, url, "raw-only", reason=f"raw/{raw_file}")
    return _store(corpus, decl, info.name, pages, raw_file, info.publisher, profile=profile)


def selection(corpus: Corpus, ids: Iterable[str], edition: str | None
              ) -> list[tuple[Declaration, EditionInfo | None, str]]:
    """The (declaration, catalogued edition or None, edition name) triples a fetch of ``ids`` works on."""
    decls = [corpus.resolve_declaration(i) for i in ids] or corpus.declarations()
    chosen: list[tuple[Declaration, EditionInfo | None, str]] = []
    for decl in decls:
        if edition:
            chosen.append((decl, decl.edition(edition), edition))
        else:
            chosen += [(decl, info, info.name) for info in decl.editions if info.url]
    return chosen


def each_edition(chosen: list[tuple[Declaration, EditionInfo | None, str]], progress: Progress | None
                 ) -> Iterator[tuple[Declaration, EditionInfo | None, str]]:
    """The selected editions one by one, telling ``progress`` (done, total, current) before each and at the end."""
    for done, item in enumerate(chosen):
        if progress:
            progress(done, len(chosen), f"{item[0].id}@{item[2]}")
        yield item
    if progress:
        progress(len(chosen), len(chosen), "")


def fetch_editions(corpus: Corpus, ids: Iterable[str] = (), *, edition: str | None = None,
                   refresh: bool = False, raw_only: bool = False, settings: Settings | None = None,
                   downloader: Downloader | None = None, progress: Progress | None = None,
                   profile: str | None = None, archive: str | None = None) -> list[Outcome]:
    """Fetch the catalogued editions of the declarations ``ids`` (all when empty); one outcome each.

    ``profile`` forces a cleanup profile; ``archive`` is the web archive's base address asked for pages that
    are gone (None, the default: never ask; defaults.ARCHIVE is the Internet Archive)."""
    outcomes: list[Outcome] = []
    with downloading(downloader, settings) as session:
        for decl, info, name in each_edition(selection(corpus, ids, edition), progress):
            if info is None:
                outcomes.append(Outcome(decl.id, name, None, "failed",
                                        reason=f"{decl.id} has no catalogued edition {name!r}"))
                continue
            try:
                outcomes.append(_fetch_one(corpus, session, decl, info, refresh=refresh, raw_only=raw_only,
                                           profile=profile, archive=archive))
            except ScoDeclError as exc:
                outcomes.append(Outcome(decl.id, name, info.url, "failed", reason=" ".join(str(exc).split())))
    return outcomes


def _edition_of(corpus: Corpus, ref: str) -> tuple[Declaration, str]:
    try:
        revision = corpus.resolve(ref)
        return corpus.declaration(revision.declaration), revision.edition
    except NoTextError:
        match = re.match(r"^([a-z0-9-]+)@([a-z0-9-]+)", ref.strip())
        if not match:
            raise
        return corpus.resolve_declaration(match.group(1)), match.group(2)


def reextract(corpus: Corpus, ref: str, *, profile: str | None = None) -> Outcome:
    """Extract the edition named by ``ref`` again from its newest stored raw page (no network)."""
    decl, edition = _edition_of(corpus, ref)
    raw_dir = corpus.edition_dir(decl.id, edition) / "raw"
    record = latest_raw(raw_dir)
    if record is None:
        raise NotFoundError(f"{decl.id}@{edition} has no stored raw page; run `sco-decl fetch {decl.id} "
                            f"--edition {edition} --raw-only` first")
    pages = load_raw_bodies(raw_dir, record)
    info = decl.edition(edition)
    return _store(corpus, decl, edition, pages, record["file"], info.publisher if info else None,
                  note=f"re-extracted from raw/{record['file']}", profile=profile)


def add_url(corpus: Corpus, decl_id: str, edition: str, url: str, *, note: str | None = None,
            settings: Settings | None = None, downloader: Downloader | None = None,
            profile: str | None = None, meta: dict[str, Any] | None = None) -> Outcome:
    """`sco-decl add URL`: download, keep the raw page in the edition's raw/ (so `reextract` works on it),
    extract and store, exactly as fetch does for a catalogued edition."""
    decl = corpus.declaration(decl_id)
    info = decl.edition(edition)
    publisher = (meta or {}).get("publisher") or (info.publisher if info else None)
    with downloading(downloader, settings) as session:
        pages = _download(session, url, publisher, None, profile)
    raw_file = store_raw(corpus.raw_dir(decl.id, edition), pages).name
    return _store(corpus, decl, edition, pages, raw_file, publisher, note, profile=profile, extra=meta)


_FILE_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
               ".pdf": "application/pdf", ".txt": "text/plain",
               ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def extract_file(data: bytes, name: str, *, encoding: str | None = None, expected_date: dt.date | None = None,
                 profile: str | None = None, max_bytes: int = defaults.MAX_INPUT_BYTES) -> tuple[str, dict[str, Any]]:
    """A saved page, PDF or DOCX file through the same extraction as a fetched page (`sco-decl add FILE`);
    a header date that differs from ``expected_date`` (the catalog's) is a warning, as in fetch."""
    ctype = _FILE_TYPES.get("." + name.rsplit(".", 1)[-1].lower(), "text/html")
    if encoding and ctype.startswith("text/"):
        ctype += f"; charset={encoding}"
    page = Page(url=name, final_url=name, status=200, headers={"content-type": ctype}, body=data,
                retrieved=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat())
    text, meta = extract_pages([page], expected_date=expected_date, profile=profile, max_bytes=max_bytes)
    return text, {**meta, "file": name}
