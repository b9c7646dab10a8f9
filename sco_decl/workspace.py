"""The Workspace: one corpus, one lexicon, the NLP pipelines and the parse cache, made once per command.

Every analysis starts from `workspace.document(ref)`: the revision (its file verified against its sha256 on
every read, cached or not), its declaration, and its parse (sentences with locators, light tokens, the theme
matches of the lexicon in force). There is one parse path (sco_decl.analysis.pipeline.parse) and one cache:
a JSON file per text under <corpus>/.cache/parses/, keyed by the text's sha256, the pipeline, the lexicon's
patterns and the code that decides what a parse is. It is read back without importing spaCy, so commands on
texts analysed before (compare, chart, appendix, site) load no NLP at all. Pipelines are loaded on first
use, one per edition language.

Corpus-wide commands (no REFs) leave out a revision whose file no longer verifies and record it in
`damaged`; the CLI warns about each and exits non-zero. A revision named on the command line is refused.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Hashable, Iterable, Iterator, Sequence, TypeVar

from sco_decl._version import __version__
from sco_decl.analysis.document import Document, ParsedText, Tokens
from sco_decl.analysis.language_lexicons import language_key
from sco_decl.analysis.languages import load_pipeline
from sco_decl.analysis.lexicon import load_lexicon
from sco_decl.analysis.pipeline import (PIPE_TEXTS, Sentence, code_fingerprint, parse_many, pipeline_id,
                                        pipeline_key)
from sco_decl.analysis.structure import blocks
from sco_decl.analysis.themes import DocumentAnalysis, ThemeMatch, analysis_of, match_doc
from sco_decl.errors import ScoDeclError, StoreError
from sco_decl.paths import cache_dir, default_texts_dir
from sco_decl.store.corpus import Corpus
from sco_decl.store.model import Declaration, Revision
from sco_decl.store.references import resolve_refs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from sco_decl.analysis.lexicon import Lexicon

DEFAULT_LANGUAGE = "en"
T = TypeVar("T")
_DOCUMENTS_KEPT = 16  # parsed documents held in memory at once (analyses, which are small, are all kept)


@dataclass(frozen=True)
class Damaged:
    """A revision left out of a corpus-wide command because its file no longer verifies."""

    revision: Revision
    message: str


class Workspace:
    """What a command works in: the corpus, the lexicon in force, the pipelines, the caches.

    Everything is made on first use, so a command that only lists the corpus loads no lexicon and no
    spaCy. `lexicon` and `nlp` may be given ready-made (the public API functions do); otherwise the lexicon
    comes from the shipped themes (plus `themes_file`) and the pipeline from `model`.
    """

    def __init__(self, corpus: Corpus | Path | str | Callable[[], Corpus], *, lexicon: Lexicon | None = None,
                 themes_file: Path | None = None, model: str | None = None, nlp: Language | None = None,
                 use_cache: bool = True) -> None:
        self._corpus = corpus if isinstance(corpus, Corpus) else None
        self._root = Path(corpus) if isinstance(corpus, (str, Path)) else None
        self._opener = corpus if callable(corpus) and not isinstance(corpus, Corpus) else None
        self._lexicon = lexicon
        self.themes_file = themes_file
        self.model = model
        self.use_cache = use_cache
        self._given = nlp  # a ready pipeline (public API, tests): used for texts of its language
        self._pipelines: dict[str, Language] = {}
        self._ids: dict[int, str] = {}  # id(pipeline) -> its pipeline_id
        self._declarations: dict[str, Declaration] | None = None
        self._documents: dict[str, Document] = {}
        self._analyses: dict[str, DocumentAnalysis] = {}
        self._memo: dict[Hashable, Any] = {}
        self.damaged: list[Damaged] = []

    # -- what it holds ----------------------------------------------------------------------------------
    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            if self._opener is not None:  # the CLI's: it checks the folder exists before opening it
                self._corpus = self._opener()
            else:
                assert self._root is not None
                self._corpus = Corpus.open(self._root)
        return self._corpus

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self._lexicon = load_lexicon(self.themes_file)
        return self._lexicon

    def pipeline(self, language: str = DEFAULT_LANGUAGE) -> Language:
        """The pipeline for an edition language, loaded on first use (English unless a language module
        provides another)."""
        language = language or DEFAULT_LANGUAGE
        if language not in self._pipelines:
            self._pipelines[language] = self._load_pipeline(language)
        return self._pipelines[language]

    def _load_pipeline(self, language: str) -> Language:
        if self._given is not None and self._given.lang == language:
            return self._given

        # a trained model (--model) is English; Russian and Chinese texts get their own blank pipelines
        return load_pipeline(language, self.model if language == DEFAULT_LANGUAGE else None)

    def pipeline_key(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The pipeline's id for cache keys and provenance, known without loading it (nor spaCy)."""
        if language in self._pipelines:
            return self._pipeline_id(self._pipelines[language])
        if self._given is not None and self._given.lang == language:
            return self._pipeline_id(self._given)
        return pipeline_key(self.model if language == DEFAULT_LANGUAGE else None, language or DEFAULT_LANGUAGE)

    def _pipeline_id(self, nlp: Language) -> str:
        """pipeline_id, once per pipeline (spaCy builds `nlp.meta` afresh on every read)."""
        found = self._ids.get(id(nlp))
        if found is None:
            found = self._ids[id(nlp)] = pipeline_id(nlp)
        return found

    def declaration(self, ident: str) -> Declaration:
        """A declaration by id, from one reading of the catalog files per workspace."""
        if self._declarations is None:
            self._declarations = {d.id: d for d in self.corpus.declarations()}
        found = self._declarations.get(ident)
        return found if found is not None else self.corpus.declaration(ident)

    def language(self, revision: Revision) -> str:
        """The language a revision is analysed in: its edition's language in the catalog (default en)."""
        info = self.declaration(revision.declaration).edition(revision.edition)
        return ((info.language if info is not None else None) or DEFAULT_LANGUAGE).strip().lower()

    # -- revisions --------------------------------------------------------------------------------------
    def resolve(self, ref: str | Revision) -> Revision:
        return ref if isinstance(ref, Revision) else self.corpus.resolve(ref)

    def revisions(self, refs: Sequence[str] = ()) -> list[Revision]:
        """The revisions named (date order, each once); with no REFs every declaration with text, leaving
        out (and recording in `damaged`) any whose file no longer verifies."""
        found = resolve_refs(self.corpus, refs)
        return found if refs else self.verified(found)

    def verified(self, revisions: Iterable[Revision]) -> list[Revision]:
        """The revisions whose files still verify; the others are recorded in `damaged`."""
        out = []
        for revision in revisions:
            try:
                self.text(revision)
            except StoreError as exc:
                if all(d.revision != revision for d in self.damaged):
                    self.damaged.append(Damaged(revision, str(exc)))
                continue
            out.append(revision)
        return out

    def text(self, revision: Revision) -> str:
        """The revision's text, verified against its sha256 (every read, so a cache is never trusted for a
        file that changed)."""
        return self.corpus.read_text(revision)

    # -- documents --------------------------------------------------------------------------------------
    def document(self, ref: str | Revision) -> Document:
        """The parsed document of a revision: from the cache when this text was parsed before with the same
        pipeline, lexicon and code, else parsed now (and cached)."""
        return self._documents_of([self.resolve(ref)])[0]

    def documents(self, refs: Iterable[str | Revision]) -> list[Document]:
        return [self.document(ref) for ref in refs]

    def _documents_of(self, revisions: Sequence[Revision]) -> list[Document]:
        """Documents from memory or the cache; the others parsed together, per language, through one
        `nlp.pipe` (sco_decl.analysis.pipeline.parse_many), and cached."""
        found: dict[int, Document] = {}
        todo: dict[str, list[tuple[int, Revision, str, Path | None]]] = {}
        for i, revision in enumerate(revisions):
            kept = self._documents.get(_key(revision))
            if kept is not None:
                found[i] = kept
                continue
            text = self.text(revision)
            language = self.language(revision)
            path = self._cache_path(revision.sha256, self.pipeline_key(language), self.lexicon.match_sha256,
                                    language) if self.use_cache else None
            loaded = _read_entry(path, text) if path is not None else None
            if loaded is None:
                todo.setdefault(language, []).append((i, revision, text, path))
            else:
                found[i] = self._keep(revision, language, loaded)
        for language, items in todo.items():
            for (i, revision, _, path), loaded in zip(items, self._parse([text for _, _, text, _ in items], language)):
                if path is not None:
                    _write_entry(path, loaded)
                found[i] = self._keep(revision, language, loaded)
        return [found[i] for i in range(len(revisions))]

    def _keep(self, revision: Revision, language: str, loaded: tuple[ParsedText, list[ThemeMatch]]) -> Document:
        parsed, matches = loaded
        document = Document(revision=revision, declaration=self.declaration(revision.declaration), parsed=parsed,
                            matches=matches, pipeline=self.pipeline_key(language), lexicon_sha256=self.lexicon.sha256)
        if len(self._documents) >= _DOCUMENTS_KEPT:
            self._documents.pop(next(iter(self._documents)))
        self._documents[_key(revision)] = document
        return document

    def analysis(self, ref: str | Revision) -> DocumentAnalysis:
        """The theme analysis (counts, matches, sentences) of a revision, made once per workspace."""
        return next(self.iter_analyses([ref]))

    def analyses(self, refs: Iterable[str | Revision]) -> list[DocumentAnalysis]:
        return list(self.iter_analyses(refs))

    def iter_analyses(self, refs: Iterable[str | Revision]) -> Iterator[DocumentAnalysis]:
        """The analyses of revisions in order (for a progress bar), the texts not analysed before parsed
        `PIPE_TEXTS` at a time through one `nlp.pipe` rather than one by one. Only the analyses are kept;
        a batch's documents go as the next batch comes (but for the last few, kept in memory)."""
        pending = iter(refs)
        while True:
            batch = [self.resolve(ref) for ref in itertools.islice(pending, PIPE_TEXTS)]
            if not batch:
                return
            missing = list({_key(r): r for r in batch if _key(r) not in self._analyses}.values())
            for revision, document in zip(missing, self._documents_of(missing)):
                self._analyses[_key(revision)] = analysis_of(document, self.lexicon, self.language(revision))
            for revision in batch:
                yield self._analyses[_key(revision)]

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """A value derived from texts only (e.g. the alignment of two of them), made once per workspace."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]  # type: ignore[no-any-return]

    def _parse(self, texts: list[str], language: str) -> Iterator[tuple[ParsedText, list[ThemeMatch]]]:
        """Parse texts of one language, matching the lexicon on each run's spaCy Doc before it goes."""
        import dataclasses

        nlp = self.pipeline(language)
        lexicon = self.lexicon
        matches: list[list[ThemeMatch]] = [[] for _ in texts]

        def on_run(i: int, doc: Doc, local: ParsedText, tokens_before: int, sentences_before: int) -> None:
            found = match_doc(doc, local, lexicon, nlp)
            if not tokens_before and not sentences_before:
                matches[i].extend(found)
                return
            for m in found:
                matches[i].append(dataclasses.replace(m, sentence=m.sentence + sentences_before,
                                                      token_start=m.token_start + tokens_before,
                                                      token_end=m.token_end + tokens_before))

        for i, parsed in enumerate(parse_many(texts, nlp, on_run=on_run)):
            yield parsed, matches[i]
            matches[i] = []

    def cache_path(self, ref: str | Revision) -> Path:
        """Where the parse of a revision is cached (for tests and `check --repair`)."""
        revision = self.resolve(ref)
        language = self.language(revision)
        return self._cache_path(revision.sha256, self.pipeline_key(language), self.lexicon.match_sha256, language)

    def _cache_path(self, sha256: str, pipeline: str, lexicon_sha256: str, language: str) -> Path:
        key = hashlib.sha256(f"{sha256}|{pipeline}|{lexicon_sha256}|{language_key(language)}|{code_fingerprint()}"
                             f"|{__version__}".encode()).hexdigest()[:32]
        return cache_dir(self.corpus.root) / "parses" / f"{key}.json"


