"""The research site: every declaration, comparison, chart and table as one offline folder of pages.

What pages exist and what each is made from lives here; how they look lives in templates/site_*.html (and
in the compare, chart and appendix templates, reused as they are). The folder is built atomically and
incrementally by incremental.build_folder: a page is made again only when its key (tool version,
templates, lexicon, and the sha256 of every text it shows) changes. By default only consecutive
declarations and the editions of one declaration are compared, so the build grows linearly with the corpus.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from sco_decl._version import __version__
from sco_decl.compare.comparison import compare_documents
from sco_decl.outputs import appendix as ap
from sco_decl.outputs.chart import ChartData, from_analyses, render_chart
from sco_decl.outputs.chronology import render_chronology
from sco_decl.outputs.formats import render_comparison
from sco_decl.outputs.render import render
from sco_decl.outputs.spans import paragraphs
from sco_decl.paths import templates_dir
from sco_decl.site.incremental import BuildReport, Target, build_folder, digest, folder_digest
from sco_decl.site.snapshot import CorpusSnapshot
from sco_decl.site.timeline import TIMELINE_PATH, Timeline
from sco_decl.store.catalog import CATALOG_FILE
from sco_decl.store.views import declaration_rows
from sco_decl.workspace import Workspace

if TYPE_CHECKING:
    from spacy.language import Language

    from sco_decl.analysis.lexicon import Lexicon
    from sco_decl.analysis.themes import DocumentAnalysis
    from sco_decl.store.corpus import Corpus
    from sco_decl.store.model import Revision


@dataclass
class SiteReport:
    """What a build did, and which declarations have no text yet (so the user can be told)."""

    build: BuildReport
    missing: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0


@dataclass(frozen=True)
class Pair:
    """Two revisions compared on the site: consecutive years, or two editions of one declaration."""

    left: Revision
    right: Revision
    kind: str  # "years" | "editions"

    @property
    def path(self) -> str:
        return f"compare/{_slug(self.left)}--{_slug(self.right)}.html"


def _slug(revision: Revision) -> str:
    return f"{revision.declaration}@{revision.edition}"


def decl_path(decl_id: str) -> str:
    return f"declarations/{decl_id}.html"


def check_path(decl_id: str) -> str:
    return f"checks/{decl_id}.html"


class SiteBuilder:
    """Plans the pages of a corpus; analyses are made lazily (by the Workspace, once each), only for pages
    that are rebuilt. Revisions whose files no longer verify are left out (the Workspace records them)."""

    def __init__(self, workspace: Workspace) -> None:
        corpus = CorpusSnapshot(workspace.corpus)  # each catalog and revision file read once per build
        self.workspace = workspace
        self.corpus = corpus
        self.lexicon = workspace.lexicon
        self.rows = declaration_rows(corpus)
        self.present = workspace.verified(corpus.texts_present())  # = workspace.revisions(), from the snapshot
        self._appendix: Any = None
        self.catalogs = {d.id: (corpus.root / d.id / CATALOG_FILE).read_bytes() for d in corpus.declarations()}
        self.timeline = Timeline(corpus, self.lexicon)  # its key (chronology.toml) goes into the pages with events
        self.code_key = digest(__version__, folder_digest(templates_dir()), self.lexicon.sha256)
        self.base_key = self.catalog_key(*self.catalogs)  # pages that show every declaration
        self.all_key = digest(self.base_key, [r.sha256 for r in corpus.all_revisions()])
        self.same_year: dict[int, list[str]] = {}  # a declaration page shows the summits of its year
        for decl in corpus.declarations():
            self.same_year.setdefault(decl.date.year, []).append(decl.id)

    def catalog_key(self, *ids: str) -> str:
        """The key part of the catalog files a page shows: a page about one or two declarations is not made
        again when another declaration is added or edited (a new summit remade every page before)."""
        return digest(self.code_key, sorted((i, self.catalogs[i].hex()) for i in set(ids)))

    # -- data, computed on demand ---------------------------------------------------------------------
    def analysis(self, revision: Revision) -> DocumentAnalysis:
        return self.workspace.analysis(revision)

    @cached_property
    def latest(self) -> dict[str, list[Revision]]:
        """Per declaration, the latest revision of each edition on disk whose file verifies (read once for
        the pairs, the translation checks and the declaration pages)."""
        return {decl.id: self.workspace.verified(self.corpus.revisions(decl.id, e)[-1]
                                                 for e in self.corpus.editions_on_disk(decl.id))
                for decl in self.corpus.declarations()}

    def pairs(self) -> list[Pair]:
        pairs = [Pair(a, b, "years") for a, b in zip(self.present, self.present[1:])]
        for latest in self.latest.values():
            pairs += [Pair(a, b, "editions") for i, a in enumerate(latest) for b in latest[i + 1:]]
        return pairs

    def nav(self, depth: int) -> list[tuple[str, str]]:
        up = "../" * depth
        return [("Index", f"{up}index.html"), ("Themes", f"{up}index.html#themes"),
                ("Comparisons", f"{up}index.html#comparisons"), ("Timeline", f"{up}{TIMELINE_PATH}"),
                ("Appendix", f"{up}appendix/appendix.html")]

    # -- the pages -----------------------------------------------------------------------------------
    def targets(self) -> Iterator[Target]:
        """Every file of the site. Pages in a folder get the navigation of depth 1 (`self.nav(1)`), passed
        to their renderer like any other value."""
        pairs = self.pairs()
        paths: dict[frozenset[str], str] = {}  # the two texts' sha256 -> their comparison page
        for pair in pairs:
            paths.setdefault(frozenset((pair.left.sha256, pair.right.sha256)), pair.path)
        yield Target("index.html", digest(self.all_key, "index"), lambda: self.index_page(pairs))
        yield Target("search-index.js", digest(self.all_key, "search"), self.search_index)
        for row in self.rows:
            revisions = [r.sha256 for e in self.corpus.editions_on_disk(row["id"])
                         for r in self.corpus.revisions(row["id"], e)]
            year = self.workspace.declaration(row["id"]).date.year  # its year's events: the chronology file
            catalogs = self.catalog_key(row["id"], *self.same_year.get(year, ()))  # and the year's summits
            yield Target(decl_path(row["id"]), digest(catalogs, self.timeline.key, row["id"], revisions),
                         _bind(self.declaration_page, row))
        for decl_id, translations in self.translations.items():
            shas = [r.sha256 for pair in translations for r in pair]
            yield Target(check_path(decl_id), digest(self.catalog_key(decl_id), "check", shas),
                         _bind(self.check_page, decl_id, translations, paths))
        for pair in pairs:
            yield Target(pair.path, digest(self.catalog_key(pair.left.declaration, pair.right.declaration),
                                           pair.left.sha256, pair.right.sha256),
                         _bind(self.compare_page, pair))
        shas = [r.sha256 for r in self.present]
        if self.present:
            for theme in self.lexicon.themes:
                yield Target(f"themes/{theme.id}.html", digest(self.base_key, shas, theme.id),
                             _bind(self.chart_page, theme.id))
            yield Target("themes/heatmap.html", digest(self.base_key, shas, "heatmap"), self.heatmap_page)
            for fmt, suffix in (("latex", "tex"), ("markdown", "md"), ("csv", "csv"), ("html", "html")):
                yield Target(f"appendix/appendix.{suffix}", digest(self.base_key, shas, fmt),
                             _bind(self.appendix_file, fmt))
        yield Target("appendix/chronology.html", digest(self.base_key, self.timeline.key, "chronology"),
                     self.chronology_page)
        yield Target(TIMELINE_PATH, digest(self.base_key, self.timeline.key, "timeline"),
                     lambda: self.timeline.page(lambda ident: decl_path(ident)))

    def heat(self) -> list[dict[str, Any]]:
        """Rates per declaration and theme, with a 0-1 intensity per theme for the heat map colours."""
        analyses = [self.analysis(r) for r in self.present]
        out = []
        peaks = {t.id: max([a.counts[t.id].rate_per_1000 or 0.0 for a in analyses] or [0.0]) or 1.0
                 for t in self.lexicon.themes}
        for revision, a in zip(self.present, analyses):
            # a rate is None when the text's language has no wordings for the theme: no colour, not zero
            cells = [{"theme": t.id, "rate": a.counts[t.id].rate_per_1000,
                      "matches": a.counts[t.id].matches,
                      "intensity": round((a.counts[t.id].rate_per_1000 or 0.0) / peaks[t.id], 3)}
                     for t in self.lexicon.themes]
            out.append({"id": revision.declaration, "year": a.date.year, "place": a.place, "ref": revision.ref,
                        "href": decl_path(revision.declaration), "cells": cells})
        return out

    def index_page(self, pairs: list[Pair]) -> str:
        missing = [r for r in self.rows if not r["has_text"]]
        return render("site_index.html", nav=self.nav(0), rows=self.rows, missing=missing, heat=self.heat() if self.present else [],
                      themes=self.lexicon.themes, pairs=[_pair_view(p) for p in pairs],
                      checks=[(decl_id, check_path(decl_id)) for decl_id in self.translations],
                      present=[r.provenance() for r in self.present])

    def declaration_page(self, row: dict[str, Any]) -> str:
        decl = self.workspace.declaration(row["id"])
        editions = []
        for name in self.corpus.editions_on_disk(decl.id):
            revisions = self.corpus.revisions(decl.id, name)
            editions.append({"name": name, "info": decl.edition(name),
                             "revisions": [{**r.provenance(), "note": r.note, "meta": r.meta} for r in revisions]})
        default = self.corpus.default_edition(decl)
        texts = []  # every edition's latest text, the default first (its sentence ids carry no prefix)
        for name in sorted(self.corpus.editions_on_disk(decl.id), key=lambda e: e != default):
            revision = self.corpus.revisions(decl.id, name)[-1]
            if revision not in self.latest.get(decl.id, ()):
                continue  # a damaged file is left out (the workspace warns about it)
            analysis = self.analysis(revision)
            info = decl.edition(name)
            texts.append({"edition": name, "default": name == default, "info": info,
                          "language": info.language if info and info.language else "",
                          "prefix": "" if name == default else f"{name}-", "revision": revision.provenance(),
                          "paragraphs": paragraphs(analysis), "counts": analysis.counts, "words": analysis.words})
        check_href = check_path(decl.id) if decl.id in self.translations else None
        events = self.timeline.year_rows(decl.date.year, lambda ident: f"../{decl_path(ident)}")
        return render("site_declaration.html", nav=self.nav(1), decl=decl, row=row, editions=editions, texts=texts,
                      text=texts[0] if texts else None, check_href=check_href, themes=self.lexicon.themes,
                      year_events=events, timeline_href=f"../{TIMELINE_PATH}")

    @cached_property
    def translations(self) -> dict[str, list[tuple[Revision, Revision]]]:
        """Per declaration, each original (a Russian or Chinese edition) with each English edition."""
        out: dict[str, list[tuple[Revision, Revision]]] = {}
        for decl_id, latest in self.latest.items():
            languages = {r.edition: self.workspace.language(r) for r in latest}
            originals = [r for r in latest if languages[r.edition] != "en"]
            english = [r for r in latest if languages[r.edition] == "en"]
            if originals and english:
                out[decl_id] = [(o, e) for o in originals for e in english]
        return out

    def check_page(self, decl_id: str, translations: list[tuple[Revision, Revision]],
                   paths: dict[frozenset[str], str]) -> str:
        """The translation check of one declaration: coverage, omissions and additions of each English
        edition against each original, the marked clauses side by side, and links to the full comparisons."""
        checks = []
        for original, translation in translations:  # by revision: a ref string would re-read every catalog
            comparison = compare_documents(self.workspace, self.workspace.document(original),
                                           self.workspace.document(translation))
            sides = (comparison.left, comparison.right)
            flagged = [{"flag": link.extra.get("flag"),
                        "original": [sides[0].sentences[i] for i in link.left],
                        "translation": [sides[1].sentences[j] for j in link.right]}
                       for link in comparison.links if link.extra.get("flag")]
            href = paths.get(frozenset((original.sha256, translation.sha256)))
            checks.append({"original": sides[0], "translation": sides[1], "summary": comparison.crosslingual,
                           "links": len(comparison.links), "flagged": flagged, "href": href})
        return render("site_check.html", nav=self.nav(1), decl=self.corpus.declaration(decl_id), checks=checks,
                      decl_href=decl_path(decl_id))

    def compare_page(self, pair: Pair) -> str:
        documents = self.workspace.document(pair.left), self.workspace.document(pair.right)
        return render_comparison(compare_documents(self.workspace, *documents), "html", nav=self.nav(1))

    @cached_property
    def chart_data(self) -> ChartData:
        """Every theme's values and passages, read from the analyses once; each chart page takes its part."""
        return from_analyses([self.analysis(r) for r in self.present], self.lexicon, list(self.lexicon.themes),
                             "rate")

    def _chart(self, theme_ids: list[str], heatmap: bool) -> str:
        return str(render_chart(self.chart_data.only(theme_ids), ".html", heatmap=heatmap, nav=self.nav(1)))

    def chart_page(self, theme_id: str) -> str:
        return self._chart([self.lexicon.get(theme_id).id], heatmap=False)

    def heatmap_page(self) -> str:
        return self._chart([t.id for t in self.lexicon.themes], heatmap=True)

    def appendix_file(self, fmt: str) -> str:
        if self._appendix is None:
            columns = ap.parse_columns(None, self.lexicon, ap.REQUIRED_THEMES)
            self._appendix = ap.build_appendix(self.workspace, self.present, columns)
        return ap.render_table(self._appendix, fmt, nav=self.nav(1))

    def chronology_page(self) -> str:
        """The chronology table, each summit linked to its declaration's page (issue 15)."""
        data = self.timeline.data
        return render_chronology(data, data.events, "html", link=lambda ident: f"../{decl_path(ident)}",
                                 nav=self.nav(1))

    def search_index(self) -> str:
        """Every sentence with its locator and link, as a script the index page loads (works from file://)."""
        entries = []
        for revision in self.present:
            a = self.analysis(revision)
            for s in a.sentences:
                entries.append({"d": revision.declaration, "y": a.date.year, "l": s.locator, "t": s.text,
                                "u": f"{decl_path(revision.declaration)}#s{s.index}"})
        payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        # "</" cannot end the script early: JSON allows the escaped form
        return "window.SCO_SEARCH = " + payload.replace("</", "<\\/") + ";\n"


