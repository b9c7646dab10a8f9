"""The one place that loads spaCy, and parsing a declaration into located sentences.

The default pipeline needs no model download: `spacy.blank("en")`, our declaration-aware sentence
boundaries, and the lookup lemmatizer from spacy-lookups-data. A trained pipeline is used only when a user
names one. Parsed documents are cached as DocBin files keyed by the text's sha256 and the pipeline, so a
second run reads instead of parsing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TYPE_CHECKING

from sco_decl.errors import ScoDeclError
from sco_decl.analysis.structure import Block, blocks, locator

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from sco_decl.store.model import Revision
    from sco_decl.store.corpus import Corpus

SEGMENTER_VERSION = "3"
BLOCK_SEP = "\n\n"
# Words that end with a period without ending the sentence (lowercase, without the period).
ABBREVIATIONS = frozenset("""mr mrs ms dr st no nos art arts para paras e.g i.e etc vs u.n u.s u.k p pp
sec secs cf ca approx gen col lt sr jr prof jan feb mar apr jun jul aug sep sept oct nov dec""".split())
_OPENERS = set("\"'“‘([«")
_CLOSERS = set("\"'”’)]»")
_ENDERS = {".", "!", "?", "...", "…"}


class ModelNotFoundError(ScoDeclError):
    """A trained spaCy pipeline was asked for but is not installed."""


def _is_abbreviation(token_text: str, abbreviations: frozenset[str] = ABBREVIATIONS) -> bool:
    word = token_text.lower().rstrip(".")
    return word in abbreviations or (len(word) == 1 and word.isalpha())


def set_sentence_starts(doc: Doc, abbreviations: frozenset[str] = ABBREVIATIONS) -> Doc:
    """Sentence boundaries for declarations: paragraph breaks, and . ! ? before a capital, digit or quote.

    Semicolons and colons never end a sentence, so an enumerated list stays one sentence; known
    abbreviations and initials ("U.N.", "St.", "K. Dorran") do not end one either. Works on arrays of
    token strings read once, and sets the starts once with from_array: touching Token objects one by one
    (and setting is_sent_start, which re-checks the whole Doc) made this the slowest step of parsing.
    """
    import numpy
    from spacy.attrs import SPACY

    if not len(doc):
        return doc
    texts = token_strings(doc)
    spaced = [bool(space) for space in doc.to_array(SPACY).tolist()]
    starts = numpy.full(len(doc), -1, dtype="int64")
    previous = -1  # index of the last non-space token
    after_break = True
    for i, text in enumerate(texts):
        if text.isspace():
            if i == 0:
                starts[0] = 1
            if "\n\n" in text:
                after_break = True
            continue
        if after_break or previous < 0:
            start = True
        else:
            start = (_can_start(text) and not (text in _CLOSERS and not spaced[previous])
                     and _ends_sentence(texts, spaced, previous, abbreviations)
                     and not _bare_number(texts, starts, previous))
        if start:
            starts[i] = 1
        after_break = False
        previous = i
    doc.from_array(["SENT_START"], starts.astype("uint64").reshape(-1, 1))
    return doc


def _bare_number(texts: list[str], starts: Any, i: int) -> bool:
    """Whether token i closes a point number that opened a sentence ("2." / "2)"): a number alone is
    never a sentence, so the words after it belong to it."""
    if texts[i] in (".", ")"):
        return i > 0 and starts[i - 1] == 1 and texts[i - 1].isdigit() and len(texts[i - 1]) <= 3
    return starts[i] == 1 and len(texts[i]) <= 4 and texts[i][:-1].isdigit() and texts[i][-1] in ".)"


def _ends_sentence(texts: list[str], spaced: list[bool], i: int,
                   abbreviations: frozenset[str] = ABBREVIATIONS) -> bool:
    text = texts[i]
    if text in _CLOSERS and i > 0:
        if text in _OPENERS and spaced[i - 1]:
            return False  # a straight quote after a space opens a quotation
        return _ends_sentence(texts, spaced, i - 1, abbreviations)
    if text in _ENDERS:
        if text == "." and i > 0 and not spaced[i - 1] and _is_abbreviation(texts[i - 1], abbreviations):
            return False
        return True
    if len(text) > 1 and text.endswith("."):
        # the tokenizer kept the period on an exception like "U.N." or "etc.": an abbreviation
        return not _is_abbreviation(text, abbreviations)
    return False


def _can_start(text: str) -> bool:
    first = text[0]
    return first.isupper() or first.isdigit() or first in _OPENERS


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """The lookup lemmatizer's table (form -> lemma) from spacy-lookups-data, read once per process."""
    import gzip
    import json

    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    try:
        return json.loads(gzip.decompress(path.read_bytes()))
    except OSError as exc:
        raise ModelNotFoundError(f"{path}: cannot read the lemma table; reinstall spacy-lookups-data") from exc


