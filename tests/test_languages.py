"""The Russian and Chinese pipelines: sentences, lemmas, numbering, language detection, no download."""
from __future__ import annotations

import pytest

from sco_decl.analysis.languages import (UnknownLanguageError, check_language, detect_language, load_pipeline,
                                         pipeline_for)
from sco_decl.analysis.pipeline import parse


@pytest.fixture(scope="module")
def ru():
    return load_pipeline("ru")


@pytest.fixture(scope="module")
def zh():
    return load_pipeline("zh")


def test_russian_sentences_keep_abbreviations_and_initials(ru):
    text = ("Договор подписан 15 июня 2011 г. в Порт-Олдере, т.е. в день встречи. К. Дорран и А. В. Ленк "
            "выступили. Стороны выступают за многополярный мир! Возражений нет? Нет.")
    sentences = [s.text for s in parse(text, ru).sentences]
    assert sentences == ["Договор подписан 15 июня 2011 г. в Порт-Олдере, т.е. в день встречи.",
                         "К. Дорран и А. В. Ленк выступили.", "Стороны выступают за многополярный мир!",
                         "Возражений нет?", "Нет."]


def test_russian_year_abbreviation_can_end_a_sentence_but_a_city_one_cannot(ru):
    text = "Программа принята на 2014-2016 гг. Государства-члены встретятся в г. Лиске в 2017 г. Так решено."
    assert [s.text for s in parse(text, ru).sentences] == [
        "Программа принята на 2014-2016 гг.", "Государства-члены встретятся в г. Лиске в 2017 г.", "Так решено."]


def test_russian_lemmas_fold_cases_and_numbers(ru):
    parsed = parse("Уважение суверенитета государств и невмешательства во внутренние дела.", ru)
    lemmas = [t.lemma_ for t in parsed.doc if not t.is_punct]
    assert lemmas == ["уважение", "суверенитет", "государство", "и", "невмешательство", "в", "внутренний", "дело"]


def test_chinese_sentences_end_at_full_stops_without_space(zh):
    text = "成员国坚持不干涉内政原则，反对恐怖主义。推动世界多极化！“子午精神”得到弘扬。”他说。各方是否同意？同意。"
    sentences = [s.text for s in parse(text, zh).sentences]
    assert sentences == ["成员国坚持不干涉内政原则，反对恐怖主义。", "推动世界多极化！", "“子午精神”得到弘扬。”",
                         "他说。", "各方是否同意？", "同意。"]


def test_chinese_words_come_from_jieba(zh):
    words = [t.text for t in parse("成员国反对恐怖主义、分裂主义和极端主义。", zh).doc]
    assert words == ["成员国", "反对", "恐怖主义", "、", "分裂主义", "和", "极端主义", "。"]


def test_chinese_section_numerals_and_points_become_roman_and_arabic(zh):
    text = "前言。\n\n一、政治合作\n\n1．成员国重申原则。\n\n（二）各方支持联合国。\n\n二\n\n3、双方决定加强合作。"
    located = [(s.section, s.point, s.paragraph, s.text) for s in parse(text, zh).sentences]
    assert located == [(None, None, 1, "前言。"), ("I", "1", 1, "成员国重申原则。"), ("I", "2", 2, "各方支持联合国。"),
                       ("II", "3", 1, "双方决定加强合作。")]


def test_russian_sections_and_points_as_in_english(ru):
    text = "I\n\n1. Государства-члены подтверждают приверженность.\n\nII. Безопасность\n\n2. Терроризм недопустим."
    located = [(s.section, s.point) for s in parse(text, ru).sentences]
    assert located == [("I", "1"), ("II", "2")]


def test_language_detection():
    assert detect_language("The Member States reaffirm their commitment.") == "en"
    assert detect_language("Государства-члены подтверждают приверженность (MCO).") == "ru"
    assert detect_language("成员国重申恪守 MCO 宪章的宗旨和原则。") == "zh"
    assert detect_language("") == "en"


def test_pipelines_are_built_once_and_chosen_by_language(nlp, ru):
    assert load_pipeline("ru") is ru
    assert load_pipeline("en") is nlp
    assert pipeline_for("ru", nlp) is ru  # an English pipeline is never applied to a Russian text
    assert pipeline_for("en", nlp) is nlp
    with pytest.raises(UnknownLanguageError, match="en, ru, zh"):
        check_language("fr")


def test_nothing_is_downloaded_jieba_dictionary_ships_with_the_package(zh):
    import os

    import jieba

    dictionary = jieba.get_dict_file()
    assert os.path.isfile(dictionary.name) and "site-packages" in dictionary.name
    dictionary.close()
