"""The lexicon's pattern syntax, compiled to spaCy PhraseMatchers, and the matching of a parsed text.

Why PhraseMatcher and not token-pattern Matcher: spaCy's Matcher tests every pattern at every token and its
set predicates run in Python (a few thousand words/s with a full lexicon); the PhraseMatcher is a hash
lookup. So every wording a pattern allows is expanded up front: inflections from the lemma table (all
forms that share the word's lemma, compared in lowercase, which also covers capitalised words the lookup
lemmatizer leaves alone), hyphen and spacing variants, optional words and alternatives. Gaps split a
pattern into segments; segment hits are chained within one sentence here.
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
import marshal
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence, Union

from sco_decl._version import __version__
from sco_decl.analysis.pipeline import lemma_table, token_strings
from sco_decl.errors import LexiconError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from sco_decl.analysis.lexicon import Lexicon, Theme

DEFAULT_GAP = 3
MAX_GAP = 15
MAX_WORDINGS = 20000  # per segment; beyond this a pattern is almost certainly a mistake
_LEX_RE = re.compile(r"\.\.\.(\d+)?|[\[\]()|]|[^\s\[\]()|]+")
Token = tuple[str, bool]  # (text, case-sensitive)


@dataclass(frozen=True)
class Gap:
    size: int


@dataclass(frozen=True)
class Slot:
    """One place in a pattern: alternatives, each a list of words; optional slots may be left out."""

    alternatives: tuple[tuple[str, ...], ...]
    optional: bool = False


Element = Union[Gap, Slot]


def parse_pattern(text: str, where: str) -> list[list[Slot]]:
    """Pattern text -> its segments (lists of slots) split at gaps; gap sizes come from `gaps()`."""
    return _segments(_elements(text, where), text, where)


def _elements(text: str, where: str) -> list[Element]:
    tokens = [m.group(0) for m in _LEX_RE.finditer(text)]
    if not tokens:
        raise LexiconError(f"{where}: pattern {text!r} is empty")
    out: list[Element] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.startswith("..."):
            size = int(tok[3:]) if len(tok) > 3 else DEFAULT_GAP
            if not 1 <= size <= MAX_GAP:
                raise LexiconError(f"{where}: pattern {text!r}: gap {tok} must be ...1 to ...{MAX_GAP}")
            out.append(Gap(size))
            i += 1
        elif tok in "[(":
            close = "]" if tok == "[" else ")"
            j = i + 1
            alts: list[list[str]] = [[]]
            while j < len(tokens) and tokens[j] != close:
                inner = tokens[j]
                if inner in "[(])" or inner.startswith("..."):
                    raise LexiconError(f"{where}: pattern {text!r}: {inner!r} is not allowed inside {tok}...{close} "
                                       "(no nesting, no gaps inside brackets)")
                if inner == "|":
                    alts.append([])
                else:
                    alts[-1].append(inner)
                j += 1
            if j == len(tokens):
                raise LexiconError(f"{where}: pattern {text!r}: {tok!r} is not closed with {close!r}")
            if any(not a for a in alts):
                raise LexiconError(f"{where}: pattern {text!r}: an empty alternative inside {tok}...{close}")
            out.append(Slot(tuple(tuple(a) for a in alts), optional=tok == "["))
            i = j + 1
        elif tok in "])":
            raise LexiconError(f"{where}: pattern {text!r}: {tok!r} without its opening bracket")
        elif tok == "|":
            raise LexiconError(f"{where}: pattern {text!r}: '|' must stand between two words (a|b) "
                               "or inside brackets")
        else:
            words = [tok]
            while i + 1 < len(tokens) and tokens[i + 1] == "|":
                if i + 2 >= len(tokens) or tokens[i + 2] in "[]()|" or tokens[i + 2].startswith("..."):
                    raise LexiconError(f"{where}: pattern {text!r}: '|' after {tokens[i]!r} is not "
                                       "followed by a word")
                words.append(tokens[i + 2])
                i += 2
            out.append(Slot(tuple((w,) for w in words)))
            i += 1
    return out


def _segments(elements: list[Element], text: str, where: str) -> list[list[Slot]]:
    if isinstance(elements[0], Gap) or isinstance(elements[-1], Gap):
        raise LexiconError(f"{where}: pattern {text!r} starts or ends with a gap; a gap must stand between words")
    segments: list[list[Slot]] = [[]]
    for el in elements:
        if isinstance(el, Gap):
            if not segments[-1]:
                raise LexiconError(f"{where}: pattern {text!r} has two gaps in a row")
            segments.append([])
        else:
            segments[-1].append(el)
    for seg in segments:
        if all(s.optional for s in seg):
            raise LexiconError(f"{where}: pattern {text!r}: a part between gaps has only optional words, "
                               "so the gap would be ambiguous; make one word required")
    return segments


def gaps(text: str) -> list[int]:
    return [int(m.group(1) or DEFAULT_GAP) for m in re.finditer(r"\.\.\.(\d+)?", text)]


# -- wordings --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _lemma_tables() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """The lookup lemmatizer's table (form -> lemma) and its inverse (lemma -> forms)."""
    table = lemma_table()
    inverse: dict[str, set[str]] = {}
    for form, lemma in table.items():
        if form.isalpha() and form.islower():
            inverse.setdefault(lemma, set()).add(form)
    return table, {k: frozenset(v) for k, v in inverse.items()}


