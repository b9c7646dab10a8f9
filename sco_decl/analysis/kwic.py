"""Keyword in context: every match of a theme or of an ad-hoc phrase, with its sentence context and locator.

A phrase uses the lexicon's pattern syntax ("interfere ... internal affairs", "non-interference"), so
a concordance line and a theme count always agree on what a match is.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Sequence

from sco_decl._version import tool_info
from sco_decl.analysis.lexicon import Lexicon, Theme
from sco_decl.analysis.patterns import check_theme
from sco_decl.analysis.themes import find_matches
from sco_decl.outputs.csvout import csv_dicts
from sco_decl.outputs.render import render

if TYPE_CHECKING:
    from sco_decl.store.model import Revision
    from sco_decl.workspace import Workspace

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
        return {"tool": tool_info(), "query": self.query, "label": self.label, "width": self.width,
                "lexicon": self.lexicon_sha256, "texts": self.sources, "lines": [l.to_json() for l in self.lines]}


def phrase_lexicon(phrase: str) -> Lexicon:
    """A one-theme lexicon for an ad-hoc phrase, checked like any lexicon pattern."""
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


def concordance(workspace: Workspace, revisions: Sequence[Revision], *, theme: str | None = None,
                phrase: str | None = None, width: int = 40) -> Concordance:
    """The lines for `theme` (the documents' matches) or `phrase` (matched now), in date order."""
    lexicon = workspace.lexicon
    if theme is not None:
        chosen = lexicon.get(theme)
        query, label, colour, used = {"theme": theme}, chosen.label, chosen.colour, lexicon
    else:
        assert phrase is not None
        used = phrase_lexicon(phrase)
        query, label, colour = {"phrase": phrase}, phrase, used.themes[0].colour
    lines: list[KwicLine] = []
    for revision in revisions:
        document = workspace.document(revision)
        sentences = document.sentences
        if theme is not None:
            matches = [m for m in document.matches if m.theme == theme]
        else:
            matches = find_matches(document.parsed, used, workspace.pipeline(workspace.language(revision)))
        decl = document.declaration
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
    fields = ["date", "ref", "id", "sha256", "locator", "sentence", "theme", "left", "keyword", "right"]
    return csv_dicts(fields, (line.to_json() for line in conc.lines))


def render_html(conc: Concordance) -> str:
    return render("kwic.html", conc=conc, lines=[l.to_json() for l in conc.lines])


def render_json(conc: Concordance) -> str:
    import json

    return json.dumps(conc.to_json(), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "csv": render_csv, "json": render_json, "html": render_html}
