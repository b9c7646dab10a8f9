"""The sentence aligner: which sentence of A corresponds to which of B, and how.

Declarations of successive years are not revisions of one file, so a line diff is useless; this module
lines up what corresponds. The stages (as in CollateX: tokens -> candidates -> alignment -> kinds):

1. Candidates: an inverted index of each sentence's rarest keys (content lemmas and token bigrams) proposes,
   for every sentence, the few sentences of the other side that share the most rare keys. Only those pairs
   are scored, so two 50,000-word texts cost thousands of comparisons, not millions.
2. Order: the heaviest chain of candidate pairs that keeps the order of both texts (a weighted longest
   increasing subsequence, O(P log P) with a Fenwick tree) among pairs scoring at least `link_threshold`.
3. Merges and splits: a linked sentence absorbs an unlinked neighbour of its partner when the group
   scores clearly better together and the neighbour's words are mostly found across (1-2 and 2-1 links).
4. Moved: unlinked sentences that match well out of order (>= `move_threshold`) are paired greedily.
5. Gaps: inside each in-order gap, a small dynamic programme pairs the leftover sentences that score at least
   `gap_threshold` and have no better match anywhere else (rewordings that share few words but stand in
   the same place).
6. The rest is `removed` (only in A) or `added` (only in B). Kinds: same, changed, moved, removed, added.

Rows come back in reading order: in-order links, with removed and moved rows at their place in A and added
rows at their place in B. The thresholds were measured on the gold fixtures (see sco_decl.compare).
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from sco_decl.similarity import STOP_WORDS, Scorer, bag, containment

KINDS = ("same", "changed", "moved", "removed", "added")


@dataclass(frozen=True)
class AlignOptions:
    """The aligner's knobs; the defaults are the values chosen by the benchmark's sweep."""

    measure: str = "dice"
    stop_weight: float = 0.2
    link_threshold: float = 0.45
    move_threshold: float = 0.45
    gap_threshold: float = 0.2
    merge_gain: float = 0.05
    merge_part: float = 0.35
    cover_gain: float = 0.1
    candidates: int = 10  # per sentence, from the index
    prefix: int = 8  # rarest keys of a sentence used to look up candidates
    max_postings: int = 200  # a key shared by more sentences than this is too common to propose pairs
    gap_all_pairs: int = 2500  # gaps up to this many pairs are scored exhaustively


@dataclass(frozen=True)
class Link:
    """One row of an alignment: sentence indices of A and of B (0-based) and how they relate."""

    kind: str
    left: tuple[int, ...]
    right: tuple[int, ...]
    similarity: float


@dataclass
class _State:
    left_links: dict[int, int] = field(default_factory=dict)  # sentence -> link id
    right_links: dict[int, int] = field(default_factory=dict)
    links: dict[int, list] = field(default_factory=dict)  # id -> [left list, right list, sim, moved]
    next_id: int = 0

    def add(self, left: list[int], right: list[int], sim: float, moved: bool = False) -> int:
        lid = self.next_id
        self.next_id += 1
        self.links[lid] = [sorted(left), sorted(right), sim, moved]
        for i in left:
            self.left_links[i] = lid
        for j in right:
            self.right_links[j] = lid
        return lid


def _keys(tokens: Sequence[str]) -> set[str]:
    content = {t for t in tokens if t not in STOP_WORDS}
    bigrams = {f"{a} {b}" for a, b in zip(tokens, tokens[1:])}
    return content | bigrams


class Aligner:
    """Align two sentence lists given as normalised token sequences (see similarity.normalise)."""

    def __init__(self, left: Sequence[Sequence[str]], right: Sequence[Sequence[str]],
                 options: AlignOptions | None = None, left_forms: Sequence[Sequence[str]] | None = None,
                 right_forms: Sequence[Sequence[str]] | None = None) -> None:
        self.options = options or AlignOptions()
        self.left = [list(t) for t in left]
        self.right = [list(t) for t in right]
        self.left_forms = [tuple(f) for f in (left_forms if left_forms is not None else left)]
        self.right_forms = [tuple(f) for f in (right_forms if right_forms is not None else right)]
        self.scorer = Scorer(self.options.measure, self.options.stop_weight)
        self._prep_left = [self.scorer.prepare(t) for t in self.left]
        self._prep_right = [self.scorer.prepare(t) for t in self.right]
        self._scores: dict[tuple[int, int], float] = {}

    # -- scoring -------------------------------------------------------------------------------------
    def score(self, i: int, j: int) -> float:
        key = (i, j)
        found = self._scores.get(key)
        if found is None:
            found = self._scores[key] = self.scorer.score(self._prep_left[i], self._prep_right[j])
        return found

    def score_group(self, left: Sequence[int], right: Sequence[int]) -> float:
        if len(left) == 1 and len(right) == 1:
            return self.score(left[0], right[0])
        a = [t for i in sorted(left) for t in self.left[i]]
        b = [t for j in sorted(right) for t in self.right[j]]
        return self.scorer(a, b)

    # -- 1. candidates -------------------------------------------------------------------------------
    def candidates(self) -> dict[tuple[int, int], float]:
        """Scored candidate pairs proposed by the rare-key index (both directions)."""
        opts = self.options
        left_keys = [_keys(t) for t in self.left]
        right_keys = [_keys(t) for t in self.right]
        df: Counter[str] = Counter()
        for keys in left_keys + right_keys:
            df.update(keys)
        total = len(left_keys) + len(right_keys) + 1
        idf = {k: math.log(total / n) for k, n in df.items()}
        pairs: set[tuple[int, int]] = set()
        for source, target, flip in ((left_keys, right_keys, False), (right_keys, left_keys, True)):
            postings: dict[str, list[int]] = defaultdict(list)
            for n, keys in enumerate(target):
                for k in keys:
                    postings[k].append(n)
            for m, keys in enumerate(source):
                usable = sorted((k for k in keys if 0 < len(postings.get(k, ())) <= opts.max_postings),
                                key=lambda k: (df[k], k))[:opts.prefix]
                acc: dict[int, float] = {}
                for k in usable:
                    weight = idf[k]
                    for n in postings[k]:
                        acc[n] = acc.get(n, 0.0) + weight
                for n in heapq.nlargest(opts.candidates, acc, key=acc.__getitem__):
                    pairs.add((n, m) if flip else (m, n))
        # identical sentences always pair, even when every key is too common
        by_form: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for j, form in enumerate(self.right_forms):
            by_form[form].append(j)
        for i, form in enumerate(self.left_forms):
            for j in by_form.get(form, ())[:opts.candidates]:
                pairs.add((i, j))
        return {p: self.score(*p) for p in sorted(pairs)}

    # -- 2. the order-preserving chain ---------------------------------------------------------------
    @staticmethod
    def chain(pairs: dict[tuple[int, int], float], size: int) -> list[tuple[int, int]]:
        """The heaviest chain of pairs increasing in both indices (weight = score)."""
        items = sorted(pairs.items(), key=lambda kv: (kv[0][0], -kv[0][1]))
        tree = [(0.0, -1)] * (size + 1)  # Fenwick tree of (best total, item index) over right index
        best: list[float] = []
        back: list[int] = []
        for n, ((_, j), weight) in enumerate(items):
            k, top = j, (0.0, -1)  # query prefix max over right indices < j
            while k > 0:
                if tree[k][0] > top[0]:
                    top = tree[k]
                k -= k & -k
            best.append(top[0] + weight)
            back.append(top[1])
            k = j + 1
            while k <= size:
                if best[n] > tree[k][0]:
                    tree[k] = (best[n], n)
                k += k & -k
        if not items:
            return []
        n = max(range(len(items)), key=lambda x: best[x])
        out = []
        while n >= 0:
            out.append(items[n][0])
            n = back[n]
        return out[::-1]

    # -- the whole pipeline --------------------------------------------------------------------------
    def align(self) -> list[Link]:
        opts = self.options
        state = _State()
        pairs = self.candidates()
        strong = {p: s for p, s in pairs.items() if s >= opts.link_threshold}
        for i, j in self.chain(strong, len(self.right)):
            state.add([i], [j], strong[(i, j)])
        self._absorb(state)
        self._moved(state, pairs)
        self._fill_gaps(state, pairs)
        self._absorb(state)
        return self._rows(state)

    def _absorb(self, state: _State) -> None:
        """Merges and splits: a link takes an unlinked neighbour when together they match clearly better."""
        opts = self.options
        for lid in list(state.links):
            left, right, sim, moved = state.links[lid]
            while len(left) + len(right) < 3:
                options = []
                if len(right) == 1:
                    for n in (left[0] - 1, left[-1] + 1):
                        if 0 <= n < len(self.left) and n not in state.left_links:
                            options.append(("left", n))
                if len(left) == 1:
                    for n in (right[0] - 1, right[-1] + 1):
                        if 0 <= n < len(self.right) and n not in state.right_links:
                            options.append(("right", n))
                best = None
                for side, n in options:
                    new_left = sorted(left + [n]) if side == "left" else left
                    new_right = sorted(right + [n]) if side == "right" else right
                    merged = self.score_group(new_left, new_right)
                    # the neighbour must be mostly found across, and make the pair clearly better: a
                    # higher score, or more of the single side's words explained
                    if side == "left":
                        before, after = left, new_left
                        part = containment(self._bag(self.left, [n]), self._bag(self.right, right))
                        gain = (containment(self._bag(self.right, right), self._bag(self.left, after))
                                - containment(self._bag(self.right, right), self._bag(self.left, before)))
                    else:
                        before, after = right, new_right
                        part = containment(self._bag(self.right, [n]), self._bag(self.left, left))
                        gain = (containment(self._bag(self.left, left), self._bag(self.right, after))
                                - containment(self._bag(self.left, left), self._bag(self.right, before)))
                    better = merged >= sim + opts.merge_gain or (merged >= sim and gain >= opts.cover_gain)
                    if part >= opts.merge_part and better and (best is None or merged > best[0]):
                        best = (merged, side, n, new_left, new_right)
                if best is None:
                    break
                merged, side, n, left, right = best
                sim = merged
                state.links[lid] = [left, right, sim, moved]
                (state.left_links if side == "left" else state.right_links)[n] = lid

    def _bag(self, side: list[list[str]], indices: Sequence[int]) -> Counter[str]:
        return bag([t for n in indices for t in side[n]], self.options.stop_weight)

    def _moved(self, state: _State, pairs: dict[tuple[int, int], float]) -> None:
        """Pair leftover sentences that match well out of order, best first."""
        for (i, j), sim in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
            if sim < self.options.move_threshold:
                break
            if i in state.left_links or j in state.right_links:
                continue
            state.add([i], [j], sim, moved=not self._in_order(state, i, j))

    def _in_order(self, state: _State, i: int, j: int) -> bool:
        """Whether (i, j) sits between the same in-order links on both sides."""
        lo, hi = -1, len(self.right)
        for n in range(i - 1, -1, -1):  # the nearest in-order link above; links are monotone
            lid = state.left_links.get(n)
            if lid is not None and not state.links[lid][3]:
                lo = max(state.links[lid][1])
                break
        for n in range(i + 1, len(self.left)):
            lid = state.left_links.get(n)
            if lid is not None and not state.links[lid][3]:
                hi = min(state.links[lid][1])
                break
        return lo < j < hi

    def _fill_gaps(self, state: _State, pairs: dict[tuple[int, int], float]) -> None:
        """Inside each gap between in-order links, pair leftovers that score >= gap_threshold, in order."""
        opts = self.options
        anchors = sorted((min(v[0]), min(v[1]), max(v[0]), max(v[1]))
                         for v in state.links.values() if not v[3])
        best_left: dict[int, float] = {}
        best_right: dict[int, float] = {}
        for (i, j), sim in pairs.items():  # a weak pair is kept only if neither has a better match elsewhere
            best_left[i] = max(best_left.get(i, 0.0), sim)
            best_right[j] = max(best_right.get(j, 0.0), sim)
        bounds = [(-1, -1)] + [(a[2], a[3]) for a in anchors]
        starts = [(a[0], a[1]) for a in anchors] + [(len(self.left), len(self.right))]
        for (lo_i, lo_j), (hi_i, hi_j) in zip(bounds, starts):
            gap_left = [i for i in range(lo_i + 1, hi_i) if i not in state.left_links]
            gap_right = [j for j in range(lo_j + 1, hi_j) if j not in state.right_links]
            if not gap_left or not gap_right:
                continue
            if len(gap_left) * len(gap_right) <= opts.gap_all_pairs:
                scored = {(i, j): self.score(i, j) for i in gap_left for j in gap_right}
            else:
                wanted_left, wanted_right = set(gap_left), set(gap_right)
                scored = {p: s for p, s in pairs.items() if p[0] in wanted_left and p[1] in wanted_right}
            usable = {p: s for p, s in scored.items() if s >= opts.gap_threshold
                      and s >= best_left.get(p[0], 0.0) and s >= best_right.get(p[1], 0.0)}
            for i, j in self.chain(usable, len(self.right)):
                state.add([i], [j], usable[(i, j)])

    # -- rows in reading order -----------------------------------------------------------------------
    def _rows(self, state: _State) -> list[Link]:
        skeleton = sorted(((v[0], v[1], v[2]) for v in state.links.values() if not v[3]),
                          key=lambda v: (v[0][0], v[1][0]))
        skeleton_left = [max(v[0]) for v in skeleton]
        skeleton_right = [max(v[1]) for v in skeleton]
        keyed: list[tuple[tuple[int, int, int], Link]] = []
        for rank, (left, right, sim) in enumerate(skeleton):
            keyed.append(((rank, 0, 0), self._link(left, right, sim, moved=False)))
        for left, right, sim, moved in state.links.values():
            if moved:
                keyed.append(((bisect_left(skeleton_left, left[0]) - 1, 1, left[0]),
                              self._link(left, right, sim, moved=True)))
        for i in range(len(self.left)):
            if i not in state.left_links:
                keyed.append(((bisect_left(skeleton_left, i) - 1, 1, i), Link("removed", (i,), (), 0.0)))
        for j in range(len(self.right)):
            if j not in state.right_links:
                keyed.append(((bisect_left(skeleton_right, j) - 1, 2, j), Link("added", (), (j,), 0.0)))
        keyed.sort(key=lambda kv: kv[0])
        return [link for _, link in keyed]

    def _link(self, left: list[int], right: list[int], sim: float, moved: bool) -> Link:
        if moved:
            kind = "moved"
        elif len(left) == 1 and len(right) == 1 and self.left_forms[left[0]] == self.right_forms[right[0]]:
            kind = "same"
        else:
            kind = "changed"
        return Link(kind, tuple(left), tuple(right), round(sim, 4))


def align(left: Sequence[Sequence[str]], right: Sequence[Sequence[str]], options: AlignOptions | None = None,
          left_forms: Sequence[Sequence[str]] | None = None,
          right_forms: Sequence[Sequence[str]] | None = None) -> list[Link]:
    """Align two texts given as lists of normalised token sequences; every sentence is in one link.

    `left_forms`/`right_forms` (case-folded word forms) decide `same`; by default the tokens do.
    """
    return Aligner(left, right, options, left_forms, right_forms).align()


# -- measuring against a gold alignment ------------------------------------------------------------------
GOLD_SEPARATOR = " || "


class GoldError(ValueError):
    """A gold alignment row that names a sentence the text does not have (or uses twice)."""


def read_gold(text: str, left: Sequence[str], right: Sequence[str]) -> list[Link]:
    """Gold links from a TSV (`left<TAB>right<TAB>kind`, sentences of one side joined by ` || `)."""
    pools = []
    for sentences in (left, right):
        pool: dict[str, list[int]] = defaultdict(list)
        for n, s in enumerate(sentences):
            pool[s].append(n)
        pools.append(pool)
    links = []
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 3:
            raise GoldError(f"line {number}: expected 3 tab-separated cells, got {len(cells)}")
        sides = []
        for cell, pool in zip(cells[:2], pools):
            indices = []
            for sentence in filter(None, cell.split(GOLD_SEPARATOR)):
                if not pool.get(sentence):
                    raise GoldError(f"line {number}: sentence not found (or used twice): {sentence[:60]!r}")
                indices.append(pool[sentence].pop(0))
            sides.append(tuple(sorted(indices)))
        links.append(Link(cells[2].strip(), sides[0], sides[1], 1.0))
    return links


@dataclass(frozen=True)
class LinkScore:
    precision: float
    recall: float
    f1: float
    kind_accuracy: float  # of the links found, the share with the gold kind


def score_links(predicted: Sequence[Link], gold: Sequence[Link]) -> LinkScore:
    """Link precision/recall/F1: a link is its (left set, right set), so merges must match exactly."""
    pred = {(l.left, l.right): l.kind for l in predicted}
    want = {(l.left, l.right): l.kind for l in gold}
    hits = set(pred) & set(want)
    precision = len(hits) / len(pred) if pred else 1.0
    recall = len(hits) / len(want) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    kinds = sum(1 for h in hits if pred[h] == want[h]) / len(hits) if hits else 0.0
    return LinkScore(precision, recall, f1, kinds)
