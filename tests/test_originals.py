"""The Russian and Chinese originals (issue 13.5): legacy encodings, pinyin-corrupted mirrors, many-document
pages, and the catalogue of the originals' editions. Pages are fictional and served on 127.0.0.1; the exact
texts of every fixture page are checked by test_fetch's per-profile test (tests/fixtures/pages/pages.toml)."""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import given, strategies as st

from pageserver import PageServer, Reply
from sco_decl.errors import FetchError
from sco_decl.ingest.defaults import Settings
from sco_decl.ingest.encodings import decode_bytes
from sco_decl.ingest.fetch import fetch_editions
from sco_decl.ingest.pagecuts import cjk_punctuation, cut_document, strip_pinyin
from sco_decl.ingest.profiles import GENERIC, parse_date, profile_for
from sco_decl.store.corpus import Corpus
from sco_decl.store.model import EditionInfo

ROOT = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).parent / "fixtures" / "pages"
ORIGINALS = [p for p in tomllib.loads((PAGES / "pages.toml").read_text("utf-8"))["page"] if "encoding" in p]
FAST = Settings(timeout=2, retries=1, backoff=0.0, min_interval=0.0)


@pytest.mark.parametrize("page", ORIGINALS, ids=[p["name"] for p in ORIGINALS])
def test_each_page_decodes_with_its_real_encoding(page):
    """Served as plain text/html (no charset); the cctv page even names the wrong one (gb2312 for Big5)."""
    decoded = decode_bytes((PAGES / page["file"]).read_bytes(), "text/html")
    assert decoded.encoding == page["encoding"]
    assert "\ufffd" not in decoded.text and not any("\ue000" <= c <= "\uf8ff" for c in decoded.text)


def test_a_wrong_chinese_label_loses_to_the_right_codec():
    simplified = "子午线合作组织成员国将深化交通、能源和通信领域的合作，并设立发展基金。" * 3
    traditional = "子午線合作組織成員國將深化交通、能源和通信領域的合作，並設立發展基金。" * 3
    assert decode_bytes(traditional.encode("big5"), "text/html; charset=gb2312").text == traditional
    assert decode_bytes(simplified.encode("gbk"), "text/html; charset=big5").text == simplified
    assert decode_bytes(simplified.encode("gbk"), "text/html; charset=gbk").how == "declared"


# ---------------------------------------------------------------- pinyin inserted by a converter
def test_strip_pinyin_deletes_bracketed_syllables_after_han_only():
    lines = ["中新網(wǎng)7月6日電 理事會(huì )會(huì )議聲明━━如下", "交通合作中心(MCO-T)與(Valmora)", "(wǎng) at start"]
    assert strip_pinyin(lines) == ["中新網7月6日電 理事會會議聲明——如下", "交通合作中心(MCO-T)與(Valmora)",
                                   "(wǎng) at start"]


_SYLLABLES = st.sampled_from(["wǎng", "huì ", "shí", "lián", "wù", "gòu", "zhōng", "guó", "de", "ér", "xiàng"])


@given(st.lists(st.tuples(st.sampled_from("子午線合作組織成員國會議聯務構時"), st.none() | _SYLLABLES),
                min_size=1, max_size=40))
def test_stripping_restores_any_text_the_converter_corrupted(pairs):
    clean = "".join(han for han, _ in pairs)
    corrupted = "".join(han + (f"({syllable})" if syllable else "") for han, syllable in pairs)
    assert strip_pinyin([corrupted]) == [clean]


def test_cjk_punctuation_is_full_width_and_leaves_english_alone():
    english = 'The ministers met in Lisk (Arvalia), "as agreed" -- twice.'
    assert cjk_punctuation([english]) == [english]
    assert cjk_punctuation(['成员国于二00一年成立, 声明如下: "互信" (包括秘书处) , 开展--合作.']) == [
        "成员国于二〇〇一年成立，声明如下：“互信”（包括秘书处），开展——合作。"]


@pytest.mark.parametrize("text,expected", [
    ("2005年7月5日", dt.date(2005, 7, 5)), ("（2015年7月5日，瓦尔莫拉）", dt.date(2015, 7, 5)),
    ("07.06.2002", dt.date(2002, 6, 7)), ("Декларация от 07.06.2002 года", dt.date(2002, 6, 7)),
    ("17 июня 2004 года", dt.date(2004, 6, 17)), ("2001/6/15", dt.date(2001, 6, 15)),
    ("June 7, 2004", dt.date(2004, 6, 7)), ("31.02.2002", None), ("5.07.0515:20", None),
])
def test_dates_in_russian_and_chinese_forms(text, expected):
    assert parse_date(text) == expected


