"""Editions are first-class in a series: one edition per declaration, chosen by --edition/--language, and two
editions of one declaration drawn as labelled variants of one point (chart, appendix), never as two
successive declarations."""
from __future__ import annotations

import csv
import io

import pytest

from sco_decl.analysis.series import Choice, EditionChoiceError, editions_note, select
from sco_decl.outputs import chart as ch


def refs(revisions):
    return [r.ref for r in revisions]


def test_default_is_one_edition_per_declaration(mco_corpus):
    chosen = select(mco_corpus)
    assert len(chosen) == 6 and len({r.declaration for r in chosen}) == 6
    assert {r.edition for r in chosen} == {"secretariat"}


def test_edition_picks_where_present_and_keeps_defaults_elsewhere(mco_corpus):
    chosen = select(mco_corpus, (), Choice(edition="wire"))
    assert "2013-valmora@wire:r1" in refs(chosen) and len(chosen) == 6
    assert [r.edition for r in chosen].count("wire") == 1
    assert refs(select(mco_corpus, ("2012", "2013"), Choice(edition="wire"))) == [
        "2012-kestrel@secretariat:r1", "2013-valmora@wire:r1"]
    assert "2013-valmora also" not in editions_note(chosen) and "(2013-valmora: wire)" in editions_note(chosen)


def test_language_picks_the_edition_in_that_language(mco_corpus):
    decl = mco_corpus.declaration("2013-valmora")
    assert {e.language for e in decl.editions} >= {"en"}
    assert len(select(mco_corpus, (), Choice(language="en"))) == 6
    with pytest.raises(EditionChoiceError, match="languages with text: en"):
        select(mco_corpus, (), Choice(language="xx"))
    with pytest.raises(EditionChoiceError, match="editions with text: secretariat, wire"):
        select(mco_corpus, (), Choice(edition="nope"))


def test_two_editions_are_variants_in_date_order_default_first(mco_corpus):
    chosen = select(mco_corpus, ("2014", "2013@wire", "2013@secretariat", "2012"))
    assert refs(chosen) == ["2012-kestrel@secretariat:r1", "2013-valmora@secretariat:r1", "2013-valmora@wire:r1",
                            "2014-tessaly@secretariat:r1"]
    assert editions_note(chosen) == ("the secretariat edition of each declaration; 2013-valmora also in the "
                                     "wire edition")


def test_chart_draws_variants_at_one_place_off_the_line(cli, mco_root, tmp_path, nlp):
    from sco_decl.analysis.lexicon import load_lexicon
    from sco_decl.workspace import analyse
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(mco_root)
    lexicon = load_lexicon()
    revisions = select(corpus, ("2012", "2013@secretariat", "2013@wire", "2014"))
    data = ch.from_analyses([analyse(corpus, r, lexicon, nlp) for r in revisions], lexicon,
                            [lexicon.get("sovereignty"), lexicon.get("terrorism")])
    assert [p.variant for p in data.points] == [False, False, True, False]
    assert data.points[2].label == "2013 Valmora (wire)"
    ax = ch.build_figure(data, heatmap=False, title=None).axes[0]
    lines = {line.get_gid(): line for line in ax.get_lines() if line.get_gid()}
    years = [d.year for d in lines["series-sovereignty"].get_xdata()]
    assert years == [2012, 2013, 2014]  # the line never goes back to 2013 for the other edition
    assert [d.year for d in lines["variants-sovereignty"].get_xdata()] == [2013]
    assert lines["variants-sovereignty"].get_markerfacecolor() == "white"
    assert "wire" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2012", "2013", "2014"]
    assert any("other edition (2013 wire)" == t.get_text() for t in ax.get_legend().get_texts())
    heat = ch.build_figure(data, heatmap=True, title=None).axes[0]
    labels = [t.get_text() for t in heat.get_xticklabels()]
    assert labels[1] != labels[2] and labels[2].endswith("(wire)")
    out = cli("--texts", mco_root, "chart", "sovereignty", "2013@wire", "2013@secretariat", "-o", tmp_path / "c.csv")
    assert out.exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text("utf-8"))))
    assert [r["edition"] for r in rows] == ["secretariat", "wire"]


def test_coinciding_series_stay_visible_side_by_side():
    import datetime as dt

    points = [ch.Point(f"{y}-x@e:r1", f"{y}-x", "e", 1, "0" * 64, dt.date(y, 6, 1), "Lisk", "T")
              for y in (2011, 2012, 2013)]
    same = (1.0, 2.0, 3.0)
    data = ch.ChartData("rate", points, [ch.Series("a", "A", "#111111", same), ch.Series("b", "B", "#222222", same)])
    ax = ch.build_figure(data, heatmap=False, title=None).axes[0]
    a, b = [line for line in ax.get_lines() if (line.get_gid() or "").startswith("series-")]
    assert all(x < y for x, y in zip(a.get_xdata(), b.get_xdata()))  # drawn apart
    gap = (b.get_xdata()[0] - a.get_xdata()[0]).days
    assert 5 <= gap <= 60  # a marker's width, not a different year


def test_appendix_variants_never_compare_an_edition_with_its_translation(cli, mco_root):
    from sco_decl.compare.comparison import compare
    from sco_decl.store.corpus import Corpus

    out = cli("--texts", mco_root, "appendix", "2012", "2013@wire", "2013@secretariat", "2014", "--format", "csv",
              "--columns", "id,edition,similarity_prev").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["edition"]) for r in rows] == [("2012-kestrel", "secretariat"), ("2013-valmora", "secretariat"),
                                                       ("2013-valmora", "wire"), ("2014-tessaly", "secretariat")]
    corpus = Corpus.open(mco_root)
    assert float(rows[2]["similarity_prev"]) == compare(corpus, "2012", "2013@wire", themes=False).similarity
    # 2014 is compared with 2013's chosen (default) edition, not with the wire translation listed after it
    assert float(rows[3]["similarity_prev"]) == compare(corpus, "2013@secretariat", "2014", themes=False).similarity


def test_edition_option_on_chart_appendix_and_themes(cli, mco_root):
    csv_out = cli("--texts", mco_root, "appendix", "--edition", "wire", "--format", "csv").stdout
    editions = {r["id"]: r["edition"] for r in csv.DictReader(io.StringIO(csv_out))}
    assert editions["2013-valmora"] == "wire" and editions["2012-kestrel"] == "secretariat"
    table = cli("--texts", mco_root, "chart", "terrorism", "--table", "--edition", "wire").stdout
    assert "2013 Valmora" in table and "(wire)" not in table  # chosen, not a variant
    themes = cli("--texts", mco_root, "themes", "--edition", "wire", "--format", "json").stdout
    assert '"2013-valmora@wire:r1"' in themes and '"2013-valmora@secretariat:r1"' not in themes
    result = cli("--texts", mco_root, "appendix", "--edition", "nope")
    assert result.exit_code == 1 and "editions with text: secretariat, wire" in result.output
