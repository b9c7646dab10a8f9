"""Progress bars: drawn on stderr when it is a terminal, absent when stderr is a pipe or with --quiet."""
from __future__ import annotations

import os
import re
import pty
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_with_tty_stderr(*args: str) -> tuple[str, str]:
    """Run the CLI with stderr on a pseudo-terminal (as in a person's shell) and stdout on a pipe."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    proc = subprocess.Popen([sys.executable, "-m", "sco_decl", *args], stdout=subprocess.PIPE, stderr=slave,
                            env=env, cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    stdout = proc.stdout.read().decode()
    proc.wait(timeout=300)
    os.close(master)
    assert proc.returncode == 0, b"".join(chunks).decode(errors="replace")
    return stdout, b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("command", [("themes", "--wide"), ("appendix", "--format", "csv")])
def test_a_bar_on_a_terminal_and_none_with_quiet(mco_root, command):
    stdout, stderr = run_with_tty_stderr("--texts", str(mco_root), *command)
    assert "2016-port-alder" in stdout  # the result itself is untouched
    assert "6/6" in stderr or "12/12" in stderr  # counts
    _, quiet = run_with_tty_stderr("--texts", str(mco_root), *command, "--quiet")
    assert "/6" not in quiet and "/12" not in quiet


def test_no_bar_when_stderr_is_not_a_terminal(mco_root):
    run = subprocess.run([sys.executable, "-m", "sco_decl", "--texts", str(mco_root), "themes", "--wide"],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                         timeout=300)
    assert run.returncode == 0 and "/6" not in run.stderr and "analysing" not in run.stderr


def test_site_bar_counts_its_files(mco_root, tmp_path):
    _, stderr = run_with_tty_stderr("--texts", str(mco_root), "site", "-o", str(tmp_path / "site"))
    assert "building" in stderr and re.search(r" (\d+)/\1 ", stderr)  # done/total at the end


def test_fetch_bar_on_a_terminal_none_with_quiet(tmp_path):
    """A fetch over two editions served on 127.0.0.1: counts on a terminal's stderr, nothing with --quiet."""
    import http.server
    import threading

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the handler's name
            body = (b"<html><body><article><p>The Heads of State of the Member States met in Lisk and "
                    b"adopted this Declaration on cooperation in the region.</p></article></body></html>")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        from sco_decl.store.corpus import Corpus
        from sco_decl.store.model import EditionInfo

        for sub in ("a", "b"):
            corpus = Corpus.open(tmp_path / sub)
            url = f"http://127.0.0.1:{server.server_port}"
            corpus.new_declaration("2017-lisk", title="Lisk Declaration", date="2017-06-09", place="Lisk",
                                   editions=[EditionInfo(name="one", url=f"{url}/one"),
                                             EditionInfo(name="two", url=f"{url}/two")])
        _, loud = run_with_tty_stderr("--texts", str(tmp_path / "a"), "fetch", "--no-archive")
        _, quiet = run_with_tty_stderr("--texts", str(tmp_path / "b"), "fetch", "--no-archive", "--quiet")
    finally:
        server.shutdown()
    assert "fetching" in loud and "2/2" in loud
    assert "fetching" not in quiet
