"""The one normalisation: each documented rule on a small input, and idempotence on arbitrary text."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sco_decl.ingest.normalise import WRAP_MIN, is_section_numeral, normalise_text

LONG = "The member states of the Meridian Cooperation Organization agree that"  # > WRAP_MIN, no final stop


def test_line_endings_nfc_and_invisible_characters():
    text = "Cafe\u0301 talks\r\nin Lisk.\rEnd\u200b of\ue001 text\ufeff.\u00ad\r\n"
    assert normalise_text(text) == "Café talks\nin Lisk.\nEnd of text.\n"


def test_whitespace_is_folded_and_lines_stripped():
    assert normalise_text("  Port\tAlder,\u00a0 14\u3000June  2011   \n") == "Port Alder, 14 June 2011\n"


def test_paragraphs_are_separated_by_exactly_one_blank_line():
    assert normalise_text("\n\nFirst.\n\n\n\n  \nSecond.\n\n") == "First.\n\nSecond.\n"
    assert normalise_text("A.\u2029B.\fC.") == "A.\n\nB.\n\nC.\n"


def test_empty_text_stays_empty():
    assert normalise_text("") == ""
    assert normalise_text(" \n\t\n\ue000 ") == ""


def test_hard_wrapped_lines_are_joined():
    assert len(LONG) >= WRAP_MIN
    assert normalise_text(f"{LONG}\ncooperation continues.") == f"{LONG} cooperation continues.\n"
    # An uppercase start still continues a sentence when the long line has no final punctuation.
    assert normalise_text(f"{LONG}\nArvalia leads.") == f"{LONG} Arvalia leads.\n"


def test_short_lines_and_sentence_ends_keep_their_break():
    assert normalise_text("Port Alder\nthe capital.") == "Port Alder\nthe capital.\n"
    long_sentence = LONG + " all is well."
    assert normalise_text(f"{long_sentence}\nThe next one.") == f"{long_sentence}\nThe next one.\n"


def test_list_items_after_a_colon_stay_on_their_own_lines():
    text = f"{LONG} they will:\n- meet every year;\n- exchange information."
    assert normalise_text(text) == text + "\n"


def test_cjk_lines_join_without_a_space():
    line = "子" * WRAP_MIN
    assert normalise_text(f"{line}\n合作") == f"{line}合作\n"


def test_section_numerals_stand_alone():
    assert normalise_text("II\nThe member states agree.") == "II\n\nThe member states agree.\n"
    assert normalise_text("III. The member states agree.") == "III.\n\nThe member states agree.\n"
    assert normalise_text("First paragraph.\nIV)\nNext.") == "First paragraph.\n\nIV)\n\nNext.\n"
    # The text after a leading numeral starts a paragraph too (found by the idempotence test below).
    assert normalise_text("I. I. a") == "I.\n\nI.\n\na\n"
    assert normalise_text("I. II.\nText.") == "I.\n\nII.\n\nText.\n"
    # The pronoun and ordinary words are not numerals.
    assert normalise_text("I think so.") == "I think so.\n"
    assert is_section_numeral("XIV.") and not is_section_numeral("IIII") and not is_section_numeral("Mix")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("aB .:;\n\r\t-IVX子\u00a0\ue000") + [LONG]), max_size=120).map("".join))
def test_normalise_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\r" not in once and "\n\n\n" not in once