def _key(revision: Revision) -> str:
    return f"{revision.sha256}|{revision.ref}"


# -- the cache: one JSON file per (text, pipeline, lexicon, code) ------------------------------------------
def _read_entry(path: Path, text: str) -> tuple[ParsedText, list[ThemeMatch]] | None:
    """A cached parse, or None when missing or unreadable (then the text is parsed again). The paragraph
    blocks are not stored: they are cut again from the text (a regular expression, no NLP)."""
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        tokens = Tokens.from_json(data["tokens"])
        sentences = [Sentence(**s) for s in data["sentences"]]
        matches = [ThemeMatch(**m) for m in data["matches"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    if any(s.end > len(tokens) for s in sentences):
        return None
    return ParsedText(doc=tokens, blocks=blocks(text), sentences=sentences), matches


def _write_entry(path: Path, entry: tuple[ParsedText, list[ThemeMatch]]) -> None:
    """Write-then-rename, without fsync: an entry lost in a crash is parsed again (a damaged one is detected
    on reading), and the fsync was a fifth of the cold analysis time. A read-only corpus works uncached."""
    parsed, matches = entry
    data = {"tokens": parsed.doc.to_json(), "sentences": [vars(s) for s in parsed.sentences],
            "matches": [vars(m) for m in matches]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def open_workspace(texts: Path | None = None, *, themes_file: Path | None = None, model: str | None = None,
                   use_cache: bool = True) -> Workspace:
    """The workspace of a corpus folder (default: the one the CLI would use)."""
    return Workspace(texts or default_texts_dir(), themes_file=themes_file, model=model, use_cache=use_cache)


# -- the public API of the first version, thin over a Workspace ------------------------------------------
def analyse(corpus: Corpus, revision: Revision, lexicon: Lexicon, nlp: Language | None = None,
            use_cache: bool = True) -> DocumentAnalysis:
    """The theme analysis of a stored revision (public API, thin over a Workspace: one parse path, one
    cache; commands make one Workspace and call `workspace.analysis`)."""
    return Workspace(corpus, lexicon=lexicon, nlp=nlp, use_cache=use_cache).analysis(revision)


def analyse_many(corpus: Corpus, revisions: Iterable[Revision], lexicon: Lexicon,
                 nlp: Language | None = None, use_cache: bool = True) -> Iterator[DocumentAnalysis]:
    """Analyses one at a time, so a caller that does not keep them holds one document at a time."""
    workspace = Workspace(corpus, lexicon=lexicon, nlp=nlp, use_cache=use_cache)
    for revision in revisions:
        yield workspace.analysis(revision)


def parse_revision(corpus: Corpus, revision: Revision, nlp: Language | None = None,
                   use_cache: bool = True) -> ParsedText:
    """The parse of a stored revision (kept for callers of the first version; use Workspace.document)."""
    return Workspace(corpus, nlp=nlp, use_cache=use_cache).document(revision).parsed


__all__ = ["Damaged", "Workspace", "analyse", "analyse_many", "open_workspace", "parse_revision", "ScoDeclError"]
