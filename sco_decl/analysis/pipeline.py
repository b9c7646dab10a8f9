"""The one place that loads spaCy, and the one parse path: a declaration into located sentences.

The default pipeline needs no model download: `spacy.blank("en")`, our declaration-aware sentence
boundaries, and the lookup lemmatizer from spacy-lookups-data. A trained pipeline is used only when a user
names one. `parse` cuts a text into runs of whole paragraphs (so spaCy's max_length never bites, and the
result is the one a single pass gives: a paragraph break always ends a sentence) and hands back light
token arrays (`sco_decl.analysis.document.Tokens`); the Workspace caches those, keyed by the text's sha256,
`pipeline_key` and the lexicon, and reads them back without importing spaCy.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from sco_decl.analysis.document import ParsedText, Tokens, is_word_text
from sco_decl.analysis.structure import ABBREVIATIONS, Block, blocks, locator
from sco_decl.errors import ScoDeclError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from sco_decl.store.corpus import Corpus
    from sco_decl.store.model import Revision

SEGMENTER_VERSION = "3"
BLOCK_SEP = "\n\n"
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
    doc.from_array(["SENT_START"], starts.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]
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
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))  # type: ignore[arg-type]
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


@lru_cache(maxsize=None)
def _installed(name: str) -> str:
    """A package's installed version, read once per process (the metadata scan costs ~2 ms per call, and
    every document's cache key asks for it)."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "0"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the modules that decide what a parse and its matches are (this one, structure, patterns,
    themes, languages if present): a change to any of them invalidates cached parses without anyone
    having to remember to bump a version. The files are read, not imported."""
    digest = hashlib.sha256()
    for module in ("pipeline", "structure", "patterns", "themes", "document", "languages", "language_lexicons"):
        spec = importlib.util.find_spec(f"sco_decl.analysis.{module}")
        if spec is not None and spec.origin and Path(spec.origin).is_file():
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]


def pipeline_key(model: str | None = None, language: str = "en") -> str:
    """Names a pipeline in cache keys and provenance, without loading it (nor spaCy)."""
    name = f"{model}-{_installed(model)}" if model else "blank"
    return f"{language}_{name}-spacy{_installed('spacy')}-seg{SEGMENTER_VERSION}"


def pipeline_id(nlp: Language) -> str:
    """The key of a loaded pipeline: `pipeline_key` of the model it was loaded from."""
    name = nlp.meta.get("name", "")
    model = None if name in ("", "pipeline") else f"{nlp.lang}_{name}"
    return pipeline_key(model, nlp.lang or "en")


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


def is_word(token: object) -> bool:
    """A word for counting rates: any token with a letter or digit."""
    return is_word_text(token.text)  # type: ignore[attr-defined]


def token_strings(doc: Doc) -> list[str]:
    """Every token's text, looked up once per distinct string (a Doc repeats a few hundred strings)."""
    import numpy

    if not len(doc):
        return []
    orths, inverse = numpy.unique(doc.to_array("ORTH"), return_inverse=True)
    strings = doc.vocab.strings
    distinct = [strings[orth] for orth in orths.tolist()]
    return [distinct[i] for i in inverse.ravel().tolist()]


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


# -- the one parse path ----------------------------------------------------------------------------------
BATCH_CHARS = 200_000  # characters of whole paragraphs parsed at once; well under spaCy's max_length


def paragraph_batches(located: list[Block], limit: int) -> Iterator[list[Block]]:
    """Runs of whole paragraphs of at most `limit` characters (a longer paragraph is a run of its own)."""
    group: list[Block] = []
    size = 0
    for block in located:
        grown = size + len(BLOCK_SEP) + len(block.text) if group else len(block.text)
        if group and grown > limit:
            yield group
            group, grown = [], len(block.text)
        group.append(block)
        size = grown
    if group:
        yield group


OnBatch = Callable[["Doc", ParsedText, int, int], None]


def parse(text: str, nlp: Language | None = None, *, batch_chars: int = BATCH_CHARS,
          on_batch: OnBatch | None = None) -> ParsedText:
    """Parse a stored text into located sentences and light tokens, a run of paragraphs at a time.

    The result is the one a single pass over the whole text gives: runs are joined by the blank-line token
    a single pass would have made, and a paragraph break starts a sentence either way. `on_batch(doc,
    parsed, token_offset, sentence_offset)` sees each run's spaCy Doc (for theme matching) before it is
    dropped, so no more than one run's Doc is alive at a time.
    """
    nlp = nlp or load_pipeline()
    located = blocks(text)
    out = ParsedText(doc=Tokens([], [], []), blocks=located, sentences=[])
    limit = max(1, min(batch_chars, nlp.max_length - 1))
    for group in paragraph_batches(located, limit):
        run = _doc_text(group)
        if out.doc.texts:
            out.doc.extend(Tokens([BLOCK_SEP], [False], [BLOCK_SEP]))
        doc = _parse_run(nlp, run)
        local = ParsedText(doc=Tokens.from_doc(doc), blocks=group, sentences=_sentences(doc, group))
        tokens_before, sentences_before = len(out.doc), len(out.sentences)
        if on_batch is not None:
            on_batch(doc, local, tokens_before, sentences_before)
        out.doc.extend(local.doc)
        out.sentences.extend(dataclasses.replace(s, index=s.index + sentences_before,
                                                 start=s.start + tokens_before, end=s.end + tokens_before)
                             for s in local.sentences)
    return out


def _parse_run(nlp: Language, run: str) -> Doc:
    """One run; a single paragraph longer than max_length is parsed by raising the limit for it alone
    (the limit guards the parser and NER's memory, which our pipelines leave out)."""
    if len(run) < nlp.max_length:
        return nlp(run)
    saved = nlp.max_length
    nlp.max_length = len(run) + 1
    try:
        return nlp(run)
    finally:
        nlp.max_length = saved
