"""Keyness: Dunning's G2 and the log ratio on hand-computed cases, n-gram counting, the MCO corpus, the CLI."""
from __future__ import annotations

import csv
import io
import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_decl.workspace import Workspace
from sco_decl.analysis import keyness as kn
from sco_decl.analysis.pipeline import parse
from clicheck import one_line_error


def g2_by_hand(cells):
    """2 * sum(O ln(O/E)) over a 2x2 table given as ((a, c-a), (b, d-b))."""
    (a, x), (b, y) = cells
    n = a + x + b + y
    rows, cols = (a + b, x + y), (a + x, b + y)
    table = ((a, rows[0] * cols[0] / n), (x, rows[1] * cols[0] / n), (b, rows[0] * cols[1] / n),
             (y, rows[1] * cols[1] / n))
    return 2 * sum(o * math.log(o / e) for o, e in table if o)


def test_log_likelihood_matches_hand_computation():
    # a=10 in 1,000 words against b=0 in 1,000: expected 5 and 5, 995 and 995
    expected = 2 * (10 * math.log(10 / 5) + 990 * math.log(990 / 995) + 1000 * math.log(1000 / 995))
    assert kn.log_likelihood(10, 0, 1000, 1000) == pytest.approx(expected)
    assert expected == pytest.approx(13.91, abs=0.01)
    assert kn.log_likelihood(50, 20, 10_000, 10_000) == pytest.approx(g2_by_hand(((50, 9950), (20, 9980))))
    assert kn.log_likelihood(5, 10, 1000, 2000) == pytest.approx(0.0)  # same relative frequency
    assert kn.p_value(3.841459) == pytest.approx(0.05, abs=1e-6)
    assert kn.log_ratio(8, 2, 1000, 1000) == pytest.approx(2.0)
    assert kn.log_ratio(4, 0, 1000, 1000) == pytest.approx(3.0)  # zero counts as 0.5


@given(st.integers(0, 500), st.integers(0, 500), st.integers(1, 5000), st.integers(1, 5000))
def test_g2_is_nonnegative_and_symmetric(a, b, c, d):
    a, b = min(a, c), min(b, d)
    g2 = kn.log_likelihood(a, b, c, d)
    assert g2 >= -1e-9
    assert g2 == pytest.approx(kn.log_likelihood(b, a, d, c))
    if a + b:
        assert kn.log_ratio(a, b, c, d) == pytest.approx(-kn.log_ratio(b, a, d, c))


def test_ngrams_count_lemmas_inside_runs_of_words(nlp):
    text = ("Title\n\nThe Member States respect the sovereignty of states. Mutual trust, mutual benefit and "
            "equality guide the member state on 14 June 2011.\n")
    counts = kn.ngram_counts(parse(text, nlp), (1, 3), "lemma")
    assert counts.counts["state"] == 3  # States, states, state
    assert counts.surfaces["member state"] == {"member states": 1, "member state": 1}
    assert counts.surface("member state") == "member state"  # a tie goes to the alphabetically first form
    assert counts.surface("respect") == "respect" and counts.surface("state") == "states"
    assert "trust mutual" not in counts.counts  # a comma breaks the run
    assert "of state" not in counts.counts and "the sovereignty" not in counts.counts  # stop-word edges
    assert "june 2011" not in counts.counts and "2011" not in counts.counts  # numbers break runs
    assert counts.counts["the"] == 3  # single stop words are kept, as AntConc does
    words = kn.ngram_counts(parse(text, nlp), (1, 1), "word")
    assert words.counts["states"] == 2 and words.counts["state"] == 1
    assert set(words.totals) == {1}


def test_parse_ngram():
    assert kn.parse_ngram("1-3") == (1, 3) and kn.parse_ngram("2") == (2, 2)
    for bad in ("0-2", "3-1", "x", "1-9", "1-2-3"):
        with pytest.raises(kn.KeynessError, match="--ngram"):
            kn.parse_ngram(bad)


def test_keyness_against_earlier_declarations(mco_root, nlp):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(mco_root)
    target = corpus.resolve("2013-valmora")
    result = kn.keyness(Workspace(corpus, nlp=nlp), target)
    assert [r.declaration for r in result.reference] == ["2011-port-alder", "2012-kestrel"]
    over, under = result.over(), result.under()
    assert over and all(i.g2 >= kn.CRITICAL_G2 for i in over + under)
    assert all(i.per_1000 > i.per_1000_ref for i in over) and all(i.per_1000 < i.per_1000_ref for i in under)
    assert [i.g2 for i in over] == sorted((i.g2 for i in over), reverse=True)
    law = next(i for i in over if i.key == "international law")
    assert (law.freq, law.freq_ref, law.n) == (3, 0, 2)
    assert law.g2 == pytest.approx(kn.log_likelihood(3, 0, result.target_totals[2], result.reference_totals[2]))
    assert "international law" in [i.term for i in kn.distinctive_new_phrases(result)]
    assert all(i.n >= 2 and i.freq_ref == 0 and i.freq >= 2 for i in kn.distinctive_new_phrases(result))


