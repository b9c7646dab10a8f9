"""Commands: fetch, reextract."""
from __future__ import annotations

import dataclasses
import sys
from typing import Any

import click

from sco_decl.cli.base import main
from sco_decl.cli.options import pass_corpus
from sco_decl.ingest.download import Settings
from sco_decl.ingest.fetch import Outcome, fetch_editions, reextract
from sco_decl.store.corpus import Corpus
from sco_decl.outputs.textable import text_table

# The settings a CLI run uses (tests swap in shorter timeouts and no pacing).
SETTINGS = Settings()


def timeout_option(function: Any) -> Any:
    """`--timeout SECONDS`: the most one download may take in all (connect, reads, retries); fetch and add."""
    return click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
                        help=f"Give up on a page after this many seconds in all: connecting, reading, retries "
                             f"[default: {SETTINGS.timeout:g}].")(function)


def settings_with(timeout: float | None, **changes: Any) -> Settings:
    """The run's settings with the options given on the command line."""
    if timeout is not None:
        changes["timeout"] = timeout
    return dataclasses.replace(SETTINGS, **changes)


def _summary(outcomes: list[Outcome]) -> str:
    rows = [(f"{o.declaration}@{o.edition}", o.label, o.url or "-") for o in outcomes]
    table = text_table(["edition", "result", "url"], rows)
    notes = [f"warning: {o.declaration}@{o.edition}: {w}" for o in outcomes for w in o.warnings]
    return table + "".join(f"{n}\n" for n in notes)


@main.command()
@click.argument("ids", nargs=-1, metavar="[ID ...]")
@click.option("--edition", metavar="NAME", help="Fetch only this edition of each declaration.")
@click.option("--refresh", is_flag=True,
              help="Check editions that already have text again (conditional request); a changed page "
                   "becomes a new revision.")
@click.option("--raw-only", is_flag=True, help="Download and keep the raw pages; extract nothing.")
@timeout_option
@pass_corpus
def fetch(corpus: Corpus, ids: tuple[str, ...], edition: str | None, refresh: bool, raw_only: bool,
          timeout: float | None) -> None:
    """Download the catalogued editions (all declarations, or the IDs given) and store their text.

    Each page is kept raw (gzip, with headers) under <id>/<edition>/raw/, its text is extracted with the
    publisher's cleanup profile, and a new revision is stored if the text changed. At most one request per
    second goes to a host. Exit status 1 if any edition failed.

    \b
    Example:
      sco-decl fetch
      sco-decl fetch 2005 2006 --edition worldjpn --refresh
    """
    with click.progressbar(length=1, label="fetching", file=sys.stderr,
                           show_pos=True, item_show_func=lambda item: item) as bar:

        def progress(done: int, total: int, current: str) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos, current or None)

        outcomes = fetch_editions(corpus, ids, edition=edition, refresh=refresh, raw_only=raw_only,
                                  settings=settings_with(timeout), progress=progress)
    if not outcomes:
        click.echo("nothing to fetch: no catalogued edition has a URL")
        return
    click.echo(_summary(outcomes), nl=False)
    failed = sum(not o.ok for o in outcomes)
    if failed:
        click.echo(f"{failed} of {len(outcomes)} edition(s) failed", err=True)
        raise click.exceptions.Exit(1)


@main.command("reextract")
@click.argument("ref")
@pass_corpus
def reextract_cmd(corpus: Corpus, ref: str) -> None:
    """Extract an edition's text again from its stored raw page (no network); a changed text becomes a new
    revision.

    \b
    Example:
      sco-decl reextract 2005@worldjpn
    """
    outcome = reextract(corpus, ref)
    click.echo(_summary([outcome]), nl=False)
