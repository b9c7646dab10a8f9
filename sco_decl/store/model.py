"""The corpus data model: declarations, their editions and immutable revisions."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sco_decl.errors import InvalidNameError

NAME_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
MAX_NAME = 64
# Names Windows reserves for devices in any folder (with or without an extension): a corpus copied there
# must still open, so they are refused everywhere.
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                            *(f"lpt{i}" for i in range(1, 10))})


def check_name(value: str, what: str) -> str:
    """Ids and edition names become folder names: allow only [a-z0-9-] so nothing escapes texts/.

    The whole string must match (a trailing newline is not a name), at most 64 characters (folder names
    stay far below every file system's limit) and never a device name a copy on Windows could not create.
    """
    if not isinstance(value, str) or not NAME_RE.fullmatch(value):
        raise InvalidNameError(
            f"{what} {value!r} is not allowed: use lowercase letters, digits and '-' only (e.g. 2005-astana)"
        )
    if len(value) > MAX_NAME:
        raise InvalidNameError(f"{what} {value[:20]!r}... is {len(value)} characters long; use at most {MAX_NAME}")
    if value in RESERVED_NAMES:
        raise InvalidNameError(f"{what} {value!r} is a reserved device name on Windows; choose another "
                               f"(e.g. {value}-1)")
    return value


@dataclass(frozen=True)
class EditionInfo:
    """A source or translation of a declaration, as the catalog describes it."""

    name: str
    url: str | None = None
    publisher: str | None = None
    language: str = "en"
    note: str | None = None


@dataclass(frozen=True)
class Declaration:
    """Catalog facts about one declaration; its texts live in its editions' revisions."""

    id: str
    title: str
    date: dt.date
    place: str
    signatories: tuple[str, ...] = ()
    editions: tuple[EditionInfo, ...] = ()
    default_edition: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def year(self) -> int:
        return self.date.year

    def edition(self, name: str) -> EditionInfo | None:
        return next((e for e in self.editions if e.name == name), None)


@dataclass(frozen=True)
class Revision:
    """One immutable stored text of an edition, identified by the sha256 of its UTF-8 bytes."""

    declaration: str
    edition: str
    number: int
    sha256: str
    added: str
    source: str
    note: str | None
    meta: dict[str, Any]
    path: Path

    @property
    def ref(self) -> str:
        return f"{self.declaration}@{self.edition}:r{self.number}"

    @property
    def short(self) -> str:
        return self.sha256[:12]

    def provenance(self) -> dict[str, Any]:
        """What every output says about the text it was made from."""
        return {
            "ref": self.ref,
            "declaration": self.declaration,
            "edition": self.edition,
            "revision": self.number,
            "sha256": self.sha256,
            "added": self.added,
            "source": self.source,
        }


@dataclass(frozen=True)
class AddResult:
    """What `Corpus.add` did: stored a new revision, or found the text unchanged."""

    status: str  # "new" | "unchanged"
    revision: Revision

    def line(self) -> str:
        if self.status == "unchanged":
            return f"unchanged ({self.revision.ref} sha256:{self.revision.short})"
        r = self.revision
        return f"{r.declaration}@{r.edition} r{r.number} sha256:{r.short}"


@dataclass(frozen=True)
class Problem:
    """A finding of `Corpus.check`: a path and what is wrong with it."""

    path: Path
    kind: str  # "modified" | "missing" | "corrupt" | "orphan" | "leftover" | "empty" | "unknown" (checkup.py)
    detail: str
