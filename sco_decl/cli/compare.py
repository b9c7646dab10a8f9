"""Commands: compare."""
from __future__ import annotations

import re
import shutil
import sys
import webbrowser
from pathlib import Path

import click

from sco_decl.cli.base import main
from sco_decl.cli.options import format_option, output_option, pass_workspace
from sco_decl.workspace import Workspace


def default_name(ref_a: str, ref_b: str, fmt: str) -> str:
    """`compare-A-B.html` from the references as typed, made safe for a file name."""
    def safe(ref: str) -> str:
        return re.sub(r"[^A-Za-z0-9._-]+", "-", ref).strip("-") or "text"
    return f"compare-{safe(ref_a)}-{safe(ref_b)}.{ {'html': 'html', 'json': 'json', 'text': 'txt'}[fmt] }"


@main.command()
@click.argument("ref_a", metavar="A")
@click.argument("ref_b", metavar="B")
@output_option("Write to FILE. Default for html: compare-A-B.html; json and text go to standard output.")
@format_option("html", "json", "text")
@click.option("--open", "open_", is_flag=True, help="Open the HTML page in a browser when written.")
@click.option("--no-themes", is_flag=True, help="Leave out theme highlighting and rates.")
@pass_workspace
def compare(workspace: Workspace, ref_a: str, ref_b: str, output: Path | None, fmt: str, open_: bool,
            no_themes: bool) -> None:
    """Compare two declarations (or two editions of one) sentence by sentence.

    Sentences are aligned even when reworded, moved, merged or split; each row says whether it is the
    same, changed, moved, removed or added, with the changed words marked.

    \b
    Example:
      sco-decl compare 2014 2015
      sco-decl compare 2013@secretariat 2013@wire --format text
      sco-decl compare 2014 2015 --format json -o compare.json
    """
    from sco_decl.compare.comparison import compare as run_compare
    from sco_decl.outputs.formats import render_comparison
    from sco_decl.outputs.render import write_output

    if open_ and fmt != "html":
        raise click.UsageError("--open works with --format html only")
    comparison = run_compare(workspace.corpus, ref_a, ref_b, themes=not no_themes, workspace=workspace)
    if output is None and fmt == "html":
        output = Path(default_name(ref_a, ref_b, fmt))
    if output is None:
        color = fmt == "text" and sys.stdout.isatty()
        text = render_comparison(comparison, fmt, color=color,
                                 width=shutil.get_terminal_size((120, 40)).columns if color else 120)
        click.echo(text, nl=False, color=color)
        return
    write_output(output, render_comparison(comparison, fmt))
    counts = ", ".join(f"{k} {v}" for k, v in comparison.counts.items())
    click.echo(f"wrote {output} (similarity {comparison.similarity:.2f}; {counts})", err=True)
    if open_:
        webbrowser.open(output.resolve().as_uri())
