"""Building a folder of files atomically and incrementally.

Each file has a key: a hash of everything it is made from. A build writes into a fresh temporary folder
beside the target; files whose key is unchanged since the last build are hard-linked (or copied) from the
old folder instead of being made again; then the new folder replaces the old in two renames, so a reader
never sees a half-built site and a failed build leaves the old one untouched.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from sco_decl.errors import OutputError

MANIFEST = ".sco-decl-build.json"


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


def build_folder(out: Path, targets: Iterable[Target], *, progress: Callable[[str], None] | None = None
                 ) -> BuildReport:
    """Write every target into `out`, reusing files whose key is unchanged; atomic as a whole."""
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{out}: folder {parent} does not exist; create it or choose another -o")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file; give a folder for the site")
    old_manifest: dict[str, str] = {}
    if (out / MANIFEST).is_file():
        try:
            old_manifest = json.loads((out / MANIFEST).read_text("utf-8"))
        except (ValueError, OSError):
            old_manifest = {}
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write in {parent} ({exc.strerror})") from exc
    report = BuildReport(out=out)
    manifest: dict[str, str] = {}
    try:
        for target in targets:
            rel = _safe_relative(target.path)
            dest = tmp / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            old = out / rel
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
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), "utf-8")
        os.chmod(tmp, 0o755)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def _swap(new: Path, out: Path) -> None:
    """Replace `out` with `new` by renames; the old folder is removed only once the new one is in place."""
    if not out.exists():
        os.replace(new, out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.replace(out, old)
    try:
        os.replace(new, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
