"""The chronology: dated events behind the declarations (summits, meetings, exercises, institutions).

Events are data kept beside the catalog, in <corpus>/chronology.toml (shipped with the tool and seeded into
a user's corpus like the declarations), one `[[event]]` table each:

    [[event]]
    date = "2001-06-14/15"          # a day, a month (2000-03), a year, or a range: 2003-08-06/12, 2003-05-28/06-02
    place = "Shanghai"
    kind = "summit"                 # one of KINDS, or a kind the file adds under [kinds]
    description = "Founding summit of the organization"
    documents = [{ title = "Founding declaration", declaration = "2001-shanghai" }]
    participants = ["..."]
    themes = ["terrorism"]          # lexicon ids (optional)
    sources = [{ url = "https://...", seen = 2026-12-01 }]
    note = "A disputed fact, said once; outputs make it a footnote."

Every error names the file and line, because users edit this file by hand. A catalogued declaration no
event links to still appears, as a summit made from its catalog entry, so the chronology is never
poorer than the catalog.
"""
from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from sco_decl.errors import CatalogError
from sco_decl.fsutil import atomic_write_text
from sco_decl.store.catalog import load_toml
from sco_decl.store.corpus import Corpus
from sco_decl.store.files import CHRONOLOGY_FILE
from sco_decl.store.model import Declaration, check_name

KINDS: dict[str, str] = {
    "summit": "Summit", "heads-of-government": "Heads of government", "ministers": "Ministers",
    "exercise": "Exercise", "institution": "Institution", "international": "International", "other": "Other",
}
_EVENT_KEYS = {"date", "place", "kind", "description", "documents", "participants", "themes", "sources", "note"}
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:/([\d-]+))?$")
_PRECISIONS = ("year", "month", "day")


class ChronologyError(CatalogError):
    """A chronology entry that is malformed: bad date, unknown kind, theme or declaration id."""


@dataclass(frozen=True)
class EventDate:
    """A day, a month or a year, or a range of them; `start` and `end` are the first and last day covered."""

    start: dt.date
    end: dt.date
    precision: str  # year | month | day

    @property
    def is_range(self) -> bool:
        return self.text.count("/") == 1

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def text(self) -> str:
        """The canonical ISO form, as written in the file: 2001-06-14/15, 2000-03, 2003-05-28/06-02."""
        first, last = _iso(self.start, self.precision), _iso(self.end, self.precision)
        if self.precision == "month":
            last = _iso(self.end.replace(day=1), "month")
        if first == last:
            return first
        same = 0
        parts_a, parts_b = first.split("-"), last.split("-")
        while same < len(parts_a) - 1 and parts_a[same] == parts_b[same]:
            same += 1
        return f"{first}/{'-'.join(parts_b[same:])}"

    def display(self, dash: str = "\u2013") -> str:
        """For people: 26 April 1996, 14-15 June 2001, 28 May-2 June 2003, March 2000."""
        a, b = self.start, self.end
        if self.precision == "year":
            return str(a.year) if a.year == b.year else f"{a.year}{dash}{b.year}"
        month_a, month_b = calendar.month_name[a.month], calendar.month_name[b.month]
        if self.precision == "month":
            if (a.year, a.month) == (b.year, b.month):
                return f"{month_a} {a.year}"
            if a.year == b.year:
                return f"{month_a}{dash}{month_b} {a.year}"
            return f"{month_a} {a.year}{dash}{month_b} {b.year}"
        if a == b:
            return f"{a.day} {month_a} {a.year}"
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day}{dash}{b.day} {month_a} {a.year}"
        if a.year == b.year:
            return f"{a.day} {month_a}{dash}{b.day} {month_b} {a.year}"
        return f"{a.day} {month_a} {a.year}{dash}{b.day} {month_b} {b.year}"


def _iso(day: dt.date, precision: str) -> str:
    return day.isoformat()[: {"year": 4, "month": 7, "day": 10}[precision]]


