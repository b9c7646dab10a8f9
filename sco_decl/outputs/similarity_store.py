"""The appendix's similarity to the previous declaration, kept on disk between runs.

A similarity needs the alignment of two whole texts (a tenth of a second for two 800-word declarations),
and the appendix has one per row: when a site gains one declaration, its appendix is made again and
every earlier pair used to be aligned again, although no text of theirs changed. The values live beside
the parse cache (<corpus>/.cache/similarity/), one file per version of the code that decides them; a pair's
key is the two texts' parse-cache keys (sha256, pipeline, lexicon, parse code, tool version), so nothing
is trusted for a text or a parse that changed. A workspace that uses no cache (`--no-cache`) uses none here.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sco_decl._version import __version__
from sco_decl.compare.comparison import similarity_of
from sco_decl.fsutil import atomic_write_text
from sco_decl.paths import cache_dir

if TYPE_CHECKING:
    from sco_decl.store.model import Revision
    from sco_decl.workspace import Workspace

_DECIDING = ("compare", "analysis")  # the packages whose code decides a similarity (the aligner, the parse)


@lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of every module of the packages that decide a similarity: any edit makes a new store."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parents[1]
    for package in _DECIDING:
        for path in sorted((root / package).glob("*.py")):
            digest.update(path.name.encode() + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()[:16]


class SimilarityStore:
    """Similarities of (previous, current) pairs, read once, written back once if any was added."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.enabled = workspace.use_cache
        self.path = cache_dir(workspace.corpus.root) / "similarity" / f"{code_key()}.json"
        self.values: dict[str, float] = {}
        self.added = False
        if self.enabled:
            try:
                loaded = json.loads(self.path.read_text("utf-8"))
            except (OSError, ValueError):
                loaded = {}  # none yet, or unreadable: computed again and written anew
            if isinstance(loaded, dict):
                self.values = {k: v for k, v in loaded.items() if isinstance(v, (int, float))}

    def similarity(self, previous: Revision, current: Revision) -> float:
        """The overall similarity of two same-language texts (compare.comparison.similarity_of)."""
        ws = self.workspace
        key = f"{ws.cache_path(previous).stem}|{ws.cache_path(current).stem}"
        found = self.values.get(key)
        if found is not None:
            return float(found)
        value = similarity_of(ws, ws.document(previous), ws.document(current))
        self.values[key] = value
        self.added = True
        return value

    def save(self) -> None:
        """Write the values back (atomically); a store that cannot be written is only a lost speed-up."""
        if not (self.enabled and self.added):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps(self.values, sort_keys=True))
        except OSError:
            pass  # a read-only corpus: the appendix is still right, only slower next time
        self.added = False
