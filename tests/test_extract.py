"""Extraction: every publisher profile on a fixture page in that site's layout, charsets, fallbacks."""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from sco_decl.ingest import extract as extract_mod
from sco_decl.ingest.encodings import decode_bytes, declared_charset
from sco_decl.ingest.extract import ExtractionError, extract_html, extract_plain, next_pages
from sco_decl.ingest.profiles import PROFILES, parse_date, profile_for

PAGES = Path(__file__).parent / "fixtures" / "pages"
MANIFEST = tomllib.loads((PAGES / "pages.toml").read_text("utf-8"))["page"]

RU = ("Главы государств-членов Меридианской организации сотрудничества собрались в городе Валмора "
      "и согласились укреплять взаимное доверие и добрососедство в регионе.")
ZH = "子午线合作组织成员国元首在港湾城举行会晤，一致同意加强互信与睦邻友好，推动地区安全与经济合作。"
ZH_TRAD = "子午線合作組織成員國元首在港灣城舉行會晤，一致同意加強互信與睦鄰友好，推動地區安全與經濟合作。"


def run_page(page: dict):
    text = decode_bytes((PAGES / page["file"]).read_bytes()).text
    date = dt.date.fromisoformat(page["date"])
    if page["file"].endswith(".txt"):
        return extract_plain(text, page["url"], expected_date=date)
    extra = [decode_bytes((PAGES / name).read_bytes()).text for name in page.get("extra", [])]
    return extract_html(text, page["url"], expected_date=date, extra_pages=extra)


@pytest.mark.parametrize("page", MANIFEST, ids=[p["name"] for p in MANIFEST])
def test_profile_gives_the_exact_text(page):
    result = run_page(page)
    assert result.profile == page["profile"]
    assert result.text == (PAGES / f"{page['name']}.expected.txt").read_text("utf-8")
    for key, value in page["fields"].items():
        assert result.fields[key] == value
    # Header fields never stay in the text.
    for key in ("title", "updated", "translation_note", "source", "intro", "editors_note"):
        if key in result.fields:
            assert result.fields[key] not in result.text
    if "warning" in page:
        assert any(page["warning"] in w for w in result.warnings), result.warnings
    else:
        assert result.warnings == []


def test_every_profile_has_a_fixture_page():
    names = {p.name for p in PROFILES.values()}
    assert names <= {p["profile"] for p in MANIFEST}


def test_profiles_are_chosen_by_host_and_parent_domain():
    assert profile_for("covid-19.chinadaily.com.cn").name == "chinadaily"
    assert profile_for("www.chinadaily.com.cn").name == "chinadaily"
    assert profile_for("en.special.kremlin.ru").name == "kremlin"
    assert profile_for("WorldJPN.net:443").name == "worldjpn"
    assert profile_for("example.org").name == "generic"
    assert profile_for(None).name == "generic"


@pytest.mark.parametrize("text, expected", [
    ("June 7, 2004", dt.date(2004, 6, 7)), ("July 05, 2005", dt.date(2005, 7, 5)),
    ("10-11 June 2010", dt.date(2010, 6, 11)), ("2010/06/11", dt.date(2010, 6, 11)),
    ("15 June 2006", dt.date(2006, 6, 15)), ("sometime in June", None), ("February 30, 2004", None),
])
def test_header_dates(text, expected):
    assert parse_date(text) == expected


def test_no_warning_when_no_catalog_date_is_given():
    page = next(p for p in MANIFEST if p["name"] == "worldjpn")
    result = extract_html((PAGES / page["file"]).read_text("utf-8"), page["url"])
    assert result.warnings == [] and result.fields["date_iso"] == "2014-06-07"


def test_trafilatura_finding_nothing_falls_back_to_block_extraction(monkeypatch):
    monkeypatch.setattr(extract_mod.trafilatura, "extract", lambda *a, **k: None)
    page = next(p for p in MANIFEST if p["name"] == "generic")
    result = extract_html((PAGES / page["file"]).read_text("utf-8"), page["url"])
    assert result.method == "html.parser"
    assert "used the plain block extraction" in result.warnings[0]
    assert result.text == (PAGES / "generic.expected.txt").read_text("utf-8")
    assert result.fields["title"] == "Statement of the MCO Secretary-General"


def test_tiny_page_collapsed_by_trafilatura_uses_the_blocks():
    html = ("<html><body><nav>Home News</nav><h1>Communique of the MCO</h1><p>Kestrel, 2 May 2012</p>"
            "<p>The ministers met.</p><p>They agreed to meet again.</p></body></html>")
    result = extract_html(html, "https://archive.example.org/x")
    assert result.fields["title"] == "Communique of the MCO"
    assert result.fields["place"] == "Kestrel"
    assert result.text.endswith("The ministers met.\n\nThey agreed to meet again.\n")


@pytest.mark.parametrize("html", ["", "<html><body></body></html>",
                                  "<html><body><script>var a = 1;</script><nav>Home</nav></body></html>"])
def test_a_page_without_text_is_an_extraction_error(html):
    with pytest.raises(ExtractionError, match="no declaration text found"):
        extract_html(html, "http://china.org.cn/a.htm")


def test_next_pages_finds_continuations_of_a_multipage_article():
    url = "http://www.bjreview.com.cn/document/txt/2017-06/20/content_71234.htm"
    assert next_pages((PAGES / "bjreview.html").read_text("utf-8"), url) == [
        "http://www.bjreview.com.cn/document/txt/2017-06/20/content_71234_2.htm"]
    assert next_pages("<a href='other_2.htm'>x</a>", url) == []


@pytest.mark.parametrize("text, codec, expected", [(RU, "windows-1251", "cp1251"), (RU, "koi8-r", "koi8_r"),
                                                   (ZH, "gbk", "gb18030"), (ZH, "gb2312", "gb18030"),
                                                   (ZH_TRAD, "big5", "big5hkscs")])
@pytest.mark.parametrize("header", [None, "text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1"])
def test_legacy_charsets_are_detected_when_undeclared_or_wrong(text, codec, expected, header):
    body = f"<html><body><p>{text}</p></body></html>".encode(codec)
    decoded = decode_bytes(body, header)
    assert decoded.text == f"<html><body><p>{text}</p></body></html>"
    assert decoded.how == "detected"


@pytest.mark.parametrize("codec", ["windows-1251", "gbk", "utf-8"])
def test_a_correct_declared_charset_is_honoured(codec):
    text = RU if codec == "windows-1251" else ZH
    body = f'<html><head><meta charset="{codec}"></head><body>{text}</body></html>'.encode(codec)
    decoded = decode_bytes(body)
    assert decoded.how == "declared" and text in decoded.text


def test_declared_charset_sources():
    assert declared_charset(b"", "text/html; charset=GB2312") == "gb18030"
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">') == "cp1251"
    assert declared_charset(b"<?xml version='1.0' encoding='utf-8'?><a/>") == "utf-8"
    assert declared_charset(b"<p>no charset</p>", "text/html; charset=bogus") is None


def test_bom_wins_over_a_declared_charset():
    decoded = decode_bytes("\ufeffДекларация".encode("utf-8"), "text/html; charset=windows-1251")
    assert decoded.text == "Декларация" and decoded.how == "bom"