def folded_lemma(text: str, lemma: str) -> str:
    """The lowercase lemma. The lookup table is case-sensitive, so a capitalised word it left alone is
    looked up again in lowercase ("States" -> "state"): sentence-initial words count with the rest."""
    lower = text.lower()
    if lemma == text and text != lower:
        return lemma_table().get(lower, lower)
    return lemma.lower()


class LookupLemmatizer:
    """spaCy's lookup lemmatization (a token's text -> its table lemma, else itself), done on arrays.

    Same lemmas as spaCy's `lemmatizer` in lookup mode, several times faster: each distinct token string
    is looked up once per process and the lemmas are written with one from_array call.
    """

    mode = "lookup"

    def __init__(self) -> None:
        self._table = lemma_table()
        self._memo: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        import numpy
        from spacy.attrs import LEMMA, ORTH

        if not len(doc):
            return doc
        strings = doc.vocab.strings
        memo = self._memo
        orths = doc.to_array([ORTH]).tolist()
        lemmas = []
        for orth in orths:
            lemma = memo.get(orth)
            if lemma is None:
                text = strings[orth]
                lemma = memo[orth] = strings.add(self._table.get(text, text))
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        return doc


def _register_component() -> None:
    from spacy.language import Language

    if "declaration_sentences" not in Language.factories:
        Language.component("declaration_sentences")(set_sentence_starts)
    if "sco_lookup_lemmatizer" not in Language.factories:
        Language.factory("sco_lookup_lemmatizer")(lambda nlp, name: LookupLemmatizer())


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """The pipeline, loaded once per process: blank English by default, or an installed trained one."""
    import spacy

    _register_component()
    if model:
        try:
            nlp = spacy.load(model, exclude=["parser", "senter", "ner"])
        except OSError as exc:
            raise ModelNotFoundError(f"spaCy pipeline {model!r} is not installed: install it "
                                     f"(python -m spacy download {model}) or leave out --model") from exc
        nlp.add_pipe("declaration_sentences", first=True)
        return nlp
    nlp = spacy.blank("en")
    nlp.add_pipe("declaration_sentences")
    nlp.add_pipe("sco_lookup_lemmatizer", name="lemmatizer")
    return nlp


def pipeline_id(nlp: Language) -> str:
    """Names the pipeline in cache keys and provenance."""
    import spacy

    name = nlp.meta.get("name", "blank")
    return f"{nlp.lang}_{name}-{nlp.meta.get('version', '0')}-spacy{spacy.__version__}-seg{SEGMENTER_VERSION}"


@dataclass(frozen=True)
class Sentence:
    """A sentence with its place in the declaration, for citing ("§II ¶3") and for JSON output."""

    index: int
    text: str
    section: str | None
    paragraph: int
    position: int
    point: str | None
    start: int  # token offsets into the Doc
    end: int

    @property
    def locator(self) -> str:
        return locator(self.section, self.paragraph, self.point)


@dataclass
class ParsedText:
    """A parsed text: the spaCy Doc (paragraphs joined by blank lines), its blocks and located sentences."""

    doc: Doc
    blocks: list[Block]
    sentences: list[Sentence]

    @property
    def words(self) -> int:
        return count_words(self.doc)

    def span(self, sentence: Sentence) -> Span:
        return self.doc[sentence.start:sentence.end]


def is_word(token: object) -> bool:
    """A word for counting rates: any token with a letter or digit."""
    return _is_word_text(token.text)  # type: ignore[attr-defined]


def _is_word_text(text: str) -> bool:
    return any(c.isalnum() for c in text)


