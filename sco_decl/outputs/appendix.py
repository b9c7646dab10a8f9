"""The appendix table a thesis takes into its pages (the chronology is outputs/chronology.py).

One row per declaration in date order. Counts and rates are copied from the theme report (the JSON of
`sco-decl themes`), never recomputed, so the appendix and the analysis cannot disagree. Similarity comes
from the comparison with the previous row's declaration; "new phrases" from keyness against every
earlier declaration in the corpus (what `sco-decl keyness REF` says). Renderers are chosen by format;
LaTeX, Markdown and HTML come from templates, CSV from the csv module at full precision.
"""
from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from sco_decl._version import __version__
from sco_decl.errors import OutputError, ScoDeclError

if TYPE_CHECKING:
    from spacy.language import Language

    from sco_decl.store.model import Revision
    from sco_decl.store.corpus import Corpus

REQUIRED_THEMES = ("sovereignty", "multipolarity", "non-interference", "terrorism")
LONG_ROWS = 20  # more rows than this and LaTeX gets a longtable that breaks across pages
# column suffix -> (key in the themes JSON, header unit, kind)
THEME_METRICS = {"rate": ("rate_per_1000", "rate", "float"),
                 "share": ("share", "share", "float"),
                 "matches": ("matches", "matches", "int"),
                 "sentences": ("sentences", "sentences", "int")}
BASE_COLUMNS = {  # name -> (header, kind)
    "id": ("Declaration", "text"), "date": ("Date", "text"), "place": ("Place", "text"),
    "title": ("Title", "text"), "edition": ("Edition", "text"), "revision": ("Revision", "text"),
    "sha256": ("sha256", "sha"), "words": ("Words", "int"), "sentences": ("Sentences", "int"),
    "similarity_prev": ("Similarity to previous", "float"), "new_phrases": ("New phrases", "text"),
}
DEFAULT_BASE = ("id", "date", "place", "title", "edition", "words", "sentences")
DEFAULT_TAIL = ("similarity_prev", "new_phrases")
_UNIT_NOTES = {"rate": "Theme rates are matches per 1,000 words.",
               "share": "Theme shares are the fraction of sentences that speak of the theme.",
               "similarity_prev": "Similarity (0 to 1) is to the previous declaration, aligned sentence by sentence.",
               "new_phrases": "New phrases: the most distinctive phrases absent from all earlier declarations "
                              "(log-likelihood keyness)."}


class UnknownColumnError(ScoDeclError):
    """A --columns name that is neither a base column nor <theme>_<metric> of a known theme."""


@dataclass(frozen=True)
class Column:
    """A column: its name (CSV header, `--columns`), a header for people, and how to format it."""

    name: str
    header: str
    kind: str  # text | int | float | sha
    colour: str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "float")


@dataclass
class Table:
    """Rows of raw values under named columns, plus the provenance every rendering carries."""

    kind: str  # "appendix" | "chronology"
    columns: list[Column]
    rows: list[dict[str, Any]]
    sources: list[dict[str, str]] = field(default_factory=list)  # ref, sha256 of each text used
    lexicon_sha256: str | None = None
    caption: str = ""
    label: str = ""

    @property
    def long(self) -> bool:
        return len(self.rows) > LONG_ROWS

    def display(self) -> list[list[str]]:
        """Cells as people read them: 2 decimals, phrases joined; CSV uses the raw values instead."""
        return [[_display(row.get(c.name), c) for c in self.columns] for row in self.rows]


