"""Align an original (Russian or Chinese) with a translation without any neural model.

Words of two languages cannot be compared, so the monolingual aligner (sco_decl.compare.align) finds no
link between a Russian text and its English translation. This module aligns them in the manner of Gale and
Church (1993): a dynamic programme over sentence lengths that allows 1-1, 1-2, 2-1, 2-2, 1-3, 3-1 links
and omissions, where a translated sentence is expected to be about as long as its original times the
texts' overall length ratio. Lengths alone drift on texts with merges and splits, so each link is also
scored by anchors that survive translation:

- numbers and dates (months from the gazetteer; a Chinese 6月 is June), which must agree;
- section numerals and point numbers, when both texts number their points;
- names from a small multilingual gazetteer (states, capitals and summit cities, the organisation's bodies,
  the UN; data/gazetteer.tsv) and, between Russian and English, capitalised names compared through a
  transliterated consonant skeleton (so names the gazetteer does not know still anchor);
- the theme concepts matched on each side by the theme lexicons of each language;
- a trilingual glossary of declaration vocabulary (data/glossary.tsv), weighted by rarity in the two texts.

A link's anchor score is the Dice coefficient of the weighted anchor sets, so every link, small or merged,
earns at most the same reward; merges win only when lengths and anchors both say so. After the alignment a
link is flagged as an omission or an addition of the translation when its length ratio is far from the
texts' ratio or numbers and names appear on one side only.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from sco_decl.analysis.pipeline import ParsedText

DATA = Path(__file__).resolve().parent.parent / "data"
# Gale and Church's priors for link shapes (their Table 5), with 1-3 and 3-1 added at the 0-1 rate.
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
          (2, 2): 0.011, (3, 1): 0.0099 / 2, (1, 3): 0.0099 / 2}
CONFIRMED = 0.75  # anchor agreement above which a link is not marked for its length alone
WEIGHTS = {"n": 2.0, "m": 1.0, "e": 2.0, "x": 1.5, "t": 1.0}  # glossary concepts ("c") are weighted by rarity
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
_ZH_MONTH_RE = re.compile(r"(\d{1,2})\s*月")
_CYR_TO_LAT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                       ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
                        "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


@dataclass(frozen=True)
class AlignSettings:
    """The knobs of the cross-lingual aligner. Defaults sit in the middle of the plateau found by sweeping
    anchor_weight 6-16, anchor_floor 0-0.4 and variance 6.8/12 over the fixture pairs (ru-en and zh-en with
    and without point numbers, ru-zh composed through English): weights 9-16 with floors 0.2-0.4 and
    Gale and Church's variance all give the best scores; lower weights let the merge priors win over
    anchors, a larger variance lets lengths drift."""

    variance: float = 6.8  # Gale and Church's variance of the length difference per character
    anchor_weight: float = 12.0  # reward for a link whose anchors agree completely (Dice 1.0)
    anchor_floor: float = 0.3  # a link whose anchors agree less than this is penalised, not rewarded
    number_penalty: float = 1.5  # per number or month on one side of a link only
    point_bonus: float = 2.0  # both sides carry the same point number
    point_penalty: float = 4.0  # both carry point numbers and none agrees
    band: int = 25  # at least this many sentences around the diagonal are searched
    omission_ratio: float = 0.55  # a link whose length ratio falls below this (or above its inverse) is flagged
    moved_threshold: float = 0.5  # an omission and an addition this alike are one moved sentence


# -- anchors ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Concept:
    key: str
    patterns: dict[str, tuple[re.Pattern[str], ...]]


def _wording_regex(wording: str, language: str) -> re.Pattern[str]:
    """A wording as a regex: Chinese as a substring; English and Russian as whole words, `*` any ending,
    spaces and hyphens interchangeable; a wording with a capital letter is matched case-sensitively."""
    if language == "zh":
        return re.compile(re.escape(wording))
    words = [w for w in re.split(r"[\s\-–]+", wording.strip()) if w]
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    flags = 0 if any(c.isupper() for c in wording) else re.IGNORECASE
    return re.compile(r"(?<!\w)" + r"[\s\-–]+".join(parts) + r"(?!\w)", flags)


def _read_table(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows[1:]  # the header


@lru_cache(maxsize=1)
def concepts() -> tuple[Concept, ...]:
    """Gazetteer entities ("e:" keys, months "m:") and glossary concepts ("c:"), each with its wordings."""
    out = []
    for row in _read_table(DATA / "gazetteer.tsv"):
        ident, kind, *names = row
        key = f"m:{ident[1:]}" if kind == "month" else f"e:{ident}"
        out.append(Concept(key, _patterns(dict(zip(("en", "ru", "zh"), names)))))
    for row in _read_table(DATA / "glossary.tsv"):
        out.append(Concept(f"c:{row[0].split('|')[0]}", _patterns(dict(zip(("en", "ru", "zh"), row)))))
    return tuple(out)


def _patterns(cells: dict[str, str]) -> dict[str, tuple[re.Pattern[str], ...]]:
    return {language: tuple(_wording_regex(w, language) for w in cell.split("|") if w.strip())
            for language, cell in cells.items()}


def skeleton(word: str) -> str:
    """A name's consonants in Latin letters ("Вальморе" and "Valmora" -> "vlmr"), to compare names across
    Cyrillic and Latin spelling."""
    lower = "".join(_CYR_TO_LAT.get(c, c) for c in word.lower())
    lower = lower.replace("ck", "k").replace("ph", "f").replace("th", "t").replace("c", "k").replace("q", "k")
    lower = lower.replace("w", "v").replace("kh", "h").replace("x", "ks")
    out = re.sub(r"[^a-z]|[aeiouy]", "", lower)
    return re.sub(r"(.)\1+", r"\1", out)


_NAME_RE = re.compile(r"(?<![\w.])([A-ZА-ЯЁ][a-zа-яё]{3,})")


def sentence_anchors(text: str, language: str, point: str | None, themes: Sequence[str] = ()) -> set[str]:
    """The anchor keys of one sentence."""
    keys: set[str] = set()
    months = set()
    if language == "zh":
        months = {m.start(1) for m in _ZH_MONTH_RE.finditer(text)}
    for m in _NUMBER_RE.finditer(text):
        value = m.group(0).replace(",", ".")
        keys.add(f"m:{int(value)}" if m.start() in months else f"n:{value}")
    for concept in concepts():
        if any(p.search(text) for p in concept.patterns.get(language, ())):
            keys.add(concept.key)
    if language != "zh":
        names = _NAME_RE.findall(text)
        for name in names[1:] if names and text.startswith(names[0]) else names:
            sk = skeleton(name)
            if len(sk) >= 3:
                keys.add(f"x:{sk[:4]}")
    if point:
        keys.add(f"p:{point}")
    keys.update(f"t:{t}" for t in themes)
    return keys


def _length(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


# -- the dynamic programme -------------------------------------------------------------------------------
@dataclass
class CrossLink:
    """A link of the cross-lingual alignment, with what the summary and the page need to mark it."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    kind: str
    similarity: float
    shared: list[str] = field(default_factory=list)
    left_only: list[str] = field(default_factory=list)
    right_only: list[str] = field(default_factory=list)
    length_ratio: float | None = None
    flag: str | None = None  # "omission" | "addition" (of the translation) | None


