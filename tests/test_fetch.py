"""fetch / reextract / add URL against pages served on 127.0.0.1, with scripted faults."""
from __future__ import annotations

import dataclasses
import gzip
import json
import os
import re
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import sco_decl.cli.fetch as cli_fetch
from pageserver import PageServer, Reply
from pdfmaker import make_pdf
from sco_decl.cli import main
from sco_decl.ingest.defaults import USER_AGENT, Settings
from sco_decl.ingest.download import Downloader
from sco_decl.errors import InputError, NotFoundError
from sco_decl.ingest import defaults
from sco_decl.ingest.fetch import fetch_editions, reextract
from sco_decl.ingest.sources import add_source, read_source
from sco_decl.store.model import EditionInfo
from sco_decl.store.corpus import Corpus

PAGES = Path(__file__).parent / "fixtures" / "pages"
MANIFEST = tomllib.loads((PAGES / "pages.toml").read_text("utf-8"))["page"]
# The time limit covers a whole download, retries included: 2 s leaves a loaded test machine room for a
# local page, while the "timeout" fault's server answers only after 3 s.
FAST = Settings(timeout=2.0, retries=2, backoff=0.0, min_interval=0.0, max_bytes=200_000)
GENERIC_HTML = (PAGES / "generic.html").read_bytes()
GENERIC_TEXT = (PAGES / "generic.expected.txt").read_text("utf-8")
RU_PARAS = ["Главы государств-членов Меридианской организации сотрудничества собрались в городе Валмора.",
            "Государства-члены будут укреплять сотрудничество в области транспорта и энергетики."]
ZH_PARAS = ["子午线合作组织成员国元首在港湾城举行会晤，一致同意加强互信与睦邻友好。",
            "成员国将深化交通、能源和通信领域的合作，并设立发展基金。"]


@pytest.fixture
def server():
    with PageServer() as srv:
        yield srv


def make_corpus(root: Path, editions: dict[str, tuple[str, str | None]], date: str = "2019-09-01") -> Corpus:
    """One declaration whose editions (name -> (url, publisher)) point at the local server."""
    corpus = Corpus.open(root)
    corpus.new_declaration("2019-harrowgate", title="Statement of the MCO", date=date, place="Harrowgate",
                           editions=[EditionInfo(name=n, url=u, publisher=p) for n, (u, p) in editions.items()])
    return corpus


def run(corpus: Corpus, *ids: str, settings: Settings = FAST, **kwargs):
    return fetch_editions(corpus, ids, settings=settings, **kwargs)


def only(outcomes):
    assert len(outcomes) == 1
    return outcomes[0]


def files(corpus: Corpus, edition: str = "page") -> list[str]:
    folder = corpus.root / "2019-harrowgate" / edition
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# ---------------------------------------------------------------- each publisher profile, end to end
@pytest.mark.parametrize("page", MANIFEST, ids=[p["name"] for p in MANIFEST])
def test_fetch_stores_the_exact_text_of_each_profile(server, tmp_path, page):
    ctype = "text/plain; charset=utf-8" if page["file"].endswith(".txt") else "text/html"
    # A multi-page article lives at content_<n>.htm and links to content_<n>_2.htm, as on the site.
    path = f"/{page['name']}/content_71234.htm" if page.get("extra") else f"/{page['name']}/{page['file']}"
    url = server.route(path, Reply(body=(PAGES / page["file"]).read_bytes(), content_type=ctype))
    for number, extra in enumerate(page.get("extra", []), 2):
        server.route(f"/{page['name']}/content_71234_{number}.htm", Reply(body=(PAGES / extra).read_bytes()))
    corpus = make_corpus(tmp_path, {"page": (url, page["url"])}, date=page["date"])
    outcome = only(run(corpus))
    assert outcome.status == "new", outcome.reason
    assert corpus.read_text(outcome.revision) == (PAGES / f"{page['name']}.expected.txt").read_text("utf-8")
    meta = outcome.revision.meta
    assert meta["extractor"] == page["profile"]
    assert meta["url"] == url and meta["http_status"] == 200 and meta["retrieved"].endswith("Z")
    for key, value in page["fields"].items():
        assert meta["header"][key] == value
    if "warning" in page:
        assert any(page["warning"] in w for w in meta["warnings"])
    if page.get("extra"):
        assert len(meta["pages"]) == 2


