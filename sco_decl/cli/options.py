"""Options shared by several commands, defined once as decorators (as sqlite-utils does)."""
from __future__ import annotations

from functools import update_wrapper
from pathlib import Path
from typing import Any, Callable

import click

from sco_decl.cli.base import AppContext

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _texts_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--texts", "_texts", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="The corpus folder (same as before the command name).")(func)


def themes_file_option(func: Callable[..., Any], hidden: bool = False) -> Callable[..., Any]:
    return click.option("--themes", "_themes_file", type=click.Path(dir_okay=False, path_type=Path),
                        hidden=hidden, help="A lexicon TOML that extends or overrides the shipped themes.")(func)


def model_option(func: Callable[..., Any], hidden: bool = False) -> Callable[..., Any]:
    return click.option("--model", "_model", metavar="NAME", hidden=hidden,
                        help="An installed trained spaCy pipeline (e.g. en_core_web_sm); default: blank English "
                             "with lookup lemmas.")(func)


def _app(ctx: click.Context, kwargs: dict[str, Any]) -> AppContext:
    app = ctx.find_object(AppContext)
    assert app is not None
    app.override(kwargs.pop("_texts", None), kwargs.pop("_themes_file", None), kwargs.pop("_model", None))
    return app


def pass_workspace(func: Callable[..., Any]) -> Callable[..., Any]:
    """Hand the command the Workspace as its first argument; adds `--texts`, `--themes` and `--model`, so
    the shared options work after the command name too."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        app = _app(ctx, kwargs)
        return ctx.invoke(func, app.workspace, *args, **kwargs)

    return _texts_option(themes_file_option(model_option(update_wrapper(wrapper, func))))


def pass_corpus(func: Callable[..., Any]) -> Callable[..., Any]:
    """Hand the command the opened corpus as its first argument. It accepts all three shared options after its
    name, as every command does, so a script may put them anywhere; `--themes` and `--model` change nothing
    for a command that analyses nothing, so they stay out of its help."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        app = _app(ctx, kwargs)
        return ctx.invoke(func, app.corpus, *args, **kwargs)

    return _texts_option(themes_file_option(model_option(update_wrapper(wrapper, func), hidden=True), hidden=True))


def format_option(*choices: str, default: str | None = None) -> Decorator:
    """`--format` limited to what the command can write; the first choice is the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default or choices[0],
                        show_default=True, help="Output format.")


def output_option(help_text: str = "Write to FILE instead of standard output.") -> Decorator:
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


def edition_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--edition NAME` and `--language CODE`: which edition stands for each declaration of a series
    (default: the catalog's default edition; a declaration without the one asked for keeps its default)."""
    func = click.option("--language", metavar="CODE",
                        help="Use each declaration's edition in this language (e.g. en, ru, zh) where it has one.")(func)
    return click.option("--edition", metavar="NAME",
                        help="Use this edition of each declaration that has it (default: each one's default "
                             "edition). Name two editions of one declaration as REFs (2005@a 2005@b) to show "
                             "both as variants.")(func)
