"""Word-level diff inside a linked pair of sentences, and cutting a sentence into marked pieces.

Once the aligner has said which sentences correspond, a reader wants to see which words changed. The diff
runs on tokens compared case-folded and with British/American spellings folded (a translation that
lower-cases "Heads of State" or writes "Organization" did not reword it),
over the concatenated sentences of each side so merges and splits diff as one passage. Marks come back as
character ranges per sentence, so templates can put <del>/<ins> (and theme underlines) on the exact words.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from sco_decl.analysis.pipeline import ParsedText
from sco_decl.compare.similarity import canonical, canonical_word


@dataclass(frozen=True)
class Tok:
    """A token of a sentence: where it stands (characters into the sentence text) and its comparison key."""

    sentence: int
    start: int
    end: int
    text: str
    key: str


@dataclass(frozen=True)
class WordOp:
    """One step of the diff: equal, delete (only in A), insert (only in B) or replace (A's words -> B's)."""

    op: str
    left: str
    right: str

    def to_json(self) -> dict[str, str]:
        return {"op": self.op, "left": self.left, "right": self.right}


@dataclass
class WordDiff:
    ops: list[WordOp] = field(default_factory=list)
    left_marks: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # sentence -> char ranges
    right_marks: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


def tokens(parsed: ParsedText, indices: Iterable[int]) -> list[Tok]:
    """The non-space tokens of the given sentences, in order, with offsets into each sentence's text (read
    from the token arrays, not a token object per word)."""
    doc = parsed.doc
    texts, offsets = doc.texts, doc.offsets
    out = []
    for n in indices:
        sentence = parsed.sentences[n]
        base = offsets[sentence.start] if sentence.end > sentence.start else 0
        for i in range(sentence.start, sentence.end):
            text = texts[i]
            if text.isspace():
                continue
            start = offsets[i] - base
            out.append(Tok(n, start, start + len(text), text, canonical_word(text)))
    return out


def _join(toks: Sequence[Tok]) -> str:
    return " ".join(t.text for t in toks)


def _mark(marks: dict[int, list[tuple[int, int]]], toks: Sequence[Tok]) -> None:
    """Record a run of tokens as ranges, one per sentence, spanning the spaces between them."""
    for t in toks:
        ranges = marks.setdefault(t.sentence, [])
        if ranges and 0 <= t.start - ranges[-1][1] <= 1:  # the next word of the same run
            ranges[-1] = (ranges[-1][0], t.end)
        else:
            ranges.append((t.start, t.end))


def diff(left: Sequence[Tok], right: Sequence[Tok]) -> WordDiff:
    """Insertions, deletions and replacements between two token runs (difflib on case-folded tokens)."""
    result = WordDiff()
    matcher = difflib.SequenceMatcher(None, [t.key for t in left], [t.key for t in right], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = left[i1:i2], right[j1:j2]
        result.ops.append(WordOp(tag, _join(a), _join(b)))
        if tag in ("delete", "replace"):
            _mark(result.left_marks, a)
        if tag in ("insert", "replace"):
            _mark(result.right_marks, b)
    return result


def _surface(toks: Sequence[Tok], texts: dict[int, str]) -> str:
    """The tokens' text as written, spaces and hyphens included (one sentence at a time)."""
    if not toks:
        return ""
    parts, start = [], 0
    for n, t in enumerate(toks):
        if n and (t.sentence != toks[n - 1].sentence):
            parts.append(texts[toks[n - 1].sentence][start:toks[n - 1].end])
            start = t.start
        elif not n:
            start = t.start
    parts.append(texts[toks[-1].sentence][start:toks[-1].end])
    return " ".join(parts)


def variants(left: Sequence[Tok], right: Sequence[Tok], left_texts: dict[int, str],
             right_texts: dict[int, str]) -> list[tuple[str, str]]:
    """The spelling and typographic differences between two runs that say the same thing, as (A, B) pairs.

    Each differing stretch of the token diff is one pair ("co-operation" / "cooperation", "“" / '"',
    "twenty-first" / "21st"); a stretch whose folded forms differ is not a variant and is left out.
    """
    left_words, right_words = [t.text.lower() for t in left], [t.text.lower() for t in right]
    if left_words == right_words:
        return []
    matcher = difflib.SequenceMatcher(None, left_words, right_words, autojunk=False)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a, b = left[i1:i2], right[j1:j2]
        pair = (_surface(a, left_texts), _surface(b, right_texts))
        punctuation = not any(c.isalnum() for c in pair[0] + pair[1])
        if punctuation or canonical([t.text for t in a]) == canonical([t.text for t in b]):
            if pair not in out:
                out.append(pair)
    return out
