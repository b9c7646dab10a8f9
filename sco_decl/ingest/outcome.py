"""What happened to one edition when text was brought in, in a module light enough for any caller.

`fetch` (a run over catalogued editions, `reextract`) and `sources.add_source` (`sco-decl add`) both
answer with an :class:`Outcome`; the CLI prints its label. Kept apart from fetch so that importing it
loads neither httpx nor trafilatura.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sco_decl.store.model import Revision

__all__ = ["Outcome", "STATUS_LABELS"]

STATUS_LABELS = {
    "new": "new revision", "unchanged": "unchanged", "not-modified": "not modified",
    "present": "unchanged (already stored; --refresh re-checks the page)", "raw-only": "raw page stored",
    "failed": "failed",
}


@dataclass
class Outcome:
    """What happened to one edition when text was brought in: a fetch run, `add` (``url`` None for a file)
    or `reextract`."""

    declaration: str
    edition: str
    url: str | None
    status: str
    revision: Revision | None = None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def label(self) -> str:
        base = STATUS_LABELS[self.status]
        if self.status == "failed":
            return f"failed ({self.reason})"
        return f"{base} {self.revision.ref}" if self.status == "new" and self.revision else base
