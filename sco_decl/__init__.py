"""sco-decl: versioned texts of summit declarations and how their language changes.

The public API is small: open a corpus, analyse, compare, render. Everything else is an implementation
module that may change.
"""
from __future__ import annotations

__version__ = "0.1.0"

from sco_decl.errors import ScoDeclError
from sco_decl.model import AddResult, Declaration, EditionInfo, Revision
from sco_decl.store import Corpus

__all__ = [
    "__version__",
    "AddResult",
    "Corpus",
    "Declaration",
    "EditionInfo",
    "Revision",
    "ScoDeclError",
]