def parse_event_date(value: Any) -> EventDate:
    """Parse a TOML date or a string (YYYY, YYYY-MM, YYYY-MM-DD, each optionally /END); END repeats only
    what changes (2001-06-14/15, 2003-05-28/06-02) or is written in full. Raises ValueError with a reason."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return EventDate(value, value, "day")
    if not isinstance(value, str):
        raise ValueError(f"date {value!r} must be text such as 2001-06-15, 2000-03 or 2001-06-14/15")
    match = _DATE_RE.match(value.strip())
    if not match or (match.group(3) and not match.group(2)):
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM, YYYY-MM-DD or a range such as 2001-06-14/15")
    parts = [p for p in match.groups()[:3] if p]
    precision = _PRECISIONS[len(parts) - 1]
    start = _first_day(parts, value)
    end = _last_day(parts, value)
    if match.group(4):
        tail = match.group(4).split("-")
        if len(tail) > len(parts) or not all(t.isdigit() for t in tail):
            raise ValueError(f"date {value!r}: the end after '/' has more parts than the start")
        end_parts = parts[: len(parts) - len(tail)] + tail
        if len(end_parts[0]) != 4 or any(len(p) != 2 for p in end_parts[1:]):
            raise ValueError(f"date {value!r}: write the end as DD, MM-DD or YYYY-MM-DD")
        if _first_day(end_parts, value) < start:
            raise ValueError(f"date {value!r}: the range ends before it starts")
        end = _last_day(end_parts, value)
    return EventDate(start, end, precision)


def _first_day(parts: Sequence[str], value: str) -> dt.date:
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    try:
        return dt.date(*numbers)
    except ValueError as exc:
        raise ValueError(f"date {value!r} is impossible ({exc})") from None


def _last_day(parts: Sequence[str], value: str) -> dt.date:
    first = _first_day(parts, value)
    if len(parts) == 1:
        return first.replace(month=12, day=31)
    if len(parts) == 2:
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first


@dataclass(frozen=True)
class SignedDocument:
    """A document signed or adopted at an event; `declaration` links it to a catalogued declaration (not
    to be confused with analysis.document.Document, a parsed revision)."""

    title: str
    declaration: str | None = None


@dataclass(frozen=True)
class Source:
    url: str
    seen: dt.date | None = None


@dataclass(frozen=True)
class Event:
    """One dated event. `line` is where it starts in its file (0 for summits made from the catalog)."""

    date: EventDate
    place: str
    kind: str
    description: str
    documents: tuple[SignedDocument, ...] = ()
    participants: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    note: str | None = None
    file: str = ""
    line: int = 0

    @property
    def declarations(self) -> tuple[str, ...]:
        return tuple(d.declaration for d in self.documents if d.declaration)

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.text, "start": self.date.start.isoformat(), "end": self.date.end.isoformat(),
                "precision": self.date.precision, "year": self.date.year, "place": self.place, "kind": self.kind,
                "description": self.description,
                "documents": [{"title": d.title, "declaration": d.declaration} for d in self.documents],
                "declarations": list(self.declarations), "participants": list(self.participants),
                "themes": list(self.themes), "note": self.note,
                "sources": [{"url": s.url, "seen": s.seen.isoformat() if s.seen else None} for s in self.sources]}


@dataclass
class Chronology:
    """The events in date order and the kinds in force (the shipped ones plus any the file adds)."""

    events: list[Event]
    kinds: dict[str, str] = field(default_factory=lambda: dict(KINDS))
    path: Path | None = None

    def select(self, *, start: int | None = None, end: int | None = None, kinds: Iterable[str] = (),
               themes: Iterable[str] = ()) -> list[Event]:
        """Events overlapping the years [start, end], of any of `kinds`, tagged with any of `themes`."""
        kinds, themes = set(kinds), set(themes)
        unknown = sorted(kinds - set(self.kinds))
        if unknown:
            raise ChronologyError(f"unknown kind {unknown[0]!r}; known kinds: {', '.join(self.kinds)}")
        return [e for e in self.events
                if (start is None or e.date.end.year >= start) and (end is None or e.date.start.year <= end)
                and (not kinds or e.kind in kinds) and (not themes or themes & set(e.themes))]

    def kind_label(self, kind: str) -> str:
        return self.kinds.get(kind, kind)


# -- reading ---------------------------------------------------------------------------------------------
def event_lines(text: str) -> list[int]:
    """The line of each `[[event]]` header, in order (tomllib keeps no positions)."""
    return [i for i, line in enumerate(text.splitlines(), start=1) if re.match(r"\s*\[\[\s*event\s*\]\]", line)]


def _field_line(lines: list[str], start: int, key: str) -> int:
    """The line where `key =` appears in the event whose header is on line `start`, else `start`."""
    for index in range(start, len(lines)):
        if re.match(r"\s*\[", lines[index]):
            break
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[index]):
            return index + 1
    return start


def parse_chronology(text: str, where: str, *, declarations: Iterable[str] | None = None,
                     themes: Iterable[str] | None = None) -> Chronology:
    """Events from a chronology file's text, checked field by field; `declarations` and `themes` are the
    ids links may use (None: do not check)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ChronologyError(f"{where}{':' + match.group(1) if match else ''}: malformed TOML ({exc}); "
                              "fix the file") from exc
    kinds = dict(KINDS)
    extra = data.get("kinds", {})
    if not isinstance(extra, dict) or not all(isinstance(v, str) and v.strip() for v in extra.values()):
        raise ChronologyError(f"{where}: [kinds] must map a kind id to its label, "
                              "e.g. special-meeting = \"Special meeting\"")
    for ident, label in extra.items():
        try:
            kinds[check_name(ident, "kind")] = label.strip()
        except CatalogError as exc:
            raise ChronologyError(f"{where}: {exc}") from exc
    unknown = set(data) - {"event", "kinds"}
    if unknown:
        raise ChronologyError(f"{where}: unknown table(s) {', '.join(sorted(unknown))}; use [[event]] and [kinds]")
    raw_events = data.get("event", [])
    if not isinstance(raw_events, list):
        raise ChronologyError(f"{where}: events must be [[event]] tables")
    lines = event_lines(text)
    source_lines = text.splitlines()
    known_decls = None if declarations is None else set(declarations)
    known_themes = None if themes is None else set(themes)
    events = []
    for i, raw in enumerate(raw_events):
        line = lines[i] if i < len(lines) else 0
        events.append(_event(raw, where, line, source_lines, kinds, known_decls, known_themes))
    order = {id(e): i for i, e in enumerate(events)}
    events.sort(key=lambda e: (e.date.start, e.date.end, order[id(e)]))
    return Chronology(events=events, kinds=kinds)