def forms(word: str) -> frozenset[str]:
    """Every lowercase form sharing the word's lemma ("interfere" -> interferes, interfered, interfering)."""
    table, inverse = _lemma_tables()
    lemma = table.get(word, word)
    return frozenset({word, lemma, *inverse.get(lemma, ()), *inverse.get(word, ())})


def word_variants(word: str, tokenize) -> list[tuple[Token, ...]]:  # type: ignore[no-untyped-def]
    """The token sequences one pattern word stands for (inflections, hyphen/spacing variants)."""
    exact_form = word.startswith("=") and len(word) > 1
    if exact_form:
        word = word[1:]
    case_sensitive = word != word.lower()
    inflect = not exact_form and not case_sensitive
    parts = tokenize(word if case_sensitive else word.lower())
    hyphenated = len(parts) >= 3 and all(p == "-" for p in parts[1::2]) and len(parts) % 2 == 1 \
        and all(any(c.isalnum() for c in p) for p in parts[::2])
    if len(parts) == 1 or hyphenated:
        pieces = parts[::2] if hyphenated else parts
        last = sorted(forms(pieces[-1])) if inflect and pieces[-1].isalpha() else [pieces[-1]]
        out: list[tuple[str, ...]] = []
        for end in last:
            if hyphenated:
                head = pieces[:-1]
                out.append(tuple(itertools.chain.from_iterable((p, "-") for p in head)) + (end,))
                out.append(tuple(head) + (end,))
                out.append(("".join(head) + end,))
            else:
                out.append((end,))
        return [tuple((t, case_sensitive) for t in seq) for seq in dict.fromkeys(out)]
    return [tuple((t, case_sensitive) for t in parts)]


def segment_wordings(segment: Sequence[Slot], tokenize, where: str, text: str) -> set[tuple[Token, ...]]:  # type: ignore[no-untyped-def]
    """Every token sequence a segment allows."""
    slot_options: list[list[tuple[str, ...]]] = []
    for slot in segment:
        options = list(slot.alternatives) + ([()] if slot.optional else [])
        slot_options.append(options)
    out: set[tuple[Token, ...]] = set()
    for words in itertools.product(*slot_options):
        flat = [w for alt in words for w in alt]
        per_word = [word_variants(w, tokenize) for w in flat]
        count = 1
        for p in per_word:
            count *= len(p)
        if count + len(out) > MAX_WORDINGS:
            raise LexiconError(f"{where}: pattern {text!r} expands to more than {MAX_WORDINGS} wordings; "
                               "split it or use a gap")
        for combo in itertools.product(*per_word):
            out.add(tuple(t for seq in combo for t in seq))
    out.discard(())
    return out