# ---------------------------------------------------------------- raw archive, repeat fetches, revisions
def test_raw_page_is_kept_compressed_with_headers(server, tmp_path):
    url = server.route("/a.html", Reply(body=GENERIC_HTML, headers={"ETag": '"v1"'}))
    corpus = make_corpus(tmp_path, {"page": (url, None)})
    outcome = only(run(corpus))
    raw = corpus.root / "2019-harrowgate" / "page" / "raw"
    record_file = next(raw.glob("*.json"))
    record = json.loads(record_file.read_text("utf-8"))
    page = record["pages"][0]
    assert page["url"] == url and page["status"] == 200 and page["headers"]["etag"] == '"v1"'
    assert gzip.decompress((raw / page["body"]).read_bytes()) == GENERIC_HTML
    assert outcome.revision.meta["raw"] == record_file.name and outcome.revision.meta["etag"] == '"v1"'
    assert server.hits("/a.html")[0]["user-agent"] == USER_AGENT


def test_same_fetch_twice_is_unchanged_and_a_changed_page_is_a_new_revision(server, tmp_path):
    url = server.route("/a.html", Reply(body=GENERIC_HTML))
    corpus = make_corpus(tmp_path, {"page": (url, None)})
    assert only(run(corpus)).status == "new"
    assert only(run(corpus)).status == "present"            # not downloaded again without --refresh
    assert len(server.hits("/a.html")) == 1
    assert only(run(corpus, refresh=True)).status == "unchanged"
    changed = GENERIC_HTML.replace(b"in the autumn", b"in the spring")
    server.route("/a.html", Reply(body=changed))
    outcome = only(run(corpus, refresh=True))
    assert outcome.status == "new" and outcome.revision.number == 2
    r1, r2 = corpus.revisions("2019-harrowgate", "page")
    assert corpus.read_text(r1) == GENERIC_TEXT
    assert corpus.read_text(r2) == GENERIC_TEXT.replace("in the autumn", "in the spring")


def test_refresh_sends_conditional_headers_and_reports_not_modified(server, tmp_path):
    url = server.route("/a.html", Reply(body=GENERIC_HTML, headers={
        "ETag": '"abc"', "Last-Modified": "Wed, 01 Jan 2020 00:00:00 GMT"}))
    corpus = make_corpus(tmp_path, {"page": (url, None)})
    run(corpus)
    outcome = only(run(corpus, refresh=True))
    assert outcome.status == "not-modified" and outcome.revision.number == 1
    conditional = server.hits("/a.html")[-1]
    assert conditional["if-none-match"] == '"abc"'
    assert conditional["if-modified-since"] == "Wed, 01 Jan 2020 00:00:00 GMT"
    assert len(list((corpus.root / "2019-harrowgate" / "page" / "raw").glob("*.json"))) == 1


def test_raw_only_then_reextract(server, tmp_path):
    url = server.route("/a.html", Reply(body=GENERIC_HTML))
    corpus = make_corpus(tmp_path, {"page": (url, None)})
    assert only(run(corpus, raw_only=True)).status == "raw-only"
    assert corpus.revisions("2019-harrowgate", "page") == []
    server.routes.clear()                                   # re-extraction needs no network
    outcome = reextract(corpus, "2019-harrowgate@page")
    assert outcome.status == "new" and corpus.read_text(outcome.revision) == GENERIC_TEXT
    assert outcome.revision.note.startswith("re-extracted from raw/")
    assert reextract(corpus, "2019@page").status == "unchanged"
    assert [p for p, _ in server.requests] == ["/a.html"]


