"""Events of the chronology on a theme chart: labelled vertical markers, and the list beside the values.

A reader of a trend wants the events behind a change (a first joint exercise, a request to withdraw
foreign bases) on the chart itself. Each event becomes a numbered marker: a dashed line at its date (a
shaded band for a range or a month) and a short label in a band at the top of the plot. Labels that would
collide are stacked on further rows, measured after matplotlib has laid the figure out, so a dense year
stays readable; the plot's top is raised so no label covers a data point.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sco_decl.store.chronology import Chronology, Event

LABEL_CHARS = 30  # a label is the start of the description, cut at a word
LABEL_FONT = 6.5
GAP_PX = 6  # the least horizontal room between two labels on one row
KIND_COLOURS = {"summit": "#3b5b92", "heads-of-government": "#6a8d3a", "ministers": "#8a6d3b",
                "exercise": "#b23a48", "institution": "#5e4b8b", "international": "#2f7f7f"}
OTHER_COLOUR = "#6f6f6f"


@dataclass(frozen=True)
class Marker:
    """One event as a chart shows it: a number, its span, a short label and the full description."""

    number: int
    start: dt.date
    end: dt.date
    when: str
    kind: str
    kind_label: str
    label: str
    description: str
    declarations: tuple[str, ...] = ()

    @property
    def colour(self) -> str:
        return KIND_COLOURS.get(self.kind, OTHER_COLOUR)

    @property
    def span(self) -> bool:
        return self.end > self.start


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """The description's first words, within `limit` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


def markers(chronology: Chronology, events: Iterable[Event], first: dt.date, last: dt.date) -> list[Marker]:
    """Numbered markers for the events that overlap the years the chart covers, in date order."""
    inside = [e for e in events if e.date.end.year >= first.year and e.date.start.year <= last.year]
    return [Marker(number=i, start=e.date.start, end=e.date.end, when=e.date.display(), kind=e.kind,
                   kind_label=chronology.kind_label(e.kind), label=f"{i} {short_label(e.description)}",
                   description=e.description, declarations=e.declarations)
            for i, e in enumerate(inside, start=1)]


def select_events(chronology: Chronology, kinds: Sequence[str], themes: Sequence[str]) -> list[Event]:
    """The events a chart asked for: of `kinds` (none: every kind), tagged with `themes` if given."""
    return chronology.select(kinds=[k for k in kinds if k != "all"], themes=themes)


def rows_beside(dates: Sequence[dt.date], chosen: Sequence[Marker]) -> tuple[list[list[Marker]], list[Marker]]:
    """For each date (a declaration), the markers since the previous one up to it; and those after the last."""
    beside: list[list[Marker]] = [[] for _ in dates]
    after: list[Marker] = []
    for marker in chosen:
        index = next((i for i, d in enumerate(dates) if marker.start <= d), None)
        (beside[index] if index is not None else after).append(marker)
    return beside, after


# -- drawing -------------------------------------------------------------------------------------------------
def draw_markers(fig: Figure, ax: Axes, chosen: Sequence[Marker]) -> None:
    """Lines (or bands) at the events' dates and labels stacked so that none overlaps another."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not chosen:
        return
    left, right = ax.get_xlim()
    start = min(min(m.start for m in chosen), _date(left))
    end = max(max(m.end for m in chosen), _date(right))
    ax.set_xlim(min(left, _num(start)), max(right, _num(end)))
    labels = []
    for marker in chosen:
        if marker.span:
            band = ax.axvspan(_num(marker.start), _num(marker.end + dt.timedelta(days=1)), color=marker.colour,
                              alpha=0.12, linewidth=0, zorder=0)
            band.set_gid(f"event-span-{marker.number}")
        line = ax.axvline(_num(marker.start), color=marker.colour, linestyle=(0, (3, 2)), linewidth=0.8, zorder=1)
        line.set_gid(f"event-line-{marker.number}")
        text = ax.text(_num(marker.start), 1.0, marker.label, transform=ax.get_xaxis_transform(), fontsize=LABEL_FONT,
                       ha="left", va="top", color=marker.colour, zorder=5, clip_on=False,
                       bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        text.set_gid(f"event-{marker.number}")
        labels.append(text)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lay the figure out, so labels are measured where they will be
    renderer = canvas.get_renderer()
    right_edge = ax.get_window_extent(renderer).x1
    for label in labels:  # a label that would run past the plot (into the legend) reads leftwards instead
        if label.get_window_extent(renderer).x1 > right_edge:
            label.set_horizontalalignment("right")
    canvas.draw()  # again: the white boxes behind the labels are sized at draw time
    extents = [_box(label, renderer) for label in labels]
    rows = stack(extents)
    height = max(e.height for e in extents) + 1
    axes_height = ax.get_window_extent(renderer).height
    step = height / axes_height
    for label, row in zip(labels, rows):
        label.set_y(1.0 - 0.01 - row * step)
    band = 0.02 + (max(rows) + 1) * step
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, bottom + (top - bottom) / max(0.35, 1.0 - band))


def _box(label: Any, renderer: Any) -> Any:
    """The label's extent with its white box (what must not overlap), else the text's own."""
    patch = label.get_bbox_patch()
    return patch.get_window_extent(renderer) if patch is not None else label.get_window_extent(renderer)


def stack(extents: Sequence[Any]) -> list[int]:
    """The row of each label: the first row where it clears, by GAP_PX, every label already there."""
    rows: list[list[tuple[float, float]]] = []
    out = []
    for extent in extents:
        span = (extent.x0, extent.x1)
        for index, taken in enumerate(rows):
            if all(span[0] >= b + GAP_PX or span[1] + GAP_PX <= a for a, b in taken):
                taken.append(span)
                out.append(index)
                break
        else:
            rows.append([span])
            out.append(len(rows) - 1)
    return out


def _num(day: dt.date) -> float:
    from matplotlib.dates import date2num

    return float(date2num(day))


def _date(value: float) -> dt.date:
    from matplotlib.dates import num2date

    return num2date(value).date()
