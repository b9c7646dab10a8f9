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


@dataclass(frozen=True)
class Piece:
    """A run of a compared sentence with one set of marks: changed (del/ins) and the themes covering it."""

    text: str
    changed: bool
    themes: tuple[str, ...]

    @property
    def theme(self) -> str | None:
        """The theme that colours the run: the first of `themes`, as on the declaration page."""
        return self.themes[0] if self.themes else None


_CHANGED = "\0changed"  # sorts before every theme id and is never one


def pieces(text: str, changed: Sequence[tuple[int, int]], themes: Sequence[tuple[int, int, str]] = ()) -> list[Piece]:
    """The compare page's cut: `segments` with word changes as one more mark, so an overlap of themes is
    coloured the same way on the compare page and on the declaration page."""
    marks = [*themes, *((start, end, _CHANGED) for start, end in changed)]
    return [Piece(seg.text, _CHANGED in seg.themes, tuple(t for t in seg.themes if t != _CHANGED))
            for seg in segments(text, marks)]


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
