"""The site as a person uses it: opened from disk in Chromium, links followed, search typed, no network."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sco_decl.site.build import build_site

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SCO_DECL_SCREENSHOTS", Path(__file__).resolve().parents[1] / "build" / "screenshots"))


@pytest.fixture(scope="module")
def site_dir(mco_root, tmp_path_factory, nlp):
    from sco_decl.store.corpus import Corpus

    out = tmp_path_factory.mktemp("browse") / "site"
    build_site(Corpus.open(mco_root), out, nlp=nlp)
    return out


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"site-{name}.png"), full_page=False)


def test_browse_the_site_from_disk(page, site_dir):
    page.goto((site_dir / "index.html").as_uri())
    assert page.title().startswith("Declarations")
    assert page.locator("table.heat tbody tr").count() == 6
    shot(page, "index")

    page.fill("#search", "interference")
    page.wait_for_function("document.querySelectorAll('#results li').length > 0")
    first = page.locator("#results li a").first
    assert "sentence" in page.inner_text("#search-status")
    first.click()
    page.wait_for_load_state()
    assert "/declarations/" in page.url and "#s" in page.url
    assert page.locator(".s:target").count() == 1
    shot(page, "declaration")

    page.goto((site_dir / "index.html").as_uri())
    page.click("text=2015-ombrin@secretariat:r1 → 2016-port-alder@secretariat:r1")
    page.wait_for_load_state()
    assert "/compare/" in page.url and page.locator("tr").count() > 10
    shot(page, "compare")

    page.goto((site_dir / "index.html").as_uri())
    page.click("table.heat thead a >> nth=0")
    page.wait_for_load_state()
    assert "/themes/" in page.url and page.locator("svg").count() >= 1
    shot(page, "chart")

    page.goto((site_dir / "index.html").as_uri())
    page.click("text=Appendix table")
    page.wait_for_load_state()
    assert "/appendix/" in page.url and page.locator("table").count() >= 1
    shot(page, "appendix")

    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), [u for u in page.requests if not u.startswith("file://")]
