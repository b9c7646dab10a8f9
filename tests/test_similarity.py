"""The textdistance wrapper: normalised [0, 1] scores, shortcuts, stop words weighed down, folding."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from sco_decl.analysis.pipeline import parse
from sco_decl.compare.similarity import MEASURES, NUMBER, Scorer, UnknownMeasureError, comparable_tokens, sentence_similarity

WORDS = st.lists(st.sampled_from(["state", "trade", "the", "of", "peace", "region", "security", "and"]),
                 max_size=12)


@pytest.mark.parametrize("measure", MEASURES)
def test_identical_and_empty_shortcuts(measure):
    assert sentence_similarity(["member", "state"], ["member", "state"], measure) == 1.0
    assert sentence_similarity([], [], measure) == 1.0
    assert sentence_similarity(["trade"], [], measure) == 0.0
    assert sentence_similarity(["trade"], ["peace"], measure) == 0.0


@pytest.mark.parametrize("measure", MEASURES)
@settings(deadline=None)  # tests never time things; a loaded machine made the default deadline flaky
@given(a=WORDS, b=WORDS)
def test_scores_are_in_unit_interval_and_symmetric_for_bags(measure, a, b):
    score = sentence_similarity(a, b, measure)
    assert 0.0 <= score <= 1.0
    if measure in ("dice", "jaccard", "cosine", "overlap", "levenshtein"):
        assert score == pytest.approx(sentence_similarity(b, a, measure))


def test_stop_words_weigh_less_than_content_words():
    a, b, c = ["the", "security", "of", "region"], ["a", "security", "for", "region"], ["the", "trade", "of", "peace"]
    shared_content, shared_stops = sentence_similarity(a, b), sentence_similarity(a, c)
    assert shared_content == pytest.approx(2 * shared_stops)
    unweighted = Scorer("dice", stop_weight=1.0)
    assert unweighted(a, b) == unweighted(a, c) == 0.5


def test_comparable_tokens_fold_case_punctuation_lemmas_and_numbers(nlp):
    parsed = parse("The Member States met in Tessaly on 17 June 2014, and agreed.", nlp)
    tokens = comparable_tokens(parsed.span(parsed.sentences[0]))
    assert tokens[:3] == ["the", "member", "state"]
    assert "," not in tokens and "." not in tokens
    assert tokens.count(NUMBER) == 2 and "<month>" in tokens
    assert "agree" in tokens


def test_unknown_measure_is_a_clear_error():
    with pytest.raises(UnknownMeasureError, match="choose one of"):
        Scorer("soundex")
