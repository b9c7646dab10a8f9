"""Keyness: the words and phrases one declaration over- or under-uses against others.

Dunning's log-likelihood (G2) says how sure we are that a frequency difference is not chance; the log
ratio (Hardie 2014) says how big it is, so a reader sees both, as AntConc and quanteda report them.
Terms are 1-3-grams of lemmas (default) or lowercase words, counted inside runs of words: punctuation,
sentence ends and numbers break a run, so no n-gram bridges "trust, mutual" or a date. Phrases of two or
more words that begin or end with a stop word ("of the", "the council") are dropped as grammar, not
wording. The size of each corpus for an n-gram is the number of n-gram positions of that length.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from sco_decl._version import tool_info
from sco_decl.analysis.document import ParsedText
from sco_decl.analysis.phrases import is_stop_word
from sco_decl.analysis.pipeline import folded_lemma
from sco_decl.errors import NotFoundError, ScoDeclError

if TYPE_CHECKING:
    from sco_decl.store.model import Revision
    from sco_decl.workspace import Workspace

UNITS = ("lemma", "word")
CRITICAL_G2 = 3.84  # p < 0.05 with one degree of freedom
_ZERO = 0.5  # the log ratio's stand-in for a zero frequency (Hardie's convention)


class KeynessError(ScoDeclError):
    """A keyness question that cannot be answered (no reference text, a bad n-gram range)."""


@dataclass
class NgramCounts:
    """Counts of n-gram keys in one or more texts, with the lowercase surface forms seen for each key."""

    counts: Counter[str] = field(default_factory=Counter)
    totals: Counter[int] = field(default_factory=Counter)
    surfaces: dict[str, Counter[str]] = field(default_factory=dict)

    def update(self, other: NgramCounts) -> None:
        self.counts.update(other.counts)
        self.totals.update(other.totals)
        for key, forms in other.surfaces.items():
            self.surfaces.setdefault(key, Counter()).update(forms)

    def surface(self, key: str) -> str:
        """The commonest way the text wrote the key (ties: alphabetical), for display."""
        forms = self.surfaces.get(key)
        if not forms:
            return key
        return min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@dataclass(frozen=True)
class KeyItem:
    """One term's frequencies in the target and the reference, its G2, p and log ratio."""

    term: str
    key: str
    n: int
    freq: int
    freq_ref: int
    per_1000: float
    per_1000_ref: float
    g2: float
    p: float
    log_ratio: float

    @property
    def use(self) -> str:
        return "over" if self.log_ratio > 0 else "under"

    def to_json(self) -> dict[str, Any]:
        return {"term": self.term, "lemma_key": self.key, "n": self.n, "use": self.use, "freq": self.freq,
                "freq_ref": self.freq_ref, "per_1000": self.per_1000, "per_1000_ref": self.per_1000_ref,
                "g2": self.g2, "p": self.p, "log_ratio": self.log_ratio}


@dataclass
class KeynessResult:
    """Every term of the target and the reference, scored; `over()`/`under()` give the significant ones."""

    target: Revision
    reference: list[Revision]
    unit: str
    ngram: tuple[int, int]
    target_totals: dict[int, int]
    reference_totals: dict[int, int]
    items: list[KeyItem]

    def over(self, min_g2: float = CRITICAL_G2) -> list[KeyItem]:
        return [i for i in self.items if i.use == "over" and i.g2 >= min_g2]

    def under(self, min_g2: float = CRITICAL_G2) -> list[KeyItem]:
        return [i for i in self.items if i.use == "under" and i.g2 >= min_g2]

    def to_json(self, min_g2: float = CRITICAL_G2, limit: int | None = None) -> dict[str, Any]:
        return {"tool": tool_info(), "target": self.target.provenance(),
                "reference": [r.provenance() for r in self.reference], "unit": self.unit,
                "ngram": list(self.ngram), "min_g2": min_g2,
                "sizes": {"target": {str(k): v for k, v in sorted(self.target_totals.items())},
                          "reference": {str(k): v for k, v in sorted(self.reference_totals.items())}},
                "over": [i.to_json() for i in self.over(min_g2)[:limit]],
                "under": [i.to_json() for i in self.under(min_g2)[:limit]]}


