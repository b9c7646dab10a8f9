"""The appendix table a thesis takes into its pages, and the companion chronology of summits.

One row per declaration in date order. Counts and rates are copied from the theme report (the JSON of
`sco-decl themes`), never recomputed, so the appendix and the analysis cannot disagree. Similarity comes
from the comparison with the previous row's declaration; "new phrases" from keyness against every
earlier declaration in the corpus (what `sco-decl keyness REF` says). Renderers are chosen by format;
LaTeX, Markdown and HTML come from templates, CSV from the csv module at full precision.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

from sco_decl._version import __version__
from sco_decl.analysis import keyness
from sco_decl.analysis.lexicon import UnknownThemeError
from sco_decl.analysis.series import Choice, editions_note, pick_edition
from sco_decl.errors import OutputError, ScoDeclError
from sco_decl.outputs.csvout import csv_text
from sco_decl.outputs.render import format_of_suffix, render
from sco_decl.outputs.similarity_store import SimilarityStore
from sco_decl.outputs.texlayout import Layout, Page, layout

if TYPE_CHECKING:
    from sco_decl.outputs.render import Nav
    from sco_decl.analysis.themes import DocumentAnalysis
    from sco_decl.store.corpus import Corpus
    from sco_decl.store.model import Revision
    from sco_decl.workspace import Workspace

REQUIRED_THEMES = ("sovereignty", "multipolarity", "non-interference", "terrorism")
LONG_ROWS = 20  # more rows than this and LaTeX gets a longtable that breaks across pages
# column suffix -> (key in the themes JSON, header unit, kind)
THEME_METRICS = {"rate": ("rate_per_1000", "rate", "float"),
                 "share": ("share", "share", "float"),
                 "matches": ("matches", "matches", "int"),
                 "sentences": ("sentences", "sentences", "int")}
BASE_COLUMNS = {  # name -> (header, kind)
    "id": ("Declaration", "text"), "year": ("Year", "int"), "date": ("Date", "text"), "place": ("Place", "text"),
    "title": ("Title", "text"), "edition": ("Edition", "text"), "revision": ("Revision", "text"),
    "sha256": ("sha256", "sha"), "words": ("Words", "int"), "sentences": ("Sentences", "int"),
    "similarity_prev": ("Similarity to previous", "float"), "new_phrases": ("New phrases", "text"),
}
SHORT = {"id": "Decl.", "edition": "Ed.", "revision": "Rev.", "sentences": "Sent.", "similarity_prev": "Sim.",
         "signatories": "Signatories"}  # LaTeX headers that fit; the legend under the table spells them out
DEFAULT_BASE = ("id", "date", "place", "title", "edition", "words", "sentences")
DEFAULT_TAIL = ("similarity_prev", "new_phrases")
# LaTeX defaults that fit a 12pt text block with 2.5 cm margins: titles go to the chronology table
PRESETS = {"full": DEFAULT_BASE, "portrait": ("year", "place", "words"),
           "landscape": ("date", "place", "edition", "words", "sentences")}
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
    short: str = ""  # the header where room is short (LaTeX); "" means the header itself
    legend: str = ""  # what the short header stands for, said under the table

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
    notes: list[str] = field(default_factory=list)  # what the numbers are, for the note under the table

    @property
    def legend(self) -> str:
        """"Sov. = Sovereignty (matches per 1,000 words); ..." for the abbreviated headers."""
        return "; ".join(f"{c.short} = {c.legend}" for c in self.columns if c.short and c.legend)

    @property
    def long(self) -> bool:
        return len(self.rows) > LONG_ROWS

    def note_lines(self, abbreviated: bool = True) -> list[str]:
        """The note under a printed table: abbreviations, what the numbers are, the texts (short sha256,
        the full ones being in the CSV) and the tool version, so the page stands on its own."""
        lines = [f"Abbreviations: {self.legend}."] if abbreviated and self.legend else []
        lines += self.notes
        if self.sources:
            texts = "; ".join(f"{s['ref']} ({s['sha256'][:12]})" for s in self.sources)
            lines.append(f"Texts (revision and first 12 hex digits of its sha256; the full sha256 is in the "
                         f"CSV, sco-decl appendix --format csv): {texts}.")
        made = f"Made with sco-decl {__version__}"
        if self.lexicon_sha256:
            made += f", theme lexicon {self.lexicon_sha256[:12]}"
        return lines + [made + "."]

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
                return Column(name, f"{theme.label} {unit}", kind, theme.colour, short=abbreviate(theme.label),
                              legend=theme.label)
    return None


UNIT_WORDS = {"rate": "matches per 1,000 words", "share": "share of sentences", "matches": "matches",
              "sentences": "sentences with the theme"}


def abbreviate(label: str) -> str:
    """A header short enough for a printed table: `Sov.`, `Non-int.`, `Terr. int.`, `Three ev.`."""
    words = label.replace("-", "- ").split()
    if len(label) <= 6:
        return label
    if len(words) == 1:
        return label[:4].rstrip("aeiou") + "."
    first = words[0] if words[0].endswith("-") else words[0][:5].rstrip(".") + ("." if len(words[0]) > 5 else "")
    second = words[1][:3] + "." if len(words[1]) > 4 else words[1]
    return first + ("" if first.endswith("-") else " ") + second


def _theme(lexicon: Any, ident: str) -> Any:
    return next((t for t in lexicon.themes if t.id == ident), None)


def check_themes(lexicon: Any, ids: Sequence[str]) -> list[Any]:
    """The Theme objects for `ids`, in order; an unknown id is the lexicon's error plus a close match."""
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


