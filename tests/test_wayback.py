"""Web-archive fallback: a catalogued page that is gone is taken from a fake archive on 127.0.0.1 that answers
`/wayback/available?url=...&timestamp=...` and serves `/web/<timestamp>id_/<url>`, as the Internet Archive does.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner

import sco_decl.cli.fetch as cli_fetch
from pageserver import PageServer, Reply
from sco_decl.cli import main
from sco_decl.ingest.defaults import Settings
from sco_decl.ingest.download import Downloader
from sco_decl.ingest.fetch import fetch_editions, reextract
from sco_decl.ingest.wayback import looks_missing
from sco_decl.outputs.cite import citation, render_citation
from sco_decl.store.corpus import Corpus
from sco_decl.store.model import EditionInfo

PAGES = Path(__file__).parent / "fixtures" / "pages"
FAST = Settings(timeout=5, retries=0, backoff=0.0, min_interval=0.0)
STAMP = "20190830121314"
GENERIC_HTML = (PAGES / "generic.html").read_bytes()
GENERIC_TEXT = (PAGES / "generic.expected.txt").read_text("utf-8")


@pytest.fixture
def server():
    with PageServer() as srv:
        yield srv


def archive(server: PageServer, url: str, body: bytes | None, *, stamp: str = STAMP, day: str = "20190901") -> str:
    """Teach the fake archive about ``url``: its availability answer and (if ``body``) the snapshot's bytes."""
    closest = {"available": True, "status": "200", "timestamp": stamp,
               "url": f"http://web.archive.org/web/{stamp}/{url}"} if body is not None else None
    answer = {"url": url, "archived_snapshots": {"closest": closest} if closest else {}}
    server.route(f"/wayback/available?url={quote(url, safe='')}&timestamp={day}",
                 Reply(body=json.dumps(answer).encode(), content_type="application/json"))
    if body is not None:
        server.route(f"/web/{stamp}id_/{url}", Reply(body=body))
    return f"{server.base}/web/{stamp}id_/{url}"


def make_corpus(root: Path, url: str) -> Corpus:
    corpus = Corpus.open(root)
    corpus.new_declaration("2019-harrowgate", title="Statement of the Meridian Cooperation Organization",
                           date="2019-09-01", place="Harrowgate", editions=[EditionInfo(name="page", url=url)])
    return corpus


@pytest.mark.parametrize("live", [Reply(404, b"<html>gone</html>"), Reply(410, b"<html>gone</html>"),
                                  Reply(body=b"<html><head><title>Page Not Found</title></head>"
                                             b"<body><h1>Sorry</h1><p>Try the search.</p></body></html>")],
                         ids=["404", "410", "soft-404"])
def test_a_gone_page_is_taken_from_the_archive(server, tmp_path, live):
    url = server.route("/live/statement.html", live)
    snapshot = archive(server, url, GENERIC_HTML)
    corpus = make_corpus(tmp_path, url)
    outcome = fetch_editions(corpus, settings=FAST, archive=server.base)[0]
    assert outcome.status == "new", outcome.reason
    assert corpus.read_text(outcome.revision) == GENERIC_TEXT
    meta = outcome.revision.meta
    assert meta["url"] == url and meta["final_url"] == snapshot
    assert meta["archive"]["snapshot"] == snapshot and meta["archive"]["timestamp"] == STAMP
    assert meta["archive"]["snapshot_date"] == "2019-08-30" and meta["archive"]["original"] == url
    assert ("HTTP 4" if live.status != 200 else "soft 404") in meta["archive"]["live_failure"]
    entry = citation(corpus, outcome.revision)
    assert entry.url == url and entry.archived_url == snapshot and entry.archived_date == "2019-08-30"
    assert f"  addendum = {{Archived copy of 2019-08-30: \\url{{{snapshot}}}}},\n" in render_citation(entry, "bibtex")
    assert f"L2  - {snapshot}" in render_citation(entry, "ris")
    assert f"Archived copy of 2019-08-30: {snapshot}." in render_citation(entry, "text")
    again = reextract(corpus, "2019-harrowgate@page")            # the raw copy keeps its archive provenance
    assert again.status == "unchanged"