def _display(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if column.kind == "float":
        return f"{value:.2f}"
    return str(value)


def _raw(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return value


# -- columns -------------------------------------------------------------------------------------------
def theme_column(name: str, lexicon: Any) -> Column | None:
    """`sovereignty_rate` -> the column, if the theme and the metric exist."""
    for suffix, (_, unit, kind) in THEME_METRICS.items():
        if name.endswith("_" + suffix):
            theme = _theme(lexicon, name[: -len(suffix) - 1])
            if theme is not None:
                return Column(name, f"{theme.label} {unit}", kind, theme.colour)
    return None


def _theme(lexicon: Any, ident: str) -> Any:
    return next((t for t in lexicon.themes if t.id == ident), None)


def check_themes(lexicon: Any, ids: Sequence[str]) -> list[Any]:
    """The Theme objects for `ids`, in order; an unknown id is the lexicon's error plus a close match."""
    from sco_decl.analysis.lexicon import UnknownThemeError

    out = []
    for ident in ids:
        try:
            out.append(lexicon.get(ident))
        except UnknownThemeError as exc:
            close = difflib.get_close_matches(ident, [t.id for t in lexicon.themes], n=1)
            if not close:
                raise
            raise UnknownThemeError(f"{exc}; did you mean {close[0]!r}?") from None
    return out


def parse_columns(spec: Sequence[str] | None, lexicon: Any, theme_ids: Sequence[str]) -> list[Column]:
    """The chosen columns (comma-separated or repeated), or the defaults for the chosen themes."""
    if not spec:
        names = list(DEFAULT_BASE) + [f"{t}_rate" for t in theme_ids] + list(DEFAULT_TAIL)
    else:
        names = [n.strip() for item in spec for n in item.split(",") if n.strip()]
    columns = []
    for name in names:
        if name in BASE_COLUMNS:
            header, kind = BASE_COLUMNS[name]
            columns.append(Column(name, header, kind))
            continue
        column = theme_column(name, lexicon)
        if column is None:
            raise UnknownColumnError(
                f"unknown column {name!r}: use {', '.join(BASE_COLUMNS)} or <theme>_<metric> with metric "
                f"{'|'.join(THEME_METRICS)} and a theme from `sco-decl lexicon` (e.g. sovereignty_rate)")
        columns.append(column)
    if not columns:
        raise UnknownColumnError("--columns is empty; name at least one column, e.g. id,date,sovereignty_rate")
    return columns


# -- building ------------------------------------------------------------------------------------------
def build_appendix(corpus: Corpus, revisions: Sequence[Revision], lexicon: Any, columns: Sequence[Column], *,
                   nlp: Language | None = None, phrases: int = 5,
                   similarities: Mapping[tuple[str, str], float] | None = None) -> Table:
    """Analyse the revisions and fill the chosen columns, computing similarity and keyness only if asked.

    `similarities` ((sha256 A, sha256 B) -> overall similarity) spares re-aligning pairs a caller (the
    site) has just compared; a pair not in it is compared here.
    """
    from sco_decl.analysis import themes

    analyses = [themes.analyse(corpus, r, lexicon, nlp) for r in revisions]
    report = themes.report(analyses, lexicon, False)
    names = {c.name for c in columns}
    new = _new_phrases_by_row(corpus, revisions, nlp, phrases) if "new_phrases" in names else {}
    decls = {d.id: d for d in corpus.declarations()}
    rows: list[dict[str, Any]] = []
    for i, (revision, doc) in enumerate(zip(revisions, report["documents"])):
        decl = decls[revision.declaration]
        row: dict[str, Any] = {"id": decl.id, "date": decl.date.isoformat(), "place": decl.place,
                               "title": decl.title, "edition": revision.edition, "revision": revision.ref,
                               "sha256": revision.sha256, "words": doc["words"], "sentences": doc["sentences"]}
        for column in columns:
            if column.name not in row and column.name not in BASE_COLUMNS:
                row[column.name] = _theme_value(doc, column.name)
        if "similarity_prev" in names:
            row["similarity_prev"] = _similarity_to_previous(corpus, revisions, i, lexicon, nlp, similarities or {})
        if "new_phrases" in names:
            row["new_phrases"] = new[revision.ref]
        rows.append(row)
    units = [text for key, text in _UNIT_NOTES.items()
             if any(c.name == key or c.name.endswith("_" + key) for c in columns)]
    return Table(kind="appendix", columns=list(columns), rows=rows,
                 sources=[{"ref": r.ref, "sha256": r.sha256} for r in revisions],
                 lexicon_sha256=getattr(lexicon, "sha256", None),
                 caption=" ".join(["Declarations analysed, in date order."] + units),
                 label="tab:sco-decl-appendix")


def _theme_value(doc: dict[str, Any], name: str) -> Any:
    for suffix, (key, _, _) in THEME_METRICS.items():
        if name.endswith("_" + suffix):
            return doc["themes"][name[: -len(suffix) - 1]][key]
    raise UnknownColumnError(f"unknown column {name!r}")


def _similarity_to_previous(corpus: Corpus, revisions: Sequence[Revision], i: int, lexicon: Any,
                            nlp: Language | None, known: Mapping[tuple[str, str], float]) -> float | None:
    """Overall similarity to the nearest earlier row of another declaration (None for the first)."""
    from sco_decl.compare.comparison import compare

    previous = next((r for r in reversed(revisions[:i]) if r.declaration != revisions[i].declaration), None)
    if previous is None:
        return None
    if (previous.sha256, revisions[i].sha256) in known:
        return known[(previous.sha256, revisions[i].sha256)]
    return compare(corpus, previous.ref, revisions[i].ref, lexicon=lexicon, nlp=nlp, themes=False).similarity


def _new_phrases_by_row(corpus: Corpus, revisions: Sequence[Revision], nlp: Language | None,
                        limit: int) -> dict[str, list[str]]:
    """Each row's most distinctive new phrases against every earlier declaration (keyness's default
    reference), walking the corpus once in date order with a running reference, so a table of N
    declarations costs N counts, not N x N."""
    from sco_decl.analysis import keyness
    from sco_decl.analysis.pipeline import parse_revision

    dates = {d.id: d.date for d in corpus.declarations()}
    earlier = corpus.texts_present()  # date order
    reference = keyness.NgramCounts()
    taken = 0
    out: dict[str, list[str]] = {}
    for revision in sorted(revisions, key=lambda r: dates[r.declaration]):
        while taken < len(earlier) and dates[earlier[taken].declaration] < dates[revision.declaration]:
            one = keyness.ngram_counts(parse_revision(corpus, earlier[taken], nlp))
            reference.counts.update(one.counts)  # no surface forms: the reference is never displayed
            reference.totals.update(one.totals)
            taken += 1
        if not taken:
            out[revision.ref] = []
            continue
        mine = keyness.ngram_counts(parse_revision(corpus, revision, nlp))
        out[revision.ref] = [item.term for item in keyness.new_phrases_against(mine, reference, limit)]
    return out


# -- rendering -----------------------------------------------------------------------------------------
def render_csv(table: Table) -> str:
    """A header row and full-precision values. Provenance travels in columns, never in comment lines that
    CSV readers choke on: appendix rows always end with revision and sha256, every row with tool_version."""
    columns = list(table.columns)
    if table.kind == "appendix":
        columns += [Column(n, n, "text") for n in ("revision", "sha256") if n not in {c.name for c in columns}]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in columns] + ["tool_version"])
    for row in table.rows:
        writer.writerow([_raw(row.get(c.name)) for c in columns] + [f"sco-decl {__version__}"])
    return buffer.getvalue()


def _template(extension: str) -> Callable[[Table], str]:
    def renderer(table: Table) -> str:
        from sco_decl.outputs.render import render

        text = render(f"{table.kind}.{extension}", table=table, cells=table.display())
        return text.strip("\n") + "\n"

    return renderer


RENDERERS: dict[str, Callable[[Table], str]] = {
    "latex": _template("tex"),
    "markdown": _template("md"),
    "html": _template("html"),
    "csv": render_csv,
}
SUFFIXES = {".tex": "latex", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".csv": "csv"}


def render_table(table: Table, fmt: str) -> str:
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise OutputError(f"format {fmt!r} is unknown for a table; use one of {', '.join(RENDERERS)}")
    return renderer(table)


def format_for(suffix: str, suffixes: Mapping[str, str] = SUFFIXES, what: str = "a table") -> str:
    """The format an output file's suffix names; an unknown suffix is an error, never a guess."""
    fmt = suffixes.get(suffix.lower())
    if fmt is None:
        raise OutputError(f"output suffix {suffix or '(none)'!r} is unknown for {what}; use one of "
                          f"{', '.join(suffixes)} or give --format")
    return fmt


