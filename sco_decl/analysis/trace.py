"""Phrase lineage: where each declaration says (something like) a phrase, and how its wording changed.

For every declaration in date order the passage that best matches the phrase is found by comparing lemma
sequences with textdistance (Ratcliff-Obershelp counts the words shared in order; see COVERAGE_WEIGHT);
prefixed compounds are joined, so "non-interference", "noninterference" and "non interference" compare
equal. Each passage is marked word by word against the previous declaration's passage.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from sco_decl._version import tool_info
from sco_decl.analysis.document import Tokens
from sco_decl.analysis.pipeline import is_word
from sco_decl.errors import InputError
from sco_decl.outputs.render import render

if TYPE_CHECKING:
    from sco_decl.store.model import Revision
    from sco_decl.workspace import Workspace

DEFAULT_THRESHOLD = 0.7
MAX_EXTRA_WORDS = 6  # a passage may be this many words longer than the phrase
# Similarity = this weight x share of the phrase's words found (in order) + the rest x share of the
# passage's words that belong to the phrase: a missing word costs more than an inserted one, so
# "non-interference in each other's internal affairs" still traces "non-interference in internal affairs".
COVERAGE_WEIGHT = 0.75
# Hyphenated words are joined ("non-interference" = "noninterference"); written apart, only prefixes that
# are never words of their own are joined ("non interference"), so the verb in "to counter terrorism" stays.
PREFIXES = frozenset({"non"})


@dataclass(frozen=True)
class Op:
    op: str  # "same" | "ins" | "del"
    text: str


@dataclass
class TraceStep:
    ref: str
    id: str
    date: dt.date
    sha256: str
    similarity: float
    present: bool
    locator: str | None = None
    sentence_index: int | None = None
    sentence: str | None = None
    passage: str | None = None
    first: bool = False
    changed: bool = False
    ops: list[Op] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat()
        return out


@dataclass
class Trace:
    phrase: str
    threshold: float
    steps: list[TraceStep]

    @property
    def first(self) -> TraceStep | None:
        return next((s for s in self.steps if s.first), None)

    def to_json(self) -> dict[str, Any]:
        first = self.first
        return {"tool": tool_info(), "phrase": self.phrase, "threshold": self.threshold,
                "first": {"ref": first.ref, "date": first.date.isoformat()} if first else None,
                "steps": [s.to_json() for s in self.steps]}


def _keys(doc: Tokens, start: int, end: int) -> list[tuple[str, int, int]]:
    """(lemma key, first token, last token + 1) per word; "non-interference" becomes one key."""
    out: list[tuple[str, int, int]] = []
    i = start
    while i < end:
        token = doc[i]
        if not is_word(token) or token.text[0] in "'’":  # possessive 's is not a word of its own
            i += 1
            continue
        key, j = (token.lemma_ or token.text).lower(), i + 1
        while True:
            if (j + 1 < end and doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_
                    and is_word(doc[j + 1])):
                key += (doc[j + 1].lemma_ or doc[j + 1].text).lower()
                j += 2
            elif j < end and key in PREFIXES and is_word(doc[j]):
                key += (doc[j].lemma_ or doc[j].text).lower()
                j += 1
            else:
                break
        out.append((key, i, j))
        i = j
    return out


def _best_window(phrase: list[str], words: list[tuple[str, int, int]]) -> tuple[float, int, int]:
    """The best-matching stretch of words (similarity, first word, last word + 1), anchored on phrase words."""
    import textdistance

    wanted = set(phrase)
    anchors = [i for i, (k, _, _) in enumerate(words) if k in wanted]
    best = (0.0, 0, 0)
    longest = len(phrase) + MAX_EXTRA_WORDS
    # textdistance's Ratcliff-Obershelp works on strings: one private-use character per distinct word
    code: dict[str, str] = {}
    encode = lambda keys: "".join(code.setdefault(k, chr(0xE000 + len(code))) for k in keys)  # noqa: E731
    target = encode(phrase)
    for a, i in enumerate(anchors):
        for j in anchors[a:]:
            if j - i + 1 > longest:
                break
            window = encode(k for k, _, _ in words[i:j + 1])
            shared = float(textdistance.ratcliff_obershelp.normalized_similarity(target, window)) \
                * (len(target) + len(window)) / 2
            score = COVERAGE_WEIGHT * shared / len(target) + (1 - COVERAGE_WEIGHT) * shared / len(window)
            if score > best[0] + 1e-9:
                best = (score, i, j + 1)
    return best


def _ops(old: str, new: str) -> list[Op]:
    """Word-level marks of `new` against `old` (case-insensitive, punctuation kept with its word)."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=[w.lower().strip(",.;:") for w in a], b=[w.lower().strip(",.;:") for w in b],
                                      autojunk=False)
    out: list[Op] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(Op("same", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(Op("del", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Op("ins", " ".join(b[j1:j2])))
    return out


def trace(workspace: Workspace, revisions: Sequence[Revision], phrase: str, *,
          threshold: float = DEFAULT_THRESHOLD) -> Trace:
    """The phrase's best passage in each revision (date order), marked against the previous passage found."""
    if not 0 < threshold <= 1:
        raise InputError(f"--threshold {threshold} must be above 0 and at most 1")
    ordered = sorted(revisions, key=lambda r: (workspace.declaration(r.declaration).date, r.declaration))
    language = workspace.language(ordered[0]) if ordered else "en"
    phrase_doc = Tokens.from_doc(workspace.pipeline(language)(" ".join(phrase.split())))
    wanted = [k for k, _, _ in _keys(phrase_doc, 0, len(phrase_doc))]
    if not wanted:
        raise InputError(f"the phrase {phrase!r} has no words to trace")
    steps: list[TraceStep] = []
    previous: str | None = None
    seen = False
    for revision in ordered:
        document = workspace.document(revision)
        decl, parsed = document.declaration, document.parsed
        best: tuple[float, Any, int, int] = (0.0, None, 0, 0)
        for sentence in parsed.sentences:
            words = _keys(parsed.doc, sentence.start, sentence.end)
            score, i, j = _best_window(wanted, words)
            if score > best[0] + 1e-9:
                best = (score, sentence, words[i][1], words[j - 1][2])
        score, sentence, t_start, t_end = best
        step = TraceStep(ref=revision.ref, id=decl.id, date=decl.date, sha256=revision.sha256,
                         similarity=round(score, 3), present=score >= threshold)
        if sentence is not None:
            doc = parsed.doc
            base = doc[sentence.start].idx
            c_start, c_end = doc[t_start].idx - base, doc[t_end - 1].idx + len(doc[t_end - 1].text) - base
            step.locator, step.sentence_index, step.sentence = sentence.locator, sentence.index, sentence.text
            step.passage = sentence.text[c_start:c_end]
        if step.present and step.passage is not None:
            step.first = not seen
            seen = True
            if previous is not None:
                step.ops = _ops(previous, step.passage)
                step.changed = any(o.op != "same" for o in step.ops)
            else:
                step.ops = [Op("same", step.passage)]
            previous = step.passage
        steps.append(step)
    return Trace(phrase=phrase, threshold=threshold, steps=steps)


def render_text(result: Trace) -> str:
    lines = [f'trace "{result.phrase}" (similarity >= {result.threshold:.2f} counts as present)']
    ref_w = max([len(s.ref) for s in result.steps] or [0])
    for s in result.steps:
        head = f"{s.date.year}  {s.ref:<{ref_w}}  {s.similarity:.2f}  "
        if not s.present:
            near = f' (closest: "{s.passage}" {s.locator})' if s.passage else ""
            lines.append(head + "-- not found" + near)
            continue
        marked = " ".join(o.text if o.op == "same" else (f"[-{o.text}-]" if o.op == "del" else f"{{+{o.text}+}}")
                          for o in s.ops)
        note = "  <- first appearance" if s.first else ("" if s.changed else "  (unchanged)")
        lines.append(f"{head}{s.locator:<8} {marked}{note}")
    first = result.first
    lines.append(f"first appears: {first.date.isoformat()} {first.ref}" if first else "never appears above the threshold")
    return "\n".join(lines) + "\n"


def render_json(result: Trace) -> str:
    import json

    return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_html(result: Trace) -> str:
    return render("trace.html", trace=result, steps=[s.to_json() for s in result.steps])


RENDERERS = {"text": render_text, "json": render_json, "html": render_html}
