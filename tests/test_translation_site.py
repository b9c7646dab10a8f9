"""The site's translation check page, and charts and tables of originals (null counts are never zeros)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

MULTI = Path(__file__).parent / "fixtures" / "multilingual"


@pytest.fixture(scope="module")
def lisk(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from sco_decl.cli import main

    root = tmp_path_factory.mktemp("lisk") / "texts"
    runner = CliRunner()

    def run(*args: object) -> None:
        result = runner.invoke(main, ["--texts", str(root), *[str(a) for a in args]], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    run("new", "2017-lisk", "--title", "Lisk Declaration", "--date", "2017-06-09", "--place", "Lisk")
    run("add", MULTI / "2017-lisk@en.txt", "--to", "2017-lisk", "--edition", "en")
    for language in ("ru", "zh"):
        run("add", MULTI / f"2017-lisk@{language}.txt", "--to", "2017-lisk", "--edition", language,
            "--language", language)
    return root


def test_site_has_a_translation_check_page_per_declaration(cli, lisk, tmp_path):
    from lxml import html

    out = tmp_path / "site"
    assert cli("--texts", lisk, "site", "-o", out).exit_code == 0
    page = html.fromstring((out / "checks" / "2017-lisk.html").read_text("utf-8"))
    sections = page.xpath("//section[@class='check']")
    assert [s.get("id") for s in sections] == ["ru--en", "zh--en"]
    ru = sections[0]
    assert ru.xpath(".//b[@class='omissions']")[0].text == "1"
    assert ru.xpath(".//b[@class='additions']")[0].text == "1"
    omitted = ru.xpath(".//tr[@class='flag-omission']")[0]
    assert "пограничного контроля" in omitted.text_content()
    added = ru.xpath(".//tr[@class='flag-addition']")[0]
    assert "Cooperation in energy, agriculture and telecommunications" in added.text_content()
    link = ru.xpath(".//a[contains(., 'side by side')]")[0].get("href")
    assert (out / "checks" / link).resolve().is_file()
    declaration = (out / "declarations" / "2017-lisk.html").read_text("utf-8")
    assert 'href="../checks/2017-lisk.html"' in declaration
    assert 'href="checks/2017-lisk.html"' in (out / "index.html").read_text("utf-8")


def test_chart_and_appendix_of_originals_show_null_counts_as_gaps(cli, lisk, tmp_path):
    extra = tmp_path / "youth.toml"
    extra.write_text('[[theme]]\nid = "youth"\nlabel = "Youth"\ncolour = "#123456"\npatterns = ["youth"]\n', "utf-8")
    table = cli("--texts", lisk, "chart", "youth", "terrorism", "2017@ru", "2017@en", "--themes", extra, "--table")
    assert table.exit_code == 0
    youth = next(line for line in table.stdout.splitlines() if line.startswith("youth"))
    assert youth.split().count("n/a") == 1  # the Russian text: no Russian wordings for a user's English theme
    out = tmp_path / "chart.csv"
    assert cli("--texts", lisk, "chart", "youth", "terrorism", "2017@ru", "2017@en", "--themes", extra,
               "-o", out).exit_code == 0
    rows = {r["edition"]: r for r in csv.DictReader(io.StringIO(out.read_text("utf-8")))}
    assert set(rows) == {"ru", "en"}
    assert rows["ru"]["youth_rate"] == "" and float(rows["en"]["youth_rate"]) > 0
    assert float(rows["ru"]["terrorism_rate"]) > 0
    appendix = cli("--texts", lisk, "appendix", "--language", "ru", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(appendix.stdout)))
    assert row["edition"] == "ru" and float(row["sovereignty_rate"]) > 0