def parse_ngram(value: str) -> tuple[int, int]:
    """`1-3` -> (1, 3); `2` -> (2, 2). Only 1 to 5 words: longer phrases are too rare to test."""
    parts = value.split("-")
    try:
        low, high = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (0, 0)
    except ValueError:
        low, high = 0, 0
    if not (1 <= low <= high <= 5):
        raise KeynessError(f"--ngram {value!r} is not a range like 1-3 (lengths from 1 to 5 words)")
    return low, high


def _is_break(token: Any) -> bool:
    """Punctuation, spaces and numbers end a run of words."""
    return not any(c.isalpha() for c in token.text)


def ngram_counts(parsed: ParsedText, ngram: tuple[int, int] = (1, 3), unit: str = "lemma") -> NgramCounts:
    """Count the n-grams of one parsed text inside runs of words within each sentence."""
    if unit not in UNITS:
        raise KeynessError(f"unit {unit!r} is unknown; use one of {', '.join(UNITS)}")
    out = NgramCounts()
    low, high = ngram
    for sentence in parsed.sentences:
        run: list[Any] = []
        for token in list(parsed.span(sentence)) + [None]:
            if token is not None and not _is_break(token):
                run.append(token)
                continue
            _count_run(run, low, high, unit, out)
            run = []
    return out


def lemma(token: Any) -> str:
    """The lowercase lemma; a capitalised word the pipeline left as is is looked up in lowercase."""
    return folded_lemma(token.text, token.lemma_)


def _count_run(run: Sequence[Any], low: int, high: int, unit: str, out: NgramCounts) -> None:
    keys = [lemma(t) if unit == "lemma" else t.text.lower() for t in run]
    words = [t.text.lower() for t in run]
    stops = [is_stop_word(t.text) for t in run]  # the phrase-edge rule of sco_decl.analysis.phrases
    for n in range(low, high + 1):
        for i in range(len(run) - n + 1):
            out.totals[n] += 1
            if n > 1 and (stops[i] or stops[i + n - 1]):
                continue
            key = " ".join(keys[i:i + n])
            out.counts[key] += 1
            out.surfaces.setdefault(key, Counter())[" ".join(words[i:i + n])] += 1


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Dunning's G2 for a term seen a times in c units of the target and b times in d of the reference.

    The full 2x2 form (term / other units x target / reference), as quanteda's textstat_keyness(measure=
    "lr", correction="none") and AntConc's 4-term log-likelihood compute it; Rayson's 2-term shortcut
    (the UCREL calculator) leaves out the "other units" cells and gives slightly lower values.
    """
    total = c + d
    if a + b == 0 or c == 0 or d == 0:
        return 0.0
    hits, rest = a + b, total - a - b
    observed = ((a, c * hits), (b, d * hits), (c - a, c * rest), (d - b, d * rest))
    return 2.0 * sum(o * math.log(o * total / e) for o, e in observed if o > 0)


def log_ratio(a: int, b: int, c: int, d: int) -> float:
    """Binary log of the ratio of relative frequencies; a zero counts as 0.5 so the ratio stays finite."""
    return math.log2(((a or _ZERO) / c) / ((b or _ZERO) / d))


def p_value(g2: float) -> float:
    """Upper tail of chi-squared with one degree of freedom."""
    return math.erfc(math.sqrt(max(g2, 0.0) / 2.0))


def score(target: NgramCounts, reference: NgramCounts) -> list[KeyItem]:
    """Score every term of either side; sorted by G2 (highest first), then term."""
    items = []
    for key in set(target.counts) | set(reference.counts):
        n = key.count(" ") + 1
        a, b = target.counts.get(key, 0), reference.counts.get(key, 0)
        c, d = target.totals.get(n, 0), reference.totals.get(n, 0)
        if not c or not d:
            continue
        g2 = log_likelihood(a, b, c, d)
        shown = target.surface(key) if a else reference.surface(key)
        items.append(KeyItem(term=shown, key=key, n=n, freq=a, freq_ref=b, per_1000=1000.0 * a / c,
                             per_1000_ref=1000.0 * b / d, g2=g2, p=p_value(g2), log_ratio=log_ratio(a, b, c, d)))
    items.sort(key=lambda i: (-round(i.g2, 9), -i.n, i.key))
    return items


def earlier_revisions(workspace: Workspace, target: Revision) -> list[Revision]:
    """The default text of every declaration dated before the target's (the default reference)."""
    date = workspace.declaration(target.declaration).date
    return [r for r in workspace.revisions() if workspace.declaration(r.declaration).date < date]


