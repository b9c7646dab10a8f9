"""The knobs of getting text in and their defaults, defined once, in a module that imports nothing heavy.

The downloader (`download.Downloader` takes a :class:`Settings`), the web-archive lookup, the readers of
`sco-decl add` (`sources`, `documents`) and the CLI's options and --help all read them here, so
`sco-decl fetch --help` shows the real figures and `sco-decl add plain.txt` builds its settings without
importing httpx or trafilatura, and a changed default changes everywhere at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from sco_decl._version import __version__

__all__ = ["ARCHIVE", "MAX_INPUT_BYTES", "Settings", "USER_AGENT"]

MAX_INPUT_BYTES = 5 * 1024 * 1024   # largest file, stdin or extracted document text `add` accepts
ARCHIVE = "https://web.archive.org"  # the web archive asked for a page that is gone (the Internet Archive)
USER_AGENT = f"sco-decl/{__version__} (+research tool)"


@dataclass(frozen=True)
class Settings:
    """Knobs of a download run; the defaults are what a real run should use.

    ``timeout`` is the most seconds the download of one URL may take in all: connecting, every read, the
    retries and the waits between them. ``retry_after_cap`` is the longest a server's Retry-After is obeyed;
    a server that asks for more is given up on at once. ``min_interval`` is the pause between two requests
    to one host; ``backoff`` the wait before the first retry, doubled for each next one.
    """

    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    min_interval: float = 1.0
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = USER_AGENT
    retry_after_cap: float = 60.0
    max_redirects: int = 10
