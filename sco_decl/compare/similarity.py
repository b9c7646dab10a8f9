"""The one wrapper around textdistance: sentence similarity on normalised tokens, in [0, 1].

Sentences are compared as bags (or sequences) of normalised tokens: lemmas, case folded, punctuation
dropped (see `normalise`). Stop words ("the", "of", "and") carry a small weight so that two sentences do
not look alike merely because both are written in the diplomatic register. Empty and identical inputs
are answered without calling textdistance, as textacy's wrappers do.

Which measure the aligner uses, and why, is recorded in `sco_decl.compare.comparison`'s docstring; the benchmark
(benchmarks/bench_compare.py) sweeps every measure in MEASURES against the gold alignments.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

import textdistance

from sco_decl.errors import ScoDeclError
from sco_decl.analysis.pipeline import folded_lemma, stop_words

STOP_WORDS = stop_words("en")  # spaCy's list, read without importing spaCy (compares of cached texts)

STOP_WEIGHT = 0.5  # a stop word counts half a content word (chosen by the sweep, see compare.py)
DEFAULT_MEASURE = "dice"


class UnknownMeasureError(ScoDeclError):
    """A similarity measure name that is not in MEASURES."""


MONTHS = frozenset("""january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec""".split())
NUMBER = "<num>"
MONTH = "<month>"


def normalise_token(token: object) -> str:
    """A token's comparable form: its lemma (or text), lower-cased, punctuation removed; numbers and month
    names fold to a class, because dates and years are what changes in every edition of a recurring text."""
    text = token.text  # type: ignore[attr-defined]
    return _fold(text, getattr(token, "lemma_", "") or text)


@lru_cache(maxsize=65536)
def _fold(text: str, lemma: str) -> str:
    form = "".join(c for c in folded_lemma(text, lemma) if c.isalnum())
    if form.isdigit():
        return NUMBER
    if form in MONTHS and text[:1].isupper():
        return MONTH
    return form


def normalise(tokens: Iterable[object]) -> list[str]:
    """Normalised forms of the word tokens of a span (tokens without a letter or digit are dropped)."""
    out = []
    for token in tokens:
        form = normalise_token(token)
        if form:
            out.append(form)
    return out


def is_stop(form: str) -> bool:
    return form in STOP_WORDS


def bag(tokens: Sequence[str], stop_weight: float = STOP_WEIGHT) -> Counter[str]:
    """A weighted bag of tokens: content words weigh 1, stop words `stop_weight`."""
    out: Counter[str] = Counter()
    for t in tokens:
        out[t] += stop_weight if t in STOP_WORDS else 1.0  # type: ignore[assignment]  # weights, not counts
    return out


# external=False: no external library implements weighted bags, so skip textdistance's probing for one
_DICE = textdistance.Sorensen(external=False)
_JACCARD = textdistance.Jaccard(external=False)
_COSINE = textdistance.Cosine(external=False)
_OVERLAP = textdistance.Overlap(external=False)
_LEVENSHTEIN = textdistance.Levenshtein()
_RATCLIFF = textdistance.RatcliffObershelp()


_SYMBOLS: dict[str, str] = {}


def _symbol(token: str) -> str:
    """One character per distinct token, so sequence measures run on strings (rapidfuzz's fast path)."""
    found = _SYMBOLS.get(token)
    if found is None:
        n = len(_SYMBOLS) + 0x100
        found = _SYMBOLS[token] = chr(n + 0x800 if n >= 0xD800 else n)  # skip the surrogate range
    return found


def encode(tokens: Sequence[str], drop_stop: bool = False) -> str:
    """The token sequence as a string of one symbol per token."""
    return "".join(_symbol(t) for t in tokens if not (drop_stop and t in STOP_WORDS))


_BAG_ALGORITHMS = {"dice": _DICE, "jaccard": _JACCARD, "cosine": _COSINE, "overlap": _OVERLAP}
_SEQUENCE_ALGORITHMS = {"levenshtein": _LEVENSHTEIN, "ratcliff": _RATCLIFF}
MEASURES = tuple(_BAG_ALGORITHMS) + tuple(_SEQUENCE_ALGORITHMS)


class Scorer:
    """One measure, with each sentence prepared once (a weighted bag, or a symbol string) and then scored.

    The bag measures weigh stop words by `stop_weight`; the sequence measures (token-level edit
    distance, Ratcliff-Obershelp) run on one symbol per token, so textdistance hands them to rapidfuzz.
    """

    def __init__(self, measure: str = DEFAULT_MEASURE, stop_weight: float = STOP_WEIGHT) -> None:
        if measure not in MEASURES:
            raise UnknownMeasureError(f"unknown similarity measure {measure!r}; choose one of "
                                      f"{', '.join(MEASURES)}")
        self.measure = measure
        self.stop_weight = stop_weight
        self._bag = measure in _BAG_ALGORITHMS
        self._algorithm = _BAG_ALGORITHMS.get(measure) or _SEQUENCE_ALGORITHMS[measure]

    def prepare(self, tokens: Sequence[str]) -> Counter[str] | str:
        return bag(tokens, self.stop_weight) if self._bag else encode(tokens)

    def score(self, a: Counter[str] | str, b: Counter[str] | str) -> float:
        if not a or not b:
            return 1.0 if a == b else 0.0
        if self._bag:  # similarities already in [0, 1] that shortcut identical input: the hot path
            return min(1.0, max(0.0, float(self._algorithm(a, b))))  # type: ignore[arg-type]
        if a == b:
            return 1.0
        return min(1.0, max(0.0, float(self._algorithm.normalized_similarity(a, b))))  # type: ignore[arg-type]

    def __call__(self, a_tokens: Sequence[str], b_tokens: Sequence[str]) -> float:
        return self.score(self.prepare(a_tokens), self.prepare(b_tokens))


def sentence_similarity(a_tokens: Sequence[str], b_tokens: Sequence[str], measure: str = DEFAULT_MEASURE) -> float:
    """Similarity of two normalised token sequences in [0, 1]: 1 if identical (even empty), 0 if one is empty."""
    return Scorer(measure)(a_tokens, b_tokens)


def containment(part: Counter[str], whole: Counter[str]) -> float:
    """How much of `part`'s weight is found in `whole` (1 = all of it), for judging merges and splits."""
    total = sum(part.values())
    if not total:
        return 0.0
    return sum((part & whole).values()) / total