def counts_for(workspace: Workspace, revisions: Iterable[Revision], ngram: tuple[int, int], unit: str,
               cache: dict[tuple[str, tuple[int, int], str], NgramCounts] | None = None) -> NgramCounts:
    """Summed counts of several revisions; `cache` (keyed by sha256) spares re-counting in a loop."""
    total = NgramCounts()
    for revision in revisions:
        key = (revision.sha256, ngram, unit)
        if cache is not None and key in cache:
            one = cache[key]
        else:
            one = ngram_counts(workspace.document(revision).parsed, ngram, unit)
            if cache is not None:
                cache[key] = one
        total.update(one)
    return total


def keyness(workspace: Workspace, target: Revision, reference: Sequence[Revision] | None = None, *,
            ngram: tuple[int, int] = (1, 3), unit: str = "lemma",
            cache: dict[tuple[str, tuple[int, int], str], NgramCounts] | None = None) -> KeynessResult:
    """Score the target against the reference (default: every earlier declaration's default text)."""
    if reference is None:
        reference = earlier_revisions(workspace, target)
        if not reference:
            raise NoReferenceError(f"{target.ref} is the earliest declaration with text, so nothing came "
                                   "before it; name a reference with --against REF")
    reference = [r for r in reference if r.sha256 != target.sha256]
    if not reference:
        raise NoReferenceError(f"the reference for {target.ref} is empty (only the target itself was named); "
                               "name another text with --against REF")
    mine = counts_for(workspace, [target], ngram, unit, cache)
    theirs = counts_for(workspace, reference, ngram, unit, cache)
    return KeynessResult(target=target, reference=list(reference), unit=unit, ngram=ngram,
                         target_totals=dict(mine.totals), reference_totals=dict(theirs.totals),
                         items=score(mine, theirs))


class NoReferenceError(KeynessError, NotFoundError):
    """Keyness against nothing: the target is the earliest text and no --against was given."""


def distinctive_new_phrases(result: KeynessResult, limit: int = 5, min_n: int = 2,
                            min_freq: int = 2) -> list[KeyItem]:
    """The most distinctive phrases the reference never used: over-used, absent before, repeated.

    Ranked by G2 (for an absent-before term, by its frequency), longer phrases first on ties; a phrase
    inside a longer candidate with the same frequency is the same evidence and is left out. This is new
    against a reference corpus (the appendix's question); every phrase of one text absent from one other
    (the compare page's question) is sco_decl.analysis.phrases.pairwise_new_phrases, whose docstring says
    why the two differ.
    """
    candidates = [i for i in result.items if i.freq_ref == 0 and i.freq >= min_freq and i.n >= min_n]
    return _outermost(candidates)[:limit]


def distinctive_new_phrases_against(mine: NgramCounts, reference: NgramCounts, limit: int = 5, min_n: int = 2,
                                    min_freq: int = 2) -> list[KeyItem]:
    """`distinctive_new_phrases` scoring only the target's candidates, not every term of the reference.

    Same result as `distinctive_new_phrases(keyness(...))`; for a table of many declarations each against
    all earlier ones, whose reference grows with every row, this keeps the work per row bounded by the
    row's own text.
    """
    fresh = Counter({key: n for key, n in mine.counts.items()
                     if n >= min_freq and key.count(" ") + 1 >= min_n and not reference.counts.get(key)})
    items = score(NgramCounts(counts=fresh, totals=mine.totals, surfaces=mine.surfaces),
                  NgramCounts(totals=reference.totals))
    return _outermost(items)[:limit]


def _outermost(candidates: list[KeyItem]) -> list[KeyItem]:
    return [i for i in candidates
            if not any(c.n > i.n and c.freq == i.freq and f" {i.key} " in f" {c.key} " for c in candidates)]
