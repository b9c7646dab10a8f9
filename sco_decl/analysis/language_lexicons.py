"""Theme lexicons in Russian and Chinese, with the same theme ids as the English one, and their matching.

The English lexicon (sco_decl.analysis.lexicon) expands English inflections through the English lemma
table; that cannot serve a Russian or Chinese text. Each language has its own file beside themes.toml
(themes-ru.toml, themes-zh.toml) listing, per theme id, the wordings of that language:

- Russian: lemma-based. Each word of a pattern is reduced to its dictionary form by the same pymorphy3
  lemmatizer as the text, so one pattern counts every case and number ("суверенитет" matches
  "суверенитета", "суверенитетом"); `stem*` matches any lemma starting with the stem ("многополярн*":
  многополярный, многополярность); aspects are folded by listing both verbs ("вмешиваться|вмешаться");
  `=form` matches this form only; `...` / `...N` allow up to 3 (N) tokens between two parts.
- Chinese: word-based. A pattern is a string of characters found in the sentence's text (so jieba's
  segmentation of a term does not decide whether it counts); the hit is widened to whole tokens;
  `a|b` gives alternatives and `...` / `...N` allow up to 8 (N) characters between two parts.

Labels, colours and `all_of` come from the English lexicon, so a theme is one theme in every language. A
theme that a language's lexicon does not cover (a user's own theme, or a language without a lexicon)
gets no counts at all: the report says null and warns, because a zero would claim it was looked for.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from sco_decl.analysis.languages import russian_lemma
from sco_decl.errors import LexiconError

if TYPE_CHECKING:
    from sco_decl.analysis.lexicon import Lexicon
    from sco_decl.analysis.pipeline import ParsedText

DATA = Path(__file__).resolve().parent.parent / "data"
RU_GAP = 3
ZH_GAP = 8
_GAP_RE = re.compile(r"^\.\.\.(\d+)?$")
Spans = dict[tuple[str, bool], list[tuple[int, int]]]


@dataclass(frozen=True)
class LanguageTheme:
    id: str
    patterns: tuple[str, ...]
    exclusions: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguageLexicon:
    """One language's wordings per theme id, and the file they came from."""

    language: str
    themes: dict[str, LanguageTheme]
    source: str

    @property
    def sha256(self) -> str:
        data = {k: [list(t.patterns), list(t.exclusions)] for k, t in sorted(self.themes.items())}
        return hashlib.sha256(json.dumps([self.language, data], ensure_ascii=False).encode()).hexdigest()

    def covers(self, lexicon: Lexicon) -> list[str]:
        """The theme ids of `lexicon` this language can count: its own ids, and all_of themes whose parts
        it covers."""
        out = []
        for theme in lexicon.themes:
            if theme.id in self.themes or (theme.all_of and all(p in self.themes for p in theme.all_of)):
                out.append(theme.id)
        return out


def lexicon_path(language: str) -> Path:
    return DATA / f"themes-{language}.toml"


@lru_cache(maxsize=8)
def load_language_lexicon(language: str) -> LanguageLexicon | None:
    """The shipped lexicon of a language, or None if there is none (English uses sco_decl.analysis.lexicon)."""
    path = lexicon_path(language)
    if language == "en" or not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read the {language} lexicon ({exc})") from exc
    themes: dict[str, LanguageTheme] = {}
    for number, entry in enumerate(data.get("theme", []), 1):
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(ident, str):
            raise LexiconError(f"{path}: theme #{number} has no id")
        if ident in themes:
            raise LexiconError(f"{path}: theme {ident!r} is defined twice")
        theme = LanguageTheme(ident, tuple(entry.get("patterns", [])), tuple(entry.get("exclusions", [])))
        for source in theme.patterns + theme.exclusions:
            _compile(language, source, f"{path}: theme {ident}")  # fail on load, not on first match
        themes[ident] = theme
    return LanguageLexicon(language, themes, str(path))


def language_key(language: str) -> str:
    """What a language adds to the theme cache key: the hash of its lexicon ("" for English)."""
    found = load_language_lexicon(language)
    return found.sha256 if found else ""


# -- compiling -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Word:
    lemmas: frozenset[str]
    prefixes: tuple[str, ...]
    forms: frozenset[str]

    def matches(self, lemma: str, form: str) -> bool:
        return lemma in self.lemmas or form in self.forms or any(lemma.startswith(p) for p in self.prefixes)


@lru_cache(maxsize=4096)
def _compile(language: str, source: str, where: str) -> tuple[object, ...]:
    """Russian: a tuple of _Word and int gaps; Chinese: a one-element tuple holding the compiled regex."""
    if language == "zh":
        parts, gaps = _split_gaps(source.replace(" ", ""), where, source, ZH_GAP)
        regex = "".join((f".{{0,{gaps[i - 1]}}}?" if i else "") + "(?:" + "|".join(
            re.escape(a) for a in part.split("|") if a) + ")" for i, part in enumerate(parts))
        return (re.compile(regex),)

    parts, gaps = _split_gaps(source, where, source, RU_GAP)
    out: list[object] = []
    for i, part in enumerate(parts):
        if i:
            out.append(gaps[i - 1])
        words = part.split()
        for n, word in enumerate(words):
            lemmas, prefixes, forms = set(), [], set()
            for alt in word.split("|"):
                alt = alt.lower().replace("ё", "е")
                if not alt:
                    raise LexiconError(f"{where}: pattern {source!r} has an empty alternative")
                if alt.endswith("*"):
                    prefixes.append(alt[:-1])
                elif alt.startswith("="):
                    forms.add(alt[1:])
                else:
                    lemmas.add(russian_lemma(alt))
                    lemmas.add(alt)
            if n:
                out.append(0)
            out.append(_Word(frozenset(lemmas), tuple(prefixes), frozenset(forms)))
    return tuple(out)