class CrossAligner:
    """Align two sentence lists given their texts, languages, point numbers and theme ids."""

    def __init__(self, left: Sequence[set[str]], right: Sequence[set[str]], left_lengths: Sequence[int],
                 right_lengths: Sequence[int], settings: AlignSettings | None = None) -> None:
        self.settings = settings or AlignSettings()
        self.left, self.right = list(left), list(right)
        self.left_lengths, self.right_lengths = list(left_lengths), list(right_lengths)
        total_left, total_right = sum(self.left_lengths), sum(self.right_lengths)
        self.ratio = (total_right / total_left) if total_left and total_right else 1.0
        df: Counter[str] = Counter()
        for keys in self.left + self.right:
            df.update(keys)
        n = max(len(self.left) + len(self.right), 1)
        self.weights = {k: self._weight(k, df[k], n) for k in df}
        left_points = {k for keys in self.left for k in keys if k.startswith("p:")}
        right_points = {k for keys in self.right for k in keys if k.startswith("p:")}
        union = left_points | right_points
        self.use_points = bool(union) and len(left_points & right_points) / len(union) >= 0.8
        self._groups: dict[tuple[str, int, int], tuple[set[str], int]] = {}

    @staticmethod
    def _weight(key: str, df: int, n: int) -> float:
        kind = key[0]
        if kind == "p":
            return 0.0
        if kind == "c":
            return min(1.0, math.log(1 + n / df) / math.log(1 + n / 2)) if df else 0.0
        return WEIGHTS.get(kind, 1.0)

    def _group(self, side: str, start: int, size: int) -> tuple[set[str], int]:
        key = (side, start, size)
        found = self._groups.get(key)
        if found is None:
            sets, lengths = (self.left, self.left_lengths) if side == "l" else (self.right, self.right_lengths)
            found = (set().union(*sets[start:start + size]), sum(lengths[start:start + size]))
            self._groups[key] = found
        return found

    def similarity(self, a: set[str], b: set[str]) -> float:
        """Dice of the weighted anchor sets (points left out: they decide elsewhere)."""
        w = self.weights
        total = sum(w.get(k, 0.0) for k in a) + sum(w.get(k, 0.0) for k in b)
        if not total:
            return 0.0
        return 2 * sum(w.get(k, 0.0) for k in a & b) / total

    def length_cost(self, la: int, lb: int) -> float:
        if not la and not lb:
            return 0.0
        mean = (la * self.ratio + lb) / 2
        delta = (lb - la * self.ratio) / math.sqrt(max(mean, 1.0) * self.settings.variance)
        p = 2 * (1 - 0.5 * (1 + math.erf(abs(delta) / math.sqrt(2))))
        return -math.log(max(p, 1e-12))

    def bead_cost(self, i: int, j: int, di: int, dj: int) -> float:
        s = self.settings
        cost = -math.log(PRIORS[(di, dj)])
        if not di or not dj:
            keys, _ = self._group("l", i, di) if di else self._group("r", j, dj)
            # an omission costs the numbers it leaves unmatched, as a mismatch inside a link would
            return cost + s.number_penalty * sum(1 for k in keys if k[0] in "nm") * 0.5
        a, la = self._group("l", i, di)
        b, lb = self._group("r", j, dj)
        cost += self.length_cost(la, lb)
        cost -= s.anchor_weight * (self.similarity(a, b) - s.anchor_floor)
        cost += s.number_penalty * sum(1 for k in a ^ b if k[0] in "nm")
        if self.use_points:
            pa = {k for k in a if k[0] == "p"}
            pb = {k for k in b if k[0] == "p"}
            if pa and pb:
                cost += -s.point_bonus if pa & pb else s.point_penalty
        return cost

    def align(self) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        n, m = len(self.left), len(self.right)
        band = max(self.settings.band, int(0.15 * max(n, m)))
        inf = float("inf")
        cost: dict[tuple[int, int], float] = {(0, 0): 0.0}
        back: dict[tuple[int, int], tuple[int, int]] = {}
        for i in range(n + 1):
            centre = i * m / n if n else 0
            for j in range(max(0, int(centre) - band), min(m, int(centre) + band) + 1):
                if i == 0 and j == 0:
                    continue
                best, step = inf, (0, 0)
                for di, dj in PRIORS:
                    pi, pj = i - di, j - dj
                    if pi < 0 or pj < 0:
                        continue
                    before = cost.get((pi, pj))
                    if before is None:
                        continue
                    value = before + self.bead_cost(pi, pj, di, dj)
                    if value < best:
                        best, step = value, (di, dj)
                if best < inf:
                    cost[(i, j)] = best
                    back[(i, j)] = step
        if (n, m) not in cost:  # the band missed the corner (very unequal texts): fall back to no band
            self.settings = AlignSettings(**{**vars(self.settings), "band": max(n, m) + 1})
            return self.align()
        beads = []
        i, j = n, m
        while i or j:
            di, dj = back[(i, j)]
            beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
            i, j = i - di, j - dj
        return beads[::-1]


