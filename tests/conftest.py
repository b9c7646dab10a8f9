"""Shared fixtures: the spaCy pipeline (loaded once), the fictional MCO corpus, and a CLI runner."""
from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from sco_decl.cli import main
from sco_decl.store.model import EditionInfo
from sco_decl.store.corpus import Corpus

FIXTURES = Path(__file__).parent / "fixtures"
MCO = FIXTURES / "mco"


@pytest.fixture(scope="session")
def nlp():
    from sco_decl.analysis.pipeline import load_pipeline

    return load_pipeline()


def mco_catalog() -> list[dict]:
    """The fictional declarations' catalog entries (corpus.toml, or its parts while being written)."""
    files = [MCO / "corpus.toml"] if (MCO / "corpus.toml").exists() else sorted(MCO.glob("corpus-part*.toml"))
    entries: list[dict] = []
    for path in files:
        entries += tomllib.loads(path.read_text("utf-8"))["declaration"]
    return entries


def build_mco_corpus(root: Path) -> Corpus:
    """A corpus with every fictional declaration and every fixture text added through the store, and the
    fictional chronology."""
    corpus = Corpus.open(root)
    for entry in mco_catalog():
        editions = [EditionInfo(**e) for e in entry.get("editions", [])]
        corpus.new_declaration(entry["id"], title=entry["title"], date=entry["date"], place=entry["place"],
                               signatories=entry.get("signatories", []), editions=editions,
                               default_edition=entry.get("default_edition"))
    for path in sorted((MCO / "texts").glob("*@*.txt")):
        decl_id, edition = path.stem.split("@")
        corpus.add(decl_id, edition, path.read_text("utf-8"), source=str(path))
    shutil.copyfile(MCO / "chronology.toml", root / "chronology.toml")  # the fictional events (issue 15)
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


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Tests never touch the internet: a connection to a non-loopback address fails the test."""
    import ipaddress
    import socket

    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else None
        if host is not None:
            try:
                loopback = ipaddress.ip_address(host.split("%")[0]).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    real_getaddrinfo = socket.getaddrinfo

    def guarded_lookup(host, *args, **kwargs):
        if host is None:
            return real_getaddrinfo(host, *args, **kwargs)
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            local = ipaddress.ip_address(name.split("%")[0]).is_loopback
        except ValueError:
            local = name in ("localhost", "")
        if not local:
            raise AssertionError(f"test tried to look up a network host: {name!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, address: guarded(self, address) or 0)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, started once per session (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, page errors and every request URL it makes."""
    context = browser.new_context()
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.requests = []  # type: ignore[attr-defined]
    pg.on("console", lambda msg: pg.errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("request", lambda req: pg.requests.append(req.url))
    yield pg
    context.close()
