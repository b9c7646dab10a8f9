"""Bibliography entries for the exact text analysed: a declaration edition's revision.

A thesis should cite the text it measured, so the entry names the organization as author, the edition's
publisher, translator and URL, and the date the page was accessed: `meta.retrieved` when the tool fetched
it, `meta.accessed` when the user says when they visited the page a file was saved from, and nothing
otherwise (a text imported from a file claims no visit that did not happen). A copy taken from a web archive
names the archived address and the snapshot's date beside the original URL. The revision and its sha256
go into a note, so a reader can check the text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sco_decl._version import __version__
from sco_decl.errors import OutputError
from sco_decl.outputs.render import render
from sco_decl.store.corpus import Corpus
from sco_decl.store.model import Revision

FORMATS = {"bibtex": "cite.bib", "ris": "cite.ris", "text": "cite.txt"}
#: The author of a declaration whose catalog entry names no `organization` and whose title names none.
DEFAULT_ORGANIZATION = "Shanghai Cooperation Organization"
_ORGANIZATION = re.compile(r"\b((?:[A-Z][\w-]*\s+){1,3}Co-?operation\s+Organi[sz]ation)\b")


@dataclass(frozen=True)
class Citation:
    """What a bibliography entry says about one revision of one edition."""

    key: str
    title: str
    date: dt.date
    place: str
    publisher: str | None
    url: str | None
    accessed: str | None  # YYYY-MM-DD, only when the page was visited
    accessed_from: str | None  # "retrieved" (the tool fetched it) | "accessed" (the user says so) | None
    edition: str
    language: str
    ref: str
    sha256: str
    tool_version: str
    author: str = DEFAULT_ORGANIZATION
    translator: str | None = None
    archived_url: str | None = None
    archived_date: str | None = None  # YYYY-MM-DD of the web-archive snapshot

    @property
    def long_date(self) -> str:
        return f"{self.date.day} {self.date:%B %Y}"

    @property
    def note(self) -> str:
        return (f"Edition {self.edition}, revision {self.ref}, sha256 {self.sha256}; "
                f"text as analysed with sco-decl {self.tool_version}")


def _day(value: Any) -> str | None:
    """The YYYY-MM-DD part of a stored timestamp (or date), or None if it has none."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    match = re.match(r"\d{4}-\d{2}-\d{2}", str(value or "").strip())
    return match.group(0) if match else None


def organization(title: str, extra: dict[str, Any]) -> str:
    """The declaring organization: the catalog's `organization`, else the one the title names, else the SCO."""
    given = str(extra.get("organization") or "").strip()
    if given:
        return given
    match = _ORGANIZATION.search(title)
    return " ".join(match.group(1).split()) if match else DEFAULT_ORGANIZATION


def citation(corpus: Corpus, revision: Revision) -> Citation:
    """Gather the catalog facts and the revision's provenance into a Citation."""
    decl = corpus.declaration(revision.declaration)
    info = decl.edition(revision.edition)
    meta = revision.meta
    retrieved, visited = _day(meta.get("retrieved")), _day(meta.get("accessed"))
    url = meta.get("url") or (info.url if info else None)
    found = meta.get("archive")
    archive: dict[str, Any] = found if isinstance(found, dict) else {}
    return Citation(key=f"{decl.id}-{revision.edition}", title=decl.title, date=decl.date, place=decl.place,
                    publisher=meta.get("publisher") or (info.publisher if info else None),
                    url=str(url) if url else None, accessed=retrieved or visited,
                    accessed_from="retrieved" if retrieved else "accessed" if visited else None,
                    edition=revision.edition, language=info.language if info else "en", ref=revision.ref,
                    sha256=revision.sha256, tool_version=__version__, author=organization(decl.title, decl.extra),
                    translator=meta.get("translator") or None, archived_url=archive.get("snapshot"),
                    archived_date=archive.get("snapshot_date"))


def render_citation(entry: Citation, fmt: str = "bibtex") -> str:
    """The entry as BibTeX (biblatex fields plus classic year/month), RIS or a plain-text reference."""
    if fmt not in FORMATS:
        raise OutputError(f"citation format {fmt!r} is unknown; use one of {', '.join(FORMATS)}")
    return render(FORMATS[fmt], c=entry)