def _bind(func: Callable[..., str | bytes], *args: Any) -> Callable[[], str | bytes]:
    return lambda: func(*args)


def _pair_view(pair: Pair) -> dict[str, Any]:
    return {"href": pair.path, "kind": pair.kind, "left": pair.left.ref, "right": pair.right.ref}


def build_site(corpus: Corpus | None, out: Path, *, lexicon: Lexicon | None = None, nlp: Language | None = None,
               progress: Callable[[str], None] | None = None, planned: Callable[[int], None] | None = None,
               workspace: Workspace | None = None) -> SiteReport:
    """Build (or update) the site in `out`; returns what was made and what is missing.

    `planned(n)` hears how many files there will be before the first is made (for a progress bar);
    `progress(path)` hears of each one done.

    Public API, thin over a Workspace (the CLI gives its own; damaged revisions land in its `damaged`)."""
    if workspace is None:
        assert corpus is not None
        workspace = Workspace(corpus, lexicon=lexicon, nlp=nlp)
    builder = SiteBuilder(workspace)
    targets = list(builder.targets())
    if planned:
        planned(len(targets))
    report = build_folder(out, targets, progress=progress, keep=(workspace.corpus.root,))
    missing = [r for r in builder.rows if not r["has_text"]]
    return SiteReport(build=report, missing=missing, pages=len(targets))
