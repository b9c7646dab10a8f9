"""`compare A B` when A and B are in different languages: the translation check.

Each side is parsed with the pipeline of its own language and its themes matched with its own lexicon;
the sentences are aligned by sco_decl.compare.crosslingual; the result is an ordinary Comparison (same JSON
contract as any compare: every sentence of each side in exactly one link, kinds same/changed/moved/removed/
added) with, per link, its flag (omission/addition of the translation), length ratio and anchors, and a
`crosslingual` summary: coverage, omissions, additions and the themes whose counts differ.
Word diffs and new/dropped phrases compare words of one language, so they are left empty here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sco_decl.compare.align import Link
from sco_decl.compare.comparison import Comparison, Themes, _side, _themes, overall_similarity
from sco_decl.compare.crosslingual import CrossLink, align_texts, summary

if TYPE_CHECKING:
    from sco_decl.analysis.document import Document
    from sco_decl.workspace import Workspace


def compare_translation(workspace: Workspace, documents: tuple[Document, Document], languages: tuple[str, str], *,
                        themes: bool = True) -> Comparison:
    """Compare an original and a translation (or two translations) in different languages; each document
    was parsed and matched by the Workspace with its own language's pipeline and lexicon."""
    parsed = (documents[0].parsed, documents[1].parsed)
    theme_info = _themes(workspace, documents) if themes else \
        Themes(available=False, note="theme analysis was not asked for")
    per_sentence: tuple[dict[int, list[str]], dict[int, list[str]]] = ({}, {})
    for marks, out in ((theme_info.left, per_sentence[0]), (theme_info.right, per_sentence[1])):
        for mark in marks:
            out.setdefault(mark.sentence, []).append(mark.theme)
    cross = align_texts(parsed[0], parsed[1], languages[0], languages[1], per_sentence[0], per_sentence[1])
    links = [_link(c) for c in cross]
    return Comparison(left=_side(documents[0], languages[0]), right=_side(documents[1], languages[1]),
                      links=links, themes=theme_info, new_phrases=[], dropped_phrases=[],
                      similarity=overall_similarity(cross, parsed[0], parsed[1]),
                      crosslingual=summary(cross, parsed[0], parsed[1], languages[0], languages[1],
                                           theme_info.rows))


def _link(c: CrossLink) -> Link:
    extra: dict[str, Any] = {"flag": c.flag, "length_ratio": c.length_ratio,
                             "anchors": {"shared": c.shared, "left_only": c.left_only, "right_only": c.right_only}}
    return Link(c.kind, tuple(c.left), tuple(c.right), c.similarity, extra=extra)
