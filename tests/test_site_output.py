"""`site -o DIR` never deletes what it did not make, and a killed build loses nothing and leaves no litter."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sco_decl.site.outdir import LEGACY_MANIFEST, MANIFEST

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory, mco_root) -> Path:
    """A corpus of two declarations (fast to build) and a site built from it, in one folder."""
    base = tmp_path_factory.mktemp("small")
    texts = base / "texts"
    texts.mkdir()
    for decl in ("2011-port-alder", "2012-kestrel"):
        shutil.copytree(mco_root / decl, texts / decl)
    return base


@pytest.fixture
def work(small, tmp_path, monkeypatch) -> Path:
    """A private copy of the small corpus; the current folder is its parent."""
    shutil.copytree(small / "texts", tmp_path / "texts", ignore=shutil.ignore_patterns(".lock", ".cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_a_folder_of_someone_elses_files_is_refused_and_kept(cli, work):
    mine = work / "thesis"
    (mine / "chapters").mkdir(parents=True)
    (mine / "chapters" / "one.tex").write_text("my chapter\n")
    (mine / "notes.txt").write_text("my notes\n")
    before = snapshot(mine)
    line = error_line(cli("--texts", work / "texts", "site", "-o", mine))
    assert "holds no site built by sco-decl" in line and "nothing was written" in line
    assert snapshot(mine) == before
    assert sorted(p.name for p in work.iterdir()) == ["texts", "thesis"]


@pytest.mark.parametrize("target, says", [
    ("texts", "holds the corpus"),
    (".", "is the current folder"),
    ("..", "contains the current folder"),
    ("texts/site", "is inside the corpus"),
    ("texts/2011-port-alder", "is inside the corpus"),
])
def test_the_corpus_its_parents_and_the_current_folder_are_refused(cli, work, target, says):
    before = snapshot(work / "texts")
    line = error_line(cli("--texts", work / "texts", "site", "-o", target))
    assert says in line and "-o site" in line
    assert snapshot(work / "texts") == before
    assert sorted(p.name for p in work.iterdir()) == ["texts"]


def test_the_corpus_parent_is_refused_from_elsewhere(cli, work, tmp_path_factory, monkeypatch):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    line = error_line(cli("--texts", work / "texts", "site", "-o", work))
    assert "holds the corpus" in line
    assert (work / "texts" / "2011-port-alder" / "declaration.toml").is_file()


def test_an_empty_folder_is_used_and_a_built_site_is_replaced(cli, work):
    (work / "site").mkdir()
    assert cli("--texts", work / "texts", "site", "-o", "site").exit_code == 0
    manifest = json.loads((work / "site" / MANIFEST).read_text("utf-8"))
    assert manifest["tool"] == "sco-decl" and manifest["complete"] is True
    assert set(manifest["files"]) == {p for p in snapshot(work / "site") if p != MANIFEST}
    again = cli("--texts", work / "texts", "site", "-o", "site")
    assert again.exit_code == 0 and "0 made" in again.output
    assert sorted(p.name for p in work.iterdir()) == ["site", "texts"]


def test_a_file_added_to_a_built_site_stops_the_next_build(cli, work):
    assert cli("--texts", work / "texts", "site", "-o", "site").exit_code == 0
    (work / "site" / "declarations" / "my-notes.md").write_text("mine\n")
    (work / "site" / ".DS_Store").write_bytes(b"\0")  # what Finder drops: not a user's file
    line = error_line(cli("--texts", work / "texts", "site", "-o", "site"))
    assert "did not make (declarations/my-notes.md)" in line and "move them out" in line
    assert (work / "site" / "declarations" / "my-notes.md").read_text() == "mine\n"
    (work / "site" / "declarations" / "my-notes.md").unlink()
    assert cli("--texts", work / "texts", "site", "-o", "site").exit_code == 0


def test_a_site_built_by_the_first_version_is_still_recognised(cli, work):
    assert cli("--texts", work / "texts", "site", "-o", "site").exit_code == 0
    files = json.loads((work / "site" / MANIFEST).read_text("utf-8"))["files"]
    (work / "site" / MANIFEST).unlink()
    (work / "site" / LEGACY_MANIFEST).write_text(json.dumps(files), "utf-8")
    result = cli("--texts", work / "texts", "site", "-o", "site")
    assert result.exit_code == 0 and "0 made" in result.output
    assert not (work / "site" / LEGACY_MANIFEST).exists() and (work / "site" / MANIFEST).is_file()


def test_a_file_given_as_output_is_refused(cli, work):
    (work / "site").write_text("a file\n")
    result = cli("--texts", work / "texts", "site", "-o", "site")
    assert result.exit_code == 2 and "'site' is a file" in result.output  # click's own usage error
    assert (work / "site").read_text() == "a file\n"


# A build killed at a chosen moment: the child hangs there, writes a flag, and is killed with SIGKILL.
CHILD = r"""
import os, sys, time
from pathlib import Path
from sco_decl.site import outdir
from sco_decl.site import build