def cross_align(left: Sequence[set[str]], right: Sequence[set[str]], left_lengths: Sequence[int],
                right_lengths: Sequence[int], left_texts: Sequence[str] = (), right_texts: Sequence[str] = (),
                settings: AlignSettings | None = None, original: str = "left") -> list[CrossLink]:
    """Links covering every sentence of each side exactly once, in reading order, with kinds and flags."""
    aligner = CrossAligner(left, right, left_lengths, right_lengths, settings)
    s = aligner.settings
    links = []
    for a, b in aligner.align():
        ka, la = aligner._group("l", a[0], len(a)) if a else (set(), 0)
        kb, lb = aligner._group("r", b[0], len(b)) if b else (set(), 0)
        link = CrossLink(a, b, "changed", round(aligner.similarity(ka, kb), 4) if a and b else 0.0)
        if a and b:
            if left_texts and right_texts and " ".join(left_texts[i] for i in a) == " ".join(right_texts[j] for j in b):
                link.kind, link.similarity = "same", 1.0
            link.shared = _visible(ka & kb)
            link.left_only = _visible(ka - kb)
            link.right_only = _visible(kb - ka)
            link.length_ratio = round(lb / (la * aligner.ratio), 3) if la else None
            link.flag = _flag(link, s.omission_ratio, original)
        else:
            link.kind = "removed" if a else "added"
            link.flag = _flag(link, s.omission_ratio, original)
        links.append(link)
    return _moved(links, aligner, s.moved_threshold, original)


def _visible(keys: set[str]) -> list[str]:
    """The anchors a reader can check: numbers, months and gazetteer names."""
    return sorted(k for k in keys if k[0] in "nme")


