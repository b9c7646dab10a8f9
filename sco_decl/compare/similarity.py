"""The one wrapper around textdistance: sentence similarity on normalised tokens, in [0, 1].

Sentences are compared as bags (or sequences) of normalised tokens: lemmas, case folded, punctuation
dropped (see `comparable_tokens`). Stop words ("the", "of", "and") carry a small weight so that two sentences do
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
from sco_decl.analysis.pipeline import folded_lemma
from sco_decl.analysis.stopwords import stop_words

STOP_WORDS = stop_words("en")  # spaCy's list, read without importing spaCy (compares of cached texts)

STOP_WEIGHT = 0.5  # a stop word counts half a content word (chosen by the sweep, see compare.py)
DEFAULT_MEASURE = "dice"


class UnknownMeasureError(ScoDeclError):
    """A similarity measure name that is not in MEASURES."""


MONTHS = frozenset("""january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec""".split())
NUMBER = "<num>"
MONTH = "<month>"


@lru_cache(maxsize=65536)
def _fold(text: str, lemma: str) -> str:
    form = "".join(c for c in folded_lemma(text, lemma) if c.isalnum())
    if form.isdigit():
        return NUMBER
    if form in MONTHS and text[:1].isupper():
        return MONTH
    return form


def comparable_tokens(tokens: Iterable[object]) -> list[str]:
    """The comparable forms of a span's word tokens, what the aligner scores (tokens without a letter or
    digit are dropped). Not text normalisation (that is sco_decl.ingest.normalise, on stored text)."""
    tokens = list(tokens)
    return comparable_forms([t.text for t in tokens], [getattr(t, "lemma_", "") for t in tokens])  # type: ignore[attr-defined]


def comparable_forms(texts: Sequence[str], lemmas: Sequence[str]) -> list[str]:
    """`comparable_tokens` on parallel lists of token texts and lemmas (a sentence's slice of `Tokens`,
    read without making a token object per word)."""
    out = []
    for text, lemma in zip(texts, lemmas):
        form = _fold(text, lemma or text)
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


# -- spelling and typographic variants ---------------------------------------------------------------------
# Copy-edited editions of one translation differ in spelling (British/American), hyphenation (co-operation),
# numbers in words or digits, quotes, dashes and spacing: none of that says anything different. `canonical`
# folds all of it, so two sentences that differ only so are `same`. Folding is applied to both sides, so a
# rule that over-folds ("exercise" -> "exercize") is harmless; only rules that could merge two real, distinct
# words (four/for, filled/filed) are avoided.
_WORD_MAP = {"defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
             "judgement": "judgment", "acknowledgement": "acknowledgment", "ageing": "aging",
             "enrolment": "enrollment", "fulfil": "fulfill", "fulfilment": "fulfillment", "enrol": "enroll",
             "instalment": "installment", "skilful": "skillful", "wilful": "willful", "grey": "gray",
             "cheque": "check", "tyre": "tire", "aluminium": "aluminum", "sceptical": "skeptical",
             "percent": "percent", "whilst": "while", "amongst": "among", "catalogue": "catalog",
             "dialogue": "dialog", "analogue": "analog", "mould": "mold", "plough": "plow", "storey": "story",
             "manoeuvre": "maneuver", "manoeuvres": "maneuvers", "paediatric": "pediatric",
             "encyclopaedia": "encyclopedia", "oesophagus": "esophagus", "foetus": "fetus"}
_DOUBLE_L = ("travel", "label", "model", "cancel", "counsel", "fuel", "signal", "channel", "level", "marshal",
             "equal", "total", "dial", "jewel", "tunnel", "rival", "initial", "pencil", "quarrel", "fuell")
_UNITS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                     "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * n for n, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split(), 0)
         if w != "_"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
             "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
             "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
             "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"', "«": '"',
                         "»": '"', "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " "})


@lru_cache(maxsize=65536)
def canonical_word(word: str) -> str:
    """A word with British spellings folded to American ones (lowercase, typographic apostrophes folded).
    Cached: a declaration repeats a few thousand distinct words, and the aligner and the word diff fold
    each of them once per sentence otherwise."""
    w = word.lower().translate(_QUOTES)
    found = _WORD_MAP.get(w)
    if found:
        return found
    for stem in _DOUBLE_L:
        if w.startswith(stem + "l") and w[len(stem) + 1:] in ("ed", "ing", "er", "ers"):
            return stem + w[len(stem) + 1:]
    if "our" in w:
        for end in ("our", "ours", "oured", "ouring", "ourable", "ourably", "ourite", "ourites", "ourful"):
            if w.endswith(end) and len(w) - len(end) >= 3:  # not four, hour, your, tour, flour
                return w[:-len(end)] + "or" + end[3:]
    for british, american in (("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"),
                              ("ises", "izes"), ("ising", "izing"), ("yse", "yze"), ("ysed", "yzed"),
                              ("ysing", "yzing"), ("tre", "ter"), ("tres", "ters"), ("ogramme", "ogram"),
                              ("ogrammes", "ograms")):
        if w.endswith(british) and len(w) >= len(british) + 2:
            return w[:-len(british)] + american
    return w


def _numbers(words: list[str]) -> list[str]:
    """Numbers written in words become digits ("four hundred" -> 400, "twenty-first" -> 21st)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        j, total, current, ordinal = i, 0, 0, False
        while j < len(words):
            w = words[j]
            if w in _UNITS:
                current += _UNITS[w]
            elif w in _TENS:
                current += _TENS[w]
            elif w in _SCALES and j > i:
                scale = _SCALES[w]
                if scale == 100:
                    current *= 100
                else:
                    total += current * scale
                    current = 0
            elif w in _ORDINALS:
                current += _ORDINALS[w]
                ordinal = True
                j += 1
                break
            elif w == "and" and j > i and j + 1 < len(words) and (words[j + 1] in _UNITS or words[j + 1] in _TENS):
                pass
            else:
                break
            j += 1
        if j == i:
            out.append(words[i])
            i += 1
            continue
        value = total + current
        if ordinal:
            suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
            out.append(f"{value}{suffix}")
        else:
            out.append(str(value))
        i = j
    return out


def canonical(words: Sequence[str]) -> str:
    """A sentence's word forms with every spelling and typographic variant folded, for judging `same`.

    Hyphens and spaces inside a word are dropped ("co-operation", "co operation" -> "cooperation"), so the
    result is one string; numbers in words become digits; British spellings become American.
    """
    split: list[str] = []
    for word in words:
        for part in word.translate(_QUOTES).lower().replace("-", " ").split():
            part = part.strip("\"'.,;:!?()[]")
            if part:
                split.append(part)
    folded = [canonical_word(w) for w in _numbers(split)]
    return "".join(folded)
