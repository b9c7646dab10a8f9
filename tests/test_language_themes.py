"""Theme lexicons in Russian and Chinese against hand-labelled fictional texts, and null counts where a
language has no wordings for a theme."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sco_decl.analysis.accuracy import read_labels, score
from sco_decl.analysis.languages import load_pipeline
from sco_decl.analysis.lexicon import load_lexicon
from sco_decl.analysis.pipeline import parse
from sco_decl.analysis.themes import find_matches

MULTI = Path(__file__).parent / "fixtures" / "multilingual"
REQUIRED = ("sovereignty", "multipolarity", "non-interference", "terrorism")


def _scores(language: str):
    lexicon = load_lexicon()
    nlp = load_pipeline(language)
    labels = read_labels([MULTI / f"themes-{language}.tsv"])
    predicted: dict[tuple[str, str], set[str]] = {}
    for path in sorted(MULTI.glob(f"*@{language}.txt")):
        parsed = parse(path.read_text("utf-8"), nlp)
        matches = find_matches(parsed, lexicon, nlp)
        for sentence in parsed.sentences:
            predicted[(path.stem, sentence.text)] = {m.theme for m in matches if m.sentence == sentence.index}
    assert len(predicted) == len(labels), "every sentence of every fixture text must carry a label row"
    assert {(label.doc, label.sentence) for label in labels} == set(predicted)
    return score(labels, predicted, lexicon.ids)


@pytest.fixture(scope="module", params=["ru", "zh"])
def scores(request):
    return request.param, _scores(request.param)


def test_every_labelled_theme_reaches_f1_090(scores):
    language, found = scores
    low = []
    for s in found.values():
        if not s.support:
            continue
        f1 = 2 * s.precision * s.recall / (s.precision + s.recall) if s.precision + s.recall else 0.0
        if f1 < 0.90:
            low.append(f"{language} {s.theme}: P={s.precision:.2f} R={s.recall:.2f} FP={s.false_positives} "
                       f"FN={s.false_negatives}")
    assert not low, "\n".join(low)
    assert all(found[t].support >= 2 for t in REQUIRED), "the required themes must be labelled in the fixtures"


@pytest.mark.parametrize("language,text,theme", [
    ("ru", "Главы государств отмечают падение цен суверенных облигаций.", "sovereignty"),
    ("ru", "Меры по защите посевов от экстремальных погодных явлений.", "extremism"),
    ("ru", "Экспедиции по полярным исследованиям продолжатся.", "multipolarity"),
    ("ru", "Министерство внутренних дел Кальдерры провело совещание.", "non-interference"),
    ("zh", "若干经济体主权债券价格下跌。", "sovereignty"),
    ("zh", "保护农作物免受极端天气影响。", "extremism"),
    ("zh", "注意避免各国系统之间的电磁干扰。", "non-interference"),
    ("zh", "联合开展极地科考。", "multipolarity"),
])
def test_false_friends_are_not_counted(language, text, theme):
    nlp = load_pipeline(language)
    assert theme not in {m.theme for m in find_matches(parse(text, nlp), load_lexicon(), nlp)}


@pytest.mark.parametrize("language,text,theme", [
    ("ru", "Стороны выступают за невмешательство во внутренние дела.", "non-interference"),
    ("ru", "Они не вмешиваются во внутренние дела других государств.", "non-interference"),
    ("ru", "Укрепление суверенитетом и многополярностью.", "sovereignty"),
    ("ru", "Становление многополярного мира необратимо.", "multipolarity"),
    ("ru", "Борьба с терроризмом, сепаратизмом и экстремизмом.", "three-evils"),
    ("zh", "坚持不干涉内政原则。", "non-interference"),
    ("zh", "推动世界多极化。", "multipolarity"),
    ("zh", "打击恐怖主义、分裂主义和极端主义。", "three-evils"),
    ("ru", "Они выступают за демократизацию международных отношений.", "multipolarity"),
    ("ru", "Ни одна держава не может в одиночку решить глобальные проблемы.", "multipolarity"),
    ("ru", "Они против вмешательства в дела других государств под любым предлогом.", "non-interference"),
    ("zh", "推动国际关系民主化。", "multipolarity"),
    ("zh", "反对以任何借口干涉他国事务。", "non-interference"),
])
def test_cases_and_words_are_found(language, text, theme):
    nlp = load_pipeline(language)
    assert theme in {m.theme for m in find_matches(parse(text, nlp), load_lexicon(), nlp)}


@pytest.mark.parametrize("language,text", [
    ("ru", "Создан Лискский антитеррористический центр (ЛАТЦ). Совет ЛАТЦ соберется в мае."),
    ("zh", "成员国设立利斯克反恐中心（LATC）。LATC理事会将于五月开会。"),
])
def test_an_acronym_defined_for_a_theme_name_counts_later(language, text):
    nlp = load_pipeline(language)
    parsed = parse(text, nlp)
    found = {(m.sentence, m.theme) for m in find_matches(parsed, load_lexicon(), nlp)}
    assert (1, "terrorism") in found


def _lisk_corpus(cli, tmp_path: Path) -> Path:
    root = tmp_path / "texts"
    cli("--texts", root, "new", "2017-lisk", "--title", "Lisk Declaration", "--date", "2017-06-09", "--place", "Lisk")
    for language in ("en", "ru", "zh"):
        result = cli("--texts", root, "add", MULTI / f"2017-lisk@{language}.txt", "--to", "2017-lisk",
                     "--edition", language, "--language", language)
        assert result.exit_code == 0, result.output
    return root


def test_themes_json_names_the_language_and_counts_russian(cli, tmp_path):
    root = _lisk_corpus(cli, tmp_path)
    result = cli("--texts", root, "themes", "2017-lisk@ru", "2017-lisk@zh", "2017-lisk@en", "--format", "json",
                 "--sentences")
    data = json.loads(result.stdout)
    by_edition = {d["edition"]: d for d in data["documents"]}
    assert {e: d["language"] for e, d in by_edition.items()} == {"ru": "ru", "zh": "zh", "en": "en"}
    for edition in ("ru", "zh"):
        doc = by_edition[edition]
        assert doc["themes"]["sovereignty"]["matches"] >= 1
        assert doc["themes"]["terrorism"]["matches"] >= 3
        assert "warnings" not in doc
        hits = [s for s in doc["sentence_list"] if "non-interference" in s["themes"]]
        assert hits and all(m["text"] in s["text"] for s in hits for m in s["matches"])


def test_a_theme_without_wordings_in_the_language_is_null_with_a_warning(cli, tmp_path):
    root = _lisk_corpus(cli, tmp_path)
    extra = tmp_path / "youth.toml"
    extra.write_text('[[theme]]\nid = "youth"\nlabel = "Youth"\ncolour = "#123456"\npatterns = ["youth"]\n', "utf-8")
    result = cli("--texts", root, "themes", "2017-lisk@ru", "2017-lisk@en", "--themes", extra, "--format", "json")
    data = json.loads(result.stdout)
    by_edition = {d["edition"]: d for d in data["documents"]}
    assert by_edition["ru"]["themes"]["youth"] == {"matches": None, "sentences": None, "share": None,
                                                  "rate_per_1000": None}
    assert by_edition["ru"]["themes"]["terrorism"]["matches"] >= 3
    assert any("youth" in w for w in by_edition["ru"]["warnings"])
    assert by_edition["en"]["themes"]["youth"]["matches"] == 1
    table = cli("--texts", root, "themes", "2017-lisk@ru", "--themes", extra)
    assert table.exit_code == 0
