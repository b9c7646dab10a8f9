"""Commands: chart, appendix, keyness, cite."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sco_decl._version import __version__
from sco_decl.cli.base import main
from sco_decl.cli.options import edition_options, emit, format_option, output_option, pass_workspace
from sco_decl.cli.pages import deliver, open_option
from sco_decl.cli.progress import progress_bar, quiet_option
from sco_decl.outputs.textable import text_table

if TYPE_CHECKING:  # annotations only: the analysis stack loads when a command makes its Workspace
    from sco_decl.workspace import Workspace
    from sco_decl.analysis.keyness import KeynessResult
    from sco_decl.analysis.lexicon import Lexicon, Theme


# -- keyness -------------------------------------------------------------------------------------------
def _keyness_rows(items: list) -> list[tuple]:
    return [(i.use, i.term, i.n, i.freq, i.freq_ref, f"{i.per_1000:.2f}", f"{i.per_1000_ref:.2f}",
             f"{i.g2:.2f}", f"{i.p:.4f}", f"{i.log_ratio:+.2f}") for i in items]


_KEYNESS_HEADERS = ["use", "term", "n", "freq", "freq_ref", "per_1000", "per_1000_ref", "g2", "p", "log_ratio"]


def _keyness_table(result: KeynessResult, min_g2: float, limit: int) -> str:
    ref = ", ".join(r.ref for r in result.reference)
    head = (f"{result.target.ref} (sha256:{result.target.short}) against {len(result.reference)} text(s): {ref}\n"
            f"{result.unit} {result.ngram[0]}-{result.ngram[1]}-grams; G2 >= {min_g2} (p < 0.05 at 3.84); "
            f"log ratio = log2 of the ratio of relative frequencies; sco-decl {__version__}\n\n")
    rows = _keyness_rows(result.over(min_g2)[:limit]) + _keyness_rows(result.under(min_g2)[:limit])
    if not rows:
        return head + "No term passes the threshold; lower it with --min-g2.\n"
    return head + text_table(_KEYNESS_HEADERS, rows, numeric=range(2, 10))


def _keyness_csv(result: KeynessResult, min_g2: float, limit: int) -> str:
    from sco_decl.outputs.csvout import csv_text

    reference = "; ".join(r.ref for r in result.reference)
    items = [item.to_json() for item in result.over(min_g2)[:limit] + result.under(min_g2)[:limit]]
    return csv_text(["target", "target_sha256"] + _KEYNESS_HEADERS + ["reference", "tool_version"],
                    ([result.target.ref, result.target.sha256] + [data[h] for h in _KEYNESS_HEADERS]
                     + [reference, f"sco-decl {__version__}"] for data in items))


_KEYNESS_RENDERERS = {
    "table": _keyness_table,
    "csv": _keyness_csv,
    "json": lambda r, g, n: json.dumps(r.to_json(g, n), indent=2, ensure_ascii=False) + "\n",
}


@main.command()
@click.argument("ref")
@click.option("--against", "against", multiple=True, metavar="REF",
              help="A reference text (repeat). Default: every earlier declaration's default edition.")
@click.option("--ngram", default="1-3", show_default=True, help="Phrase lengths in words, e.g. 1-3 or 2.")
@click.option("--unit", type=click.Choice(["lemma", "word"]), default="lemma", show_default=True,
              help="Count lemmas (met/meet together) or lowercase word forms.")
@click.option("--min-g2", type=float, default=3.84, show_default=True,
              help="Smallest log-likelihood shown (3.84: p < 0.05; 6.63: p < 0.01; 15.13: p < 0.0001).")
@click.option("--limit", type=click.IntRange(min=1), default=25, show_default=True,
              help="At most this many over- and under-used terms each.")
@format_option("table", "csv", "json")
@output_option()
@pass_workspace
def keyness(workspace: Workspace, ref: str, against: tuple[str, ...], ngram: str, unit: str, min_g2: float,
            limit: int, fmt: str, output: Path | None) -> None:
    """The words and phrases REF over- and under-uses, by Dunning's log-likelihood (G2) and log ratio.

    \b
    Example:
      sco-decl keyness 2005
      sco-decl keyness 2006 --against 2005 --ngram 2-3 --format csv
    """
    from sco_decl.analysis import keyness as kn

    target = workspace.resolve(ref)
    reference = _texts(workspace, against) if against else None
    result = kn.keyness(workspace, target, reference, ngram=kn.parse_ngram(ngram), unit=unit)
    emit(_KEYNESS_RENDERERS[fmt](result, min_g2, limit), output)


# -- cite ----------------------------------------------------------------------------------------------
@main.command()
@click.argument("ref")
@format_option("bibtex", "ris", "text")
@output_option()
@pass_workspace
def cite(workspace: Workspace, ref: str, fmt: str, output: Path | None) -> None:
    """A bibliography entry for the exact text analysed: title, date, place, publisher, URL, date accessed.

    The accessed date is when the tool fetched the page (or when the text was added by hand); the note
    names the revision and its sha256.

    \b
    Example:
      sco-decl cite 2005@worldjpn --format bibtex >> thesis.bib
    """
    from sco_decl.outputs.cite import citation, render_citation

    revision = workspace.resolve(ref)
    workspace.text(revision)  # a citation names a sha256: refuse a file that no longer has it
    emit(render_citation(citation(workspace.corpus, revision), fmt), output)


# -- shared by chart and appendix ----------------------------------------------------------------------
def _looks_like_ref(arg: str) -> bool:
    """Declaration references start with a year or carry @edition; sha256 prefixes are 8+ hex digits."""
    return arg[:1].isdigit() or "@" in arg or bool(re.fullmatch(r"(sha256:)?[0-9a-f]{8,64}", arg))


def _split_themes_and_refs(lexicon: Lexicon, args: tuple[str, ...]) -> tuple[list[Theme], list[str]]:
    """THEME and REF arguments may come in any order: a lexicon id is a theme, a year-like word a REF."""
    from sco_decl.outputs.appendix import check_themes

    known = {t.id for t in lexicon.themes}
    theme_ids = [a for a in args if a in known]
    refs = [a for a in args if a not in known and _looks_like_ref(a)]
    unknown = [a for a in args if a not in known and not _looks_like_ref(a)]
    if unknown:
        check_themes(lexicon, unknown)  # raises: names the id, a close match and the known ones
    return check_themes(lexicon, list(dict.fromkeys(theme_ids))), refs


def _texts(workspace: Workspace, refs: tuple[str, ...] | list[str]) -> list:
    """The revisions to show (default: every declaration with text); none at all is an error."""
    revisions = workspace.revisions(list(refs))
    if not revisions and not workspace.damaged:
        raise click.ClickException(f"no declaration in {workspace.corpus.root} has text yet: run `sco-decl fetch` "
                                   "or `sco-decl add FILE --to ID --edition NAME`")
    return revisions


# -- chart ---------------------------------------------------------------------------------------------
@main.command()
@click.argument("args", nargs=-1, metavar="THEME [THEME ...] [REF ...]")
@click.option("--all-themes", is_flag=True, help="Every theme of the lexicon, as a heat map (declarations x themes).")
@click.option("--metric", type=click.Choice(["rate", "share", "count"]), default="rate", show_default=True,
              help="rate: matches per 1,000 words; share: share of sentences; count: matches.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="FILE by suffix: .html (figure, values and passages), .svg, .png (300 dpi), .pdf, .csv; '-' "
                   "writes the HTML page to standard output. Default on a terminal: a table with sparklines; "
                   "otherwise chart-<themes>.html.")
@click.option("--title", help="The figure's title (default: the themes, metric and years).")
@click.option("--table", "as_table", is_flag=True, help="Print the compact table even when not on a terminal.")
@click.option("--events", "event_kinds", multiple=True, is_flag=False, flag_value="all", metavar="[KIND ...]",
              help="Mark the chronology's events on the trend (all kinds, or those named: summit exercise ...).")
@click.option("--events-theme", is_flag=True, help="With --events: only events tagged with the charted themes.")
@click.option("--style", "preset", type=click.Choice(["screen", "print"]), default="screen", show_default=True,
              help="print: 16 cm wide (a 12pt A4 text block) with 10pt type; screen: 7 x 4.2 in, 9pt.")
@click.option("--width", metavar="LENGTH", help="Figure width, e.g. 16cm, 6.3in, 450pt (a bare number is cm).")
@click.option("--height", metavar="LENGTH", help="Figure height, e.g. 9cm.")
@click.option("--font-size", type=click.FloatRange(4, 30), help="Base type size in points (labels scale with it).")
@edition_options
@open_option
@quiet_option
@pass_workspace
def chart(workspace: Workspace, args: tuple[str, ...], all_themes: bool, metric: str, output: Path | None,
          title: str | None, as_table: bool, event_kinds: tuple[str, ...], events_theme: bool, preset: str,
          width: str | None, height: str | None, font_size: float | None, edition: str | None,
          language: str | None, open_: bool, quiet: bool) -> None:
    """Chart how themes rise and fall across the declarations (default REFs: every declaration with text).

    One edition stands for each declaration (its default, or --edition/--language); two editions of one
    declaration named as REFs are drawn as labelled variants at the same year.

    \b
    Example:
      sco-decl chart sovereignty non-interference -o themes.pdf --style print
      sco-decl chart terrorism 2004 2005 2006 --metric share -o terrorism.html --open
      sco-decl chart sovereignty 2005@worldjpn 2005@sco-secretariat 2006 -o editions.png
      sco-decl chart --all-themes -o heatmap.html
      sco-decl chart foreign-military-presence --events summit exercise -o bases.svg
    """
    from sco_decl.analysis.series import Choice, select
    from sco_decl.outputs import chart as ch

    lexicon = workspace.lexicon
    if event_kinds or events_theme:
        from sco_decl.cli.chronology import split_event_kinds

        chronology, event_kinds, args = split_event_kinds(workspace.corpus, lexicon, event_kinds, args, all_themes)
    chosen, refs = _split_themes_and_refs(lexicon, args)
    if all_themes:
        chosen = list(lexicon.themes)
    if not chosen:
        raise click.UsageError("name at least one THEME (see `sco-decl lexicon`) or give --all-themes")
    to_stdout = output is not None and str(output) == "-"
    if output is not None and not to_stdout and output.suffix.lower() not in ch.RENDERERS:
        raise click.ClickException(f"{output}: suffix {output.suffix or '(none)'!r} is unknown for a chart; "
                                   f"use one of {', '.join(ch.RENDERERS)}")
    style = ch.Style.named(preset, width=ch.parse_length(width) if width else None,
                           height=ch.parse_length(height) if height else None, font_size=font_size)
    revisions = select(workspace.corpus, refs, Choice(edition, language)) or _texts(workspace, refs)
    if not refs:
        revisions = workspace.verified(revisions)  # a damaged file is left out, with a warning
    analyses = []
    with progress_bar(len(revisions), "analysing", quiet) as bar:
        for revision in revisions:
            analyses.append(workspace.analysis(revision))
            bar(revision.ref)
    data = ch.from_analyses(analyses, lexicon, chosen, metric)
    if event_kinds:
        from sco_decl.outputs.chart_events import markers, select_events

        events = select_events(chronology, event_kinds, [t.id for t in chosen] if events_theme else [])
        dates = [p.date for p in data.points]
        data.events = markers(chronology, events, min(dates), max(dates))
    if output is None and not open_ and (as_table or sys.stdout.isatty()):
        click.echo(ch.terminal_table(data), nl=False)
        return
    default = "chart-all-themes.html" if all_themes else f"chart-{'-'.join(t.id for t in chosen)}.html"
    suffix = ".html" if output is None or to_stdout else output.suffix
    deliver(ch.render_chart(data, suffix, heatmap=all_themes, title=title, style=style), output, default,
            open_=open_)


# -- appendix ------------------------------------------------------------------------------------------
@main.command()
@click.argument("refs", nargs=-1, metavar="[REF ...]")
@click.option("--theme", "theme_ids", multiple=True, metavar="ID",
              help="A theme whose rate gets a column (repeat). Default: the four required themes.")
@click.option("--columns", "columns", multiple=True, metavar="A,B,...",
              help="The columns, in order: id, year, date, place, title, edition, revision, sha256, words, "
                   "sentences, similarity_prev, new_phrases and <theme>_rate|share|matches|sentences.")
@click.option("--format", "fmt", type=click.Choice(["latex", "markdown", "csv", "html"]), default=None,
              help="Output format. Default: from the -o suffix (.tex .md .csv .html), else latex.")
@click.option("--chronology", is_flag=True,
              help="The chronology of events (`sco-decl chronology`): summits and their declarations, meetings, "
                   "exercises, institutions; from the chronology data and the catalog alone.")
@click.option("--standalone", is_flag=True,
              help="LaTeX: a complete document (12pt, 2.5 cm margins) with the appendix and the chronology of "
                   "its declarations, ready for pdflatex.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="LaTeX: the paper the table is planned for.")
@click.option("--landscape", is_flag=True,
              help="LaTeX: a landscape page (more default columns: date, edition); needs pdflscape when \\input.")
@click.option("--caption", help="LaTeX/HTML caption (default: says what the rows and numbers are, which editions).")
@click.option("--label", help="LaTeX label (default: tab:sco-decl-appendix or tab:sco-decl-chronology).")
@edition_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write to FILE ('-': standard output). Default: standard output, except html: appendix.html "
                   "(named on stderr).")
@open_option
@quiet_option
@pass_workspace
def appendix(workspace: Workspace, refs: tuple[str, ...], theme_ids: tuple[str, ...], columns: tuple[str, ...],
             fmt: str | None, chronology: bool, standalone: bool, paper: str, landscape: bool, caption: str | None,
             label: str | None, edition: str | None, language: str | None, output: Path | None,
             open_: bool, quiet: bool) -> None:
    """The appendix table: one row per declaration, in date order, with the evidence to check it.

    Numbers are those `sco-decl themes --format json` reports for the same revisions. The LaTeX table fits
    a portrait A4 or letter page at 12pt (short headers explained in a note; titles in the chronology).

    \b
    Example:
      sco-decl appendix -o appendix.tex
      sco-decl appendix --standalone -o appendix.tex && pdflatex appendix.tex
      sco-decl appendix 2005@worldjpn 2005@sco-secretariat 2006 --landscape
      sco-decl appendix --theme sovereignty --theme multipolarity --format markdown
      sco-decl appendix --columns id,date,words,sovereignty_rate,similarity_prev -o table.csv
      sco-decl appendix --chronology -o chronology.tex
    """
    from dataclasses import replace

    from sco_decl.analysis.series import Choice, has_variants, select
    from sco_decl.outputs import appendix as ap
    from sco_decl.outputs.texlayout import Page

    to_stdout = output is not None and str(output) == "-"
    fmt = fmt or (ap.format_for(output.suffix) if output is not None and not to_stdout else "latex")
    if open_ and fmt != "html":
        raise click.UsageError("--open works with --format html only")
    if (standalone or landscape or paper != "a4") and fmt != "latex":
        raise click.UsageError("--standalone, --landscape and --paper shape LaTeX output; use --format latex")
    page = Page(paper=paper, landscape=landscape, standalone=standalone)
    companions = []
    if chronology:
        if refs or theme_ids or columns:
            raise click.UsageError("--chronology lists every event of the chronology: it takes no REF, --theme or "
                                   "--columns (see `sco-decl chronology` to choose years, kinds and themes)")
        from sco_decl.cli.chronology import checked_chronology
        from sco_decl.outputs.chronology import render_chronology

        data = checked_chronology(workspace.corpus, workspace.themes_file)
        if not data.events:
            raise click.ClickException(f"no declarations in {workspace.corpus.root}: create one with `sco-decl new`")
        _emit_table(render_chronology(data, data.events, fmt, caption=caption, label=label, standalone=standalone,
                                      paper=paper), fmt, output, "chronology.html", open_)
        return
    lexicon = workspace.lexicon
    chosen = [t.id for t in ap.check_themes(lexicon, theme_ids or ap.REQUIRED_THEMES)]
    revisions = select(workspace.corpus, refs, Choice(edition, language))
    if not refs:
        revisions = workspace.verified(revisions)  # a damaged file is left out, with a warning
    if not revisions:
        _texts(workspace, refs)  # the one message for an empty corpus
    preset = "full" if fmt != "latex" else ("landscape" if landscape else "portrait")
    chosen_columns = ap.parse_columns(columns, lexicon, chosen, preset=preset, variants=has_variants(revisions))
    with progress_bar(2 * len(revisions), "appendix", quiet) as bar:
        table = ap.build_appendix(workspace, revisions, chosen_columns, progress=bar)
    if standalone:
        companions = [ap.build_chronology(workspace.corpus, [r.declaration for r in revisions])]
    table = replace(table, caption=caption or table.caption, label=label or table.label)
    if fmt == "latex":
        overflow = ap.latex_layout(table, page).overflow_pt
        if overflow > 0:
            click.echo(f"warning: the table is about {overflow:.0f}pt wider than a {'landscape' if landscape else 'portrait'} "
                       f"{paper} text block; choose fewer --columns{'' if landscape else ' or --landscape'}", err=True)
    _emit_table(ap.render_table(table, fmt, page, companions), fmt, output, "appendix.html", open_)


def _emit_table(text: str, fmt: str, output: Path | None, default: str, open_: bool) -> None:
    """An HTML table is a page: written to a file (default name printed) and openable; others as asked."""
    if fmt == "html":
        deliver(text, output, default, open_=open_)
    else:
        emit(text, None if output is not None and str(output) == "-" else output)
