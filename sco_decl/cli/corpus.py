"""Commands that keep the corpus: list, new, add, show, log, check."""
from __future__ import annotations

import json
from pathlib import Path

import click

from sco_decl.cli.base import creates_corpus, main
from sco_decl.cli.fetch import profile_option, provenance_meta, provenance_options, settings_with, timeout_option
from sco_decl.cli.options import format_option, pass_corpus
from sco_decl.store.views import declaration_rows, revision_meta
from sco_decl.store.model import AddResult, check_name
from sco_decl.ingest import defaults
from sco_decl.ingest.sources import add_source
from sco_decl.store.corpus import Corpus
from sco_decl.outputs.textable import text_table


@main.command("list")
@format_option("table", "json")
@pass_corpus
def list_cmd(corpus: Corpus, fmt: str) -> None:
    """List the declarations: date, place, title, editions and whether text is present.

    \b
    Example:
      sco-decl list --format json
    """
    rows = declaration_rows(corpus)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"No declarations in {corpus.root} yet: create one with `sco-decl new`.")
        return
    table = [(r["id"], r["date"], r["place"], ", ".join(
        f"{e['name']}({e['revisions']})" for e in r["editions"]) or "-",
        "yes" if any(e["has_text"] for e in r["editions"]) else "no", r["title"]) for r in rows]
    click.echo(text_table(["id", "date", "place", "editions(revisions)", "text", "title"], table), nl=False)


@creates_corpus
@main.command()
@click.argument("ident", metavar="ID")
@click.option("--title", required=True, help="The declaration's title.")
@click.option("--date", "date", required=True, help="Date signed, YYYY-MM-DD.")
@click.option("--place", required=True, help="Where it was signed.")
@click.option("--signatory", "signatories", multiple=True, help="A signatory (repeat for each).")
@pass_corpus
def new(corpus: Corpus, ident: str, title: str, date: str, place: str, signatories: tuple[str, ...]) -> None:
    """Create a new declaration entry in the catalog (no text yet).

    \b
    Example:
      sco-decl new 2007-bishkek --title "Bishkek Declaration" --date 2007-08-16 --place Bishkek
    """
    decl = corpus.new_declaration(ident, title=title, date=date, place=place, signatories=signatories)
    click.echo(f"created {decl.id} ({decl.date.isoformat()}, {decl.place})")


@main.command()
@click.argument("source")
@click.option("--to", "to", required=True, metavar="ID", help="The declaration the text belongs to.")
@click.option("--edition", required=True, help="Edition name (the source or translation), e.g. worldjpn.")
@click.option("--note", help="A note kept with the revision.")
@click.option("--encoding", help="Encoding of a file that is not UTF-8, e.g. windows-1251.")
@click.option("--max-size", type=int, default=defaults.MAX_INPUT_BYTES, show_default=True,
              help="Largest accepted input, in bytes.")
@click.option("--language", type=click.Choice(["en", "ru", "zh"]),
              help="Language of a new edition (default: detected from the text). The catalog's language "
                   "decides for an edition it already lists.")
@provenance_options
@profile_option
@timeout_option
@pass_corpus
def add(corpus: Corpus, source: str, to: str, edition: str, note: str | None, encoding: str | None,
        max_size: int, language: str | None, page_url: str | None, publisher: str | None, translator: str | None,
        accessed: str | None, profile: str | None, timeout: float | None) -> None:
    """Import a text as the next revision of an edition (SOURCE: a .txt/.md/.html/.pdf/.docx file, an
    http(s) URL, or - for stdin).

    Identical text is a no-op ("unchanged"); different text becomes a new revision.

    \b
    Example:
      sco-decl add astana.txt --to 2005-astana --edition worldjpn --note "from a PDF copy"
      sco-decl add saved.html --to 2005 --edition chinadaily --url http://www.chinadaily.com.cn/a.htm \
        --accessed 2024-03-05 --publisher "China Daily"
      sco-decl add astana-ru.txt --to 2005-astana --edition mid-ru --language ru
    """
    decl = corpus.resolve_declaration(to)
    catalogued = decl.edition(edition)
    check_name(edition, "edition name")  # before reading: a bad name fails fast, nothing read or written
    given = provenance_meta(source, page_url, publisher, translator, accessed)
    outcome = add_source(corpus, decl.id, edition, source, note=note, encoding=encoding, max_bytes=max_size,
                         profile=profile, meta=given, settings=settings_with(timeout, max_bytes=max_size))
    assert outcome.revision is not None  # add_source raises rather than store nothing
    result = AddResult(outcome.status, outcome.revision)
    for warning in outcome.warnings:
        click.echo(f"warning: {warning}", err=True)
    _record_language(corpus, decl.id, edition, catalogued, language, corpus.read_text(result.revision))
    click.echo("unchanged" if result.status == "unchanged" else result.line())


