"""The site: every page is there, links resolve inside the folder, rebuilds are incremental and atomic."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sco_decl.errors import OutputError
from sco_decl.analysis.lexicon import load_lexicon
from sco_decl.site.build import build_site


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def links(path: Path) -> list[str]:
    parser = Links()
    parser.feed(path.read_text("utf-8"))
    return parser.urls


@pytest.fixture(scope="module")
def built(mco_root, tmp_path_factory, nlp):
    from sco_decl.store.corpus import Corpus

    out = tmp_path_factory.mktemp("site") / "site"
    report = build_site(Corpus.open(mco_root), out, nlp=nlp)
    return out, report


def test_every_page_type_is_built(built):
    out, report = built
    lexicon = load_lexicon()
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert {"index.html", "search-index.js", "appendix/appendix.tex", "appendix/appendix.md",
            "appendix/appendix.csv", "appendix/appendix.html", "appendix/chronology.html",
            "themes/heatmap.html"} <= files
    assert {f"declarations/{d}.html" for d in ("2011-port-alder", "2013-valmora", "2016-port-alder")} <= files
    assert {f"themes/{t.id}.html" for t in lexicon.themes} <= files
    compares = sorted(f for f in files if f.startswith("compare/"))
    assert len(compares) == 6  # five consecutive years and the two editions of 2013
    assert "compare/2013-valmora@secretariat--2013-valmora@wire.html" in compares
    assert "compare/2015-ombrin@secretariat--2016-port-alder@secretariat.html" in compares
    assert report.missing == [] and report.build.reused == []


def test_links_are_relative_and_resolve_inside_the_folder(built):
    out, _ = built
    for page in out.rglob("*.html"):
        for url in links(page):
            assert not re.match(r"^(https?:)?//", url) or _is_source_link(page, url), (page, url)
            if url.startswith(("#", "mailto:", "http://", "https://")):
                continue
            target = (page.parent / url.split("#")[0]).resolve()
            assert target.exists(), f"{page.relative_to(out)} links to missing {url}"


def _is_source_link(page: Path, url: str) -> bool:
    """Only declaration pages may link out: to the source page a text was fetched from (never loaded)."""
    return page.parent.name == "declarations"


def test_declaration_page_shows_highlighted_text_and_provenance(built, mco_root):
    out, _ = built
    html = (out / "declarations" / "2013-valmora.html").read_text("utf-8")
    assert 'class="theme-term t-' in html and 'id="s0"' in html
    sha = next((mco_root / "2013-valmora" / "secretariat").glob("r1.toml")).read_text()
    assert re.search(r'sha256 = "([0-9a-f]{64})"', sha).group(1) in html
    assert "wire" in html and "secretariat" in html
    search = (out / "search-index.js").read_text("utf-8")
    assert search.startswith("window.SCO_SEARCH = [") and "2013-valmora" in search


def test_second_build_reuses_every_page_and_a_new_revision_remakes_only_its_pages(mco_corpus, tmp_path, nlp):
    out = tmp_path / "site"
    first = build_site(mco_corpus, out, nlp=nlp)
    again = build_site(mco_corpus, out, nlp=nlp)
    assert again.build.made == [] and len(again.build.reused) == len(first.build.made)
    text = (Path(mco_corpus.resolve("2014").path)).read_text("utf-8") + "\nA new closing sentence.\n"
    mco_corpus.add("2014-tessaly", "secretariat", text, source="edit")
    third = build_site(mco_corpus, out, nlp=nlp)
    made = set(third.build.made)
    assert "declarations/2014-tessaly.html" in made and "declarations/2011-port-alder.html" not in made
    assert "compare/2013-valmora@secretariat--2014-tessaly@secretariat.html" in made
    assert "compare/2011-port-alder@secretariat--2012-kestrel@secretariat.html" not in made
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site")]  # no temp folders left


def test_a_new_declaration_remakes_its_own_pages_and_the_corpus_pages_only(mco_corpus, tmp_path, nlp):
    """A new summit: its page, its comparison with the one before, and the pages that show the whole
    corpus (index, charts, appendix, timeline) are made; every other declaration and comparison page is
    reused. Editing one declaration's catalog remakes the pages that show it and no other."""
    out = tmp_path / "site"
    build_site(mco_corpus, out, nlp=nlp)
    last = mco_corpus.texts_present()[-1]
    year = mco_corpus.declaration(last.declaration).date.year + 1
    mco_corpus.new_declaration(f"{year}-lisk", title=f"Lisk Declaration {year}", date=f"{year}-06-15", place="Lisk")
    mco_corpus.add(f"{year}-lisk", "secretariat", "The Member States welcome the new library in Ombrin.\n",
                   source="test")
    made = set(build_site(mco_corpus, out, nlp=nlp).build.made)
    new_pair = f"compare/{last.declaration}@{last.edition}--{year}-lisk@secretariat.html"
    assert {f"declarations/{year}-lisk.html", new_pair, "index.html", "appendix/appendix.csv",
            "themes/heatmap.html", "timeline.html"} <= made
    assert not [p for p in made if p.startswith(("declarations/", "compare/", "checks/"))
                and p not in (f"declarations/{year}-lisk.html", new_pair)]
    assert (out / new_pair).is_file() and "Lisk" in (out / f"declarations/{year}-lisk.html").read_text("utf-8")

    from dataclasses import replace

    from sco_decl.store.catalog import CATALOG_FILE, write_declaration

    decl = mco_corpus.declaration("2012-kestrel")
    write_declaration(mco_corpus.root / decl.id / CATALOG_FILE, replace(decl, title="Kestrel Declaration, revised"))
    made = set(build_site(mco_corpus, out, nlp=nlp).build.made)
    mine = {p for p in made if p.startswith(("declarations/", "compare/", "checks/"))}
    assert "declarations/2012-kestrel.html" in mine and all("2012-kestrel" in p for p in mine)
    assert any(p.startswith("compare/") for p in mine)
    assert "Kestrel Declaration, revised" in (out / "declarations/2012-kestrel.html").read_text("utf-8")


