"""`sco-decl catalog list` and `catalog add NAME`: the catalogs shipped beyond the default six declarations."""
from __future__ import annotations

import json
from typing import Any

import click

from sco_decl.cli.base import creates_corpus, main
from sco_decl.cli.options import format_option, pass_corpus
from sco_decl.store.corpus import Corpus
from sco_decl.outputs.textable import text_table


@main.group()
def catalog() -> None:
    """Catalogs shipped with sco-decl: add the later summits to a corpus with one command.

    \b
    Example:
      sco-decl catalog list
      sco-decl catalog add sco-2007-2025
    """


@catalog.command("list")
@format_option("table", "json")
@pass_corpus
def list_catalogs(corpus: Corpus, fmt: str) -> None:
    """List the shipped catalogs: name, years, how many declarations, how many the corpus already has.

    \b
    Example:
      sco-decl catalog list --format json
    """
    from sco_decl.ingest.catalogs import bundled_catalogs

    have = {d.id for d in corpus.declarations()}
    rows: list[dict[str, Any]] = [{"name": c.name, "title": c.title, "description": c.description,
             "first": c.declarations[0].date.isoformat(), "last": c.declarations[-1].date.isoformat(),
             "declarations": len(c.declarations), "in_corpus": sum(d.id in have for d in c.declarations),
             "ids": [d.id for d in c.declarations]} for c in bundled_catalogs()]
    if fmt == "json":
        click.echo(json.dumps({"corpus": str(corpus.root), "catalogs": rows}, indent=2, ensure_ascii=False))
        return
    table = [(r["name"], f"{r['first'][:4]}-{r['last'][:4]}", str(r["declarations"]),
              f"{r['in_corpus']}/{r['declarations']}", r["title"]) for r in rows]
    click.echo(text_table(["name", "years", "declarations", "in corpus", "title"], table), nl=False)


@creates_corpus  # a new corpus folder may start from a shipped catalog
@catalog.command("add")
@click.argument("name")
@pass_corpus
def add_catalog_cmd(corpus: Corpus, name: str) -> None:
    """Add a shipped catalog's declarations (facts and URLs, no text) to the corpus; declarations the
    corpus already has are left as they are. Fetch their texts afterwards with `sco-decl fetch`.

    \b
    Example:
      sco-decl catalog add sco-2007-2025
      sco-decl fetch 2010 2018
    """
    from sco_decl.ingest.catalogs import add_catalog

    report = add_catalog(corpus, name)
    click.echo(f"catalog {report.catalog}: added {len(report.added)} declaration(s) to {report.corpus}"
               + (f", {len(report.present)} already there" if report.present else ""))
    if report.added:
        click.echo(f"  added: {', '.join(report.added)}")
        click.echo("  next: `sco-decl fetch ID` downloads a declaration's editions")