def parse_columns(spec: Sequence[str] | None, lexicon: Any, theme_ids: Sequence[str], *, preset: str = "full",
                  variants: bool = False) -> list[Column]:
    """The chosen columns (comma-separated or repeated), or a preset's defaults for the chosen themes.

    The "portrait" and "landscape" presets are what fits a printed page; with `variants` (two editions
    of one declaration in the table) they gain an edition column so the rows say which is which.
    """
    if not spec:
        base = list(PRESETS[preset])
        if variants and "edition" not in base:
            base.insert(base.index("place") + 1, "edition")
        names = base + [f"{t}_rate" for t in theme_ids] + list(DEFAULT_TAIL)
    else:
        names = [n.strip() for item in spec for n in item.split(",") if n.strip()]
    columns = []
    for name in names:
        if name in BASE_COLUMNS:
            header, kind = BASE_COLUMNS[name]
            short = SHORT.get(name, "")
            columns.append(Column(name, header, kind, short=short, legend=header.lower() if short else ""))
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
def build_appendix(workspace: Workspace, revisions: Sequence[Revision], columns: Sequence[Column], *,
                   phrases: int = 5, progress: Callable[[str], None] | None = None) -> Table:
    """Analyse the revisions and fill the chosen columns, computing similarity and keyness only if asked.

    Theme columns read the typed counts of each analysis; similarity to the previous row is computed from
    the two documents (cached parses). `progress(ref)` is called twice per row (analysed, then compared),
    so a caller can show a bar of 2 x len(revisions) steps.
    """
    lexicon = workspace.lexicon
    step = progress or (lambda item: None)
    analyses = []
    for revision in revisions:
        analyses.append(workspace.analysis(revision))
        step(revision.ref)
    names = {c.name for c in columns}
    new = _new_phrases_by_row(workspace, revisions, phrases) if "new_phrases" in names else {}
    previous = _previous_rows(revisions)
    store = SimilarityStore(workspace) if "similarity_prev" in names else None
    rows: list[dict[str, Any]] = []
    for i, (revision, analysis) in enumerate(zip(revisions, analyses)):
        decl = workspace.declaration(revision.declaration)
        row: dict[str, Any] = {"id": decl.id, "year": decl.date.year, "date": decl.date.isoformat(),
                               "place": decl.place,
                               "title": decl.title, "edition": revision.edition, "revision": revision.ref,
                               "sha256": revision.sha256, "words": analysis.words,
                               "sentences": len(analysis.sentences)}
        for column in columns:
            if column.name not in row and column.name not in BASE_COLUMNS:
                row[column.name] = _theme_value(analysis, column.name)
        if store is not None:
            row["similarity_prev"] = _similarity_to_previous(workspace, store, previous[i], revision)
        if "new_phrases" in names:
            row["new_phrases"] = new[revision.ref]
        rows.append(row)
        step(revision.ref)
    if store is not None:
        store.save()
    units = [text for key, text in _UNIT_NOTES.items()
             if any(c.name == key or c.name.endswith("_" + key) for c in columns)]
    return Table(kind="appendix", columns=list(columns), rows=rows,
                 sources=[{"ref": r.ref, "sha256": r.sha256} for r in revisions],
                 lexicon_sha256=getattr(lexicon, "sha256", None),
                 caption=_caption(workspace, revisions, columns), label="tab:sco-decl-appendix", notes=units)


