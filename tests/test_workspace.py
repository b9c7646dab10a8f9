"""The Workspace: one parse path and cache, verified reads (issue 11.2), long texts in paragraph batches
(issue 11.4), shared options after the command name, and what the CLI imports (issue 10.4)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from clicheck import one_line_error

from sco_decl.analysis import pipeline as nlp_module
from sco_decl.analysis.lexicon import load_lexicon
from sco_decl.analysis.themes import find_matches
from sco_decl.cli import main
from sco_decl.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("spacy", "trafilatura", "matplotlib", "httpx", "numpy", "pypdf", "docx")


def _paragraphs(n: int) -> str:
    """A long fictional text: numbered sections, points and sentences that the lexicon matches."""
    out = []
    for i in range(n):
        if i % 40 == 0:
            out.append(f"{['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'][i // 40 % 8]}")
        out.append(f"{i % 40 + 1}. The Member States reaffirmed their respect for the sovereignty of Arvalia "
                   f"and Brenmark (meeting {i}). They oppose interference in the internal affairs of other "
                   "states; terrorism, separatism and extremism remain threats. Mr. K. Dorran spoke.")
    return "\n\n".join(out) + "\n"


def _shape(parsed):
    return ([(t.text, t.whitespace_, t.lemma_, t.idx) for t in parsed.doc], parsed.sentences)


def test_paragraph_batches_give_the_result_of_one_pass(nlp):
    text = _paragraphs(120)
    one = nlp_module.parse(text, nlp, batch_chars=10**9)
    batched = nlp_module.parse(text, nlp, batch_chars=700)
    assert len(list(nlp_module.paragraph_batches(nlp_module.blocks(text), 700))) > 20
    assert _shape(batched) == _shape(one)
    assert batched.doc.text == nlp(nlp_module.BLOCK_SEP.join(b.text for b in one.blocks)).text


def test_a_text_longer_than_max_length_is_analysed_like_a_short_one(mco_corpus, nlp, monkeypatch):
    lexicon = load_lexicon()
    text = _paragraphs(200)
    decl = "2011-port-alder"
    revision = mco_corpus.add(decl, "long", text, source="test").revision
    one = nlp_module.parse(text, nlp, batch_chars=10**9)
    expected = find_matches(one, lexicon, nlp)
    monkeypatch.setattr(nlp, "max_length", 5000)  # spaCy would refuse the text in one piece
    monkeypatch.setattr(nlp_module, "BATCH_CHARS", 3000)
    document = Workspace(mco_corpus, lexicon=lexicon, nlp=nlp, use_cache=False).document(revision)
    assert len(text) > 5 * nlp.max_length
    assert document.matches == expected and len(expected) > 600
    assert document.sentences == one.sentences and len({s.section for s in one.sentences}) == 5


def test_a_cached_parse_is_read_back_without_parsing(mco_corpus, nlp, monkeypatch):
    cold = Workspace(mco_corpus, nlp=nlp).document("2014")

    def no_parsing(*args, **kwargs):
        raise AssertionError("a cached document must not be parsed again")

    monkeypatch.setattr(nlp_module, "parse", no_parsing)
    warm = Workspace(mco_corpus).document("2014")  # no pipeline given: none is loaded either
    assert warm.sentences == cold.sentences and warm.matches == cold.matches and warm.words == cold.words
    assert warm.declaration.id == "2014-tessaly" and warm.revision == cold.revision


def _tamper(corpus, ref: str) -> Path:
    path = corpus.resolve(ref).path
    path.write_text(path.read_text("utf-8") + "\nThe Member States also agreed on something new.\n", "utf-8")
    return path


@pytest.mark.parametrize("command", [["themes", "2012"], ["chart", "sovereignty", "2012"],
                                     ["appendix", "2012"], ["cite", "2012"], ["compare", "2011", "2012"],
                                     ["kwic", "--theme", "terrorism", "2012"], ["keyness", "2012"],
                                     ["show", "2012"]])
def test_a_damaged_revision_is_refused_even_when_its_analysis_is_cached(cli, mco_corpus, command):
    assert cli("--texts", mco_corpus.root, "themes", "2012", "--format", "json").exit_code == 0  # now cached
    path = _tamper(mco_corpus, "2012")
    result = cli("--texts", mco_corpus.root, *command)
    one_line_error(result, str(path), "sco-decl check")


@pytest.mark.parametrize("command", [["themes", "--format", "json"], ["appendix", "--format", "csv"],
                                     ["chart", "--all-themes", "--table"]])
def test_corpus_wide_commands_leave_a_damaged_revision_out_and_fail(cli, mco_corpus, command):
    cli("--texts", mco_corpus.root, "themes")
    _tamper(mco_corpus, "2012")
    result = cli("--texts", mco_corpus.root, *command)
    assert result.exit_code == 1
    assert "warning: left out 2012-kestrel@secretariat:r1" in result.output
    assert "1 damaged revision(s) left out; run `sco-decl check`" in result.output
    assert "2011-port-alder" in result.output and "2013-valmora" in result.output
    if command[0] == "themes":
        data = json.loads(result.output[:result.output.index("warning:")])
        assert "2012-kestrel" not in {d["id"] for d in data["documents"]} and len(data["documents"]) == 5


def test_site_leaves_a_damaged_revision_out_and_fails(cli, mco_corpus, tmp_path):
    _tamper(mco_corpus, "2012")
    out = tmp_path / "site"
    result = cli("--texts", mco_corpus.root, "site", "-o", out)
    assert result.exit_code == 1 and "warning: left out 2012-kestrel@secretariat:r1" in result.output
    assert (out / "index.html").is_file() and not list((out / "compare").glob("*2012-kestrel@*"))
    assert "2012-kestrel" not in (out / "search-index.js").read_text("utf-8")


def test_shared_options_work_after_the_command_name(cli, mco_root, tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text('[[theme]]\nid = "harbours"\nlabel = "Harbours"\ndescription = "Ports"\n'
                     'colour = "#123456"\npatterns = ["Member States"]\n', "utf-8")
    before = cli("--texts", mco_root, "--themes", extra, "themes", "2011", "--theme", "harbours", "--format",
                 "json")
    after = cli("themes", "2011", "--theme", "harbours", "--format", "json", "--texts", mco_root,
                "--themes", extra)
    assert before.exit_code == after.exit_code == 0
    assert json.loads(before.output)["documents"] == json.loads(after.output)["documents"]
    assert json.loads(after.output)["documents"][0]["themes"]["harbours"]["matches"] > 0
    assert cli("list", "--texts", mco_root, "--format", "json").exit_code == 0


def _leaf_commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    if isinstance(command, click.Group):
        return [leaf for name, sub in command.commands.items() for leaf in _leaf_commands(sub, path + (name,))]
    return [(path, command)]


def test_every_command_takes_the_shared_options_after_its_name(cli, mco_root, tmp_path):
    for path, command in _leaf_commands(main):
        names = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert {"--texts", "--themes", "--model"} <= names, path
    extra = tmp_path / "extra.toml"
    extra.write_text("", "utf-8")
    listed = cli("list", "--format", "json", "--texts", mco_root, "--themes", extra, "--model", "none")
    assert listed.exit_code == 0 and len(json.loads(listed.output)) == 6
    assert "--model" not in cli("list", "--help").output  # it changes nothing there, so help stays short


def _modules_after(args: list[str], env: dict[str, str], watched: tuple[str, ...] = HEAVY) -> set[str]:
    """Run the CLI in a fresh interpreter and report which of the watched (heavy) libraries it imported."""
    probe = ("import sys\nfrom sco_decl.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n"
             "    pass\nprint('MODULES', ' '.join(m for m in %r if m in sys.modules), file=sys.stderr)\n" % (watched,))
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env, timeout=300)
    line = [l for l in done.stderr.splitlines() if l.startswith("MODULES")][-1]
    return set(line.split()[1:])


@pytest.fixture
def env():
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_light_commands_import_no_heavy_library(mco_root, env):
    for args in (["--help"], ["--version"], ["--texts", str(mco_root), "list", "--format", "json"],
                 ["--texts", str(mco_root), "show", "2012"], ["--texts", str(mco_root), "log", "2012"],
                 ["--texts", str(mco_root), "check"], ["compare", "--help"]):
        assert _modules_after(args, env) == set(), args


def test_a_compare_of_analysed_texts_never_imports_spacy(cli, mco_corpus, env):
    import shutil

    root = str(mco_corpus.root)
    shutil.rmtree(mco_corpus.root / ".cache", ignore_errors=True)  # the shared corpus may carry caches
    assert cli("--texts", root, "themes", "2011", "2012").exit_code == 0  # analysed (and cached) once
    loaded = _modules_after(["--texts", root, "compare", "2011", "2012", "--format", "json"], env,
                            (*HEAVY, "jinja2"))
    assert "spacy" not in loaded
    assert "jinja2" not in loaded  # JSON on stdout needs no template
    assert "spacy" in _modules_after(["--texts", root, "compare", "2013", "2014", "--format", "json"], env)
