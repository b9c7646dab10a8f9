"""Issue 11 (3, 7, 8, 9): check sees everything, nothing from a file becomes active content, names and files
are bounded, and where the texts are is never a surprise. Everything through the CLI."""
from __future__ import annotations

import csv
import errno
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clicheck import one_line_error
from sco_decl.outputs.csvout import neutralise
from sco_decl.store.model import RESERVED_NAMES

TEXT = ("The Heads of State of the Meridian Cooperation Organization met in Port Alder.\n\n"
        "1. They reaffirmed respect for sovereignty and non-interference in internal affairs.\n\n"
        "2. They agreed to meet next in Kestrel.\n")


def corpus_with_text(cli, root: Path, title: str = "Founding Declaration", place: str = "Port Alder") -> Path:
    assert cli("--texts", root, "new", "2011-port-alder", "--title", title, "--date", "2011-06-14",
               "--place", place).exit_code == 0
    src = root.parent / "src.txt"
    src.write_text(TEXT, "utf-8")
    assert cli("--texts", root, "add", src, "--to", "2011", "--edition", "secretariat").exit_code == 0
    return root


# -- 3. check sees everything; --repair removes what is safe --------------------------------------------
def test_check_sees_an_edition_named_raw_leftovers_orphans_and_repairs_what_is_safe(cli, tmp_path):
    texts = corpus_with_text(cli, tmp_path / "texts")
    decl = texts / "2011-port-alder"
    src = tmp_path / "raw.txt"
    src.write_text("A text kept under an edition called raw.\n", "utf-8")
    assert cli("--texts", texts, "add", src, "--to", "2011", "--edition", "raw").exit_code == 0
    assert cli("--texts", texts, "check").exit_code == 0
    (decl / "raw" / "r1.txt").write_text("Tampered.\n", "utf-8")  # was skipped by the old check
    temp = decl / "secretariat" / ".r2.txt.k3j4h5g6.tmp"
    temp.write_bytes(b"x" * 1000)
    probe = texts / ".filelock-probe-0123abcd"
    probe.write_bytes(b"")
    orphan = decl / "secretariat" / "r2.txt"
    orphan.write_text("The second text, whose metadata a kill prevented.\n", "utf-8")
    (decl / "empty-edition").mkdir()
    (decl / "notes.docx").write_bytes(b"mine")

    result = cli("--texts", texts, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"modified: {decl / 'raw' / 'r1.txt'}: text of 2011-port-alder@raw:r1 differs" in result.stdout
    assert any(line.startswith(f"leftover: {temp}") and "1,000 bytes" in line for line in lines)
    assert any(line.startswith(f"leftover: {probe}") for line in lines)
    assert any(line.startswith(f"orphan: {orphan}") for line in lines)
    assert any(line.startswith(f"empty: {decl / 'empty-edition'}") for line in lines)
    assert any(line.startswith(f"unknown: {decl / 'notes.docx'}") for line in lines)
    assert "4 of these can be repaired safely: run `sco-decl check --repair`" in result.stderr

    repaired = cli("--texts", texts, "check", "--repair")
    assert repaired.exit_code == 1  # the tampered text and the unknown file remain: only a person can judge
    out = repaired.stdout
    assert f"repaired: {temp}: removed" in out and f"repaired: {probe}: removed" in out
    assert f"repaired: {decl / 'empty-edition'}: removed: empty edition folder" in out
    assert f"repaired: {orphan}: recovered: kept as revision r2" in out
    assert not temp.exists() and not probe.exists() and not (decl / "empty-edition").exists()
    assert (decl / "notes.docx").read_bytes() == b"mine"
    assert (decl / "raw" / "r1.txt").read_text("utf-8") == "Tampered.\n"
    remaining = [line.split(":")[0] for line in out.splitlines() if not line.startswith("repaired")]
    assert sorted(remaining) == ["modified", "unknown"]
    assert cli("--texts", texts, "show", "2011@secretariat:r2").stdout == orphan.read_text("utf-8")
    assert f"corpus: {texts.resolve()}" in repaired.stderr


def test_repair_never_touches_hidden_folders_such_as_git(cli, tmp_path):
    texts = corpus_with_text(cli, tmp_path / "texts")
    for folder in (texts / ".git" / "refs" / "tags", texts / "2011-port-alder" / ".git" / "hooks"):
        folder.mkdir(parents=True)
    (texts / ".git" / "index.abcdefgh.tmp").write_bytes(b"git's own")
    result = cli("--texts", texts, "check", "--repair")
    assert result.exit_code == 0, result.output
    assert (texts / ".git" / "refs" / "tags").is_dir() and (texts / ".git" / "index.abcdefgh.tmp").is_file()
    assert (texts / "2011-port-alder" / ".git" / "hooks").is_dir()


def test_a_folder_without_catalog_and_a_metadata_file_without_text_are_reported_not_repaired(cli, tmp_path):
    texts = corpus_with_text(cli, tmp_path / "texts")
    (texts / "2011-port-alder" / "secretariat" / "r1.txt").unlink()
    stray = texts / "2099-stray" / "ed"
    stray.mkdir(parents=True)
    result = cli("--texts", texts, "check", "--repair")
    assert result.exit_code == 1
    assert "missing: " in result.stdout and f"orphan: {texts / '2099-stray'}: a folder without" in result.stdout
    assert f"repaired: {stray}: removed: empty edition folder" in result.stdout


# -- 7. nothing from a file becomes active content ------------------------------------------------------
@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd",
                                 "//evil.example/x", "http://", "https://ok.example/a b"])
