"""Theme analysis on the MCO corpus: counts, the JSON contract, the cache, bad input, and the CLI."""
from __future__ import annotations

import csv
import io
import json

import pytest
from clicheck import one_line_error

from sco_decl.analysis import pipeline as nlp_module
from sco_decl.analysis import themes as themes_module
from sco_decl.errors import NoTextError
from sco_decl.analysis.lexicon import load_lexicon
from sco_decl.analysis.themes import find_matches, report
from sco_decl.store.references import resolve_refs
from sco_decl.workspace import analyse
from sco_decl.workspace import Workspace


def cache_path(corpus, revision, lexicon, nlp):
    return Workspace(corpus, lexicon=lexicon, nlp=nlp).cache_path(revision)

CONTRACT_DOC = {"ref", "id", "edition", "revision", "date", "words", "sentences", "themes"}
CONTRACT_COUNT = {"matches", "sentences", "share", "rate_per_1000"}


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_counts_follow_their_definitions(mco_root, nlp, lexicon):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(mco_root)
    revision = corpus.resolve("2012")
    a = analyse(corpus, revision, lexicon, nlp)
    parsed = nlp_module.parse(corpus.read_text(revision), nlp)
    assert a.words == parsed.words and [s.text for s in a.sentences] == [s.text for s in parsed.sentences]
    assert a.sha256 == revision.sha256 and a.revision_number == 1 and a.date.year == 2012
    ni = [m for m in a.matches if m.theme == "non-interference"]
    count = a.counts["non-interference"]
    assert count.matches == len(ni) == 3
    assert count.sentences == len({m.sentence for m in ni}) == 3
    assert count.share == pytest.approx(3 / len(a.sentences), abs=1e-6)
    assert count.rate_per_1000 == pytest.approx(3 * 1000 / a.words, abs=1e-6)
    assert set(a.counts) == set(lexicon.ids)
    for m in a.matches:
        assert a.sentences[m.sentence].text[m.start:m.end] == m.text


def test_find_matches_equals_the_cached_analysis(mco_root, nlp, lexicon):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(mco_root)
    revision = corpus.resolve("2015")
    parsed = nlp_module.parse(corpus.read_text(revision), nlp)
    assert find_matches(parsed, lexicon, nlp) == analyse(corpus, revision, lexicon, nlp).matches


def test_cold_and_cached_runs_are_identical(mco_corpus, nlp, lexicon, monkeypatch):
    revision = mco_corpus.resolve("2013-valmora@wire")
    cold = analyse(mco_corpus, revision, lexicon, nlp)
    path = cache_path(mco_corpus, revision, lexicon, nlp)
    assert path.is_file() and path.parent == mco_corpus.root / ".cache" / "parses"

    def no_parsing(*args, **kwargs):
        raise AssertionError("the cached run must not parse")

    monkeypatch.setattr(nlp_module, "parse", no_parsing)
    cached = analyse(mco_corpus, revision, lexicon, nlp)
    assert cached == cold
    monkeypatch.undo()
    fresh = analyse(mco_corpus, revision, lexicon, nlp, use_cache=False)
    assert fresh == cold
    assert report([cold], lexicon, True) == report([cached], lexicon, True)


def test_damaged_cache_entry_is_recomputed(mco_corpus, nlp, lexicon):
    revision = mco_corpus.resolve("2014")
    good = analyse(mco_corpus, revision, lexicon, nlp)
    path = cache_path(mco_corpus, revision, lexicon, nlp)
    path.write_text("{not json", "utf-8")
    assert analyse(mco_corpus, revision, lexicon, nlp) == good
    assert len(json.loads(path.read_text("utf-8"))["sentences"]) == len(good.sentences)


