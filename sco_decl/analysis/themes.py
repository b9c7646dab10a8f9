"""Theme analysis: which sentences of a declaration speak of which theme, with counts and a cache.

`find_matches` runs the compiled lexicon over a parsed text. The Workspace does it once per text while
parsing, and caches parse and matches together (sco_decl.workspace); `analysis_of` turns a Document into
the typed `DocumentAnalysis` (counts per theme) that themes, chart, appendix and site read. `report` is the
JSON contract of `sco-decl themes`: it only serialises.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from sco_decl._version import __version__
from sco_decl.analysis.document import Document, ParsedText
from sco_decl.analysis.language_lexicons import language_spans, load_language_lexicon
from sco_decl.analysis.patterns import compiled
from sco_decl.analysis.pipeline import Sentence, load_pipeline

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from sco_decl.analysis.lexicon import Lexicon


@dataclass(frozen=True)
class ThemeMatch:
    """One theme hit: `sentence` is the sentence index; start/end are character offsets into its text."""

    theme: str
    sentence: int
    start: int
    end: int
    text: str
    token_start: int
    token_end: int


@dataclass(frozen=True)
class ThemeCount:
    """Counts of one theme; all None when the text's language has no wordings for the theme (not 0:
    nothing was looked for)."""

    matches: int | None
    sentences: int | None
    share: float | None  # sentences with the theme / sentences
    rate_per_1000: float | None  # matches per 1,000 words


@dataclass
class DocumentAnalysis:
    """The theme analysis of one revision, with everything an output needs to cite it."""

    ref: str
    id: str
    edition: str
    sha256: str  # of the revision's text (the JSON key stays "revision")
    revision_number: int
    date: dt.date
    place: str
    title: str
    words: int
    sentences: list[Sentence]
    matches: list[ThemeMatch]
    counts: dict[str, ThemeCount]
    language: str = "en"
    warnings: list[str] = field(default_factory=list)

    def matches_by_sentence(self) -> dict[int, list[ThemeMatch]]:
        out: dict[int, list[ThemeMatch]] = {}
        for match in self.matches:
            out.setdefault(match.sentence, []).append(match)
        return out


# -- matching --------------------------------------------------------------------------------------------
def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping hits of one theme are one mention: "non-interference" and "interference in internal
    affairs" in "non-interference in internal affairs" become a single match covering both."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def find_matches(parsed: ParsedText, lexicon: Lexicon, nlp: Language | None = None) -> list[ThemeMatch]:
    """Every theme match in a parsed text, in text order (themes in lexicon order at the same place).

    The light tokens are turned back into a spaCy Doc for the matchers; the Workspace avoids that by
    matching each run's Doc while it parses (`match_doc`)."""
    nlp = nlp or load_pipeline()
    return match_doc(parsed.doc.to_doc(nlp.vocab), parsed, lexicon, nlp)


def match_doc(spacy_doc: Doc, parsed: ParsedText, lexicon: Lexicon, nlp: Language) -> list[ThemeMatch]:
    """`find_matches` on the spaCy Doc `parsed` was made from (same tokens)."""
    sentence_of = parsed.sentence_of
    if nlp.lang != "en":
        spans = language_spans(parsed, lexicon, nlp.lang or "en", sentence_of)
    else:
        spans = compiled(lexicon, nlp).spans(spacy_doc, sentence_of, parsed.doc.texts)
    kept: dict[str, list[tuple[int, int]]] = {}
    for theme in lexicon.themes:
        blocked = spans.get((theme.id, True))
        found = spans.get((theme.id, False), [])
        if blocked:
            found = [(s, e) for s, e in found if not any(s < be and bs < e for bs, be in blocked)]
        kept[theme.id] = found
    for theme in lexicon.themes:
        if theme.all_of:
            kept[theme.id] = kept[theme.id] + _cooccurring(theme.all_of, kept, sentence_of)
    offsets, texts = parsed.doc.offsets, parsed.doc.texts
    out = []
    order = {t.id: i for i, t in enumerate(lexicon.themes)}
    for theme_id, found in kept.items():
        for start, end in _merged(found):
            sentence = parsed.sentences[sentence_of[start]]
            base = offsets[sentence.start]
            c_start = offsets[start] - base
            c_end = offsets[end - 1] + len(texts[end - 1]) - base
            out.append(ThemeMatch(theme_id, sentence.index, c_start, c_end, sentence.text[c_start:c_end],
                                  start, end))
    out.sort(key=lambda m: (m.token_start, order[m.theme], m.token_end))
    return out


def _cooccurring(ids: Sequence[str], kept: dict[str, list[tuple[int, int]]],
                 sentence_of: Sequence[int]) -> list[tuple[int, int]]:
    """One span per sentence where every theme in `ids` matches: from the first of them to the last."""
    per_sentence: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for ident in ids:
        for start, end in kept.get(ident, []):
            per_sentence.setdefault(sentence_of[start], {}).setdefault(ident, []).append((start, end))
    out = []
    for found in per_sentence.values():
        if len(found) == len(ids):
            spans = sorted((s, e, ident) for ident, group in found.items() for s, e in group)
            windows = []  # the tightest stretch that names each of them once
            for i, (start, _, _) in enumerate(spans):
                seen: set[str] = set()
                for s, e, ident in spans[i:]:
                    seen.add(ident)
                    if len(seen) == len(ids):
                        windows.append((start, max(e2 for s2, e2, _ in spans[i:] if s2 <= s)))
                        break
            out.append(min(windows, key=lambda w: (w[1] - w[0], w[0])))
    return out


