"""Commands: fetch, reextract."""
from __future__ import annotations

import dataclasses
from typing import Any

import click

from sco_decl.cli.base import main
from sco_decl.cli.options import pass_corpus
from sco_decl.cli.progress import quiet_option, site_progress
from sco_decl.ingest import defaults
from sco_decl.ingest.defaults import Settings
from sco_decl.ingest.layout import profile_names
from sco_decl.ingest.outcome import Outcome
from sco_decl.outputs.textable import text_table
from sco_decl.store.corpus import Corpus

# The settings a CLI run uses (tests swap in shorter timeouts and no pacing, and a fake archive or none).
SETTINGS: Settings | None = None  # None: the defaults (ingest.defaults.Settings)
ARCHIVE: str | None = defaults.ARCHIVE


def _settings() -> Settings:
    return SETTINGS or Settings()


def profile_option(function: Any) -> Any:
    """`--profile NAME`: force a publisher's cleanup profile instead of detecting it; fetch, add, reextract."""
    return click.option("--profile", type=click.Choice(profile_names()), default=None, metavar="NAME",
                        help=f"Clean the page with this publisher's profile instead of detecting it "
                             f"({', '.join(profile_names())}).")(function)


def timeout_option(function: Any) -> Any:
    """`--timeout SECONDS`: the most one download may take in all (connect, reads, retries); fetch and add."""
    return click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
                        help=f"Give up on a page after this many seconds in all: connecting, reading, retries "
                             f"[default: {Settings.timeout:g}].")(function)


def settings_with(timeout: float | None, **changes: Any) -> Settings:
    """The run's settings with the options given on the command line."""
    if timeout is not None:
        changes["timeout"] = timeout
    return dataclasses.replace(_settings(), **changes)


