"""Commands: chronology, event add."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from sco_decl.cli.base import creates_corpus, main
from sco_decl.cli.options import emit, output_option, pass_workspace
from sco_decl.store.corpus import Corpus

if TYPE_CHECKING:
    from sco_decl.workspace import Workspace
    from sco_decl.analysis.lexicon import Lexicon
    from sco_decl.store.chronology import Chronology


def year_range(start: int | None, end: int | None) -> None:
    """--from after --to is a misused flag (exit 2), not an empty table."""
    if start is not None and end is not None and end < start:
        raise click.UsageError(f"--to {end} is before --from {start}; swap them")


@main.command()
@click.option("--from", "start", type=int, metavar="YEAR", help="First year shown (events that overlap it count).")
@click.option("--to", "end", type=int, metavar="YEAR", help="Last year shown.")
@click.option("--kind", "kinds", multiple=True, metavar="K",
              help="Only events of this kind (repeat): summit, heads-of-government, ministers, exercise, "
                   "institution, international, other, or one the chronology file adds.")
@click.option("--theme", "theme_ids", multiple=True, metavar="ID", help="Only events tagged with this theme (repeat).")
@click.option("--format", "fmt", type=click.Choice(["latex", "markdown", "html", "csv", "json"]), default=None,
              help="Output format. Default: from the -o suffix (.tex .md .html .csv .json), else latex.")
@click.option("--standalone", is_flag=True, help="LaTeX: a whole document (12pt, 2.5 cm margins) to compile.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="LaTeX --standalone: the paper.")
@click.option("--caption", help="LaTeX/HTML caption.")
@click.option("--label", help="LaTeX label (default: tab:sco-decl-chronology).")
@output_option()
@pass_workspace
def chronology(workspace: Workspace, start: int | None, end: int | None, kinds: tuple[str, ...],
               theme_ids: tuple[str, ...], fmt: str | None, standalone: bool, paper: str, caption: str | None,
               label: str | None, output: Path | None) -> None:
    """The chronology of events (summits, meetings, exercises, institutions) as a table, year by year.

    Events come from chronology.toml in the corpus (shipped with the catalog; add your own with
    `sco-decl event add`); every catalogued declaration appears at least as its summit. Disputed facts
    carry their note as a footnote.

    \b
    Example:
      sco-decl chronology --to 2006 -o chronology.tex
      sco-decl chronology --from 2001 --kind summit --kind exercise --format markdown
      sco-decl chronology --theme terrorism -o terrorism-events.csv
    """
    from sco_decl.outputs import chronology as out

    year_range(start, end)
    fmt = fmt or (out.format_for(output.suffix) if output is not None else "latex")
    data = checked_chronology(workspace.corpus, workspace.themes_file)
    if theme_ids:
        from sco_decl.outputs.appendix import check_themes

        check_themes(workspace.lexicon, theme_ids)
    events = data.select(start=start, end=end, kinds=kinds, themes=theme_ids)
    if not events:
        raise click.ClickException(f"no event in {workspace.corpus.root} matches; widen --from/--to, --kind or --theme")
    emit(out.render_chronology(data, events, fmt, standalone=standalone, paper=paper, caption=caption,
                               label=label), output)


def checked_chronology(corpus: Corpus, themes_file: Path | None) -> Chronology:
    """The corpus's chronology with its theme tags checked against the lexicon in force."""
    from sco_decl.analysis.lexicon import load_lexicon
    from sco_decl.store.chronology import load_chronology

    return load_chronology(corpus, themes=load_lexicon(themes_file).ids)


def split_event_kinds(corpus: Corpus, lexicon: Lexicon, values: tuple[str, ...], args: tuple[str, ...],
                      heatmap: bool) -> tuple[Chronology, tuple[str, ...], tuple[str, ...]]:
    """`chart THEME --events summit exercise`: click gives --events one value and leaves the other kinds
    among THEME/REF arguments (and `--events THEME` takes a theme as its value). Kinds go to the events,
    everything else back to the arguments; no kind named means every kind."""
    from sco_decl.store.chronology import load_chronology

    if heatmap:
        raise click.UsageError("--events marks a trend line; it does not go with --all-themes (the heat map)")
    if not values:
        raise click.UsageError("--events-theme filters the events of --events; give --events too")
    chronology = load_chronology(corpus, themes=lexicon.ids)
    kinds = [v for v in values if v == "all" or v in chronology.kinds]
    kinds += [a for a in args if a in chronology.kinds]
    rest = tuple(a for a in args if a not in chronology.kinds) + tuple(v for v in values if v not in kinds)
    return chronology, tuple(kinds), rest


@main.group()
def event() -> None:
    """Add events to the chronology of the corpus in use.

    \b
    Example:
      sco-decl event add --date 2007-08-16 --place Bishkek --kind summit --description "Seventh summit"
    """


@creates_corpus  # the first event may start a corpus
@event.command("add")
@click.option("--date", required=True, metavar="D",
              help="A day (2006-06-15), a month (2000-03), a year, or a range (2001-06-14/15, 2003-05-28/06-02).")
@click.option("--place", default="", help="Where it happened (may be left out).")
@click.option("--kind", required=True, metavar="K", help="summit, heads-of-government, ministers, exercise, "
              "institution, international, other (or a kind the chronology file adds).")
@click.option("--description", required=True, metavar="TEXT", help="One line, in your own words.")
@click.option("--declaration", "declarations", multiple=True, metavar="ID",
              help="A catalogued declaration signed there (repeat).")
@click.option("--document", "documents", multiple=True, metavar="TITLE",
              help="Another document signed there, not in the catalog (repeat).")
@click.option("--participant", "participants", multiple=True, metavar="NAME", help="A participant (repeat).")
@click.option("--theme", "theme_ids", multiple=True, metavar="ID", help="A theme it concerns (repeat; lexicon id).")
@click.option("--source", "sources", multiple=True, metavar="URL", help="Where the fact was checked (repeat; "
              "recorded as seen today).")
@click.option("--note", help="A disputed fact, said once; tables show it as a footnote.")
@pass_workspace
def event_add(workspace: Workspace, date: str, place: str, kind: str, description: str,
              declarations: tuple[str, ...], documents: tuple[str, ...], participants: tuple[str, ...],
              theme_ids: tuple[str, ...], sources: tuple[str, ...], note: str | None) -> None:
    """Add one event to the corpus's chronology.toml (checked, then written atomically).

    \b
    Example:
      sco-decl event add --date 2006-06-15 --place Shanghai --kind summit \\
          --description "Sixth summit" --declaration 2006-shanghai --theme shanghai-spirit
    """
    from sco_decl.store.chronology import add_event

    added = add_event(workspace.corpus, date=date, place=place, kind=kind, description=description,
                      declarations=declarations, documents=documents, participants=participants,
                      themes=theme_ids, sources=sources, note=note, known_themes=workspace.lexicon.ids)
    click.echo(f"added {added.date.text} {added.kind}: {added.description} ({added.file}:{added.line})")
