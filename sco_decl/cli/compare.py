"""Commands: compare."""
from __future__ import annotations

from typing import TYPE_CHECKING

import re
import shutil
import sys
from pathlib import Path

import click

from sco_decl.cli.base import main
from sco_decl.cli.options import format_option, pass_workspace
from sco_decl.cli.pages import deliver, open_option

if TYPE_CHECKING:  # annotations only: the analysis stack loads when a command makes its Workspace
    from sco_decl.workspace import Workspace


def default_name(ref_a: str, ref_b: str, fmt: str) -> str:
    """`compare-A-B.html` from the references as typed, made safe for a file name."""
    def safe(ref: str) -> str:
        return re.sub(r"[^A-Za-z0-9._-]+", "-", ref).strip("-") or "text"
    return f"compare-{safe(ref_a)}-{safe(ref_b)}.{ {'html': 'html', 'json': 'json', 'text': 'txt'}[fmt] }"


@main.command()
@click.argument("ref_a", metavar="A")
@click.argument("ref_b", metavar="B")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write to FILE ('-': standard output). Default for html: compare-A-B.html, named on stderr; "
                   "json and text go to standard output.")
@format_option("html", "json", "text")
@open_option
@click.option("--no-themes", is_flag=True, help="Leave out theme highlighting and rates.")
@pass_workspace
def compare(workspace: Workspace, ref_a: str, ref_b: str, output: Path | None, fmt: str, open_: bool,
            no_themes: bool) -> None:
    """Compare two declarations (or two editions of one) sentence by sentence.

    Sentences are aligned even when reworded, moved, merged or split; each row says whether it is the
    same, changed, moved, removed or added, with the changed words marked.

    \b
    Example:
      sco-decl compare 2004 2005 --open
      sco-decl compare 2005@worldjpn 2005@sco-secretariat --format text
      sco-decl compare 2005 2006 --format json -o compare.json
    """
    from sco_decl.compare.comparison import compare as run_compare
    from sco_decl.outputs.formats import render_comparison

    if open_ and fmt != "html":
        raise click.UsageError("--open works with --format html only")
    comparison = run_compare(workspace.corpus, ref_a, ref_b, themes=not no_themes, workspace=workspace)
    counts = ", ".join(f"{k} {v}" for k, v in comparison.counts.items())
    summary = f"similarity {comparison.similarity:.2f}; {counts}"
    if fmt == "html":
        deliver(render_comparison(comparison, fmt), output, default_name(ref_a, ref_b, fmt), open_=open_,
                summary=summary)
        return
    if output is None or str(output) == "-":
        color = fmt == "text" and sys.stdout.isatty()
        text = render_comparison(comparison, fmt, color=color,
                                 width=shutil.get_terminal_size((120, 40)).columns if color else 120)
        click.echo(text, nl=False, color=color)
        return
    from sco_decl.outputs.render import write_output  # here: JSON or text on stdout need no Jinja

    write_output(output, render_comparison(comparison, fmt))
    click.echo(f"wrote {output} ({summary})", err=True)