def test_changed_lexicon_invalidates_exactly_what_it_must(mco_corpus, nlp, lexicon, tmp_path):
    revision = mco_corpus.resolve("2011")
    base = analyse(mco_corpus, revision, lexicon, nlp)
    assert base.counts["sovereignty"].matches > 0
    relabel = tmp_path / "relabel.toml"
    relabel.write_text('[[theme]]\nid = "sovereignty"\nextend = true\nlabel = "State sovereignty"\n', "utf-8")
    relabelled = load_lexicon(relabel)
    assert cache_path(mco_corpus, revision, relabelled, nlp) == cache_path(mco_corpus, revision, lexicon, nlp)
    extended_file = tmp_path / "extend.toml"
    extended_file.write_text('[[theme]]\nid = "sovereignty"\nextend = true\npatterns = ["Heads of State"]\n',
                             "utf-8")
    extended = load_lexicon(extended_file)
    assert cache_path(mco_corpus, revision, extended, nlp) != cache_path(mco_corpus, revision, lexicon, nlp)
    more = analyse(mco_corpus, revision, extended, nlp)
    assert more.counts["sovereignty"].matches > base.counts["sovereignty"].matches
    assert more.counts["terrorism"] == base.counts["terrorism"]
    # a new revision of one text gets its own entry; the other texts keep theirs
    other = mco_corpus.resolve("2012")
    other_path = cache_path(mco_corpus, other, lexicon, nlp)
    analyse(mco_corpus, other, lexicon, nlp)
    stamp = other_path.stat().st_mtime_ns
    text = mco_corpus.read_text(revision) + "\nThe Member States respect the sovereignty of all states.\n"
    new = mco_corpus.add("2011-port-alder", "secretariat", text, source="test").revision
    after = analyse(mco_corpus, new, lexicon, nlp)
    assert after.counts["sovereignty"].matches == base.counts["sovereignty"].matches + 1
    analyse(mco_corpus, other, lexicon, nlp)
    assert other_path.stat().st_mtime_ns == stamp


def test_resolve_refs_date_order_and_no_text_error(mco_corpus):
    refs = resolve_refs(mco_corpus, ["2016", "2011", "2013@wire", "2011"])
    assert [r.declaration for r in refs] == ["2011-port-alder", "2013-valmora", "2016-port-alder"]
    assert [r.ref for r in resolve_refs(mco_corpus)] == [r.ref for r in mco_corpus.texts_present()]
    mco_corpus.new_declaration("2003-moscow", title="Moscow Declaration", date="2003-05-29", place="Moscow")
    with pytest.raises(NoTextError) as info:
        resolve_refs(mco_corpus, ["2003-moscow", "2011"])
    assert str(info.value) == "2003-moscow has no text yet: run `sco-decl fetch 2003-moscow` or `sco-decl add`"
    mco_corpus.new_declaration("2004-tashkent", title="T", date="2004-06-17", place="Tashkent")
    with pytest.raises(NoTextError, match="2003-moscow, 2004-tashkent have no text yet"):
        resolve_refs(mco_corpus, ["2003", "2004"])


# -- the CLI ---------------------------------------------------------------------------------------------
def test_cli_json_contract(mco_root, cli):
    result = cli("--texts", mco_root, "themes", "--format", "json", "--sentences")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["tool"]["version"] and data["lexicon"]["sha256"]
    assert [t["id"] for t in data["themes"]] == load_lexicon().ids
    assert all({"id", "label"} <= set(t) for t in data["themes"])
    docs = data["documents"]
    assert [d["id"] for d in docs] == ["2011-port-alder", "2012-kestrel", "2013-valmora", "2014-tessaly",
                                       "2015-ombrin", "2016-port-alder"]
    first = {t["id"]: t["first_year"] for t in data["themes"]}
    assert first["sovereignty"] == 2011 and first["afghanistan"] is None
    for doc in docs:
        assert CONTRACT_DOC <= set(doc) and len(doc["revision"]) == 64
        for counts in doc["themes"].values():
            assert set(counts) >= CONTRACT_COUNT
        sentences = doc["sentence_list"]
        assert [s["index"] for s in sentences] == list(range(doc["sentences"]))
        for s in sentences:
            assert {"index", "text", "section", "paragraph", "themes", "matches"} <= set(s)
            for m in s["matches"]:
                assert s["text"][m["start"]:m["end"]] == m["text"] and m["theme"] in s["themes"]
        for ident, counts in doc["themes"].items():
            assert counts["matches"] == sum(1 for s in sentences for m in s["matches"] if m["theme"] == ident)
            assert counts["sentences"] == sum(1 for s in sentences if ident in s["themes"])


def test_cli_theme_filter_and_refs(mco_root, cli):
    result = cli("--texts", mco_root, "themes", "2012", "2011", "--theme", "terrorism", "--theme",
                 "non-interference", "--format", "json")
    data = json.loads(result.output)
    assert [t["id"] for t in data["themes"]] == ["terrorism", "non-interference"]
    assert [d["id"] for d in data["documents"]] == ["2011-port-alder", "2012-kestrel"]
    assert all(set(d["themes"]) == {"terrorism", "non-interference"} and "sentence_list" not in d
               for d in data["documents"])


