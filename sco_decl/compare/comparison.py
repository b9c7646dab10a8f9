"""Compare two declarations (or two editions of one): the Comparison result and its JSON contract.

`compare(corpus, "2014", "2015")` parses both texts, aligns their sentences (sco_decl.compare.align), diffs the
words inside every linked pair (sco_decl.compare.worddiff), lists phrases new in B and dropped from A
(sco_decl.analysis.phrases) and, when the theme analysis is available, the theme matches and rates of both.
The result model (Side, Themes, Comparison; its rows are sco_decl.compare.align.Link) knows no view: the
renderers (html, json, text) live in sco_decl.outputs.formats, one registry keyed by format.

What the aligner measures, and why (benchmarks/bench_compare.py prints the sweeps behind these choices):
- Similarity is textdistance's Sorensen-Dice on weighted bags of normalised tokens: lemmas, case and
  punctuation folded, numbers and month names folded to a class (dates and years change every year).
  Bags beat sequence measures on the gold pairs because translations and rewordings move clauses around
  inside a sentence (mean / min link F1: dice 0.978 / 0.951, cosine 0.978 / 0.951, ratcliff 0.969 / 0.935,
  jaccard 0.956 / 0.913, overlap 0.918 / 0.857, token levenshtein 0.894 / 0.800). Dice and cosine tie;
  Dice is kept as the easier to read (twice the shared weight over the total weight).
- Stop words weigh 0.5. On the gold pairs every weight from 0 to 1 lands within one link of the others
  (0.97-0.98 mean F1); when content words are reworded heavily (the benchmark's robustness table) 0.2
  falls to 0.91 min F1 while 0.5 keeps 0.95, so they are weighed down, but not nearly to nothing.
- Thresholds: pairs scoring >= 0.45 form the order-preserving chain; out-of-order pairs >= 0.45 are
  `moved` (if they stand out from every other candidate by 0.1); leftovers standing in the same gap are linked
  from 0.33 up (calibrated on year pairs, see sco_decl.compare.align), but below 0.45 only if neither sentence
  has a better match anywhere else (this keeps a reworded sentence in place while refusing to pair a dropped
  sentence with an unrelated new one). A neighbour joins a link (merge/split) when at least half of its
  words are found across and the group scores 0.05 higher or explains 0.1 more of the other side's words.
  The gold pairs put rewordings as low as 0.32 and unrelated pairs as high as 0.61, so no single threshold
  separates them: position does. The sweep over 288 settings is flat around these values (link 0.45-0.6,
  gap 0.1-0.4 all reach the best mean F1, 0.978, min 0.951); the defaults sit inside that plateau, not on
  a corner of it, so held-out texts are not judged by values fitted to four fixture pairs.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol, Sequence

from sco_decl._version import __version__
from sco_decl.analysis.document import Document, ParsedText, is_word_text
from sco_decl.analysis.phrases import Phrase, pairwise_new_phrases
from sco_decl.analysis.pipeline import Sentence
from sco_decl.compare.align import KINDS, AlignOptions, Link, align
from sco_decl.compare.crosslingual import CrossLink, align_texts, summary
from sco_decl.compare.similarity import comparable_forms
from sco_decl.compare.worddiff import diff, tokens, variants
from sco_decl.workspace import Workspace

if TYPE_CHECKING:
    from spacy.language import Language

    from sco_decl.analysis.lexicon import Lexicon
    from sco_decl.store.corpus import Corpus

SYMBOLS = {"same": "=", "changed": "~", "moved": ">", "removed": "-", "added": "+"}
_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{3,8}$")


@dataclass
class Side:
    """One text of the comparison, with its provenance."""

    ref: str
    sha256: str  # of the revision's text (the JSON key stays "revision")
    revision_number: int
    declaration: str
    edition: str
    title: str
    date: str
    place: str
    publisher: str | None
    sentences: list[Sentence]
    words: int
    language: str = "en"

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "revision": self.sha256, "revision_number": self.revision_number,
                "declaration": self.declaration, "edition": self.edition, "title": self.title,
                "date": self.date, "place": self.place, "publisher": self.publisher, "words": self.words,
                "language": self.language,
                "sentences": [s.text for s in self.sentences],
                "locators": [s.locator for s in self.sentences]}


@dataclass(frozen=True)
class ThemeMark:
    """A theme term in a sentence (character offsets into the sentence text)."""

    theme: str
    sentence: int
    start: int
    end: int


@dataclass
class ThemeRow:
    theme: str
    label: str
    colour: str
    left_rate: float
    right_rate: float
    left_matches: int
    right_matches: int

    @property
    def change(self) -> float:
        return self.right_rate - self.left_rate

    def to_json(self) -> dict[str, Any]:
        return {"theme": self.theme, "label": self.label, "colour": self.colour,
                "left": {"rate_per_1000": self.left_rate, "matches": self.left_matches},
                "right": {"rate_per_1000": self.right_rate, "matches": self.right_matches},
                "change": round(self.change, 3)}


@dataclass
class Themes:
    """Theme matches of both sides and their rates (empty when the theme analysis is unavailable)."""

    available: bool
    lexicon: str | None = None
    rows: list[ThemeRow] = field(default_factory=list)
    left: list[ThemeMark] = field(default_factory=list)
    right: list[ThemeMark] = field(default_factory=list)
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"available": self.available, "lexicon": self.lexicon,
                               "rates": [r.to_json() for r in self.rows],
                               "matches": {"left": [vars(m) for m in self.left],
                                           "right": [vars(m) for m in self.right]}}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Comparison:
    left: Side
    right: Side
    links: list[Link]
    themes: Themes
    new_phrases: list[Phrase]
    dropped_phrases: list[Phrase]
    similarity: float
    generated: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).strftime(
        "%Y-%m-%d %H:%M UTC"))
    crosslingual: dict[str, Any] | None = None  # the translation check's summary, when languages differ

    @property
    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for link in self.links if link.kind == kind) for kind in KINDS}

    def to_json(self) -> dict[str, Any]:
        """The JSON contract: tool, left, right, alignment (0-based sentence indices), themes."""
        return {
            "tool": {"name": "sco-decl", "version": __version__},
            "left": self.left.to_json(),
            "right": self.right.to_json(),
            "alignment": [link.to_json() for link in self.links],
            "themes": self.themes.to_json(),
            "similarity": self.similarity,
            "counts": self.counts,
            "phrases": {"new": [p.to_json() for p in self.new_phrases],
                        "dropped": [p.to_json() for p in self.dropped_phrases]},
            "generated": self.generated,
            **({"crosslingual": self.crosslingual} if self.crosslingual is not None else {}),
        }


def _side(document: Document, language: str = "en") -> Side:
    decl, revision = document.declaration, document.revision
    edition = decl.edition(revision.edition)
    return Side(ref=revision.ref, sha256=revision.sha256, revision_number=revision.number,
                declaration=decl.id, edition=revision.edition, title=decl.title, date=decl.date.isoformat(),
                place=decl.place, publisher=edition.publisher if edition else None,
                sentences=list(document.sentences), words=document.words, language=language)


def sentence_words(parsed: ParsedText) -> list[list[str]]:
    """Per sentence, its words as written (tokens with a letter or digit), read from the token arrays."""
    texts = parsed.doc.texts
    return [[w for w in texts[s.start:s.end] if is_word_text(w)] for s in parsed.sentences]


def sentence_tokens(parsed: ParsedText) -> tuple[list[list[str]], list[tuple[str, ...]]]:
    """Per sentence: comparable tokens (for similarity) and case-folded word forms (for `same`)."""
    texts, lemmas = parsed.doc.texts, parsed.doc.lemmas
    norm, forms = [], []
    for s in parsed.sentences:
        norm.append(comparable_forms(texts[s.start:s.end], lemmas[s.start:s.end]))
        forms.append(tuple(w.lower() for w in texts[s.start:s.end] if is_word_text(w)))
    return norm, forms


def align_parsed(left: ParsedText, right: ParsedText, options: AlignOptions | None = None) -> list[Link]:
    """Align two parsed texts and diff the words of every linked pair (the aligner's links, each with its
    word diff, or with its spelling variants when it is `same`)."""
    left_norm, left_forms = sentence_tokens(left)
    right_norm, right_forms = sentence_tokens(right)
    out = []
    for link in align(left_norm, right_norm, options, left_forms, right_forms):
        if link.left and link.right:
            left_toks, right_toks = tokens(left, link.left), tokens(right, link.right)
            if link.kind == "same":
                found = variants(left_toks, right_toks, {n: left.sentences[n].text for n in link.left},
                                 {n: right.sentences[n].text for n in link.right})
                link = replace(link, variants=tuple(found))
            else:
                link = replace(link, ops=diff(left_toks, right_toks))
        out.append(link)
    return out


class Linked(Protocol):
    """What the overall similarity reads of a link: its sides and score (a Link or a cross-lingual link)."""

    @property
    def left(self) -> Sequence[int]: ...

    @property
    def right(self) -> Sequence[int]: ...

    @property
    def similarity(self) -> float: ...


def overall_similarity(links: Sequence[Linked], left: ParsedText, right: ParsedText,
                       words: tuple[list[list[str]], list[list[str]]] | None = None) -> float:
    """Word-weighted mean of the link scores; removed and added sentences count as 0. `words` (each
    side's `sentence_words`) spares reading the tokens again when the caller has them."""
    total = left.words + right.words
    if not total:
        return 1.0
    left_words, right_words = words or (sentence_words(left), sentence_words(right))
    kept = sum(link.similarity * (sum(len(left_words[n]) for n in link.left)
                                  + sum(len(right_words[n]) for n in link.right)) for link in links)
    return round(kept / total, 4)


def _themes(workspace: Workspace, documents: tuple[Document, Document]) -> Themes:
    """Theme matches and rates of both sides, from the documents' matches (found when they were parsed;
    each side with its own language's lexicon)."""
    lexicon = workspace.lexicon
    known = set(lexicon.ids)
    sides = [[ThemeMark(m.theme, m.sentence, m.start, m.end) for m in d.matches if m.theme in known]
             for d in documents]
    analyses = [workspace.analysis(d.revision) for d in documents]
    rows = []
    for theme in lexicon.themes:
        counts = [a.counts.get(theme.id) for a in analyses]
        colour = theme.colour if _COLOUR_RE.match(str(theme.colour or "")) else "#888888"
        rows.append(ThemeRow(theme.id, theme.label, colour,
                             round(counts[0].rate_per_1000 or 0.0, 3) if counts[0] else 0.0,
                             round(counts[1].rate_per_1000 or 0.0, 3) if counts[1] else 0.0,
                             (counts[0].matches or 0) if counts[0] else 0,
                             (counts[1].matches or 0) if counts[1] else 0))
    return Themes(available=True, lexicon=lexicon.sha256, rows=rows, left=sides[0], right=sides[1])


def compare(corpus: Corpus, ref_a: str, ref_b: str, lexicon: Lexicon | None = None, nlp: Language | None = None,
            options: AlignOptions | None = None, themes: bool = True,
            workspace: Workspace | None = None) -> Comparison:
    """Compare two stored texts named by reference (`2014`, `2013@wire`, a sha256 prefix...).

    Public API, thin over a Workspace (give one to share its caches; commands do)."""
    if workspace is None:
        workspace = Workspace(corpus, lexicon=lexicon, nlp=nlp)
    return compare_documents(workspace, workspace.document(ref_a), workspace.document(ref_b), options=options,
                             themes=themes)


def compare_documents(workspace: Workspace, left_doc: Document, right_doc: Document, *,
                      options: AlignOptions | None = None, themes: bool = True) -> Comparison:
    """The comparison of two parsed documents: alignment, word diffs, new and dropped phrases, themes.
    Two texts in different languages get the translation check (`compare_translation`, below)."""
    languages = (workspace.language(left_doc.revision), workspace.language(right_doc.revision))
    if languages[0] != languages[1]:
        return compare_translation(workspace, (left_doc, right_doc), languages, themes=themes)
    left, right = left_doc.parsed, right_doc.parsed
    links = _links(workspace, left_doc, right_doc, options)
    rows: dict[str, dict[int, int]] = {"left": {}, "right": {}}  # sentence -> 1-based row
    for number, link in enumerate(links, start=1):
        for n in link.left:
            rows["left"][n] = number
        for n in link.right:
            rows["right"][n] = number
    left_words, right_words = sentence_words(left), sentence_words(right)
    theme_info = _themes(workspace, (left_doc, right_doc)) if themes else \
        Themes(available=False, note="theme analysis was not asked for")
    return Comparison(
        left=_side(left_doc, languages[0]), right=_side(right_doc, languages[1]), links=links,
        themes=theme_info,
        new_phrases=pairwise_new_phrases(right_words, left_words, rows["right"]),
        dropped_phrases=pairwise_new_phrases(left_words, right_words, rows["left"]),
        similarity=similarity_of(workspace, left_doc, right_doc, options=options, words=(left_words, right_words)))


def _links(workspace: Workspace, left_doc: Document, right_doc: Document, options: AlignOptions | None) -> list[Link]:
    """The alignment of two texts, made once per workspace: the site's pages and its appendix compare the
    same pairs, and the alignment is a value of the two texts."""
    key = ("links", left_doc.sha256, right_doc.sha256, repr(options))
    return workspace.memo(key, lambda: align_parsed(left_doc.parsed, right_doc.parsed, options))


def similarity_of(workspace: Workspace, left_doc: Document, right_doc: Document, *,
                  options: AlignOptions | None = None,
                  words: tuple[list[list[str]], list[list[str]]] | None = None) -> float:
    """The overall similarity of two texts in one language, once per workspace: the appendix's column needs
    only this, not a whole comparison (phrases, word lists), and equals the comparison's `similarity`."""
    key = ("similarity", left_doc.sha256, right_doc.sha256, repr(options))
    return workspace.memo(key, lambda: overall_similarity(_links(workspace, left_doc, right_doc, options),
                                                          left_doc.parsed, right_doc.parsed, words))


# -- two languages: the translation check ---------------------------------------------------------------
# Each side is parsed with the pipeline of its own language and its themes matched with its own lexicon;
# the sentences are aligned by sco_decl.compare.crosslingual; the result is an ordinary Comparison (same JSON
# contract as any compare: every sentence of each side in exactly one link, kinds same/changed/moved/removed/
# added) with, per link, its flag (omission/addition of the translation), length ratio and anchors, and a
# `crosslingual` summary: coverage, omissions, additions and the themes whose counts differ. Word diffs and
# new/dropped phrases compare words of one language, so they are left empty here. (It lived in its own
# module, which imported this one while this one imported it back.)
def compare_translation(workspace: Workspace, documents: tuple[Document, Document], languages: tuple[str, str], *,
                        themes: bool = True) -> Comparison:
    """Compare an original and a translation (or two translations) in different languages; each document
    was parsed and matched by the Workspace with its own language's pipeline and lexicon."""
    parsed = (documents[0].parsed, documents[1].parsed)
    theme_info = _themes(workspace, documents) if themes else \
        Themes(available=False, note="theme analysis was not asked for")
    per_sentence: tuple[dict[int, list[str]], dict[int, list[str]]] = ({}, {})
    for marks, out in ((theme_info.left, per_sentence[0]), (theme_info.right, per_sentence[1])):
        for mark in marks:
            out.setdefault(mark.sentence, []).append(mark.theme)
    cross = align_texts(parsed[0], parsed[1], languages[0], languages[1], per_sentence[0], per_sentence[1])
    links = [_cross_link(c) for c in cross]
    return Comparison(left=_side(documents[0], languages[0]), right=_side(documents[1], languages[1]),
                      links=links, themes=theme_info, new_phrases=[], dropped_phrases=[],
                      similarity=overall_similarity(cross, parsed[0], parsed[1]),
                      crosslingual=summary(cross, parsed[0], parsed[1], languages[0], languages[1],
                                           theme_info.rows))


def _cross_link(c: CrossLink) -> Link:
    extra: dict[str, Any] = {"flag": c.flag, "length_ratio": c.length_ratio,
                             "anchors": {"shared": c.shared, "left_only": c.left_only, "right_only": c.right_only}}
    return Link(c.kind, tuple(c.left), tuple(c.right), c.similarity, extra=extra)
