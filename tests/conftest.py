"""Shared fixtures: the spaCy pipeline (loaded once), the fictional MCO corpus, and a CLI runner."""
from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from sco_decl.cli import main
from sco_decl.model import EditionInfo
from sco_decl.store import Corpus

FIXTURES = Path(__file__).parent / "fixtures"
MCO = FIXTURES / "mco"


@pytest.fixture(scope="session")
def nlp():
    from sco_decl.nlp import load_pipeline

    return load_pipeline()


def mco_catalog() -> list[dict]:
    """The fictional declarations' catalog entries (corpus.toml, or its parts while being written)."""
    files = [MCO / "corpus.toml"] if (MCO / "corpus.toml").exists() else sorted(MCO.glob("corpus-part*.toml"))
    entries: list[dict] = []
    for path in files:
        entries += tomllib.loads(path.read_text("utf-8"))["declaration"]
    return entries


def build_mco_corpus(root: Path) -> Corpus:
    """A corpus with every fictional declaration and every fixture text added through the store."""
    corpus = Corpus.open(root)
    for entry in mco_catalog():
        editions = [EditionInfo(**e) for e in entry.get("editions", [])]
        corpus.new_declaration(entry["id"], title=entry["title"], date=entry["date"], place=entry["place"],
                               signatories=entry.get("signatories", []), editions=editions,
                               default_edition=entry.get("default_edition"))
    for path in sorted((MCO / "texts").glob("*@*.txt")):
        decl_id, edition = path.stem.split("@")
        corpus.add(decl_id, edition, path.read_text("utf-8"), source=str(path))
    return corpus


@pytest.fixture(scope="session")
def mco_root(tmp_path_factory) -> Path:
    """A built MCO corpus shared by the session: read it, never write to it (copy it with mco_corpus)."""
    root = tmp_path_factory.mktemp("mco") / "texts"
    build_mco_corpus(root)
    return root


@pytest.fixture
def mco_corpus(mco_root, tmp_path) -> Corpus:
    """A private, writable copy of the MCO corpus."""
    target = tmp_path / "texts"
    shutil.copytree(mco_root, target, ignore=shutil.ignore_patterns(".lock"))
    return Corpus.open(target)


@pytest.fixture
def cli():
    """Run the CLI in-process: cli("--texts", d, "list") -> click Result (exceptions not caught)."""
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
