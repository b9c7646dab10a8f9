"""The later summits as a second, bundled catalog (issue 13.7): `catalog list`, `catalog add NAME`, and a
chart that spans the whole series once they have texts. The default corpus stays the six of 2001-2006."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sco_decl.ingest.catalogs import bundled_catalog, bundled_catalogs, catalogs_dir
from sco_decl.paths import catalog_dir

FIXTURE_TEXTS = Path(__file__).parent / "fixtures" / "mco" / "texts"
LATER = "sco-2007-2025"


def test_the_later_catalog_is_shipped_whole_and_valid():
    catalog = bundled_catalog(LATER)
    years = [d.date.year for d in catalog.declarations]
    assert years == list(range(2007, 2026))  # one summit declaration a year, in date order
    for decl in catalog.declarations:
        assert decl.id.startswith(f"{decl.date.year}-")
        for edition in decl.editions:
            assert urlsplit(edition.url).scheme in ("http", "https"), (decl.id, edition.name)
            assert edition.language in ("en", "ru", "zh"), (decl.id, edition.name)
            assert edition.name.startswith(f"{edition.language}-") or edition.language == "en"
        if decl.default_edition:
            assert decl.edition(decl.default_edition).language == "en"
        else:  # no English text known: said so in the notes
            assert "No " in decl.extra["notes"]
    assert [c.name for c in bundled_catalogs()] == [LATER]


def test_the_default_corpus_stays_the_six():
    ids = sorted(p.parent.name for p in catalog_dir().glob("*/declaration.toml"))
    assert ids == ["2001-shanghai", "2002-st-petersburg", "2003-moscow", "2004-tashkent", "2005-astana",
                   "2006-shanghai"]
    assert catalogs_dir() != catalog_dir()


def test_catalog_list_shows_what_can_be_added(cli, tmp_path):
    (tmp_path / "texts").mkdir()  # an empty corpus: a folder that does not exist is an error (issue 11.9)
    result = cli("--texts", tmp_path / "texts", "catalog", "list")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith(LATER))
    assert row.split()[1:4] == ["2007-2025", "19", "0/19"]
    data = json.loads(cli("--texts", tmp_path / "texts", "catalog", "list", "--format", "json").output)
    assert data["catalogs"][0]["ids"][0] == "2007-bishkek" and data["catalogs"][0]["in_corpus"] == 0


def test_catalog_add_writes_each_declaration_once_and_never_overwrites(cli, tmp_path):
    texts = tmp_path / "texts"
    cli("--texts", texts, "new", "2010-tashkent", "--title", "My own entry", "--date", "2010-06-11",
        "--place", "Tashkent")
    result = cli("--texts", texts, "catalog", "add", LATER)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (f"catalog {LATER}: added 18 declaration(s) to {texts}, "
                                             "1 already there")
    written = sorted(p.parent.name for p in texts.glob("*/declaration.toml"))
    assert len(written) == 19 and written[0] == "2007-bishkek" and written[-1] == "2025-tianjin"
    mine = tomllib.loads((texts / "2010-tashkent" / "declaration.toml").read_text("utf-8"))
    assert mine["title"] == "My own entry" and "catalog" not in mine
    qingdao = tomllib.loads((texts / "2018-qingdao" / "declaration.toml").read_text("utf-8"))
    assert qingdao["catalog"] == LATER and qingdao["date"] == dt.date(2018, 6, 10)
    assert {e["name"]: e["language"] for e in qingdao["editions"]}["ru-kremlin"] == "ru"
    before = {p: p.read_bytes() for p in texts.glob("*/declaration.toml")}
    again = cli("--texts", texts, "catalog", "add", LATER)
    assert again.output.splitlines() == [f"catalog {LATER}: added 0 declaration(s) to {texts}, 19 already there"]
    assert {p: p.read_bytes() for p in texts.glob("*/declaration.toml")} == before
    listed = cli("--texts", texts, "list", "--format", "json")
    assert len(json.loads(listed.output)) == 19
    assert cli("--texts", texts, "catalog", "list").output.splitlines()[-1].split()[3] == "19/19"


@pytest.mark.parametrize("name", ["sco-1990", "../texts/2001-shanghai/declaration", ""])
def test_an_unknown_catalog_is_one_line(cli, tmp_path, name):
    result = cli("--texts", tmp_path / "texts", "catalog", "add", name)
    assert result.exit_code == 1
    assert result.output == (f"Error: no catalog named {name!r}; shipped catalogs: {LATER} "
                             "(see `sco-decl catalog list`)\n")
    assert not (tmp_path / "texts").exists() or not list((tmp_path / "texts").glob("*/declaration.toml"))


def test_a_chart_spans_the_whole_series_after_catalog_add(cli, tmp_path):
    """The six plus the later catalog, fictional texts for three years: one chart from 2005 to 2024."""
    texts = tmp_path / "texts"
    for source in sorted(catalog_dir().glob("*/declaration.toml")):
        (texts / source.parent.name).mkdir(parents=True)
        (texts / source.parent.name / "declaration.toml").write_bytes(source.read_bytes())
    assert cli("--texts", texts, "catalog", "add", LATER).exit_code == 0
    fixtures = sorted(FIXTURE_TEXTS.glob("*.txt"))
    for (ident, edition), fixture in zip([("2005-astana", "worldjpn"), ("2013-bishkek", "worldjpn"),
                                          ("2024-astana", "mea")], fixtures):
        added = cli("--texts", texts, "add", fixture, "--to", ident, "--edition", edition)
        assert added.exit_code == 0, added.output
    out = tmp_path / "chart.csv"
    result = cli("--texts", texts, "chart", "terrorism", "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert [row["revision"].split("@")[0] for row in rows] == ["2005-astana", "2013-bishkek", "2024-astana"]