def _split_gaps(source: str, where: str, original: str, default: int) -> tuple[list[str], list[int]]:
    pieces = re.split(r"(\.\.\.\d*)", source)
    parts = [p.strip() for p in pieces[::2]]
    gaps = [int(g[3:]) if len(g) > 3 else default for g in pieces[1::2]]
    if not parts or any(not p for p in parts):
        raise LexiconError(f"{where}: pattern {original!r} is empty or starts, ends or doubles a gap")
    return parts, gaps


# -- matching --------------------------------------------------------------------------------------------
def language_spans(parsed: ParsedText, lexicon: Lexicon, language: str,
                   sentence_of: Sequence[int]) -> Spans:
    """(theme, is_exclusion) -> token spans of every hit, each inside one sentence, like the English
    compiled lexicon's `spans`, so themes.find_matches does the rest (exclusions, all_of, merging)."""
    found = load_language_lexicon(language)
    out: Spans = {}
    if found is None:
        return out
    doc = parsed.doc
    wanted = set(lexicon.ids)
    for sentence in parsed.sentences:
        tokens = [i for i in range(sentence.start, sentence.end) if not doc[i].is_space]
        if not tokens:
            continue
        if language == "zh":
            base = doc[sentence.start].idx
            owner = _char_owner(doc, sentence.start, sentence.end, base, len(sentence.text))
        else:
            lemmas = [doc[i].lemma_.lower() for i in tokens]
            lowers = [doc[i].lower_.replace("ё", "е") for i in tokens]
        for theme in found.themes.values():
            if theme.id not in wanted:
                continue
            for exclusion, sources in ((False, theme.patterns), (True, theme.exclusions)):
                for source in sources:
                    compiled = _compile(language, source, found.source)
                    if language == "zh":
                        hits = _zh_hits(compiled[0], sentence.text, owner)  # type: ignore[arg-type]
                    else:
                        hits = [(tokens[s], tokens[e - 1] + 1) for s, e in _ru_hits(compiled, lemmas, lowers)]
                    if hits:
                        out.setdefault((theme.id, exclusion), []).extend(hits)
    for theme_id, extra in _acronym_hits(parsed, out).items():
        out.setdefault((theme_id, False), []).extend(extra)
    return out


_ACRONYM_RE = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&]{1,9}$")


def _acronym_hits(parsed: ParsedText, found: Spans) -> dict[str, list[tuple[int, int]]]:
    """A name defined with an acronym ("Лискский антитеррористический центр (ЛАТЦ)") makes later uses of
    the acronym count for the themes the name counts for, as in English (patterns.acronym_hits). Russian
    capitalises only a name's first word, so the name is the theme hit just before the bracket."""
    doc = parsed.doc
    words = [t.text for t in doc]
    out: dict[str, list[tuple[int, int]]] = {}
    for k in range(1, len(words) - 1):
        if words[k - 1] not in "(（" or words[k + 1] not in ")）" or not _ACRONYM_RE.match(words[k]):
            continue
        themes = set()
        for (theme, exclusion), spans in found.items():
            blocked = found.get((theme, True), [])
            if not exclusion and any(k - 1 - 6 <= e <= k - 1 and not any(s < be and bs < e for bs, be in blocked)
                                     for s, e in spans):
                themes.add(theme)
        for n in range(k + 2, len(words)):
            if words[n] == words[k]:
                for theme in themes:
                    out.setdefault(theme, []).append((n, n + 1))
    return out


def _ru_hits(compiled: tuple[object, ...], lemmas: list[str], forms: list[str]) -> list[tuple[int, int]]:
    """Start/end (positions in the sentence's token list) of every hit of a compiled Russian pattern."""
    first = compiled[0]
    assert isinstance(first, _Word)
    out = []
    for start in range(len(lemmas)):
        if not first.matches(lemmas[start], forms[start]):
            continue
        end = _ru_rest(compiled, 1, start + 1, lemmas, forms)
        if end is not None:
            out.append((start, end))
    return out


def _ru_rest(compiled: tuple[object, ...], k: int, at: int, lemmas: list[str], forms: list[str]) -> int | None:
    """Where the rest of the pattern (from element k) ends when it starts at token `at`, or None."""
    if k >= len(compiled):
        return at
    gap = compiled[k]
    word = compiled[k + 1]
    assert isinstance(gap, int) and isinstance(word, _Word)
    for position in range(at, min(at + gap + 1, len(lemmas))):
        if word.matches(lemmas[position], forms[position]):
            end = _ru_rest(compiled, k + 2, position + 1, lemmas, forms)
            if end is not None:
                return end
    return None


def _char_owner(doc: object, start: int, end: int, base: int, length: int) -> list[int]:
    """For each character of a sentence's text, the index of the token it belongs to."""
    owner = [start] * length
    for i in range(start, end):
        token = doc[i]  # type: ignore[index]
        first = token.idx - base
        for c in range(max(first, 0), min(first + len(token.text), length)):
            owner[c] = i
    return owner


def _zh_hits(regex: re.Pattern[str], text: str, owner: list[int]) -> list[tuple[int, int]]:
    """Character hits widened to the tokens that hold them."""
    return [(owner[m.start()], owner[m.end() - 1] + 1) for m in regex.finditer(text) if m.end() > m.start()]
