"""Commands that make a page deliver it one way: a file (-o, or a default name they print), '-o -' for
standard output, and --open that opens a browser or says which file:// address to open."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from sco_decl.cli import main
from sco_decl.cli import pages


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def no_browser(monkeypatch):
    """A machine without a graphical session: opening a browser cannot work."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(pages.sys, "platform", "linux")
    opened = []
    monkeypatch.setattr(pages.webbrowser, "open", lambda uri: opened.append(uri) or True)
    return opened


def test_chart_page_to_stdout_with_dash(mco_root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--texts", mco_root, "chart", "terrorism", "-o", "-")
    assert result.exit_code == 0 and result.stdout.lstrip().startswith("<!DOCTYPE html>")
    assert "<svg" in result.stdout and list(tmp_path.iterdir()) == []
    assert "wrote" not in result.stderr


def test_chart_default_name_is_printed_and_open_without_a_browser_says_where(mco_root, tmp_path, monkeypatch,
                                                                          no_browser):
    monkeypatch.chdir(tmp_path)
    result = run("--texts", mco_root, "chart", "terrorism", "--open")
    target = tmp_path / "chart-terrorism.html"
    assert result.exit_code == 0 and target.is_file()
    assert "wrote chart-terrorism.html" in result.stderr
    assert f"open {target.resolve().as_uri()} in your browser" in result.stderr
    assert no_browser == []  # no launcher was tried, so none of its errors reach the user


def test_open_uses_the_browser_when_there_is_one(tmp_path, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    opened = []
    monkeypatch.setattr(pages.webbrowser, "open", lambda uri: opened.append(uri) or True)
    target = tmp_path / "p.html"
    target.write_text("<p>x</p>", "utf-8")
    pages.open_in_browser(target)
    assert opened == [target.resolve().as_uri()]


def test_open_says_where_when_the_launcher_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(pages.webbrowser, "open", lambda uri: False)
    pages.open_in_browser(tmp_path / "p.html")
    assert f"open {(tmp_path / 'p.html').resolve().as_uri()} in your browser" in capsys.readouterr().err


def test_open_needs_a_file(mco_root):
    result = run("--texts", mco_root, "chart", "terrorism", "-o", "-", "--open")
    assert result.exit_code == 2 and "--open needs a file" in result.output


@pytest.mark.parametrize("command, default", [
    (("kwic", "--theme", "terrorism", "--format", "html"), "kwic-terrorism.html"),
    (("trace", "multipolar world", "--format", "html"), "trace-multipolar-world.html"),
    (("appendix", "--format", "html"), "appendix.html"),
    (("compare", "2014", "2015"), "compare-2014-2015.html"),
])
def test_every_html_command_writes_a_named_file_and_dash_prints(mco_root, tmp_path, monkeypatch, no_browser,
                                                              command, default):
    monkeypatch.chdir(tmp_path)
    result = run("--texts", mco_root, *command, "--open")
    assert result.exit_code == 0, result.output
    assert (tmp_path / default).is_file() and f"wrote {default}" in result.stderr
    assert "in your browser" in result.stderr and "<html" not in result.stdout
    (tmp_path / default).unlink()
    printed = run("--texts", mco_root, *command, "-o", "-")
    assert printed.stdout.lstrip().lower().startswith("<!doctype html>") and list(tmp_path.iterdir()) == []
