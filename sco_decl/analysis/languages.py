"""Pipelines per language (English, Russian, Chinese), the language of a text, and language detection.

The SCO's authentic texts are Russian and Chinese; the English ones are translations. Each language gets a
pipeline that needs no model download:
- en: the default English pipeline of sco_decl.analysis.pipeline (blank English, lookup lemmas);
- ru: `spacy.blank("ru")`, the declaration sentence rules with Russian abbreviations ("г.", "т.е."), and
  pymorphy3's dictionary lemmas (cases fold: "суверенитета" -> "суверенитет");
- zh: `spacy.blank("zh")` with jieba segmentation (its dictionary ships in the wheel; jieba builds a
  prefix cache in the temp folder on first use, nothing is downloaded), sentences ending at 。！？.
Pipelines are built once per process (`load_pipeline` is cached); the Workspace asks for one per language.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from sco_decl.analysis import pipeline as english
from sco_decl.analysis.pipeline import LEMMAS_SET, STRINGS_READ, set_sentence_starts, token_strings
from sco_decl.errors import ScoDeclError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LANGUAGES = ("en", "ru", "zh")
PIPELINE_VERSION = "1"  # of the Russian and Chinese sentence and lemma rules
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "zh": "Chinese"}
# Russian abbreviations that end with a period without ending the sentence (lowercase, without the final
# period). "г." (year, city) and "гг." are the common ones in declarations; initials are caught as
# one-letter words by the shared rule.
class _Abbreviations(frozenset):  # type: ignore[type-arg]
    """A set of abbreviations that also holds any run of dotted initials ("в.в" of "В.В. Путин")."""

    def __contains__(self, word: object) -> bool:
        if frozenset.__contains__(self, word):
            return True
        return isinstance(word, str) and "." in word and all(len(p) == 1 and p.isalpha()
                                                              for p in word.split("."))


RU_ABBREVIATIONS = _Abbreviations("""г гг т.е т.д т.п т.к т.н др пр ст стр п пп им ул д см напр млн млрд тыс руб
долл рис табл гос ред англ рус кит т.ч ок ср вв н.э""".split())
ZH_ENDERS = frozenset("。！？!?")
ZH_CLOSERS = frozenset("”’」』）)》")
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[A-Za-z]")


class UnknownLanguageError(ScoDeclError):
    """A language code the tool has no pipeline for."""


def check_language(language: str) -> str:
    """The code, lowercased, if the tool knows it; an error naming the known ones otherwise."""
    code = (language or "").strip().lower()
    if code not in LANGUAGES:
        raise UnknownLanguageError(f"language {language!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return code


def detect_language(text: str) -> str:
    """The script a text is mostly written in: Han -> zh, Cyrillic -> ru, else en.

    Han characters carry a word each, letters a fraction of one, so a fifth of Han among the letters is
    already a Chinese text (an English or Russian text quotes a Chinese name at most).
    """
    sample = text[:20000]
    han = len(_HAN_RE.findall(sample))
    cyrillic = len(_CYRILLIC_RE.findall(sample))
    latin = len(_LATIN_RE.findall(sample))
    letters = han + cyrillic + latin
    if not letters:
        return "en"
    if han / letters >= 0.2:
        return "zh"
    return "ru" if cyrillic > latin else "en"


# -- sentence boundaries -------------------------------------------------------------------------------
def russian_sentence_starts(doc: Doc) -> Doc:
    """The declaration sentence rules (see pipeline.set_sentence_starts) with Russian abbreviations.

    "г." and "гг." after a year are the year's abbreviation and often end a sentence ("на 2018-2023 гг.
    Государства-члены ..."), so there a capital starts the next one; "г." before a name ("в г. Лиске")
    is the city's and never does.
    """
    import numpy

    set_sentence_starts(doc, abbreviations=RU_ABBREVIATIONS)
    if not len(doc):
        return doc
    texts = doc.user_data[STRINGS_READ][1]  # the token strings set_sentence_starts read
    starts = None
    for i, text in enumerate(texts[1:-1], start=1):
        if text.lower() not in ("г.", "гг.") or not texts[i - 1][-1:].isdigit() or not doc[i].whitespace_:
            continue
        following = texts[i + 1]
        if following[:1].isupper() or following[:1] in "«\"":
            if starts is None:
                starts = numpy.array([1 if t.is_sent_start else -1 for t in doc], dtype="int64")
            starts[i + 1] = 1
    if starts is not None:
        doc.from_array(["SENT_START"], starts.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]
    return doc


def chinese_sentence_starts(doc: Doc) -> Doc:
    """Chinese sentences end at 。！？ (with any closing quotes or brackets after them), with no space after;
    paragraph breaks start a sentence too. Commas, enumeration commas and semicolons never end one."""
    import numpy

    if not len(doc):
        return doc
    texts = token_strings(doc)
    starts = numpy.full(len(doc), -1, dtype="int64")
    pending = True  # the next non-space token starts a sentence
    for i, text in enumerate(texts):
        if text.isspace() or not text:
            if "\n\n" in text:
                pending = True
            continue
        if pending:
            starts[i] = 1
            pending = False
        if text[-1] in ZH_ENDERS or (text[-1] in ZH_CLOSERS and _ended_before_closers(texts, i)):
            nxt = _next_word(texts, i)
            if nxt is not None and not (texts[nxt][0] in ZH_CLOSERS or texts[nxt][0] in ZH_ENDERS):
                pending = True
    doc.from_array(["SENT_START"], starts.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]
    return doc


def _ended_before_closers(texts: list[str], i: int) -> bool:
    j = i - 1
    while j >= 0 and texts[j] and texts[j][-1] in ZH_CLOSERS:
        j -= 1
    return j >= 0 and bool(texts[j]) and texts[j][-1] in ZH_ENDERS


def _next_word(texts: list[str], i: int) -> int | None:
    for j in range(i + 1, len(texts)):
        if texts[j] and not texts[j].isspace():
            return j
    return None


# -- Russian lemmas ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def morph_analyzer() -> object:
    """pymorphy3's analyser with its Russian dictionaries (from the pymorphy3-dicts-ru wheel), once."""
    try:
        import pymorphy3
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise UnknownLanguageError("Russian needs pymorphy3 and pymorphy3-dicts-ru: pip install pymorphy3 "
                                   "pymorphy3-dicts-ru") from exc
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200000)
def russian_lemma(word: str) -> str:
    """The dictionary form, lowercase, ё folded to е; words without Cyrillic are only lowercased."""
    lower = word.lower().replace("ё", "е")
    if not _CYRILLIC_RE.search(lower):
        return lower
    parsed = morph_analyzer().parse(lower)  # type: ignore[attr-defined]
    return str(parsed[0].normal_form).replace("ё", "е") if parsed else lower


