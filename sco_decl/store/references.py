"""Turning the REF arguments of a command into stored revisions (list, themes, kwic, trace, chart, appendix...)."""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from sco_decl.errors import NoTextError
from sco_decl.store.corpus import Corpus
from sco_decl.store.model import Revision


def resolve_refs(corpus: Corpus, refs: Sequence[str] = ()) -> list[Revision]:
    """The revisions named (default: every declaration with text), in date order, each once.

    REFs whose declaration has no text yet are collected and reported together in one line.
    """
    if not refs:
        return corpus.texts_present()
    found: list[Revision] = []
    missing: list[str] = []
    for ref in refs:
        try:
            found.append(corpus.resolve(ref))
        except NoTextError:
            missing.append(corpus.resolve_declaration(ref.split("@")[0].split(":")[0]).id)
    if missing:
        names = list(dict.fromkeys(missing))
        if len(names) == 1:
            raise NoTextError(f"{names[0]} has no text yet: run `sco-decl fetch {names[0]}` or `sco-decl add`")
        raise NoTextError(f"{', '.join(names)} have no text yet: run `sco-decl fetch ID` for each "
                          "(or `sco-decl add`)")
    dates = {d.id: d.date for d in corpus.declarations()}
    unique = list({r.sha256 + r.ref: r for r in found}.values())
    return sorted(unique, key=lambda r: (dates.get(r.declaration, dt.date.min), r.declaration, r.edition))
