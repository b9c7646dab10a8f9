"""Sentence boundaries and locators fit declarations; the parse cache changes nothing but speed."""
from __future__ import annotations

from pathlib import Path

import pytest

from sco_decl.analysis.pipeline import ModelNotFoundError, load_pipeline, parse, parse_revision
from sco_decl.analysis.structure import Header, blocks, recover

MCO = Path(__file__).parent / "fixtures" / "mco"


def labelled_sentences() -> dict[str, list[str]]:
    by_doc: dict[str, list[str]] = {}
    for tsv in sorted(MCO.glob("themes-labels*.tsv")):
        for line in tsv.read_text("utf-8").splitlines()[1:]:
            doc, sentence, _ = line.split("\t")
            by_doc.setdefault(doc, []).append(sentence)
    return by_doc


@pytest.mark.parametrize("doc", sorted(labelled_sentences()))
def test_segmentation_matches_the_hand_labelled_sentences(nlp, doc):
    text = (MCO / "texts" / f"{doc}.txt").read_text("utf-8")
    assert [s.text for s in parse(text, nlp).sentences] == labelled_sentences()[doc]


def test_structure_is_not_text_and_sentences_know_their_place(nlp):
    text = ("Joint Declaration of the Heads of State\n\nValmora, 29 May 2013\n\nI\n\n"
            "1. The parties agree: - to hold talks;\n- to exchange views. Mr. K. Dorran and the U.N. envoy spoke.\n\n"
            "II. Economic cooperation\n\n2.\n\nTrade grew (e.g. in grain). \"Peace is ours.\" It ended!\n\nV. Marrow")
    parsed = parse(text, nlp)
    got = [(s.text, s.locator, s.position, s.point) for s in parsed.sentences]
    assert got == [
        ("The parties agree: - to hold talks; - to exchange views.", "I.1", 1, "1"),
        ("Mr. K. Dorran and the U.N. envoy spoke.", "I.1", 2, "1"),
        ("Trade grew (e.g. in grain).", "II.2", 1, "2"),
        ("\"Peace is ours.\"", "II.2", 2, "2"),
        ("It ended!", "II.2", 3, "2"),
        ("V. Marrow", "§II ¶2", 1, None),
    ]
    assert recover(text).header == Header(title="Joint Declaration of the Heads of State",
                                          dateline="Valmora, 29 May 2013")
    assert [b.section_title for b in blocks(text)][-1] == "Economic cooperation"
    assert parsed.words == 29  # tokens with a letter or digit; "U.N." and "e.g." are one word each
    span = parsed.span(parsed.sentences[1])
    assert span.text == "Mr. K. Dorran and the U.N. envoy spoke."
    assert [t.lemma_ for t in parsed.span(parsed.sentences[0])][2] == "agree"


def test_cached_parse_is_identical_to_a_cold_parse(nlp, mco_corpus):
    import shutil

    shutil.rmtree(mco_corpus.root / ".cache", ignore_errors=True)  # the shared corpus may carry caches
    revision = mco_corpus.resolve("2013@wire")
    cold = parse_revision(mco_corpus, revision, nlp)
    cache = list((mco_corpus.root / ".cache" / "docs").glob("*.spacy"))
    assert len(cache) == 1
    warm = parse_revision(mco_corpus, revision, nlp)
    assert warm.sentences == cold.sentences
    assert [(t.text, t.lemma_, t.is_sent_start) for t in warm.doc] == [(t.text, t.lemma_, t.is_sent_start) for t in cold.doc]
    cache[0].write_bytes(b"garbage")  # a damaged entry is re-parsed, not trusted
    assert parse_revision(mco_corpus, revision, nlp).sentences == cold.sentences


def test_a_trained_pipeline_that_is_not_installed_is_a_clear_error():
    with pytest.raises(ModelNotFoundError, match="'en_core_web_xx' is not installed"):
        load_pipeline("en_core_web_xx")
