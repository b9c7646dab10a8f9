"""Options shared by several commands, defined once as decorators (as sqlite-utils does)."""
from __future__ import annotations

from functools import update_wrapper
from pathlib import Path
from typing import Any, Callable

import click

from sco_decl.cli.base import AppContext


def pass_corpus(func: Callable[..., Any]) -> Callable[..., Any]:
    """Hand the command the opened corpus as its first argument."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        app = ctx.find_object(AppContext)
        assert app is not None
        return ctx.invoke(func, app.corpus, *args, **kwargs)

    return update_wrapper(wrapper, func)


def format_option(*choices: str, default: str | None = None) -> Callable[[Any], Any]:
    """`--format` limited to what the command can write; the first choice is the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default or choices[0],
                        show_default=True, help="Output format.")


def output_option(help_text: str = "Write to FILE instead of standard output.") -> Callable[[Any], Any]:
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=help_text)


def refs_argument(func: Callable[..., Any]) -> Callable[..., Any]:
    """Zero or more declaration references; none means every declaration with text."""
    return click.argument("refs", nargs=-1, metavar="[REF ...]")(func)


def emit(text: str, output: Path | None) -> None:
    """Print to stdout, or write the file atomically and say where it went."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from sco_decl.outputs.render import write_output

    write_output(output, text)
    click.echo(f"wrote {output}", err=True)


def themes_file_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--themes", "themes_file", type=click.Path(dir_okay=False, path_type=Path),
                        help="A lexicon TOML that extends or overrides the shipped themes.")(func)


def model_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--model", metavar="NAME",
                        help="An installed trained spaCy pipeline (e.g. en_core_web_sm); default: blank English "
                             "with lookup lemmas.")(func)


def edition_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--edition NAME` and `--language CODE`: which edition stands for each declaration of a series
    (default: the catalog's default edition; a declaration without the one asked for keeps its default)."""
    func = click.option("--language", metavar="CODE",
                        help="Use each declaration's edition in this language (e.g. en, ru, zh) where it has one.")(func)
    return click.option("--edition", metavar="NAME",
                        help="Use this edition of each declaration that has it (default: each one's default "
                             "edition). Name two editions of one declaration as REFs (2005@a 2005@b) to show "
                             "both as variants.")(func)
