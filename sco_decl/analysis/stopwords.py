"""spaCy's stop word lists, read without importing spaCy.

A light token (`document.Token.is_stop`) and the sentence similarity (`compare.similarity`) need the list; a
compare of two cached texts needs nothing else of spaCy, so the list is read from spaCy's source file. A leaf
module: it imports nothing of the package.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

__all__ = ["stop_words"]


@lru_cache(maxsize=8)
def stop_words(language: str = "en") -> frozenset[str]:
    """spaCy's stop word list for a language, read from its source file so that spaCy is not imported
    (a compare of two cached texts needs the list but nothing else of spaCy)."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(list(spec.submodule_search_locations)[0]) / "lang" / language / "stop_words.py"
    namespace: dict[str, object] = {}
    try:
        exec(compile(path.read_text("utf-8"), str(path), "exec"), namespace)  # noqa: S102 (installed package)
    except OSError:
        return frozenset()
    found = namespace.get("STOP_WORDS", ())
    return frozenset(str(w) for w in found)  # type: ignore[attr-defined]
