"""The terminal view of a comparison: two wrapped columns side by side, one block per row.

Changed words are red (A) and green (B) when colour is on; without colour (a pipe, a file) they are
bracketed as [-deleted-] and {+inserted+}, so the marks never depend on colour alone.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Sequence

from sco_decl.compare.comparison import SYMBOLS
from sco_decl.outputs.headings import comparison_heading
from sco_decl.outputs.spans import pieces

if TYPE_CHECKING:
    from sco_decl.compare.comparison import Comparison, Side

_RED, _GREEN, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def _words(side: Side, indices: Sequence[int], marks: dict[int, list[tuple[int, int]]], deleted: bool,
           color: bool) -> list[tuple[str, str, bool]]:
    """(plain word, word as printed, glued to the previous word) for every word of the cell."""
    out: list[tuple[str, str, bool]] = []
    for n in indices:
        sentence = side.sentences[n]
        out.append((sentence.locator, f"{_DIM}{sentence.locator}{_RESET}" if color else sentence.locator, False))
        previous = " "
        for piece in pieces(sentence.text, marks.get(n, [])):
            words = piece.text.split()
            # "2013" + "," stay together when no space stood between them in the text
            glue_first = not previous[-1:].isspace() and not piece.text[:1].isspace()
            previous = piece.text
            for k, word in enumerate(words):
                glue = glue_first and k == 0
                if not piece.changed:
                    out.append((word, word, glue))
                    continue
                if color:
                    out.append((word, f"{_RED if deleted else _GREEN}{word}{_RESET}", glue))
                    continue
                opening = ("[-" if deleted else "{+") if k == 0 else ""
                closing = ("-]" if deleted else "+}") if k == len(words) - 1 else ""
                plain = f"{opening}{word}{closing}"
                out.append((plain, plain, glue))
    return out


def _wrap(words: list[tuple[str, str, bool]], width: int) -> list[tuple[int, str]]:
    """Lines of (visible length, printed text), breaking on spaces; over-long words are cut."""
    lines: list[tuple[int, str]] = []
    length, line = 0, ""
    for plain, shown, glue in words:
        while len(plain) > width:
            if line:
                lines.append((length, line))
                length, line = 0, ""
            lines.append((width, plain[:width]))
            plain = shown = plain[width:]
        gap = 0 if glue or not line else 1
        if line and length + gap + len(plain) > width:
            lines.append((length, line))
            length, line, gap = 0, "", 0
        line += " " * gap + shown
        length += gap + len(plain)
    if line:
        lines.append((length, line))
    return lines


def _rows(comparison: Comparison, color: bool, column: int) -> Iterator[str]:
    for number, link in enumerate(comparison.links, start=1):
        left = _wrap(_words(comparison.left, link.left, link.ops.left_marks if link.kind != "same" else {},
                            True, color), column)
        right = _wrap(_words(comparison.right, link.right, link.ops.right_marks if link.kind != "same" else {},
                             False, color), column)
        mark = f"{SYMBOLS[link.kind]} {number:>3}"
        for k in range(max(len(left), len(right))):
            l_len, l_text = left[k] if k < len(left) else (0, "")
            _, r_text = right[k] if k < len(right) else (0, "")
            gutter = mark if k == 0 else " " * len(mark)
            yield f"{l_text}{' ' * (column - l_len)} {gutter} {r_text}".rstrip()
        yield ""


def side_by_side(comparison: Comparison, *, color: bool = False, width: int = 120) -> str:
    """The whole comparison as text: a header, the rows, and the counts."""
    column = max(20, (width - 8) // 2)
    a, b = comparison.left, comparison.right
    bold = (lambda s: f"{_BOLD}{s}{_RESET}") if color else (lambda s: s)

    head = [bold(comparison_heading(a, b)),
            f"A: {a.title} ({a.date}, {a.place}) {a.ref} sha256:{a.sha256[:12]}",
            f"B: {b.title} ({b.date}, {b.place}) {b.ref} sha256:{b.sha256[:12]}",
            f"similarity {comparison.similarity:.2f} | " + "  ".join(
                f"{SYMBOLS[k]} {k} {v}" for k, v in comparison.counts.items()),
            ""]
    return "\n".join(head + list(_rows(comparison, color, column))) + "\n"