def _flag(link: CrossLink, ratio: float, original: str) -> str | None:
    """Omission or addition of the translation (the side that is not `original`)."""
    # Length alone is weak evidence (a list of transliterated names is long in Chinese, short in English):
    # it marks a link only when the anchors do not vouch for it.
    vouched = bool(link.shared) and not link.left_only and not link.right_only  # names and numbers all agree
    doubtful = link.similarity < CONFIRMED and not vouched
    shorter_right = doubtful and link.length_ratio is not None and link.length_ratio < ratio
    longer_right = doubtful and link.length_ratio is not None and link.length_ratio > 1 / ratio
    more_left = any(k[0] in "nm" for k in link.left_only)
    more_right = any(k[0] in "nm" for k in link.right_only)
    right_lacks = link.kind == "removed" or shorter_right or (more_left and not more_right)
    right_adds = link.kind == "added" or longer_right or (more_right and not more_left)
    if right_lacks == right_adds:
        return None
    if original == "left":
        return "omission" if right_lacks else "addition"
    return "addition" if right_lacks else "omission"


def _moved(links: list[CrossLink], aligner: CrossAligner, threshold: float, original: str) -> list[CrossLink]:
    """A removed and an added sentence whose anchors agree well are one sentence moved elsewhere."""
    removed = [k for k in links if k.kind == "removed" and len(k.left) == 1]
    added = [k for k in links if k.kind == "added" and len(k.right) == 1]
    pairs = sorted(((aligner.similarity(aligner.left[r.left[0]], aligner.right[a.right[0]]), id(r), id(a), r, a)
                    for r in removed for a in added), key=lambda t: -t[0])
    used: set[int] = set()
    for sim, rid, aid, r, a in pairs:
        if sim < threshold or rid in used or aid in used:
            continue
        if not any(k[0] in "nmex" for k in aligner.left[r.left[0]] & aligner.right[a.right[0]]):
            continue  # concepts alone are too common to prove that a sentence moved
        used.update((rid, aid))
        r.right, r.kind, r.similarity, r.flag = a.right, "moved", round(sim, 4), None
        links.remove(a)
    return links


# -- from parsed texts -----------------------------------------------------------------------------------
def anchors_of(parsed: ParsedText, language: str, themes: dict[int, list[str]] | None = None) -> list[set[str]]:
    themes = themes or {}
    return [sentence_anchors(s.text, language, s.point, themes.get(s.index, ())) for s in parsed.sentences]


def align_texts(left: ParsedText, right: ParsedText, left_language: str, right_language: str,
                left_themes: dict[int, list[str]] | None = None, right_themes: dict[int, list[str]] | None = None,
                settings: AlignSettings | None = None) -> list[CrossLink]:
    """Align two parsed texts of different languages (the original is the non-English side, else the left)."""
    original = "right" if left_language == "en" and right_language != "en" else "left"
    return cross_align(anchors_of(left, left_language, left_themes), anchors_of(right, right_language, right_themes),
                       [_length(s.text) for s in left.sentences], [_length(s.text) for s in right.sentences],
                       [s.text for s in left.sentences], [s.text for s in right.sentences], settings, original)


def length_only(left: ParsedText, right: ParsedText) -> list[CrossLink]:
    """The baseline: Gale and Church on lengths alone (no anchors), for the benchmark's comparison."""
    settings = AlignSettings(anchor_weight=0.0, number_penalty=0.0, point_bonus=0.0, point_penalty=0.0)
    return cross_align([set() for _ in left.sentences], [set() for _ in right.sentences],
                       [_length(s.text) for s in left.sentences], [_length(s.text) for s in right.sentences],
                       settings=settings)


def summary(links: Sequence[CrossLink], left: ParsedText, right: ParsedText, left_language: str,
            right_language: str, theme_rows: Sequence[Any] = ()) -> dict[str, Any]:
    """Coverage (share of the original's characters in links with both sides), omissions, additions, and
    the themes whose counts differ between original and translation."""
    original = "right" if left_language == "en" and right_language != "en" else "left"
    source = left if original == "left" else right
    lengths = [_length(s.text) for s in source.sentences]
    linked: set[int] = set()
    for link in links:
        if link.left and link.right:
            linked.update(link.left if original == "left" else link.right)
    total = sum(lengths)
    coverage = round(sum(lengths[i] for i in linked) / total, 4) if total else 1.0
    themes = [{"theme": r.theme, "label": r.label, "left": r.left_matches, "right": r.right_matches}
              for r in theme_rows if r.left_matches != r.right_matches]
    return {"languages": {"left": left_language, "right": right_language}, "original": original,
            "coverage": coverage, "omissions": sum(1 for k in links if k.flag == "omission"),
            "additions": sum(1 for k in links if k.flag == "addition"), "themes_differ": themes,
            "method": "length-based dynamic programme (Gale-Church) with translation anchors"}
