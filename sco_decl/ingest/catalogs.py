"""Catalogs shipped with the tool beyond the default six declarations, added to a corpus on request.

The default corpus keeps the six declarations of 2001-2006; a researcher who wants the whole series adds
the later summits with `sco-decl catalog add sco-2007-2025`, then fetches their editions as usual. A
bundled catalog is one TOML file in sco_decl/data/catalogs/ (so it is in the wheel): a ``[catalog]`` table
naming it and ``[[declarations]]`` tables with the fields of a texts/<id>/declaration.toml. Adding copies
the catalog entries (facts and URLs, never text) and leaves every declaration already in the corpus as it
is, so running it twice, or after editing an entry by hand, changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sco_decl.errors import CatalogError, DuplicateError, NotFoundError
from sco_decl.store.catalog import declaration_from_dict, load_toml
from sco_decl.store.corpus import Corpus
from sco_decl.store.model import Declaration

__all__ = ["BundledCatalog", "AddReport", "catalogs_dir", "bundled_catalogs", "bundled_catalog", "add_catalog"]


def catalogs_dir() -> Path:
    """Where the bundled catalogs live: inside the package, in a checkout and in an installed wheel alike."""
    return Path(__file__).resolve().parent.parent / "data" / "catalogs"


@dataclass(frozen=True)
class BundledCatalog:
    """A catalog file shipped with the tool: its name, a title and description, and its declarations."""

    name: str
    title: str
    description: str
    path: Path
    declarations: tuple[Declaration, ...]


@dataclass
class AddReport:
    """What `catalog add` did: declarations written, and those left alone because the corpus had them."""

    catalog: str
    corpus: Path
    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)


def _read(path: Path) -> BundledCatalog:
    data = load_toml(path)
    head = data.get("catalog")
    if not isinstance(head, dict) or head.get("name") != path.stem:
        raise CatalogError(f"{path}: needs a [catalog] table whose name is {path.stem!r}")
    entries = data.get("declarations")
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{path}: needs at least one [[declarations]] table")
    declarations = []
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise CatalogError(f"{path}: declaration {i} must be a table ([[declarations]])")
        declarations.append(declaration_from_dict(entry, f"{path}: declaration {i} ({entry.get('id', '?')})",
                                                  source=path))
    ids = [d.id for d in declarations]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise CatalogError(f"{path}: declaration id(s) listed twice: {', '.join(twice)}")
    return BundledCatalog(name=path.stem, title=str(head.get("title", path.stem)),
                          description=str(head.get("description", "")), path=path,
                          declarations=tuple(sorted(declarations, key=lambda d: (d.date, d.id))))


def bundled_catalogs() -> list[BundledCatalog]:
    """Every catalog shipped with the tool, by name."""
    return [_read(path) for path in sorted(catalogs_dir().glob("*.toml"))]


def bundled_catalog(name: str) -> BundledCatalog:
    """One shipped catalog by name; an unknown name lists the known ones."""
    path = catalogs_dir() / f"{name}.toml"
    if "/" in name or "\\" in name or not path.is_file():
        known = ", ".join(p.stem for p in sorted(catalogs_dir().glob("*.toml"))) or "none"
        raise NotFoundError(f"no catalog named {name!r}; shipped catalogs: {known} (see `sco-decl catalog list`)")
    return _read(path)


def add_catalog(corpus: Corpus, name: str) -> AddReport:
    """Copy a shipped catalog's declarations into the corpus; ones it already has are left untouched."""
    catalog = bundled_catalog(name)
    report = AddReport(catalog=catalog.name, corpus=corpus.root)
    have = {d.id for d in corpus.declarations()}
    for decl in catalog.declarations:
        if decl.id in have:
            report.present.append(decl.id)
            continue
        try:
            corpus.new_declaration(decl.id, title=decl.title, date=decl.date, place=decl.place,
                                   signatories=decl.signatories, editions=decl.editions,
                                   default_edition=decl.default_edition,
                                   extra={**decl.extra, "catalog": catalog.name})
        except DuplicateError:  # another process added it meanwhile: it is there, which is what was asked
            report.present.append(decl.id)
            continue
        report.added.append(decl.id)
    return report
