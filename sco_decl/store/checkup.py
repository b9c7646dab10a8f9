"""`sco-decl check`: everything in a corpus folder that is not as the store left it, and what can be fixed.

The store writes each file atomically (a temporary file renamed into place) under one lock, so a kill can
leave only a few kinds of litter: a temporary file that was never renamed, the probe files of the lock
library, a revision text whose metadata was never written, an empty edition folder. Those are safe to clean
up (`repair`): a temporary file never became part of the corpus, and an orphan text is complete (it was
renamed into place) and is kept as the revision it was meant to be. Everything else, such as a text that
differs from its sha256, a metadata file without its text or a file the store never writes, is reported
and left alone: only a person can tell which side is right.

Every folder is walked, whatever its name: an edition called `raw` is checked like any other.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from sco_decl.errors import CatalogError
from sco_decl.fsutil import atomic_write_text
from sco_decl.store.catalog import CATALOG_FILE, read_declaration
from sco_decl.store.files import CACHE_DIR, CHRONOLOGY_FILE, LOCK_FILE, REV_RE, sha256_text
from sco_decl.store.model import Problem

if TYPE_CHECKING:  # a type only: the corpus imports this module to check itself (Corpus.check, .repair)
    from sco_decl.store.corpus import Corpus

# fsutil.atomic_write_bytes: mkstemp(prefix=".NAME.", suffix=".tmp"); filelock: ".filelock-probe-HEX"
TEMP_RE = re.compile(r"\..+\.[A-Za-z0-9_]{6,}\.tmp|\.filelock-probe-[0-9a-f]+")
# Folders written without the corpus lock (the parse cache, fetched raw pages): a temporary file there may
# belong to a running command, so only one this old is taken for litter.
UNLOCKED_GRACE_SECONDS = 120


@dataclass
class Repair:
    """What `repair` did to one path."""

    path: Path
    action: str  # "removed" | "recovered"
    detail: str


def check_corpus(corpus: Corpus) -> list[Problem]:
    """Every problem in the corpus folder, revisions verified against their sha256."""
    root = corpus.root
    if not root.is_dir():
        return []
    problems: list[Problem] = []
    for path in _walk(root):
        if TEMP_RE.fullmatch(path.name):
            problems.append(Problem(path, "leftover", f"temporary file of an interrupted write "
                                                      f"({path.stat().st_size:,} bytes)"))
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        problems += _check_declaration(corpus, folder)
    for path in sorted(root.iterdir()):
        if path.is_file() and path.name not in (LOCK_FILE, CHRONOLOGY_FILE) and not TEMP_RE.fullmatch(path.name):
            problems.append(Problem(path, "unknown", "a file the store does not write; move it out of the corpus"))
    return problems


def _walk(root: Path) -> list[Path]:
    """Every file the tool may have written: hidden folders (a user's .git, say) are not ours, but the
    parse cache is."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") or (here == root and d == CACHE_DIR))
        found += [here / name for name in sorted(filenames)]
    return found


def _check_declaration(corpus: Corpus, folder: Path) -> list[Problem]:
    catalog = folder / CATALOG_FILE
    problems: list[Problem] = []
    if not catalog.is_file():
        problems.append(Problem(folder, "orphan", f"a folder without {CATALOG_FILE}: its texts are invisible; "
                                                  "restore the catalog file or move the folder out"))
    else:
        try:
            read_declaration(catalog)
        except CatalogError as exc:
            problems.append(Problem(catalog, "corrupt", str(exc)))
    for path in sorted(folder.iterdir()):
        if path.is_dir() and path.name.startswith("."):
            continue  # not the store's (a user's .git, an editor's folder)
        if path.is_dir():
            problems += _check_edition(corpus, path)
        elif path.name != CATALOG_FILE and not TEMP_RE.fullmatch(path.name):
            problems.append(Problem(path, "unknown", "a file the store does not write; move it out of the corpus"))
    return problems


def _check_edition(corpus: Corpus, folder: Path) -> list[Problem]:
    entries = sorted(folder.iterdir())
    if not entries:
        return [Problem(folder, "empty", "an edition folder without revisions")]
    problems: list[Problem] = []
    for path in entries:
        match = REV_RE.fullmatch(path.name)
        if match:
            problems += _check_revision_file(corpus, folder, path, int(match.group(1)), match.group(2))
        elif not (path.name == "raw" and path.is_dir()) and not TEMP_RE.fullmatch(path.name):
            problems.append(Problem(path, "unknown", "a file the store does not write; move it out of the corpus"))
    return problems


def _check_revision_file(corpus: Corpus, folder: Path, path: Path, number: int, kind: str) -> list[Problem]:
    if kind == "txt":
        if not (folder / f"r{number}.toml").exists():
            return [Problem(path, "orphan", "text without a metadata file (an interrupted write?)")]
        return []
    try:
        revision = corpus._read_revision(folder.parent.name, folder.name, number)
    except CatalogError as exc:
        return [Problem(path, "corrupt", str(exc))]
    if not revision.path.exists():
        return [Problem(revision.path, "missing", f"text of {revision.ref} is missing")]
    try:
        text = revision.path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return [Problem(revision.path, "corrupt", f"text of {revision.ref} is not UTF-8")]
    if sha256_text(text) != revision.sha256:
        return [Problem(revision.path, "modified",
                        f"text of {revision.ref} differs from its recorded sha256 (hand-edited?)")]
    return []


def fixable(problem: Problem) -> bool:
    """Whether `repair` can fix this problem without losing anything."""
    return problem.kind in ("leftover", "empty") or (problem.kind == "orphan" and problem.path.is_file())


def repair(corpus: Corpus, problems: list[Problem]) -> list[Repair]:
    """Fix what is safe to fix (caller holds the corpus lock): litter removed, orphan texts kept as revisions."""
    done: list[Repair] = []
    for problem in problems:
        path = problem.path
        if problem.kind == "leftover" and _settled(corpus, path):
            size = path.stat().st_size
            path.unlink(missing_ok=True)
            done.append(Repair(path, "removed", f"temporary file of an interrupted write ({size:,} bytes)"))
        elif problem.kind == "empty":
            path.rmdir()
            done.append(Repair(path, "removed", "empty edition folder"))
        elif problem.kind == "orphan" and path.is_file():
            recovered = _recover_orphan(path)
            if recovered:
                done.append(Repair(path, "recovered", recovered))
    return done


def _settled(corpus: Corpus, path: Path) -> bool:
    """A temporary file no running command can still be writing."""
    rel = path.relative_to(corpus.root).parts
    unlocked = rel[0] == CACHE_DIR or "raw" in rel[2:-1]
    return not unlocked or time.time() - path.stat().st_mtime > UNLOCKED_GRACE_SECONDS


def _recover_orphan(path: Path) -> str | None:
    """Write the metadata an interrupted `add` did not get to: the text itself was stored whole."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.strip() or "\0" in text:
        return None
    number = int(REV_RE.fullmatch(path.name).group(1))  # type: ignore[union-attr]
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(microsecond=0)
    record = {"revision": number, "sha256": sha256_text(text),
              "added": stamp.isoformat().replace("+00:00", "Z"),
              "source": "recovered by `sco-decl check --repair`: its `add` was interrupted before the metadata",
              "meta": {"recovered": True}}
    atomic_write_text(path.with_suffix(".toml"), tomli_w.dumps(record))
    return f"kept as revision r{number} (metadata written; the interrupted add had stored the text whole)"