def test_a_catalog_url_that_is_not_http_is_refused_naming_file_and_line(cli, tmp_path, url):
    texts = tmp_path / "texts"
    folder = texts / "2011-port-alder"
    folder.mkdir(parents=True)
    (folder / "declaration.toml").write_text(
        'id = "2011-port-alder"\ntitle = "T"\ndate = 2011-06-14\nplace = "P"\n\n'
        f'[[editions]]\nname = "secretariat"\nurl = {json.dumps(url)}\n', "utf-8")
    one_line_error(cli("--texts", texts, "show", "2011-port-alder"), f"{folder / 'declaration.toml'}:8: url",
                   "not an http(s) address")
    assert "warning: left out 2011-port-alder" in cli("--texts", texts, "list").stderr


def test_a_good_http_url_is_kept(cli, tmp_path):
    texts = tmp_path / "texts"
    folder = texts / "2011-port-alder"
    folder.mkdir(parents=True)
    (folder / "declaration.toml").write_text(
        'id = "2011-port-alder"\ntitle = "T"\ndate = 2011-06-14\nplace = "P"\n\n'
        '[[editions]]\nname = "secretariat"\nurl = "https://mco.example/decl?id=1"\n', "utf-8")
    listed = json.loads(cli("--texts", texts, "list", "--format", "json").stdout)
    assert listed[0]["editions"][0]["url"] == "https://mco.example/decl?id=1"


FORMULAS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tindented", "\rreturn"]


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=30))
def test_no_cell_a_spreadsheet_would_run_survives(cell):
    out = neutralise(cell)
    if out.startswith(("=", "+", "-", "@", "\t", "\r")):
        float(out)  # only plain numbers keep a leading sign
    assert out in (cell, "'" + cell)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_every_csv_the_tool_writes_neutralises_formulas(cli, tmp_path):
    """A title, a place and a text full of formulas: appendix, chart, themes, kwic and keyness CSVs."""
    texts = tmp_path / "texts"
    corpus_with_text(cli, texts, title="=HYPERLINK(\"http://x\",\"click\")", place="@Port Alder")
    sentence = "-1+2 They reaffirmed respect for sovereignty. =cmd|' /C calc'!A0 sovereignty again.\n"
    src = tmp_path / "evil.txt"
    src.write_text(TEXT + "\n" + sentence, "utf-8")
    assert cli("--texts", texts, "add", src, "--to", "2011", "--edition", "secretariat").exit_code == 0
    assert cli("--texts", texts, "new", "2012-kestrel", "--title", "+Kestrel", "--date", "2012-06-07",
               "--place", "Kestrel").exit_code == 0
    src2 = tmp_path / "two.txt"
    src2.write_text(TEXT.replace("Port Alder", "Kestrel") + "\n@home sovereignty.\n", "utf-8")
    assert cli("--texts", texts, "add", src2, "--to", "2012", "--edition", "secretariat").exit_code == 0

    outputs = {
        "appendix": cli("--texts", texts, "appendix", "--columns", "id,title,place,words", "--format", "csv"),
        "themes": cli("--texts", texts, "themes", "--sentences", "--format", "csv"),
        "kwic": cli("--texts", texts, "kwic", "--theme", "sovereignty", "--format", "csv"),
        "keyness": cli("--texts", texts, "keyness", "2012", "--format", "csv"),
    }
    chart = tmp_path / "c.csv"
    assert cli("--texts", texts, "chart", "sovereignty", "-o", chart).exit_code == 0
    tables = {name: csv_rows(r.stdout) for name, r in outputs.items() if r.exit_code == 0}
    assert set(tables) == set(outputs), {n: r.output for n, r in outputs.items()}
    tables["chart"] = csv_rows(chart.read_text("utf-8"))
    seen_neutralised = 0
    for name, rows in tables.items():
        for row in rows:
            for cell in row:
                if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                    float(cell)  # a signed number is data; anything else must have been neutralised
                seen_neutralised += cell.startswith(("'=", "'+", "'-", "'@"))
    assert seen_neutralised >= 3
    assert ["'=HYPERLINK(\"http://x\",\"click\")", "'@Port Alder"] == tables["appendix"][1][1:3]


