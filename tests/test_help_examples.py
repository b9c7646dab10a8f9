"""Every example in `--help` works when copied: it parses against its command, and every REF in it names a
declaration (and edition) of the shipped catalog (texts/: 2001-2006), after the examples before it that create
declarations or add a catalog have run."""
from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sco_decl.cli import main

ROOT = Path(__file__).resolve().parents[1]
REF = re.compile(r"^(\d{4}(-[a-z][a-z-]*)?|\d{4}-\d\d-\d\d-[a-z-]+)(@[A-Za-z0-9_-]+)?(:r\d+)?$")
CREATING = {("new",), ("catalog", "add"), ("event", "add")}  # examples that make what later ones use


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = [(path, group)] if path else []
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        if isinstance(command, click.Group):
            out += commands(command, path + (name,))
        else:
            out.append((path + (name,), command))
    return out


def examples(command: click.Command) -> list[list[str]]:
    """The example command lines of a help text, as argument lists (shell redirections and && split off)."""
    text = command.help or ""
    if "Example" not in text:
        return []
    block = text.split("Example", 1)[1].replace("\\\\\n", " ").replace("\\\n", " ")
    lines = [line.strip() for line in block.splitlines() if line.strip().startswith("sco-decl ")]
    out = []
    for line in lines:
        for part in re.split(r"&&|\|", line):
            words = shlex.split(part)
            if not words or words[0] != "sco-decl":
                continue
            kept, skip = [], False
            for word in words[1:]:
                if skip:
                    skip = False
                elif word in (">", ">>", "<"):
                    skip = True
                else:
                    kept.append(word)
            out.append(kept)
    return out


ALL = [(path, args) for path, command in commands() for args in examples(command)]


def test_every_command_has_an_example():
    missing = [" ".join(path) for path, command in commands()
               if not isinstance(command, click.Group) and not examples(command)]
    assert missing == []


@pytest.mark.parametrize("path,args", ALL, ids=[" ".join(a) for _, a in ALL])
def test_example_parses(path, args):
    """click accepts the arguments (no unknown option, no missing value)."""
    command: click.Command = main
    ctx = click.Context(main)
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        name = rest.pop(0)
        command = command.get_command(ctx, name)
        assert command is not None, f"no command {name!r} in {args}"
    command.make_context(" ".join(path), rest, parent=ctx)  # raises on any usage error


def test_every_ref_in_an_example_resolves_in_the_shipped_catalog(tmp_path):
    from sco_decl.store.corpus import Corpus

    runner = CliRunner()
    problems = []
    seen: set[tuple[str, ...]] = set()
    for n, (path, args) in enumerate(ALL):
        if path not in seen:  # each command's examples run in order on a fresh copy of the catalog
            seen.add(path)
            texts = tmp_path / f"texts-{n}"
            shutil.copytree(ROOT / "texts", texts, ignore=shutil.ignore_patterns(".lock", ".cache"))
        corpus = Corpus.open(texts)
        refs = [a for a in args if REF.match(a) and not re.fullmatch(r"\d{4}-\d\d-\d\d", a)]
        creates = any(tuple(args[:len(c)]) == c for c in CREATING)
        if creates:
            result = runner.invoke(main, ["--texts", str(texts), *args])
            assert result.exit_code == 0, f"{' '.join(args)}: {result.output}"
            continue
        for ref in refs:
            decl_ref, _, edition = ref.partition("@")
            edition = edition.split(":")[0]
            try:
                decl = corpus.resolve_declaration(decl_ref)
            except Exception as exc:  # noqa: BLE001 - the message is the finding
                problems.append(f"sco-decl {' '.join(args)}: {ref}: {exc}")
                continue
            if edition and edition not in {e.name for e in decl.editions}:
                problems.append(f"sco-decl {' '.join(args)}: {decl.id} has no edition {edition!r} "
                                f"({', '.join(e.name for e in decl.editions)})")
    assert problems == []


def test_command_list_shows_whole_summaries():
    text = CliRunner().invoke(main, ["--help"]).output
    commands_part = text.split("Commands:")[1]
    assert "..." not in commands_part
    assert "every declaration with text)." in " ".join(commands_part.split())


def test_show_meta_says_json():
    text = CliRunner().invoke(main, ["show", "--help"]).output
    assert "--meta" in text and "JSON" in " ".join(text.split("--meta")[-1].split()[:12])


def test_lexicon_names_each_source_once(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[[theme]]\nid = "self-rule"\nlabel = "Self-rule"\ncolour = "#123456"\n'
                     'patterns = ["self-rule"]\n', "utf-8")
    out = CliRunner().invoke(main, ["lexicon", "--themes", str(extra)]).output
    from sco_decl.analysis.lexicon import SHIPPED

    assert out.count(str(SHIPPED)) == 1 and out.count(str(extra)) == 1
    assert "[1]" in out.splitlines()[3] and "[2]" in out  # rows say [1] / [2], the head says which file is which


def test_themes_wide_is_one_table(cli, mco_root):
    out = cli("--texts", mco_root, "themes", "--wide").stdout.splitlines()
    header = out[1].split()
    assert header[:2] == ["declaration", "date"] and "sovereignty" in header and "terrorism" in header
    body = [line for line in out[3:] if line.strip()]
    assert len(body) == 6 and all(len(line.split()) == len(header) for line in body)
    csv = cli("--texts", mco_root, "themes", "--wide", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("ref,date,sovereignty_rate") and len(csv) == 7
