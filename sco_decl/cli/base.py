"""The click group every command hangs on, and the turning of library errors into one-line errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from sco_decl._version import __version__
from sco_decl.errors import ScoDeclError
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
            self._corpus = Corpus.open(self.texts or default_texts_dir())
        return self._corpus


class ErrorsAsMessages(click.Group):
    """Library errors become `Error: <one line>` with exit 1; nothing else is caught."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScoDeclError as exc:
            raise click.ClickException(" ".join(str(exc).split())) from None
        except KeyboardInterrupt:
            raise click.Abort() from None

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
              help="The corpus folder (env SCO_DECL_TEXTS). Default: texts/ in a checkout, else a per-user "
                   "folder seeded with the catalog. A missing or empty folder starts a new corpus.")
@click.pass_context
def main(ctx: click.Context, texts: Path | None) -> None:
    """Keep summit declarations as versioned texts and show how their language changes.

    \b
    Example:
      sco-decl list
      sco-decl compare 2004 2005 -o compare.html
    """
    ctx.obj = AppContext(texts=texts)