def token_strings(doc: Doc) -> list[str]:
    """Every token's text, looked up once per distinct string (a Doc repeats a few hundred strings)."""
    import numpy

    if not len(doc):
        return []
    orths, inverse = numpy.unique(doc.to_array("ORTH"), return_inverse=True)
    strings = doc.vocab.strings
    distinct = [strings[orth] for orth in orths.tolist()]
    return [distinct[i] for i in inverse.ravel().tolist()]


def count_words(doc: Doc) -> int:
    """How many tokens are words (`is_word`), decided once per distinct token text."""
    import numpy

    if not len(doc):
        return 0
    orths, counts = numpy.unique(doc.to_array("ORTH"), return_counts=True)
    strings = doc.vocab.strings
    return int(sum(n for orth, n in zip(orths.tolist(), counts.tolist()) if _is_word_text(strings[orth])))


def _doc_text(located: list[Block]) -> str:
    return BLOCK_SEP.join(b.text for b in located)


def _sentences(doc: Doc, located: list[Block]) -> list[Sentence]:
    """Attach each sentence to its block (paragraph) by character offset.

    Reads sentence starts as one array instead of iterating `doc.sents`, which is far slower on long texts.
    """
    from spacy.attrs import IS_SPACE, SENT_START

    starts = []
    offset = 0
    for b in located:
        starts.append(offset)
        offset += len(b.text) + len(BLOCK_SEP)
    flags = doc.to_array([SENT_START, IS_SPACE]).tolist() if len(doc) else []
    bounds = [i for i, (start, _) in enumerate(flags) if start == 1 or i == 0] + [len(flags)]
    text = _doc_text(located)  # the Doc's text; Doc.text would join every token again
    out: list[Sentence] = []
    block_i = -1
    position = 0
    for begin, end in zip(bounds, bounds[1:]):
        words = [i for i in range(begin, end) if not flags[i][1]]
        if not words:
            continue
        first, last = doc[words[0]], doc[words[-1]]
        while block_i + 1 < len(starts) and starts[block_i + 1] <= first.idx:
            block_i += 1
            position = 0
        position += 1
        block = located[block_i]
        out.append(Sentence(index=len(out), text=text[first.idx:last.idx + len(last.text)],
                            section=block.section, paragraph=block.paragraph, position=position,
                            point=block.point, start=first.i, end=last.i + 1))
    return out


def parse(text: str, nlp: Language | None = None) -> ParsedText:
    """Parse a stored text into located sentences (no cache)."""
    nlp = nlp or load_pipeline()
    located = blocks(text)
    doc = nlp(_doc_text(located))
    return ParsedText(doc=doc, blocks=located, sentences=_sentences(doc, located))


def _cache_path(cache: Path, sha256: str, nlp: Language) -> Path:
    key = hashlib.sha256(f"{sha256}|{pipeline_id(nlp)}".encode()).hexdigest()[:32]
    return cache / "docs" / f"{key}.spacy"


def parse_revision(corpus: Corpus, revision: Revision, nlp: Language | None = None,
                   use_cache: bool = True) -> ParsedText:
    """Parse a stored revision, reading or writing the DocBin cache beside the corpus."""
    from spacy.tokens import DocBin

    from sco_decl.fsutil import atomic_write_bytes
    from sco_decl.paths import cache_dir

    from sco_decl.analysis.languages import language_of, pipeline_for

    nlp = pipeline_for(language_of(corpus, revision), nlp)  # each text in its own language's pipeline
    text = corpus.read_text(revision)
    located = blocks(text)
    path = _cache_path(cache_dir(corpus.root), revision.sha256, nlp)
    if use_cache and path.is_file():
        try:
            doc = next(iter(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab)))
            if doc.text == _doc_text(located):
                return ParsedText(doc=doc, blocks=located, sentences=_sentences(doc, located))
        except (ValueError, StopIteration, OSError):
            pass  # a damaged cache entry is re-parsed and rewritten
    doc = nlp(_doc_text(located))
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, DocBin(attrs=["ORTH", "LEMMA", "SENT_START", "SPACY", "NORM"],
                                            docs=[doc]).to_bytes())
        except (OSError, ScoDeclError):
            pass  # a read-only corpus still works, just without the cache
    return ParsedText(doc=doc, blocks=located, sentences=_sentences(doc, located))
