"""The chronology as a table a thesis can take unedited: LaTeX, Markdown, HTML, CSV and JSON.

The view is built once (events grouped by year, dates written for people, disputed facts numbered as
footnotes, declarations named and, on the site, linked) and handed to a template per format; CSV and JSON
carry every field raw so they can be read back.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from sco_decl._version import __version__
from sco_decl.errors import OutputError
from sco_decl.outputs.csvout import csv_text
from sco_decl.outputs.render import format_of_suffix, render
from sco_decl.store.chronology import Chronology, Event

CAPTION = "Chronology of events, in date order."
LABEL = "tab:sco-decl-chronology"
CSV_FIELDS = ("date", "start", "end", "year", "place", "kind", "description", "documents", "declarations",
              "participants", "themes", "note", "sources")
LIST_SEPARATOR = "; "


@dataclass
class Row:
    """One event as every format shows it."""

    event: Event
    kind_label: str
    when: str  # "14-15 June 2001" (with the format's dash)
    documents: list[dict[str, Any]]  # title, declaration, href (None off the site)
    footnote: int | None = None


@dataclass
class ChronologyView:
    """Rows grouped by year, the footnotes they refer to, and the table's caption and label."""

    years: list[tuple[int, list[Row]]]
    notes: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # the kinds present, id -> label
    caption: str = CAPTION
    label: str = LABEL

    @property
    def rows(self) -> list[Row]:
        return [row for _, rows in self.years for row in rows]


def build_view(chronology: Chronology, events: Sequence[Event], *, dash: str = "\u2013",
               link: Callable[[str], str | None] | None = None, caption: str | None = None,
               label: str | None = None) -> ChronologyView:
    """Group `events` by the year they start in; `link(declaration id)` gives a page to link to, if any."""
    view = ChronologyView(years=[], caption=caption or CAPTION, label=label or LABEL)
    for event in events:
        documents = [{"title": d.title, "declaration": d.declaration,
                      "href": link(d.declaration) if link and d.declaration else None} for d in event.documents]
        row = Row(event=event, kind_label=chronology.kind_label(event.kind), when=event.date.display(dash),
                  documents=documents)
        if event.note:
            view.notes.append(event.note)
            row.footnote = len(view.notes)
        if not view.years or view.years[-1][0] != event.date.year:
            view.years.append((event.date.year, []))
        view.years[-1][1].append(row)
        view.kinds.setdefault(event.kind, row.kind_label)
    return view


def _template(name: str, dash: str) -> Callable[..., str]:
    def renderer(chronology: Chronology, events: Sequence[Event], **options: Any) -> str:
        view = build_view(chronology, events, dash=dash, link=options.pop("link", None),
                          caption=options.pop("caption", None), label=options.pop("label", None))
        text = render(name, view=view, standalone=options.pop("standalone", False), paper=options.pop("paper", "a4"),
                      filters=options.pop("filters", False), title=options.pop("title", "Chronology"),
                      nav=options.pop("nav", []))
        return text.strip("\n") + "\n"

    return renderer


def _joined(values: Iterable[Any]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def render_csv(chronology: Chronology, events: Sequence[Event], **_: Any) -> str:
    """One row per event, every field raw (lists joined with '; '), so the file reads back into events."""
    rows = []
    for event in events:
        data = event.to_json()
        row = {**data, "documents": _joined(d["title"] for d in data["documents"]),
               "declarations": _joined(data["declarations"]), "participants": _joined(data["participants"]),
               "themes": _joined(data["themes"]), "note": data["note"] or "",
               "sources": _joined(s["url"] + (f" (seen {s['seen']})" if s["seen"] else "") for s in data["sources"])}
        rows.append([row[name] for name in CSV_FIELDS] + [f"sco-decl {__version__}"])
    return csv_text(list(CSV_FIELDS) + ["tool_version"], rows)


def render_json(chronology: Chronology, events: Sequence[Event], **_: Any) -> str:
    kinds = {e.kind: chronology.kind_label(e.kind) for e in events}
    payload = {"tool": {"name": "sco-decl", "version": __version__}, "kinds": kinds,
               "events": [e.to_json() for e in events]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[..., str]] = {
    "latex": _template("chronology.tex", "--"),
    "markdown": _template("chronology.md", "\u2013"),
    "html": _template("chronology.html", "\u2013"),
    "csv": render_csv,
    "json": render_json,
}
SUFFIXES = {".tex": "latex", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".csv": "csv", ".json": "json"}


def render_chronology(chronology: Chronology, events: Sequence[Event], fmt: str, **options: Any) -> str:
    """The events in `fmt`; options: caption, label, link (declaration id -> href), standalone (LaTeX
    document) on paper "a4" or "letter", filters (HTML kind checkboxes), title (HTML)."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise OutputError(f"format {fmt!r} is unknown for a chronology; use one of {', '.join(RENDERERS)}")
    return renderer(chronology, events, **options)


def format_for(suffix: str) -> str:
    """The format -o's suffix names; an unknown suffix is an error, never a guess."""
    return format_of_suffix(suffix, SUFFIXES, "a chronology")
