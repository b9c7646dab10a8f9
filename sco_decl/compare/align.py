"""The sentence aligner: which sentence of A corresponds to which of B, and how.

Declarations of successive years are not revisions of one file, so a line diff is useless; this module
lines up what corresponds. The stages (as in CollateX: tokens -> candidates -> alignment -> kinds):

1. Candidates: an inverted index of each sentence's rarest keys (content lemmas and token bigrams) proposes,
   for every sentence, the few sentences of the other side that share the most rare keys. Only those pairs
   are scored, so two 50,000-word texts cost thousands of comparisons, not millions.
2. Order: dynamic programming over groups: the heaviest chain that keeps the order of both texts (a
   weighted longest increasing subsequence, O(G log G) with a Fenwick tree). Groups are candidate pairs
   scoring at least `link_threshold` and 2-1 / 1-2 merges around them (a sentence whose best match is
   only half of it); a merge weighs 1.5 times its score, as it links three sentences.
3. Merges and splits again: after each later stage a link absorbs unlinked neighbours, one at a time, while
   the joined text's similarity rises and each neighbour's words are mostly found across (`merged_score`);
   a link may grow to any width (one run-on sentence to the four of another edition), up to `max_width`.
4. Moved: unlinked sentences that match well out of order (>= `move_threshold`) are paired greedily, but only
   when the pair beats every other candidate of both sentences by `move_margin`: in long texts that reuse
   similar sentences, a dropped sentence otherwise pairs with an unrelated new one (F1 on 100,000 words
   fell to 0.83; with the margin it stays at 0.97, see benchmarks/bench_compare.py).
5. Gaps: inside each in-order gap, a small dynamic programme pairs leftover sentences that score at least
   `gap_threshold` (0.33) and either reach `link_threshold` or have no better match anywhere else.
   The floor is calibrated on year pairs: on real consecutive-year editions every right link scored >= 0.35
   and three of the four wrong gap-fill links 0.30-0.32 (issue 12); on the fixture year pairs and 42
   re-worded synthetic pairs no wrong link scores under 0.5 and two right ones of ~1,500 fall under 0.33.
   Links scoring under `weak_threshold` (0.45, the chain's own threshold: they rest on position more than on
   wording) carry `weak = True`.
6. The rest is `removed` (only in A) or `added` (only in B). Kinds: same, changed, moved, removed, added.
   `same` means the words are the same once spelling and typographic variants are folded
   (similarity.canonical): British/American spelling, co-operation, numbers in words, quotes, dashes.

Rows come back in reading order: in-order links, with removed and moved rows at their place in A and added
rows at their place in B. The thresholds were measured on the gold fixtures (see sco_decl.compare.comparison).
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Sequence

from sco_decl.compare.similarity import STOP_WEIGHT, STOP_WORDS, Scorer, bag, canonical, containment
from sco_decl.compare.worddiff import WordDiff

KINDS = ("same", "changed", "moved", "removed", "added")
Group = tuple[tuple[int, ...], tuple[int, ...]]  # (left indices, right indices) of one link


@dataclass(frozen=True)
class AlignOptions:
    """The aligner's knobs; the defaults are the values chosen by the benchmark's sweep."""

    measure: str = "dice"
    stop_weight: float = STOP_WEIGHT
    link_threshold: float = 0.45
    move_threshold: float = 0.45
    move_margin: float = 0.1  # an out-of-order pair must beat each sentence's next best candidate by this
    gap_threshold: float = 0.33  # gap-fill floor: wrong gap pairs on real editions score 0.30-0.32
    weak_threshold: float = 0.45  # links scoring under this are flagged `weak` (calibrated in comparison.py)
    merge_gain: float = 0.05
    merge_part: float = 0.5
    cover_gain: float = 0.1
    absorb_part: float = 0.7  # ...or any gain at all when this much of the neighbour is found across
    max_width: int = 40  # sentences in one link (both sides); a link grows while its similarity rises
    candidates: int = 8  # per sentence, from the index
    prefix: int = 8  # rarest keys of a sentence used to look up candidates
    max_postings: int = 200  # a key shared by more sentences than this is too common to propose pairs
    gap_all_pairs: int = 2500  # gaps up to this many pairs are scored exhaustively


@dataclass(frozen=True)
class Link:
    """One row of an alignment: sentence indices of A and of B (0-based), how they relate, and what changed.

    The one link of the package: the aligner makes it (kind, sides, similarity, weak), a gold file is read
    into it and scored against it (`score_links` keys on the sides only), and the comparison fills in what
    a reader sees on that row (sco_decl.compare.comparison.align_parsed): the word diff of a changed link,
    the spelling variants of a `same` one, and for a translation check (comparison.compare_translation)
    the flag, length ratio and anchors in `extra`. The cross-lingual aligner works on its own richer pair,
    `crosslingual.CrossLink`, which becomes a Link when the comparison is made.
    """

    kind: str
    left: tuple[int, ...]
    right: tuple[int, ...]
    similarity: float
    weak: bool = False  # scored under AlignOptions.weak_threshold: a guess from position more than wording
    ops: WordDiff = field(default_factory=WordDiff, compare=False)  # empty until the comparison diffs words
    variants: tuple[tuple[str, str], ...] = ()  # spelling/typographic differences of a `same` link
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # e.g. a cross-lingual link's flag

    def to_json(self) -> dict[str, Any]:
        """A row of the compare JSON contract's `alignment` list."""
        return {"kind": self.kind, "left": list(self.left), "right": list(self.right),
                "similarity": self.similarity, "ops": [op.to_json() for op in self.ops.ops if op.op != "equal"],
                "variants": [list(v) for v in self.variants], "weak": self.weak, **self.extra}


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
    """Align two sentence lists given as comparable token sequences (see similarity.comparable_tokens)."""

    def __init__(self, left: Sequence[Sequence[str]], right: Sequence[Sequence[str]],
                 options: AlignOptions | None = None, left_forms: Sequence[Sequence[str]] | None = None,
                 right_forms: Sequence[Sequence[str]] | None = None) -> None:
        self.options = options or AlignOptions()
        self.left = [list(t) for t in left]
        self.right = [list(t) for t in right]
        # `same` is judged on forms with spelling and typographic variants folded (similarity.canonical)
        self.left_forms = [canonical(f) for f in (left_forms if left_forms is not None else left)]
        self.right_forms = [canonical(f) for f in (right_forms if right_forms is not None else right)]
        self.scorer = Scorer(self.options.measure, self.options.stop_weight)
        self._prep_left = [self.scorer.prepare(t) for t in self.left]
        self._prep_right = [self.scorer.prepare(t) for t in self.right]
        self._scores: dict[tuple[int, int], float] = {}
        self._bags: dict[int, dict[int, Counter[str]]] = {}

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
        pairs: set[tuple[int, int]] = set()
        for source, target, flip in ((left_keys, right_keys, False), (right_keys, left_keys, True)):
            postings: dict[str, list[int]] = defaultdict(list)
            for n, keys in enumerate(target):
                for k in keys:
                    postings[k].append(n)
            for m, keys in enumerate(source):
                usable = sorted((k for k in keys if 0 < len(postings.get(k, ())) <= opts.max_postings),
                                key=lambda k: (df[k], k))[:opts.prefix]
                acc: Counter[int] = Counter()
                for k in usable:  # counting in C: the rarest keys shared decide, not their exact idf
                    acc.update(postings[k])
                for n, _ in acc.most_common(opts.candidates):
                    pairs.add((n, m) if flip else (m, n))
        # identical sentences always pair, even when every key is too common
        by_form: dict[str, list[int]] = defaultdict(list)
        for j, form in enumerate(self.right_forms):
            by_form[form].append(j)
        for i, form in enumerate(self.left_forms):
            for j in by_form.get(form, ())[:opts.candidates]:
                pairs.add((i, j))
        return {p: self.score(*p) for p in sorted(pairs)}

    # -- 2. the order-preserving chain ---------------------------------------------------------------
    @staticmethod
    def chain(items: dict[Group, float], size: int) -> list[Group]:
        """The heaviest chain of groups increasing in both texts (weighted LIS with a Fenwick tree).

        A group is (left indices, right indices): a 1-1 pair, or a 2-1 / 1-2 merge. A group may follow
        another only if it starts after the other ends on both sides.
        """
        order = sorted(items, key=lambda g: (g[0][0], g[1][0]))
        by_end = sorted(range(len(order)), key=lambda n: order[n][0][-1])
        tree = [(0.0, -1)] * (size + 1)  # Fenwick tree of (best total, item) over the last right index
        best = [0.0] * len(order)
        back = [-1] * len(order)
        inserted = 0
        for n, group in enumerate(order):
            while inserted < len(by_end) and order[by_end[inserted]][0][-1] < group[0][0]:
                m = by_end[inserted]  # groups ending above this one on the left may precede it
                k = order[m][1][-1] + 1
                while k <= size:
                    if best[m] > tree[k][0]:
                        tree[k] = (best[m], m)
                    k += k & -k
                inserted += 1
            k, top = group[1][0], (0.0, -1)  # best chain ending before this group's first right index
            while k > 0:
                if tree[k][0] > top[0]:
                    top = tree[k]
                k -= k & -k
            best[n] = top[0] + items[group]
            back[n] = top[1]
        if not order:
            return []
        n = max(range(len(order)), key=best.__getitem__)
        out = []
        while n >= 0:
            out.append(order[n])
            n = back[n]
        return out[::-1]

    # -- 3. merges and splits ------------------------------------------------------------------------
    def merged_score(self, left: Sequence[int], right: Sequence[int], side: str, n: int,
                     base: float) -> float | None:
        """The score of a group that adds sentence `n` of `side`, if that makes a clearly better link.

        The neighbour must be mostly found across (`merge_part`), and the group must score `merge_gain`
        higher than `base` or, without scoring lower, explain `cover_gain` more of the other side's words.
        """
        opts = self.options
        mine, other = (self.left, self.right) if side == "left" else (self.right, self.left)
        before, across = (left, right) if side == "left" else (right, left)
        after = sorted([*before, n])
        whole = self._bag(other, across)
        found = containment(self._bag(mine, [n]), whole)
        if found < opts.merge_part:
            return None
        merged = self.score_group(after, right) if side == "left" else self.score_group(left, after)
        gain = containment(whole, self._bag(mine, after)) - containment(whole, self._bag(mine, before))
        if merged >= base + opts.merge_gain or (merged >= base and gain >= opts.cover_gain):
            return merged
        if merged > base and found >= opts.absorb_part:
            return merged  # a short neighbour found almost whole across: the joined text reads closer
        return None

    def merge_candidates(self, pairs: dict[tuple[int, int], float]) -> dict[Group, float]:
        """2-1 and 1-2 groups around candidate pairs, kept when they beat both of their 1-1 pairs."""
        out: dict[Group, float] = {}
        best_left: dict[int, tuple[float, int]] = {}
        best_right: dict[int, tuple[float, int]] = {}
        for (i, j), sim in pairs.items():
            best_left[i] = max(best_left.get(i, (0.0, -1)), (sim, j))
            best_right[j] = max(best_right.get(j, (0.0, -1)), (sim, i))
        for (i, j), sim in pairs.items():
            # a merge or split shows as a sentence whose best match is only half of it
            if sim < self.options.gap_threshold or (best_left[i][1] != j and best_right[j][1] != i):
                continue
            for side, n in (("left", i - 1), ("left", i + 1), ("right", j - 1), ("right", j + 1)):
                if not 0 <= n < len(self.left if side == "left" else self.right):
                    continue
                part = self._bag(self.left, [n]) if side == "left" else self._bag(self.right, [n])
                if containment(part, self._bag(self.right, [j]) if side == "left" else self._bag(self.left, [i])) \
                        < self.options.merge_part:
                    continue  # cheap test first: the neighbour's words must be found across
                other = self.score(n, j) if side == "left" else self.score(i, n)
                merged = self.merged_score([i], [j], side, n, max(sim, other))
                if merged is not None and merged >= self.options.link_threshold:
                    group = ((min(i, n), max(i, n)), (j,)) if side == "left" else ((i,), (min(j, n), max(j, n)))
                    out[group] = max(out.get(group, 0.0), merged)
        return out

    # -- the whole pipeline --------------------------------------------------------------------------
    def align(self) -> list[Link]:
        opts = self.options
        state = _State()
        pairs = self.candidates()
        groups: dict[Group, float] = {((i,), (j,)): s for (i, j), s in pairs.items() if s >= opts.link_threshold}
        weights = {g: s for g, s in groups.items()}
        for group, sim in self.merge_candidates(pairs).items():
            groups[group] = sim
            weights[group] = sim * 1.5  # it links three sentences: weigh it against a pair plus a leftover
        for group in self.chain(weights, len(self.right)):
            state.add(list(group[0]), list(group[1]), groups[group])
        self._absorb(state)
        self._moved(state, pairs)
        self._fill_gaps(state, pairs)
        self._absorb(state)
        return self._rows(state)

    def _absorb(self, state: _State) -> None:
        """A link takes an unlinked neighbour when together they match clearly better (see merged_score)."""
        for lid in list(state.links):
            left, right, sim, moved = state.links[lid]
            while len(left) + len(right) < self.options.max_width:
                best = None
                for side, n in ((s, n) for s, group, links in (("left", left, state.left_links),
                                                              ("right", right, state.right_links))
                                if len(left) + len(right) - len(group) == 1
                                for n in (group[0] - 1, group[-1] + 1)
                                if 0 <= n < len(self.left if s == "left" else self.right) and n not in links):
                    merged = self.merged_score(left, right, side, n, sim)
                    if merged is not None and (best is None or merged > best[0]):
                        best = (merged, side, n)
                if best is None:
                    break
                sim, side, n = best
                if side == "left":
                    left = sorted([*left, n])
                    state.left_links[n] = lid
                else:
                    right = sorted([*right, n])
                    state.right_links[n] = lid
                state.links[lid] = [left, right, sim, moved]

    def _bag(self, side: list[list[str]], indices: Sequence[int]) -> Counter[str]:
        if len(indices) == 1:  # single sentences are asked for again and again: keep their bags
            cache = self._bags.setdefault(id(side), {})
            found = cache.get(indices[0])
            if found is None:
                found = cache[indices[0]] = bag(side[indices[0]], self.options.stop_weight)
            return found
        return bag([t for n in indices for t in side[n]], self.options.stop_weight)

    def _moved(self, state: _State, pairs: dict[tuple[int, int], float]) -> None:
        """Pair leftover sentences that match well out of order, best first.

        Out of order, position no longer vouches for a pair, so the pair must also stand out: it beats
        every other candidate of either sentence by `move_margin`. Texts that reuse many similar sentences
        otherwise pair a dropped sentence with an unrelated new one, and more often the longer they are.
        """
        opts = self.options
        runner_up: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for (i, j), sim in pairs.items():
            for key in (("l", i), ("r", j)):
                top = runner_up[key]
                if sim > top[0]:
                    top[0], top[1] = sim, top[0]
                elif sim > top[1]:
                    top[1] = sim
        for (i, j), sim in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
            if sim < opts.move_threshold:
                break
            if i in state.left_links or j in state.right_links:
                continue
            in_order = self._in_order(state, i, j)
            if not in_order and any(runner_up[key][0] > sim or runner_up[key][1] > sim - opts.move_margin
                                    for key in (("l", i), ("r", j))):
                continue
            state.add([i], [j], sim, moved=not in_order)

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
            usable: dict[Group, float] = {((i,), (j,)): s for (i, j), s in scored.items() if s >= opts.gap_threshold
                      and (s >= opts.link_threshold
                           or (s >= best_left.get(i, 0.0) and s >= best_right.get(j, 0.0)))}
            for group in self.chain(usable, len(self.right)):
                state.add(list(group[0]), list(group[1]), usable[group])

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
        return Link(kind, tuple(left), tuple(right), round(sim, 4), weak=sim < self.options.weak_threshold)


def align(left: Sequence[Sequence[str]], right: Sequence[Sequence[str]], options: AlignOptions | None = None,
          left_forms: Sequence[Sequence[str]] | None = None,
          right_forms: Sequence[Sequence[str]] | None = None) -> list[Link]:
    """Align two texts given as lists of comparable token sequences; every sentence is in one link.

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
