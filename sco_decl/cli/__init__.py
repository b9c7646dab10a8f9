"""The command line: a thin click layer over the library (parse, call, print).

Each module below registers its commands on the group in base.py; this file only imports them.
"""
from __future__ import annotations

from sco_decl.cli.base import main
from sco_decl.cli import corpus as _corpus  # noqa: F401  (list, new, add, show, log, check)
from sco_decl.cli import analysis as _analysis  # noqa: F401  (themes, kwic, trace, lexicon)
from sco_decl.cli import compare as _compare  # noqa: F401  (compare)
from sco_decl.cli import outputs as _outputs  # noqa: F401  (chart, appendix, keyness, cite)
from sco_decl.cli import fetch as _fetch  # noqa: F401  (fetch, reextract)
from sco_decl.cli import site as _site  # noqa: F401  (site)
from sco_decl.cli import info as _info  # noqa: F401  (info)
from sco_decl.cli import chronology as _chronology  # noqa: F401  (chronology, event add)
from sco_decl.cli import catalog as _catalog  # noqa: F401  (catalog list, catalog add)

__all__ = ["main"]
