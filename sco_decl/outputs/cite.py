"""Bibliography entries for the exact text analysed: a declaration edition's revision.

A thesis should cite the text it measured, so the entry names the edition's publisher and URL and the
date it was accessed, which is the revision's provenance: `meta.retrieved` when the tool fetched it,
else the date it was added. The revision and its sha256 go into a note, so a reader can check the text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sco_decl._version import __version__
from sco_decl.errors import OutputError

if TYPE_CHECKING:
    from sco_decl.store.model import Revision
    from sco_decl.store.corpus import Corpus

FORMATS = {"bibtex": "cite.bib", "ris": "cite.ris", "text": "cite.txt"}


@dataclass(frozen=True)
class Citation:
    """What a bibliography entry says about one revision of one edition."""

    key: str
    title: str
    date: dt.date
    place: str
    publisher: str | None
    url: str | None
    accessed: str | None  # YYYY-MM-DD
    accessed_from: str  # "retrieved" | "added"
    edition: str
    language: str
    ref: str
    sha256: str
    tool_version: str

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


def citation(corpus: Corpus, revision: Revision) -> Citation:
    """Gather the catalog facts and the revision's provenance into a Citation."""
    decl = corpus.declaration(revision.declaration)
    info = decl.edition(revision.edition)
    retrieved = _day(revision.meta.get("retrieved"))
    url = revision.meta.get("url") or (info.url if info else None)
    return Citation(key=f"{decl.id}-{revision.edition}", title=decl.title, date=decl.date, place=decl.place,
                    publisher=info.publisher if info else None, url=str(url) if url else None,
                    accessed=retrieved or _day(revision.added),
                    accessed_from="retrieved" if retrieved else "added", edition=revision.edition,
                    language=info.language if info else "en", ref=revision.ref, sha256=revision.sha256,
                    tool_version=__version__)


def render_citation(entry: Citation, fmt: str = "bibtex") -> str:
    """The entry as BibTeX (biblatex fields plus classic year/month), RIS or a plain-text reference."""
    from sco_decl.outputs.render import render

    if fmt not in FORMATS:
        raise OutputError(f"citation format {fmt!r} is unknown; use one of {', '.join(FORMATS)}")
    return render(FORMATS[fmt], c=entry)
