"""Which text stands for each declaration in a series (chart, appendix, themes table, site heat map).

A series shows declarations, not files: each declaration contributes one edition (its default, unless
`--edition NAME` or `--language CODE` picks another it has). Two editions of one declaration named on the
command line are *variants* of one point, never two successive declarations: outputs draw them at one
place on the axis and label them with their edition, and "similarity to the previous" never links them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from sco_decl.errors import ScoDeclError
from sco_decl.store.references import resolve_refs

if TYPE_CHECKING:
    from sco_decl.store.corpus import Corpus
    from sco_decl.store.model import Declaration, Revision


class EditionChoiceError(ScoDeclError):
    """An --edition or --language that no declaration of the series has."""


@dataclass(frozen=True)
class Choice:
    """What the user asked for: an edition name and/or a language code (None: the catalog's default)."""

    edition: str | None = None
    language: str | None = None

    @property
    def any(self) -> bool:
        return bool(self.edition or self.language)


def pick_edition(corpus: Corpus, decl: Declaration, choice: Choice) -> str | None:
    """The edition with text that `choice` picks for `decl`, falling back to the default edition."""
    on_disk = corpus.editions_on_disk(decl.id)
    if choice.edition and choice.edition in on_disk:
        return choice.edition
    if choice.language:
        by_language = [e.name for e in decl.editions if e.language == choice.language and e.name in on_disk]
        if by_language:
            default = corpus.default_edition(decl)
            return default if default in by_language else by_language[0]
    return corpus.default_edition(decl)


def select(corpus: Corpus, refs: Sequence[str] = (), choice: Choice = Choice()) -> list[Revision]:
    """The revisions of a series in date order, one per declaration unless a REF names an edition.

    A bare REF (`2013`, `2013-valmora`) takes the chosen edition; `2013@wire` keeps its edition, so
    `2013@wire 2013@secretariat` are two variants of one declaration. With a choice that no declaration
    has, the error says which editions and languages exist.
    """
    if choice.any:
        _check_choice(corpus, choice)
    if not refs:
        found = []
        for decl in corpus.declarations():
            edition = pick_edition(corpus, decl, choice)
            if edition:
                found.append(corpus.revisions(decl.id, edition)[-1])
        return found
    named: list[str] = []
    for ref in refs:
        bare = _declaration(corpus, ref) if choice.any and "@" not in ref and ":" not in ref else None
        edition = pick_edition(corpus, bare, choice) if bare is not None else None
        named.append(f"{bare.id}@{edition}" if bare is not None and edition else ref)
    return order(corpus, resolve_refs(corpus, named))


def _declaration(corpus: Corpus, ref: str) -> Declaration | None:
    """The declaration a bare REF names, or None for a sha256 prefix (which names one revision)."""
    try:
        return corpus.resolve_declaration(ref)
    except ScoDeclError:
        return None


def order(corpus: Corpus, revisions: Sequence[Revision]) -> list[Revision]:
    """Date order; the variants of one declaration together, its default edition first."""
    decls = {d.id: d for d in corpus.declarations()}

    def key(r: Revision) -> tuple[dt.date, str, int, str]:
        decl = decls[r.declaration]
        return (decl.date, decl.id, 0 if r.edition == corpus.default_edition(decl) else 1, r.edition)

    return sorted(revisions, key=key)


def _check_choice(corpus: Corpus, choice: Choice) -> None:
    editions: set[str] = set()
    languages: set[str] = set()
    for decl in corpus.declarations():
        on_disk = set(corpus.editions_on_disk(decl.id))
        editions |= on_disk
        languages |= {e.language for e in decl.editions if e.name in on_disk and e.language}
    if choice.edition and choice.edition not in editions:
        raise EditionChoiceError(f"no declaration has text in an edition named {choice.edition!r}; editions "
                                 f"with text: {', '.join(sorted(editions)) or 'none'}")
    if choice.language and choice.language not in languages:
        raise EditionChoiceError(f"no declaration has text in language {choice.language!r}; languages with "
                                 f"text: {', '.join(sorted(languages)) or 'none'}")


def is_variant(revisions: Sequence[Revision], i: int) -> bool:
    """True when row i is a second (third...) edition of the declaration of the row before it."""
    return i > 0 and revisions[i - 1].declaration == revisions[i].declaration


def has_variants(revisions: Sequence[Revision]) -> bool:
    return any(is_variant(revisions, i) for i in range(len(revisions)))


def editions_note(revisions: Sequence[Revision]) -> str:
    """Which editions a series uses, in words for a caption: "the secretariat edition of each
    declaration" or "the secretariat edition; 2013-valmora also in the wire edition"."""
    if not revisions:
        return ""
    firsts = [r for i, r in enumerate(revisions) if not is_variant(revisions, i)]
    names = sorted({r.edition for r in firsts}, key=lambda e: -sum(r.edition == e for r in firsts))
    main = names[0]
    text = f"the {main} edition of each declaration" if len(names) == 1 else f"the {main} edition"
    others = [f"{r.declaration}: {r.edition}" for r in firsts if r.edition != main]
    if others:
        text += " (" + "; ".join(others) + ")"
    variants = [f"{r.declaration} also in the {r.edition} edition"
                for i, r in enumerate(revisions) if is_variant(revisions, i)]
    if variants:
        text += "; " + "; ".join(variants)
    return text
