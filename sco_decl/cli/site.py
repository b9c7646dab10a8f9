"""Commands: site."""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sco_decl.cli.base import main
from sco_decl.cli.options import pass_workspace
from sco_decl.cli.pages import open_in_browser, open_option
from sco_decl.cli.progress import quiet_option, site_progress

if TYPE_CHECKING:  # annotations only: the analysis stack loads when a command makes its Workspace
    from sco_decl.workspace import Workspace


@main.command()
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="The folder to build: new, empty or a site sco-decl built (then replaced atomically); "
                   "a folder with other files, the corpus or a parent of the current folder is refused.")
@open_option
@quiet_option
@pass_workspace
def site(workspace: Workspace, out: Path, open_: bool, quiet: bool) -> None:
    """Build the research site: chronology, declarations, comparisons, charts, appendix, search.

    The folder works opened from disk (file://), with no network. A second run re-renders only the pages
    whose texts, lexicon, templates or tool version changed.

    \b
    Example:
      sco-decl site -o site --open
    """
    from sco_decl.site.build import build_site

    started = time.perf_counter()
    with site_progress(quiet) as (planned, step):
        report = build_site(None, out, workspace=workspace, progress=step, planned=planned)
    seconds = time.perf_counter() - started
    click.echo(f"site: {out}/index.html ({report.pages} files: {len(report.build.made)} made, "
               f"{len(report.build.reused)} unchanged) in {seconds:.1f}s")
    if report.missing:
        ids = ", ".join(r["id"] for r in report.missing)
        click.echo(f"missing text for {len(report.missing)} declaration(s): {ids}", err=True)
        click.echo("  get them with `sco-decl fetch ID` or `sco-decl add FILE --to ID --edition NAME`", err=True)
    if open_:
        open_in_browser(out / "index.html")
