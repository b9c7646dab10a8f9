"""What the store writes in a corpus folder, named once, and how a stored text is identified.

A revision is `r<N>.txt` (UTF-8, LF line endings) beside `r<N>.toml`, and its identity is the sha256 of that
text: :func:`normalise_newlines` and :func:`sha256_text` make the same words always hash the same. The corpus
(`corpus`), its check (`checkup`) and the chronology read these names from here, so no two of them can
disagree about what belongs in the folder. Imports nothing of the package: every store module may use it.
"""
from __future__ import annotations

import hashlib
import re

__all__ = ["REV_RE", "LOCK_FILE", "CHRONOLOGY_FILE", "CACHE_DIR", "normalise_newlines", "sha256_text"]

REV_RE = re.compile(r"r([1-9][0-9]*)\.(txt|toml)")  # a revision's text or metadata file; group 1 its number
LOCK_FILE = ".lock"                                 # the corpus lock (filelock)
CHRONOLOGY_FILE = "chronology.toml"                 # the corpus's events (store/chronology.py)
CACHE_DIR = ".cache"                                # parse caches beside the corpus (paths.cache_dir)


def normalise_newlines(text: str) -> str:
    """Stored texts use \\n only (CRLF and CR become LF), so the same words always hash the same; the one
    newline normaliser (ingest.normalise.normalise_text uses it too)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_text(text: str) -> str:
    """The identity of a stored text: the sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
