"""What the comparison page shows, as plain data for templates/compare.html (no HTML here).

Rows follow the reading order of both texts. A moved sentence is shown at its place in A, beside its text
in B, and a `ghost` row at its place in B points back to it, so a reader of either column sees where the
counterpart stands. Every cell is cut into pieces (spans.pieces, the one span cutter) carrying the change and theme marks.
"""
from __future__ import annotations

from typing import Any, Sequence

from sco_decl.compare.align import Link
from sco_decl.compare.comparison import SYMBOLS, Comparison, ThemeMark
from sco_decl.outputs.headings import comparison_heading, same_text
from sco_decl.outputs.spans import pieces

LABELS = {"same": "same", "changed": "changed", "moved": "moved", "removed": "removed", "added": "added"}


def _marks_by_sentence(marks: list[ThemeMark]) -> dict[int, list[tuple[int, int, str]]]:
    out: dict[int, list[tuple[int, int, str]]] = {}
    for m in marks:
        out.setdefault(m.sentence, []).append((m.start, m.end, m.theme))
    return out


def _cell(side: Any, indices: Sequence[int], changes: dict[int, list[tuple[int, int]]],
          themes: dict[int, list[tuple[int, int, str]]], show_changes: bool) -> list[dict[str, Any]]:
    out = []
    for n in indices:
        sentence = side.sentences[n]
        out.append({"index": n, "locator": sentence.locator,
                    "pieces": pieces(sentence.text, changes.get(n, []) if show_changes else [],
                                     themes.get(n, []))})
    return out


def _row(number: int, link: Link, comparison: Comparison, themes_left: dict, themes_right: dict) -> dict[str, Any]:
    show = link.kind not in ("same",)
    return {
        "id": f"r{number}", "number": number, "kind": link.kind, "symbol": SYMBOLS[link.kind],
        "label": LABELS[link.kind], "similarity": link.similarity, "ghost": False, "counterpart": None,
        "variants": link.variants, "weak": link.weak, "flag": link.extra.get("flag"),
        "left": _cell(comparison.left, link.left, link.ops.left_marks, themes_left, show),
        "right": _cell(comparison.right, link.right, link.ops.right_marks, themes_right, show),
    }


def rows(comparison: Comparison) -> list[dict[str, Any]]:
    """Table rows: one per link, plus a ghost row at the B position of each moved link."""
    themes_left = _marks_by_sentence(comparison.themes.left)
    themes_right = _marks_by_sentence(comparison.themes.right)
    out = [_row(n, link, comparison, themes_left, themes_right) for n, link in enumerate(comparison.links, 1)]
    for row, link in zip(list(out), comparison.links):
        if link.kind != "moved":
            continue
        target = link.right[0]
        position = 0  # after the last in-place row whose B sentences come before the moved one
        for k, other in enumerate(out):
            if other["ghost"] or other["kind"] in ("moved", "removed"):
                continue
            if other["right"] and other["right"][0]["index"] < target:
                position = k + 1
        ghost = {"id": f"{row['id']}-b", "number": None, "kind": "moved", "symbol": SYMBOLS["moved"],
                 "label": "moved here in B", "similarity": link.similarity, "ghost": True, "flag": None,
                 "variants": [], "weak": link.weak,
                 "counterpart": row["id"], "left": [],
                 "right": [{"index": s["index"], "locator": s["locator"], "pieces": []} for s in row["right"]]}
        row["counterpart"] = ghost["id"]
        out.insert(position, ghost)
    return out


def page_context(comparison: Comparison) -> dict[str, Any]:
    """Everything compare.html needs."""
    themes = comparison.themes
    used = {m.theme for m in themes.left} | {m.theme for m in themes.right}

    return {
        "heading": comparison_heading(comparison.left, comparison.right),
        "same_text": same_text(comparison.left, comparison.right),
        "c": comparison,
        "left": comparison.left,
        "right": comparison.right,
        "rows": rows(comparison),
        "counts": comparison.counts,
        "kinds": [(k, SYMBOLS[k], LABELS[k]) for k in SYMBOLS],
        "theme_rows": themes.rows,
        "theme_colours": {r.theme: r.colour for r in themes.rows},
        "theme_labels": {r.theme: r.label for r in themes.rows},
        "legend": [r for r in themes.rows if r.theme in used],
        "themes": themes,
        "new_phrases": comparison.new_phrases,
        "dropped_phrases": comparison.dropped_phrases,
        "generated": comparison.generated,
        "cross": comparison.crosslingual,
    }
