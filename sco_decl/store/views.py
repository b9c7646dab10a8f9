"""JSON-ready views of the corpus for `list` and `show --meta` (and the site's chronology)."""
from __future__ import annotations

from typing import Any

from sco_decl.store.model import Revision
from sco_decl.store.corpus import Corpus


def declaration_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """One object per declaration: id, title, date, place, signatories, editions (name, revisions, has_text,
    language...)."""
    rows = []
    for decl in corpus.declarations():
        on_disk = corpus.editions_on_disk(decl.id)
        names = [e.name for e in decl.editions] + [n for n in on_disk if not decl.edition(n)]
        editions = []
        for name in names:
            revisions = corpus.revisions(decl.id, name) if name in on_disk else []
            info = decl.edition(name)
            editions.append({"name": name, "revisions": len(revisions), "has_text": bool(revisions),
                             "url": info.url if info else None, "publisher": info.publisher if info else None,
                             "language": info.language if info else None,
                             "default": name == corpus.default_edition(decl)
                             or (not on_disk and name == decl.default_edition)})
        rows.append({"id": decl.id, "title": decl.title, "date": decl.date.isoformat(), "place": decl.place,
                     "signatories": list(decl.signatories), "editions": editions,
                     "has_text": any(e["has_text"] for e in editions)})
    return rows


def revision_meta(corpus: Corpus, revision: Revision) -> dict[str, Any]:
    decl = corpus.declaration(revision.declaration)
    info = decl.edition(revision.edition)
    return {**revision.provenance(), "language": info.language if info else None, "note": revision.note,
            "meta": revision.meta, "title": decl.title,
            "date": decl.date.isoformat(), "place": decl.place, "path": str(revision.path)}
