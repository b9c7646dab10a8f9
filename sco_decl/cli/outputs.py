"""Commands: chart, appendix, keyness, cite."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from sco_decl.cli.base import main
from sco_decl.cli.options import emit, format_option, output_option, pass_corpus
from sco_decl.store import Corpus
from sco_decl.textable import text_table


# -- keyness -------------------------------------------------------------------------------------------
def _keyness_rows(items: list) -> list[tuple]:
    return [(i.use, i.term, i.n, i.freq, i.freq_ref, f"{i.per_1000:.2f}", f"{i.per_1000_ref:.2f}",
             f"{i.g2:.2f}", f"{i.p:.4f}", f"{i.log_ratio:+.2f}") for i in items]


_KEYNESS_HEADERS = ["use", "term", "n", "freq", "freq_ref", "per_1000", "per_1000_ref", "g2", "p", "log_ratio"]


def _keyness_table(result, min_g2: float, limit: int) -> str:
    ref = ", ".join(r.ref for r in result.reference)
    head = (f"{result.target.ref} (sha256:{result.target.short}) against {len(result.reference)} text(s): {ref}\n"
            f"{result.unit} {result.ngram[0]}-{result.ngram[1]}-grams; G2 >= {min_g2} (p < 0.05 at 3.84); "
            f"log ratio = log2 of the ratio of relative frequencies\n\n")
    rows = _keyness_rows(result.over(min_g2)[:limit]) + _keyness_rows(result.under(min_g2)[:limit])
    if not rows:
        return head + "No term passes the threshold; lower it with --min-g2.\n"
    return head + text_table(_KEYNESS_HEADERS, rows, numeric=range(2, 10))


def _keyness_csv(result, min_g2: float, limit: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["target", "target_sha256"] + _KEYNESS_HEADERS)
    for item in result.over(min_g2)[:limit] + result.under(min_g2)[:limit]:
        data = item.to_json()
        writer.writerow([result.target.ref, result.target.sha256] + [data[h] for h in _KEYNESS_HEADERS])
    return buffer.getvalue()


_KEYNESS_RENDERERS = {
    "table": _keyness_table,
    "csv": _keyness_csv,
    "json": lambda r, g, n: json.dumps(r.to_json(g, n), indent=2, ensure_ascii=False) + "\n",
}


@main.command()
@click.argument("ref")
@click.option("--against", "against", multiple=True, metavar="REF",
              help="A reference text (repeat). Default: every earlier declaration's default edition.")
@click.option("--ngram", default="1-3", show_default=True, help="Phrase lengths in words, e.g. 1-3 or 2.")
@click.option("--unit", type=click.Choice(["lemma", "word"]), default="lemma", show_default=True,
              help="Count lemmas (met/meet together) or lowercase word forms.")
@click.option("--min-g2", type=float, default=3.84, show_default=True,
              help="Smallest log-likelihood shown (3.84: p < 0.05; 6.63: p < 0.01; 15.13: p < 0.0001).")
@click.option("--limit", type=click.IntRange(min=1), default=25, show_default=True,
              help="At most this many over- and under-used terms each.")
@format_option("table", "csv", "json")
@output_option()
@pass_corpus
def keyness(corpus: Corpus, ref: str, against: tuple[str, ...], ngram: str, unit: str, min_g2: float,
            limit: int, fmt: str, output: Path | None) -> None:
    """The words and phrases REF over- and under-uses, by Dunning's log-likelihood (G2) and log ratio.

    \b
    Example:
      sco-decl keyness 2005
      sco-decl keyness 2006 --against 2005 --ngram 2-3 --format csv
    """
    from sco_decl import keyness as kn
    from sco_decl.nlp import load_pipeline

    target = corpus.resolve(ref)
    reference = _resolve_all(corpus, against) if against else None
    result = kn.keyness(corpus, target, reference, ngram=kn.parse_ngram(ngram), unit=unit, nlp=load_pipeline())
    emit(_KEYNESS_RENDERERS[fmt](result, min_g2, limit), output)


def _resolve_all(corpus: Corpus, refs: tuple[str, ...] | list[str]) -> list:
    """Resolve every REF, naming all the ones without text in one error (as `themes` does)."""
    from sco_decl.themes import resolve_refs

    return resolve_refs(corpus, list(refs))


# -- cite ----------------------------------------------------------------------------------------------
@main.command()
@click.argument("ref")
@format_option("bibtex", "ris", "text")
@output_option()
@pass_corpus
def cite(corpus: Corpus, ref: str, fmt: str, output: Path | None) -> None:
    """A bibliography entry for the exact text analysed: title, date, place, publisher, URL, date accessed.

    The accessed date is when the tool fetched the page (or when the text was added by hand); the note
    names the revision and its sha256.

    \b
    Example:
      sco-decl cite 2005@worldjpn --format bibtex >> thesis.bib
    """
    from sco_decl.cite import citation, render_citation

    emit(render_citation(citation(corpus, corpus.resolve(ref)), fmt), output)
