"""Cutting sentences into highlighted segments: the data a template needs to underline theme terms.

Matches may overlap (one phrase can count for two themes); the cut points are every match boundary, and
each segment lists every theme that covers it, so the template can colour it and name all of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from sco_decl.analysis.themes import DocumentAnalysis, ThemeMatch


@dataclass(frozen=True)
class Segment:
    text: str
    themes: tuple[str, ...]


def segments(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """Cut `text` at every (start, end, theme) boundary; segments carry the themes covering them."""
    spans = [(max(0, s), min(len(text), e), t) for s, e, t in spans if e > s]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Segment] = []
    for start, end in zip(cuts, cuts[1:]):
        covering = tuple(sorted({t for s, e, t in spans if s <= start and end <= e}))
        if out and out[-1].themes == covering:
            out[-1] = Segment(out[-1].text + text[start:end], covering)
        else:
            out.append(Segment(text[start:end], covering))
    return out


def sentence_segments(text: str, matches: Sequence[ThemeMatch]) -> list[Segment]:
    return segments(text, ((m.start, m.end, m.theme) for m in matches))


def paragraphs(analysis: DocumentAnalysis) -> list[dict[str, Any]]:
    """The analysed text as paragraphs of sentences of segments, each paragraph with its locator."""
    by_sentence: dict[int, list[ThemeMatch]] = {}
    for match in analysis.matches:
        by_sentence.setdefault(match.sentence, []).append(match)
    out = []
    for _, group in groupby(analysis.sentences, key=lambda s: (s.section, s.paragraph)):
        sentences = list(group)
        first = sentences[0]
        out.append({
            "locator": first.locator.split(" ")[-1] if first.section else first.locator,
            "section": first.section,
            "point": first.point,
            "new_section": first.paragraph == 1 and first.section is not None,
            "sentences": [{"index": s.index, "locator": s.locator,
                           "themes": sorted({m.theme for m in by_sentence.get(s.index, [])}),
                           "segments": sentence_segments(s.text, by_sentence.get(s.index, []))}
                          for s in sentences],
        })
    return out
