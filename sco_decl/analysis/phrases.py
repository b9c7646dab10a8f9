"""New phrases: wording one text uses that a reference never did. One rule for what a phrase is, two
questions asked with it.

What a phrase is (the shared core, used by both questions): a run of words that neither begins nor ends
with a stop word (`is_stop_word`, spaCy's English list: "of the", "the council" are grammar, not wording),
and it is new when the reference has none of its n-grams.

The two questions, and why they are not one:
- `pairwise_new_phrases(text, other)`: every phrase of one text absent from one other text, as written, in
  place. The compare page and the compare JSON (`phrases.new` = B against A, `phrases.dropped` = A against
  B) list them so a reader of two texts can jump to each change: a phrase is a maximal run of words whose
  every 3-gram is absent from the other text (overlapping n-grams merge into one readable phrase), cut
  into phrases of at most MAX_WORDS with stop words trimmed from the edges; what is left must be 3+ words
  or 2 content words. Exhaustive: nothing is ranked or left out.
- `sco_decl.analysis.keyness.distinctive_new_phrases` (and `..._against`, with a running reference): the
  few lemma 2-3-grams a declaration repeats (2+ times) that a whole reference corpus (by default every
  earlier declaration) never used, ranked by keyness (G2). The appendix's new_phrases column shows them: a
  table row has room for five, and one occurrence against a dozen texts is noise, not a shift in wording.
  Its n-grams leave out those with a stop word at an edge by the same rule (`is_stop_word`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sco_decl.analysis.stopwords import stop_words

STOP_WORDS = stop_words("en")  # spaCy's list, read without importing spaCy

N = 3
MAX_WORDS = 8


@dataclass(frozen=True)
class Phrase:
    """A phrase of one side absent from the other, with the sentence and comparison row it stands in."""

    text: str
    sentence: int
    row: int
    words: int

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "sentence": self.sentence, "row": self.row, "words": self.words}


def _grams(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[k:k + N]) for k in range(len(words) - N + 1)}


def is_stop_word(word: str) -> bool:
    """A word that is grammar at the edge of a phrase (case-folded lookup in the stop list)."""
    return word.lower() in STOP_WORDS


def trim_stop_edges(run: Sequence[str]) -> list[str]:
    """Strip stop words from both edges: "of the final timeline for" -> "final timeline"."""
    run = list(run)
    while run and is_stop_word(run[0]):
        run.pop(0)
    while run and is_stop_word(run[-1]):
        run.pop()
    return run


def _chunks(run: Sequence[str]) -> list[list[str]]:
    """A run cut into readable phrases of at most MAX_WORDS, each trimmed and long enough to matter."""
    out = []
    for start in range(0, len(run), MAX_WORDS):
        chunk = trim_stop_edges(run[start:start + MAX_WORDS])
        content = sum(1 for w in chunk if not is_stop_word(w))
        if len(chunk) >= N or (len(chunk) == 2 and content == 2):
            out.append(chunk)
    return out


def pairwise_new_phrases(sentences: Sequence[Sequence[str]], other: Sequence[Sequence[str]],
                         rows: dict[int, int]) -> list[Phrase]:
    """Every phrase of one text absent from one other text: maximal runs of words (3+) in `sentences`
    whose every 3-gram is absent from `other`.

    `sentences`/`other` are lists of word lists (as written); comparison is case-folded. `rows` maps a
    sentence index to its (1-based) row. A run longer than MAX_WORDS is cut into several phrases.
    """
    known: set[tuple[str, ...]] = set()
    for words in other:
        known |= _grams([w.lower() for w in words])
    seen: set[str] = set()
    out: list[Phrase] = []
    for n, words in enumerate(sentences):
        keys = [w.lower() for w in words]
        absent = [tuple(keys[k:k + N]) not in known for k in range(len(keys) - N + 1)]
        k = 0
        while k < len(absent):
            if not absent[k]:
                k += 1
                continue
            end = k
            while end + 1 < len(absent) and absent[end + 1]:
                end += 1
            run = words[k:end + N]
            k = end + 1
            for chunk in _chunks(run):
                text = " ".join(chunk)
                if text.lower() not in seen:
                    seen.add(text.lower())
                    out.append(Phrase(text, n, rows.get(n, 0), len(chunk)))
    return out
