"""A read-only view of the corpus for one site build: each catalog file, edition folder and revision
record is read once, however many pages ask about it.

A build asks about every declaration several times (its row, its editions, its pairs, its translation
check, the keys of its pages); the plain Corpus reads the disk on every call so it never goes stale, which
made a build of N declarations parse about 7N catalog files and 6N revision records. Nothing writes to
the corpus during a build, so one reading is the truth for the whole of it.
"""
from __future__ import annotations

from sco_decl.store.corpus import Corpus
from sco_decl.store.model import Declaration, Revision


class CorpusSnapshot(Corpus):
    """The corpus as it was when first asked, for reading only (a build never writes to the corpus)."""

    def __init__(self, corpus: Corpus) -> None:
        super().__init__(corpus.root)
        self.skipped = corpus.skipped
        self._declarations: list[Declaration] | None = None
        self._by_id: dict[str, Declaration] = {}
        self._editions: dict[str, list[str]] = {}
        self._revisions: dict[tuple[str, str], list[Revision]] = {}

    def declarations(self) -> list[Declaration]:
        if self._declarations is None:
            self._declarations = super().declarations()
            self._by_id = {d.id: d for d in self._declarations}
        return list(self._declarations)

    def declaration(self, ident: str) -> Declaration:
        self.declarations()
        found = self._by_id.get(ident)
        return found if found is not None else super().declaration(ident)  # its error names what is known

    def editions_on_disk(self, decl_id: str) -> list[str]:
        if decl_id not in self._editions:
            self._editions[decl_id] = super().editions_on_disk(decl_id)
        return list(self._editions[decl_id])

    def revisions(self, decl_id: str, edition: str) -> list[Revision]:
        key = (decl_id, edition)
        if key not in self._revisions:
            self._revisions[key] = super().revisions(decl_id, edition)
        return list(self._revisions[key])
