"""Commands: themes, kwic, trace, lexicon."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sco_decl.cli.base import main
from sco_decl.cli.options import edition_options, emit, format_option, output_option, pass_workspace, refs_argument
from sco_decl.cli.pages import deliver, open_option
from sco_decl.cli.progress import progress_bar, quiet_option
from sco_decl.outputs.textable import text_table

if TYPE_CHECKING:  # annotations only: the analysis stack loads when a command makes its Workspace
    from sco_decl.workspace import Workspace


def _no_texts(workspace: Workspace, revisions: list[Any], fmt: str) -> bool:
    """With no text to analyse, a terminal user gets a hint instead of empty tables (JSON stays JSON)."""
    if revisions or fmt not in ("table", "text") or workspace.damaged:
        return False
    click.echo(f"No declaration in {workspace.corpus.root} has text yet: run `sco-decl fetch` or `sco-decl add`.")
    return True


# -- themes ----------------------------------------------------------------------------------------------
def _themes_table(data: dict[str, Any], with_sentences: bool) -> str:
    from sco_decl.analysis.themes import table_rows

    docs = data["documents"]
    out = [f"{len(docs)} declaration(s); lexicon sha256:{data['lexicon']['sha256'][:12]}; "
           f"share = sentences with the theme / sentences; rate = matches per 1,000 words\n"]
    def number(value: Any, spec: str) -> str:
        return "n/a" if value is None else format(value, spec)  # no wordings in the text's language

    rows = [(r["ref"], r["date"], r["theme"], number(r["matches"], "d"), number(r["sentences"], "d"),
             number(r["share"], ".3f"), number(r["rate_per_1000"], ".2f")) for r in table_rows(data)]
    out.append(text_table(["declaration", "date", "theme", "matches", "sentences", "share", "rate/1000"], rows,
                          numeric=(3, 4, 5, 6)))
    firsts = [(t["id"], t["label"], t["first_year"] or "-", t["first_ref"] or "never") for t in data["themes"]]
    out.append("\nFirst appearance\n")
    out.append(text_table(["theme", "label", "year", "declaration"], firsts))
    if with_sentences:
        for doc in docs:
            out.append(f"\n{doc['ref']} ({doc['date']}, sha256:{doc['sha256'][:12]})\n")
            for s in doc["sentence_list"]:
                if s["themes"]:
                    out.append(f"  [{s['index']}] {s['locator']}  {', '.join(s['themes'])}: {s['text']}\n")
    return "".join(out)


def _themes_csv(data: dict[str, Any], with_sentences: bool) -> str:
    from sco_decl.analysis.themes import table_rows

    from sco_decl.outputs.csvout import csv_dicts, csv_text

    if with_sentences:
        return csv_text(["ref", "date", "sha256", "index", "locator", "themes", "matches", "text"],
                        ([doc["ref"], doc["date"], doc["sha256"], s["index"], s["locator"], ",".join(s["themes"]),
                          "|".join(m["text"] for m in s["matches"]), s["text"]]
                         for doc in data["documents"] for s in doc["sentence_list"]))
    fields = ["ref", "date", "sha256", "words", "sentences_total", "theme", "matches", "sentences", "share",
              "rate_per_1000", "first_year"]
    return csv_dicts(fields, table_rows(data))


@main.command()
@refs_argument
@click.option("--theme", "theme_ids", multiple=True, metavar="ID", help="Only this theme (repeat for more).")
@format_option("table", "csv", "json")
@click.option("--sentences", is_flag=True, help="Also list each sentence with its themes and matches.")
@click.option("--wide", is_flag=True, help="One table, declarations x themes (rate per 1,000 words).")
@edition_options
@click.option("--no-cache", is_flag=True, help="Analyse afresh without reading or writing the cache.")
@output_option()
@quiet_option
@pass_workspace
def themes(workspace: Workspace, refs: tuple[str, ...], theme_ids: tuple[str, ...], fmt: str,
           sentences: bool, wide: bool, edition: str | None, language: str | None,
           no_cache: bool, output: Path | None, quiet: bool) -> None:
    """Count the themes per declaration: matches, sentences, share of sentences, rate per 1,000 words.

    Also says in which declaration each theme first appears. Default REFs: every declaration with text,
    in date order, one edition each (its default, or --edition/--language).

    \b
    Example:
      sco-decl themes
      sco-decl themes --wide
      sco-decl themes 2005 2006 --theme sovereignty --theme non-interference --format json --sentences
    """
    from sco_decl.analysis.series import Choice, select
    from sco_decl.analysis.themes import report

    lexicon = workspace.lexicon
    lexicon.select(theme_ids)  # unknown ids fail before any work
    if wide and (sentences or fmt == "json"):
        raise click.UsageError("--wide is a table (--format table or csv) without --sentences")
    workspace.use_cache = not no_cache
    revisions = select(workspace.corpus, refs, Choice(edition, language))
    if not refs:
        revisions = workspace.verified(revisions)  # a damaged file is left out, with a warning
    if _no_texts(workspace, revisions, fmt):
        return
    analyses = []
    with progress_bar(len(revisions), "analysing", quiet) as bar:
        for revision, analysis in zip(revisions, workspace.iter_analyses(revisions)):
            analyses.append(analysis)
            bar(revision.ref)
    data = report(analyses, lexicon, sentences, theme_ids)
    for warning in dict.fromkeys(w for a in analyses for w in a.warnings):
        click.echo(f"warning: {warning}", err=True)
    if wide:
        emit(_themes_wide(data, fmt), output)
    elif fmt == "json":
        emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "csv":
        emit(_themes_csv(data, sentences), output)
    else:
        emit(_themes_table(data, sentences), output)


def _themes_wide(data: dict[str, Any], fmt: str) -> str:
    """Declarations (rows) x themes (columns), rates per 1,000 words: the whole picture in one table."""
    ids = [t["id"] for t in data["themes"]]
    rows = [[doc["ref"], doc["date"]] + [doc["themes"][i]["rate_per_1000"] for i in ids] for doc in data["documents"]]
    if fmt == "csv":
        from sco_decl.outputs.csvout import csv_text

        return csv_text(["ref", "date"] + [f"{i}_rate" for i in ids], [r[:2] + [repr(v) for v in r[2:]] for r in rows])
    head = (f"{len(rows)} declaration(s) x {len(ids)} theme(s): rate per 1,000 words; lexicon "
            f"sha256:{data['lexicon']['sha256'][:12]}\n")
    shown = [r[:2] + [f"{v:.2f}" for v in r[2:]] for r in rows]
    return head + text_table(["declaration", "date"] + ids, shown, numeric=range(2, 2 + len(ids)))


# -- kwic ------------------------------------------------------------------------------------------------
@main.command()
@click.argument("phrase", required=False, metavar="[PHRASE]")
@click.argument("refs", nargs=-1, metavar="[REF ...]")
@click.option("--theme", "theme_id", metavar="ID", help="Concordance of a theme instead of a phrase.")
@click.option("--width", type=click.IntRange(5, 500), default=40, show_default=True,
              help="Characters of context on each side.")
@format_option("text", "csv", "json", "html")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write to FILE ('-': standard output). Default for html: kwic-<phrase or theme>.html, named "
                   "on stderr; other formats go to standard output.")
@open_option
@pass_workspace
def kwic(workspace: Workspace, phrase: str | None, refs: tuple[str, ...], theme_id: str | None, width: int,
         fmt: str, output: Path | None, open_: bool) -> None:
    """Keyword in context: each match of a theme or a phrase, with its context and locator, by date.

    A PHRASE uses the lexicon's pattern syntax (`sco-decl lexicon --format toml` shows it): words match
    their inflections, "non-interference" also matches "noninterference", [optional] words, ... gaps.
    With --theme, every argument is a REF.

    \b
    Example:
      sco-decl kwic --theme non-interference
      sco-decl kwic "interfere ...5 internal affairs" 2005 2006 --format html --open
    """
    from sco_decl.analysis.kwic import RENDERERS, concordance

    if theme_id is not None:
        refs = ((phrase,) if phrase else ()) + refs
        phrase = None
    elif not phrase or not phrase.strip():
        raise click.UsageError("give a PHRASE or --theme ID")
    if theme_id is not None:
        workspace.lexicon.get(theme_id)
    revisions = workspace.revisions(refs)
    if _no_texts(workspace, revisions, fmt):
        return
    conc = concordance(workspace, revisions, theme=theme_id, phrase=phrase, width=width)
    _emit_page(RENDERERS[fmt](conc), fmt, output, f"kwic-{theme_id or phrase}", open_)


# -- trace -----------------------------------------------------------------------------------------------
@main.command()
@click.argument("phrase")
@refs_argument
@click.option("--threshold", type=float, default=0.7, show_default=True,
              help="Similarity (0-1) from which a passage counts as the phrase being present.")
@format_option("text", "json", "html")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write to FILE ('-': standard output). Default for html: trace-<phrase>.html, named on "
                   "stderr; other formats go to standard output.")
@open_option
@pass_workspace
def trace(workspace: Workspace, phrase: str, refs: tuple[str, ...], threshold: float, fmt: str,
          output: Path | None, open_: bool) -> None:
    """Trace a phrase through the declarations: best passage, similarity, wording changes, first appearance.

    \b
    Example:
      sco-decl trace "non-interference in internal affairs"
      sco-decl trace "multipolar world" 2004 2005 2006 --format html -o trace.html --open
    """
    from sco_decl.analysis.trace import RENDERERS
    from sco_decl.analysis.trace import trace as run_trace

    if not phrase.strip():
        raise click.UsageError("PHRASE is empty")
    revisions = workspace.revisions(refs)
    if _no_texts(workspace, revisions, fmt):
        return
    result = run_trace(workspace, revisions, phrase, threshold=threshold)
    _emit_page(RENDERERS[fmt](result), fmt, output, f"trace-{phrase}", open_)


def _emit_page(text: str, fmt: str, output: Path | None, stem: str, open_: bool) -> None:
    """HTML goes to a file (a default name from `stem`, printed) and may be opened; the rest as always."""
    import re

    if open_ and fmt != "html":
        raise click.UsageError("--open works with --format html only")
    if fmt == "html":
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-")[:60] or "page"
        deliver(text, output, f"{safe}.html", open_=open_)
        return
    emit(text, None if output is not None and str(output) == "-" else output)


# -- lexicon ---------------------------------------------------------------------------------------------
@main.command()
@format_option("table", "toml", "markdown")
@output_option()
@pass_workspace
def lexicon(workspace: Workspace, fmt: str, output: Path | None) -> None:
    """Show the themes in force: id, label, patterns and the file each came from.

    `--format markdown` prints the codebook: what counts for each theme, what does not, with examples.

    \b
    Example:
      sco-decl lexicon
      sco-decl lexicon --themes my-themes.toml --format toml > in-force.toml
      sco-decl lexicon --format markdown > codebook.md
    """
    from sco_decl.analysis.lexicon import to_markdown, to_toml

    lex = workspace.lexicon
    if fmt in ("toml", "markdown"):
        emit((to_toml if fmt == "toml" else to_markdown)(lex), output)
        return
    labels = {source: f"[{n}]" for n, source in enumerate(lex.sources, 1)}  # each path printed once, above

    def origin(text: str) -> str:
        for source, label in sorted(labels.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(source, label)
        return text

    rows = [(t.id, t.label, t.colour, len(t.patterns), len(t.exclusions),
             ("all of " + ", ".join(t.all_of)) if t.all_of else "", origin(t.origin)) for t in lex.themes]
    sources = "; ".join(f"{label} {source}" for source, label in labels.items())
    head = f"{len(lex.themes)} themes; lexicon sha256:{lex.sha256[:12]}; sources: {sources}\n"
    emit(head + text_table(["id", "label", "colour", "patterns", "exclusions", "also", "from"], rows,
                           numeric=(3, 4)), output)
