"""One exception base with narrow subclasses: the CLI turns any ScoDeclError into a one-line error.

Messages are complete sentences for a user: they name the file, line or argument at fault and say what to
do, because the CLI prints them as they are.
"""
from __future__ import annotations


class ScoDeclError(Exception):
    """Base of every error the library raises on purpose."""


class CatalogError(ScoDeclError):
    """A declaration's metadata file is malformed, contradictory or missing."""


class InvalidNameError(ScoDeclError):
    """An id or edition name is outside [a-z0-9-] (so it cannot escape the texts folder)."""


class DuplicateError(ScoDeclError):
    """A declaration id that already exists was created again."""


class NotFoundError(ScoDeclError):
    """A reference, declaration or edition that does not exist."""


class AmbiguousReferenceError(NotFoundError):
    """A reference that matches more than one revision."""


class NoTextError(NotFoundError):
    """A declaration that is catalogued but has no stored text yet."""


class InputError(ScoDeclError):
    """A source file the tool cannot import: binary, wrong encoding, empty, too large."""


class StoreError(ScoDeclError):
    """The store on disk is in a state the tool cannot work with (lock held, unwritable folder)."""


class LexiconError(ScoDeclError):
    """A theme lexicon that is malformed or contradictory."""


class OutputError(ScoDeclError):
    """An output path that cannot be written or an output format that is unknown."""


class FetchError(ScoDeclError):
    """A page that could not be downloaded or yielded no text."""
