"""Citations name the exact text analysed: catalog facts plus the revision's provenance."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from sco_decl.outputs.cite import DEFAULT_ORGANIZATION, citation, organization, render_citation
from sco_decl.store.corpus import Corpus
from sco_decl.store.model import EditionInfo
from clicheck import one_line_error


def bib_fields(text: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+) = \{(.*)\},$", text, flags=re.M))


def test_bibtex_of_a_hand_added_text_claims_no_visit(cli, mco_root):
    out = cli("--texts", mco_root, "cite", "2013@wire").output
    assert out.startswith("@misc{2013-valmora-wire,\n") and out.rstrip().endswith("}")
    assert out.count("{") == out.count("}")
    fields = bib_fields(out)
    assert fields["title"].startswith("{Valmora Declaration of the Heads of State")
    assert fields["author"] == "{Meridian Cooperation Organization}"      # the organization, as one name
    assert fields["date"] == "2013-05-29" and fields["year"] == "2013" and fields["month"] == "5"
    assert fields["address"] == "Valmora" and fields["publisher"] == "Meridian Wire Service"
    assert fields["url"] == "http://mco.example/wire/2013/05/29/valmora-declaration-full-text.html"
    from sco_decl.store.corpus import Corpus

    revision = Corpus.open(mco_root).resolve("2013@wire")
    assert "urldate" not in fields             # imported from a file: the catalog's page was never visited
    assert revision.sha256 in fields["note"] and "2013-valmora@wire:r1" in fields["note"]


def test_fetched_revision_cites_its_retrieval_date_and_url(mco_corpus):
    mco_corpus.add("2014-tessaly", "secretariat", "Title\n\nA revised text.\n", source="http://x.example/t",
                   meta={"retrieved": "2024-03-05T10:11:12Z", "url": "http://mco.example/fetched.html"})
    revision = mco_corpus.resolve("2014@secretariat:r2")
    entry = citation(mco_corpus, revision)
    assert entry.accessed == "2024-03-05" and entry.accessed_from == "retrieved"
    assert entry.url == "http://mco.example/fetched.html"
    ris = render_citation(entry, "ris")
    lines = ris.rstrip("\n").split("\n")
    assert lines[0] == "TY  - GOVDOC" and lines[-1].startswith("ER  -")
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines)
    assert "Y2  - 2024/03/05" in lines and "DA  - 2014/06/17" in lines and "CY  - Tessaly" in lines
    assert lines[1] == "AU  - Meridian Cooperation Organization"
    assert f"N1  - Edition secretariat, revision 2014-tessaly@secretariat:r2, sha256 {revision.sha256}" in ris
    text = render_citation(entry, "text")
    assert "Tessaly, 17 June 2014. MCO Secretariat. http://mco.example/fetched.html (accessed 2024-03-05)." in text


def test_bibtex_escapes_special_characters(cli, tmp_path):
    from sco_decl.store.corpus import Corpus

    corpus = Corpus.open(tmp_path / "t")
    corpus.new_declaration("2020-lisk", title="Trade & Tariffs: 100% of #1 {goals}", date=dt.date(2020, 4, 1),
                           place="Lisk", editions=[EditionInfo("wire", url="http://mco.example/a_b",
                                                               publisher="Wire & Co")])
    corpus.add("2020-lisk", "wire", "Title\n\nText.\n", source="hand")
    out = cli("--texts", corpus.root, "cite", "2020", "--format", "bibtex").output
    fields = bib_fields(out)
    assert fields["title"] == r"{Trade \& Tariffs: 100\% of \#1 \{goals\}}"
    assert fields["publisher"] == r"Wire \& Co" and fields["url"] == "http://mco.example/a_b"
    plain = cli("--texts", corpus.root, "cite", "2020", "--format", "text").output
    assert plain.startswith("Trade & Tariffs: 100% of #1 {goals}. Lisk, 1 April 2020. Wire & Co.")


def test_cite_bad_input(cli, mco_corpus, tmp_path):
    mco_corpus.new_declaration("2017-lisk", title="Lisk Declaration", date="2017-06-09", place="Lisk")
    one_line_error(cli("--texts", mco_corpus.root, "cite", "2017"), "2017-lisk has no text", "sco-decl fetch")
    one_line_error(cli("--texts", mco_corpus.root, "cite", "2099"), "unknown declaration")
    target = tmp_path / "missing" / "c.bib"
    one_line_error(cli("--texts", mco_corpus.root, "cite", "2014", "-o", target), "does not exist")
    assert not target.parent.exists()
    written = tmp_path / "c.bib"
    assert cli("--texts", mco_corpus.root, "cite", "2014", "-o", written).exit_code == 0
    assert written.read_text("utf-8").startswith("@misc{2014-tessaly-secretariat,")


def test_add_provenance_options_reach_the_citation(cli, mco_corpus, tmp_path):
    saved = tmp_path / "saved.txt"
    saved.write_text("Valmora Declaration\n\nThe member states agree to meet in Lisk.\n", "utf-8")
    root = mco_corpus.root
    out = cli("--texts", root, "add", saved, "--to", "2013", "--edition", "gazette",
              "--url", "https://gazette.example/mco/2013.html", "--publisher", "Arvalian State Gazette",
              "--translator", "Office of Translation, Port Alder", "--accessed", "2024-02-29")
    assert out.exit_code == 0, out.output
    revision = Corpus.open(root).resolve("2013@gazette")
    assert {k: revision.meta[k] for k in ("url", "publisher", "translator", "accessed")} == {
        "url": "https://gazette.example/mco/2013.html", "publisher": "Arvalian State Gazette",
        "translator": "Office of Translation, Port Alder", "accessed": "2024-02-29"}
    fields = bib_fields(cli("--texts", root, "cite", "2013@gazette").output)
    assert fields["url"] == "https://gazette.example/mco/2013.html" and fields["urldate"] == "2024-02-29"
    assert fields["publisher"] == "Arvalian State Gazette"
    assert fields["translator"] == "Office of Translation, Port Alder"
    ris = cli("--texts", root, "cite", "2013@gazette", "--format", "ris").output.split("\n")
    assert "A4  - Office of Translation, Port Alder" in ris and "Y2  - 2024/02/29" in ris
    assert "AU  - Meridian Cooperation Organization" in ris and "PB  - Arvalian State Gazette" in ris
    # Without --accessed the file's page was not visited: no access date, whatever the catalog says.
    cli("--texts", root, "add", saved, "--to", "2013", "--edition", "copy", "--url", "https://gazette.example/b")
    bare = bib_fields(cli("--texts", root, "cite", "2013@copy").output)
    assert bare["url"] == "https://gazette.example/b" and "urldate" not in bare and "translator" not in bare


@pytest.mark.parametrize("args, message", [
    (["--accessed", "2024-02-30", "--url", "https://gazette.example/a"], "'2024-02-30' is not a date YYYY-MM-DD"),
    (["--accessed", "2024-02-01"], "--accessed needs --url"),
    (["--url", "javascript:alert(1)"], "is not an http(s) URL"),
])
def test_add_provenance_options_misused(cli, mco_corpus, tmp_path, args, message):
    saved = tmp_path / "saved.txt"
    saved.write_text("Text of the statement.\n", "utf-8")
    result = cli("--texts", mco_corpus.root, "add", saved, "--to", "2013", "--edition", "x", *args)
    assert result.exit_code == 2 and message in result.output
    assert mco_corpus.revisions("2013-valmora", "x") == []


def test_organization_from_catalog_title_or_default():
    assert organization("Anything", {"organization": "Meridian Cooperation Organisation"}) == \
        "Meridian Cooperation Organisation"
    assert organization("Declaration on the Establishment of the Shanghai Cooperation Organization", {}) == \
        "Shanghai Cooperation Organization"
    assert organization("Joint Communique of the Council of Heads of State", {}) == DEFAULT_ORGANIZATION
