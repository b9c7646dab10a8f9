"""The four required themes follow the codebook: blind paraphrases, the codebook's own examples, acronyms."""
from __future__ import annotations

from pathlib import Path

import pytest

from sco_decl.analysis.lexicon import load_lexicon
from sco_decl.analysis.pipeline import parse
from sco_decl.analysis.themes import find_matches

PARAPHRASES = Path(__file__).parent / "fixtures" / "codebook" / "paraphrases.tsv"
REQUIRED = ("sovereignty", "multipolarity", "non-interference", "terrorism")


def themes_of(text: str, nlp, lexicon=None) -> dict[int, set[str]]:
    lexicon = lexicon or load_lexicon()
    parsed = parse(text, nlp)
    out: dict[int, set[str]] = {s.index: set() for s in parsed.sentences}
    for match in find_matches(parsed, lexicon, nlp):
        out[match.sentence].add(match.theme)
    return out


@pytest.mark.parametrize("theme", REQUIRED)
def test_blind_paraphrases_reach_090_precision_and_recall(nlp, theme):
    """Sentences written from the codebook alone by someone who never saw the patterns (88 of them)."""
    rows = [line.split("\t") for line in PARAPHRASES.read_text("utf-8").splitlines()[1:]]
    mine = [(expected == "1", sentence) for t, expected, sentence in rows if t == theme]
    assert len(mine) >= 20
    hits = [(expected, theme in themes_of(sentence, nlp)[0]) for expected, sentence in mine]
    tp = sum(1 for e, p in hits if e and p)
    precision = tp / max(1, sum(1 for _, p in hits if p))
    recall = tp / sum(1 for e, _ in hits if e)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_every_codebook_example_counts_and_no_near_miss_does(nlp):
    lexicon = load_lexicon()
    checked = 0
    for theme in lexicon.themes:
        for example in theme.examples:
            assert theme.id in set().union(*themes_of(example, nlp, lexicon).values()), example
            checked += 1
        for near in theme.near_misses:
            assert theme.id not in set().union(*themes_of(near, nlp, lexicon).values()), near
            checked += 1
    assert checked >= 20 and all(lexicon.get(t).examples and lexicon.get(t).near_misses for t in REQUIRED)


def test_a_defined_acronym_counts_for_the_themes_of_its_full_name(nlp):
    text = ("The Heads of State welcome the Lisk Counter-Terrorism Bureau (LCTB) of the Organization. "
            "The LCTB will report to the Council every year. The Regional Water Office (RWO) met in Lisk. "
            "The RWO will report too.")
    found = themes_of(text, nlp)
    assert "terrorism" in found[0] and "terrorism" in found[1]
    assert not found[2] & {"terrorism"} and not found[3]


def test_an_acronym_without_its_definition_in_the_text_counts_for_nothing(nlp):
    found = themes_of("The LCTB will report to the Council every year.", nlp)
    assert "terrorism" not in found[0]


def test_lexicon_markdown_prints_the_codebook_with_examples(cli):
    result = cli("lexicon", "--format", "markdown")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("# Theme codebook")
    for theme in REQUIRED:
        assert f"(`{theme}`)" in out
    assert "- The Member States reaffirm the sovereign equality of all states, large and small." in out
    assert "Does not count:" in out and "multipolar motor" in out
