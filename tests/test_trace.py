"""trace: a phrase's best passage per declaration, its similarity, its changes and first appearance."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from clicheck import one_line_error

from sco_decl.store.corpus import Corpus
from sco_decl.analysis.trace import trace


class Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str | None]] = []
        self.stack: list[str] = []
        self.ins: list[str] = []
        self.dels: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-ref" in attrs:
            self.rows.append(attrs)
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "ins" and self.rows:
            self.ins.append(data)
        if self.stack and self.stack[-1] == "del" and self.rows:
            self.dels.append(data)


def test_wording_is_marked_against_the_previous_year(mco_root, nlp):
    corpus = Corpus.open(mco_root)
    revisions = [corpus.resolve(r) for r in ("2011", "2012")]
    result = trace(corpus, revisions, "interfere in the internal affairs", nlp=nlp)
    first, second = result.steps
    assert first.first and first.passage == "interfere in the internal affairs" and first.similarity == 1.0
    assert second.present and not second.first and second.changed
    assert second.passage == "interfere in each other's internal affairs"
    assert [(o.op, o.text) for o in second.ops] == [("same", "interfere in"), ("del", "the"),
                                                    ("ins", "each other's"), ("same", "internal affairs")]
    assert second.sentence and second.passage in second.sentence and second.locator == "I.2"


def test_spelling_variants_compare_equal(mco_root, nlp):
    corpus = Corpus.open(mco_root)
    result = trace(corpus, corpus.texts_present(), "non-interference in internal affairs", nlp=nlp)
    assert all(s.present for s in result.steps)
    by_id = {s.id: s for s in result.steps}
    assert by_id["2012-kestrel"].passage == "noninterference in internal affairs"
    assert by_id["2012-kestrel"].similarity == 1.0
    assert by_id["2013-valmora"].passage == "non interference in their internal affairs"


def test_first_appearance_and_absence(mco_root, cli):
    result = cli("--texts", mco_root, "trace", "multipolar world", "--format", "json")
    data = json.loads(result.output)
    assert data["first"] == {"ref": "2012-kestrel@secretariat:r1", "date": "2012-06-07"}
    steps = data["steps"]
    assert [s["date"][:4] for s in steps] == ["2011", "2012", "2013", "2014", "2015", "2016"]
    assert not steps[0]["present"] and steps[0]["similarity"] < 0.7 and steps[1]["first"]
    assert steps[2]["ops"] == [{"op": "del", "text": "multi-polar"}, {"op": "ins", "text": "multipolar"},
                               {"op": "same", "text": "world"}]
    text = cli("--texts", mco_root, "trace", "multipolar world").output
    assert "not found" in text and "first appears: 2012-06-07 2012-kestrel@secretariat:r1" in text
    never = cli("--texts", mco_root, "trace", "glacier cooperation fund", "2011", "2012").output
    assert "never appears" in never


def test_html_marks_insertions_and_deletions(mco_root, cli, tmp_path):
    out = tmp_path / "trace.html"
    result = cli("--texts", mco_root, "trace", "interfere in the internal affairs", "2011", "2012",
                 "--format", "html", "-o", out)
    assert result.exit_code == 0
    page = Marks()
    page.feed(out.read_text("utf-8"))
    assert [r["data-ref"] for r in page.rows] == ["2011-port-alder@secretariat:r1", "2012-kestrel@secretariat:r1"]
    assert "first" in page.rows[0]["class"]
    assert page.ins == ["each other's"] and page.dels == ["the"]


def test_bad_input(mco_root, cli, mco_corpus):
    one_line_error(cli("--texts", mco_root, "trace", "sovereignty", "--threshold", "1.5"), "--threshold 1.5")
    one_line_error(cli("--texts", mco_root, "trace", ", ;; -"), "no words to trace")
    assert cli("--texts", mco_root, "trace", "  ").exit_code == 2
    mco_corpus.new_declaration("2003-moscow", title="M", date="2003-05-29", place="Moscow")
    one_line_error(cli("--texts", mco_corpus.root, "trace", "sovereignty", "2003-moscow"),
                   "2003-moscow has no text yet")


@pytest.mark.browser
def test_html_page_in_chromium(mco_root, cli, tmp_path, page):
    out = tmp_path / "trace.html"
    result = cli("--texts", mco_root, "trace", "non-interference in internal affairs", "--format", "html", "-o", out)
    assert result.exit_code == 0
    page.goto(out.resolve().as_uri())
    page.wait_for_load_state("load")
    assert page.errors == [] and all(u.startswith("file://") for u in page.requests)
    assert page.locator("table.trace tbody tr").count() == 6
    assert page.locator("tr.first .first-mark").count() == 1
    assert page.locator("tr.present").nth(2).locator("ins").all_inner_texts() == ["non interference", "their"]
    assert "2011-06-14" in page.locator("main p").nth(1).inner_text()
