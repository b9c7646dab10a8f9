"""Charts: the figure files open with the expected size and series, and the command handles bad input."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from sco_decl._version import __version__
from sco_decl.outputs import chart as ch
from sco_decl.errors import OutputError
from clicheck import one_line_error, unwritable_folder

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def unwritable_dir(tmp_path):
    return unwritable_folder(tmp_path)


@pytest.fixture
def data():
    points = [ch.Point(f"{y}-{c.lower()}@secretariat:r1", f"{y}-{c.lower()}", "secretariat", 1, f"{y:04d}" * 16,
                       dt.date(y, 6, 15), c, f"Declaration of {c}")
              for y, c in [(2011, "Lisk"), (2012, "Kestrel"), (2013, "Valmora"), (2014, "Tessaly")]]
    series = [ch.Series("sovereignty", "Sovereignty", "#1f77b4", (1.0, 2.0, 1 / 3, 3.0)),
              ch.Series("terrorism", "Terrorism", "#d62728", (4.0, 0.0, 2.5, 1.0)),
              ch.Series("multipolarity", "Multipolarity", "#2ca02c", (0.0, 0.5, 0.5, 0.0))]
    passages = {("sovereignty", 2): [ch.Passage("§I ¶2", 5, (("They respect the ", False), ("sovereignty", True),
                                                              (" of <b>states</b>.", False)))]}
    return ch.ChartData("rate", points, series, passages, lexicon_sha256="f" * 64)


def test_figure_objects_one_series_per_theme_in_its_colour_with_distinct_markers(data):
    fig = ch.build_figure(data, heatmap=False, title=None)
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if (line.get_gid() or "").startswith("series-")]
    assert [line.get_gid() for line in lines] == ["series-sovereignty", "series-terrorism", "series-multipolarity"]
    assert [line.get_color() for line in lines] == ["#1f77b4", "#d62728", "#2ca02c"]
    assert len({line.get_marker() for line in lines}) == 3 and len({line.get_linestyle() for line in lines}) >= 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2011", "2012", "2013", "2014"]
    assert [t.get_text() for t in ax.texts] == ["Lisk", "Kestrel", "Valmora", "Tessaly"]
    assert ax.get_ylabel() == "Rate per 1,000 words"
    assert list(lines[0].get_ydata()) == [1.0, 2.0, 1 / 3, 3.0]


def test_svg_counts_series_and_is_reproducible(data):
    svg = ch.render_chart(data, ".svg", title="Three themes")
    assert svg == ch.render_chart(data, ".svg", title="Three themes")  # no timestamp, fixed ids
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("504pt", "302.4pt")  # 7 x 4.2 inches
    ids = [g.get("id") for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("series-")]
    assert ids == ["series-sovereignty", "series-terrorism", "series-multipolarity"]
    assert root.find(f"{SVG}title").text == "Three themes"
    text = svg.decode("utf-8")
    for city in ("Lisk", "Kestrel", "Valmora", "Tessaly"):
        assert f"<!-- {city} -->" in text
    assert "2013-valmora@secretariat:r1 sha256:" + "2013" * 16 in text  # provenance in the metadata


def test_png_is_300_dpi_at_the_expected_size(data, tmp_path):
    from PIL import Image

    png = ch.render_chart(data, ".png")
    path = tmp_path / "c.png"
    path.write_bytes(png)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (2100, 1260)
        assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)
        assert "sco-decl" in image.info["Software"] and "sha256:" + "2011" * 16 in image.info["Description"]


def test_pdf_embeds_truetype_fonts(data, tmp_path):
    from pypdf import PdfReader

    pdf = ch.render_chart(data, ".pdf")
    assert pdf == ch.render_chart(data, ".pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((504, 302.4))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        assert font["/Subtype"] in ("/TrueType", "/Type0")  # Type 42: TrueType (CID-keyed for Unicode)
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
            assert font["/Subtype"] == "/CIDFontType2"
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # the glyphs travel with the file
    assert "sco-decl" in reader.metadata["/Creator"]
    assert "sha256:" + "2014" * 16 in reader.metadata["/Subject"]


def test_csv_keeps_full_precision_and_provenance(data):
    rows = list(csv.DictReader(io.StringIO(ch.render_chart(data, ".csv"))))
    assert list(rows[0]) == ["id", "date", "place", "edition", "revision", "sha256", "sovereignty_rate",
                             "terrorism_rate", "multipolarity_rate", "tool_version"]
    assert rows[2]["sovereignty_rate"] == repr(1 / 3) and rows[2]["sha256"] == "2013" * 16
    assert rows[0]["tool_version"] == f"sco-decl {__version__}"
    assert [r["place"] for r in rows] == ["Lisk", "Kestrel", "Valmora", "Tessaly"]


def test_html_has_inline_svg_values_passages_and_provenance(data):
    page = ch.render_chart(data, ".html", title="Three <themes>")
    assert page.count("<svg") == 1 and "<?xml" not in page and "<!DOCTYPE svg" not in page
    assert "<h1>Three &lt;themes&gt;</h1>" in page
    assert page.count('id="series-') == 3
    values = re.search(r'<table class="values">(.*?)</table>', page, flags=re.S).group(1)
    assert values.count("<tr>") == 5 and ">0.33<" in values and ">4.00<" in values
    assert "<mark>sovereignty</mark> of &lt;b&gt;states&lt;/b&gt;." in page  # the passage, escaped
    assert "§I ¶2" in page and "No sentence of this declaration speaks of this theme." in page
    for year in ("2011", "2012", "2013", "2014"):
        assert year * 16 in page  # every revision's sha256
    assert "f" * 64 in page and "sco-decl" in page


def test_heat_map_in_every_format(data):
    fig = ch.build_figure(data, heatmap=True, title=None)
    ax = fig.axes[0]
    assert len(ax.texts) == 12 and [t.get_text() for t in ax.get_yticklabels()] == \
        ["Sovereignty", "Terrorism", "Multipolarity"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2011\nLisk", "2012\nKestrel", "2013\nValmora",
                                                           "2014\nTessaly"]
    svg = ch.render_chart(data, ".svg", heatmap=True)
    assert b'id="heatmap"' in svg and b'id="series-' not in svg
    assert ch.render_chart(data, ".png", heatmap=True)[:8] == b"\x89PNG\r\n\x1a\n"
    assert ch.render_chart(data, ".pdf", heatmap=True)[:5] == b"%PDF-"
    assert "<svg" in ch.render_chart(data, ".html", heatmap=True)


def test_share_and_count_metrics(data):
    share = ch.ChartData("share", data.points, data.series)
    assert ch.build_figure(share, False, None).axes[0].get_ylabel() == "Share of sentences"
    assert "33.3%" in ch.terminal_table(share)
    count = ch.ChartData("count", data.points, [ch.Series("t", "T", "#000000", (1, 2, 3, 4))])
    assert list(csv.reader(io.StringIO(ch.render_chart(count, ".csv"))))[1][-2] == "1"
    with pytest.raises(ch.UnknownMetricError, match="rate, share, count"):
        ch.ChartData("mean", data.points, data.series)


def test_terminal_table_and_sparkline(data):
    assert ch.sparkline([0, 1, 2, 4]) == "▁▃▅█" and ch.sparkline([0, 0]) == "▁▁"
    table = ch.terminal_table(data)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["theme", "2011", "Lisk"]
    assert re.match(r"^sovereignty\s+1\.00\s+2\.00\s+0\.33\s+3\.00\s+▃▆▂█$", lines[2])
    assert "(201120112011)" in table  # short sha of each text


def test_segments_merge_overlapping_spans():
    assert ch.segments("abcdefgh", [(5, 7), (1, 3), (2, 4)]) == (("a", False), ("bcd", True), ("e", False),
                                                                ("fg", True), ("h", False))


def test_unknown_suffix_is_an_error(data):
    with pytest.raises(OutputError, match="'.txt' is unknown"):
        ch.render_chart(data, ".txt")


# -- the command on the MCO corpus ---------------------------------------------------------------------
def themes_json(cli, root) -> dict:
    return json.loads(cli("--texts", root, "themes", "--format", "json").output)


def test_cli_chart_files_match_the_themes_report(cli, mco_root, tmp_path):
    report = themes_json(cli, mco_root)
    out = tmp_path / "chart.csv"
    result = cli("--texts", mco_root, "chart", "sovereignty", "non-interference", "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert len(rows) == len(report["documents"]) == 6  # one default text per declaration
    for doc, row in zip(report["documents"], rows):
        assert row["revision"] == doc["ref"]
        assert float(row["sovereignty_rate"]) == doc["themes"]["sovereignty"]["rate_per_1000"]
        assert float(row["non-interference_rate"]) == doc["themes"]["non-interference"]["rate_per_1000"]
    svg = tmp_path / "chart.svg"
    cli("--texts", mco_root, "chart", "sovereignty", "terrorism", "multipolarity", "2012", "2014", "-o", svg)
    root = ET.fromstring(svg.read_bytes())
    assert len([g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("series-")]) == 3
    assert "<!-- Kestrel -->" in svg.read_text() and "<!-- Port Alder -->" not in svg.read_text()


def test_cli_chart_colours_come_from_the_lexicon(cli, mco_root, tmp_path):
    from sco_decl.analysis.lexicon import load_lexicon

    lexicon = load_lexicon()
    out = tmp_path / "c.svg"
    cli("--texts", mco_root, "chart", "terrorism", "sovereignty", "-o", out)
    text = out.read_text()
    for theme_id in ("terrorism", "sovereignty"):
        colour = lexicon.get(theme_id).colour.lower()
        group = re.search(rf'<g id="series-{theme_id}">(.*?)</g>', text, flags=re.S).group(1)
        assert f"stroke: {colour}" in group.lower()


def test_cli_chart_table_and_default_html_name(cli, mco_root, tmp_path, monkeypatch):
    table = cli("--texts", mco_root, "chart", "terrorism", "--table").output
    assert table.startswith("theme") and "terrorism" in table and "2016 Port Alder" in table
    assert any(c in table for c in ch.SPARKS)
    monkeypatch.chdir(tmp_path)
    result = cli("--texts", mco_root, "chart", "terrorism", "sovereignty")
    assert result.exit_code == 0 and (tmp_path / "chart-terrorism-sovereignty.html").is_file()
    page = (tmp_path / "chart-terrorism-sovereignty.html").read_text("utf-8")
    assert "<svg" in page and "<mark>" in page and "2011-port-alder@secretariat:r1" in page
    heat = cli("--texts", mco_root, "chart", "--all-themes", "-o", tmp_path / "h.svg")
    assert heat.exit_code == 0 and b'id="heatmap"' in (tmp_path / "h.svg").read_bytes()


def test_cli_chart_bad_input(cli, mco_corpus, tmp_path, unwritable_dir):
    texts = mco_corpus.root
    one_line_error(cli("--texts", texts, "chart", "soverignty"), "unknown theme 'soverignty'",
                   "did you mean 'sovereignty'")
    bad = tmp_path / "c.txt"
    one_line_error(cli("--texts", texts, "chart", "terrorism", "-o", bad), "'.txt' is unknown", ".png")
    assert not bad.exists()
    missing = tmp_path / "missing" / "c.png"
    one_line_error(cli("--texts", texts, "chart", "terrorism", "-o", missing), "does not exist")
    one_line_error(cli("--texts", texts, "chart", "terrorism", "-o", unwritable_dir / "c.png"), "cannot write")
    assert not (unwritable_dir / "c.png").exists()
    mco_corpus.new_declaration("2017-lisk", title="Lisk Declaration", date="2017-06-09", place="Lisk")
    mco_corpus.new_declaration("2018-harrowgate", title="Harrowgate Declaration", date="2018-06-09",
                               place="Harrowgate")
    result = cli("--texts", texts, "chart", "terrorism", "2017", "2018", "-o", tmp_path / "x.png")
    one_line_error(result, "2017-lisk", "2018-harrowgate", "sco-decl fetch")
    assert not (tmp_path / "x.png").exists()
    assert cli("--texts", texts, "chart").exit_code == 2  # no theme: a usage error
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_cli_chart_html_passages_are_the_sentences_behind_each_number(cli, mco_root, tmp_path):
    report = themes_json(cli, mco_root)
    target = tmp_path / "c.html"
    assert cli("--texts", mco_root, "chart", "terrorism", "multipolarity", "-o", target).exit_code == 0
    page = target.read_text("utf-8")
    sections = re.findall(r'<section id="year-(\d+)">(.*?)</section>', page, flags=re.S)
    assert len(sections) == len(report["documents"])
    for (index, body), doc in zip(sections, report["documents"]):
        blocks = re.findall(r"<details.*?</details>", body, flags=re.S)
        assert len(blocks) == 2
        for block, theme in zip(blocks, ("terrorism", "multipolarity")):
            assert block.count("<li>") == doc["themes"][theme]["sentences"]
            assert block.count("<mark>") >= min(1, doc["themes"][theme]["matches"])
            assert f'{doc["themes"][theme]["rate_per_1000"]:.2f}' in block.split("</summary>")[0]
        assert doc["ref"] in body and doc["sha256"] in page


def test_cli_chart_and_appendix_on_a_corpus_without_text(cli, tmp_path):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(tmp_path / "t")
    corpus.new_declaration("2017-lisk", title="Lisk Declaration", date="2017-06-09", place="Lisk")
    one_line_error(cli("--texts", corpus.root, "chart", "terrorism", "--table"), "has text yet", "sco-decl fetch")
    one_line_error(cli("--texts", corpus.root, "appendix"), "has text yet", "sco-decl add")
    assert "2017-06-09" in cli("--texts", corpus.root, "appendix", "--chronology", "--format", "csv").output


def test_a_long_series_stays_readable_and_bounded(tmp_path):
    """1,000 declarations: a subset of year ticks, no per-point city labels or cell numbers, a capped width."""
    import datetime as dt

    from sco_decl.outputs.chart import DENSE, ChartData, Point, Series, heatmap_figure, line_figure

    points = [Point(ref=f"{1001 + i}-x@e:r1", id=f"{1001 + i}-x", edition="e", revision=1, sha256="0" * 64,
                    date=dt.date(1001 + i, 6, 15), place="Lisk", title="T") for i in range(1000)]
    series = [Series(theme=f"t{k}", label=f"Theme {k}", colour="#336699",
                     values=tuple(float((i * (k + 3)) % 7) for i in range(1000))) for k in range(3)]
    data = ChartData(metric="rate", points=points, series=series)
    line = line_figure(data)
    ax = line.axes[0]
    assert len(ax.get_xticks()) <= DENSE and not [t for t in ax.texts if t.get_text() == "Lisk"]
    heat = heatmap_figure(data)
    assert heat.get_figwidth() <= 16 and len(heat.axes[0].texts) == 0
    assert len(heat.axes[0].get_xticks()) <= DENSE


def test_style_presets_and_sizes(data):
    pdf = ch.render_chart(data, ".pdf", style=ch.Style.named("print"))
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert abs(float(box.width) - 16 / 2.54 * 72) < 1 and abs(float(box.height) - 9.5 / 2.54 * 72) < 1
    sized = ch.Style.named("screen", width=ch.parse_length("12cm"), height=ch.parse_length("80mm"), font_size=14)
    root = ET.fromstring(ch.render_chart(data, ".svg", style=sized))
    assert float(root.get("width")[:-2]) == pytest.approx(12 / 2.54 * 72, abs=0.5)
    fig = ch.build_figure(data, heatmap=False, title=None, style=sized)
    cities = [t for t in fig.axes[0].texts if t.get_text() == "Lisk"]
    assert cities and cities[0].get_fontsize() == pytest.approx(14 * 0.85)
    assert ch.parse_length("6.3in") == 6.3 and ch.parse_length("450pt") == pytest.approx(450 / 72.27)
    with pytest.raises(OutputError, match="not understood"):
        ch.parse_length("wide")


def test_html_page_shows_the_title_once_and_the_figure_at_full_width(data):
    page = ch.render_chart(data, ".html", title="Three themes")
    assert page.count("Three themes</h1>") == 1
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert "Three themes</text>" not in svg and "<text" in svg  # the figure does not repeat the heading
    assert "width: 100%" in page


def test_cli_chart_style_options(cli, mco_root, tmp_path):
    target = tmp_path / "c.pdf"
    assert cli("--texts", mco_root, "chart", "terrorism", "--style", "print", "--width", "15cm", "--height", "8cm",
               "--font-size", "11", "-o", target).exit_code == 0
    from pypdf import PdfReader

    box = PdfReader(target).pages[0].mediabox
    assert abs(float(box.width) - 15 / 2.54 * 72) < 1 and abs(float(box.height) - 8 / 2.54 * 72) < 1
    one_line_error(cli("--texts", mco_root, "chart", "terrorism", "--width", "huge", "-o", target), "not understood")
