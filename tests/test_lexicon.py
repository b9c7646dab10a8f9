"""The theme lexicon: the shipped file, the pattern syntax on real sentences, user files and their errors."""
from __future__ import annotations

import tomllib

import pytest
from clicheck import one_line_error

from sco_decl.errors import LexiconError
from sco_decl.analysis.lexicon import SHIPPED, load_lexicon
from sco_decl.analysis.pipeline import parse
from sco_decl.analysis.patterns import _LEX_RE, forms, tokenize_word, word_variants
from sco_decl.analysis.themes import find_matches

REQUIRED = ["sovereignty", "multipolarity", "non-interference", "terrorism", "separatism", "extremism", "three-evils",
            "multilateralism", "un-centrality", "territorial-integrity", "security-cooperation",
            "economic-cooperation", "drug-trafficking", "afghanistan", "foreign-military-presence",
            "shanghai-spirit", "international-order", "development-path"]


def write(tmp_path, text: str, name: str = "themes.toml"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def theme_toml(ident: str = "probe", patterns=("probe",), exclusions=(), extra: str = "") -> str:
    def strings(items):
        return "[" + ", ".join('"' + p.replace('"', '\\"') + '"' for p in items) + "]"

    return (f'[[theme]]\nid = "{ident}"\nlabel = "Probe"\ndescription = "test"\ncolour = "#123456"\n'
            f"patterns = {strings(patterns)}\nexclusions = {strings(exclusions)}\n{extra}")


def hits(nlp, tmp_path, text: str, patterns, exclusions=()) -> list[str]:
    """The texts a one-theme lexicon (added to the shipped one) matches in `text`."""
    lexicon = load_lexicon(write(tmp_path, theme_toml("probe", patterns, exclusions)))
    return [m.text for m in find_matches(parse(text, nlp), lexicon, nlp) if m.theme == "probe"]


# -- the shipped lexicon ---------------------------------------------------------------------------------
def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _lab(colour: str) -> tuple[float, float, float]:
    def linear(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_shipped_lexicon_has_every_required_theme_described():
    lexicon = load_lexicon()
    assert lexicon.ids[:4] == REQUIRED[:4] and set(REQUIRED) <= set(lexicon.ids)
    for theme in lexicon.themes:
        assert theme.label and len(theme.description) > 40 and "Not:" in theme.description or theme.id == "afghanistan"
        assert theme.patterns and theme.origin == str(SHIPPED)
    assert lexicon.get("three-evils").all_of == ("terrorism", "separatism", "extremism")


def test_shipped_colours_are_distinct_and_readable_on_white():
    colours = {t.id: t.colour for t in load_lexicon().themes}
    for ident, colour in colours.items():
        contrast = 1.05 / (_luminance(colour) + 0.05)
        assert contrast >= 3.0, (ident, colour, contrast)
    items = list(colours.items())
    for i, (a, ca) in enumerate(items):
        for b, cb in items[i + 1:]:
            la, lb = _lab(ca), _lab(cb)
            distance = sum((x - y) ** 2 for x, y in zip(la, lb)) ** 0.5
            assert distance >= 12, (a, b, distance)


def test_shipped_file_is_package_data_and_plain_toml():
    assert SHIPPED.parent.name == "data" and SHIPPED.parent.parent.name == "sco_decl"
    data = tomllib.loads(SHIPPED.read_text("utf-8"))
    assert len(data["theme"]) >= 18


def test_light_tokenizer_agrees_with_spacy_for_every_pattern_word(nlp):
    lexicon = load_lexicon()
    words = {m.group(0).lstrip("=") for t in lexicon.themes for source in t.patterns + t.exclusions
             for m in _LEX_RE.finditer(source) if m.group(0) not in "[]()|" and not m.group(0).startswith("...")}
    assert len(words) > 300
    for word in sorted(words) + ["each", "other's", "states'", "U.N.", "2014-2018", "e-commerce"]:
        assert tokenize_word(word) == [t.text for t in nlp.tokenizer(word)], word


# -- pattern syntax on real sentences -------------------------------------------------------------------
def test_inflections_come_from_the_lemma_table():
    assert {"interfere", "interferes", "interfered", "interfering"} <= forms("interfere")
    assert {"affair", "affairs"} <= forms("affairs")


def test_hyphen_variants_are_generated():
    variants = {" ".join(t for t, _ in v) for v in word_variants("non-interference", tokenize_word)}
    assert {"non - interference", "non interference", "noninterference"} <= variants


def test_hyphen_spacing_and_case_variants_all_match(nlp, tmp_path):
    text = ("They stand for non-interference. They stand for noninterference. They stand for non interference. "
            "Non-Interference is a principle. They stand for NONINTERFERENCE.")
    assert hits(nlp, tmp_path, text, ["non-interference"]) == [
        "non-interference", "noninterference", "non interference", "Non-Interference", "NONINTERFERENCE"]


def test_capitalised_inflections_match_on_lowercase(nlp, tmp_path):
    text = "Terrorists were named. The terrorists fled. Terrorist groups formed. A terror-stricken child."
    found = hits(nlp, tmp_path, text, ["terrorist"])
    assert found == ["Terrorists", "terrorists", "Terrorist"]


def test_optional_words_and_alternatives(nlp, tmp_path):
    text = ("They will not interfere in internal affairs. They will not interfere in each other's internal "
            "affairs. They will not interfere in one another's internal affairs. They interfered in our affairs.")
    found = hits(nlp, tmp_path, text, ["interfere in [each other's|one another's] internal affairs"])
    assert found == ["interfere in internal affairs", "interfere in each other's internal affairs",
                     "interfere in one another's internal affairs"]


def test_gaps_are_bounded_and_stay_in_the_sentence(nlp, tmp_path):
    text = ("Order of many poles. Order of very many poles. Order of very many small poles. "
            "An order. Poles apart.")
    found = hits(nlp, tmp_path, text, ["order ...3 poles"])
    assert found == ["Order of many poles", "Order of very many poles"]


def test_exclusions_drop_overlapping_matches_only(nlp, tmp_path):
    text = ("The sovereign equality of states. The management of sovereign debt. Sovereign bonds fell. "
            "Osric IV, Sovereign of Brenmark, signed. Sovereign states agree.")
    lexicon = load_lexicon()
    doc = parse(text, nlp)
    found = [(doc.sentences[m.sentence].index, m.text) for m in find_matches(doc, lexicon, nlp)
             if m.theme == "sovereignty"]
    assert found == [(0, "sovereign"), (4, "Sovereign")]


def test_smart_case_and_exact_forms(nlp, tmp_path):
    text = "The UN Charter. The un charter. Drug precursors. A precursor of the treaty."
    assert hits(nlp, tmp_path, text, ["UN Charter"]) == ["UN Charter"]
    assert hits(nlp, tmp_path, text, ["=precursors"]) == ["precursors"]


def test_three_evils_needs_all_three_in_one_sentence(nlp):
    lexicon = load_lexicon()
    text = ("They condemn terrorism, separatism and extremism. They fight terrorism and extremism. "
            "Separatism is condemned. The three evils remain.")
    doc = parse(text, nlp)
    found = [(m.sentence, m.text) for m in find_matches(doc, lexicon, nlp) if m.theme == "three-evils"]
    assert found == [(0, "terrorism, separatism and extremism"), (3, "three evils")]


def test_matches_are_character_offsets_into_the_sentence(nlp):
    lexicon = load_lexicon()
    doc = parse("Title\n\nI\n\n1. The states respect territorial integrity and reject radio interference.", nlp)
    matches = find_matches(doc, lexicon, nlp)
    assert matches and all(doc.sentences[m.sentence].text[m.start:m.end] == m.text for m in matches)
    assert [m.theme for m in matches] == ["territorial-integrity"]


# -- user files: extend, override, errors ----------------------------------------------------------------
def test_user_file_adds_overrides_and_extends(tmp_path, cli):
    path = write(tmp_path, theme_toml("probe", ["probe"]) + "\n"
                 + theme_toml("terrorism", ["bandit"]) + "\n"
                 + '[[theme]]\nid = "sovereignty"\nextend = true\npatterns = ["self-rule"]\n')
    lexicon = load_lexicon(path)
    assert lexicon.ids[-1] == "probe" and lexicon.get("terrorism").patterns == ("bandit",)
    assert lexicon.get("terrorism").origin == str(path)
    sovereignty = lexicon.get("sovereignty")
    assert sovereignty.patterns[-1] == "self-rule" and sovereignty.patterns[0] == "sovereignty"
    assert sovereignty.origin == f"{SHIPPED}, extended by {path}"
    assert lexicon.sha256 != load_lexicon().sha256
    result = cli("lexicon", "--themes", path)
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if line.startswith("probe "))
    assert row.endswith("[2]") and f"[2] {path}" in result.output.splitlines()[0]  # each path said once, above


def test_relabelling_keeps_the_match_hash(tmp_path):
    path = write(tmp_path, '[[theme]]\nid = "sovereignty"\nextend = true\nlabel = "State sovereignty"\n')
    relabelled = load_lexicon(path)
    assert relabelled.get("sovereignty").label == "State sovereignty"
    assert relabelled.match_sha256 == load_lexicon().match_sha256 and relabelled.sha256 != load_lexicon().sha256


def test_toml_output_reads_back_as_the_same_lexicon(tmp_path, cli):
    result = cli("lexicon", "--format", "toml")
    assert result.exit_code == 0 and "# from: " in result.output
    copy = write(tmp_path, result.output, "copy.toml")
    again = load_lexicon(shipped=copy)
    assert again.sha256 == load_lexicon().sha256


@pytest.mark.parametrize("body, fragments", [
    ('[[theme]\nid = "x"', ["not valid TOML"]),
    ('title = "no themes"', ["no [[theme]] tables"]),
    (theme_toml("Bad_Id"), ["'id' is missing or not of the form"]),
    (theme_toml("probe").replace('label = "Probe"\n', ""), ["theme probe", "'label' is missing"]),
    (theme_toml("probe").replace("#123456", "red"), ["theme probe", "colour 'red'"]),
    (theme_toml("probe", extra='weight = 2\n'), ["theme probe", "unknown key(s) weight"]),
    (theme_toml("probe") + theme_toml("probe"), ["'probe' is defined twice"]),
    (theme_toml("probe", ["interfere in [internal affairs"]), ["theme probe, pattern 1", "'[' is not closed"]),
    (theme_toml("probe", ["... affairs"]), ["theme probe, pattern 1", "starts or ends with a gap"]),
    (theme_toml("probe", ["a ...20 b"]), ["gap ...20"]),
    (theme_toml("probe", ["a [b|] c"]), ["empty alternative"]),
    (theme_toml("probe", ["a ... [b] ... c"]), ["only optional words"]),
    (theme_toml("probe", ["sovereign", "sovereign"]), ["pattern 'sovereign' is listed twice"]),
    (theme_toml("probe", ["sovereign debt|debts"], ["sovereign debt"]),
     ["theme probe", "pattern 'sovereign debt|debts' can never match", "exclusion 'sovereign debt'"]),
    (theme_toml("probe", extra='all_of = ["nowhere"]\n'), ["theme 'probe'", "unknown theme 'nowhere'"]),
    (theme_toml("probe", extra='all_of = ["three-evils"]\n'), ["all_of may only name themes defined by patterns"]),
    ('[[theme]]\nid = "novel"\nextend = true\npatterns = ["x"]\n', ["'novel' has extend = true"]),
])
def test_malformed_or_contradictory_lexicon_is_one_clear_line(tmp_path, cli, body, fragments):
    path = write(tmp_path, body)
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(path) in str(info.value)
    for fragment in fragments:
        assert fragment in str(info.value)
    one_line_error(cli("lexicon", "--themes", path), str(path), *fragments)


def test_missing_lexicon_file(tmp_path, cli):
    one_line_error(cli("lexicon", "--themes", tmp_path / "nope.toml"), "nope.toml", "not found")


def test_a_trained_pipelines_own_lemmas_are_matched_too(nlp):
    """With a non-lookup lemmatizer (as in a trained pipeline) the Doc's lemmas are matched as well, so a
    form the lookup table does not know still counts; the default pipeline needs no Doc lemmas at all."""
    import spacy
    from spacy.language import Language

    from sco_decl.analysis.patterns import uses_lookup_lemmas

    if "test_rule_lemmas" not in Language.factories:
        @Language.component("test_rule_lemmas")
        def rule_lemmas(doc):
            for token in doc:
                token.lemma_ = {"separatisms": "separatism"}.get(token.lower_, token.lower_)
            return doc

    trained_like = spacy.blank("en")
    trained_like.add_pipe("declaration_sentences")
    trained_like.add_pipe("test_rule_lemmas", name="lemmatizer")
    assert uses_lookup_lemmas(nlp) and not uses_lookup_lemmas(trained_like)
    assert "separatisms" not in forms("separatism")
    lexicon = load_lexicon()
    text = "All separatisms are condemned."
    with_lemmas = [m.text for m in find_matches(parse(text, trained_like), lexicon, trained_like)
                   if m.theme == "separatism"]
    assert with_lemmas == ["separatisms"]
    assert [m for m in find_matches(parse(text, nlp), lexicon, nlp) if m.theme == "separatism"] == []


def test_wordings_join_the_matchers_as_texts_need_them_with_the_same_hits(nlp):
    """A compiled lexicon adds a wording when a text first holds its first word; what it finds in a text
    must not depend on which texts it matched before."""
    from sco_decl.analysis.patterns import Compiled

    lexicon = load_lexicon()
    first = parse("The Member States of Arvalia respect sovereignty and reject interference in internal "
                  "affairs. They condemn terrorism, separatism and extremism.", nlp)
    second = parse("Brenmark supports a multipolar world order, non-interference and the sovereign equality "
                   "of states. Terrorist acts in Kestrel were condemned. Sovereignty is respected.", nlp)

    def spans(compiled: Compiled, parsed):
        return compiled.spans(parsed.doc.to_doc(nlp.vocab), parsed.sentence_of, parsed.doc.texts)

    fresh = Compiled(lexicon.themes, nlp)
    alone = spans(fresh, second)
    assert len(fresh._waiting) > 0  # most wordings never met a first word of theirs
    used = Compiled(lexicon.themes, nlp)
    spans(used, first)
    after = spans(used, second)
    assert after == alone and {theme for theme, _ in alone} >= {"multipolarity", "non-interference",
                                                                 "sovereignty", "terrorism"}
