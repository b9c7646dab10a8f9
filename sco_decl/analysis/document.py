"""A parsed declaration as every analysis sees it: the `Document`, and the light token arrays under it.

A `Document` is a stored revision, its declaration and its parse: the sentences (text, locator), the tokens
(text, trailing space, lemma) and the theme matches of the workspace's lexicon. The tokens are plain
Python lists (`Tokens`), not a spaCy Doc, so a parse read back from the cache needs no spaCy at all: a
compare or a chart of texts analysed before never imports it. `Tokens` answers the few things analyses
ask of a spaCy Doc (`doc[i].text`, `.lemma_`, `.idx`, `.is_space`, slicing), so they run on either.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterator, Sequence, overload

from sco_decl.analysis.stopwords import stop_words

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from sco_decl.analysis.pipeline import Sentence
    from sco_decl.analysis.structure import Block
    from sco_decl.analysis.themes import ThemeMatch
    from sco_decl.store.model import Declaration, Revision


class Token:
    """One token of `Tokens`: the attributes of spaCy's Token that our analyses read."""

    __slots__ = ("i", "text", "idx", "whitespace_", "lemma_")

    def __init__(self, i: int, text: str, idx: int, whitespace: str, lemma: str) -> None:
        self.i = i
        self.text = text
        self.idx = idx
        self.whitespace_ = whitespace
        self.lemma_ = lemma

    @property
    def lower_(self) -> str:
        return self.text.lower()

    @property
    def is_space(self) -> bool:
        return self.text.isspace()

    @property
    def is_punct(self) -> bool:
        """spaCy's rule: every character is Unicode punctuation."""
        return bool(self.text) and all(unicodedata.category(c).startswith("P") for c in self.text)

    @property
    def is_stop(self) -> bool:
        """spaCy's rule (the lowercase form is in the language's stop list); English until the Document
        carries its language's list."""
        return self.text.lower() in stop_words("en")

    def __repr__(self) -> str:
        return f"Token({self.i}, {self.text!r})"


class Span(list[Token]):
    """Consecutive tokens (a sentence), with spaCy's `Span.text`: their text without the final space."""

    @property
    def text(self) -> str:
        if not self:
            return ""
        return "".join(t.text + t.whitespace_ for t in self[:-1]) + self[-1].text