def test_reextract_without_raw_page_is_an_error(tmp_path):
    corpus = make_corpus(tmp_path, {"page": ("http://127.0.0.1:9/x", None)})
    corpus.add("2019-harrowgate", "page", "Some text.\n", source="hand")
    with pytest.raises(NotFoundError, match="no stored raw page"):
        reextract(corpus, "2019-harrowgate@page")


# ---------------------------------------------------------------- faults
FAULTS = {
    "404": ([Reply(404, b"<html>gone</html>")], "HTTP 404 (not found)"),
    "500-forever": ([Reply(500, b"oops")], "HTTP 500 after 3 attempts"),
    "image": ([Reply(body=b"\x89PNG....", content_type="image/png")], "not a page with text (content type image/png)"),
    "empty": ([Reply(body=b"")], "the page is empty"),
    "too-big": ([Reply(body=b"<p>" + b"x" * 300_000 + b"</p>")], "over the limit of 200,000"),
    "too-big-streamed": ([Reply(body=b"<p>" + b"x" * 300_000 + b"</p>", chunked=True)], "over the size limit"),
    "no-text": ([Reply(body=b"<html><body><script>var x;</script><nav>Home</nav></body></html>")],
                "no declaration text found"),
    "timeout": ([Reply(body=GENERIC_HTML, delay=3.0)], "timed out after 1 attempt (at most 2 s for the whole request"),
    "redirect-loop": ([Reply(302, b"", headers={"Location": "/redirect-loop.html"})], "redirects"),
    "304-unasked": ([Reply(304, b"", content_type=None)], "HTTP 304 (not modified) to a plain request"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_faults_give_a_failed_outcome_and_leave_no_revision(server, tmp_path, fault):
    replies, reason = FAULTS[fault]
    good = server.route("/good.html", Reply(body=GENERIC_HTML))
    bad = server.route(f"/{fault}.html", *replies)
    corpus = make_corpus(tmp_path, {"bad": (bad, None), "good": (good, None)})
    outcomes = run(corpus)
    by_name = {o.edition: o for o in outcomes}
    assert by_name["bad"].status == "failed" and reason in by_name["bad"].reason
    assert by_name["good"].status == "new"                  # one failure does not stop the others
    left = files(corpus, "bad")
    assert not any(re.fullmatch(r"r\d+\.(txt|toml)", f) for f in left)
    if fault != "no-text":                                  # a complete page is kept for reextract
        assert left == []
    assert not any(f.endswith(".tmp") for f in files(corpus, "bad") + files(corpus, "good"))


def test_a_failed_refresh_keeps_earlier_revisions(server, tmp_path):
    url = server.route("/a.html", Reply(body=GENERIC_HTML))
    corpus = make_corpus(tmp_path, {"page": (url, None)})
    first = only(run(corpus)).revision
    server.route("/a.html", Reply(503, b"busy"))
    assert only(run(corpus, refresh=True)).status == "failed"
    assert [r.number for r in corpus.revisions("2019-harrowgate", "page")] == [1]
    assert corpus.read_text(first) == GENERIC_TEXT


def test_500_then_success_is_retried_with_backoff(server, tmp_path):
    url = server.route("/a.html", Reply(500, b"oops"), Reply(502, b"oops"), Reply(body=GENERIC_HTML))
    corpus = make_corpus(tmp_path, {"page": (url, None)})
    slept: list[float] = []
    downloader = Downloader(Settings(timeout=2, retries=3, backoff=0.5, min_interval=0), sleep=slept.append)
    outcome = only(fetch_editions(corpus, downloader=downloader))
    assert outcome.status == "new" and len(server.hits("/a.html")) == 3
    assert outcome.revision.meta["attempts"] == 3
    assert slept == [0.5, 1.0]


def test_redirect_is_followed_and_recorded(server, tmp_path):
    target = server.route("/new/place.html", Reply(body=GENERIC_HTML))
    url = server.route("/old.html", Reply(301, b"", headers={"Location": "/new/place.html"}))
    corpus = make_corpus(tmp_path, {"page": (url, None)})
    outcome = only(run(corpus))
    assert outcome.status == "new"
    assert outcome.revision.meta["url"] == url and outcome.revision.meta["final_url"] == target


@pytest.mark.parametrize("codec, paras", [("windows-1251", RU_PARAS), ("gbk", ZH_PARAS)])
@pytest.mark.parametrize("declared", [True, False])
def test_legacy_encodings_with_and_without_declared_charset(server, tmp_path, codec, paras, declared):
    body = ("<html><body><div>" + "".join(f"<p>{p}</p>" for p in paras) + "</div></body></html>").encode(codec)
    ctype = f"text/html; charset={codec}" if declared else "text/html"
    url = server.route("/legacy.html", Reply(body=body, content_type=ctype))
    corpus = make_corpus(tmp_path, {"page": (url, None)})
    outcome = only(run(corpus))
    assert corpus.read_text(outcome.revision) == "\n\n".join(paras) + "\n"
    assert outcome.revision.meta["encoding_from"] == ("declared" if declared else "detected")


def test_pdf_over_http_is_read_from_its_text_layer(server, tmp_path):
    pdf = make_pdf([["The ministers of the Meridian Cooperation Organization met in Lisk."]])
    url = server.route("/doc.pdf", Reply(body=pdf, content_type="application/pdf"))
    corpus = make_corpus(tmp_path, {"page": (url, None)})
    outcome = only(run(corpus))
    assert corpus.read_text(outcome.revision) == "The ministers of the Meridian Cooperation Organization met in Lisk.\n"
    assert outcome.revision.meta["extractor"] == "pdf"


def test_one_request_per_second_per_host(server):
    slept: list[float] = []
    downloader = Downloader(Settings(min_interval=1.0), sleep=slept.append, clock=lambda: 100.0)
    server.route("/a.html", Reply(body=GENERIC_HTML))
    downloader.get(server.base + "/a.html")
    downloader.get(server.base + "/a.html")
    assert slept == [1.0]
    downloader.get(server.base.replace("127.0.0.1", "localhost") + "/a.html")   # another host: no wait
    assert slept == [1.0]


def test_selection_and_progress(server, tmp_path):
    url = server.route("/a.html", Reply(body=GENERIC_HTML))
    corpus = make_corpus(tmp_path, {"one": (url, None), "two": (url, None)})
    calls = []
    outcomes = run(corpus, "2019", edition="two", progress=lambda *a: calls.append(a))
    assert [o.edition for o in outcomes] == ["two"]
    assert calls == [(0, 1, "2019-harrowgate@two"), (1, 1, "")]
    missing = only(run(corpus, edition="nope"))
    assert missing.status == "failed" and "no catalogued edition 'nope'" in missing.reason


def test_the_network_guard_blocks_the_internet():
    with pytest.raises(AssertionError, match="network"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)


# ---------------------------------------------------------------- CLI
@pytest.fixture
def fast_cli(monkeypatch):
    monkeypatch.setattr(cli_fetch, "SETTINGS", FAST)
    monkeypatch.setattr(cli_fetch, "ARCHIVE", None)      # tests never ask the real web archive


def test_cli_fetch_summary_and_exit_status(server, tmp_path, fast_cli):
    good = server.route("/good.html", Reply(body=GENERIC_HTML))
    bad = server.route("/bad.html", Reply(404, b"no"))
    make_corpus(tmp_path / "texts", {"good": (good, None), "bad": (bad, None)})
    result = CliRunner().invoke(main, ["--texts", str(tmp_path / "texts"), "fetch"])
    assert result.exit_code == 1
    assert "2019-harrowgate@good  new revision 2019-harrowgate@good:r1" in result.stdout
    assert f"2019-harrowgate@bad   failed ({bad}: HTTP 404 (not found))" in result.stdout
    assert "1 of 2 edition(s) failed" in result.stderr
    again = CliRunner().invoke(main, ["--texts", str(tmp_path / "texts"), "fetch", "--edition", "good"])
    assert again.exit_code == 0 and "unchanged (already stored" in again.stdout
    checked = CliRunner().invoke(main, ["--texts", str(tmp_path / "texts"), "check"])
    assert checked.exit_code == 0, checked.output                # raw pages do not upset the store's check


def test_cli_reextract(server, tmp_path, fast_cli):
    url = server.route("/a.html", Reply(body=GENERIC_HTML))
    make_corpus(tmp_path / "texts", {"page": (url, None)})
    texts = ["--texts", str(tmp_path / "texts")]
    assert CliRunner().invoke(main, texts + ["fetch", "--raw-only"]).exit_code == 0
    result = CliRunner().invoke(main, texts + ["reextract", "2019-harrowgate@page"])
    assert result.exit_code == 0 and "new revision 2019-harrowgate@page:r1" in result.stdout
    missing = CliRunner().invoke(main, texts + ["reextract", "2019-harrowgate@other"])
    assert missing.exit_code == 1 and "Error: 2019-harrowgate@other has no stored raw page" in missing.output


@pytest.mark.parametrize("command", ["fetch", "reextract"])
def test_cli_help_has_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and f"sco-decl {command}" in result.output


def test_cli_add_url_html_pdf_docx(server, tmp_path):
    import docx

    texts = ["--texts", str(tmp_path / "texts")]
    make_corpus(tmp_path / "texts", {})
    url = server.route("/statement.html", Reply(body=GENERIC_HTML))
    saved = tmp_path / "saved.htm"
    saved.write_bytes(b"<!-- saved from url=(0050)https://worldjpn.net/documents/texts/MCO/x.html -->\n"
                      + (PAGES / "worldjpn.html").read_bytes())
    pdf = tmp_path / "decl.pdf"
    pdf.write_bytes(make_pdf([["The ministers met in Lisk and agreed to meet again."]]))
    document = docx.Document()
    document.add_paragraph("The ministers met in Kestrel.")
    document.save(tmp_path / "decl.docx")
    cases = [(url, "web", GENERIC_TEXT), (str(saved), "saved", (PAGES / "worldjpn.expected.txt").read_text("utf-8")),
             (str(pdf), "pdf", "The ministers met in Lisk and agreed to meet again.\n"),
             (str(tmp_path / "decl.docx"), "docx", "The ministers met in Kestrel.\n")]
    corpus = Corpus.open(tmp_path / "texts")
    for source, edition, expected in cases:
        result = CliRunner().invoke(main, texts + ["add", source, "--to", "2019", "--edition", edition])
        assert result.exit_code == 0, result.output
        assert corpus.read_text(corpus.resolve(f"2019@{edition}")) == expected
    web = corpus.resolve("2019@web")
    assert web.meta["url"] == url and web.meta["raw"]  # the page added by URL is kept for re-extraction
    assert (tmp_path / "texts" / "2019-harrowgate" / "web" / "raw" / web.meta["raw"]).is_file()
    assert reextract(corpus, "2019@web").status == "unchanged"
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([[]]))
    result = CliRunner().invoke(main, texts + ["add", str(scan), "--to", "2019", "--edition", "scan"])
    assert result.exit_code == 1 and "the PDF has no text layer" in result.output
    assert corpus.revisions("2019-harrowgate", "scan") == []


def test_an_unresolvable_host_fails_at_once_and_is_not_asked_again():
    """Offline, every catalogued host fails DNS: no backoff, and one failure per host, so fetch ends fast."""
    import httpx

    calls: list[str] = []

    def no_dns(request):
        calls.append(str(request.url))
        raise httpx.ConnectError("[Errno -2] Name or service not known") from socket.gaierror(-2, "not known")

    slept: list[float] = []
    downloader = Downloader(Settings(retries=3, backoff=2.0, min_interval=0),
                            client=httpx.Client(transport=httpx.MockTransport(no_dns)), sleep=slept.append)
    with pytest.raises(Exception, match="host name not resolved.*no network"):
        downloader.get("http://mco.example/a.html")
    with pytest.raises(Exception, match="host not reached earlier in this run"):
        downloader.get("http://mco.example/b.html")
    assert calls == ["http://mco.example/a.html"] and slept == []


def test_a_url_is_imported_one_way_keeping_the_raw_page(server, tmp_path):
    """`sco-decl add URL` and the library's add_source take the one path that keeps the raw page and
    records where and when it was retrieved; read_source (files only) refuses a URL instead of dropping it."""
    url = server.route("/statement.html", Reply(body=GENERIC_HTML))
    corpus = make_corpus(tmp_path / "texts", {})
    outcome = add_source(corpus, "2019-harrowgate", "library", url, settings=FAST)
    assert outcome.status == "new" and outcome.url == url
    result = CliRunner().invoke(main, ["--texts", str(tmp_path / "texts"), "add", url, "--to", "2019",
                                       "--edition", "cli"])
    assert result.exit_code == 0, result.output
    for edition in ("library", "cli"):
        revision = corpus.resolve(f"2019@{edition}")
        assert corpus.read_text(revision) == GENERIC_TEXT and revision.source == url
        assert revision.meta["url"] == url and revision.meta["http_status"] == 200 and revision.meta["retrieved"]
        raw = tmp_path / "texts" / "2019-harrowgate" / edition / "raw"
        record = json.loads((raw / revision.meta["raw"]).read_text("utf-8"))["pages"][0]
        assert record["url"] == url and gzip.decompress((raw / record["body"]).read_bytes()) == GENERIC_HTML
        assert reextract(corpus, f"2019@{edition}").status == "unchanged"
    with pytest.raises(InputError, match="keeps the raw page"):
        read_source(url)


def test_the_cli_takes_the_one_set_of_defaults():
    """The CLI's settings and archive are the library's defaults, not copies of them."""
    assert cli_fetch._settings() == Settings() and cli_fetch.ARCHIVE == defaults.ARCHIVE
    assert cli_fetch.settings_with(5.0, max_bytes=7) == dataclasses.replace(Settings(), timeout=5.0, max_bytes=7)


def _run_probed(args: list[str], cwd: Path) -> tuple[str, set[str]]:
    """Run the CLI in a fresh interpreter: its output and which download/extraction libraries it loaded."""
    heavy = ("httpx", "trafilatura", "pypdf", "docx")
    probe = ("import sys\nfrom sco_decl.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n"
             "    pass\nprint('MODULES', ' '.join(m for m in %r if m in sys.modules), file=sys.stderr)\n" % (heavy,))
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)
    line = [l for l in done.stderr.splitlines() if l.startswith("MODULES")][-1]
    return done.stdout, set(line.split()[1:])


def test_fetch_help_shows_the_defaults_without_loading_httpx(tmp_path):
    out, loaded = _run_probed(["fetch", "--help"], tmp_path)
    assert loaded == set()
    flat = " ".join(out.split())
    assert f"[default: {Settings.timeout:g}]" in flat and f"[default: {defaults.ARCHIVE}]" in flat
    out, loaded = _run_probed(["add", "--help"], tmp_path)
    assert loaded == set() and f"[default: {defaults.MAX_INPUT_BYTES}]" in " ".join(out.split())
    make_corpus(tmp_path / "texts", {})
    (tmp_path / "plain.txt").write_text("The ministers of the Meridian Cooperation Organization met in Lisk.\n")
    out, loaded = _run_probed(["--texts", "texts", "add", "plain.txt", "--to", "2019", "--edition", "plain"],
                              tmp_path)
    assert "2019-harrowgate@plain r1" in out and loaded == set()  # a plain text needs no page extraction
