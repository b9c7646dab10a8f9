"""The site's timeline (issue 15): every event year by year, declarations linked to their pages, a filter by
kind that works in a browser, the events of a declaration's year on its page, and rebuilds that remake
only the pages showing events when the chronology changes."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sco_decl.site.build import build_site
from sco_decl.store.corpus import Corpus


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.kinds: list[str] = []
        self.years: list[str] = []
        self.filters: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "tr" and a.get("data-kind"):
            self.kinds.append(a["data-kind"])
        if tag == "tbody" and a.get("id"):
            self.years.append(a["id"])
        if tag == "input" and a.get("name") == "kind":
            self.filters.append(a["value"])


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    return page


@pytest.fixture(scope="module")
def site(mco_root, tmp_path_factory, nlp):
    root = tmp_path_factory.mktemp("timeline") / "texts"
    shutil.copytree(mco_root, root, ignore=shutil.ignore_patterns(".lock"))
    out = root.parent / "site"
    build_site(Corpus.open(root), out, nlp=nlp)
    return root, out


def test_timeline_lists_every_event_and_links_the_declarations(site):
    _, out = site
    page = parse(out / "timeline.html")
    assert page.years == ["year-2009", "year-2011", "year-2012", "year-2013", "year-2014", "year-2015", "year-2016"]
    assert len(page.kinds) == 12 and page.kinds.count("summit") == 6
    assert set(page.filters) == {"summit", "ministers", "heads-of-government", "exercise", "institution", "forum"}
    declaration_links = [u for u in page.links if u.startswith("declarations/")]
    assert sorted(declaration_links) == sorted(f"declarations/{d}.html" for d in (
        "2011-port-alder", "2012-kestrel", "2013-valmora", "2014-tessaly", "2015-ombrin", "2016-port-alder"))
    for url in page.links:
        if not url.startswith(("#", "http")):
            assert (out / url.split("#")[0]).is_file(), url
    assert "timeline.html" in parse(out / "index.html").links  # in the navigation and the index
    assert "../timeline.html" in parse(out / "declarations" / "2013-valmora.html").links


def test_a_declaration_page_shows_the_events_of_its_year(site):
    _, out = site
    html = (out / "declarations" / "2013-valmora.html").read_text("utf-8")
    section = html.split('<h2 id="events">Events of 2013</h2>')[1].split("</ul>")[0]
    items = re.findall(r"<li data-kind=\"([a-z-]+)\">", section)
    assert items == ["institution", "exercise", "summit", "forum"]
    assert "The permanent secretariat opens in Tessaly" in section
    assert 'href="2013-valmora.html"' not in section and 'href="../declarations/2013-valmora.html"' in section
    assert '../timeline.html#year-2013' in html
    html_2012 = (out / "declarations" / "2012-kestrel.html").read_text("utf-8")
    assert "Fictional accounts differ on the days" in html_2012  # the disputed fact, said beside the event


def test_a_new_event_remakes_only_the_pages_that_show_events(site, cli, nlp):
    root, out = site
    assert cli("--texts", root, "event", "add", "--date", "2014-09-09", "--place", "Lisk", "--kind", "exercise",
               "--description", "Second joint exercise in the Lisk hills").exit_code == 0
    report = build_site(Corpus.open(root), out, nlp=nlp)
    remade = set(report.build.made)
    assert {"timeline.html", "appendix/chronology.html"} <= remade
    assert not [p for p in remade if p.startswith(("compare/", "themes/"))]
    assert "Second joint exercise in the Lisk hills" in (out / "declarations" / "2014-tessaly.html").read_text("utf-8")
    assert "Second joint exercise" not in (out / "declarations" / "2013-valmora.html").read_text("utf-8")


def test_the_kind_filter_works_in_a_browser(site, page):
    _, out = site
    page.goto((out / "timeline.html").resolve().as_uri())
    page.wait_for_load_state("load")
    assert page.errors == []
    assert page.locator("tr.event:visible").count() == page.locator("tr.event").count()
    summits = page.locator('tr.event[data-kind="summit"]').count()
    page.locator('input[name="kind"][value="summit"]').uncheck()
    assert page.locator('tr.event[data-kind="summit"]:visible').count() == 0
    assert page.locator("tr.event:visible").count() == page.locator("tr.event").count() - summits
    page.locator('input[name="kind"]').evaluate_all("boxes => boxes.forEach(b => { if (b.value !== 'forum') "
                                                    "{ b.checked = false; b.dispatchEvent(new Event('change')); } })")
    assert page.locator("tr.event:visible").count() == 1
    assert page.locator("#year-2011").is_hidden()  # a year with nothing left to show folds away
    assert page.errors == []


def test_the_site_chronology_page_keeps_the_site_navigation(site):
    _, out = site
    links = parse(out / "appendix" / "chronology.html").links
    assert "../index.html" in links and "../timeline.html" in links
    for url in links:
        if not url.startswith(("#", "http")):
            assert (out / "appendix" / url.split("#")[0]).resolve().is_file(), url
