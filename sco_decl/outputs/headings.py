"""What a comparison is called, in words a reader of the page or the terminal takes in at once.

Two declarations: "Kestrel Declaration (2012, Kestrel) vs Valmora Declaration (2013, Valmora)". Two editions
of one declaration: "Valmora Declaration, secretariat vs wire edition" (a comparison of translations, not
of summits). One text with itself: it says so, because every row will be "same".
"""
from __future__ import annotations

from typing import Any


def comparison_heading(left: Any, right: Any) -> str:
    """The heading for two sides (objects with title, date, place, declaration, edition, sha256)."""
    if left.sha256 == right.sha256:
        return (f"{left.title}, {left.edition} edition, compared with itself "
                f"({'the same revision' if left.ref == right.ref else 'identical texts'})")
    if left.declaration == right.declaration:
        if left.edition == right.edition:
            return f"{left.title}, {left.edition} edition: revision {left.revision_number} vs {right.revision_number}"
        return f"{left.title}, {left.edition} vs {right.edition} edition"
    return f"{left.title} ({left.date[:4]}, {left.place}) vs {right.title} ({right.date[:4]}, {right.place})"


def same_text(left: Any, right: Any) -> bool:
    return bool(left.sha256 == right.sha256)