def count(matches: Sequence[ThemeMatch], lexicon: Lexicon, words: int, sentences: int,
          covered: Iterable[str] | None = None) -> dict[str, ThemeCount]:
    """Counts per theme; themes outside `covered` (None: all) get null counts."""
    known = None if covered is None else set(covered)
    per_theme: dict[str, list[ThemeMatch]] = {}
    for m in matches:
        per_theme.setdefault(m.theme, []).append(m)
    out = {}
    for theme in lexicon.themes:
        if known is not None and theme.id not in known:
            out[theme.id] = ThemeCount(None, None, None, None)
            continue
        mine = per_theme.get(theme.id, [])
        with_theme = len({m.sentence for m in mine})
        out[theme.id] = ThemeCount(matches=len(mine), sentences=with_theme,
                                   share=round(with_theme / sentences, 6) if sentences else 0.0,
                                   rate_per_1000=round(len(mine) * 1000 / words, 6) if words else 0.0)
    return out


# -- one revision -----------------------------------------------------------------------------------------
def analysis_of(document: Document, lexicon: Lexicon, language: str = "en") -> DocumentAnalysis:
    """The typed theme analysis of a Document (its matches were found when it was parsed); themes the
    text's language has no wordings for get null counts and a warning."""
    revision, decl = document.revision, document.declaration
    known = set(lexicon.ids)
    matches = [m for m in document.matches if m.theme in known]
    covered, warnings = coverage(lexicon, language, revision.ref)
    return DocumentAnalysis(ref=revision.ref, id=decl.id, edition=revision.edition, sha256=revision.sha256,
                            revision_number=revision.number, date=decl.date, place=decl.place, title=decl.title,
                            words=document.words, sentences=document.sentences, matches=matches,
                            counts=count(matches, lexicon, document.words, len(document.sentences), covered),
                            language=language, warnings=warnings)


def coverage(lexicon: Lexicon, language: str, ref: str = "") -> tuple[list[str] | None, list[str]]:
    """Which themes a language can count (None: all) and a warning for each gap."""
    if language == "en":
        return None, []
    found = load_language_lexicon(language)
    covered = found.covers(lexicon) if found else []
    missing = [t.id for t in lexicon.themes if t.id not in covered]
    if not missing:
        return covered, []
    where = f"{ref}: " if ref else ""
    if found is None:
        return covered, [f"{where}no theme lexicon for language {language!r}: theme counts are null"]
    return covered, [f"{where}the {language} lexicon has no wordings for {', '.join(missing)}: "
                     "their counts are null"]


# -- the report (JSON contract) --------------------------------------------------------------------------
def first_appearances(analyses: Sequence[DocumentAnalysis], theme_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """For each theme, the first analysed declaration (date order) where it matches, or None."""
    out: dict[str, dict[str, Any]] = {}
    ordered = sorted(analyses, key=lambda a: (a.date, a.id))
    for ident in theme_ids:
        first = next((a for a in ordered if a.counts[ident].matches), None)
        out[ident] = {"first_year": first.date.year if first else None, "first_ref": first.ref if first else None}
    return out


def report(analyses: Sequence[DocumentAnalysis], lexicon: Lexicon, with_sentences: bool = False,
           theme_ids: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON of `sco-decl themes` (a contract others script against; fields may be added, never renamed)."""
    chosen = lexicon.select(theme_ids)
    firsts = first_appearances(analyses, [t.id for t in chosen])
    wanted = {t.id for t in chosen}
    documents = []
    for a in analyses:
        doc: dict[str, Any] = {
            "ref": a.ref, "id": a.id, "edition": a.edition, "revision": a.sha256, "sha256": a.sha256,
            "revision_number": a.revision_number, "date": a.date.isoformat(), "place": a.place, "title": a.title,
            "words": a.words, "sentences": len(a.sentences), "language": a.language,
            "themes": {t.id: asdict(a.counts[t.id]) for t in chosen},
        }
        if a.warnings:
            doc["warnings"] = list(a.warnings)
        if with_sentences:
            by_sentence = a.matches_by_sentence()
            doc["sentence_list"] = [
                {"index": s.index, "text": s.text, "section": s.section, "paragraph": s.paragraph,
                 "point": s.point, "locator": s.locator,
                 "themes": list(dict.fromkeys(m.theme for m in by_sentence.get(s.index, []) if m.theme in wanted)),
                 "matches": [{"theme": m.theme, "start": m.start, "end": m.end, "text": m.text}
                             for m in by_sentence.get(s.index, []) if m.theme in wanted]}
                for s in a.sentences]
        documents.append(doc)
    return {
        "tool": {"name": "sco-decl", "version": __version__},
        "lexicon": {"sha256": lexicon.sha256, "sources": list(lexicon.sources)},
        "themes": [{"id": t.id, "label": t.label, "colour": t.colour, "description": t.description,
                    **firsts[t.id]} for t in chosen],
        "documents": documents,
    }


def table_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The report as long rows (declaration x theme), for the table and CSV outputs."""
    rows = []
    firsts = {t["id"]: t for t in data["themes"]}
    for doc in data["documents"]:
        for ident, c in doc["themes"].items():
            rows.append({"ref": doc["ref"], "date": doc["date"], "sha256": doc["sha256"], "words": doc["words"],
                         "sentences_total": doc["sentences"], "theme": ident, "matches": c["matches"],
                         "sentences": c["sentences"], "share": c["share"], "rate_per_1000": c["rate_per_1000"],
                         "first_year": firsts[ident]["first_year"]})
    return rows
