"""Keyword in context: every match of a theme or of an ad-hoc phrase, with its sentence context and locator.

A phrase uses the lexicon's pattern syntax ("interfere ... internal affairs", "non-interference"), so
a concordance line and a theme count always agree on what a match is.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Sequence

from sco_decl.analysis.lexicon import Lexicon, Theme

if TYPE_CHECKING:
    from spacy.language import Language

    from sco_decl.store.model import Revision
    from sco_decl.store.corpus import Corpus

PHRASE_ID = "phrase"


@dataclass(frozen=True)
class KwicLine:
    ref: str
    id: str
    date: dt.date
    sha256: str
    locator: str
    sentence: int
    theme: str
    left: str
    keyword: str
    right: str

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat()
        return out


@dataclass
class Concordance:
    query: dict[str, str]  # {"theme": id} or {"phrase": text}
    label: str
    colour: str
    width: int
    lines: list[KwicLine]
    sources: list[dict[str, str]]
    lexicon_sha256: str

    def to_json(self) -> dict[str, Any]:
        from sco_decl.outputs.render import tool_info

        return {"tool": tool_info(), "query": self.query, "label": self.label, "width": self.width,
                "lexicon": self.lexicon_sha256, "texts": self.sources, "lines": [l.to_json() for l in self.lines]}


def phrase_lexicon(phrase: str) -> Lexicon:
    """A one-theme lexicon for an ad-hoc phrase, checked like any lexicon pattern."""
    from sco_decl.analysis.patterns import check_theme

    theme = Theme(id=PHRASE_ID, label=phrase, description="ad-hoc phrase", colour="#1f5fa8",
                  patterns=(" ".join(phrase.split()),), origin="the PHRASE argument")
    check_theme(theme)
    return Lexicon(themes=(theme,), sources=("the PHRASE argument",))


def _clip_left(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else "…" + text[len(text) - width + 1:]


def _clip_right(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def concordance(corpus: Corpus, revisions: Sequence[Revision], lexicon: Lexicon, *, theme: str | None = None,
                phrase: str | None = None, width: int = 40, nlp: Language | None = None) -> Concordance:
    """The lines for `theme` (from the cached theme analysis) or `phrase`, in date order."""
    from sco_decl.analysis.pipeline import load_pipeline, parse_revision
    from sco_decl.analysis.themes import analyse, find_matches

    nlp = nlp or load_pipeline()
    if theme is not None:
        chosen = lexicon.get(theme)
        query, label, colour, used = {"theme": theme}, chosen.label, chosen.colour, lexicon
    else:
        assert phrase is not None
        used = phrase_lexicon(phrase)
        query, label, colour = {"phrase": phrase}, phrase, used.themes[0].colour
    decls = {d.id: d for d in corpus.declarations()}
    lines: list[KwicLine] = []
    for revision in revisions:
        if theme is not None:
            analysis = analyse(corpus, revision, lexicon, nlp)
            sentences, matches = analysis.sentences, [m for m in analysis.matches if m.theme == theme]
        else:
            parsed = parse_revision(corpus, revision, nlp)
            sentences, matches = parsed.sentences, find_matches(parsed, used, nlp)
        decl = decls[revision.declaration]
        for m in matches:
            sentence = sentences[m.sentence]
            lines.append(KwicLine(ref=revision.ref, id=decl.id, date=decl.date, sha256=revision.sha256,
                                  locator=sentence.locator, sentence=m.sentence, theme=m.theme,
                                  left=_clip_left(sentence.text[:m.start], width), keyword=m.text,
                                  right=_clip_right(sentence.text[m.end:], width)))
    lines.sort(key=lambda l: (l.date, l.id))
    return Concordance(query=query, label=label, colour=colour, width=width, lines=lines,
                       sources=[{"ref": r.ref, "sha256": r.sha256} for r in revisions], lexicon_sha256=used.sha256)


def render_text(conc: Concordance) -> str:
    if not conc.lines:
        what = conc.query.get("theme") or repr(conc.query.get("phrase"))
        return f"no matches for {what} in {len(conc.sources)} text(s)\n"
    ref_w = max(len(l.ref) for l in conc.lines)
    loc_w = max(len(l.locator) for l in conc.lines)
    out = []
    for l in conc.lines:
        out.append(f"{l.date.isoformat()}  {l.ref:<{ref_w}}  {l.locator:<{loc_w}}  "
                   f"{l.left:>{conc.width}} [{l.keyword}] {l.right}".rstrip())
    return "\n".join(out) + "\n"


def render_csv(conc: Concordance) -> str:
    from sco_decl.outputs.csvout import csv_dicts

    fields = ["date", "ref", "id", "sha256", "locator", "sentence", "theme", "left", "keyword", "right"]
    return csv_dicts(fields, (line.to_json() for line in conc.lines))


def render_html(conc: Concordance) -> str:
    from sco_decl.outputs.render import render

    return render("kwic.html", conc=conc, lines=[l.to_json() for l in conc.lines])


def render_json(conc: Concordance) -> str:
    import json

    return json.dumps(conc.to_json(), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "csv": render_csv, "json": render_json, "html": render_html}
