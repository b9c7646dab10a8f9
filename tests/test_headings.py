"""Comparison headings say what is compared: two summits, two editions of one declaration, or one text
with itself."""
from __future__ import annotations


def test_headings_name_editions_and_self_comparison(cli, mco_root):
    editions = cli("--texts", mco_root, "compare", "2013@secretariat", "2013@wire", "--format", "text").stdout
    first = editions.splitlines()[0]
    assert first.startswith("Valmora Declaration") and first.endswith(", secretariat vs wire edition")
    years = cli("--texts", mco_root, "compare", "2014", "2015", "--format", "text").stdout.splitlines()[0]
    assert "(2014, Tessaly) vs " in years and years.endswith("(2015, Ombrin)")
    same = cli("--texts", mco_root, "compare", "2014", "2014", "--format", "text").stdout.splitlines()[0]
    assert same.endswith("secretariat edition, compared with itself (the same revision)")
    page = cli("--texts", mco_root, "compare", "2014", "2014", "-o", "-").stdout
    assert "compared with itself" in page.split("</h1>")[0] and "Both sides are the same text" in page
    page = cli("--texts", mco_root, "compare", "2013@wire", "2013@secretariat", "-o", "-").stdout
    assert page.split("<h1>")[1].split("</h1>")[0].endswith("wire vs secretariat edition")
    assert "Both sides are the same text" not in page