class MappedLemmatizer:
    """Lemmas from a function of the token's text, written with one from_array call; each distinct token
    string is looked up once per Doc (Russian: pymorphy3's dictionary form; Chinese: the word itself)."""

    def __init__(self, mode: str, lemma_of: Callable[[str], str]) -> None:
        self.mode = mode
        self.lemma_of = lemma_of

    def __call__(self, doc: Doc) -> Doc:
        import numpy
        from spacy.attrs import LEMMA, ORTH

        if not len(doc):
            return doc
        strings = doc.vocab.strings
        memo: dict[int, int] = {}
        lemmas = []
        for orth in doc.to_array([ORTH]).tolist():
            lemma = memo.get(orth)
            if lemma is None:
                lemma = memo[orth] = strings.add(self.lemma_of(strings[orth]))
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))  # type: ignore[arg-type]
        doc.user_data[LEMMAS_SET] = lemmas  # for `parse`, which would read them again
        return doc


def chinese_lemma(word: str) -> str:
    """Chinese words do not inflect: the word itself, full-width forms folded."""
    return unicodedata.normalize("NFKC", word).lower()


def _register_components() -> None:
    from spacy.language import Language

    if "declaration_sentences_ru" not in Language.factories:
        Language.component("declaration_sentences_ru")(russian_sentence_starts)
    if "declaration_sentences_zh" not in Language.factories:
        Language.component("declaration_sentences_zh")(chinese_sentence_starts)
    if "sco_russian_lemmatizer" not in Language.factories:
        Language.factory("sco_russian_lemmatizer")(lambda nlp, name: MappedLemmatizer("pymorphy3", russian_lemma))
    if "sco_chinese_lemmatizer" not in Language.factories:
        Language.factory("sco_chinese_lemmatizer")(lambda nlp, name: MappedLemmatizer("identity", chinese_lemma))


def _quiet_jieba() -> None:
    """jieba logs its dictionary loading to stderr; the library never prints."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)


@lru_cache(maxsize=8)
def load_pipeline(language: str = "en", model: str | None = None) -> Language:
    """The pipeline for a language, built once per process. `model` (a trained spaCy pipeline) applies to
    English only; Russian and Chinese always use their blank pipelines, which need no download."""
    import spacy

    language = check_language(language)
    if language == "en":
        return english.load_pipeline(model) if model else english.load_pipeline()
    _register_components()
    if language == "ru":
        nlp = spacy.blank("ru")
        nlp.add_pipe("declaration_sentences_ru")
        nlp.add_pipe("sco_russian_lemmatizer", name="lemmatizer")
    else:
        _quiet_jieba()
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.add_pipe("declaration_sentences_zh")
        nlp.add_pipe("sco_chinese_lemmatizer", name="lemmatizer")
    # pipeline_id (the parse and theme cache keys) names these: a change of their rules bumps the version
    nlp.meta["name"] = f"sco_{language}"
    nlp.meta["version"] = PIPELINE_VERSION
    return nlp


def pipeline_for(language: str, nlp: Language | None = None) -> Language:
    """`nlp` if it is of the text's language, else that language's own pipeline (a trained English model
    given with --model is kept for English texts and never applied to a Russian or Chinese one)."""
    if nlp is not None and nlp.lang == language:
        return nlp
    return load_pipeline(language)
