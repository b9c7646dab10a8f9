"""The click group every command hangs on, and the turning of library errors into one-line errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from sco_decl._version import __version__
from sco_decl.errors import ScoDeclError, StoreError
from sco_decl.paths import default_texts_dir
from sco_decl.store.corpus import Corpus


@dataclass
class AppContext:
    """What every command may need: where the corpus is (opened lazily, only when asked for)."""

    texts: Path | None
    _corpus: Corpus | None = field(default=None, repr=False)

    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            if self.texts is not None and not self.texts.exists() and not _creates_corpus():
                raise StoreError(f"{self.texts}: no such corpus folder (--texts or SCO_DECL_TEXTS); check the "
                                 "path, or start a corpus there with `sco-decl new` or `sco-decl catalog add`")
            self._corpus = Corpus.open(self.texts or default_texts_dir())
        return self._corpus

    def report(self, failed: bool) -> None:
        """After a command: the catalog files it had to skip (unless its own error says it), and the corpus
        folder if it wrote to it."""
        if self._corpus is None:
            return
        for path, error in ({} if failed else self._corpus.skipped).items():
            click.echo(f"warning: left out {path.parent.name}: {' '.join(error.split())} "
                       "(`sco-decl check` lists every problem)", err=True)
        if self._corpus.wrote:
            click.echo(f"corpus: {self._corpus.root.resolve()}", err=True)


def creates_corpus(command: click.Command) -> click.Command:
    """Mark a command that may start a corpus in a folder that does not exist yet (others refuse one)."""
    setattr(command, "creates_corpus", True)
    return command


def _creates_corpus() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and getattr(ctx.command, "creates_corpus", False))


class ErrorsAsMessages(click.Group):
    """Library errors become `Error: <one line>` with exit 1; nothing else is caught."""

    def invoke(self, ctx: click.Context) -> Any:
        failed = True
        try:
            result = super().invoke(ctx)
            failed = False
            return result
        except ScoDeclError as exc:
            raise click.ClickException(" ".join(str(exc).split())) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        finally:
            if isinstance(ctx.obj, AppContext):
                ctx.obj.report(failed)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list with each command's whole first sentence, wrapped, never cut off with '...'."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=ErrorsAsMessages, context_settings={"help_option_names": ["-h", "--help"],
                                                      "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="sco-decl")
@click.option("--texts", type=click.Path(file_okay=False, path_type=Path), envvar="SCO_DECL_TEXTS",
              help="The corpus folder (env SCO_DECL_TEXTS). Default: the per-user folder seeded with the "
                   "catalog, for every install mode (`sco-decl info` shows it). A folder that does not exist is "
                   "an error, except for `new` and `catalog add`, which start a corpus there.")
@click.pass_context
def main(ctx: click.Context, texts: Path | None) -> None:
    """Keep summit declarations as versioned texts and show how their language changes.

    \b
    Example:
      sco-decl list
      sco-decl compare 2004 2005 -o compare.html
    """
    ctx.obj = AppContext(texts=texts)
