"""sco-decl: versioned texts of summit declarations and how their language changes.

The public API is small: open a corpus, analyse, compare, render. Everything else is an implementation
module that may change.

    from sco_decl import Corpus, Workspace, load_lexicon, analyse, compare
    corpus = Corpus.open("texts")
    lexicon = load_lexicon()
    a = analyse(corpus, corpus.resolve("2005"), lexicon)
    print(a.counts["non-interference"].rate_per_1000)
    print(compare(corpus, "2004", "2005", lexicon=lexicon).to_json()["alignment"][:3])

    workspace = Workspace(corpus)          # what commands use: one lexicon, pipelines, the parse cache
    doc = workspace.document("2005")       # Document: revision, declaration, sentences, tokens, matches

Names are imported on first use (PEP 562), so `import sco_decl` and the CLI's start-up load no spaCy.
"""
from __future__ import annotations

import importlib
from typing import Any

from sco_decl._version import __version__

_EXPORTS = {
    "AddResult": "sco_decl.store.model",
    "Declaration": "sco_decl.store.model",
    "EditionInfo": "sco_decl.store.model",
    "Revision": "sco_decl.store.model",
    "Corpus": "sco_decl.store.corpus",
    "ScoDeclError": "sco_decl.errors",
    "Workspace": "sco_decl.workspace",
    "Document": "sco_decl.analysis.document",
    "Lexicon": "sco_decl.analysis.lexicon",
    "Theme": "sco_decl.analysis.lexicon",
    "load_lexicon": "sco_decl.analysis.lexicon",
    "DocumentAnalysis": "sco_decl.analysis.themes",
    "analyse": "sco_decl.workspace",
    "report": "sco_decl.analysis.themes",
    "Comparison": "sco_decl.compare.comparison",
    "compare": "sco_decl.compare.comparison",
    "render_comparison": "sco_decl.outputs.formats",
    "build_site": "sco_decl.site.build",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sco_decl' has no attribute {name!r}")
