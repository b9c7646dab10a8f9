"""The corpus commands as a user runs them: output, exit codes and one-line errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clicheck import one_line_error

from sco_decl._version import __version__


def new(cli, texts, ident="2011-port-alder", date="2011-06-14"):
    return cli("--texts", texts, "new", ident, "--title", "Founding Declaration", "--date", date,
               "--place", "Port Alder", "--signatory", "K. Dorran", "--signatory", "Petra Saal")


def test_new_add_show_log_list_check(cli, tmp_path):
    texts = tmp_path / "corpus"  # missing: a new corpus starts there
    created = new(cli, texts)
    assert created.stdout.strip() == "created 2011-port-alder (2011-06-14, Port Alder)"
    assert created.stderr.strip() == f"corpus: {texts.resolve()}"  # a write names the folder it went to
    src = tmp_path / "a.txt"
    src.write_bytes(b"Title\r\n\r\nThe heads of state met.\r\n")
    out = cli("--texts", texts, "add", src, "--to", "2011", "--edition", "secretariat").stdout.strip()
    assert out.startswith("2011-port-alder@secretariat r1 sha256:") and len(out.split("sha256:")[1]) == 12
    assert cli("--texts", texts, "add", src, "--to", "2011-port-alder", "--edition", "secretariat").stdout.strip() \
        == "unchanged"
    assert cli("--texts", texts, "show", "2011").output == "Title\n\nThe heads of state met.\n"
    meta = json.loads(cli("--texts", texts, "show", "2011@secretariat:r1", "--meta").output)
    assert meta["source"] == str(src.resolve()) and meta["revision"] == 1 and len(meta["sha256"]) == 64
    stdin = cli("--texts", texts, "add", "-", "--to", "2011", "--edition", "secretariat", "--note", "typed",
                input="New text.\n")
    assert "r2" in stdin.output
    log = cli("--texts", texts, "log", "2011").output
    assert "2011-port-alder@secretariat:r1" in log and "2011-port-alder@secretariat:r2" in log and "typed" in log
    listed = json.loads(cli("--texts", texts, "list", "--format", "json").output)
    assert listed == [{
        "id": "2011-port-alder", "title": "Founding Declaration", "date": "2011-06-14", "place": "Port Alder",
        "signatories": ["K. Dorran", "Petra Saal"], "has_text": True,
        "editions": [{"name": "secretariat", "revisions": 2, "has_text": True, "url": None, "publisher": None,
                      "language": "en",
                      "default": True}]}]
    table = cli("--texts", texts, "list").output
    assert "2011-port-alder" in table and "secretariat(2)" in table
    assert cli("--texts", texts, "check").output.startswith("ok: 2 revision(s) verified")


def test_check_exits_1_and_names_the_edited_file(cli, tmp_path):
    new(cli, tmp_path)
    cli("--texts", tmp_path, "add", "-", "--to", "2011", "--edition", "wire", input="Text.\n")
    (tmp_path / "2011-port-alder" / "wire" / "r1.txt").write_text("Text, edited.\n")
    result = cli("--texts", tmp_path, "check")
    assert result.exit_code == 1
    assert f"modified: {tmp_path / '2011-port-alder' / 'wire' / 'r1.txt'}" in result.output


def test_bad_source_files(cli, tmp_path):
    new(cli, tmp_path)
    add = ("--texts", tmp_path, "add")
    binary = tmp_path / "img.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    one_line_error(cli(*add, binary, "--to", "2011", "--edition", "e"), str(binary), "binary")
    cyrillic = tmp_path / "ru.txt"
    cyrillic.write_bytes("Декларация глав государств о сотрудничестве и безопасности в регионе.\n".encode("cp1251"))
    result = cli(*add, cyrillic, "--to", "2011", "--edition", "ru")
    one_line_error(result, str(cyrillic), "not UTF-8", "--encoding")
    assert "1251" in result.output
    ok = cli(*add, cyrillic, "--to", "2011", "--edition", "ru", "--encoding", "windows-1251")
    assert ok.exit_code == 0 and "r1" in ok.output
    assert cli("--texts", tmp_path, "show", "2011@ru").output.startswith("Декларация")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    one_line_error(cli(*add, empty, "--to", "2011", "--edition", "e"), str(empty), "empty")
    big = tmp_path / "big.txt"
    big.write_text("word " * 300)
    one_line_error(cli(*add, big, "--to", "2011", "--edition", "e", "--max-size", "1000"), str(big), "--max-size")
    one_line_error(cli(*add, tmp_path / "nope.txt", "--to", "2011", "--edition", "e"), "nope.txt", "no such file")
    odd = tmp_path / "a.xyz"
    odd.write_text("text")
    one_line_error(cli(*add, odd, "--to", "2011", "--edition", "e"), "a.xyz", "cannot import .xyz")
    one_line_error(cli(*add, empty, "--to", "2011", "--edition", "../x"), "'../x'", "lowercase")
    assert not (tmp_path / "2011-port-alder" / "e").exists()
    assert not (tmp_path / "x").exists()


def test_bad_catalog_input(cli, tmp_path):
    new(cli, tmp_path)
    one_line_error(new(cli, tmp_path), "already exists")
    one_line_error(new(cli, tmp_path, ident="../escape"), "'../escape'", "lowercase letters")
    one_line_error(new(cli, tmp_path, ident="2012-kestrel", date="June 2012"), "YYYY-MM-DD")
    one_line_error(new(cli, tmp_path, ident="2012-kestrel", date="2012-02-30"), "YYYY-MM-DD")
    one_line_error(cli("--texts", tmp_path, "show", "1999"), "unknown declaration '1999'", "2011-port-alder")
    one_line_error(cli("--texts", tmp_path, "show", "2011"), "has no text yet", "sco-decl fetch 2011-port-alder")
    catalog = tmp_path / "2011-port-alder" / "declaration.toml"
    catalog.write_text('id = "2011-port-alder"\ntitle = "T"\nplace = "P"\ndate = [\n')
    # a broken catalog file does not stop commands about other declarations: they warn; check fails
    listed = cli("--texts", tmp_path, "list")
    assert listed.exit_code == 0 and f"warning: left out 2011-port-alder: {catalog}: malformed TOML" in listed.stderr
    one_line_error(cli("--texts", tmp_path, "show", "2011-port-alder"), f"{catalog}:", "malformed TOML")
    catalog.write_text('id = "2011-port-alder"\ntitle = "T"\nplace = "P"\n')
    checked = cli("--texts", tmp_path, "check")
    assert checked.exit_code == 1 and f"corrupt: {catalog}" in checked.output and "date" in checked.output


def test_version_and_every_command_has_help_with_an_example(cli):
    assert cli("--version").output.strip() == f"sco-decl, version {__version__}"
    from sco_decl.cli import main

    for name, command in main.commands.items():
        text = cli(name, "--help").output
        assert "Example" in text, f"{name} --help has no example"


def test_python_m_and_installed_script_run_in_a_real_process(tmp_path):
    env = {**os.environ, "SCO_DECL_TEXTS": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "sco_decl", "new", "2011-port-alder", "--title", "T", "--date",
                           "2011-06-14", "--place", "Port Alder"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    script = Path(sys.executable).with_name("sco-decl")
    if not script.exists():
        pytest.skip("the sco-decl script is not installed in this environment")
    proc = subprocess.run([str(script), "list", "--format", "json"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["id"] == "2011-port-alder"
    bad = subprocess.run([str(script), "show", "2099"], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and bad.stderr.startswith("Error: unknown declaration") and "Traceback" not in bad.stderr
