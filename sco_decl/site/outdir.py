"""Which output folder a build may replace, and replacing it without ever losing the old one.

A site build replaces a whole folder, so pointed at the wrong one it could destroy a user's files or the
corpus itself. The rule: a folder is replaced only if it is empty or holds a site this tool built (its
manifest, `.sco-decl-site.json`, lists every file; a file the manifest does not list belongs to someone
else and stops the build). The corpus, anything inside or above it, the current folder and its parents are
refused outright.

The new site is built in a fixed-name sibling, `.<name>.sco-decl-new`, and swapped in: in one atomic
exchange where the system has one (Linux renameat2), else in two renames through `.<name>.sco-decl-old`.
Both names are fixed, so a killed build leaves at most those two folders, never a growing pile; the next
build puts the old site back if a kill fell between the two renames, then removes them. Removal deletes a
folder's manifest last, so a half-removed folder is still recognisably ours.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from sco_decl._version import __version__
from sco_decl.errors import OutputError

MANIFEST = ".sco-decl-site.json"
LEGACY_MANIFEST = ".sco-decl-build.json"  # v0.1: a flat {path: key} object
NEW_SUFFIX = ".sco-decl-new"
OLD_SUFFIX = ".sco-decl-old"
# files an operating system drops into any folder it shows: removing them loses nothing
_SYSTEM_DROPPINGS = {".DS_Store", "Thumbs.db", "desktop.ini"}
_TOOL = "sco-decl"


def manifest_data(files: dict[str, str], *, complete: bool = True) -> str:
    """The manifest a build writes: the tool, its version and every file with its key."""
    return json.dumps({"tool": _TOOL, "version": __version__, "complete": complete, "files": files},
                      indent=1, sort_keys=True)


def read_manifest(folder: Path) -> dict[str, str] | None:
    """The {path: key} files of the site in `folder`, or None if no manifest of ours is there."""
    for name in (MANIFEST, LEGACY_MANIFEST):
        try:
            data: Any = json.loads((folder / name).read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if name == MANIFEST and isinstance(data, dict) and data.get("tool") == _TOOL:
            files = data.get("files")
        else:
            files = data if name == LEGACY_MANIFEST else None
        if isinstance(files, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            return files
    return None


def _protected(real: Path, keep: Iterable[Path]) -> str | None:
    """Why `real` must never be replaced, or None."""
    cwd = Path.cwd().resolve()
    if real == cwd:
        return "is the current folder; give the name of a new folder instead, e.g. -o site"
    if real in cwd.parents:
        return "contains the current folder; give the name of a new folder instead, e.g. -o site"
    for root in keep:
        root = Path(root).resolve()
        if real == root or real in root.parents:
            return f"holds the corpus ({root}); choose a folder outside it, e.g. -o site"
        if root in real.parents:
            return f"is inside the corpus ({root}); choose a folder outside it, e.g. -o site"
    return None


def _foreign(folder: Path, files: Iterable[str]) -> list[str]:
    """Entries of `folder` that its manifest does not account for (files and folders someone else made)."""
    allowed = {MANIFEST, LEGACY_MANIFEST}
    for path in files:
        parts = Path(path).parts
        allowed.update(str(Path(*parts[:i])) for i in range(1, len(parts) + 1))
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        for name in sorted(dirnames + filenames):
            rel = str((here / name).relative_to(folder))
            if rel not in allowed and name not in _SYSTEM_DROPPINGS:
                found.append(rel)
        dirnames[:] = [d for d in dirnames if str((here / d).relative_to(folder)) in allowed]
    return found


def check_replaceable(out: Path, *, keep: Iterable[Path] = ()) -> dict[str, str]:
    """Refuse an output folder the build must not replace; return the old site's manifest (may be empty)."""
    real = out.resolve()
    reason = _protected(real, keep)
    if reason:
        raise OutputError(f"{out}: {reason}; nothing was written")
    if not real.exists():
        return {}
    if not real.is_dir():
        raise OutputError(f"{out}: is a file; give a folder for the site")
    files = read_manifest(real)
    if files is None:
        if any(real.iterdir()):
            raise OutputError(f"{out}: is not empty and holds no site built by sco-decl (no {MANIFEST}); "
                              "give a new or empty folder, nothing was written")
        return {}
    foreign = _foreign(real, files)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputError(f"{out}: holds files sco-decl did not make ({shown}); move them out or choose "
                          "another -o, nothing was written")
    return files


def work_folders(real: Path) -> tuple[Path, Path]:
    """The fixed-name sibling folders a build of `real` writes in: (new site, old site mid-swap)."""
    return real.with_name(f".{real.name}{NEW_SUFFIX}"), real.with_name(f".{real.name}{OLD_SUFFIX}")


def remove_ours(folder: Path) -> None:
    """Delete a folder this tool made (manifest last, so a kill midway leaves it recognisable)."""
    if not folder.exists():
        return
    if read_manifest(folder) is None and any(folder.iterdir()):
        raise OutputError(f"{folder}: left from an earlier build but holds no sco-decl manifest; "
                          "remove it yourself or move it away")
    try:
        for child in folder.iterdir():
            if child.name in (MANIFEST, LEGACY_MANIFEST):
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for name in (MANIFEST, LEGACY_MANIFEST):
            (folder / name).unlink(missing_ok=True)
        folder.rmdir()
    except OSError as exc:
        raise OutputError(f"{folder}: cannot remove a folder left by an earlier build ({exc.strerror})") from exc


def recover(real: Path) -> None:
    """Undo what a killed build left: put the old site back if the swap was cut short, drop the rest."""
    new, old = work_folders(real)
    if old.exists() and not real.exists() and read_manifest(old) is not None:
        os.replace(old, real)
    remove_ours(old)
    remove_ours(new)


@contextmanager
def build_lock(parent: Path) -> Iterator[None]:
    """One build at a time per parent folder (they share the fixed work names); the lock leaves no file."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks on folders; builds there are not run concurrently
        yield
        return
    fd = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise OutputError(f"{parent}: another site build is writing here; wait for it to finish") from exc
        yield
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2 RENAME_EXCHANGE); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    return False  # e.g. a file system without exchange: fall back to two renames


def swap_in(new: Path, real: Path) -> None:
    """Put the finished site `new` at `real`; the old site is removed only once the new one is in place."""
    if not real.exists():
        os.replace(new, real)
        return
    if _exchange(new, real):
        remove_ours(new)  # it now holds the old site
        return
    _, old = work_folders(real)
    os.replace(real, old)
    try:
        os.replace(new, real)
    except OSError:
        os.replace(old, real)
        raise
    remove_ours(old)
