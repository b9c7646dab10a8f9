"""How a LaTeX table fits a printed page: the text block, the column specification and the document.

A thesis is set at 12pt on A4 or letter paper with 2.5 cm margins, so that is the page we plan for. Columns
that hold prose (titles, phrases, signatories) wrap; every other column keeps its width, estimated from
its longest cell at \\footnotesize. A short table becomes a `tabularx` as wide as the line, a long one a
`longtable` whose wrapping columns get a share of \\linewidth. `overflow_pt` says by how much the fixed
columns alone exceed the text block, so the CLI can suggest --landscape or fewer columns before anyone
compiles anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from sco_decl.errors import OutputError

PT_PER_CM = 72.27 / 2.54
PAPERS = {"a4": (21.0, 29.7), "letter": (21.59, 27.94)}  # width, height in cm (portrait)
MARGIN_CM = 2.5
FONT_PT = 12
CHAR_PT = 4.9  # an average character width at \footnotesize (10pt) in Computer Modern, a little generous
TT_CHAR_PT = 5.25  # \texttt at 10pt
TABCOLSEP_PT = 6.0
WRAPPING = ("title", "new_phrases", "signatories")
MIN_WRAP_PT = 60.0  # narrower than this a wrapping column is a column of single words


@dataclass(frozen=True)
class Page:
    """The page a table is planned for, and whether the output is a whole document or an \\input file."""

    paper: str = "a4"
    landscape: bool = False
    standalone: bool = False

    def __post_init__(self) -> None:
        if self.paper not in PAPERS:
            raise OutputError(f"paper {self.paper!r} is unknown; use one of {', '.join(PAPERS)}")

    @property
    def text_width_pt(self) -> float:
        width, height = PAPERS[self.paper]
        return ((height if self.landscape else width) - 2 * MARGIN_CM) * PT_PER_CM

    @property
    def geometry(self) -> str:
        """Options for \\usepackage[...]{geometry}."""
        return f"{self.paper}paper,margin={MARGIN_CM}cm" + (",landscape" if self.landscape else "")


@dataclass(frozen=True)
class Layout:
    """What _table.tex needs: the environment, the column specification and how much does not fit."""

    environment: str  # tabularx | longtable | tabular
    spec: str
    overflow_pt: float
    page: Page


def _estimate(header: str, cells: Sequence[str], tt: bool) -> float:
    words = header.split()
    header_width = max((len(w) for w in words), default=0) * CHAR_PT  # headers may wrap between words
    longest = max((len(c) for c in cells), default=0) * (TT_CHAR_PT if tt else CHAR_PT)
    return max(header_width, longest) + 2 * TABCOLSEP_PT


def layout(columns: Sequence[Any], cells: Sequence[Sequence[str]], page: Page, long: bool) -> Layout:
    """Choose the environment and column specification for `columns` (objects with name, numeric, kind)."""
    fixed = 0.0
    wrapping = [c for c in columns if c.name in WRAPPING]
    for i, column in enumerate(columns):
        if column not in wrapping:
            shown = [row[i][:12] if column.kind == "sha" else row[i] for row in cells]
            fixed += _estimate(column.short or column.header, shown, column.kind == "sha")
    room = page.text_width_pt - fixed
    overflow = max(0.0, fixed + len(wrapping) * (MIN_WRAP_PT + 2 * TABCOLSEP_PT) - page.text_width_pt)
    parts = []
    for column in columns:
        if column in wrapping:
            if long:
                share = max(MIN_WRAP_PT, room / len(wrapping) - 2 * TABCOLSEP_PT) / page.text_width_pt
                parts.append(rf">{{\raggedright\arraybackslash\hspace{{0pt}}}}p{{{share:.3f}\linewidth}}")
            else:
                parts.append(r">{\raggedright\arraybackslash\hspace{0pt}}X")
        else:
            parts.append("r" if column.numeric else "l")
    environment = "longtable" if long else ("tabularx" if wrapping else "tabular")
    return Layout(environment=environment, spec="".join(parts), overflow_pt=round(overflow, 1), page=page)
