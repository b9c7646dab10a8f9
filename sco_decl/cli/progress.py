"""Progress on stderr for work that takes more than a moment: a bar with counts and ETA on a terminal,
nothing at all when stderr is a pipe or a file (logs stay clean) or with --quiet.

Library functions take a plain callback (`progress(item)`, once per item done); this module is the only
place that turns it into a bar, with click's progressbar so no dependency is added.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import click

Step = Callable[[str], None]


def _nothing(item: str = "") -> None:
    """The callback when no bar is shown."""


def showing(quiet: bool) -> bool:
    """A bar only on a terminal, and never when asked to be quiet."""
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress_bar(total: int, label: str, quiet: bool = False) -> Iterator[Step]:
    """Yield a callback to call once per item done; it draws a bar of `total` items on stderr."""
    if total < 2 or not showing(quiet):
        yield _nothing
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True,
                           item_show_func=lambda item: item) as bar:

        def step(item: str = "") -> None:
            bar.update(1, item or None)

        yield step


def quiet_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`-q/--quiet`: no progress bar even on a terminal."""
    return click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")(func)


@contextmanager
def site_progress(quiet: bool = False, label: str = "building") -> Iterator[tuple[Callable[[int], None], Step]]:
    """For work whose size is known only once planned (a site's pages, a fetch's editions): yield
    (planned(n), step(item)); the bar starts at planned()."""
    state: dict[str, Any] = {}

    def planned(total: int) -> None:
        if total >= 2 and showing(quiet):
            bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True,
                                    show_eta=True, item_show_func=lambda item: item)
            state["bar"] = bar.__enter__()

    def step(item: str = "") -> None:
        if "bar" in state:
            state["bar"].update(1, item or None)

    try:
        yield planned, step
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)
