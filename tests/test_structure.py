"""Structure recovery: heading blocks, paragraphs and numbering in every layout the publishers use."""
from __future__ import annotations

from pathlib import Path

import pytest

from sco_decl.analysis.pipeline import parse
from sco_decl.analysis.structure import Header, recover

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
NAMES = sorted(p.name.split(".")[0] for p in LAYOUTS.glob("*.gold.tsv"))


def gold(name: str) -> list[tuple[str, str]]:
    rows = (LAYOUTS / f"{name}.gold.tsv").read_text("utf-8").splitlines()[1:]
    return [(r.split("\t")[0], r.split("\t")[1]) for r in rows]


@pytest.mark.parametrize("name", NAMES)
def test_every_layout_gives_the_gold_sentences_and_locators(nlp, name):
    text = (LAYOUTS / f"{name}.txt").read_text("utf-8")
    parsed = parse(text, nlp)
    assert [(s.text, s.locator) for s in parsed.sentences] == gold(name)
    header = recover(text).header
    assert header.title and header.title.startswith("Lisk Declaration") and header.title.endswith("Changing World")
    assert header.dateline and "2017" in header.dateline


def test_all_six_layouts_are_there():
    assert NAMES == ["american", "clean", "indented", "runon", "singleline", "wrapped"]


@pytest.mark.parametrize("dateline", ["Port Alder, 14 June 2011", "(Kestrel, 7 June 2012)", "Valmora, May 29, 2013",
                                      "Tessaly, 10-11 June 2014", "of June 9, 2017", "2015/07/05",
                                      "(Ombrin, July 05, 2015)"])
def test_datelines_in_the_usual_english_forms_are_header(dateline):
    text = f"Joint Declaration of the Heads of State\n{dateline}\nThe Heads of State met. They agreed.\n"
    structure = recover(text)
    assert structure.header == Header(title="Joint Declaration of the Heads of State", dateline=dateline)
    assert [b.text for b in structure.blocks] == ["The Heads of State met. They agreed."]


def test_place_and_date_on_two_lines_and_a_subtitle_and_a_note():
    text = ("Meridian Cooperation Organization\nOmbrin,\nJuly 5, 2015\nDeclaration of the Council of Heads of State\n"
            "Unofficial translation\nSection I\n1) The Member States met.\n2) They agreed:\n- to talk;\n"
            "- to trade.\nSection II\n3) It ended.\n")
    structure = recover(text)
    assert structure.header == Header(title="Meridian Cooperation Organization", dateline="Ombrin, July 5, 2015",
                                      subtitles=("Declaration of the Council of Heads of State",),
                                      notes=("Unofficial translation",))
    assert [(b.text, b.locator) for b in structure.blocks] == [
        ("The Member States met.", "I.1"), ("They agreed: - to talk; - to trade.", "I.2"), ("It ended.", "II.3")]


def test_a_text_without_heading_block_keeps_its_first_wrapped_line():
    text = ("The Heads of State of the Member States of the Meridian Cooperation Organization met in\n"
            "Valmora on 29 May 2013 under the chairmanship of the Republic of Calderra and discussed\n"
            "the situation in the region. They adopted this Declaration on the same day in Valmora.\n")
    structure = recover(text)
    assert structure.header.empty
    assert len(structure.blocks) == 1 and structure.blocks[0].text.startswith("The Heads of State")


def test_a_section_numeral_leading_its_paragraph_and_bare_numbers_are_structure(nlp):
    text = ("Title of the Declaration\n\nI. The parties met in Lisk and agreed on the following points today.\n"
            "1\nThey will meet again.\nII\n2)\nTrade grew.\n")
    parsed = parse(text, nlp)
    assert [(s.text, s.locator) for s in parsed.sentences] == [
        ("The parties met in Lisk and agreed on the following points today.", "§I ¶1"),
        ("They will meet again.", "I.1"), ("Trade grew.", "II.2")]


def test_hard_wrapped_paragraphs_break_at_a_short_line_ending_a_sentence():
    line = "The Member States agreed to develop their cooperation in trade and investment and"
    text = (f"{line}\nin transport. They will meet again.\n{line}\nin energy.\n")
    assert [b.text for b in recover(text).blocks] == [
        f"{line} in transport. They will meet again.", f"{line} in energy."]


def test_an_abbreviation_at_a_line_end_does_not_end_the_paragraph():
    text = ("The Heads of State thank Mr.\nA. Holloway for his work in the Secretariat.\nThey agreed.\n")
    assert [b.text for b in recover(text).blocks] == ["The Heads of State thank Mr. A. Holloway for his work in "
                                                      "the Secretariat.", "They agreed."]


def test_a_news_page_header_keeps_the_place_dateline_and_notes_the_rest(nlp):
    text = ("Declaration of Heads of Member States of Meridian Cooperation Organization\n"
            "Updated: 2015-07-05 10:20\n(Ombrin, July 05, 2015)\nUnofficial translation by the MCO Secretariat\n"
            "The Heads of State of the Member States met in Ombrin. They agreed on the following.\n"
            "The Member States support a multipolar world.\n")
    structure = recover(text)
    assert structure.header.dateline == "(Ombrin, July 05, 2015)"
    assert structure.header.notes == ("Updated: 2015-07-05 10:20", "Unofficial translation by the MCO Secretariat")
    assert [(s.text, s.locator) for s in parse(text, nlp).sentences] == [
        ("The Heads of State of the Member States met in Ombrin.", "¶1"), ("They agreed on the following.", "¶1"),
        ("The Member States support a multipolar world.", "¶2")]


def test_numerals_lost_as_empty_lines_leave_one_paragraph_per_line(nlp):
    text = ("Tessaly Declaration of the Heads of State\nTessaly, 17 June 2014\n"
            "The Heads of State met in Tessaly. They adopted this Declaration.\n\n\n"
            "The Member States oppose terrorism.\nThey support the Charter of the Organization.\n")
    assert [(s.text, s.locator) for s in parse(text, nlp).sentences] == [
        ("The Heads of State met in Tessaly.", "¶1"), ("They adopted this Declaration.", "¶1"),
        ("The Member States oppose terrorism.", "¶2"), ("They support the Charter of the Organization.", "¶3")]


def test_points_run_together_in_one_paragraph_are_split_and_a_bare_number_is_never_a_sentence(nlp):
    text = ("Meridian Declaration\nLisk, 9 June 2017\n"
            "1. The Member States met in Lisk. 2. They support the Charter. 3) They met in 2. The end came.\n"
            "The Council met. 7. It agreed.\n")
    assert [(s.text, s.locator) for s in parse(text, nlp).sentences] == [
        ("The Member States met in Lisk.", "1"), ("They support the Charter.", "2"),
        ("They met in 2.", "3"), ("The end came.", "3"), ("The Council met.", "¶4"), ("7. It agreed.", "¶4")]