def _event(raw: Any, where: str, line: int, lines: list[str], kinds: dict[str, str],
           declarations: set[str] | None, themes: set[str] | None) -> Event:
    def fail(key: str | None, message: str) -> ChronologyError:
        at = _field_line(lines, line, key) if key and line else line
        return ChronologyError(f"{where}{':' + str(at) if at else ''}: {message}")

    if not isinstance(raw, dict):
        raise fail(None, "an event must be a table ([[event]])")
    unknown = set(raw) - _EVENT_KEYS
    if unknown:
        raise fail(sorted(unknown)[0], f"unknown field(s) {', '.join(sorted(unknown))}; "
                                       f"known: {', '.join(sorted(_EVENT_KEYS))}")
    for key in ("kind", "description"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise fail(key, f"field {key!r} is missing or empty; add it")
    try:
        date = parse_event_date(raw.get("date"))
    except ValueError as exc:
        raise fail("date", str(exc)) from None
    kind = raw["kind"].strip()
    if kind not in kinds:
        close = difflib.get_close_matches(kind, list(kinds), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise fail("kind", f"unknown kind {kind!r}; {hint}known kinds: {', '.join(kinds)} (add one under [kinds])")
    place = raw.get("place", "")
    if not isinstance(place, str):
        raise fail("place", "'place' must be text (leave it out if unknown)")
    documents = tuple(_document(d, fail, declarations) for d in _list(raw, "documents", fail))
    tags = tuple(_text_list(raw, "themes", fail))
    if themes is not None:
        for tag in tags:
            if tag not in themes:
                close = difflib.get_close_matches(tag, sorted(themes), n=1)
                raise fail("themes", f"unknown theme {tag!r}" + (f"; did you mean {close[0]!r}?" if close else
                                                               "; `sco-decl lexicon` lists the themes"))
    sources = tuple(_source(s, fail) for s in _list(raw, "sources", fail))
    note = raw.get("note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        raise fail("note", "'note' must be non-empty text")
    return Event(date=date, place=place.strip(), kind=kind, description=" ".join(raw["description"].split()),
                 documents=documents, participants=tuple(_text_list(raw, "participants", fail)), themes=tags,
                 sources=sources, note=" ".join(note.split()) if note else None, file=where, line=line)


def _list(raw: dict[str, Any], key: str, fail: Any) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise fail(key, f"{key!r} must be a list")
    return value


def _text_list(raw: dict[str, Any], key: str, fail: Any) -> list[str]:
    values = _list(raw, key, fail)
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise fail(key, f"{key!r} must be a list of non-empty names")
    return [v.strip() for v in values]


def _document(value: Any, fail: Any, declarations: set[str] | None) -> SignedDocument:
    if isinstance(value, str):
        value = {"title": value}
    if not isinstance(value, dict) or not isinstance(value.get("title"), str) or not value["title"].strip():
        raise fail("documents", "each document needs a title: { title = \"...\", declaration = \"<id>\" }")
    ident = value.get("declaration")
    if ident is not None and declarations is not None and ident not in declarations:
        close = difflib.get_close_matches(str(ident), sorted(declarations), n=1)
        raise fail("documents", f"declaration {ident!r} is not in the catalog"
                   + (f"; did you mean {close[0]!r}?" if close else "; `sco-decl list` shows the ids"))
    return SignedDocument(title=" ".join(value["title"].split()), declaration=ident)


def _source(value: Any, fail: Any) -> Source:
    if isinstance(value, str):
        value = {"url": value}
    if not isinstance(value, dict) or not isinstance(value.get("url"), str) or not value["url"].strip():
        raise fail("sources", "each source needs a url: { url = \"https://...\", seen = 2026-12-01 }")
    seen = value.get("seen")
    if seen is not None:
        try:
            parsed = parse_event_date(seen)
        except ValueError as exc:
            raise fail("sources", f"source seen {exc}") from None
        if parsed.precision != "day" or parsed.is_range:
            raise fail("sources", "a source's 'seen' date is one day, YYYY-MM-DD")
        seen = parsed.start
    return Source(url=value["url"].strip(), seen=seen)


def catalog_events(decls: Sequence[Declaration], linked: Iterable[str]) -> list[Event]:
    """A summit for each catalogued declaration no event links to, so the chronology covers the catalog."""
    taken = set(linked)
    return [Event(date=EventDate(d.date, d.date, "day"), place=d.place, kind="summit",
                  description="Summit of the heads of state (from the catalog)",
                  documents=(SignedDocument(d.title, d.id),), participants=tuple(d.signatories)) for d in decls if d.id not in taken]


def load_chronology(corpus: Corpus, *, themes: Iterable[str] | None = None) -> Chronology:
    """The corpus's chronology (an absent file is an empty one) plus a summit for every unlinked
    declaration; links to declarations are checked against the catalog."""
    decls = corpus.declarations()
    path = corpus.root / CHRONOLOGY_FILE
    if path.is_file():
        load_toml(path)  # the same unreadable / not-UTF-8 errors as a catalog file
        chronology = parse_chronology(path.read_text("utf-8"), str(path), declarations=[d.id for d in decls],
                                      themes=themes)
    else:
        chronology = Chronology(events=[])
    chronology.path = path
    linked = {i for e in chronology.events for i in e.declarations}
    merged = chronology.events + catalog_events(decls, linked)
    chronology.events = sorted(merged, key=lambda e: (e.date.start, e.date.end))
    return chronology


# -- writing ---------------------------------------------------------------------------------------------
def _toml_value(value: Any) -> str:
    """One TOML value on one line (a JSON string is a valid TOML basic string)."""
    import json

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False)


def _event_block(data: dict[str, Any]) -> str:
    """An `[[event]]` table with one line per field, as a person would write it (tomli_w would choose
    between inline and separate tables by length, which cannot nest under [[event]])."""
    return "[[event]]\n" + "".join(f"{key} = {_toml_value(value)}\n" for key, value in data.items())


_NEW_FILE_HEADER = ("# Events of this corpus's chronology (see `sco-decl chronology --help`); one [[event]] each.\n")


def add_event(corpus: Corpus, *, date: str, kind: str, description: str, place: str = "",
              declarations: Sequence[str] = (), documents: Sequence[str] = (), participants: Sequence[str] = (),
              themes: Sequence[str] = (), sources: Sequence[str] = (), note: str | None = None,
              known_themes: Iterable[str] | None = None, seen: dt.date | None = None) -> Event:
    """Append one event to the corpus's chronology file, keeping what is there (comments included).

    The whole new file is parsed and checked before it replaces the old one atomically, under the corpus
    lock, so a bad event never leaves a half-written or invalid file behind.
    """
    decls = {d.id: d for d in corpus.declarations()}
    missing = [i for i in declarations if i not in decls]
    if missing:
        close = difflib.get_close_matches(missing[0], sorted(decls), n=1)
        raise ChronologyError(f"--declaration {missing[0]!r} is not in the catalog"
                              + (f"; did you mean {close[0]!r}?" if close else "; `sco-decl list` shows the ids"))
    data: dict[str, Any] = {"date": date, "place": place, "kind": kind, "description": description}
    docs = [{"title": decls[i].title, "declaration": i} for i in declarations] + [{"title": t} for t in documents]
    if docs:
        data["documents"] = docs
    for key, values in (("participants", participants), ("themes", themes)):
        if values:
            data[key] = list(values)
    if sources:
        day = seen or dt.date.today()
        data["sources"] = [{"url": url, "seen": day} for url in sources]
    if note:
        data["note"] = note
    path = corpus.root / CHRONOLOGY_FILE
    with corpus._locked():  # the store's own lock: one writer per corpus
        old = path.read_text("utf-8") if path.is_file() else _NEW_FILE_HEADER
        text = old + ("" if old.endswith("\n") else "\n") + "\n" + _event_block(data)
        where = str(path)
        chronology = parse_chronology(text, where, declarations=list(decls), themes=known_themes)
        added_line = event_lines(text)[-1]
        atomic_write_text(path, text)
        corpus.wrote = True
    return next(e for e in chronology.events if e.line == added_line)