def _record_language(corpus: Corpus, decl_id: str, edition: str, catalogued: object, language: str | None,
                     text: str) -> None:
    """The catalog's language decides for an edition it lists; a new edition takes --language or the
    detected language. A one-line note says when detection disagrees."""
    from sco_decl.analysis.languages import LANGUAGE_NAMES, detect_language

    detected = detect_language(text)
    chosen = getattr(catalogued, "language", None) or language or detected
    if catalogued is not None and language and language != chosen:
        click.echo(f"note: the catalog gives {decl_id}@{edition} as {chosen}; --language {language} is "
                   "ignored (edit texts/<id>/declaration.toml to change it)", err=True)
    elif detected != chosen:
        click.echo(f"note: the text looks {LANGUAGE_NAMES.get(detected, detected)} but {decl_id}@{edition} is "
                   f"{'catalogued' if catalogued is not None else 'given'} as {chosen}", err=True)
    if catalogued is None:
        corpus.set_edition_language(decl_id, edition, chosen)


@main.command()
@click.argument("ref")
@click.option("--meta", is_flag=True, help="Print the revision's metadata as JSON instead of its text.")
@pass_corpus
def show(corpus: Corpus, ref: str, meta: bool) -> None:
    """Print a revision's text exactly as stored.

    \b
    Example:
      sco-decl show 2005@worldjpn:r1
      sco-decl show 2005 --meta
    """
    revision = corpus.resolve(ref)
    if meta:
        click.echo(json.dumps(revision_meta(corpus, revision), indent=2, ensure_ascii=False))
        return
    click.echo(corpus.read_text(revision), nl=False)


@main.command()
@click.argument("ref")
@pass_corpus
def log(corpus: Corpus, ref: str) -> None:
    """List the revisions of a declaration (every edition) or of one edition.

    \b
    Example:
      sco-decl log 2006
      sco-decl log 2006@xinhua
    """
    decl = corpus.resolve_declaration(ref.split("@")[0])
    editions = [ref.split("@", 1)[1].split(":")[0]] if "@" in ref else corpus.editions_on_disk(decl.id)
    rows = [(r.ref, r.added, r.sha256[:12], r.source, r.note or "")
            for e in editions for r in corpus.revisions(decl.id, e)]
    if not rows:
        click.echo(f"{decl.id} has no revisions yet: run `sco-decl fetch {decl.id}` or `sco-decl add`.")
        return
    click.echo(text_table(["revision", "added", "sha256", "source", "note"], rows), nl=False)


@main.command()
@click.option("--repair", is_flag=True,
              help="Remove temporary files and empty folders left by interrupted writes and keep orphan texts "
                   "as revisions; changed or missing texts are only reported.")
@pass_corpus
def check(corpus: Corpus, repair: bool) -> None:
    """Verify every revision against its recorded sha256 and look for anything out of place: temporary files
    of interrupted writes, orphans, empty or unknown files. Exit 1 if anything is found (after --repair: if
    anything remains).

    \b
    Example:
      sco-decl check
      sco-decl check --repair
    """
    if repair:
        done, problems = corpus.repair()
        for fix in done:
            click.echo(f"repaired: {fix.path}: {fix.action}: {fix.detail}")
    else:
        problems = corpus.check()
    for p in problems:
        click.echo(f"{p.kind}: {p.path}: {p.detail}")
    if problems:
        from sco_decl.store.checkup import fixable

        can = sum(fixable(p) for p in problems)
        if can and not repair:
            click.echo(f"{can} of these can be repaired safely: run `sco-decl check --repair`", err=True)
        raise click.exceptions.Exit(1)
    count = len(corpus.all_revisions())
    click.echo(f"ok: {count} revision(s) verified in {Path(corpus.root)}")
