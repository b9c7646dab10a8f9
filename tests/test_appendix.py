"""The appendix and chronology tables: golden files per format, the same numbers as `themes`, LaTeX that
compiles, and one clear error for each kind of bad input.

Regenerate the golden files after an intended change with SCO_DECL_UPDATE_GOLDEN=1 and review the diff.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sco_decl._version import __version__
from sco_decl.outputs import appendix as ap
from clicheck import one_line_error, unwritable_folder

GOLDEN = Path(__file__).parent / "golden"
EXTENSIONS = {"latex": "tex", "markdown": "md", "csv": "csv", "html": "html"}
GOLDEN_COLUMNS = ("id,date,place,title,edition,words,sentences,sovereignty_rate,multipolarity_rate,"
                  "non-interference_rate,terrorism_rate,new_phrases,sha256")
LATEX_DOCUMENT = r"""\documentclass[12pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[a4paper,margin=2.5cm]{geometry}
\usepackage{%s}
\begin{document}
\input{table}
\end{document}
"""


def masked(text: str) -> str:
    """Golden comparisons ignore the time of the run, the tool version, the shared stylesheet and the
    lexicon's hash (checked on its own below), so they fail only when a table itself changes."""
    from sco_decl.analysis.lexicon import load_lexicon

    text = text.replace(load_lexicon().sha256, "<lexicon sha256>").replace(load_lexicon().sha256[:12], "<lexicon>")
    text = re.sub(r"<style>\n.*?</style>", "<style><shared stylesheet></style>", text, flags=re.S)
    text = re.sub(r" on \d{4}-\d\d-\d\d \d\d:\d\d UTC\.", " on <generated>.", text)
    return text.replace(f"sco-decl {__version__}", "sco-decl <version>").replace(
        f'content="sco-decl {__version__}"', 'content="sco-decl <version>"')


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SCO_DECL_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(masked(text), "utf-8")
    assert path.is_file(), f"{path} is missing: run with SCO_DECL_UPDATE_GOLDEN=1 once and review it"
    assert masked(text) == path.read_text("utf-8")


@pytest.fixture(scope="module")
def appendix_outputs(mco_root):
    """The appendix of the MCO corpus in every format, made once through the CLI.

    The columns are the defaults less similarity_prev: the aligner is tuned on its own gold data, and its
    score is checked against compare() below, so tuning it does not churn these golden files.
    """
    from click.testing import CliRunner

    from sco_decl.cli import main

    runner = CliRunner()
    out = {}
    for fmt in EXTENSIONS:
        result = runner.invoke(main, ["--texts", str(mco_root), "appendix", "--format", fmt,
                                      "--columns", GOLDEN_COLUMNS, "-o", "-"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        out[fmt] = result.stdout
    return out


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_appendix_golden(appendix_outputs, fmt):
    check_golden(f"appendix.{EXTENSIONS[fmt]}", appendix_outputs[fmt])


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_chronology_golden(cli, mco_root, fmt):
    check_golden(f"chronology.{EXTENSIONS[fmt]}",
                 cli("--texts", mco_root, "appendix", "--chronology", "--format", fmt, "-o", "-").output)


def test_numbers_are_exactly_those_of_the_themes_report(cli, mco_root):
    report = json.loads(cli("--texts", mco_root, "themes", "2011", "2013@wire", "2014", "2016",
                            "--format", "json").output)
    ids = [t["id"] for t in report["themes"]]
    columns = ",".join(["revision", "sha256", "words", "sentences"]
                       + [f"{t}_{m}" for t in ids for m in ("rate", "share", "matches", "sentences")])
    out = cli("--texts", mco_root, "appendix", "2011", "2013@wire", "2014", "2016", "--columns", columns,
              "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["revision"] for r in rows] == [d["ref"] for d in report["documents"]]
    for row, doc in zip(rows, report["documents"]):
        assert int(row["words"]) == doc["words"] and int(row["sentences"]) == doc["sentences"]
        for theme in ids:
            counts = doc["themes"][theme]
            assert float(row[f"{theme}_rate"]) == counts["rate_per_1000"]  # full precision, bit for bit
            assert float(row[f"{theme}_share"]) == counts["share"]
            assert int(row[f"{theme}_matches"]) == counts["matches"]
            assert int(row[f"{theme}_sentences"]) == counts["sentences"]


def test_similarity_and_new_phrases_come_from_compare_and_keyness(cli, mco_root):
    from sco_decl.compare.comparison import compare
    from sco_decl.store.corpus import Corpus

    rows = list(csv.DictReader(io.StringIO(cli("--texts", mco_root, "appendix", "--format", "csv").output)))
    assert [r["id"] for r in rows] == ["2011-port-alder", "2012-kestrel", "2013-valmora", "2014-tessaly",
                                       "2015-ombrin", "2016-port-alder"]
    assert rows[0]["similarity_prev"] == "" and rows[0]["new_phrases"] == ""
    corpus = Corpus.open(mco_root)
    assert float(rows[3]["similarity_prev"]) == compare(corpus, "2013", "2014", themes=False).similarity
    keyness = json.loads(cli("--texts", mco_root, "keyness", "2013", "--format", "json").output)
    new = [i["term"] for i in keyness["over"] if i["freq_ref"] == 0 and i["n"] >= 2 and i["freq"] >= 2]
    assert "international law" in rows[2]["new_phrases"].split("; ")
    assert set(rows[2]["new_phrases"].split("; ")) <= set(new)
    assert all(len(r["sha256"]) == 64 for r in rows)  # CSV always carries the revision's sha256
    assert {r["tool_version"] for r in rows} == {f"sco-decl {__version__}"}


def test_similarities_are_kept_between_runs_and_made_again_only_for_a_changed_text(cli, mco_corpus, monkeypatch):
    """The similarity column needs an alignment per row: a second run reads the values back instead of
    aligning again (a site that gains a declaration remakes its appendix), and a new revision of one text
    makes again exactly the two pairs it is in."""
    from sco_decl.compare import comparison

    def table() -> list[str]:
        out = cli("--texts", mco_corpus.root, "appendix", "--columns", "id,similarity_prev", "--format", "csv")
        return [row["similarity_prev"] for row in csv.DictReader(io.StringIO(out.output))]

    shutil.rmtree(mco_corpus.root / ".cache" / "similarity", ignore_errors=True)  # copied from the shared corpus
    aligned: list[int] = []
    real = comparison.align_parsed
    monkeypatch.setattr(comparison, "align_parsed", lambda *a, **k: aligned.append(1) or real(*a, **k))
    first = table()
    assert len(aligned) == len(first) - 1 and first[0] == "" and all(float(v) > 0 for v in first[1:])
    assert len(list((mco_corpus.root / ".cache" / "similarity").glob("*.json"))) == 1
    aligned.clear()
    assert table() == first and aligned == []
    revision = mco_corpus.resolve("2014")
    mco_corpus.add("2014-tessaly", revision.edition,
                   mco_corpus.read_text(revision) + "\nThe Member States welcome the new library in Ombrin.\n",
                   source="test")
    third = table()
    assert len(aligned) == 2  # (2013, 2014) and (2014, 2015)
    changed = [i for i, (a, b) in enumerate(zip(first, third)) if a != b]
    assert set(changed) <= {3, 4} and third[:3] == first[:3] and third[5:] == first[5:]


def test_columns_and_themes_choose_what_is_shown(cli, mco_root):
    out = cli("--texts", mco_root, "appendix", "--columns", "id,words", "--columns", "multipolarity_share",
              "--format", "markdown").output
    assert out.splitlines()[0] == "| id | words | multipolarity_share |"
    assert out.splitlines()[1] == "|:---|---:|---:|"
    md = cli("--texts", mco_root, "appendix", "--theme", "separatism", "--theme", "extremism",
             "--format", "markdown").output
    header = md.splitlines()[0]
    assert "separatism_rate" in header and "extremism_rate" in header and "sovereignty_rate" not in header
    for line in md.splitlines()[:8]:
        assert line.count("|") - line.count(r"\|") == header.count("|")


def text_of_html(page: str) -> list[list[str]]:
    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(self.cell.strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Cells()
    parser.feed(page)
    return parser.rows


def test_html_table_and_provenance(appendix_outputs, mco_root):
    from sco_decl.store.corpus import Corpus

    page = appendix_outputs["html"]
    rows = text_of_html(page.split('<table class="data-table"')[1].split("</table>")[0])
    assert len(rows) == 7 and rows[0][0] == "Declaration" and rows[1][0] == "2011-port-alder"
    for revision in Corpus.open(mco_root).texts_present():
        assert revision.sha256 in page and revision.ref in page
    assert "{% " not in page and "{{" not in page


def test_provenance_in_latex_and_markdown(appendix_outputs, mco_root):
    from sco_decl.store.corpus import Corpus

    note = appendix_outputs["latex"].split(r"\smallskip")[1]
    for revision in Corpus.open(mco_root).texts_present():
        assert re.search(rf"^%   {re.escape(revision.ref)}  {revision.sha256}$", appendix_outputs["latex"], re.M)
        assert f"{revision.ref} ({revision.sha256[:12]})" in note.replace(r"\_", "_")  # the printed note
        assert f"`{revision.ref}` (sha256 `{revision.sha256}`)" in appendix_outputs["markdown"]
    assert f"Made with sco-decl {__version__}" in note and "full sha256 is in the CSV" in note
    assert appendix_outputs["markdown"].rstrip().endswith(f"Made with sco-decl {__version__}.")
    from sco_decl.analysis.lexicon import load_lexicon

    lexicon = load_lexicon().sha256
    assert f"% Theme lexicon sha256: {lexicon}" in appendix_outputs["latex"]
    assert f"Theme lexicon sha256 `{lexicon}`." in appendix_outputs["markdown"]
    assert lexicon in appendix_outputs["html"]


def test_latex_structure(appendix_outputs):
    tex = appendix_outputs["latex"]
    assert r"\begin{table}" in tex and r"\toprule" in tex and r"\midrule" in tex and r"\bottomrule" in tex
    assert r"\label{tab:sco-decl-appendix}" in tex and "longtable" not in tex.split("\n", 1)[1]
    assert r"\documentclass" not in tex and r"\begin{document}" not in tex  # \input-ready
    body = tex.split(r"\midrule")[1].split(r"\bottomrule")[0].strip().splitlines()
    assert len(body) == 6 and all(line.endswith(r" \\") for line in body)
    spec = next(line for line in tex.splitlines() if line.startswith(r"\begin{tabularx}{\linewidth}"))
    spec = spec[len(r"\begin{tabularx}{\linewidth}{@{}"):-len("@{}}")]
    assert len(re.findall(r"X|[lrc]", re.sub(r">\{[^}]*\}", "", spec))) == body[0].count(" & ") + 1


def packages_of(table: str) -> str:
    """The packages the table's header comment says it needs (so the test checks that claim too)."""
    return re.search(r"needs \\usepackage\{([^}]*)\}", table).group(1)


def pdflatex(tmp_path: Path, name: str) -> str:
    """Compile tmp_path/name with pdflatex (twice: longtable settles its widths) and return the log."""
    binary = shutil.which("pdflatex")
    if binary is None:
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-base texlive-latex-recommended)")
    for _ in range(2):
        run = subprocess.run([binary, "-interaction=nonstopmode", "-halt-on-error", name], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / name).with_suffix(".pdf").stat().st_size > 1000
    return (tmp_path / name).with_suffix(".log").read_text("utf-8", "replace")


def latex_compiles(tmp_path: Path, table: str, *, fits: bool = True) -> str:
    """\\input the table into a 12pt A4 document with 2.5 cm margins; with `fits`, no Overfull \\hbox."""
    (tmp_path / "table.tex").write_text(table, "utf-8")
    (tmp_path / "doc.tex").write_text(LATEX_DOCUMENT % packages_of(table), "utf-8")
    log = pdflatex(tmp_path, "doc.tex")
    if fits:
        assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    return log


def test_latex_compiles(appendix_outputs, tmp_path):
    """The golden table has 13 columns (titles, sha256s): it compiles, and is told it does not fit."""
    log = latex_compiles(tmp_path, appendix_outputs["latex"], fits=False)
    assert "Overfull \\hbox" in log  # the estimate below warns about exactly this


def test_wide_columns_warn_before_anyone_compiles(mco_root):
    from click.testing import CliRunner

    from sco_decl.cli import main

    result = CliRunner().invoke(main, ["--texts", str(mco_root), "appendix", "--columns", GOLDEN_COLUMNS])
    assert result.exit_code == 0 and "wider than a portrait a4 text block" in result.stderr
    assert "warning" not in result.stdout


@pytest.mark.parametrize("options", [(), ("--paper", "letter"), ("--landscape",), ("2011", "2013@wire",
                                     "2013@secretariat", "2014"), ("--theme", "three-evils", "--theme",
                                     "territorial-integrity", "--theme", "foreign-military-presence")])
def test_default_latex_fits_the_page_with_no_overfull_box(cli, mco_root, tmp_path, options):
    """The default table, input into a 12pt document with 2.5 cm margins, has no Overfull \\hbox."""
    result = cli("--texts", mco_root, "appendix", *options)
    assert "wider than" not in result.stderr
    tex = result.stdout
    paper = "letterpaper" if "letter" in options else "a4paper"
    document = LATEX_DOCUMENT.replace("a4paper", paper)
    if "--landscape" in options:
        assert r"\begin{landscape}" in tex and "pdflscape" in packages_of(tex)
        assert "Date" in tex and "Ed." in tex
    (tmp_path / "table.tex").write_text(tex, "utf-8")
    (tmp_path / "doc.tex").write_text(document % packages_of(tex), "utf-8")
    log = pdflatex(tmp_path, "doc.tex")
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    header = tex.split(r"\toprule")[1].split(r"\\")[0]
    assert "Title" not in header  # titles live in the chronology table


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_standalone_document_compiles_without_overfull_boxes(cli, mco_root, tmp_path, paper):
    target = tmp_path / "appendix.tex"
    cli("--texts", mco_root, "appendix", "--standalone", "--paper", paper, "-o", target)
    tex = target.read_text("utf-8")
    assert tex.startswith("% Made by") and r"\documentclass[12pt]{article}" in tex
    assert f"{paper}paper,margin=2.5cm" in tex
    assert r"\label{tab:sco-decl-appendix}" in tex and r"\label{tab:sco-decl-chronology}" in tex
    log = pdflatex(tmp_path, "appendix.tex")
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    from pypdf import PdfReader

    page = PdfReader(tmp_path / "appendix.pdf").pages[0]
    width_pt = float(page.mediabox.width)
    assert abs(width_pt - (595.3 if paper == "a4" else 612.0)) < 1
    text = page.extract_text()
    assert "Sov." in text and "Abbreviations" in text and "secretariat edition" in text


def test_caption_says_what_the_numbers_are_and_which_editions(cli, mco_root):
    tex = cli("--texts", mco_root, "appendix", "2012", "2013@wire", "2013@secretariat").stdout
    caption = tex.split(r"\caption{")[1].split("}\n")[0]
    assert "3 summit declarations" not in caption and "2 summit declarations" in caption
    assert "matches per 1,000 words" in caption and "2013-valmora also in the wire edition" in caption
    assert r"Ed." in tex.split(r"\toprule")[1].split(r"\\")[0]  # variants get an edition column
    assert "standalone" not in caption and f"sco-decl {__version__}" in tex.split(r"\smallskip")[1]


def test_long_table_becomes_a_longtable_and_compiles(cli, mco_root, tmp_path, monkeypatch):
    monkeypatch.setattr(ap, "LONG_ROWS", 3)
    tex = cli("--texts", mco_root, "appendix", "--columns", "id,date,title,words,sovereignty_rate",
              "--format", "latex").output
    assert r"\begin{longtable}" in tex and r"\endhead" in tex and r"\begin{table}" not in tex
    latex_compiles(tmp_path, tex)


def test_chronology_compiles_and_needs_no_text(cli, tmp_path):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(tmp_path / "t")
    corpus.new_declaration("2017-lisk", title="Lisk Declaration on R&D, 100% of $ #1_goals {~^\\}",
                           date="2017-06-09", place="Lisk", signatories=["A. Lenk", "P. Saal"])
    corpus.new_declaration("2016-ombrin", title="Ombrin Statement", date="2016-05-02", place="Ombrin")
    tex = cli("--texts", corpus.root, "appendix", "--chronology").output
    assert tex.index("2 May 2016") < tex.index("9 June 2017")
    assert (r"Lisk Declaration on R\&D, 100\% of \$ \#1\_goals \{\textasciitilde{}\textasciicircum{}"
            r"\textbackslash{}\}") in tex
    latex_compiles(tmp_path, tex)
    rows = list(csv.DictReader(io.StringIO(cli("--texts", corpus.root, "appendix", "--chronology",
                                               "--format", "csv").output)))
    assert [r["declarations"] for r in rows] == ["2016-ombrin", "2017-lisk"]
    assert rows[1]["participants"] == "A. Lenk; P. Saal"  # the catalog's signatories (the events table, issue 15)


def test_special_characters_in_the_appendix(cli, mco_corpus, tmp_path):
    mco_corpus.new_declaration("2017-lisk", title="Lisk Declaration: R&D_100% <new>", date="2017-06-09",
                               place="Lisk")
    text = (Path(__file__).parent / "fixtures/mco/texts/2014-tessaly@secretariat.txt").read_text("utf-8")
    mco_corpus.add("2017-lisk", "wire", text + "\nThe Heads of State will meet next in Harrowgate.\n", source="test")
    root = mco_corpus.root
    tex = cli("--texts", root, "appendix", "2016", "2017", "--standalone").output
    assert r"Lisk Declaration: R\&D\_100\% \textless{}new\textgreater{}" in tex  # in the chronology part
    (tmp_path / "doc.tex").write_text(tex, "utf-8")
    assert "Overfull \\hbox" not in pdflatex(tmp_path, "doc.tex")
    md = cli("--texts", root, "appendix", "2017", "--columns", "title,words", "--format", "markdown").output
    assert "| Lisk Declaration: R&D_100% &lt;new&gt; |" in md  # inline HTML never reaches a Markdown renderer
    page = cli("--texts", root, "appendix", "2017", "--format", "html", "-o", "-").output
    assert "Lisk Declaration: R&amp;D_100% &lt;new&gt;" in page


def test_output_file_by_suffix(cli, mco_root, tmp_path):
    for suffix, marker in ((".tex", r"\toprule"), (".md", "|:---|"), (".csv", "id,date,"), (".html", "<!DOCTYPE")):
        target = tmp_path / f"a{suffix}"
        assert cli("--texts", mco_root, "appendix", "2014", "2015", "-o", target).exit_code == 0
        assert marker in target.read_text("utf-8")


def test_bad_input(cli, mco_corpus, tmp_path):
    root = mco_corpus.root
    one_line_error(cli("--texts", root, "appendix", "--theme", "soverignty"), "unknown theme 'soverignty'",
                   "sovereignty")
    one_line_error(cli("--texts", root, "appendix", "--columns", "id,sovereignty_rates"),
                   "unknown column 'sovereignty_rates'", "sovereignty_rate")
    one_line_error(cli("--texts", root, "appendix", "--columns", "id,nonsense_rate"), "unknown column")
    one_line_error(cli("--texts", root, "appendix", "-o", tmp_path / "a.docx"), "'.docx' is unknown", ".tex")
    assert not (tmp_path / "a.docx").exists()
    one_line_error(cli("--texts", root, "appendix", "-o", tmp_path / "no" / "a.tex"), "does not exist")
    assert not (tmp_path / "no").exists()
    unwritable = unwritable_folder(tmp_path)
    one_line_error(cli("--texts", root, "appendix", "2014", "-o", unwritable / "a.tex"), "cannot write")
    assert not (unwritable / "a.tex").exists()
    mco_corpus.new_declaration("2017-lisk", title="Lisk Declaration", date="2017-06-09", place="Lisk")
    mco_corpus.new_declaration("2018-harrowgate", title="Harrowgate Declaration", date="2018-06-09",
                               place="Harrowgate")
    one_line_error(cli("--texts", root, "appendix", "2014", "2017", "2018", "-o", tmp_path / "b.tex"),
                   "2017-lisk", "2018-harrowgate", "sco-decl fetch")
    assert not (tmp_path / "b.tex").exists()
    assert cli("--texts", root, "appendix", "--chronology", "2014").exit_code == 2
    assert [p.name for p in tmp_path.iterdir() if p.name not in ("texts", "read-only")] == []
