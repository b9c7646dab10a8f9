"""compare: the JSON contract, the HTML page (parsed), the terminal view and the CLI, on the MCO corpus."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from clicheck import one_line_error, unwritable_folder
from sco_decl._version import __version__
from sco_decl.compare.comparison import compare
from sco_decl.outputs.formats import RENDERERS, render_comparison
from sco_decl.errors import OutputError
from sco_decl.store.corpus import Corpus

PAYLOAD_SCRIPT = "<script>alert(1)</script>"
PAYLOAD_IMG = '"><img src=x onerror=alert(2)>'


class Elements(HTMLParser):
    """Collects start tags with attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed_html(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def xss_corpus(root) -> Corpus:
    """Two tiny fictional declarations whose texts and titles carry HTML payloads."""
    corpus = Corpus.open(root)
    corpus.new_declaration("2020-lisk", title=f"Lisk Declaration {PAYLOAD_IMG}", date="2020-06-01", place="Lisk")
    corpus.new_declaration("2021-ombrin", title="Ombrin Declaration", date="2021-06-01", place="Ombrin")
    corpus.add("2020-lisk", "secretariat", f"Lisk Declaration\n\nThe Member States met in Lisk. They wrote "
               f"{PAYLOAD_SCRIPT} on the board.\n\nThe Bank will open in Kestrel.\n", source="test")
    corpus.add("2021-ombrin", "secretariat", f"Ombrin Declaration\n\nThe Member States met in Ombrin. They wrote "
               f"{PAYLOAD_SCRIPT} and {PAYLOAD_IMG} on the board.\n\nA new forum for youth was founded.\n",
               source="test")
    return corpus


@pytest.fixture(scope="module")
def years(mco_root, nlp):
    return compare(Corpus.open(mco_root), "2014", "2015", nlp=nlp)


def test_json_contract(years):
    data = json.loads(render_comparison(years, "json"))
    assert {"tool", "left", "right", "alignment", "themes"} <= set(data)
    assert data["tool"]["name"] == "sco-decl" and data["tool"]["version"]
    for side in ("left", "right"):
        assert {"ref", "revision", "sentences"} <= set(data[side])
        assert len(data[side]["revision"]) == 64 and int(data[side]["revision"], 16) >= 0
    assert data["left"]["ref"].startswith("2014-tessaly@secretariat")
    seen = {"left": [], "right": []}
    for link in data["alignment"]:
        assert link["kind"] in {"same", "changed", "moved", "removed", "added"}
        assert 0.0 <= link["similarity"] <= 1.0
        seen["left"] += link["left"]
        seen["right"] += link["right"]
        if link["kind"] == "removed":
            assert link["left"] and not link["right"]
        if link["kind"] == "added":
            assert link["right"] and not link["left"]
    for side in ("left", "right"):
        assert sorted(seen[side]) == list(range(len(data[side]["sentences"])))
    kinds = {link["kind"] for link in data["alignment"]}
    assert {"same", "changed", "moved", "removed", "added"} <= kinds
    assert sum(data["counts"].values()) == len(data["alignment"])


def test_sentence_indices_are_the_parsed_sentences(years):
    data = years.to_json()
    for link in data["alignment"]:
        if link["kind"] == "same":
            left = data["left"]["sentences"][link["left"][0]]
            right = data["right"]["sentences"][link["right"][0]]
            assert left.lower() == right.lower()


def test_word_ops_show_the_change(years):
    changed = [link for link in years.to_json()["alignment"] if link["kind"] == "changed"]
    ops = [op for link in changed for op in link["ops"]]
    assert any(op["op"] == "replace" and "Tessaly" in op["left"] and "Ombrin" in op["right"] for op in ops)


def test_new_and_dropped_phrases_point_at_rows(years):
    texts = [p.text for p in years.new_phrases]
    assert any("final timeline" in t for t in texts), texts
    for phrase in years.new_phrases:
        link = years.links[phrase.row - 1]
        assert phrase.sentence in link.right


def test_html_page_structure(years):
    html = render_comparison(years, "html")
    page = parsed_html(html)
    rows = [a for tag, a in page.tags if tag == "tr" and "row" in (a.get("class") or "").split()]
    assert len([r for r in rows if not r.get("data-ghost")]) == len(years.links)
    moved = [r for r in rows if r["data-kind"] == "moved"]
    assert len(moved) == 2 * years.counts["moved"]  # the row and its ghost at B's place
    ids = {a.get("id") for _, a in page.tags}
    hrefs = {a["href"][1:] for tag, a in page.tags if tag == "a" and (a.get("href") or "").startswith("#")}
    assert hrefs <= ids, "every permalink and counterpart link points at a row on the page"
    for needed in ("only-changes", "next-change", "prev-change", "toggle-themes", "new-phrases", "dropped-phrases"):
        assert needed in ids
    assert all(tag != "link" and not (tag == "script" and a.get("src")) for tag, a in page.tags), "self-contained"
    text = "".join(page.text)
    assert years.left.sha256 in text and years.right.sha256 in text
    assert "Similarity" in text and "@media print" in html
    header = html.split('id="comparison"')[0]
    assert f"sco-decl {__version__}" in header, "the tool version is in the header (folded under 'The two texts')"
    assert "<del>Tessaly</del>" in html and "<ins>Ombrin</ins>" in html


def test_markup_in_texts_and_titles_is_escaped(tmp_path, nlp):
    comparison = compare(xss_corpus(tmp_path / "texts"), "2020", "2021", nlp=nlp)
    html = render_comparison(comparison, "html")
    page = parsed_html(html)
    assert not [a for tag, a in page.tags if tag == "img"]
    assert sum(1 for tag, _ in page.tags if tag == "script") == 1  # only the page's own script
    text = "".join(page.text)
    assert PAYLOAD_SCRIPT in text and "onerror=alert(2)>" in text


def test_text_view_plain_and_coloured(years):
    plain = render_comparison(years, "text", color=False, width=100)
    assert "\x1b[" not in plain
    assert "[-Tessaly" in plain and "{+Ombrin" in plain
    assert all(len(line) <= 100 for line in plain.splitlines()[3:])
    coloured = render_comparison(years, "text", color=True, width=100)
    assert "\x1b[31m" in coloured and "\x1b[32m" in coloured


def test_renderers_by_format():
    assert set(RENDERERS) == {"html", "json", "text"}


def test_unknown_format_is_an_error(years):
    with pytest.raises(OutputError, match="choose one of"):
        render_comparison(years, "pdf")


def test_cli_writes_default_html_file(mco_root, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("--texts", mco_root, "compare", "2011", "2012")
    assert result.exit_code == 0, result.output
    out = tmp_path / "compare-2011-2012.html"
    assert out.is_file() and "wrote compare-2011-2012.html" in result.output
    assert "2011-port-alder@secretariat:r1" in out.read_text("utf-8")


def test_cli_json_to_file_and_two_editions(mco_root, cli, tmp_path):
    out = tmp_path / "eds.json"
    result = cli("--texts", mco_root, "compare", "2013@secretariat", "2013@wire", "--format", "json", "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["left"]["edition"] == "secretariat" and data["right"]["edition"] == "wire"
    merges = [link for link in data["alignment"] if len(link["left"]) + len(link["right"]) == 3]
    assert merges, "the wire translation merges sentences; some link is 2-1 or 1-2"
    unmatched = [link for link in data["alignment"] if link["kind"] in ("removed", "added")]
    assert len(unmatched) <= 1, "a translation says everything once: next to nothing is unmatched"


def test_cli_text_to_stdout_is_plain(mco_root, cli):
    result = cli("--texts", mco_root, "compare", "2014", "2015", "--format", "text")
    assert result.exit_code == 0
    assert "\x1b[" not in result.output and "similarity" in result.output


def test_cli_bad_reference_is_one_line_error(mco_root, cli, tmp_path):
    out = tmp_path / "x.html"
    result = cli("--texts", mco_root, "compare", "2014", "1999", "-o", out)
    one_line_error(result, "1999")
    assert result.exit_code == 1 and not out.exists()


def test_cli_unwritable_output_is_one_line_error(mco_root, cli, tmp_path):
    folder = unwritable_folder(tmp_path)
    one_line_error(cli("--texts", mco_root, "compare", "2014", "2015", "-o", folder / "c.html"), str(folder))
    missing = tmp_path / "missing" / "c.html"
    one_line_error(cli("--texts", mco_root, "compare", "2014", "2015", "-o", missing), "does not exist")


def test_cli_open_needs_html(mco_root, cli):
    result = cli("--texts", mco_root, "compare", "2014", "2015", "--format", "json", "--open")
    assert result.exit_code == 2 and "--open" in result.output


def test_theme_rates_and_matches(years):
    data = years.to_json()["themes"]
    assert data["available"] and len(data["lexicon"]) == 64
    rates = {r["theme"]: r for r in data["rates"]}
    assert rates, "the shipped lexicon has themes"
    for r in rates.values():
        assert r["change"] == pytest.approx(r["right"]["rate_per_1000"] - r["left"]["rate_per_1000"], abs=1e-3)
    assert any(r["left"]["matches"] != r["right"]["matches"] for r in rates.values())
    sentences = years.to_json()["right"]["sentences"]
    for m in data["matches"]["right"]:
        assert m["theme"] in rates
        assert 0 <= m["start"] < m["end"] <= len(sentences[m["sentence"]])


def test_theme_terms_highlighted_with_legend(years):
    html = render_comparison(years, "html")
    page = parsed_html(html)
    terms = [a for tag, a in page.tags if tag == "span" and a.get("class") == "theme-term" and a.get("data-theme")]
    assert terms and all(a["style"].startswith("--theme-colour: #") and a["title"].startswith("theme: ")
                         for a in terms)
    assert "Theme rates (matches per 1,000 words)" in html
    legend = html.split('<p class="legend">', 1)[1].split("</p>", 1)[0]
    used = {a["data-theme"] for a in terms}
    labels = {r.theme: r.label for r in years.themes.rows}
    assert all(labels[t] in legend for t in used)


def test_no_themes_option(mco_root, cli, tmp_path):
    out = tmp_path / "plain.json"
    assert cli("--texts", mco_root, "compare", "2014", "2015", "--no-themes", "--format", "json", "-o", out).exit_code == 0
    assert json.loads(out.read_text("utf-8"))["themes"]["available"] is False
    page = tmp_path / "plain.html"
    assert cli("--texts", mco_root, "compare", "2014", "2015", "--no-themes", "-o", page).exit_code == 0
    html = page.read_text("utf-8")
    assert 'class="theme-term"' not in html.split('<table class="compare"')[1]
    assert "theme analysis was not asked for" in html


def test_cli_open_hands_the_written_page_to_a_browser(mco_root, cli, tmp_path, monkeypatch):
    import webbrowser

    opened = []
    monkeypatch.setenv("DISPLAY", ":0")  # a graphical session, so a browser can be asked
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    out = tmp_path / "page.html"
    assert cli("--texts", mco_root, "compare", "2014", "2015", "-o", out, "--open").exit_code == 0
    assert opened == [out.resolve().as_uri()]


def test_an_overlap_of_themes_is_cut_and_coloured_as_on_the_declaration_page():
    """One span cutter: the compare page's pieces and the declaration page's segments agree on overlaps."""
    from sco_decl.outputs.spans import pieces, segments

    text = "They reject interference under the pretext of fighting terrorism."
    marks = [(12, 24, "non-interference"), (12, 65, "zeta"), (56, 65, "terrorism")]
    cut = pieces(text, [(35, 42)], marks)
    page = segments(text, marks)
    assert "".join(p.text for p in cut) == text
    runs = {(s.text, s.themes) for s in page}
    for p in cut:
        covering = [s for s in page if p.text in s.text and p.themes == s.themes]
        assert covering, (p, runs)
    assert next(p for p in cut if p.text == "interference").theme == "non-interference"
    assert next(p for p in cut if p.text == "pretext").changed
