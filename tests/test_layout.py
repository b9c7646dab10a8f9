"""Extraction that does not depend on the host name: layouts detected from the page itself, web-archive
addresses unwrapped to the original host, --profile to force one, and the generic furniture cleanup.

Every fixture page is served from 127.0.0.1 (a host no profile knows) with no publisher in the catalog, and
again under a fake web-archive path; the extracted text must be the same exact text as from the real host.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import sco_decl.cli.fetch as cli_fetch
from pageserver import PageServer, Reply
from sco_decl.cli import main
from sco_decl.ingest.defaults import Settings
from sco_decl.ingest.extract import extract_html
from sco_decl.ingest.fetch import fetch_editions
from sco_decl.ingest.layout import choose_profile, detect_by_markers, unwrap_archive
from sco_decl.store.corpus import Corpus
from sco_decl.store.model import EditionInfo

PAGES = Path(__file__).parent / "fixtures" / "pages"
MANIFEST = tomllib.loads((PAGES / "pages.toml").read_text("utf-8"))["page"]
FAST = Settings(timeout=5, retries=0, backoff=0.0, min_interval=0.0)


@pytest.fixture
def server():
    with PageServer() as srv:
        yield srv


def serve(server: PageServer, page: dict, prefix: str) -> str:
    """Serve a fixture page (and the continuation pages of a multi-page article) under ``prefix``."""
    ctype = "text/plain; charset=utf-8" if page["file"].endswith(".txt") else "text/html"
    name = "content_71234.htm" if page.get("extra") else page["file"]
    url = server.route(f"{prefix}/{name}", Reply(body=(PAGES / page["file"]).read_bytes(), content_type=ctype))
    for number, extra in enumerate(page.get("extra", []), 2):
        server.route(f"{prefix}/content_71234_{number}.htm", Reply(body=(PAGES / extra).read_bytes()))
    return url


def fetch_one(root: Path, url: str, date: str, **kwargs):
    corpus = Corpus.open(root)
    corpus.new_declaration("2019-harrowgate", title="Statement of the MCO", date=date, place="Harrowgate",
                           editions=[EditionInfo(name="page", url=url)])     # no publisher: no hint
    outcome = fetch_editions(corpus, settings=FAST, **kwargs)[0]
    assert outcome.status == "new", outcome.reason
    return corpus, outcome.revision


@pytest.mark.parametrize("page", MANIFEST, ids=[p["name"] for p in MANIFEST])
def test_layout_is_detected_from_the_page_on_an_unknown_host(server, tmp_path, page):
    url = serve(server, page, f"/mirror/{page['name']}")
    corpus, revision = fetch_one(tmp_path, url, page["date"])
    assert corpus.read_text(revision) == (PAGES / f"{page['name']}.expected.txt").read_text("utf-8")
    assert revision.meta["extractor"] == page["profile"]
    if page["file"].endswith(".html"):
        expected = "default" if page["profile"] == "generic" else "page markers"
        assert revision.meta["profile_from"] == expected
    for key, value in page["fields"].items():
        assert revision.meta["header"][key] == value


@pytest.mark.parametrize("page", MANIFEST, ids=[p["name"] for p in MANIFEST])
def test_an_archived_copy_is_cleaned_with_its_original_hosts_profile(server, tmp_path, page):
    # The fake archive serves the page at /web/<timestamp>id_/<original URL>, as the Wayback Machine does.
    folder = page["url"].rsplit("/", 1)[0]       # the original host and folder; the file name is the fixture's
    url = serve(server, page, f"/web/20160612093000id_/{folder}")
    corpus, revision = fetch_one(tmp_path, url, page["date"])
    assert corpus.read_text(revision) == (PAGES / f"{page['name']}.expected.txt").read_text("utf-8")
    assert revision.meta["extractor"] == page["profile"]
    if page["profile"] not in ("generic", "plain-text"):
        assert revision.meta["profile_from"] == "archived page's original host"


@pytest.mark.parametrize("url, expected", [
    ("https://web.archive.org/web/20050705120000/http://www.chinadaily.com.cn/a.htm",
     ("http://www.chinadaily.com.cn/a.htm", "20050705120000")),
    ("http://web.archive.org/web/20050705120000id_/https://worldjpn.net/x.html?y=1",
     ("https://worldjpn.net/x.html?y=1", "20050705120000")),
    ("http://127.0.0.1:8000/web/20160612093000id_/http:/kremlin.ru/supplement/9672",
     ("http://kremlin.ru/supplement/9672", "20160612093000")),
    ("https://web.archive.org/web/20031204/www.china.org.cn/english/2003/Dec/80.htm",
     ("http://www.china.org.cn/english/2003/Dec/80.htm", "20031204")),
    ("https://mco.example/web/2015/news.html", ("https://mco.example/web/2015/news.html", None)),
    ("https://www.chinadaily.com.cn/china/a.htm", ("https://www.chinadaily.com.cn/china/a.htm", None)),
])
def test_unwrap_archive(url, expected):
    assert unwrap_archive(url) == expected


def test_choice_order_and_reasons():
    html = (PAGES / "worldjpn.html").read_text("utf-8")
    assert choose_profile("http://www.kremlin.ru/a", html=html).reason == "host"
    assert choose_profile("http://127.0.0.1/a", "https://worldjpn.net/b").reason == "final host"
    saved = '<link rel="canonical" href="http://www.fmprc.gov.cn/eng/x.shtml">' + html
    assert (choose_profile(None, html=saved).profile.name, choose_profile(None, html=saved).reason) == \
        ("fmprc", "page address")
    assert choose_profile("http://127.0.0.1/a", html=html).reason == "page markers"
    assert choose_profile("http://127.0.0.1/a", publisher="Beijing Review (bjreview)").profile.name == "bjreview"
    assert choose_profile("http://127.0.0.1/a", html="<p>Hello</p>").reason == "default"
    assert choose_profile("http://www.kremlin.ru/a", forced="generic").profile.name == "generic"
    generic = (PAGES / "generic.html").read_text("utf-8")
    assert detect_by_markers(generic) is None


def test_generic_cleanup_drops_menus_print_links_copyright_and_back_to_top():
    paras = ["The ministers of the Meridian Cooperation Organization met in Lisk on 4 March 2012.",
             "They agreed to open a transport corridor between Kestrel and Port Alder by the end of the year."]
    html = ("<html><body><div>Home | News | Documents | Contacts ||||</div>"
            "<div><a href='#'>Print</a> | <a href='#'>Close</a></div>"
            + "".join(f"<p>{p}</p>" for p in paras) +
            "<div><a href='#top'>Back to top</a></div>"
            "<div>[Print this page] [Close window]</div>"
            "<div>Copyright © 2012 Meridian Archive. All rights reserved.</div></body></html>")
    result = extract_html(html, "http://127.0.0.1/mco.html")
    assert result.profile == "generic"
    assert result.text == "\n\n".join(paras) + "\n"


def test_profile_option_forces_a_profile_on_fetch_reextract_and_add(server, tmp_path, monkeypatch):
    monkeypatch.setattr(cli_fetch, "SETTINGS", FAST)
    monkeypatch.setattr(cli_fetch, "ARCHIVE", None)
    url = server.route("/wj.html", Reply(body=(PAGES / "worldjpn.html").read_bytes()))
    texts = tmp_path / "texts"
    Corpus.open(texts).new_declaration("2019-harrowgate", title="Statement", date="2014-06-17", place="Harrowgate",
                                       editions=[EditionInfo(name="page", url=url)])
    cli = ["--texts", str(texts)]
    forced = CliRunner().invoke(main, cli + ["fetch", "--profile", "generic"])
    assert forced.exit_code == 0, forced.output
    corpus = Corpus.open(texts)
    first = corpus.resolve("2019-harrowgate@page:r1")
    assert first.meta["extractor"] == "generic" and first.meta["profile_from"] == "forced"
    assert "[Full text]" in corpus.read_text(first)       # the generic profile keeps worldjpn's header lines
    again = CliRunner().invoke(main, cli + ["reextract", "2019-harrowgate@page", "--profile", "worldjpn"])
    assert again.exit_code == 0 and "new revision 2019-harrowgate@page:r2" in again.output
    assert corpus.read_text(corpus.resolve("2019-harrowgate@page:r2")) == (PAGES / "worldjpn.expected.txt").read_text("utf-8")
    added = CliRunner().invoke(main, cli + ["add", url, "--to", "2019-harrowgate", "--edition", "copy", "--profile", "generic"])
    assert added.exit_code == 0, added.output
    assert corpus.resolve("2019-harrowgate@copy").meta["extractor"] == "generic"
    unknown = CliRunner().invoke(main, cli + ["fetch", "--profile", "nosuch"])
    assert unknown.exit_code == 2 and "'nosuch' is not one of" in unknown.output


@pytest.mark.parametrize("date, warned", [("2014-06-17", True), ("2014-06-07", False)])
def test_add_file_warns_when_the_pages_date_differs_from_the_catalogs(tmp_path, date, warned):
    saved = tmp_path / "saved.html"
    saved.write_bytes((PAGES / "worldjpn.html").read_bytes())       # its header says [Date] June 7, 2014
    texts = tmp_path / "texts"
    Corpus.open(texts).new_declaration("2014-harrowgate", title="Declaration", date=date, place="Harrowgate",
                                       editions=[EditionInfo(name="worldjpn", url="https://worldjpn.net/x.html")])
    result = CliRunner().invoke(main, ["--texts", str(texts), "add", str(saved), "--to", "2014-harrowgate",
                                       "--edition", "worldjpn"])     # layout detected from the file itself
    assert result.exit_code == 0, result.output
    message = ("warning: the page's header date 'June 7, 2014' (2014-06-07) disagrees with the catalog date "
               f"{date}")
    assert (message in result.stderr) is warned
    assert Corpus.open(texts).read_text(Corpus.open(texts).resolve("2014-harrowgate@worldjpn")) == \
        (PAGES / "worldjpn.expected.txt").read_text("utf-8")
