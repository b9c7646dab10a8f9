"""Command: info, where everything is and which versions are in use (so no folder is ever a surprise)."""
from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sco_decl._version import __version__
from sco_decl.cli.base import AppContext, main
from sco_decl.cli.options import format_option, pass_workspace
from sco_decl.outputs.textable import text_table

if TYPE_CHECKING:  # annotations only: the analysis stack loads when a command makes its Workspace
    from sco_decl.workspace import Workspace


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def gather(app: AppContext, themes_file: Path | None, model: str | None) -> dict[str, Any]:
    """The facts `info` prints, as one dict (the JSON output)."""
    from sco_decl.analysis.lexicon import load_lexicon
    from sco_decl.analysis.pipeline import load_pipeline, pipeline_id
    from sco_decl.paths import (PACKAGE_DIR, cache_dir, catalog_dir, checkout_texts_with_revisions, is_checkout,
                                templates_dir, user_texts_dir)

    corpus = app.corpus
    if app.texts is not None:
        chosen = "--texts or SCO_DECL_TEXTS"
    else:
        chosen = "default: the per-user folder (the same for every install mode)"
    lexicon = load_lexicon(themes_file)
    nlp = load_pipeline(model)
    earlier = checkout_texts_with_revisions()
    decls = corpus.declarations()
    return {
        "corpus": {"folder": str(corpus.root.resolve()), "chosen_by": chosen, "exists": corpus.root.is_dir(),
                   "declarations": len(decls),
                   "revisions": sum(len(corpus.revisions(d.id, e)) for d in decls
                                    for e in corpus.editions_on_disk(d.id)),
                   "default_folder": str(user_texts_dir()),
                   "texts_in_checkout": str(earlier) if earlier else None},
        "cache": {"folder": str(cache_dir(corpus.root).resolve())},
        "lexicon": {"sources": list(lexicon.sources), "themes": len(lexicon.themes), "sha256": lexicon.sha256},
        "pipeline": {"id": pipeline_id(nlp), "model": model or "blank English with lookup lemmas"},
        "install": {"package": str(PACKAGE_DIR), "mode": "checkout (editable)" if is_checkout() else "installed",
                    "templates": str(templates_dir()), "catalog": str(catalog_dir())},
        "versions": {"sco-decl": __version__, "python": platform.python_version(),
                     **{name: _version(name) for name in ("spacy", "click", "jinja2", "platformdirs")}},
    }


@main.command()
@format_option("text", "json")
@pass_workspace
def info(workspace: Workspace, fmt: str) -> None:
    """Show where the corpus and its cache are, which lexicon and pipeline are in use, and the versions.

    The corpus folder is the per-user folder unless --texts (or SCO_DECL_TEXTS) names another, whether
    sco-decl was installed with `pip install .` or as an editable checkout.

    \b
    Example:
      sco-decl info
      sco-decl --texts texts info --format json
    """
    app = click.get_current_context().find_object(AppContext)  # which option chose the folder
    assert app is not None
    facts = gather(app, workspace.themes_file, workspace.model)
    if fmt == "json":
        click.echo(json.dumps(facts, indent=2, ensure_ascii=False))
        return
    rows = [(f"{group}.{key}", "-" if value is None else str(value))
            for group, values in facts.items() for key, value in values.items()]
    click.echo(text_table(["what", "value"], rows), nl=False)
    if facts["corpus"]["texts_in_checkout"] and app.texts is None:
        click.echo(f"note: {facts['corpus']['texts_in_checkout']} holds texts stored by an earlier version; "
                   f"use them with --texts {facts['corpus']['texts_in_checkout']}", err=True)
