"""Renderers of a comparison, one registry keyed by format (html, json, text).

The result model (sco_decl.compare.comparison) imports no view; views import it. A new format is a function
`(comparison, **options) -> str` added to COMPARISON and to the `--format` choice of `sco-decl compare`.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable

from sco_decl.compare.comparison import Comparison
from sco_decl.errors import OutputError
from sco_decl.outputs.compare_html import page_context
from sco_decl.outputs.compare_text import side_by_side

if TYPE_CHECKING:
    from sco_decl.outputs.render import Nav  # the JSON and text formats never load Jinja


def render_json(comparison: Comparison, **_: Any) -> str:
    return json.dumps(comparison.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_html(comparison: Comparison, *, nav: Nav = (), **_: Any) -> str:
    from sco_decl.outputs.render import render  # jinja2: only the HTML format needs a template

    return render("compare.html", nav=nav, **page_context(comparison))


def render_text(comparison: Comparison, *, color: bool = False, width: int = 120, **_: Any) -> str:
    return side_by_side(comparison, color=color, width=width)


COMPARISON: dict[str, Callable[..., str]] = {"html": render_html, "json": render_json, "text": render_text}
RENDERERS = COMPARISON  # the name the first version exported


def render_comparison(comparison: Comparison, fmt: str, **options: Any) -> str:
    try:
        renderer = COMPARISON[fmt]
    except KeyError:
        raise OutputError(f"unknown format {fmt!r} for a comparison; choose one of {', '.join(COMPARISON)}") \
            from None
    return renderer(comparison, **options)
