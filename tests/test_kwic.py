"""kwic: concordance lines for a theme or a phrase, in every format, on the MCO corpus."""
from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from clicheck import one_line_error


class Rows(HTMLParser):
    """Collects the kwic table rows (their data attributes) and the keyword cells' text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str | None]] = []
        self.keywords: list[str] = []
        self._in_kw = False
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-ref" in attrs:
            self.rows.append(attrs)
        self._in_kw = self._in_kw or (tag == "td" and attrs.get("class") == "kw")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_kw = False
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_kw and data.strip():
            self.keywords.append(data.strip())
        if self._in_title:
            self.title += data


def kwic_json(cli, root, *args):
    result = cli("--texts", root, "kwic", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_theme_lines_by_date_with_locators(mco_root, cli):
    data = kwic_json(cli, mco_root, "--theme", "non-interference")
    lines = data["lines"]
    assert data["query"] == {"theme": "non-interference"} and data["tool"]["version"]
    assert [l["date"] for l in lines] == sorted(l["date"] for l in lines)
    assert {l["id"] for l in lines} == {"2011-port-alder", "2012-kestrel", "2013-valmora", "2014-tessaly",
                                       "2015-ombrin", "2016-port-alder"}
    assert "non-interference in internal affairs" in [l["keyword"] for l in lines]
    assert all(re.match(r"^(§[IVXLC]+ ¶\d+|¶\d+|(?:[IVXLC]+\.)?\d+)$", l["locator"]) and len(l["sha256"]) == 64 for l in lines)
    themes = json.loads(cli("--texts", mco_root, "themes", "--theme", "non-interference", "--format", "json").output)
    assert len(lines) == sum(d["themes"]["non-interference"]["matches"] for d in themes["documents"])


def test_context_is_clipped_to_width(mco_root, cli):
    data = kwic_json(cli, mco_root, "--theme", "sovereignty", "2011", "--width", "12")
    assert data["width"] == 12
    for line in data["lines"]:
        assert len(line["left"]) <= 12 and len(line["right"]) <= 12
    assert any(l["left"].startswith("…") for l in data["lines"])


def test_phrase_uses_the_pattern_syntax(mco_root, cli):
    data = kwic_json(cli, mco_root, "interfere ...5 internal|domestic affairs", "2012", "2015")
    assert data["query"] == {"phrase": "interfere ...5 internal|domestic affairs"}
    assert [(l["id"], l["keyword"]) for l in data["lines"]] == [
        ("2012-kestrel", "interfere in each other's internal affairs"),
        ("2015-ombrin", "interfering in the domestic affairs")]


def test_text_output_marks_the_keyword(mco_root, cli):
    result = cli("--texts", mco_root, "kwic", "multi-polar", "2012")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 1 and "[multi-polar] world" in lines[0] and "2012-kestrel@secretariat:r1  IV.13" in lines[0]


def test_no_matches_says_so(mco_root, cli):
    result = cli("--texts", mco_root, "kwic", "afghanistan", "2011")
    assert result.exit_code == 0 and result.output.startswith("no matches")


def test_csv_and_html_carry_the_same_lines(mco_root, cli):
    data = kwic_json(cli, mco_root, "--theme", "terrorism", "2011", "2012")
    rows = list(csv.DictReader(io.StringIO(cli("--texts", mco_root, "kwic", "--theme", "terrorism", "2011", "2012",
                                               "--format", "csv").output)))
    assert [(r["ref"], r["keyword"], r["left"]) for r in rows] == [(l["ref"], l["keyword"], l["left"])
                                                                  for l in data["lines"]]
    page = Rows()
    page.feed(cli("--texts", mco_root, "kwic", "--theme", "terrorism", "2011", "2012", "--format", "html",
                  "-o", "-").output)
    assert "Terrorism" in page.title
    assert [r["data-ref"] for r in page.rows] == [l["ref"] for l in data["lines"]]
    assert page.keywords == [l["keyword"] for l in data["lines"]]


def test_html_escapes_text(tmp_path, cli, nlp):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(tmp_path / "texts")
    corpus.new_declaration("2011-x", title="X", date="2011-01-01", place="Lisk")
    corpus.add("2011-x", "s", "Title\n\nThe sovereignty of <script>alert(1)</script> states is <b>respected</b>.\n",
               source="t")
    out = tmp_path / "k.html"
    result = cli("--texts", corpus.root, "kwic", "--theme", "sovereignty", "--format", "html", "-o", out)
    assert result.exit_code == 0
    html = out.read_text("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html and "<b>" not in html


def test_bad_input(mco_root, cli, mco_corpus):
    result = cli("--texts", mco_root, "kwic")
    assert result.exit_code == 2 and "PHRASE or --theme" in result.output
    one_line_error(cli("--texts", mco_root, "kwic", "--theme", "nope"), "unknown theme 'nope'")
    one_line_error(cli("--texts", mco_root, "kwic", "a (b"), "the PHRASE argument", "not closed")
    mco_corpus.new_declaration("2003-moscow", title="M", date="2003-05-29", place="Moscow")
    one_line_error(cli("--texts", mco_corpus.root, "kwic", "--theme", "terrorism", "2003-moscow"),
                   "2003-moscow has no text yet")


@pytest.mark.browser
def test_html_page_in_chromium(mco_root, cli, tmp_path, page):
    out = tmp_path / "kwic.html"
    assert cli("--texts", mco_root, "kwic", "--theme", "non-interference", "--format", "html", "-o", out).exit_code == 0
    page.goto(out.resolve().as_uri())
    page.wait_for_load_state("load")
    assert page.errors == [] and all(u.startswith("file://") for u in page.requests)
    data = kwic_json(cli, mco_root, "--theme", "non-interference")
    assert page.locator("table.kwic tbody tr").count() == len(data["lines"])
    colour = page.locator("table.kwic td.kw span").first.evaluate("e => getComputedStyle(e).borderBottomColor")
    assert colour == "rgb(198, 40, 40)"  # the theme's colour, #c62828
    assert page.locator("table.kwic tbody tr").first.locator("td.kw").inner_text() == data["lines"][0]["keyword"]
