"""The click group every command hangs on, the per-command Workspace, and library errors as one-line errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sco_decl._version import __version__
from sco_decl.errors import ScoDeclError, StoreError
from sco_decl.paths import default_texts_dir
from sco_decl.store.corpus import Corpus

if TYPE_CHECKING:  # the analysis stack loads with the first Workspace, not for `list` or `--help`
    from sco_decl.workspace import Workspace


@dataclass
class AppContext:
    """The shared options (`--texts`, `--themes`, `--model`, given before or after the command name) and
    the one Workspace made from them, on first use, for the command (its corpus opened only when asked for)."""

    texts: Path | None
    themes_file: Path | None = None
    model: str | None = None
    _workspace: Workspace | None = field(default=None, repr=False)
    _corpus: Corpus | None = field(default=None, repr=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from sco_decl.workspace import Workspace

            self._workspace = Workspace(self._open_corpus, themes_file=self.themes_file, model=self.model)
        return self._workspace

    @property
    def corpus(self) -> Corpus:
        """The corpus alone (a command that analyses nothing makes no Workspace); the same object the
        Workspace will use if one is made."""
        return self._open_corpus()

    def _open_corpus(self) -> Corpus:
        if self._corpus is None:
            if self.texts is not None and not self.texts.exists() and not _creates_corpus():
                raise StoreError(f"{self.texts}: no such corpus folder (--texts or SCO_DECL_TEXTS); check the "
                                 "path, or start a corpus there with `sco-decl new` or `sco-decl catalog add`")
            self._corpus = Corpus.open(self.texts or default_texts_dir())
        return self._corpus

    def override(self, texts: Path | None, themes_file: Path | None, model: str | None) -> None:
        """Options given after the command name win over those given before it."""
        if self._workspace is not None and (texts or themes_file or model):
            self._workspace = None
            self._corpus = None
        self.texts = texts or self.texts
        self.themes_file = themes_file or self.themes_file
        self.model = model or self.model

    def report(self, failed: bool) -> None:
        """After a command: the catalog files it had to skip (unless its own error says it), the corpus
        folder if it wrote to it, and the damaged revisions a corpus-wide command left out."""
        if self._corpus is not None:
            for path, error in ({} if failed else self._corpus.skipped).items():
                click.echo(f"warning: left out {path.parent.name}: {' '.join(error.split())} "
                           "(`sco-decl check` lists every problem)", err=True)
            if self._corpus.wrote:
                click.echo(f"corpus: {self._corpus.root.resolve()}", err=True)

    def damaged(self) -> list[str]:
        """One warning line per damaged revision a corpus-wide command left out."""
        if self._workspace is None:
            return []
        return [f"warning: left out {item.revision.ref}: {' '.join(item.message.split())}"
                for item in self._workspace.damaged]


def creates_corpus(command: click.Command) -> click.Command:
    """Mark a command that may start a corpus in a folder that does not exist yet (others refuse one)."""
    setattr(command, "creates_corpus", True)
    return command


def _creates_corpus() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and getattr(ctx.command, "creates_corpus", False))


class ErrorsAsMessages(click.Group):
    """Library errors become `Error: <one line>` with exit 1; nothing else is caught. A corpus-wide command
    that left out damaged revisions warns about each and exits 1 after doing the rest of its work."""

    def invoke(self, ctx: click.Context) -> Any:
        failed = True
        try:
            result = super().invoke(ctx)
            failed = False
        except ScoDeclError as exc:
            raise click.ClickException(" ".join(str(exc).split())) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        finally:
            if isinstance(ctx.obj, AppContext):
                ctx.obj.report(failed)
        damaged = ctx.obj.damaged() if isinstance(ctx.obj, AppContext) else []
        if damaged:
            for line in damaged:
                click.echo(line, err=True)
            raise click.ClickException(f"{len(damaged)} damaged revision(s) left out; run `sco-decl check`")
        return result

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
@click.option("--themes", "themes_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A lexicon TOML that extends or overrides the shipped themes (for every command).")
@click.option("--model", metavar="NAME",
              help="An installed trained spaCy pipeline (e.g. en_core_web_sm); default: blank English with "
                   "lookup lemmas.")
@click.pass_context
def main(ctx: click.Context, texts: Path | None, themes_file: Path | None, model: str | None) -> None:
    """Keep summit declarations as versioned texts and show how their language changes.

    \b
    Example:
      sco-decl list
      sco-decl compare 2004 2005 -o compare.html
    """
    ctx.obj = AppContext(texts=texts, themes_file=themes_file, model=model)