# -- compiling and matching ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompiledPattern:
    theme: str
    exclusion: bool
    source: str
    keys: tuple[str, ...]  # one PhraseMatcher key per segment
    gaps: tuple[int, ...]


class Compiled:
    """PhraseMatchers for every segment of every pattern of a set of themes, and how to chain them."""

    def __init__(self, themes: Iterable[Theme], nlp: Language) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self.vocab = nlp.vocab
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        # The lookup table is already applied above; a trained pipeline's own lemmas are matched as well.
        self.lemma = None if uses_lookup_lemmas(nlp) else PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.patterns: list[CompiledPattern] = []
        # Wordings wait, indexed by their first word in lowercase, until a text holds that word: a wording
        # cannot match a text without its first word, and making the matchers' ~25,000 pattern Docs up front
        # cost a one-text command about a second. Over many texts each is still added once.
        self._waiting: dict[str, dict[str, list[tuple[Token, ...]]]] = {}
        self._doc_cls = Doc
        for theme in themes:
            for exclusion, sources in ((False, theme.patterns), (True, theme.exclusions)):
                for number, source in enumerate(sources, 1):
                    kind = "exclusion" if exclusion else "pattern"
                    where = f"lexicon {theme.origin}: theme {theme.id}, {kind} {number}"
                    keys = []
                    for s, found in enumerate(wordings_of(source, where)):
                        key = f"{theme.id}|{int(exclusion)}|{number}|{s}"
                        for seq in found:
                            self._waiting.setdefault(seq[0][0].lower(), {}).setdefault(key, []).append(seq)
                        keys.append(key)
                    self.patterns.append(CompiledPattern(theme.id, exclusion, source, tuple(keys),
                                                         tuple(gaps(source))))
        # which patterns a hit of a first segment can start: a text hits a few dozen of some hundreds
        self._starting: dict[str, list[int]] = {}
        for i, pattern in enumerate(self.patterns):
            self._starting.setdefault(pattern.keys[0], []).append(i)
        self._keys: dict[int, str] = {}
        if self.lemma is not None:  # a trained pipeline's lemma may differ from any form of the first word
            self._admit(set(self._waiting))

    def _admit(self, words: Iterable[str]) -> None:
        """Add to the matchers the wordings whose first word (lowercased) is among `words`."""
        by_key: dict[str, list[tuple[Token, ...]]] = {}
        for word in words:
            for key, seqs in self._waiting.pop(word, {}).items():
                by_key.setdefault(key, []).extend(seqs)
        for key, seqs in by_key.items():
            self._add(key, frozenset(seqs), self._doc_cls)

    def _add(self, key: str, wordings: frozenset[tuple[Token, ...]], doc_cls) -> None:  # type: ignore[no-untyped-def]
        lower_docs, orth_docs, lemma_seqs = [], [], set()
        table = _lemma_tables()[0] if self.lemma is not None else {}
        for seq in sorted(wordings):
            if any(cs for _, cs in seq):
                for words in itertools.product(*[([t] if cs else sorted({t, t.capitalize(), t.upper()}))
                                                  for t, cs in seq]):
                    orth_docs.append(doc_cls(self.vocab, words=list(words)))
            else:
                lower_docs.append(doc_cls(self.vocab, words=[t for t, _ in seq]))
                lemma_seqs.add(tuple(table.get(t, t) for t, _ in seq))
        if lower_docs:
            self.lower.add(key, lower_docs)
        if orth_docs:
            self.orth.add(key, orth_docs)
        if self.lemma is not None and lemma_seqs:
            self.lemma.add(key, [doc_cls(self.vocab, words=list(seq), lemmas=list(seq)) for seq in sorted(lemma_seqs)])

    def _key(self, match_id: int) -> str:
        found = self._keys.get(match_id)
        if found is None:
            found = self._keys[match_id] = self.vocab.strings[match_id]
        return found

    def spans(self, doc: Doc, sentence_of: Sequence[int],
              words: Sequence[str] | None = None) -> dict[tuple[str, bool], list[tuple[int, int]]]:
        """(theme, is_exclusion) -> token spans of every pattern hit, each inside one sentence (`words`: the
        Doc's token texts, when the caller has them already)."""
        if words is None:
            words = [token.text for token in doc]
        if self._waiting:
            self._admit({word.lower() for word in set(words)}.intersection(self._waiting))  # distinct first
        by_id: dict[int, list[tuple[int, int]]] = {}
        for matcher in (self.lower, self.orth, self.lemma):
            if matcher is None:
                continue
            for match_id, start, end in matcher(doc):
                sentence = sentence_of[start]
                if sentence >= 0 and sentence == sentence_of[end - 1]:
                    by_id.setdefault(match_id, []).append((start, end))
        hits = {self._key(match_id): found for match_id, found in by_id.items()}
        out: dict[tuple[str, bool], list[tuple[int, int]]] = {}
        ordered: dict[str, _Hits] = {}
        for i in sorted(i for key in hits for i in self._starting.get(key, ())):
            pattern = self.patterns[i]
            first = hits[pattern.keys[0]]
            rest = []
            for key in pattern.keys[1:]:
                if key not in ordered:
                    ordered[key] = _Hits(hits.get(key, []))
                rest.append(ordered[key])
            found = _chain(first, rest, pattern.gaps, sentence_of)
            if found:
                out.setdefault((pattern.theme, pattern.exclusion), []).extend(found)
        for theme, extra in acronym_hits(doc, out, sentence_of, words).items():
            out.setdefault((theme, False), []).extend(extra)
        return out


