"""Network faults end: a time limit for the whole request, Retry-After up to a cap, redirects checked hop by hop.

Mock transports (httpx.MockTransport) script the responses of public hosts; loopback servers play the slow
ones, and the CLI runs in a subprocess (guarded by a generous subprocess timeout) so a hang fails the test.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from pageserver import PageServer, Reply
from sco_decl.errors import FetchError
from sco_decl.ingest.defaults import Settings
from sco_decl.ingest.download import Downloader
from sco_decl.ingest.fetch import fetch_editions
from sco_decl.ingest.netpolicy import is_public_host, redirect_refusal, retry_after
from sco_decl.store.corpus import Corpus
from sco_decl.store.model import EditionInfo

PAGES = Path(__file__).parent / "fixtures" / "pages"
GENERIC_HTML = (PAGES / "generic.html").read_bytes()
ROOT = Path(__file__).resolve().parents[1]
# Fake DNS for the mock hosts (public addresses; documentation ranges such as 203.0.113.0/24 are not global):
# names never reach the real resolver, which the test guard forbids.
DNS = {"mco.example": ["93.184.215.14"], "mirror.example": ["151.101.1.1"], "router.example": ["192.168.1.1"],
       "both.example": ["151.101.1.2", "10.0.0.8"]}


def fake_resolve(host: str) -> list[str]:
    return DNS.get(host, [])


def mock_downloader(handler, settings: Settings | None = None, slept: list[float] | None = None) -> Downloader:
    sleep = slept.append if slept is not None else (lambda seconds: None)
    return Downloader(settings or Settings(min_interval=0), client=httpx.Client(transport=httpx.MockTransport(handler)),
                      sleep=sleep, resolve=fake_resolve)


def redirecting(chain: dict[str, str], final: bytes = GENERIC_HTML):
    """A handler: URLs in ``chain`` answer 302 to the next URL; anything else answers the page."""
    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url in chain:
            return httpx.Response(302, headers={"Location": chain[url]})
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=final)
    return handler


# ---------------------------------------------------------------- redirects
def test_each_hop_is_followed_and_named():
    chain = {"http://mco.example/a": "/b", "http://mco.example/b": "https://mirror.example/c",
             "https://mirror.example/c": "https://mirror.example/final.html"}
    page = mock_downloader(redirecting(chain)).get("http://mco.example/a")
    assert page.url == "http://mco.example/a" and page.final_url == "https://mirror.example/final.html"
    assert [(h["url"], h["status"], h["location"]) for h in page.redirects] == [
        ("http://mco.example/a", 302, "http://mco.example/b"),
        ("http://mco.example/b", 302, "https://mirror.example/c"),
        ("https://mirror.example/c", 302, "https://mirror.example/final.html")]


def test_the_hops_are_kept_in_the_revisions_provenance(tmp_path):
    corpus = Corpus.open(tmp_path)
    corpus.new_declaration("2019-harrowgate", title="Statement", date="2019-09-01", place="Harrowgate",
                           editions=[EditionInfo(name="page", url="http://mco.example/old")])
    downloader = mock_downloader(redirecting({"http://mco.example/old": "http://mirror.example/new.html"}))
    outcome = fetch_editions(corpus, downloader=downloader)[0]
    assert outcome.status == "new", outcome.reason
    stored = corpus.resolve("2019@page")
    assert stored.meta["redirects"] == [{"url": "http://mco.example/old", "status": 302,
                                         "location": "http://mirror.example/new.html"}]
    assert stored.meta["final_url"] == "http://mirror.example/new.html"


@pytest.mark.parametrize("target, why", [
    ("http://127.0.0.1:8080/admin", "loopback, private or link-local"),
    ("http://localhost/", "loopback, private or link-local"),
    ("http://10.1.2.3/", "loopback, private or link-local"),
    ("http://169.254.169.254/latest/meta-data/", "loopback, private or link-local"),
    ("http://[::1]/", "loopback, private or link-local"),
    ("http://router.example/", "loopback, private or link-local"),
    ("http://both.example/", "loopback, private or link-local"),    # one private address is enough
    ("ftp://mirror.example/decl.txt", r"not an http\(s\) URL"),
    ("file:///etc/passwd", r"not an http\(s\) URL"),
])
def test_a_public_page_cannot_redirect_into_local_addresses_or_other_schemes(target, why):
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(301, headers={"Location": target})

    with pytest.raises(FetchError, match=why):
        mock_downloader(handler).get("http://mco.example/a")
    assert asked == ["http://mco.example/a"]                 # the refused hop is never requested


def test_a_local_start_may_redirect_locally():
    assert redirect_refusal("http://127.0.0.1:5000/a", "http://127.0.0.1:5000/b") is None
    assert redirect_refusal("http://10.0.0.2/a", "http://192.168.0.3/b") is None
    assert redirect_refusal("http://127.0.0.1:5000/a", "gopher://127.0.0.1/") == \
        "a redirect to 'gopher://127.0.0.1/' is not an http(s) URL"
    assert is_public_host("mco.example", fake_resolve) and not is_public_host("router.example", fake_resolve)


@pytest.mark.parametrize("hops, ok", [(10, True), (11, False)])
def test_at_most_ten_hops(hops, ok):
    chain = {f"http://mco.example/{n}": f"/{n + 1}" for n in range(hops)}
    downloader = mock_downloader(redirecting(chain))
    if ok:
        assert len(downloader.get("http://mco.example/0").redirects) == 10
    else:
        with pytest.raises(FetchError, match=r"too many redirects \(more than 10\)"):
            downloader.get("http://mco.example/0")


# ---------------------------------------------------------------- Retry-After
def busy_then_ok(*first: httpx.Response):
    replies = list(first)

    def handler(request: httpx.Request) -> httpx.Response:
        if replies:
            return replies.pop(0)
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=GENERIC_HTML)
    return handler


def test_retry_after_seconds_replaces_the_backoff():
    slept: list[float] = []
    handler = busy_then_ok(httpx.Response(503, headers={"Retry-After": "7"}), httpx.Response(429))
    page = mock_downloader(handler, Settings(min_interval=0, backoff=0.25), slept).get("http://mco.example/a")
    assert page.status == 200 and page.attempts == 3
    assert slept == [7.0, 0.5]                                # asked wait, then the backoff of attempt 2


def test_retry_after_over_the_cap_gives_up_at_once():
    slept: list[float] = []
    handler = busy_then_ok(httpx.Response(503, headers={"Retry-After": "3600"}))
    with pytest.raises(FetchError, match=r"HTTP 503; the server asks to retry after 3600 s, more than the 60 s"):
        mock_downloader(handler, Settings(min_interval=0), slept).get("http://mco.example/a")
    assert slept == []


def test_a_wait_past_the_time_limit_is_not_started():
    handler = busy_then_ok(httpx.Response(429, headers={"Retry-After": "20"}))
    with pytest.raises(FetchError, match=r"HTTP 429 after 1 attempt; no time left .* 5 s limit"):
        mock_downloader(handler, Settings(min_interval=0, timeout=5)).get("http://mco.example/a")


def test_retry_after_forms():
    import datetime as dt

    now = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
    assert retry_after("120") == 120.0
    assert retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


# ---------------------------------------------------------------- the time limit bounds the whole request
@pytest.fixture
def server():
    with PageServer() as srv:
        yield srv


def cli_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # 60 s is far above the limits under test: only a request that is not bounded reaches it.
    return subprocess.run([sys.executable, "-m", "sco_decl", *args], capture_output=True, text=True, env=env,
                          timeout=60, cwd=ROOT)


@pytest.mark.parametrize("reply", [
    # A byte every 0.25 s, headers included (padded to take minutes): no single read ever times out.
    Reply(body=GENERIC_HTML, trickle=0.25, headers={"X-Padding": "x" * 400}),
    Reply(body=GENERIC_HTML, delay=60),       # a sleeper: answers after a minute
], ids=["trickle", "sleeper"])
@pytest.mark.parametrize("command", ["fetch", "add"])
def test_timeout_bounds_the_whole_request(server, tmp_path, reply, command):
    url = server.route("/slow.html", reply)
    texts = tmp_path / "texts"
    Corpus.open(texts).new_declaration("2019-harrowgate", title="Statement", date="2019-09-01", place="Harrowgate",
                                       editions=[EditionInfo(name="page", url=url)])
    args = ["fetch", "--timeout", "1.5"] if command == "fetch" else \
        ["add", url, "--to", "2019", "--edition", "page", "--timeout", "1.5"]
    result = cli_subprocess("--texts", str(texts), *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "timed out after 1 attempt (at most 1.5 s for the whole request; --timeout sets it)" in \
        result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not list((texts / "2019-harrowgate").rglob("r*.txt"))


def test_a_trickle_below_the_limit_is_read_whole(server):
    url = server.route("/slow.html", Reply(body=b"<html><body><p>Kestrel and Lisk agree.</p></body></html>",
                                           trickle=0.001))
    page = Downloader(Settings(min_interval=0, timeout=30)).get(url)
    assert page.body.endswith(b"agree.</p></body></html>")


@pytest.mark.parametrize("command", ["fetch", "add"])
def test_timeout_option_is_documented(command):
    from click.testing import CliRunner

    from sco_decl.cli import main

    out = CliRunner().invoke(main, [command, "--help"]).output
    assert "--timeout SECONDS" in out and "connecting, reading, retries" in " ".join(out.split())
    bad = CliRunner().invoke(main, [command, *(["x"] if command == "add" else []), "--timeout", "0"])
    assert bad.exit_code == 2 and "--timeout" in bad.output
