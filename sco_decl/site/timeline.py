"""The site's timeline: the chronology year by year with declarations linked and a filter by kind, and
the events of a declaration's year on that declaration's page (issue 15).

Kept apart from build.py, which only asks for these pages and their keys: the chronology file's bytes go
into every key that shows events, so editing chronology.toml (or `event add`) remakes exactly them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from sco_decl.outputs.chronology import build_view, render_chronology
from sco_decl.site.incremental import digest
from sco_decl.store.chronology import Chronology, load_chronology
from sco_decl.store.files import CHRONOLOGY_FILE

if TYPE_CHECKING:
    from sco_decl.analysis.lexicon import Lexicon
    from sco_decl.outputs.chronology import Row
    from sco_decl.store.corpus import Corpus

TIMELINE_PATH = "timeline.html"


class Timeline:
    """The corpus's chronology, read once per build, and the pages made from it."""

    def __init__(self, corpus: Corpus, lexicon: Lexicon) -> None:
        self.corpus = corpus
        self.lexicon = lexicon
        self._data: Chronology | None = None
        path = corpus.root / CHRONOLOGY_FILE
        self.key = digest("chronology", path.read_bytes().hex() if path.is_file() else "")

    @property
    def data(self) -> Chronology:
        if self._data is None:
            self._data = load_chronology(self.corpus, themes=self.lexicon.ids)
        return self._data

    def page(self, link: Callable[[str], str]) -> str:
        """Every event, year by year, each document linked to its declaration's page, with kind filters."""
        return render_chronology(self.data, self.data.events, "html", link=link, filters=True, title="Timeline")

    def year_rows(self, year: int, link: Callable[[str], str]) -> list[Row]:
        """The events of one year (those that overlap it), as the chronology table shows them."""
        events = self.data.select(start=year, end=year)
        return build_view(self.data, events, link=link).rows