def test_markdown_output_escapes_inline_html(cli, tmp_path):
    texts = corpus_with_text(cli, tmp_path / "texts", title="<img src=x onerror=alert(1)> [click](javascript:x)")
    md = cli("--texts", texts, "appendix", "--columns", "id,title", "--format", "markdown").stdout
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt; \\[click\\](javascript:x)" in md


# -- 8. names and files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["2011-port-alder\n", "a" * 65, "con", "nul", "com1", "lpt9", "aux", "prn",
                                  "x-", "A1", "x/y", "a b", ""])
def test_bad_ids_and_edition_names_are_one_line_errors(cli, tmp_path, name):
    texts = tmp_path / "texts"
    result = cli("--texts", texts, "new", name, "--title", "T", "--date", "2011-06-14", "--place", "P")
    one_line_error(result, "declaration id")
    assert not texts.exists() or not any(p.name != ".lock" for p in texts.iterdir())
    corpus_with_text(cli, texts)
    src = tmp_path / "b.txt"
    src.write_text("Other text.\n", "utf-8")
    one_line_error(cli("--texts", texts, "add", src, "--to", "2011", "--edition", name), "edition name")


def test_names_at_the_limits_are_accepted(cli, tmp_path):
    texts = tmp_path / "texts"
    for name in ("a" * 64, "con-1", "com10", "nul0"):
        assert cli("--texts", texts, "new", name, "--title", "T", "--date", "2011-06-14",
                   "--place", "P").exit_code == 0, name
    assert "con" in RESERVED_NAMES and "com10" not in RESERVED_NAMES


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
                                   "utf-8-sig"])
def test_utf16_and_utf32_with_a_byte_order_mark_import_correctly(cli, tmp_path, codec):
    texts = corpus_with_text(cli, tmp_path / "texts")
    text = "Совместная декларация: the Heads of State met in Valmora — 共同宣言.\n"
    data = text.encode(codec)
    if codec.endswith(("-le", "-be")):
        bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00",
               "utf-32-be": b"\x00\x00\xfe\xff"}[codec]
        data = bom + data
    src = tmp_path / "bom.txt"
    src.write_bytes(data)
    assert cli("--texts", texts, "add", src, "--to", "2011", "--edition", "wire").exit_code == 0
    assert cli("--texts", texts, "show", "2011@wire").stdout == text


@pytest.mark.parametrize("at", [0, 100, 9000, 200_000])
def test_a_nul_byte_anywhere_is_refused(cli, tmp_path, at):
    texts = corpus_with_text(cli, tmp_path / "texts")
    body = ("The parties agreed. " * 20000).encode()
    src = tmp_path / "nul.txt"
    src.write_bytes(body[:at] + b"\0" + body[at:])
    one_line_error(cli("--texts", texts, "add", src, "--to", "2011", "--edition", "wire"), "binary")
    assert not (texts / "2011-port-alder" / "wire").exists()