@dataclass
class Tokens:
    """A parsed text's tokens as three parallel lists; `idx` (character offsets) is derived from them."""

    texts: list[str]
    spaces: list[bool]
    lemmas: list[str]

    @cached_property
    def offsets(self) -> list[int]:
        out, at = [], 0
        for text, space in zip(self.texts, self.spaces):
            out.append(at)
            at += len(text) + space
        return out

    @property
    def text(self) -> str:
        return "".join(t + (" " if s else "") for t, s in zip(self.texts, self.spaces))

    def __len__(self) -> int:
        return len(self.texts)

    def _token(self, i: int) -> Token:
        return Token(i, self.texts[i], self.offsets[i], " " if self.spaces[i] else "", self.lemmas[i])

    @overload
    def __getitem__(self, key: int) -> Token: ...

    @overload
    def __getitem__(self, key: slice) -> Span: ...

    def __getitem__(self, key: int | slice) -> Token | Span:
        if isinstance(key, slice):
            return Span(self._token(i) for i in range(*key.indices(len(self.texts))))
        if key < 0:
            key += len(self.texts)
        if not 0 <= key < len(self.texts):
            raise IndexError(key)
        return self._token(key)

    def __iter__(self) -> Iterator[Token]:
        return (self._token(i) for i in range(len(self.texts)))

    @classmethod
    def from_doc(cls, doc: Doc) -> Tokens:
        """The light copy of a spaCy Doc (texts, spaces and lemmas read as arrays, not token by token)."""
        from spacy.attrs import IDX, LEMMA, ORTH, SPACY

        if not len(doc):
            return cls([], [], [])
        rows = doc.to_array([ORTH, LEMMA, SPACY, IDX])
        return cls.from_columns(strings_of(doc.vocab.strings, rows[:, 0].tolist()), (rows[:, 2] != 0).tolist(),
                                strings_of(doc.vocab.strings, rows[:, 1].tolist()), rows[:, 3].tolist())

    @classmethod
    def from_columns(cls, texts: list[str], spaces: list[bool], lemmas: list[str], offsets: list[int]) -> Tokens:
        """Tokens from columns read off a spaCy Doc, `lemmas` with "" where the Doc has none (the text stands
        for it). The Doc's character offsets are kept, not derived again."""
        if "" in lemmas:
            lemmas = [lemma or text for lemma, text in zip(lemmas, texts)]
        out = cls(texts, spaces, lemmas)
        out.__dict__["offsets"] = offsets
        return out

    def to_doc(self, vocab: Vocab, sentence_starts: Sequence[int] = ()) -> Doc:
        """A spaCy Doc with the same tokens and lemmas (for matching an ad-hoc lexicon on a cached parse)."""
        from spacy.tokens import Doc

        starts: list[bool | int | None] | None = None
        if sentence_starts:
            starts = [False] * len(self.texts)
            for i in sentence_starts:
                starts[i] = True
        return Doc(vocab, words=list(self.texts), spaces=list(self.spaces), lemmas=list(self.lemmas),
                   sent_starts=starts)

    def extend(self, other: Tokens) -> None:
        self.texts.extend(other.texts)
        self.spaces.extend(other.spaces)
        self.lemmas.extend(other.lemmas)
        self.__dict__.pop("offsets", None)

    def to_json(self) -> dict[str, Any]:
        """Lemmas equal to the text are stored as null (most of them with the lookup table)."""
        return {"text": self.texts, "space": "".join("1" if s else "0" for s in self.spaces),
                "lemma": [None if lemma == text else lemma for text, lemma in zip(self.texts, self.lemmas)]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tokens:
        texts = [str(t) for t in data["text"]]
        spaces = [c == "1" for c in data["space"]]
        lemmas = [text if lemma is None else str(lemma) for text, lemma in zip(texts, data["lemma"])]
        if not len(texts) == len(spaces) == len(lemmas):
            raise ValueError("token arrays of different lengths")
        return cls(texts, spaces, lemmas)


# spaCy string hash -> the string, and whether it is a word: a hash names the same string in every
# vocabulary (it is a hash of the string), so one memo serves every pipeline of the process.
_NAMES: dict[int, str] = {0: ""}
_KINDS: dict[int, int] = {0: 0}  # WORD | SPACE bits of the string
WORD, SPACE = 1, 2


def strings_of(strings: StringStore, keys: list[int]) -> list[str]:
    """The strings of spaCy hashes ("" for 0), each looked up in the StringStore once per process: a Doc
    repeats a few hundred strings over thousands of tokens, and the memo lookup is a C-level map."""
    try:
        return list(map(_NAMES.__getitem__, keys))
    except KeyError:
        for key in set(keys).difference(_NAMES):
            name = _NAMES[key] = strings[key]
            _KINDS[key] = (WORD if is_word_text(name) else 0) | (SPACE if name.isspace() else 0)
        return list(map(_NAMES.__getitem__, keys))


def kinds_of(keys: list[int]) -> list[int]:
    """`WORD` (a letter or digit) and `SPACE` (whitespace, spaCy's `is_space`) bits of each hash, for hashes
    seen by `strings_of` before."""
    return list(map(_KINDS.__getitem__, keys))


def is_word_text(text: str) -> bool:
    """A word for counting rates: any token with a letter or digit."""
    return any(c.isalnum() for c in text)


@dataclass
class ParsedText:
    """A parsed text: its tokens (paragraphs joined by blank lines), its blocks and located sentences."""

    doc: Tokens
    blocks: list[Block]
    sentences: list[Sentence]

    @cached_property
    def words(self) -> int:
        """Tokens with a letter or digit (each distinct token string tested once)."""
        return sum(n for text, n in Counter(self.doc.texts).items() if is_word_text(text))

    @cached_property
    def sentence_of(self) -> list[int]:
        """The sentence index of every token (-1 for the spaces between sentences)."""
        out = [-1] * len(self.doc)
        for sentence in self.sentences:
            out[sentence.start:sentence.end] = [sentence.index] * (sentence.end - sentence.start)
        return out

    def span(self, sentence: Sentence) -> Span:
        return self.doc[sentence.start:sentence.end]


@dataclass
class Document:
    """One stored revision, parsed: what every analysis takes (made by `Workspace.document`)."""

    revision: Revision
    declaration: Declaration
    parsed: ParsedText
    matches: list[ThemeMatch]
    pipeline: str  # the pipeline's id, as in provenance
    lexicon_sha256: str
    _by_sentence: dict[int, list[ThemeMatch]] | None = field(default=None, repr=False, compare=False)

    @property
    def ref(self) -> str:
        return self.revision.ref

    @property
    def sha256(self) -> str:
        return self.revision.sha256

    @property
    def date(self) -> dt.date:
        return self.declaration.date

    @property
    def sentences(self) -> list[Sentence]:
        return self.parsed.sentences

    @property
    def words(self) -> int:
        return self.parsed.words

    @property
    def tokens(self) -> Tokens:
        return self.parsed.doc

    def matches_in(self, sentence: int) -> list[ThemeMatch]:
        if self._by_sentence is None:
            self._by_sentence = {}
            for match in self.matches:
                self._by_sentence.setdefault(match.sentence, []).append(match)
        return self._by_sentence.get(sentence, [])
