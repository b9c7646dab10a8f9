"""The cross-lingual aligner against gold alignments with merges and splits, and `compare` across
languages through the CLI (JSON contract, flags, the translation-check summary, the HTML page)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from multilingual import GOLD, MULTI, composed_gold, gold_pair
from sco_decl.compare.align import Link, score_links
from sco_decl.compare.crosslingual import align_texts, length_only, skeleton


def _links(cross) -> list[Link]:
    return [Link(c.kind, tuple(c.left), tuple(c.right), c.similarity) for c in cross]


def _covers_every_sentence_once(links, n_left: int, n_right: int) -> None:
    assert sorted(i for link in links for i in link.left) == list(range(n_left))
    assert sorted(j for link in links for j in link.right) == list(range(n_right))


def test_gold_pairs_hold_merges_and_splits_in_both_languages():
    assert {p.stem.split("--")[0].split("@")[1] for p in GOLD} == {"ru", "zh"}
    for path in GOLD:
        left, right, _, _, gold = gold_pair(path)
        _covers_every_sentence_once(gold, len(left.sentences), len(right.sentences))
        shapes = {(len(g.left), len(g.right)) for g in gold}
        assert (2, 1) in shapes and (1, 2) in shapes, path.name


@pytest.mark.parametrize("path", GOLD, ids=[p.stem[len("align-"):] for p in GOLD])
def test_link_f1_at_least_090_and_better_than_lengths_alone(path):
    left, right, la, lb, gold = gold_pair(path)
    cross = align_texts(left, right, la, lb)
    _covers_every_sentence_once(cross, len(left.sentences), len(right.sentences))
    found = score_links(_links(cross), gold)
    assert found.f1 >= 0.90, f"{path.name}: P={found.precision:.3f} R={found.recall:.3f} F1={found.f1:.3f}"
    assert found.kind_accuracy >= 0.90
    baseline = score_links(_links(length_only(left, right)), gold)
    assert found.f1 >= baseline.f1


@pytest.mark.parametrize("doc", ["2017-lisk", "2013-valmora"])
def test_russian_to_chinese_matches_the_links_composed_through_english(doc):
    """ru-zh gold is the composition of the ru-en and zh-en golds (linked sentences sharing an English one)."""
    gold, left, right = composed_gold(doc)
    want = {(g.left, g.right) for g in gold}
    cross = align_texts(left, right, "ru", "zh")
    got = {(tuple(c.left), tuple(c.right)) for c in cross if c.left and c.right}
    hits = len(want & got)
    f1 = 2 * hits / (len(want) + len(got))
    assert f1 >= 0.90, f"{doc} ru-zh F1={f1:.3f}"


def test_name_skeletons_match_across_scripts():
    assert skeleton("Вальморе")[:4] == skeleton("Valmora")[:4]
    assert skeleton("Галикор") == skeleton("Galicor")
    assert skeleton("Тессали") == skeleton("Tessaly")


@pytest.fixture
def lisk(cli, tmp_path) -> Path:
    root = tmp_path / "texts"
    cli("--texts", root, "new", "2017-lisk", "--title", "Lisk Declaration", "--date", "2017-06-09", "--place", "Lisk")
    cli("--texts", root, "add", MULTI / "2017-lisk@en.txt", "--to", "2017-lisk", "--edition", "en")
    for language in ("ru", "zh"):
        result = cli("--texts", root, "add", MULTI / f"2017-lisk@{language}.txt", "--to", "2017-lisk",
                     "--edition", language, "--language", language)
        assert result.exit_code == 0 and "note:" not in result.output
    return root


def test_add_records_the_language_and_notes_when_detection_disagrees(cli, lisk):
    import tomllib

    catalog = tomllib.loads((lisk / "2017-lisk" / "declaration.toml").read_text("utf-8"))
    assert {e["name"]: e["language"] for e in catalog["editions"]} == {"en": "en", "ru": "ru", "zh": "zh"}
    result = cli("--texts", lisk, "add", MULTI / "2017-lisk@zh.txt", "--to", "2017-lisk", "--edition", "odd",
                 "--language", "ru")
    assert result.exit_code == 0
    assert "note: the text looks Chinese but 2017-lisk@odd is given as ru" in result.stderr
    detected = cli("--texts", lisk, "add", MULTI / "2017-lisk@ru.txt", "--to", "2017-lisk", "--edition", "ru2")
    assert "note:" not in detected.stderr
    catalog = tomllib.loads((lisk / "2017-lisk" / "declaration.toml").read_text("utf-8"))
    assert {e["name"]: e["language"] for e in catalog["editions"]}["ru2"] == "ru"


def test_compare_json_across_languages_keeps_the_contract(cli, lisk):
    result = cli("--texts", lisk, "compare", "2017-lisk@ru", "2017-lisk@en", "--format", "json")
    data = json.loads(result.stdout)
    assert data["left"]["language"] == "ru" and data["right"]["language"] == "en"
    _covers_every_sentence_once([Link(a["kind"], tuple(a["left"]), tuple(a["right"]), a["similarity"])
                                 for a in data["alignment"]], len(data["left"]["sentences"]),
                                len(data["right"]["sentences"]))
    assert {a["kind"] for a in data["alignment"]} <= {"same", "changed", "moved", "removed", "added"}
    assert data["counts"]["changed"] >= 20 and data["similarity"] > 0.5
    removed = [a for a in data["alignment"] if a["kind"] == "removed"]
    added = [a for a in data["alignment"] if a["kind"] == "added"]
    assert [a["flag"] for a in removed] == ["omission"] and [a["flag"] for a in added] == ["addition"]
    assert "пограничного контроля" in data["left"]["sentences"][removed[0]["left"][0]]
    dated = next(a for a in data["alignment"] if a["left"] == [0])
    assert {"e:lisk", "m:6", "n:2017", "n:9"} <= set(dated["anchors"]["shared"])
    summary = data["crosslingual"]
    assert summary["original"] == "left" and summary["omissions"] == 1 and summary["additions"] == 1
    assert 0.9 < summary["coverage"] < 1.0
    assert data["themes"]["available"] and data["themes"]["matches"]["left"]


def test_compare_html_shows_both_languages_flags_and_the_summary(cli, lisk, tmp_path):
    from lxml import html

    out = tmp_path / "check.html"
    result = cli("--texts", lisk, "compare", "2017-lisk@zh", "2017-lisk@en", "-o", out)
    assert result.exit_code == 0
    page = html.fromstring(out.read_text("utf-8"))
    assert page.xpath("//section[@class='translation-summary']//b[@id='coverage']")[0].text.endswith("%")
    left_cells = page.xpath("//td[contains(@class,'left')][@lang='zh']")
    assert left_cells and "子午合作组织" in left_cells[0].text_content()
    assert page.xpath("//td[contains(@class,'right')][@lang='en']")
    assert page.xpath("//td[@lang='zh']//*[contains(@class,'theme-term')]"), "themes highlighted on the Chinese side"
    assert page.xpath("//td[@lang='en']//*[contains(@class,'theme-term')]")
