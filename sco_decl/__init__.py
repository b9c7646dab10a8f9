"""sco-decl: versioned texts of summit declarations and how their language changes.

The public API is small: open a corpus, analyse, compare, render. Everything else is an implementation
module that may change.

    from sco_decl import Corpus, load_lexicon, analyse, compare
    corpus = Corpus.open("texts")
    lexicon = load_lexicon()
    a = analyse(corpus, corpus.resolve("2005"), lexicon)
    print(a.counts["non-interference"].rate_per_1000)
    print(compare(corpus, "2004", "2005", lexicon=lexicon).to_json()["alignment"][:3])
"""
from __future__ import annotations

__version__ = "0.1.0"

from sco_decl.compare import Comparison, compare, render_comparison
from sco_decl.errors import ScoDeclError
from sco_decl.lexicon import Lexicon, Theme, load_lexicon
from sco_decl.model import AddResult, Declaration, EditionInfo, Revision
from sco_decl.site import build_site
from sco_decl.store import Corpus
from sco_decl.themes import DocumentAnalysis, analyse, report

__all__ = [
    "__version__",
    "AddResult",
    "Comparison",
    "Corpus",
    "Declaration",
    "DocumentAnalysis",
    "EditionInfo",
    "Lexicon",
    "Revision",
    "ScoDeclError",
    "Theme",
    "analyse",
    "build_site",
    "compare",
    "load_lexicon",
    "render_comparison",
    "report",
]