texts, out, point, flag = sys.argv[1:5]

def hang(*args, **kwargs):
    Path(flag).write_text("here")
    time.sleep(120)

if point == "pages":
    build.SiteBuilder.declaration_page = hang
elif point == "between-renames":
    outdir._exchange = lambda a, b: False
    real_replace = os.replace
    def replace(a, b):
        real_replace(a, b)
        if str(b).endswith(outdir.OLD_SUFFIX):
            hang()
    outdir.os.replace = replace
elif point == "removing-old":
    real_remove = outdir.remove_ours
    def remove(folder):
        if folder.exists() and any(folder.iterdir()) and str(folder).endswith(outdir.NEW_SUFFIX):
            for child in sorted(folder.iterdir())[:2]:
                if child.is_file() and child.name != outdir.MANIFEST:
                    child.unlink()
            hang()
        real_remove(folder)
    outdir.remove_ours = remove
from sco_decl.cli import main
main(["--texts", texts, "site", "-o", out])
"""


def kill_at(point: str, texts: Path, out: Path, tmp: Path) -> None:
    flag = tmp / f"flag-{point}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(texts), str(out), point, str(flag)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):
            if flag.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert flag.exists(), child.stderr.read().decode() if child.poll() is not None else "child never hung"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()


@pytest.mark.parametrize("point", ["pages", "between-renames", "removing-old"])
def test_a_killed_build_keeps_the_old_site_and_the_next_build_leaves_no_litter(cli, work, point):
    texts, out, flags = work / "texts", work / "out" / "site", work / "flags"
    out.parent.mkdir()
    flags.mkdir()
    assert cli("--texts", texts, "site", "-o", out).exit_code == 0
    before = snapshot(out)
    (texts / "2012-kestrel" / "secretariat" / "r1.txt").read_text("utf-8")
    changed = (texts / "2012-kestrel" / "secretariat" / "r1.txt").read_text("utf-8") + "\nA new sentence.\n"
    (work / "new.txt").write_text(changed, "utf-8")
    assert cli("--texts", texts, "add", work / "new.txt", "--to", "2012-kestrel",
               "--edition", "secretariat").exit_code == 0

    kill_at(point, texts, out, flags)

    if point == "pages":
        assert snapshot(out) == before  # the previous site, untouched
    elif point == "between-renames":
        assert not out.exists()  # the old site waits under its fixed name; the next run puts it back
    else:
        assert snapshot(out) != before and (out / "index.html").is_file()  # the new site is in place
    leftovers = sorted(p.name for p in out.parent.iterdir() if p.name != "site")
    assert set(leftovers) <= {".site.sco-decl-new", ".site.sco-decl-old"}

    result = cli("--texts", texts, "site", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]
    files = json.loads((out / MANIFEST).read_text("utf-8"))["files"]
    assert set(files) == {p for p in snapshot(out) if p != MANIFEST}
    assert "A new sentence." in (out / "declarations" / "2012-kestrel.html").read_text("utf-8")
