"""Commands: site."""
from __future__ import annotations

import time
from pathlib import Path

import click

from sco_decl.cli.base import main
from sco_decl.cli.options import pass_corpus, themes_file_option
from sco_decl.cli.pages import open_in_browser, open_option
from sco_decl.cli.progress import quiet_option, site_progress
from sco_decl.store.corpus import Corpus


@main.command()
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="The folder to build: new, empty or a site sco-decl built (then replaced atomically); "
                   "a folder with other files, the corpus or a parent of the current folder is refused.")
@themes_file_option
@open_option
@quiet_option
@pass_corpus
def site(corpus: Corpus, out: Path, themes_file: Path | None, open_: bool, quiet: bool) -> None:
    """Build the research site: chronology, declarations, comparisons, charts, appendix, search.

    The folder works opened from disk (file://), with no network. A second run re-renders only the pages
    whose texts, lexicon, templates or tool version changed.

    \b
    Example:
      sco-decl site -o site --open
    """
    from sco_decl.analysis.lexicon import load_lexicon
    from sco_decl.site.build import build_site

    started = time.perf_counter()
    with site_progress(quiet) as (planned, step):
        report = build_site(corpus, out, lexicon=load_lexicon(themes_file), progress=step, planned=planned)
    seconds = time.perf_counter() - started
    click.echo(f"site: {out}/index.html ({report.pages} files: {len(report.build.made)} made, "
               f"{len(report.build.reused)} unchanged) in {seconds:.1f}s")
    if report.missing:
        ids = ", ".join(r["id"] for r in report.missing)
        click.echo(f"missing text for {len(report.missing)} declaration(s): {ids}", err=True)
        click.echo("  get them with `sco-decl fetch ID` or `sco-decl add FILE --to ID --edition NAME`", err=True)
    if open_:
        open_in_browser(out / "index.html")
