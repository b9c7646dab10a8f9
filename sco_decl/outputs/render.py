"""The one Jinja environment, its filters, and writing rendered output atomically.

Presentation lives in templates/; Python hands them plain data. Autoescape is on for HTML/XML/SVG;
LaTeX, Markdown and CSV-like templates escape through the explicit filters registered here.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import jinja2

from sco_decl._version import __version__
from sco_decl.errors import OutputError
from sco_decl.fsutil import atomic_write_bytes, atomic_write_text
from sco_decl.paths import templates_dir

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
    "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIALS))


def latex_escape(value: Any) -> str:
    """Escape LaTeX's special characters so any text is safe inside a table cell."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], str(value))


_MARKDOWN_ACTIVE = {"<": "&lt;", ">": "&gt;", "|": r"\|", "[": r"\[", "]": r"\]"}
_MARKDOWN_RE = re.compile("|".join(re.escape(k) for k in _MARKDOWN_ACTIVE))


def markdown_cell(value: Any) -> str:
    """Text for Markdown: line breaks folded, pipes escaped (tables), and nothing a renderer would make
    active: inline HTML (`<script>`, `<img onerror>`) becomes entities, `[..](..)` links lose their brackets."""
    return _MARKDOWN_RE.sub(lambda m: _MARKDOWN_ACTIVE[m.group(0)], " ".join(str(value).split()))


def number(value: Any, digits: int = 2) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def short_sha(value: str) -> str:
    return value[:12]


@lru_cache(maxsize=8)
def _environment(extra_dirs: tuple[str, ...]) -> jinja2.Environment:
    loaders = [jinja2.FileSystemLoader(d) for d in extra_dirs] + [jinja2.FileSystemLoader(str(templates_dir()))]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(latex=latex_escape, md=markdown_cell, number=number, short_sha=short_sha)
    env.globals.update(tool_name="sco-decl", tool_version=__version__)
    return env


def environment(extra_dirs: Iterable[Path | str] = ()) -> jinja2.Environment:
    """The shared environment; a user's template folders (if any) override the shipped templates."""
    return _environment(tuple(str(d) for d in extra_dirs))


Nav = Sequence[tuple[str, str]]  # (label, href) links a site page shows; empty for a standalone page


def render(template: str, **context: Any) -> str:
    """Render a shipped (or overridden) template with the common globals. Everything a page shows comes in
    `context` (the site passes its `nav` explicitly; no state is injected from outside the call)."""
    context.setdefault("generated", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    return environment().get_template(template).render(**context)


def format_of_suffix(suffix: str, suffixes: Mapping[str, str], what: str) -> str:
    """The format an output file's suffix names, from a view's own table (``what`` names the view in the
    error); an unknown suffix is an error, never a guess."""
    fmt = suffixes.get(suffix.lower())
    if fmt is None:
        raise OutputError(f"output suffix {suffix or '(none)'!r} is unknown for {what}; use one of "
                          f"{', '.join(suffixes)} or give --format")
    return fmt


def write_output(path: Path | str, content: str | bytes) -> Path:
    """Write an output file atomically; a missing folder or a read-only one is a clear error."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    if isinstance(content, bytes):
        return atomic_write_bytes(path, content)
    return atomic_write_text(path, content)