_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&]{1,9}$")
_NAME_JOINERS = frozenset({"of", "and", "for", "the", "on", "in", "against", "to", "&", "-", "'s", "de"})


def definitions(words: Sequence[str], sentence_of: Sequence[int]) -> list[tuple[int, int, int]]:
    """Acronym definitions "Full Name (ACR)": (name start, name end, acronym token) in token indices.

    The name is the run of capitalised words (and the small words inside names: of, and, for, the...)
    just before the bracket, in the same sentence.
    """
    out = []
    for k in _after_brackets(words):
        if not 2 <= k < len(words) - 1 or words[k + 1] != ")" or not _ACRONYM_RE.match(words[k]):
            continue
        start = k - 1
        while start > 0 and sentence_of[start - 1] == sentence_of[k] and k - start <= 14:
            word = words[start - 1]
            if not (word[:1].isupper() or word in _NAME_JOINERS):
                break
            start -= 1
        while start < k - 1 and words[start] in _NAME_JOINERS:
            start += 1
        if k - 1 - start >= 2:
            out.append((start, k - 1, k))
    return out


def _after_brackets(words: Sequence[str]) -> Iterator[int]:
    """The index after every "(" token, found by `list.index` (a scan in C, not a Python loop)."""
    found = list(words) if not isinstance(words, list) else words
    at = -1
    while True:
        try:
            at = found.index("(", at + 1)
        except ValueError:
            return
        yield at + 1