def test_a_full_disk_is_one_line_and_stores_nothing(cli, tmp_path, monkeypatch):
    texts = corpus_with_text(cli, tmp_path / "texts")
    src = tmp_path / "c.txt"
    src.write_text("A third text.\n", "utf-8")
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def flush(self):
            pass

        def fileno(self):
            return self.handle.fileno()

    monkeypatch.setattr("sco_decl.fsutil.os.fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    one_line_error(cli("--texts", texts, "add", src, "--to", "2011", "--edition", "secretariat"),
                   "No space left on device", "nothing was changed")
    monkeypatch.undo()
    assert cli("--texts", texts, "check").exit_code == 0  # no half-written file, no leftover
    assert len(list((texts / "2011-port-alder" / "secretariat").glob("r*.txt"))) == 1


def test_a_read_only_corpus_is_one_line(cli, tmp_path, monkeypatch):
    texts = corpus_with_text(cli, tmp_path / "texts")
    src = tmp_path / "c.txt"
    src.write_text("A third text.\n", "utf-8")
    import filelock

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)  # root ignores file modes: simulate the mount
    one_line_error(cli("--texts", texts, "add", src, "--to", "2011", "--edition", "secretariat"),
                   "cannot write to the corpus", "Read-only file system")


def test_a_file_that_vanishes_while_being_added_is_one_line(cli, tmp_path, monkeypatch):
    texts = corpus_with_text(cli, tmp_path / "texts")
    src = tmp_path / "gone.txt"
    src.write_text("Soon gone.\n", "utf-8")

    real = Path.read_bytes

    def vanish(self):
        if self.name == "gone.txt":  # gone between the size check and the read
            raise FileNotFoundError(errno.ENOENT, "No such file or directory")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", vanish)
    one_line_error(cli("--texts", texts, "add", src, "--to", "2011", "--edition", "secretariat"),
                   "gone.txt: cannot read")


# -- 9. where the texts are -----------------------------------------------------------------------------
def test_info_names_corpus_cache_lexicon_pipeline_and_versions(cli, tmp_path):
    texts = corpus_with_text(cli, tmp_path / "texts")
    data = json.loads(cli("--texts", texts, "info", "--format", "json").stdout)
    assert data["corpus"]["folder"] == str(texts.resolve()) and data["corpus"]["revisions"] == 1
    assert data["cache"]["folder"] == str((texts / ".cache").resolve())
    assert data["lexicon"]["themes"] > 0 and len(data["lexicon"]["sha256"]) == 64
    assert data["pipeline"]["id"].startswith("en_") and data["versions"]["sco-decl"]
    text = cli("--texts", texts, "info").stdout
    assert f"corpus.folder" in text and str(texts.resolve()) in text and "pipeline.id" in text


def test_the_default_corpus_is_the_same_per_user_folder_for_both_install_modes(cli, tmp_path, monkeypatch):
    import sco_decl.paths as paths

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("SCO_DECL_TEXTS", raising=False)
    for checkout in (True, False):
        monkeypatch.setattr(paths, "is_checkout", lambda: checkout)
        data = json.loads(cli("info", "--format", "json").stdout)
        assert data["corpus"]["folder"] == str(tmp_path / "data" / "sco-decl" / "texts")
    assert (tmp_path / "data" / "sco-decl" / "texts" / "2005-astana" / "declaration.toml").is_file()


def test_a_texts_folder_that_does_not_exist_is_an_error_for_reading_commands(cli, tmp_path):
    missing = tmp_path / "no-such-texts"
    for args in (["list"], ["show", "2011"], ["themes"], ["check"], ["info"]):
        one_line_error(cli("--texts", missing, *args), f"{missing}: no such corpus folder")
    assert not missing.exists()
    created = cli("--texts", missing, "new", "2011-port-alder", "--title", "T", "--date", "2011-06-14",
                  "--place", "P")
    assert created.exit_code == 0 and f"corpus: {missing.resolve()}" in created.stderr


def test_one_broken_catalog_file_does_not_stop_commands_about_others(cli, tmp_path):
    texts = corpus_with_text(cli, tmp_path / "texts")
    broken = texts / "2012-kestrel" / "declaration.toml"
    broken.parent.mkdir()
    broken.write_text('id = "2012-kestrel"\ntitle = \n', "utf-8")
    for args in (["list"], ["show", "2011"], ["themes", "2011"]):
        result = cli("--texts", texts, *args)
        assert result.exit_code == 0, result.output
        assert f"warning: left out 2012-kestrel: {broken}:2: malformed TOML" in result.stderr
    checked = cli("--texts", texts, "check")
    assert checked.exit_code == 1 and f"corrupt: {broken}: {broken}:2: malformed TOML" in checked.stdout