def _caption(workspace: Workspace, revisions: Sequence[Revision], columns: Sequence[Column]) -> str:
    """What a reader of the printed page needs first: what the rows and numbers are, and which editions."""
    years = sorted({workspace.declaration(r.declaration).date.year for r in revisions})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    count = len({r.declaration for r in revisions})
    metrics = [UNIT_WORDS[s] for s in THEME_METRICS if any(c.name.endswith("_" + s) and c.legend for c in columns)]
    what = f"themes ({'; '.join(metrics)})" if metrics else "size and wording"
    return (f"The language of {count} summit declaration{'s' if count != 1 else ''}, {span}: {what}, "
            f"from {editions_note(revisions)}.")


def _theme_value(analysis: DocumentAnalysis, name: str) -> Any:
    for suffix, (key, _, _) in THEME_METRICS.items():
        if name.endswith("_" + suffix):
            return getattr(analysis.counts[name[: -len(suffix) - 1]], key)
    raise UnknownColumnError(f"unknown column {name!r}")


def _previous_rows(revisions: Sequence[Revision]) -> list[Revision | None]:
    """For each row, the previous declaration's first row (its chosen edition), None for the first.

    Two editions of one declaration are variants, never "previous" to each other: their similarity is
    translation noise, not change between summits. One walk over the rows (a row's previous declaration
    is the row before's, unless that row is an edition of its own declaration: then the row before's).
    """
    first: dict[str, Revision] = {}
    out: list[Revision | None] = []
    for i, revision in enumerate(revisions):
        before = revisions[i - 1] if i else None
        if before is None:
            out.append(None)
        elif before.declaration != revision.declaration:
            out.append(first[before.declaration])
        else:
            out.append(out[-1])
        first.setdefault(revision.declaration, revision)
    return out


def _similarity_to_previous(workspace: Workspace, store: SimilarityStore, previous: Revision | None,
                            revision: Revision) -> float | None:
    """Overall similarity to the previous declaration's row (kept between runs: SimilarityStore)."""
    if previous is None:
        return None
    if workspace.language(previous) != workspace.language(revision):
        return None  # a similarity across languages measures translation, not change between summits
    return store.similarity(previous, revision)


def _new_phrases_by_row(workspace: Workspace, revisions: Sequence[Revision], limit: int) -> dict[str, list[str]]:
    """Each row's most distinctive new phrases against every earlier declaration (keyness's default
    reference), walking the corpus once in date order with a running reference, so a table of N
    declarations costs N counts, not N x N."""
    corpus = workspace.corpus

    def date(decl_id: str) -> dt.date:  # from the workspace's one reading of the catalog
        return workspace.declaration(decl_id).date

    # One running reference per language: a Russian row's new phrases are those new against the earlier
    # declarations' Russian texts (every English phrase would be "new" to a Russian text).
    references: dict[str, tuple[keyness.NgramCounts, list[Revision], list[int]]] = {}
    # A row is usually also an earlier text of the rows after it: its counts are kept until the reference
    # takes them in, so each text is counted once.
    counted: dict[str, keyness.NgramCounts] = {}
    pending: set[str] = set()  # texts some reference has still to take in

    def counts(revision: Revision) -> keyness.NgramCounts:
        found = counted.pop(revision.sha256, None)
        return found if found is not None else keyness.ngram_counts(workspace.document(revision).parsed)

    out: dict[str, list[str]] = {}
    for revision in sorted(revisions, key=lambda r: date(r.declaration)):
        language = workspace.language(revision)
        if language not in references:
            references[language] = (keyness.NgramCounts(), workspace.verified(_texts_in(corpus, language)), [0])
            pending.update(r.sha256 for r in references[language][1])
        reference, earlier, taken = references[language]
        while taken[0] < len(earlier) and date(earlier[taken[0]].declaration) < date(revision.declaration):
            pending.discard(earlier[taken[0]].sha256)
            one = counts(earlier[taken[0]])
            reference.counts.update(one.counts)  # no surface forms: the reference is never displayed
            reference.totals.update(one.totals)
            taken[0] += 1
        mine = counts(revision)
        if revision.sha256 in pending:
            counted[revision.sha256] = mine
        if not taken[0]:
            out[revision.ref] = []
            continue
        out[revision.ref] = [item.term for item in keyness.distinctive_new_phrases_against(mine, reference, limit)]
    return out