def test_a_build_reads_each_catalog_file_a_bounded_number_of_times(mco_corpus, tmp_path, nlp, monkeypatch):
    """Pages ask about every declaration many times (rows, keys, pairs, translation checks); the build reads
    each declaration.toml and revision record a fixed number of times, never once per lookup (issue 10:
    a site of 1,000 declarations re-read every catalog file on each lookup)."""
    from collections import Counter

    from sco_decl.store import corpus as store

    build_site(mco_corpus, tmp_path / "site", nlp=nlp)  # parses once; the counted build below is cold too
    reads: Counter[str] = Counter()
    real_declaration, real_toml = store.read_declaration, store.load_toml
    monkeypatch.setattr(store, "read_declaration", lambda path: reads.update([str(path)]) or real_declaration(path))
    monkeypatch.setattr(store, "load_toml", lambda path: reads.update([str(path)]) or real_toml(path))
    report = build_site(mco_corpus, tmp_path / "again", nlp=nlp)
    catalogs = [path for path in reads if path.endswith("declaration.toml")]
    assert len(catalogs) == len(mco_corpus.declarations()) and report.build.made
    # readers: the build's snapshot, the workspace's catalog, the appendix's walk over one language's texts,
    # the chronology; a re-read per lookup would be one per page or pair that names the declaration
    assert max(reads.values()) <= 4, reads.most_common(3)


def test_a_failed_build_leaves_the_old_site_untouched(mco_corpus, tmp_path, nlp, monkeypatch):
    out = tmp_path / "site"
    build_site(mco_corpus, out, nlp=nlp)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    mco_corpus.add("2012-kestrel", "secretariat", "Changed text.\n", source="edit")
    import sco_decl.site.build as site

    def boom(self, pair):
        raise OutputError("renderer failed")

    monkeypatch.setattr(site.SiteBuilder, "compare_page", boom)
    with pytest.raises(OutputError):
        build_site(mco_corpus, out, nlp=nlp)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "texts"]  # no temp folder left behind


def test_site_command_without_texts_says_what_is_missing(cli, tmp_path):
    texts = tmp_path / "texts"
    cli("--texts", texts, "new", "2011-port-alder", "--title", "Founding", "--date", "2011-06-14",
        "--place", "Port Alder")
    result = cli("--texts", texts, "site", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "missing text for 1 declaration(s): 2011-port-alder" in result.output
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "sco-decl fetch 2011-port-alder" in index
    bad = cli("--texts", texts, "site", "-o", tmp_path / "no" / "such" / "dir")
    assert bad.exit_code == 1 and "does not exist" in bad.output


def test_site_appendix_equals_the_appendix_command(built, mco_root, cli):
    """The site reuses its comparisons for the similarity column: the numbers must not change for it."""
    out, _ = built
    alone = cli("--texts", mco_root, "appendix", "--format", "csv").output
    assert (out / "appendix" / "appendix.csv").read_text("utf-8") == alone
