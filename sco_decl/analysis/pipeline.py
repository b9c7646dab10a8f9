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
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from sco_decl.analysis.document import (SPACE, WORD, ParsedText, Tokens, is_word_text, kinds_of,
                                        strings_of)
from sco_decl.analysis.structure import ABBREVIATIONS, Block, blocks, locator
from sco_decl.errors import ScoDeclError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from sco_decl.store.corpus import Corpus
    from sco_decl.store.model import Revision

SEGMENTER_VERSION = "3"
# user_data keys under which our components leave what they read or wrote (token hashes, strings and
# spaces; lemma hashes) for `parse`: the same lists, not read off the Doc a second time
STRINGS_READ = "sco_decl.strings"
LEMMAS_SET = "sco_decl.lemmas"
BLOCK_SEP = "\n\n"
_OPENERS = set("\"'“‘([«")
_CLOSERS = set("\"'”’)]»")
_ENDERS = {".", "!", "?", "...", "…"}
# The last character of every token `_ends_sentence` can accept: a cheap test that rules out most tokens.
_END_TAILS = frozenset({t[-1] for t in _ENDERS | _CLOSERS} | {"."})


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
    from spacy.attrs import ORTH, SPACY

    if not len(doc):
        return doc
    orths = doc.to_array(ORTH).tolist()
    texts = strings_of(doc.vocab.strings, orths)
    spaced = [bool(space) for space in doc.to_array(SPACY).tolist()]
    doc.user_data[STRINGS_READ] = (orths, texts, spaced)  # for `parse`, which would read them again
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
            start = (texts[previous][-1] in _END_TAILS and _can_start(text)
                     and not (text in _CLOSERS and not spaced[previous])
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
        doc.user_data[LEMMAS_SET] = lemmas  # for `parse`, which would read them again
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
    if not len(doc):
        return []
    return strings_of(doc.vocab.strings, doc.to_array("ORTH").tolist())


def _doc_text(located: list[Block]) -> str:
    return BLOCK_SEP.join(b.text for b in located)


def _read_run(doc: Doc, located: list[Block], text: str) -> ParsedText:
    """One run's Doc as light tokens and sentences attached to their blocks (paragraphs) by character offset.

    The token strings, spaces and lemmas are the lists our components left on the Doc (read off it only
    under another pipeline); the rest is one `to_array` call worked out on arrays: a sentence is the
    stretch from its first to its last non-space token (spaces between sentences belong to none). Touching
    Token objects or iterating `doc.sents` was most of the parse.
    """
    import numpy
    from spacy.attrs import IDX, LEMMA, ORTH, SENT_START, SPACY

    size = len(doc)
    if not size:
        return ParsedText(doc=Tokens([], [], []), blocks=located, sentences=[])
    strings = doc.vocab.strings
    read = doc.user_data.get(STRINGS_READ)
    if read is not None and len(read[0]) == size:
        orths, texts, spaces = read
    else:
        orths = doc.to_array(ORTH).tolist()
        texts = strings_of(strings, orths)
        spaces = (doc.to_array(SPACY) != 0).tolist()
    lemma_keys = doc.user_data.get(LEMMAS_SET)
    if lemma_keys is None or len(lemma_keys) != size:
        lemma_keys = doc.to_array(LEMMA).tolist()
    rows = doc.to_array([SENT_START, IDX])
    offsets = rows[:, 1]
    tokens = Tokens.from_columns(texts, spaces, strings_of(strings, lemma_keys), offsets.tolist())

    starts = rows[:, 0] == 1
    starts[0] = True
    kinds = numpy.array(kinds_of(orths), dtype=numpy.int8)
    words = numpy.flatnonzero((kinds & SPACE) == 0)
    sentences: list[Sentence] = []
    sentence_of = [-1] * size
    if len(words):
        group = numpy.cumsum(starts)[words]  # the raw sentence of every non-space token
        cut = numpy.flatnonzero(group[1:] != group[:-1]) + 1
        firsts = words[numpy.concatenate(([0], cut))].tolist()
        lasts = words[numpy.concatenate((cut - 1, [len(words) - 1]))].tolist()
        block_starts = numpy.cumsum([0] + [len(b.text) + len(BLOCK_SEP) for b in located[:-1]])
        char_starts = offsets[firsts]
        block_of = numpy.searchsorted(block_starts, char_starts, side="right") - 1
        previous, position = -1, 0
        for index, (first, last, begin, block_i) in enumerate(zip(firsts, lasts, char_starts.tolist(),
                                                                     block_of.tolist())):
            position = position + 1 if block_i == previous else 1
            previous = block_i
            block = located[block_i]
            end = tokens.offsets[last] + len(texts[last])
            sentences.append(Sentence(index, text[begin:end], block.section, block.paragraph, position,
                                      block.point, first, last + 1))
            sentence_of[first:last + 1] = [index] * (last + 1 - first)
    out = ParsedText(doc=tokens, blocks=located, sentences=sentences)
    out.__dict__["sentence_of"] = sentence_of
    out.__dict__["words"] = int(numpy.count_nonzero(kinds & WORD))
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
OnRun = Callable[[int, "Doc", ParsedText, int, int], None]
PIPE_TEXTS = 32  # texts parsed together through one nlp.pipe; their Docs are alive at the same time


def parse(text: str, nlp: Language | None = None, *, batch_chars: int = BATCH_CHARS,
          on_batch: OnBatch | None = None) -> ParsedText:
    """Parse a stored text into located sentences and light tokens, a run of paragraphs at a time.

    The result is the one a single pass over the whole text gives: runs are joined by the blank-line token
    a single pass would have made, and a paragraph break starts a sentence either way. `on_batch(doc,
    parsed, token_offset, sentence_offset)` sees each run's spaCy Doc (for theme matching) before it is
    dropped, so no more than one run's Doc is alive at a time.
    """
    hook: OnRun | None = None
    if on_batch is not None:
        def hook(_: int, doc: Doc, local: ParsedText, tokens_before: int, sentences_before: int) -> None:
            on_batch(doc, local, tokens_before, sentences_before)

    return next(parse_many([text], nlp, batch_chars=batch_chars, on_run=hook))


def parse_many(texts: Iterable[str], nlp: Language | None = None, *, batch_chars: int = BATCH_CHARS,
               on_run: OnRun | None = None, pipe_texts: int = PIPE_TEXTS) -> Iterator[ParsedText]:
    """`parse` of many texts, in order, their runs going through `nlp.pipe` `pipe_texts` texts at a time
    (each pipeline step over a batch of Docs, as a bare pipe runs it, rather than every step per text).
    `on_run(i, doc, parsed, token_offset, sentence_offset)` sees each run's Doc of the i-th text."""
    nlp = nlp or load_pipeline()
    limit = max(1, min(batch_chars, nlp.max_length - 1))
    chunk: list[str] = []
    done = 0
    for text in texts:
        chunk.append(text)
        if len(chunk) >= pipe_texts:
            yield from _parse_chunk(chunk, nlp, limit, on_run, done)
            done += len(chunk)
            chunk = []
    if chunk:
        yield from _parse_chunk(chunk, nlp, limit, on_run, done)


def _parse_chunk(texts: list[str], nlp: Language, limit: int, on_run: OnRun | None,
                 first: int) -> Iterator[ParsedText]:
    plans: list[tuple[list[Block], list[tuple[list[Block], str]]]] = []
    for text in texts:
        located = blocks(text)
        groups = [(group, _doc_text(group)) for group in paragraph_batches(located, limit)]
        plans.append((located, groups or [([], "")]))  # an empty text is one empty run
    runs = [run for _, groups in plans for _, run in groups]
    docs = iter(_parse_runs(nlp, runs))
    for i, (located, groups) in enumerate(plans, first):
        if len(groups) == 1:  # most declarations: one run, nothing to join
            doc = next(docs)
            out = _read_run(doc, located, groups[0][1])
            if on_run is not None:
                on_run(i, doc, out, 0, 0)
            yield out
            continue
        out = ParsedText(doc=Tokens([], [], []), blocks=located, sentences=[])
        for group, run in groups:
            if out.doc.texts:
                out.doc.extend(Tokens([BLOCK_SEP], [False], [BLOCK_SEP]))
            doc = next(docs)
            local = _read_run(doc, group, run)
            tokens_before, sentences_before = len(out.doc), len(out.sentences)
            if on_run is not None:
                on_run(i, doc, local, tokens_before, sentences_before)
            out.doc.extend(local.doc)
            out.sentences.extend(dataclasses.replace(s, index=s.index + sentences_before,
                                                     start=s.start + tokens_before, end=s.end + tokens_before)
                                 for s in local.sentences)
        yield out


def _parse_runs(nlp: Language, runs: list[str]) -> list[Doc]:
    """The runs' Docs through one `nlp.pipe`. A single paragraph longer than max_length is parsed by
    raising the limit while these runs are (the limit guards the parser and NER's memory, which our
    pipelines leave out)."""
    longest = max((len(run) for run in runs), default=0)
    saved = nlp.max_length
    if longest >= saved:
        nlp.max_length = longest + 1
    try:
        return list(nlp.pipe(runs, batch_size=max(1, len(runs))))
    finally:
        nlp.max_length = saved