def test_a_host_that_no_longer_resolves_is_read_from_the_archive_with_its_own_profile(server, tmp_path):
    """The original host is gone from DNS (a mock transport); the archived bytes get chinadaily's profile."""
    import socket

    url = "http://www.chinadaily.com.cn/china/2016-06/12/content_7020345.htm"

    def no_dns(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known") from socket.gaierror(-2, "not known")

    snapshot = archive(server, url, (PAGES / "chinadaily.html").read_bytes(), day="20150705")
    client = httpx.Client(mounts={"http://www.chinadaily.com.cn": httpx.MockTransport(no_dns)})
    corpus = Corpus.open(tmp_path)
    corpus.new_declaration("2015-valmora", title="Declaration", date="2015-07-05", place="Valmora",
                           editions=[EditionInfo(name="cd", url=url)])
    downloader = Downloader(FAST, client=client)
    outcome = fetch_editions(corpus, downloader=downloader, archive=server.base)[0]
    assert outcome.status == "new", outcome.reason
    assert corpus.read_text(outcome.revision) == (PAGES / "chinadaily.expected.txt").read_text("utf-8")
    meta = outcome.revision.meta
    assert meta["extractor"] == "chinadaily" and meta["profile_from"] == "archived page's original host"
    assert "host name not resolved" in meta["archive"]["live_failure"] and meta["archive"]["snapshot"] == snapshot


def test_no_copy_in_the_archive_or_no_archive_asked(server, tmp_path):
    url = server.route("/live/gone.html", Reply(404, b"<html>gone</html>"))
    archive(server, url, None)
    corpus = make_corpus(tmp_path, url)
    outcome = fetch_editions(corpus, settings=FAST, archive=server.base)[0]
    assert outcome.status == "failed"
    assert outcome.reason == f"{url}: HTTP 404 (not found); the web archive ({server.base}) has no copy either"
    asked = len(server.requests)
    off = fetch_editions(corpus, settings=FAST, archive=None)[0]
    assert off.status == "failed" and off.reason == f"{url}: HTTP 404 (not found)"
    assert [p for p, _ in server.requests[asked:]] == ["/live/gone.html"]     # the archive was not asked


def test_a_broken_archive_answer_is_one_line(server, tmp_path):
    url = server.route("/live/gone.html", Reply(404, b"<html>gone</html>"))
    server.route(f"/wayback/available?url={quote(url, safe='')}&timestamp=20190901",
                 Reply(body=b"{not json", content_type="application/json"))
    outcome = fetch_editions(make_corpus(tmp_path, url), settings=FAST, archive=server.base)[0]
    assert outcome.status == "failed" and f"asking the web archive ({server.base}) failed too" in outcome.reason
    assert "not the JSON of its availability API" in outcome.reason


def test_a_live_page_is_not_replaced_by_the_archive(server, tmp_path):
    url = server.route("/live/ok.html", Reply(body=GENERIC_HTML))
    outcome = fetch_editions(make_corpus(tmp_path, url), settings=FAST, archive=server.base)[0]
    assert outcome.status == "new" and "archive" not in outcome.revision.meta
    assert not any(p.startswith("/wayback/") for p, _ in server.requests)


def test_soft_404_detection():
    assert looks_missing("<title>404 Not Found</title>")
    assert looks_missing("<html><h1>The page you requested does not exist</h1></html>")
    assert not looks_missing((PAGES / "generic.html").read_text("utf-8"))
    assert looks_missing("<title>Error 404 | Meridian Wire</title>")
    assert not looks_missing("<title>Statement on the 404 km Kestrel railway</title>")


@pytest.fixture
def cli_env(monkeypatch):
    monkeypatch.setattr(cli_fetch, "SETTINGS", FAST)
    monkeypatch.setattr(cli_fetch, "ARCHIVE", None)


def test_cli_archive_options_and_check(server, tmp_path, cli_env):
    gone = server.route("/live/gone.html", Reply(404, b"<html>gone</html>"))
    lost = server.route("/live/lost.html", Reply(404, b"<html>gone</html>"))
    live = server.route("/live/ok.html", Reply(body=GENERIC_HTML))
    snapshot = archive(server, gone, GENERIC_HTML)
    archive(server, lost, None)
    archive(server, live, GENERIC_HTML)
    texts = tmp_path / "texts"
    corpus = Corpus.open(texts)
    corpus.new_declaration("2019-harrowgate", title="Statement", date="2019-09-01", place="Harrowgate",
                           editions=[EditionInfo(name=n, url=u) for n, u in
                                     (("gone", gone), ("lost", lost), ("live", live))])
    cli = ["--texts", str(texts)]
    check = CliRunner().invoke(main, cli + ["fetch", "--check", "--archive", server.base])
    assert check.exit_code == 1
    rows = {line.split()[0]: line for line in check.stdout.splitlines()[2:]}
    assert "HTTP 404 (not found)" in rows["2019-harrowgate@gone"] and f"2019-08-30 {snapshot}" in rows[
        "2019-harrowgate@gone"]
    assert "no archived copy" in rows["2019-harrowgate@lost"]
    assert "ok (HTTP 200)" in rows["2019-harrowgate@live"]
    assert "1 of 3 edition(s) have neither a live page nor an archived copy" in check.stderr
    assert corpus.revisions("2019-harrowgate", "gone") == []              # --check stores nothing
    no = CliRunner().invoke(main, cli + ["fetch", "--check", "--no-archive", "--edition", "live"])
    assert no.exit_code == 0 and "not asked (--no-archive)" in no.stdout
    fetched = CliRunner().invoke(main, cli + ["fetch", "--archive", server.base, "--edition", "gone"])
    assert fetched.exit_code == 0, fetched.output
    assert corpus.resolve("2019-harrowgate@gone").meta["archive"]["snapshot"] == snapshot
    off = CliRunner().invoke(main, cli + ["fetch", "--no-archive", "--edition", "lost"])
    assert off.exit_code == 1 and "HTTP 404 (not found))" in off.stdout
    both = CliRunner().invoke(main, cli + ["fetch", "--no-archive", "--archive", server.base])
    assert both.exit_code == 2 and "contradict" in both.output
    bad = CliRunner().invoke(main, cli + ["fetch", "--archive", "ftp://archive.example"])
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.output


def test_the_internet_archive_is_asked_at_its_documented_addresses():
    """The availability API lives on archive.org, the snapshots on web.archive.org (a mock transport answers)."""
    from sco_decl.ingest import defaults
    from sco_decl.ingest.wayback import closest_snapshot
    import datetime as dt

    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        answer = {"archived_snapshots": {"closest": {"available": True, "status": "200",
                                                     "timestamp": "20050706010203"}}}
        return httpx.Response(200, json=answer)

    downloader = Downloader(FAST, client=httpx.Client(transport=httpx.MockTransport(handler)))
    snapshot = closest_snapshot(downloader, defaults.ARCHIVE, "http://www.mco.example/2005.htm", dt.date(2005, 7, 5))
    assert asked == ["https://archive.org/wayback/available?url=http%3A%2F%2Fwww.mco.example%2F2005.htm"
                     "&timestamp=20050705"]
    assert snapshot is not None and snapshot.date == "2005-07-06"
    assert snapshot.url == "https://web.archive.org/web/20050706010203id_/http://www.mco.example/2005.htm"
