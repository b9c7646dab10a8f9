"""Alignment on real-edition shapes: copy-edited spelling, run-on preambles, weak links, variants in JSON/HTML."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sco_decl.analysis.pipeline import parse
from sco_decl.compare.align import AlignOptions, Link, align, read_gold, score_links
from sco_decl.compare.comparison import align_parsed
from sco_decl.compare.similarity import canonical

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def _parsed(name: str, nlp):
    return parse((LAYOUTS / f"{name}.txt").read_text("utf-8"), nlp)


def _gold(name: str, left, right) -> list[Link]:
    return read_gold((LAYOUTS / name).read_text("utf-8"), [s.text for s in left.sentences],
                     [s.text for s in right.sentences])


@pytest.mark.parametrize(("a", "b"), [
    ("co-operation", "cooperation"), ("co operation", "cooperation"), ("Organisation", "Organization"),
    ("the twenty-first century", "the 21st century"), ("four hundred delegates", "400 delegates"),
    ("favourable labour programme", "favorable labor program"), ("centres of defence", "centers of defense"),
    ("“dialogue”", "\"dialog\""), ("the Parties’ travelled", "the Parties' traveled"),
])
def test_spelling_and_typographic_variants_fold_to_one_form(a, b):
    assert canonical(a.split()) == canonical(b.split())


@pytest.mark.parametrize(("a", "b"), [("four countries", "for countries"), ("filled", "filed"),
                                      ("the first state", "the second state"), ("our hour", "our tour")])
def test_real_differences_do_not_fold(a, b):
    assert canonical(a.split()) != canonical(b.split())


def test_an_american_copy_of_a_british_text_is_the_same_with_its_variants_listed(nlp):
    left, right = _parsed("clean", nlp), _parsed("american", nlp)
    links = align_parsed(left, right)
    assert [link.kind for link in links] == ["same"] * len(left.sentences)
    variants = {tuple(v) for link in links for v in link.variants}
    assert {("co-operation", "cooperation"), ("twenty-first", "21st"), ("Organisation", "Organization"),
            ("400", "four hundred"), ("“", "\""), ("—", "-")} <= variants
    plain = [link for link in links if left.sentences[link.left[0]].text == right.sentences[link.right[0]].text]
    assert plain and all(link.variants == () for link in plain)


def test_a_run_on_preamble_links_to_all_four_sentences_of_the_split_one(nlp):
    left, right = _parsed("runon", nlp), _parsed("clean", nlp)
    links = align_parsed(left, right)
    assert (links[0].left, links[0].right, links[0].kind) == ((0,), (0, 1, 2, 3), "changed")
    got = [Link(k.kind, tuple(k.left), tuple(k.right), k.similarity) for k in links]
    assert score_links(got, _gold("align-runon--clean.tsv", left, right)).f1 == 1.0


def test_gap_fill_pairs_only_above_the_floor_and_low_links_are_weak():
    # anchors around one gap; the gap's two sentences share a little wording
    anchor = ["member", "state", "agree", "develop", "trade", "investment", "transport", "corridor"]
    close = ["council", "meet", "lisk", "autumn", "discuss", "budget", "annual", "report"]
    left = [anchor, close + ["railway", "harbour"], list(reversed(anchor)) + ["energy"]]
    right = [anchor, close[:4] + ["kestrel", "spring", "review", "plan", "ministry", "water"],
             list(reversed(anchor)) + ["energy"]]
    links = align(left, right)
    middle = [link for link in links if link.left == (1,) or link.right == (1,)]
    assert len(middle) == 1 and middle[0].weak and 0.33 <= middle[0].similarity < 0.45
    strict = align(left, right, AlignOptions(gap_threshold=0.6))
    assert [(link.kind, link.left, link.right) for link in strict if 1 in link.left or 1 in link.right] == \
        [("removed", (1,), ()), ("added", (), (1,))]
    assert not any(link.weak for link in links if link.kind == "same")
    below = [anchor, close[:3] + ["kestrel", "spring", "review", "plan", "ministry", "water", "forest"], right[2]]
    assert [link.kind for link in align(left, below) if 1 in link.left or 1 in link.right] == ["removed", "added"]


def test_compare_json_and_html_carry_variants_and_weak(cli, tmp_path):
    texts = tmp_path / "texts"
    assert cli("--texts", texts, "new", "2017-lisk", "--title", "Lisk Declaration", "--date", "2017-06-09",
               "--place", "Lisk").exit_code == 0
    for name, edition in (("clean", "uk"), ("american", "us")):
        assert cli("--texts", texts, "add", LAYOUTS / f"{name}.txt", "--to", "2017-lisk",
                   "--edition", edition).exit_code == 0
    data = json.loads(cli("--texts", texts, "compare", "2017-lisk@uk", "2017-lisk@us", "--format", "json").output)
    assert data["counts"]["same"] == len(data["left"]["sentences"]) and data["counts"]["changed"] == 0
    assert all(isinstance(link["variants"], list) and link["weak"] is False for link in data["alignment"])
    assert ["co-operation", "cooperation"] in [v for link in data["alignment"] for v in link["variants"]]
    assert data["left"]["locators"][4] == "I.1"
    out = tmp_path / "c.html"
    assert cli("--texts", texts, "compare", "2017-lisk@uk", "2017-lisk@us", "-o", out).exit_code == 0

    class Titles(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "variants" in (attrs.get("class") or "").split():
                self.found.append(attrs["title"])

    parser = Titles()
    parser.feed(out.read_text("utf-8"))
    assert any("co-operation / cooperation" in title for title in parser.found)