def acronym_hits(doc: Doc, found: dict[tuple[str, bool], list[tuple[int, int]]],
                 sentence_of: Sequence[int], words: Sequence[str] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Later uses of an acronym count for the themes its full name counts for, in this document only.

    "the Lisk Anti-Terrorist Centre (LATC)" counts for terrorism through the full name; a later "the LATC"
    says the same, so it counts too, whatever the translator's habit of spelling names out.
    """
    if not len(doc):
        return {}
    if words is None:
        words = token_strings(doc)
    defs = definitions(words, sentence_of)
    out: dict[str, list[tuple[int, int]]] = {}
    for start, end, k in defs:
        themes = set()
        for (theme, exclusion), spans in found.items():
            if exclusion:
                continue
            blocked = found.get((theme, True), [])
            if any(start <= s and e <= end and not any(s < be and bs < e for bs, be in blocked) for s, e in spans):
                themes.add(theme)
        if not themes:
            continue
        acronym = words[k]
        for n in range(k + 2, len(words)):
            if words[n] == acronym and sentence_of[n] >= 0:
                for theme in themes:
                    out.setdefault(theme, []).append((n, n + 1))
    return out


class _Hits:
    """A segment's hits ordered by start (longest first at the same start), with their starts for bisecting:
    chaining asks for the first hit starting in a window after each hit of the segment before."""

    def __init__(self, hits: list[tuple[int, int]]) -> None:
        self.hits = sorted(hits, key=lambda se: (se[0], -se[1]))
        self.starts = [s for s, _ in self.hits]

    def first_in(self, low: int, high: int, sentence: int, sentence_of: Sequence[int]) -> tuple[int, int] | None:
        """The hit starting earliest in [low, high] (the longest of those) that ends in `sentence`."""
        for k in range(bisect.bisect_left(self.starts, low), len(self.hits)):
            s, e = self.hits[k]
            if s > high:
                return None
            if sentence_of[e - 1] == sentence:
                return s, e
        return None


def _chain(first: list[tuple[int, int]], rest: Sequence[_Hits], gap_sizes: Sequence[int],
           sentence_of: Sequence[int]) -> list[tuple[int, int]]:
    """Join segment hits left to right: each next segment starts within `gap` words, in the same sentence
    (the earliest such hit, the longest at that start)."""
    out = []
    for start, end in first:
        sentence = sentence_of[start]
        for hits, gap in zip(rest, gap_sizes):
            nxt = hits.first_in(end, end + gap, sentence, sentence_of)
            if nxt is None:
                break
            end = nxt[1]
        else:
            out.append((start, end))
    return out


_HYPHENATED_RE = re.compile(r"^[^\W_]+(?:-[^\W_]+)+$")
_POSSESSIVE_RE = re.compile(r"^(?P<stem>[^\W_]+)(?P<s>['’]s|s['’]|['’])$")


@lru_cache(maxsize=8192)
def tokenize_word(word: str) -> list[str]:
    """How spaCy's English tokenizer splits one pattern word, without loading spaCy.

    Hyphens between letters are split off ("non-interference" -> non, -, interference), a possessive is
    its own token ("other's" -> other, 's); anything else (U.N., e-mail addresses, numbers) is one token.
    tests/test_lexicon.py checks this against the real tokenizer for every shipped pattern word.
    """
    if _HYPHENATED_RE.match(word):
        parts = word.split("-")
        return [t for part in parts for t in (part, "-")][:-1]
    possessive = _POSSESSIVE_RE.match(word)
    if possessive and possessive.group("s").lower() not in ("s'", "s’"):
        return [possessive.group("stem"), possessive.group("s")]
    if possessive:
        return [word[:-1], word[-1]]
    return [word]


@lru_cache(maxsize=4096)
def wordings_of(source: str, where: str) -> tuple[frozenset[tuple[Token, ...]], ...]:
    """Every wording of each gap-free part of a pattern (cached: the check and the compile share it; a
    lexicon checked before has them on disk, see `CompiledCache`)."""
    _load_pending()
    known = _PRELOADED.get(source)
    if known is not None:
        return known
    return tuple(frozenset(segment_wordings(seg, tokenize_word, where, source)) for seg in parse_pattern(source, where))


# -- the compiled lexicon on disk ------------------------------------------------------------------------
_PRELOADED: dict[str, tuple[frozenset[tuple[Token, ...]], ...]] = {}
_PENDING: list[Path] = []


def _load_pending() -> None:
    while _PENDING:
        path = _PENDING.pop()
        try:
            data = marshal.loads(path.read_bytes())
            if not isinstance(data, dict):
                raise ValueError(path)
            for source, parts in data.items():
                _PRELOADED.setdefault(source, parts)
        except (OSError, ValueError, TypeError, EOFError):
            continue  # a damaged entry: the wordings are expanded again


@dataclass(frozen=True)
class CompiledCache:
    """A lexicon's expanded wordings on disk, keyed by its patterns' sha256, the tool version and this
    module's code. Its presence says the lexicon passed `check_theme` before, so loading it again skips the
    checks and the lemma table; the wordings themselves are read only when a text must be matched."""

    folder: Path
    key: str

    @classmethod
    def for_lexicon(cls, match_sha256: str) -> CompiledCache:
        from platformdirs import user_cache_dir

        code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
        python = "%d.%d" % sys.version_info[:2]  # marshal's format may change between versions
        key = hashlib.sha256(f"{match_sha256}|{__version__}|{code}|{python}".encode()).hexdigest()[:32]
        return cls(Path(os.environ.get("SCO_DECL_CACHE") or user_cache_dir("sco-decl")) / "lexicons", key)

    @property
    def path(self) -> Path:
        return self.folder / f"{self.key}.marshal"

    def use(self) -> bool:
        """True (and the wordings queued for reading) if this lexicon was checked and compiled before."""
        if not self.path.is_file():
            return False
        _PENDING.append(self.path)
        return True

    def save(self, sources: Iterable[tuple[str, str]]) -> None:
        """Keep the wordings of every (pattern, where) just checked; a read-only cache folder is no error.

        marshal, not JSON: the file is ours, keyed by the Python version, and holds only strings, bools,
        tuples and frozensets, which it reads back as they are about ten times faster (a one-text command
        pays this read)."""
        data = {source: wordings_of(source, where) for source, where in sources}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps(data))
            os.replace(tmp, self.path)
        except OSError:
            return


def uses_lookup_lemmas(nlp: Language) -> bool:
    """True when the pipeline's lemmas come from the lookup table the wordings were expanded with (the
    default pipeline), so matching needs no lemmas from the Doc at all."""
    if "lemmatizer" not in nlp.pipe_names:
        return True
    return getattr(nlp.get_pipe("lemmatizer"), "mode", None) == "lookup"


@lru_cache(maxsize=16)
def compiled(lexicon: Lexicon, nlp: Language) -> Compiled:
    """The compiled lexicon for a pipeline, built once per process."""
    return Compiled(lexicon.themes, nlp)


def check_theme(theme: Theme) -> None:
    """Syntax of every pattern, no duplicates, and no pattern whose every wording an exclusion removes.

    The last check compares wordings with the exclusions' gap-free parts: an exclusion found inside a
    wording is found in any context, so if it is inside every wording of a part, the pattern is dead.
    """
    for kind, sources in (("pattern", theme.patterns), ("exclusion", theme.exclusions)):
        twice = sorted({s for s in sources if sources.count(s) > 1})
        if twice:
            raise LexiconError(f"lexicon {theme.origin}: theme {theme.id}: {kind} {twice[0]!r} is listed twice")
    blockers: dict[tuple[str, ...], str] = {}
    for number, source in enumerate(theme.exclusions, 1):
        parts = wordings_of(source, f"lexicon {theme.origin}: theme {theme.id}, exclusion {number}")
        if len(parts) == 1:
            for seq in parts[0]:
                blockers.setdefault(_key(seq), source)
    for number, source in enumerate(theme.patterns, 1):
        parts = wordings_of(source, f"lexicon {theme.origin}: theme {theme.id}, pattern {number}")
        for part in parts:
            culprits = set()
            for seq in part:
                culprit = _blocked_by(_key(seq), blockers)
                if culprit is None:
                    break
                culprits.add(culprit)
            else:
                raise LexiconError(f"lexicon {theme.origin}: theme {theme.id}: pattern {source!r} can never "
                                   f"match: exclusion {sorted(culprits)[0]!r} removes every wording it allows; "
                                   "narrow the exclusion or drop the pattern")


def _key(seq: tuple[Token, ...]) -> tuple[str, ...]:
    return tuple(t.lower() for t, _ in seq)


def _blocked_by(words: tuple[str, ...], blockers: dict[tuple[str, ...], str]) -> str | None:
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            if words[i:j] in blockers:
                return blockers[words[i:j]]
    return None