def test_cli_table_and_csv(mco_root, cli):
    table = cli("--texts", mco_root, "themes", "--theme", "multipolarity")
    assert table.exit_code == 0
    assert "First appearance" in table.output and "rate/1000" in table.output
    assert "2016-port-alder@secretariat:r1" in table.output
    data = json.loads(cli("--texts", mco_root, "themes", "--theme", "multipolarity", "--format", "json").output)
    rows = list(csv.DictReader(io.StringIO(cli("--texts", mco_root, "themes", "--theme", "multipolarity",
                                               "--format", "csv").output)))
    assert len(rows) == len(data["documents"])
    for row, doc in zip(rows, data["documents"]):
        assert row["ref"] == doc["ref"] and int(row["matches"]) == doc["themes"]["multipolarity"]["matches"]
        assert float(row["rate_per_1000"]) == doc["themes"]["multipolarity"]["rate_per_1000"]
    sentences = list(csv.DictReader(io.StringIO(cli("--texts", mco_root, "themes", "2012", "--theme",
                                                    "multipolarity", "--format", "csv", "--sentences").output)))
    assert sum(1 for s in sentences if s["themes"] == "multipolarity") == data["documents"][1]["themes"][
        "multipolarity"]["sentences"]


def test_cli_writes_output_file(mco_root, cli, tmp_path):
    out = tmp_path / "themes.json"
    result = cli("--texts", mco_root, "themes", "2011", "--format", "json", "-o", out)
    assert result.exit_code == 0 and json.loads(out.read_text("utf-8"))["documents"][0]["id"] == "2011-port-alder"


def test_cli_unknown_theme(mco_root, cli):
    one_line_error(cli("--texts", mco_root, "themes", "--theme", "sovereignity"), "unknown theme 'sovereignity'",
                   "sovereignty")


def test_cli_ref_without_text(mco_corpus, cli):
    mco_corpus.new_declaration("2003-moscow", title="Moscow Declaration", date="2003-05-29", place="Moscow")
    one_line_error(cli("--texts", mco_corpus.root, "themes", "2003-moscow"),
                   "2003-moscow has no text yet: run `sco-decl fetch 2003-moscow` or `sco-decl add`")


def test_cli_unknown_reference(mco_root, cli):
    one_line_error(cli("--texts", mco_root, "themes", "1999"), "1999")


def test_cli_model_not_installed(mco_root, cli):
    one_line_error(cli("--texts", mco_root, "themes", "2011", "--model", "en_no_such_pipeline"),
                   "en_no_such_pipeline", "not installed")


def test_cli_bad_lexicon_file(mco_root, cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[theme]]\nid = "x"\nlabel = "X"\ncolour = "#000000"\npatterns = ["a (b"]\n', "utf-8")
    one_line_error(cli("--texts", mco_root, "themes", "--themes", bad), str(bad), "theme x", "pattern 1")


def test_report_keeps_analysis_order_and_first_year(mco_root, nlp, lexicon):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(mco_root)
    analyses = [analyse(corpus, r, lexicon, nlp) for r in resolve_refs(corpus, ["2013@wire", "2014"])]
    data = themes_module.report(analyses, lexicon, False, ["foreign-military-presence"])
    assert data["themes"][0]["first_year"] == 2013 and data["themes"][0]["first_ref"].startswith("2013-valmora@wire")


def test_cache_entry_of_another_shape_is_recomputed(mco_corpus, nlp, lexicon):
    revision = mco_corpus.resolve("2015")
    good = analyse(mco_corpus, revision, lexicon, nlp)
    path = cache_path(mco_corpus, revision, lexicon, nlp)
    data = json.loads(path.read_text("utf-8"))
    data["sentences"][0]["added_by_a_newer_version"] = 1
    path.write_text(json.dumps(data), "utf-8")
    assert analyse(mco_corpus, revision, lexicon, nlp) == good


def test_cli_without_any_text(cli, tmp_path):
    (tmp_path / "texts").mkdir()  # an empty corpus (a folder that does not exist is an error: issue 11.9)
    for args in (["themes"], ["kwic", "--theme", "terrorism"], ["trace", "non-interference"]):
        result = cli("--texts", tmp_path / "texts", *args)
        assert result.exit_code == 0 and "has text yet: run `sco-decl fetch` or `sco-decl add`" in result.output
    data = json.loads(cli("--texts", tmp_path / "texts", "themes", "--format", "json").output)
    assert data["documents"] == [] and all(t["first_year"] is None for t in data["themes"])
