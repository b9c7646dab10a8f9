"""Events of the chronology on theme charts: labelled markers in the SVG, labels that never overlap (even
in a dense year), the kinds and themes asked for, and the HTML list beside the values."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import combinations

from clicheck import one_line_error

LABEL_BOX = re.compile(r'<g id="event-(\d+)">\s*<g id="patch_\d+">\s*<path d="M ([\d.]+) ([\d.]+) \s*'
                       r'L ([\d.]+) ([\d.]+) \s*L ([\d.]+) ([\d.]+) \s*L ([\d.]+) ([\d.]+) \s*z')


def label_boxes(svg: str) -> dict[int, tuple[float, float, float, float]]:
    """Each event label's white box (x0, y0, x1, y1) as the SVG draws it."""
    boxes = {}
    for match in LABEL_BOX.finditer(svg):
        xs = [float(match.group(i)) for i in (2, 4, 6, 8)]
        ys = [float(match.group(i)) for i in (3, 5, 7, 9)]
        boxes[int(match.group(1))] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def overlapping(boxes: dict[int, tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    return [(a, b) for (a, p), (b, q) in combinations(sorted(boxes.items()), 2)
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]]


def test_markers_are_in_the_svg_with_their_labels(cli, mco_root, tmp_path):
    out = tmp_path / "chart.svg"
    assert cli("--texts", mco_root, "chart", "terrorism", "--events", "-o", out).exit_code == 0
    svg = out.read_text("utf-8")
    # 2009 lies before the first declaration's year; the other ten events and the catalog's 2014 summit show
    assert sorted(int(n) for n in re.findall(r'<g id="event-line-(\d+)">', svg)) == list(range(1, 12))
    assert "<!-- 5 The permanent secretariat\u2026 -->" in svg  # matplotlib keeps drawn text as a comment
    assert "<!-- 8 First Meridian business forum -->" in svg
    assert re.search(r'<g id="event-span-\d+">', svg)  # a month or a range is a band, not only a line
    boxes = label_boxes(svg)
    assert len(boxes) == 11 and not overlapping(boxes)


def test_a_dense_year_stays_readable(cli, mco_corpus, tmp_path):
    root = mco_corpus.root
    for day in range(1, 7):  # six more events in the first week of May 2013, beside four already that spring
        assert cli("--texts", root, "event", "add", "--date", f"2013-05-0{day}", "--place", "Valmora", "--kind",
                   "ministers", "--description", f"Preparatory meeting number {day} of the Valmora summit",
                   "--theme", "multipolarity").exit_code == 0
    out = tmp_path / "dense.svg"
    assert cli("--texts", root, "chart", "multipolarity", "--events", "ministers", "summit", "forum",
               "-o", out).exit_code == 0
    svg = out.read_text("utf-8")
    boxes = label_boxes(svg)
    assert len(boxes) == 6 + 6 + 1  # the six meetings, six summits (one from the catalog) and the forum
    assert not overlapping(boxes)
    rows = {round(box[1], 1) for box in boxes.values()}
    assert len(rows) >= 6  # stacked on rows, not drawn over one another
    labels = re.findall(r"<!-- \d+ ([^>]*?) -->", svg)
    assert "Second summit: the Charter\u2026" in labels and not [t for t in labels if "exercise" in t.lower()]


def test_kinds_and_the_charted_themes_choose_the_events(cli, mco_root, tmp_path):
    out = tmp_path / "a.svg"
    cli("--texts", mco_root, "chart", "terrorism", "--events", "exercise", "-o", out)
    assert re.findall(r"<!-- (\d+ [^>]*?) -->", out.read_text("utf-8"))[:0] == []
    labels = re.findall(r"<!-- (\d+) ([^>]*?) -->", out.read_text("utf-8"))
    assert [text for _, text in labels if _ in ("1", "2")] == ["First joint border exercise\u2026",
                                                                "Joint exercise Meridian\u2026"]
    cli("--texts", mco_root, "chart", "multipolarity", "--events", "--events-theme", "-o", out)
    labels = re.findall(r'<g id="event-line-(\d+)">', out.read_text("utf-8"))
    assert labels == ["1"]  # the one event tagged multipolarity: the Valmora summit
    assert "<!-- 1 Third summit, on a just\u2026 -->" in out.read_text("utf-8")


class _Values(HTMLParser):
    """The values table: for each declaration row, the texts of its events cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_events = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        if tag == "li" and (dict(attrs).get("id") or "").startswith("chart-event-"):
            self._in_events = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._in_events = False

    def handle_data(self, data: str) -> None:
        if self._in_events:
            self.rows[-1][-1] += data


def test_html_lists_the_events_beside_the_values(cli, mco_root, tmp_path):
    out = tmp_path / "chart.html"
    assert cli("--texts", mco_root, "chart", "terrorism", "--events", "-o", out).exit_code == 0
    page = out.read_text("utf-8")
    assert "Events up to this declaration" in page
    parser = _Values()
    parser.feed(page.split('<table class="values">')[1].split("</table>")[0])
    cells = [row for row in parser.rows[1:]]  # one per declaration, after the header row
    assert len(cells) == 6
    assert len(cells[0]) == 1 and "Founding summit of the Meridian Cooperation Organization" in cells[0][0]
    assert [len(c) for c in cells] == [1, 2, 4, 2, 1, 1]  # the forum, after Valmora, goes with 2014
    assert any("The permanent secretariat opens in Tessaly" in e and "18 March 2013" in e for e in cells[2])
    svg_labels = re.findall(r'<g id="event-(\d+)">', page)
    assert len(svg_labels) == 11  # the same events, numbered alike, on the inline figure


def test_misused_event_options(cli, mco_root):
    assert cli("--texts", mco_root, "chart", "--all-themes", "--events", "-o", "x.html").exit_code == 2
    assert cli("--texts", mco_root, "chart", "terrorism", "--events-theme", "-o", "x.html").exit_code == 2
    one_line_error(cli("--texts", mco_root, "chart", "terrorism", "--events", "parade", "-o", "x.svg"),
                   "unknown theme 'parade'")
