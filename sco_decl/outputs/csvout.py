"""Every CSV the tool writes goes through here, so no cell can become a formula in a spreadsheet.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets (CSV injection). Texts, passages and catalog fields come from outside, so
such cells get a leading apostrophe, as OWASP advises; spreadsheets hide it and show the text as written.
Numbers are left as they are (a negative number is data, not a formula), whether given as numbers or as
the plain decimal strings of a number.
"""
from __future__ import annotations

import csv
import io
import re
from typing import Any, Iterable, Mapping, Sequence

_ACTIVE = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def neutralise(cell: Any) -> Any:
    """The cell, with a leading apostrophe if a spreadsheet would take it for a formula."""
    if isinstance(cell, str) and cell.startswith(_ACTIVE) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header row and the rows, `\\n` line ends, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_dicts(fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """As csv_text, for rows given as dicts (missing fields are empty cells)."""
    return csv_text(fields, ([row.get(f, "") for f in fields] for row in rows))
