"""Where things live: templates, the shipped catalog, the default corpus and caches.

A wheel carries templates/ and the catalog inside the package (_templates, _catalog); a checkout has them
at the top level. Both are looked up here and nowhere else.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from platformdirs import user_data_dir

from sco_decl.store.files import CACHE_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def _installed_or_checkout(installed: str, checkout: str) -> Path:
    inside = PACKAGE_DIR / installed
    return inside if inside.is_dir() else CHECKOUT_DIR / checkout


def templates_dir() -> Path:
    return _installed_or_checkout("_templates", "templates")


def catalog_dir() -> Path:
    """The catalog shipped with the tool (declaration.toml files only, no texts)."""
    return _installed_or_checkout("_catalog", "texts")


def is_checkout() -> bool:
    return not (PACKAGE_DIR / "_catalog").is_dir() and (CHECKOUT_DIR / "pyproject.toml").is_file() \
        and (CHECKOUT_DIR / "texts").is_dir()


def user_texts_dir() -> Path:
    """The per-user corpus folder (e.g. ~/.local/share/sco-decl/texts): the same for every install mode."""
    return Path(user_data_dir("sco-decl", appauthor=False)) / "texts"


def default_texts_dir() -> Path:
    """The corpus when neither --texts nor SCO_DECL_TEXTS names one: the per-user folder, seeded from the
    shipped catalog.

    One rule for `pip install .` and an editable install alike, so reinstalling in the other mode (or
    upgrading) finds the same texts; a checkout's texts/ holds the catalog only and is used as a corpus only
    when named (`--texts texts`).
    """
    target = user_texts_dir()
    seed_catalog(target)
    return target


def checkout_texts_with_revisions() -> Path | None:
    """A checkout's texts/ holding stored revisions (where v0.1 kept texts in an editable install), or None.

    The CLI points such a folder out so texts stored there by an earlier version are never taken for lost.
    """
    folder = CHECKOUT_DIR / "texts"
    if is_checkout() and next(folder.glob("*/*/r*.toml"), None) is not None:
        return folder
    return None


def seed_catalog(target: Path) -> None:
    """Copy the shipped catalog files (and the chronology) that the target lacks; never touch what is there."""
    source = catalog_dir()
    shipped = sorted(source.glob("*/declaration.toml")) + sorted(source.glob("chronology.toml"))
    for catalog in shipped:
        dest = target / catalog.relative_to(source)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(catalog, dest)


def cache_dir(corpus_root: Path) -> Path:
    """Parsed-document caches live beside the corpus they describe (ignored by git)."""
    return corpus_root / CACHE_DIR