def test_new_phrases_drop_a_phrase_inside_a_longer_one_with_the_same_count(mco_root, nlp):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(mco_root)
    result = kn.keyness(Workspace(corpus, nlp=nlp), corpus.resolve("2016"), [corpus.resolve("2011")])
    chosen = kn.distinctive_new_phrases(result, limit=50)
    for item in chosen:
        assert not any(o.n > item.n and o.freq == item.freq and f" {item.key} " in f" {o.key} " for o in chosen)


def test_keyness_of_the_earliest_needs_a_reference(mco_root, nlp):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(mco_root)
    with pytest.raises(kn.NoReferenceError, match="--against"):
        kn.keyness(Workspace(corpus, nlp=nlp), corpus.resolve("2011"))


def test_cli_keyness_formats(cli, mco_root):
    data = json.loads(cli("--texts", mco_root, "keyness", "2013", "--format", "json").output)
    assert data["target"]["ref"] == "2013-valmora@secretariat:r1" and len(data["target"]["sha256"]) == 64
    assert [r["declaration"] for r in data["reference"]] == ["2011-port-alder", "2012-kestrel"]
    assert data["tool"]["name"] == "sco-decl" and data["ngram"] == [1, 3]
    assert any(i["term"] == "international law" and i["use"] == "over" for i in data["over"])
    rows = list(csv.DictReader(io.StringIO(cli("--texts", mco_root, "keyness", "2013", "--format", "csv").output)))
    assert rows and rows[0]["target_sha256"] == data["target"]["sha256"]
    assert {r["use"] for r in rows} <= {"over", "under"} and float(rows[0]["g2"]) >= 3.84
    assert rows[0]["reference"] == "2011-port-alder@secretariat:r1; 2012-kestrel@secretariat:r1"
    assert rows[0]["tool_version"].startswith("sco-decl ")
    table = cli("--texts", mco_root, "keyness", "2013", "--ngram", "2-3").output
    assert "international law" in table and "2013-valmora@secretariat:r1" in table and "G2" in table


def test_cli_keyness_against_and_writing_a_file(cli, mco_root, tmp_path):
    out = tmp_path / "k.json"
    result = cli("--texts", mco_root, "keyness", "2016", "--against", "2011", "--against", "2012",
                 "--format", "json", "-o", out)
    assert result.exit_code == 0
    data = json.loads(out.read_text("utf-8"))
    assert [r["declaration"] for r in data["reference"]] == ["2011-port-alder", "2012-kestrel"]


def test_cli_keyness_bad_input(cli, mco_root, tmp_path):
    one_line_error(cli("--texts", mco_root, "keyness", "2011"), "earliest", "--against")
    one_line_error(cli("--texts", mco_root, "keyness", "2013", "--ngram", "0-7"), "--ngram")
    one_line_error(cli("--texts", mco_root, "keyness", "2099"), "2099")
    missing = tmp_path / "nope" / "k.csv"
    one_line_error(cli("--texts", mco_root, "keyness", "2013", "-o", missing), "does not exist")
    assert not missing.parent.exists()


@pytest.mark.parametrize("target", ["2013", "2015", "2016"])
def test_distinctive_new_phrases_against_a_running_reference_equal_the_full_keyness_ones(mco_root, nlp, target):
    """The appendix scores only the target's candidates against a running reference: same answer."""
    from sco_decl.store.corpus import Corpus

    workspace = Workspace(Corpus.open(mco_root), nlp=nlp)
    revision = workspace.resolve(target)
    full = kn.distinctive_new_phrases(kn.keyness(workspace, revision), limit=20)
    reference = kn.NgramCounts()
    for earlier in kn.earlier_revisions(workspace, revision):
        one = kn.ngram_counts(workspace.document(earlier).parsed)
        reference.counts.update(one.counts)
        reference.totals.update(one.totals)
    mine = kn.ngram_counts(workspace.document(revision).parsed)
    assert kn.distinctive_new_phrases_against(mine, reference, limit=20) == full
