"""Pages as a person sees them at 1280 px in Chromium: nothing runs off the page, the declaration page lets
the reader switch between editions, and the first screen shows what the page is for. Screenshots go to
build/screenshots/ (ignored by git) for a person to look at."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SCO_DECL_SCREENSHOTS", Path(__file__).resolve().parents[1] / "build" / "screenshots"))
WIDTH = 1280


def shot(page, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def fits(page) -> None:
    """No horizontal scrolling of the page itself (a wide table scrolls inside its own box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"page is {width}px wide at a {WIDTH}px window"


@pytest.fixture
def wide(page):
    page.set_viewport_size({"width": WIDTH, "height": 800})
    return page


@pytest.fixture(scope="module")
def site_dir(mco_root, tmp_path_factory, nlp):
    from sco_decl.site.build import build_site
    from sco_decl.store.corpus import Corpus

    out = tmp_path_factory.mktemp("layout") / "site"
    build_site(Corpus.open(mco_root), out, nlp=nlp)
    return out


def test_declaration_page_shows_every_edition(wide, site_dir):
    page = wide
    page.goto((site_dir / "declarations" / "2013-valmora.html").as_uri())
    tabs = page.locator(".edition-tabs [role=tab]")
    assert tabs.count() == 2 and "default" in tabs.nth(0).inner_text()
    secretariat, wire = page.locator("#text-secretariat"), page.locator("#text-wire")
    assert secretariat.is_visible() and not wire.is_visible()
    shot(page, "site-declaration-two-editions")
    page.click("#tab-wire")
    assert wire.is_visible() and not secretariat.is_visible()
    assert page.get_attribute("#tab-wire", "aria-selected") == "true"
    assert "wire edition" in wire.inner_text() and wire.locator(".s").count() > 10
    fits(page)
    shot(page, "site-declaration-wire-tab")
    page.goto((site_dir / "declarations" / "2013-valmora.html").as_uri() + "#wire-s3")
    assert wire.is_visible()  # a link into the other edition opens its tab
    assert page.errors == []


def test_chart_page_shows_the_figure_large_and_the_title_once(wide, site_dir):
    page = wide
    page.goto((site_dir / "themes" / "heatmap.html").as_uri())
    fits(page)
    page.goto((site_dir / "themes" / "sovereignty.html").as_uri())
    box = page.locator("figure svg").bounding_box()
    assert box["width"] >= 900 and box["y"] < 300  # large, and on the first screen
    title = page.locator("h1").inner_text()
    assert page.locator("svg text", has_text=title).count() == 0
    fits(page)
    shot(page, "chart-page")
    assert page.errors == []


def test_appendix_and_heat_map_fit_1280(wide, site_dir):
    page = wide
    page.goto((site_dir / "appendix" / "appendix.html").as_uri())
    fits(page)
    shot(page, "appendix-html")
    page.goto((site_dir / "index.html").as_uri())
    fits(page)
    assert page.errors == []


def test_compare_first_screen_shows_the_comparison(wide, cli, mco_root, tmp_path):
    page = wide
    target = tmp_path / "c.html"
    cli("--texts", mco_root, "compare", "2013@secretariat", "2013@wire", "-o", target)
    page.goto(target.as_uri())
    assert page.locator("h1").inner_text().endswith("secretariat vs wire edition")
    first_row = page.locator("#comparison tbody tr").first.bounding_box()
    assert first_row["y"] < 800  # the comparison starts on the first screen
    assert not page.locator("table.sides").is_visible() and not page.locator("table.theme-rates").is_visible()
    fits(page)
    shot(page, "compare-first-screen")
    page.click("details.about > summary")
    assert page.locator("table.sides").is_visible() and page.locator("table.theme-rates").is_visible()
    fits(page)
    shot(page, "compare-details-open")
    assert page.errors == []
