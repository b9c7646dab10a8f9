"""The chart and appendix pages in headless Chromium: they render offline, without console errors."""
from __future__ import annotations

import datetime as dt

import pytest

from sco_decl.outputs import chart as ch

pytestmark = pytest.mark.browser


def open_offline(page, path):
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    assert page.errors == []
    assert all(url.startswith(("file://", "data:")) for url in page.requests), page.requests


def test_chart_page_renders_offline(page, tmp_path):
    points = [ch.Point(f"{y}-x@s:r1", f"{y}-x", "s", 1, "a" * 64, dt.date(y, 6, 15), c, "T")
              for y, c in [(2011, "Lisk"), (2012, "Kestrel"), (2013, "Ombrin")]]
    series = [ch.Series("sovereignty", "Sovereignty", "#1f77b4", (1.0, 2.0, 0.5)),
              ch.Series("terrorism", "Terrorism", "#d62728", (0.0, 2.0, 2.5))]
    passages = {("terrorism", 1): [ch.Passage("§II ¶5", 9, (("<script>alert(1)</script> against ", False),
                                                            ("terrorism", True), (".", False)))]}
    path = tmp_path / "chart.html"
    path.write_text(ch.render_chart(ch.ChartData("rate", points, series, passages), ".html"), "utf-8")
    page.on("dialog", lambda dialog: page.errors.append("a dialog opened: " + dialog.message))
    open_offline(page, path)
    box = page.locator("figure svg").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    assert page.locator("table.values tbody tr").count() == 3
    assert page.locator("#year-1 mark").inner_text() == "terrorism"
    assert "<script>alert(1)</script>" in page.locator("#year-1 li").inner_text()
    assert page.locator('svg g[id^="series-"]').count() == 2


def test_chart_and_appendix_pages_from_the_cli(page, cli, mco_root, tmp_path):
    for args, name in ((["chart", "sovereignty", "terrorism"], "chart.html"),
                       (["chart", "--all-themes"], "heat.html"),
                       (["appendix"], "appendix.html"),
                       (["appendix", "--chronology"], "chronology.html")):
        target = tmp_path / name
        result = cli("--texts", mco_root, *args, "-o", target)
        assert result.exit_code == 0, result.output
        open_offline(page, target)
        assert page.locator("h1").count() == 1
        if name.startswith("appendix"):
            assert page.locator("table.data-table tbody tr").count() == 6
        elif name.startswith("chronology"):  # every catalogued summit is an event, linked to its declaration
            assert page.locator("table.data-table tr.event [data-declaration]").count() == 6
        else:
            assert page.locator("figure svg").bounding_box()["width"] > 300
