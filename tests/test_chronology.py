"""The chronology: dates (partial, ranges), validation errors that name file and line, every output format
(LaTeX that compiles on A4 at 12pt without an overfull box, Markdown and HTML that render, CSV that reads
back), `event add`, and the shipped 1996-2006 data."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clicheck import one_line_error
from sco_decl.store.chronology import (CHRONOLOGY_FILE, ChronologyError, parse_chronology, parse_event_date)

ROOT = Path(__file__).resolve().parents[1]


# -- dates -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, start, end, precision, shown", [
    ("2006-06-15", "2006-06-15", "2006-06-15", "day", "15 June 2006"),
    ("2001-06-14/15", "2001-06-14", "2001-06-15", "day", "14\u201315 June 2001"),
    ("2003-05-28/06-02", "2003-05-28", "2003-06-02", "day", "28 May\u20132 June 2003"),
    ("2003-12-30/2004-01-02", "2003-12-30", "2004-01-02", "day", "30 December 2003\u20132 January 2004"),
    ("2000-03", "2000-03-01", "2000-03-31", "month", "March 2000"),
    ("2004-02", "2004-02-01", "2004-02-29", "month", "February 2004"),
    ("2000-03/05", "2000-03-01", "2000-05-31", "month", "March\u2013May 2000"),
    ("1996", "1996-01-01", "1996-12-31", "year", "1996"),
])
def test_partial_dates_and_ranges(text, start, end, precision, shown):
    date = parse_event_date(text)
    assert (date.start.isoformat(), date.end.isoformat(), date.precision) == (start, end, precision)
    assert date.display() == shown and date.text == text
    assert parse_event_date(date.text) == date


def test_a_toml_date_is_a_day():
    assert parse_event_date(dt.date(2006, 6, 15)).text == "2006-06-15"


@pytest.mark.parametrize("text, reason", [
    ("2006-02-30", "impossible"), ("2006-13", "impossible"), ("2001-06-15/14", "ends before it starts"),
    ("2003-06-02/05-28", "ends before it starts"), ("15 June 2006", "is not YYYY"), ("2006-6-15", "is not YYYY"),
    ("2001-06-14/2001", "write the end"), ("2001-06/14-15-16", "more parts"),
])
def test_bad_dates_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_event_date(text)


# -- validation: one line naming file and line -------------------------------------------------------------
GOOD = """[kinds]
forum = "Forum"