def provenance_options(function: Any) -> Any:
    """`add`'s --url, --publisher, --translator, --accessed: what a citation may say about a text the tool did
    not download itself (nothing is claimed that the user did not give)."""
    options = [
        click.option("--url", "page_url", metavar="URL",
                     help="Where the imported file was published (an http(s) URL), for citations."),
        click.option("--publisher", metavar="NAME", help="Who published this text (overrides the catalog's)."),
        click.option("--translator", metavar="NAME", help="Who translated this text, for citations."),
        click.option("--accessed", metavar="YYYY-MM-DD",
                     help="When you visited --url; without it a citation gives no access date for a file."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def provenance_meta(source: str, page_url: str | None, publisher: str | None, translator: str | None,
                    accessed: str | None) -> dict[str, Any]:
    """The revision metadata the provenance options give; misuse is a usage error naming the option."""
    import datetime as dt

    fetched = source.lower().startswith(("http://", "https://"))
    if fetched and (page_url or accessed):
        raise click.UsageError("--url and --accessed describe an imported file; a URL source records its own "
                               "address and retrieval time")
    if page_url and not page_url.lower().startswith(("http://", "https://")):
        raise click.BadParameter(f"{page_url!r} is not an http(s) URL", param_hint="--url")
    if accessed:
        try:
            accessed = dt.date.fromisoformat(accessed).isoformat()
        except ValueError:
            raise click.BadParameter(f"{accessed!r} is not a date YYYY-MM-DD", param_hint="--accessed") from None
        if not page_url:
            raise click.UsageError("--accessed needs --url: it is the day that page was visited")
    given = {"url": page_url, "publisher": publisher, "translator": translator, "accessed": accessed}
    return {key: value for key, value in given.items() if value}


def _archive_base(archive: str | None, no_archive: bool) -> str | None:
    if no_archive and archive:
        raise click.UsageError("--archive and --no-archive contradict each other; give one")
    if no_archive:
        return None
    if archive and not archive.lower().startswith(("http://", "https://")):
        raise click.BadParameter(f"{archive!r} is not an http(s) URL", param_hint="--archive")
    return archive or ARCHIVE


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
@click.option("--check", "check_only", is_flag=True,
              help="Store nothing: report for each edition whether its live page and an archived copy are "
                   "reachable.")
@click.option("--archive", metavar="URL", default=None,
              help=f"Base address of the web archive asked for pages that are gone [default: {ARCHIVE}].")
@click.option("--no-archive", is_flag=True, help="Never ask a web archive.")
@profile_option
@timeout_option
@quiet_option
@pass_corpus
def fetch(corpus: Corpus, ids: tuple[str, ...], edition: str | None, refresh: bool, raw_only: bool,
          check_only: bool, archive: str | None, no_archive: bool, profile: str | None,
          timeout: float | None, quiet: bool) -> None:
    """Download the catalogued editions (all declarations, or the IDs given) and store their text.

    Each page is kept raw (gzip, with headers) under <id>/<edition>/raw/, its text is extracted with the
    publisher's cleanup profile (detected from the address or the page itself), and a new revision is stored
    if the text changed. At most one request per second goes to a host. A page that is gone (404, 410, no
    DNS, a 'not found' page) is taken from the web archive's snapshot closest to the declaration's date, and
    both addresses are kept in the provenance. Exit status 1 if any edition failed.

    \b
    Example:
      sco-decl fetch
      sco-decl fetch 2005 2006 --edition worldjpn --refresh
      sco-decl fetch 2005 --check
    """
    base = _archive_base(archive, no_archive)
    if check_only:
        _check(corpus, ids, edition, settings_with(timeout), base)
        return
    with site_progress(quiet, "fetching") as (planned, step):  # a bar on a terminal only, none with --quiet
        seen = {"planned": False, "done": 0}

        def progress(done: int, total: int, current: str) -> None:
            if not seen["planned"]:
                planned(total)
                seen["planned"] = True
            while seen["done"] < done:
                step(current)
                seen["done"] += 1

        from sco_decl.ingest.fetch import fetch_editions

        outcomes = fetch_editions(corpus, ids, edition=edition, refresh=refresh, raw_only=raw_only,
                                  settings=settings_with(timeout), progress=progress, profile=profile,
                                  archive=base)
    if not outcomes:
        click.echo("nothing to fetch: no catalogued edition has a URL")
        return
    click.echo(_summary(outcomes), nl=False)
    failed = sum(not o.ok for o in outcomes)
    if failed:
        click.echo(f"{failed} of {len(outcomes)} edition(s) failed", err=True)
        raise click.exceptions.Exit(1)


def _check(corpus: Corpus, ids: tuple[str, ...], edition: str | None, settings: Settings,
           archive: str | None) -> None:
    """`fetch --check`: one line per edition; exit 1 when an edition has neither a live nor an archived copy."""
    from sco_decl.ingest.reach import check_editions

    found = check_editions(corpus, ids, edition=edition, settings=settings, archive=archive)
    if not found:
        click.echo("nothing to check: no catalogued edition has a URL")
        return
    rows = [(f"{r.declaration}@{r.edition}", r.live, r.archived) for r in found]
    click.echo(text_table(["edition", "live page", "archived copy"], rows), nl=False)
    lost = [r for r in found if not r.ok]
    if lost:
        click.echo(f"{len(lost)} of {len(found)} edition(s) have neither a live page nor an archived copy",
                   err=True)
        raise click.exceptions.Exit(1)


@main.command("reextract")
@click.argument("ref")
@profile_option
@pass_corpus
def reextract_cmd(corpus: Corpus, ref: str, profile: str | None) -> None:
    """Extract an edition's text again from its stored raw page (no network); a changed text becomes a new
    revision.

    \b
    Example:
      sco-decl reextract 2005@worldjpn
      sco-decl reextract 2005@worldjpn --profile generic
    """
    from sco_decl.ingest.fetch import reextract

    outcome = reextract(corpus, ref, profile=profile)
    click.echo(_summary([outcome]), nl=False)
