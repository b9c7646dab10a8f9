"""Building a folder of files atomically and incrementally.

Each file has a key: a hash of everything it is made from. A build writes into a work folder beside the
target; files whose key is unchanged since the last build are hard-linked (or copied) from the old folder
instead of being made again; then the new folder replaces the old one (outdir.swap_in), so a reader never
sees a half-built site and a failed or killed build leaves the old one in place.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from sco_decl.errors import OutputError
from sco_decl.site.outdir import (MANIFEST, build_lock, check_replaceable, manifest_data, recover,
                                     remove_ours, swap_in, work_folders)



def digest(*parts: object) -> str:
    """A stable key for anything JSON-serialisable (or str/bytes)."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            h.update(part)
        else:
            h.update(json.dumps(part, sort_keys=True, default=str).encode())
        h.update(b"\x00")
    return h.hexdigest()


def folder_digest(folder: Path) -> str:
    """The key of a folder's files (e.g. the templates): any edit to any file changes it."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\x00" + path.read_bytes() + b"\x00")
    return h.hexdigest()


@dataclass
class Target:
    """One output file: its path inside the folder, its key, and how to make its content."""

    path: str
    key: str
    make: Callable[[], str | bytes]


@dataclass
class BuildReport:
    out: Path
    made: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts:
        raise OutputError(f"{path}: page paths must stay inside the output folder")
    return rel


def build_folder(out: Path, targets: Iterable[Target], *, progress: Callable[[str], None] | None = None,
                 keep: Iterable[Path] = ()) -> BuildReport:
    """Write every target into `out`, reusing files whose key is unchanged; atomic as a whole.

    `out` is replaced only if it is new, empty or a site this tool built, and never if it is (or holds, or
    lies inside) one of the `keep` folders, the current folder or its parents: see outdir.py.
    """
    out = Path(out)
    real = out.resolve()
    parent = real.parent
    if not parent.is_dir():
        raise OutputError(f"{out}: folder {out.parent} does not exist; create it or choose another -o")
    check_replaceable(out, keep=keep)
    report = BuildReport(out=out)
    with build_lock(parent):
        recover(real)
        old_manifest = check_replaceable(out, keep=keep)  # again, now that no other build can change it
        tmp, _ = work_folders(real)
        try:
            tmp.mkdir()
            (tmp / MANIFEST).write_text(manifest_data({}, complete=False), "utf-8")
        except OSError as exc:
            raise OutputError(f"{out}: cannot write in {out.parent} ({exc.strerror})") from exc
        manifest: dict[str, str] = {}
        try:
            for target in targets:
                rel = _safe_relative(target.path)
                dest = tmp / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                old = real / rel
                if old_manifest.get(target.path) == target.key and old.is_file():
                    try:
                        os.link(old, dest)
                    except OSError:
                        shutil.copy2(old, dest)
                    report.reused.append(target.path)
                else:
                    content = target.make()
                    dest.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
                    report.made.append(target.path)
                manifest[target.path] = target.key
                if progress:
                    progress(target.path)
            (tmp / MANIFEST).write_text(manifest_data(manifest), "utf-8")
            os.chmod(tmp, 0o755)
            swap_in(tmp, real)
        except BaseException:
            remove_ours(tmp)
            raise
    return report