[[event]]
date = "2013-05-29"
place = "Valmora"
kind = "summit"
description = "Third summit"
documents = [{ title = "Valmora declaration", declaration = "2013-valmora" }]
themes = ["terrorism"]
"""


@pytest.mark.parametrize("edit, line, fragment", [
    (("2013-05-29", "2013-02-30"), 5, "impossible"),
    (("2013-05-29", "2013-05-29/28"), 5, "ends before it starts"),
    (('kind = "summit"', 'kind = "sumit"'), 7, "did you mean 'summit'"),
    (("2013-valmora", "2013-valmorra"), 9, "declaration '2013-valmorra' is not in the catalog; did you mean '2013-valmora'"),
    (('["terrorism"]', '["terorism"]'), 10, "unknown theme 'terorism'; did you mean 'terrorism'"),
    (('place = "Valmora"', 'venue = "Valmora"'), 6, "unknown field(s) venue"),
    (('description = "Third summit"', ''), 4, "'description' is missing"),
])
def test_errors_name_file_and_line(edit, line, fragment):
    text = GOOD.replace(*edit)
    with pytest.raises(ChronologyError) as caught:
        parse_chronology(text, "chronology.toml", declarations=["2013-valmora"], themes=["terrorism"])
    message = str(caught.value)
    assert message.startswith(f"chronology.toml:{line}: ") and fragment in message and "\n" not in message


def test_a_kind_added_by_the_file_is_known():
    chronology = parse_chronology(GOOD.replace('kind = "summit"', 'kind = "forum"'), "c.toml")
    assert chronology.kind_label("forum") == "Forum" and chronology.events[0].kind == "forum"


def test_the_cli_reports_a_bad_chronology_file(cli, mco_corpus):
    path = mco_corpus.root / CHRONOLOGY_FILE
    text = path.read_text("utf-8")
    path.write_text(text.replace('declaration = "2013-valmora"', 'declaration = "2013-valmorra"'), "utf-8")
    line = text[: text.index('declaration = "2013-valmora"')].count("\n") + 1
    one_line_error(cli("--texts", mco_corpus.root, "chronology"), f"{path}:{line}:", "2013-valmorra",
                   "did you mean '2013-valmora'")
    one_line_error(cli("--texts", mco_corpus.root, "appendix", "--chronology"), f"{path}:{line}:")


# -- selection -----------------------------------------------------------------------------------------------
def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_years_kinds_and_themes_select_events(cli, mco_root):
    rows = _csv(cli("--texts", mco_root, "chronology", "--from", "2012", "--to", "2013", "--format", "csv").output)
    assert [r["year"] for r in rows] == ["2012"] * 2 + ["2013"] * 4
    rows = _csv(cli("--texts", mco_root, "chronology", "--kind", "exercise", "--kind", "forum", "--format",
                    "csv").output)
    assert [r["kind"] for r in rows] == ["exercise", "exercise", "forum"]
    rows = _csv(cli("--texts", mco_root, "chronology", "--theme", "terrorism", "--format", "csv").output)
    assert [r["date"] for r in rows] == ["2011-06-13/14", "2012-09", "2013-04-02/05"]
    one_line_error(cli("--texts", mco_root, "chronology", "--kind", "parade"), "unknown kind 'parade'", "forum")
    one_line_error(cli("--texts", mco_root, "chronology", "--theme", "terorism"), "did you mean 'terrorism'")
    one_line_error(cli("--texts", mco_root, "chronology", "--from", "1990", "--to", "1991"), "no event")
    assert cli("--texts", mco_root, "chronology", "--from", "2014", "--to", "2013").exit_code == 2


def test_every_catalogued_declaration_appears_even_unlinked(cli, mco_root):
    events = json.loads(cli("--texts", mco_root, "chronology", "--kind", "summit", "--format", "json").output)["events"]
    assert [e["declarations"] for e in events] == [["2011-port-alder"], ["2012-kestrel"], ["2013-valmora"],
                                                   ["2014-tessaly"], ["2015-ombrin"], ["2016-port-alder"]]
    tessaly = events[3]
    assert tessaly["date"] == "2014-06-17" and "from the catalog" in tessaly["description"]
    assert tessaly["participants"] and tessaly["documents"][0]["title"].startswith("Tessaly Declaration")


# -- formats -------------------------------------------------------------------------------------------------
def compile_latex(tmp_path: Path, tex: str) -> str:
    """Compile a standalone document twice (longtable settles its widths); return the log."""
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-base texlive-latex-recommended)")
    (tmp_path / "chronology.tex").write_text(tex, "utf-8")
    for _ in range(2):
        run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "chronology.tex"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=180)
        assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "chronology.pdf").stat().st_size > 1000
    return (tmp_path / "chronology.log").read_text("utf-8", errors="replace")


def test_latex_fits_a4_at_12pt_and_breaks_across_pages(cli, tmp_path):
    """The shipped 1996-2006 chronology, as a thesis author would make it."""
    out = tmp_path / "chronology.tex"
    assert cli("chronology", "--to", "2006", "-o", out).exit_code == 0
    tex = out.read_text("utf-8")
    assert r"\begin{longtable}" in tex and r"\endhead" in tex and r"\documentclass" not in tex
    assert "15 June 2006 & Shanghai" in tex and "(2006-shanghai)" in tex
    assert re.search(r"\\footnote\{[^}]*6 June[^}]*15 June", tex)  # the misdating, said once, as a footnote
    years = re.findall(r"\\textbf\{(\d{4})\}", tex)
    assert years == [str(y) for y in range(1996, 2007)]
    standalone = cli("chronology", "--to", "2006", "--standalone").output
    assert standalone.count(r"\documentclass[12pt,a4paper]{article}") == 1 and "margin=2.5cm" in standalone
    log = compile_latex(tmp_path, standalone)
    assert "Overfull \\hbox" not in log
    pages = int(re.search(r"Output written on chronology.pdf \((\d+) pages?", log).group(1))
    assert pages >= 2  # the longtable broke across pages


def test_latex_of_the_fixture_and_special_characters(cli, mco_corpus, tmp_path):
    cli("--texts", mco_corpus.root, "event", "add", "--date", "2017-01", "--place", "Lisk & Ombrin",
        "--kind", "other", "--description", "R&D_100% of $ #1 {~^\\}", "--note", "50% disputed_")
    tex = cli("--texts", mco_corpus.root, "chronology", "--standalone").output
    assert r"R\&D\_100\% of \$ \#1 \{\textasciitilde{}\textasciicircum{}\textbackslash{}\}" in tex
    assert r"\footnote{50\% disputed\_}" in tex
    assert "Overfull \\hbox" not in compile_latex(tmp_path, tex)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.rows: list[str] = []
        self.notes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "tr" and "event" in (a.get("class") or ""):
            self.rows.append(a["data-kind"])
        if tag == "li" and (a.get("id") or "").startswith("note-"):
            self.notes.append(a["id"])


def test_html_markdown_json(cli, mco_root):
    page = _Page()
    page.feed(cli("--texts", mco_root, "chronology", "--format", "html").output)
    assert len(page.rows) == 12 and page.rows.count("summit") == 6
    assert page.notes == ["note-1", "note-2"] and "#note-1" in page.links and "#ref-2" in page.links
    from markdown_it import MarkdownIt

    md = cli("--texts", mco_root, "chronology", "--format", "markdown").output
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<table>") == 7 and html.count("<h3>") == 7  # a table per year
    assert "[^2]: One fictional yearbook dates this summit 6 June" in md
    data = json.loads(cli("--texts", mco_root, "chronology", "--format", "json").output)
    assert data["kinds"]["forum"] == "Forum" and len(data["events"]) == 12
    assert data["events"][0] | {} == {**data["events"][0], "date": "2009-04", "precision": "month"}


def test_csv_reads_back_into_the_same_events(cli, mco_root):
    from sco_decl.store.chronology import load_chronology
    from sco_decl.store.corpus import Corpus

    events = load_chronology(Corpus.open(mco_root)).events
    rows = _csv(cli("--texts", mco_root, "chronology", "--format", "csv").output)
    assert len(rows) == len(events)
    for row, event in zip(rows, events):
        assert parse_event_date(row["date"]) == event.date
        assert (row["place"], row["kind"], row["description"], row["note"] or None) == \
               (event.place, event.kind, event.description, event.note)
        assert tuple(filter(None, row["declarations"].split("; "))) == event.declarations
        assert tuple(filter(None, row["themes"].split("; "))) == event.themes
        assert [d for d in row["documents"].split("; ") if d] == [d.title for d in event.documents]


def test_appendix_chronology_is_the_same_table(cli, mco_root):
    for fmt in ("latex", "markdown", "html", "csv"):
        chronology = cli("--texts", mco_root, "chronology", "--format", fmt).output
        appendix = cli("--texts", mco_root, "appendix", "--chronology", "--format", fmt, "-o", "-").output
        strip = (lambda t: re.sub(r"on \d{4}-\d\d-\d\d \d\d:\d\d UTC", "", t))
        assert strip(chronology) == strip(appendix)


# -- event add ------------------------------------------------------------------------------------------------
def test_event_add_appends_and_checks(cli, mco_corpus):
    root = mco_corpus.root
    path = root / CHRONOLOGY_FILE
    before = path.read_text("utf-8")
    result = cli("--texts", root, "event", "add", "--date", "2014-06-16/17", "--place", "Tessaly", "--kind",
                 "summit", "--description", "Fourth summit", "--declaration", "2014-tessaly", "--theme",
                 "terrorism", "--source", "https://example.org/tessaly", "--note", "Disputed eve")
    assert result.exit_code == 0, result.output
    assert "added 2014-06-16/17 summit: Fourth summit" in result.output
    after = path.read_text("utf-8")
    assert after.startswith(before)  # comments and order of the user's file are kept
    events = json.loads(cli("--texts", root, "chronology", "--from", "2014", "--to", "2014", "--format",
                            "json").output)["events"]
    assert len(events) == 1  # the catalog's stand-in for 2014-tessaly is gone: the new event links it
    added = events[0]
    assert added["documents"][0]["declaration"] == "2014-tessaly" and added["themes"] == ["terrorism"]
    assert added["sources"][0] == {"url": "https://example.org/tessaly", "seen": dt.date.today().isoformat()}
    for args, fragment in (
        (["--date", "2014-02-30"], "impossible"),
        (["--date", "2014-06-17/16"], "ends before it starts"),
        (["--kind", "parade"], "unknown kind 'parade'"),
        (["--declaration", "2014-tesaly"], "did you mean '2014-tessaly'"),
        (["--theme", "terorism"], "unknown theme 'terorism'"),
    ):
        base = {"--date": "2014-01-01", "--kind": "other", "--description": "x"}
        base.update(dict(zip(args[::2], args[1::2])))
        one_line_error(cli("--texts", root, "event", "add", *[v for kv in base.items() for v in kv]), fragment)
        assert path.read_text("utf-8") == after  # nothing written
    assert not [p for p in root.iterdir() if p.name.startswith(".chronology")]  # no temporary left behind


def test_event_add_starts_a_chronology_in_a_new_corpus(cli, tmp_path):
    root = tmp_path / "texts"
    assert cli("--texts", root, "event", "add", "--date", "2020", "--kind", "other", "--description",
               "A year-long event").exit_code == 0
    assert _csv(cli("--texts", root, "chronology", "--format", "csv").output)[0]["date"] == "2020"


# -- the shipped data --------------------------------------------------------------------------------------------
def test_shipped_chronology_is_valid_and_seeded(tmp_path):
    from sco_decl.analysis.lexicon import load_lexicon
    from sco_decl.paths import seed_catalog
    from sco_decl.store.chronology import load_chronology
    from sco_decl.store.corpus import Corpus

    seed_catalog(tmp_path / "user")
    assert (tmp_path / "user" / CHRONOLOGY_FILE).read_bytes() == (ROOT / "texts" / CHRONOLOGY_FILE).read_bytes()
    chronology = load_chronology(Corpus.open(tmp_path / "user"), themes=load_lexicon().ids)
    early = chronology.select(end=2006)
    assert len([e for e in early if not e.line]) == 0  # every catalogued summit to 2006 is a real entry
    assert early[0].date.text == "1996-04-26" and early[-1].date.year == 2006
    summit_2006 = next(e for e in early if "2006-shanghai" in e.declarations)
    assert summit_2006.date.text == "2006-06-15" and "6 June" in (summit_2006.note or "")
    (tmp_path / "user" / CHRONOLOGY_FILE).write_text("# mine\n", "utf-8")
    seed_catalog(tmp_path / "user")
    assert (tmp_path / "user" / CHRONOLOGY_FILE).read_text("utf-8") == "# mine\n"  # never overwritten
