"""One way for every command that makes a page to deliver it: a file (`-o FILE`, or a default name it
prints), `-o -` for standard output, and `--open` that opens the file in a browser or, when there is none
(a server, a container, an SSH session), says which address to open instead of passing on a launcher's
errors.
"""
from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path
from typing import Any, Callable

import click

STDOUT = Path("-")


def open_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--open", "open_", is_flag=True,
                        help="Open the page in a browser when written (or say which file:// address to open).")(func)


def page_output_option(default: str) -> Callable[[Any], Any]:
    """`-o FILE` for a command whose output is a page; `-` writes to standard output."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                        help=f"Write the page to FILE ('-' for standard output). Default: {default}, "
                             "named on stderr.")


def has_browser() -> bool:
    """Whether opening a browser can work here: a graphical session (or $BROWSER) on Linux/BSD, always
    on macOS and Windows."""
    if sys.platform in ("darwin", "win32") or os.environ.get("BROWSER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(path: Path) -> None:
    """Open `path` in a browser, or print the address to open by hand."""
    uri = path.resolve().as_uri()
    opened = False
    if has_browser():
        try:
            opened = webbrowser.open(uri)
        except webbrowser.Error:
            opened = False
    if not opened:
        click.echo(f"open {uri} in your browser", err=True)


def deliver(content: str | bytes, output: Path | None, default: str, *, open_: bool = False,
            summary: str = "") -> Path | None:
    """Write a page (atomically) to `output` or the default name and say where; `-` prints it instead.

    Returns the file written (None for standard output)."""
    from sco_decl.outputs.render import write_output

    if output == STDOUT:
        if open_:
            raise click.UsageError("--open needs a file: give -o FILE (not -)")
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            click.echo(content, nl=not content.endswith("\n"))
        return None
    target = output if output is not None else Path(default)
    write_output(target, content)
    click.echo(f"wrote {target}{' (' + summary + ')' if summary else ''}", err=True)
    if open_:
        open_in_browser(target)
    return target