# ---------------------------------------------------------------- several documents on one page
MANY = ["Документы", "Меридианская конвенция", "2011/6/15", "Текст конвенции.", "",
        "Декларация о создании", "2011/6/15", "Текст декларации.", "Второй абзац.", "",
        "Совместное коммюнике", "2012/3/4", "Текст коммюнике."]


def cut(title=None, expected=None):
    return cut_document(MANY, r"^\d{4}/\d{1,2}/\d{1,2}$", title=title, kind="декларац", expected=expected,
                        parse=parse_date)


def test_cut_by_date_prefers_the_declaration_over_a_convention_of_the_same_day():
    assert cut(expected=dt.date(2011, 6, 15)) == ["Декларация о создании", "2011/6/15", "Текст декларации.",
                                                 "Второй абзац.", ""]
    assert cut(expected=dt.date(2012, 3, 4)) == ["Совместное коммюнике", "2012/3/4", "Текст коммюнике."]


def test_cut_by_title_and_a_clear_error_when_nothing_matches():
    assert cut(title="меридианская КОНВЕНЦИЯ")[:3] == ["Меридианская конвенция", "2011/6/15", "Текст конвенции."]
    with pytest.raises(FetchError, match=r"holds 3 documents and none is dated 2019-01-01 .*Совместное коммюнике "
                                         r"\(2012/3/4\).*'#'"):
        cut(expected=dt.date(2019, 1, 1))
    single = ["Заголовок", "2011/6/15", "Текст."]
    assert cut_document(single, r"^\d{4}/", title=None, kind="x", expected=None, parse=parse_date) is single


def test_fetch_takes_the_document_named_after_the_hash(tmp_path):
    """The catalog URL may name the document: '...documents/#<title>' (the fragment is never sent)."""
    with PageServer() as server:
        url = server.route("/ru/press/documents/", Reply(body=(PAGES / "mfauz-ru.html").read_bytes()))
        corpus = Corpus.open(tmp_path)
        corpus.new_declaration("2011-valmora", title="Convention", date="2011-06-15", place="Valmora", editions=[
            EditionInfo(name="ru-mfauz", url=url + "#" + quote("Меридианская конвенция"),
                        publisher="https://mfa.uz/ru/press/mco-arvalia/documents/", language="ru")])
        outcome = fetch_editions(corpus, settings=FAST)[0]
        assert [path for path, _ in server.requests] == ["/ru/press/documents/"]
    assert outcome.status == "new", outcome.reason
    text = corpus.read_text(outcome.revision)
    assert text.startswith("Стороны, стремясь сохранить") and "Декларация" not in text
    assert outcome.revision.meta["header"]["title"].startswith("Меридианская конвенция")


# ---------------------------------------------------------------- the catalogue of originals
def _editions() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((ROOT / "texts").glob("*/declaration.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        out += [(data["id"], e) for e in data.get("editions", []) if e.get("language") in ("ru", "zh")]
    return out


def test_every_original_edition_has_a_language_a_url_and_a_cleanup_profile():
    editions = _editions()
    assert {(d, e["name"]) for d, e in editions} >= {
        ("2001-shanghai", "ru-mfauz"), ("2002-st-petersburg", "ru-pavlodar"), ("2002-st-petersburg", "zh-cctv"),
        ("2002-st-petersburg", "zh-ifeng"), ("2003-moscow", "zh-worldjpn"), ("2003-moscow", "zh-chinanews-mirror"),
        ("2004-tashkent", "zh-chinanews-mirror"), ("2005-astana", "mid-ru"), ("2005-astana", "zh-chinanews-mirror"),
        ("2006-shanghai", "zh-chinasd")}
    for decl, edition in editions:
        assert edition["name"].split("-")[0] in ("ru", "zh", "mid"), (decl, edition["name"])
        host = urlsplit(edition["url"]).hostname
        assert profile_for(host) is not GENERIC, (decl, edition["name"], host)


def test_the_default_editions_stay_english():
    for path in sorted((ROOT / "texts").glob("*/declaration.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        default = next(e for e in data["editions"] if e["name"] == data["default_edition"])
        assert default.get("language", "en") == "en", path