def _texts_in(corpus: Corpus, language: str) -> list[Revision]:
    """The latest revision of each declaration's text in `language` (its default edition when that is in
    the language), in date order."""
    out = []
    for decl in corpus.declarations():
        edition = pick_edition(corpus, decl, Choice(language=language))
        info = decl.edition(edition) if edition else None
        if edition and (info.language if info else "en") == language:
            out.append(corpus.revisions(decl.id, edition)[-1])
    return out


def build_chronology(corpus: Corpus, ids: Sequence[str] | None = None) -> Table:
    """Summits from the catalog alone (date, place, title, signatories), so it works before any fetch.

    `ids` limits it to the declarations of an appendix (the titles that table leaves out)."""
    columns = [Column("date", "Date", "text"), Column("place", "Place", "text"), Column("title", "Title", "text"),
               Column("signatories", "Signatories", "text"), Column("id", "Declaration", "text")]
    rows = [{"date": d.date.isoformat(), "place": d.place, "title": d.title, "signatories": list(d.signatories),
             "id": d.id} for d in corpus.declarations() if ids is None or d.id in ids]
    return Table(kind="chronology", columns=columns, rows=rows,
                 caption="Summits and their declarations, in date order (from the catalog).",
                 label="tab:sco-decl-chronology")


# -- rendering -----------------------------------------------------------------------------------------
def render_csv(table: Table, page: Page | None = None, companions: Sequence[Table] = ()) -> str:
    """A header row and full-precision values. Provenance travels in columns, never in comment lines that
    CSV readers choke on: appendix rows always end with revision and sha256, every row with tool_version."""
    columns = list(table.columns)
    if table.kind == "appendix":
        columns += [Column(n, n, "text") for n in ("revision", "sha256") if n not in {c.name for c in columns}]

    return csv_text([c.name for c in columns] + ["tool_version"],
                    ([_raw(row.get(c.name)) for c in columns] + [f"sco-decl {__version__}"] for row in table.rows))


def _template(extension: str) -> Callable[..., str]:
    def renderer(table: Table, page: Page | None = None, companions: Sequence[Table] = (), nav: Nav = ()) -> str:
        text = render(f"{table.kind}.{extension}", table=table, cells=table.display(), nav=nav)
        return text.strip("\n") + "\n"

    return renderer


def latex_layout(table: Table, page: Page | None = None) -> Layout:
    """How `table` is set on `page` (default: portrait A4 at 12pt with 2.5 cm margins)."""
    return layout(table.columns, table.display(), page or Page(), table.long)


def render_latex(table: Table, page: Page | None = None, companions: Sequence[Table] = ()) -> str:
    """An \\input-ready table, or with `page.standalone` a whole document holding it and its companions
    (the chronology with the titles the appendix leaves out)."""
    page = page or Page()
    parts = [(t, t.display(), latex_layout(t, page)) for t in [table, *companions]]
    template = "appendix_document.tex" if page.standalone else f"{table.kind}.tex"
    text = render(template, table=table, cells=parts[0][1], layout=parts[0][2], parts=parts, page=page)
    return text.strip("\n") + "\n"


RENDERERS: dict[str, Callable[..., str]] = {
    "latex": render_latex,
    "markdown": _template("md"),
    "html": _template("html"),
    "csv": render_csv,
}
SUFFIXES = {".tex": "latex", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".csv": "csv"}


def render_table(table: Table, fmt: str, page: Page | None = None, companions: Sequence[Table] = (),
                 nav: Nav = ()) -> str:
    """The table in a format; `nav` (the site's links) goes to the HTML page only."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise OutputError(f"format {fmt!r} is unknown for a table; use one of {', '.join(RENDERERS)}")
    return renderer(table, page, companions, nav) if fmt == "html" else renderer(table, page, companions)


def format_for(suffix: str) -> str:
    """The format an appendix file's suffix names; an unknown suffix is an error, never a guess."""
    return format_of_suffix(suffix, SUFFIXES, "a table")


