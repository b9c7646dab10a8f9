"""Theme charts across years: a line per theme (or a heat map of all), and the values and passages behind it.

The data is a plain table (ChartData) built from the theme analysis with the very numbers `sco-decl themes
--format json` reports; the figure is drawn by matplotlib without pyplot (no display, no global state),
and each output format is one renderer in a dict keyed by file suffix. Figures carry their provenance in
the file metadata; the HTML page carries it in words, with the passages a reader can check.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

from sco_decl._version import __version__
from sco_decl.analysis.themes import report
from sco_decl.errors import OutputError, ScoDeclError
from sco_decl.outputs.chart_events import draw_markers, rows_beside
from sco_decl.outputs.csvout import csv_text
from sco_decl.outputs.render import render
from sco_decl.outputs.spans import segments as cut
from sco_decl.outputs.textable import text_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sco_decl.outputs.render import Nav

# metric name on the command line -> (key in the themes JSON, axis label, column suffix)
METRICS = {
    "rate": ("rate_per_1000", "Rate per 1,000 words", "rate"),
    "share": ("share", "Share of sentences", "share"),
    "count": ("matches", "Matches", "count"),
}
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<", ">", "p")
LINESTYLES = ("-", "--", "-.", ":")
SPARKS = "▁▂▃▄▅▆▇█"
DENSE = 30  # past this many declarations, label a subset of years and leave cells unlabelled
FIGSIZE = (7.0, 4.2)  # inches: fits a text block; 2100 x 1260 px at 300 dpi
DPI = 300
_RC = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "sco-decl", "font.family": "DejaVu Sans",
       "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


class UnknownMetricError(ScoDeclError):
    """A --metric that is not rate, share or count."""


@dataclass(frozen=True)
class Point:
    """One declaration on the x axis, with the revision its numbers come from."""

    ref: str
    id: str
    edition: str
    revision: int
    sha256: str
    date: dt.date
    place: str
    title: str
    variant: bool = False  # a second edition of the declaration of the point before: same place on the axis

    @property
    def label(self) -> str:
        """"2013 Valmora", or "2013 Valmora (wire)" for a variant."""
        return f"{self.date.year} {self.place}" + (f" ({self.edition})" if self.variant else "")


@dataclass(frozen=True)
class Style:
    """How big the figure is and how its text is set. `print` fits a 12pt A4 text block (16 cm) with
    type that stays legible when the page is printed; `screen` is the default for pages and slides."""

    width: float = 7.0  # inches
    height: float = 4.2
    font_size: float = 9.0
    preset: str = "screen"

    @classmethod
    def named(cls, preset: str, width: float | None = None, height: float | None = None,
              font_size: float | None = None) -> Style:
        if preset not in PRESETS:
            raise OutputError(f"style {preset!r} is unknown; use one of {', '.join(PRESETS)}")
        base = PRESETS[preset]
        return cls(width=width or base.width, height=height or base.height, font_size=font_size or base.font_size,
                   preset=preset)


PRESETS = {"screen": Style(), "print": Style(width=16 / 2.54, height=9.5 / 2.54, font_size=10.0, preset="print")}


def parse_length(value: str) -> float:
    """`16cm`, `160mm`, `6.3in` or `450pt` -> inches (a bare number is centimetres, as a thesis measures)."""
    import re

    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(cm|mm|in|pt)?\s*", value)
    if not match:
        raise OutputError(f"length {value!r} is not understood; write e.g. 16cm, 160mm, 6.3in or 450pt")
    number, unit = float(match.group(1)), match.group(2) or "cm"
    inches = number / {"cm": 2.54, "mm": 25.4, "in": 1.0, "pt": 72.27}[unit]
    if not 0.5 <= inches <= 40:
        raise OutputError(f"length {value!r} is out of range (1.3 cm to 1 m)")
    return inches


@dataclass(frozen=True)
class Passage:
    """A sentence behind a number: its locator and its text cut into (piece, is_match) segments."""

    locator: str
    index: int
    segments: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Series:
    """One theme's values, one per point, drawn in the theme's colour with its own marker."""

    theme: str
    label: str
    colour: str
    values: tuple[float, ...]


@dataclass
class ChartData:
    """Everything any renderer needs: points, series, passages per (theme, point) and provenance."""

    metric: str
    points: list[Point]
    series: list[Series]
    passages: dict[tuple[str, int], list[Passage]] = field(default_factory=dict)
    lexicon_sha256: str | None = None
    events: list[Any] = field(default_factory=list)  # chart_events.Marker: the chronology on the chart

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise UnknownMetricError(f"metric {self.metric!r} is unknown; use one of {', '.join(METRICS)}")

    @property
    def axis_label(self) -> str:
        return METRICS[self.metric][1]

    @property
    def column_suffix(self) -> str:
        return METRICS[self.metric][2]

    def only(self, theme_ids: Sequence[str]) -> ChartData:
        """The same chart with only these themes' series and passages, in this order: what from_analyses
        gives for those themes, without reading every analysis again (the site draws a chart per theme)."""
        by_id = {s.theme: s for s in self.series}
        wanted = set(theme_ids)
        return ChartData(metric=self.metric, points=self.points, series=[by_id[t] for t in theme_ids],
                         passages={k: v for k, v in self.passages.items() if k[0] in wanted},
                         lexicon_sha256=self.lexicon_sha256, events=self.events)

    def rows(self) -> list[dict[str, Any]]:
        """One row per point with the value of every series, for tables."""
        return [{"point": p, "values": [s.values[i] for s in self.series]} for i, p in enumerate(self.points)]


def default_title(data: ChartData, heatmap: bool = False) -> str:
    years = sorted({p.date.year for p in data.points})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    what = "Themes" if heatmap or len(data.series) > 3 else ", ".join(s.label for s in data.series)
    return f"{what}: {data.axis_label.lower()}, {span}"


def _format_value(value: float, metric: str) -> str:
    if value != value:  # NaN: the text's language has no wordings for the theme (a null count)
        return "n/a"
    if metric == "count":
        return str(int(value))
    if metric == "share":
        return f"{100 * value:.1f}%"
    return f"{value:.2f}"


# -- from the theme analysis ---------------------------------------------------------------------------
def from_analyses(analyses: Sequence[Any], lexicon: Any, chosen: Sequence[Any], metric: str = "rate") -> ChartData:
    """Points, series and passages from DocumentAnalysis objects; values copied from the themes report."""
    if metric not in METRICS:
        raise UnknownMetricError(f"metric {metric!r} is unknown; use one of {', '.join(METRICS)}")
    documents = report(analyses, lexicon, False)["documents"]
    key = METRICS[metric][0]
    points = [Point(ref=a.ref, id=a.id, edition=a.edition, revision=a.revision_number, sha256=a.sha256,
                    date=_as_date(a.date), place=a.place, title=a.title,
                    variant=i > 0 and analyses[i - 1].id == a.id) for i, a in enumerate(analyses)]
    series = [Series(theme=t.id, label=t.label, colour=t.colour,
                     values=tuple(_value(doc["themes"][t.id][key]) for doc in documents)) for t in chosen]
    wanted = {t.id for t in chosen}
    passages: dict[tuple[str, int], list[Passage]] = {}
    for i, analysis in enumerate(analyses):
        by_sentence: dict[tuple[str, int], list[Any]] = {}
        for match in analysis.matches:
            if match.theme in wanted:
                by_sentence.setdefault((match.theme, _sentence_index(match)), []).append(match)
        for (theme, index), matches in sorted(by_sentence.items(), key=lambda kv: kv[0][1]):
            sentence = analysis.sentences[index]
            spans = [(m.start, m.end) for m in matches]
            passages.setdefault((theme, i), []).append(
                Passage(locator=sentence.locator, index=index, segments=segments(sentence.text, spans)))
    return ChartData(metric=metric, points=points, series=series, passages=passages,
                     lexicon_sha256=getattr(lexicon, "sha256", None))


def _value(value: float | None) -> float:
    """A null count (a theme the text's language has no wordings for) is NaN: a gap in the line, n/a in
    tables, never a zero."""
    return float("nan") if value is None else value


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _sentence_index(match: Any) -> int:
    sentence = match.sentence
    return sentence if isinstance(sentence, int) else sentence.index


def segments(text: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    """Cut a sentence into (piece, is_match) around character spans, merging spans that overlap."""
    return tuple((seg.text, bool(seg.themes)) for seg in cut(text, [(s, e, "match") for s, e in spans]))


# -- figures -------------------------------------------------------------------------------------------
def _new_figure(size: tuple[float, float]) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=DPI, layout="constrained")


def _labelled(points: Sequence[Point]) -> Sequence[Point]:
    """Every point while a label per point stays readable; past DENSE points, an even subset."""
    if len(points) <= DENSE:
        return points
    step = -(-len(points) // DENSE)
    return points[::step]


def _date_axis(ax: Any, points: Sequence[Point], style: Style) -> None:
    """A tick per declaration labelled with its year, and its summit city written above the plot in a
    size and colour that survive printing (for a long series, a readable subset of years and no cities)."""
    firsts = [p for p in points if not p.variant]
    if firsts:
        first, last = min(p.date for p in firsts), max(p.date for p in firsts)
        pad = max(dt.timedelta(days=120), (last - first) * 0.06)
        ax.set_xlim(first - pad, last + pad)
    shown = _labelled(firsts)
    ax.set_xticks([p.date for p in shown], [str(p.date.year) for p in shown])
    if len(firsts) > DENSE:
        return
    for point in firsts:
        ax.axvline(point.date, color="#d9d9de", linewidth=0.6, zorder=0)
        ax.annotate(point.place, xy=(point.date, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                    textcoords="offset points", ha="left", va="bottom", rotation=35 if len(firsts) <= 12 else 60,
                    fontsize=style.font_size * 0.85, color="#3c4043", rotation_mode="anchor")


def _coinciding(data: ChartData) -> bool:
    """Whether two series share a value at some point (their markers would hide one another)."""
    return any(len({s.values[i] for s in data.series}) < len(data.series) for i in range(len(data.points)))


def _dodge(data: ChartData) -> dt.timedelta:
    """How far apart, along the time axis, series are drawn when some of them coincide: about the width
    of a marker, so each stays visible beside the other (no shift when none coincide)."""
    if len(data.series) < 2 or not _coinciding(data) or not data.points:
        return dt.timedelta(0)
    dates = [p.date for p in data.points]
    span = max((max(dates) - min(dates)).days, 365)
    return dt.timedelta(days=span * 0.02)


def line_figure(data: ChartData, title: str | None = None, style: Style = Style()) -> Figure:
    """One line per theme in its lexicon colour; markers and dash patterns keep them apart in greyscale.

    Series that coincide are drawn side by side, a few points apart, so both stay visible; a second edition
    of a declaration is a hollow marker at the declaration's place, labelled with its edition, off the line
    (the line joins one edition per declaration, never an edition to its own translation).
    """
    from matplotlib.ticker import PercentFormatter

    fig = _new_figure((style.width, style.height))
    ax = fig.add_subplot()
    main = [i for i, p in enumerate(data.points) if not p.variant]
    variants = [i for i, p in enumerate(data.points) if p.variant]
    step = _dodge(data)
    handles: list[Any] | None = None
    for n, series in enumerate(data.series):
        shift = step * (n - (len(data.series) - 1) / 2)
        marker = MARKERS[n % len(MARKERS)]
        xs: Any = [data.points[i].date + shift for i in main]  # dates: matplotlib's stubs expect numbers
        (line,) = ax.plot(xs, [series.values[i] for i in main],
                          color=series.colour, marker=marker,
                          linestyle=LINESTYLES[(n // len(MARKERS) + n) % len(LINESTYLES)], linewidth=1.4,
                          markersize=5, markeredgecolor="black", markeredgewidth=0.5, label=series.label)
        line.set_gid(f"series-{series.theme}")
        if variants:
            xv: Any = [data.points[i].date + shift for i in variants]
            (extra,) = ax.plot(xv, [series.values[i] for i in variants],
                               linestyle="none", marker=marker, markersize=6, markerfacecolor="white",
                               markeredgecolor=series.colour, markeredgewidth=1.3)
            extra.set_gid(f"variants-{series.theme}")
    for i in variants:  # one label per variant, above its highest marker
        top = max((s.values[i] for s in data.series), default=0)
        ax.annotate(data.points[i].edition, xy=(data.points[i].date, top), xytext=(0, 7),
                    textcoords="offset points", ha="center", fontsize=style.font_size * 0.8, color="#3c4043")
    if variants:
        from matplotlib.lines import Line2D

        names = ", ".join(dict.fromkeys(f"{data.points[i].date.year} {data.points[i].edition}" for i in variants))
        handles, _ = ax.get_legend_handles_labels()
        handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                              markeredgecolor="#3c4043", label=f"other edition ({names})"))
    _date_axis(ax, data.points, style)
    ax.set_ylabel(data.axis_label)
    ax.set_ylim(bottom=0)
    if data.metric == "share":
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    if data.metric == "count":
        ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # matplotlib's stubs
    ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
    if title != "":
        ax.set_title(title or default_title(data), loc="left", pad=34 * style.font_size / 9,
                     fontsize=style.font_size * 1.1)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              fontsize=style.font_size * 0.9)
    if data.events:
        draw_markers(fig, ax, data.events)
    return fig


def heatmap_figure(data: ChartData, title: str | None = None, style: Style = Style()) -> Figure:
    """Themes (rows) by declarations (columns), each cell labelled with its value; a second edition of a
    declaration is a column beside it labelled with its edition."""
    rows, cols = len(data.series), len(data.points)
    scale = style.font_size / 9
    size = (min(16.0, max(5.0, 1.6 + 0.9 * cols)) * scale, max(2.5, 1.2 + 0.32 * rows) * scale)
    if style.preset != "screen" or style != Style():
        size = (style.width, max(style.height, size[1]))
    fig = _new_figure(size)
    ax = fig.add_subplot()
    matrix = [list(s.values) for s in data.series]
    top = max((v for row in matrix for v in row), default=0) or 1
    image = ax.imshow(matrix or [[0]], cmap="Blues", vmin=0, vmax=top, aspect="auto")
    image.set_gid("heatmap")
    if cols <= DENSE:
        ax.set_xticks(range(cols), [f"{p.date.year}\n{p.place}" + (f"\n({p.edition})" if p.variant else "")
                                    for p in data.points], fontsize=7 * scale)
    else:  # a long series: a readable subset of years, and the values in the table below, not in cells
        shown = _labelled(list(range(cols)))  # type: ignore[arg-type]
        ax.set_xticks(list(shown), [str(data.points[c].date.year) for c in shown], fontsize=7 * scale)  # type: ignore[arg-type, call-overload]  # matplotlib's stubs
    ax.set_yticks(range(rows), [s.label for s in data.series], fontsize=7 * scale)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for r, row in enumerate(matrix if cols <= DENSE else []):
        for c, value in enumerate(row):
            ax.text(c, r, _format_value(value, data.metric), ha="center", va="center", fontsize=6 * scale,
                    color="white" if value > 0.6 * top else "black")
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(data.axis_label, fontsize=7 * scale)
    bar.ax.tick_params(labelsize=7 * scale)
    if title != "":
        ax.set_title(title or default_title(data, heatmap=True), loc="left", fontsize=10 * scale)
    return fig


def _metadata(data: ChartData, fmt: str, title: str) -> dict[str, Any]:
    revisions = "; ".join(f"{p.ref} sha256:{p.sha256}" for p in data.points)
    text = f"{title}. Texts: {revisions}."
    if fmt == "png":
        return {"Title": title, "Software": f"sco-decl {__version__}", "Description": text}
    if fmt == "pdf":
        return {"Title": title, "Creator": f"sco-decl {__version__}", "Subject": text, "CreationDate": None,
                "ModDate": None}
    return {"Title": title, "Creator": f"sco-decl {__version__}", "Description": text, "Date": None}


def figure_bytes(fig: Figure, fmt: str, data: ChartData, title: str, *, text_as_text: bool = False,
                 style: Style = Style()) -> bytes:
    """Save the figure as svg, png (300 dpi) or pdf (TrueType fonts embedded), reproducibly.

    `text_as_text` keeps SVG text as <text> elements (the browser draws it) instead of glyph outlines:
    right for a page, several times faster to write; a standalone .svg keeps outlines so it looks the
    same in LaTeX or Word on any machine.
    """
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({**_RC, "font.size": style.font_size,  # type: ignore[dict-item]  # matplotlib's stubs
                                "svg.fonttype": "none" if text_as_text else "path"}):
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=_metadata(data, fmt, title))
    return buffer.getvalue()


def build_figure(data: ChartData, heatmap: bool, title: str | None, style: Style = Style()) -> Figure:
    """The figure; `title=""` draws none (the HTML page says it in its heading)."""
    import matplotlib

    with matplotlib.rc_context({**_RC, "font.size": style.font_size}):  # type: ignore[dict-item]  # matplotlib's stubs
        return heatmap_figure(data, title, style) if heatmap else line_figure(data, title, style)


# -- renderers by suffix -------------------------------------------------------------------------------
def _inline_svg(svg: bytes) -> str:
    """The <svg> element alone (no XML declaration or DOCTYPE), ready to sit inside HTML."""
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]


def _render_image(fmt: str) -> Callable[..., bytes]:
    def renderer(data: ChartData, heatmap: bool, title: str, style: Style = Style()) -> bytes:
        return figure_bytes(build_figure(data, heatmap, title, style), fmt, data, title, style=style)

    return renderer


def render_csv(data: ChartData, heatmap: bool, title: str, style: Style = Style()) -> str:
    """One row per declaration: provenance columns, `<theme>_<metric>` at full precision, tool_version."""
    header = (["id", "date", "place", "edition", "revision", "sha256"]
              + [f"{s.theme}_{data.column_suffix}" for s in data.series] + ["tool_version"])
    return csv_text(header, ([row["point"].id, row["point"].date.isoformat(), row["point"].place,
                              row["point"].edition, row["point"].ref, row["point"].sha256]
                             + ["" if v != v else repr(float(v)) if data.metric != "count" else int(v)
                                for v in row["values"]]
                             + [f"sco-decl {__version__}"] for row in data.rows()))


def render_html(data: ChartData, heatmap: bool, title: str, style: Style = Style(), nav: Nav = ()) -> str:
    """A page with the figure as inline SVG, the table of values and the passages behind each number.

    The page's heading is the title, so the figure is drawn without one and shown as wide as the page.
    """
    svg = _inline_svg(figure_bytes(build_figure(data, heatmap, "", style), "svg", data, title, text_as_text=True,
                                   style=style))
    years = [{"point": p, "themes": [{"series": s, "value": _format_value(s.values[i], data.metric),
                                      "passages": data.passages.get((s.theme, i), [])}
                                     for s in data.series]}
             for i, p in enumerate(data.points)]

    beside, after = rows_beside([p.date for p in data.points], data.events)
    return render("chart.html", title=title, svg=svg, data=data, heatmap=heatmap, years=years, nav=nav,
                  cells=[[_format_value(v, data.metric) for v in row["values"]] for row in data.rows()],
                  events_beside=beside, events_after=after)


RENDERERS: dict[str, Callable[..., str | bytes]] = {
    ".html": render_html,
    ".svg": _render_image("svg"),
    ".png": _render_image("png"),
    ".pdf": _render_image("pdf"),
    ".csv": render_csv,
}


def render_chart(data: ChartData, suffix: str, *, heatmap: bool = False, title: str | None = None,
                 style: Style = Style(), nav: Nav = ()) -> str | bytes:
    """The chart in the format the output file's suffix names."""
    renderer = RENDERERS.get(suffix.lower())
    if renderer is None:
        raise OutputError(f"output suffix {suffix or '(none)'!r} is unknown for a chart; use one of "
                          f"{', '.join(RENDERERS)}")
    if not data.points:
        raise OutputError("nothing to chart: no declaration has text; add texts with `sco-decl fetch` or "
                          "`sco-decl add`")
    if renderer is render_html:  # the one page format: it may sit in the site, with its links
        return render_html(data, heatmap, title or default_title(data, heatmap), style, nav)
    return renderer(data, heatmap, title or default_title(data, heatmap), style)


def sparkline(values: Sequence[float]) -> str:
    """Eight-level bars scaled from zero to the series' maximum (all zero: the lowest bar)."""
    if any(v != v for v in values):
        return "".join(" " if v != v else sparkline([v if v == v else 0.0 for v in values])[i]
                       for i, v in enumerate(values))
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, int(round(v / top * (len(SPARKS) - 1))))] for v in values)


def terminal_table(data: ChartData) -> str:
    """A compact table for the terminal: one row per theme, a column per declaration and a sparkline."""
    headers = ["theme"] + [p.label for p in data.points] + ["trend"]
    rows = [[s.theme] + [_format_value(v, data.metric) for v in s.values] + [sparkline(s.values)]
            for s in data.series]
    note = (f"{data.axis_label}; texts: "
            + ", ".join(f"{p.ref} ({p.sha256[:12]})" for p in data.points) + f"; sco-decl {__version__}\n")
    return text_table(headers, rows, numeric=range(1, len(headers) - 1)) + note
