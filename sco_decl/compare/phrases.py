"""Phrases new in B and phrases dropped from A: word n-grams (3+ words) the other text does not contain.

Shifts in wording ("final timeline", "polycentric world") are what readers of successive declarations look
for; listing them, each tied to the row of the comparison it stands in, lets a reader jump to the context.
A phrase is a maximal run of words whose every 3-gram is absent from the other text, so overlapping
n-grams merge into one readable phrase instead of a list of fragments; long runs are cut into phrases of
at most MAX_WORDS, stop words at their edges are trimmed, and what is left must be 3+ words or 2 content
words.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sco_decl.compare.similarity import STOP_WORDS

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


def _trim(run: Sequence[str]) -> list[str]:
    """Strip stop words from both edges: "of the final timeline for" -> "final timeline"."""
    run = list(run)
    while run and run[0].lower() in STOP_WORDS:
        run.pop(0)
    while run and run[-1].lower() in STOP_WORDS:
        run.pop()
    return run


def _chunks(run: Sequence[str]) -> list[list[str]]:
    """A run cut into readable phrases of at most MAX_WORDS, each trimmed and long enough to matter."""
    out = []
    for start in range(0, len(run), MAX_WORDS):
        chunk = _trim(run[start:start + MAX_WORDS])
        content = sum(1 for w in chunk if w.lower() not in STOP_WORDS)
        if len(chunk) >= N or (len(chunk) == 2 and content == 2):
            out.append(chunk)
    return out


def absent_phrases(sentences: Sequence[Sequence[str]], other: Sequence[Sequence[str]],
                   rows: dict[int, int]) -> list[Phrase]:
    """Maximal runs of words (3+) in `sentences` whose every 3-gram is absent from `other`.

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
