"""The aligner against the hand-made gold alignments, and its invariants on made-up inputs."""
from __future__ import annotations

from pathlib import Path

import pytest

from sco_decl.compare.align import AlignOptions, Link, align, read_gold, score_links
from sco_decl.compare.comparison import align_parsed
from sco_decl.analysis.pipeline import parse

MCO = Path(__file__).parent / "fixtures" / "mco"
GOLD = sorted(MCO.glob("align-*.tsv"))


def _pair(path: Path, nlp):
    a, b = path.stem[len("align-"):].split("--")
    left = parse((MCO / "texts" / f"{a}.txt").read_text("utf-8"), nlp)
    right = parse((MCO / "texts" / f"{b}.txt").read_text("utf-8"), nlp)
    gold = read_gold(path.read_text("utf-8"), [s.text for s in left.sentences], [s.text for s in right.sentences])
    return left, right, gold


def _covers_every_sentence_once(links, n_left: int, n_right: int) -> None:
    left = sorted(i for link in links for i in link.left)
    right = sorted(j for link in links for j in link.right)
    assert left == list(range(n_left))
    assert right == list(range(n_right))


def test_there_are_gold_pairs_for_years_reordering_and_editions():
    names = " ".join(p.name for p in GOLD)
    assert len(GOLD) >= 3
    assert "2013-valmora@secretariat--2013-valmora@wire" in names


@pytest.mark.parametrize("path", GOLD, ids=[p.stem[len("align-"):] for p in GOLD])
def test_alignment_matches_gold_with_f1_at_least_090(path, nlp):
    left, right, gold = _pair(path, nlp)
    links = align_parsed(left, right)
    _covers_every_sentence_once(links, len(left.sentences), len(right.sentences))
    predicted = [Link(link.kind, tuple(link.left), tuple(link.right), link.similarity) for link in links]
    score = score_links(predicted, gold)
    assert score.f1 >= 0.90, f"{path.name}: P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f}"
    assert score.kind_accuracy >= 0.90


def test_gold_files_cover_every_sentence_once(nlp):
    for path in GOLD:
        left, right, gold = _pair(path, nlp)
        _covers_every_sentence_once(gold, len(left.sentences), len(right.sentences))


def test_kinds_on_a_small_made_up_pair():
    a = [["peace", "security", "region"], ["trade", "grow", "fast", "border"], ["drug", "route", "close"],
         ["youth", "forum", "hold", "kestrel"], ["bank", "capital", "pay"]]
    b = [["peace", "security", "region"], ["bank", "capital", "pay", "soon"], ["trade", "grow", "fast", "port"],
         ["rail", "line", "open"], ["youth", "forum", "hold", "kestrel"]]
    links = align(a, b)
    kinds = {(link.left, link.right): link.kind for link in links}
    assert kinds[((0,), (0,))] == "same"
    assert kinds[((1,), (2,))] == "changed"
    assert kinds[((4,), (1,))] == "moved"
    assert kinds[((2,), ())] == "removed"
    assert kinds[((), (3,))] == "added"
    _covers_every_sentence_once(links, len(a), len(b))


def test_a_split_becomes_one_to_two_link():
    a = [["council", "meet", "kestrel"],
         ["network", "university", "admit", "student", "culture", "science", "health", "exchange"],
         ["next", "summit", "ombrin"]]
    b = [["council", "meet", "kestrel"], ["network", "university", "admit", "student"],
         ["culture", "science", "health", "exchange"], ["next", "summit", "ombrin"]]
    links = align(a, b)
    assert Link("changed", (1,), (1, 2), links[1].similarity) == links[1]


def test_empty_sides():
    assert align([], []) == []
    assert [link.kind for link in align([["a"]], [])] == ["removed"]
    assert [link.kind for link in align([], [["a"], ["b"]])] == ["added", "added"]


def test_identical_texts_are_all_same():
    text = [["w%d" % i, "state", "peace"] for i in range(40)]
    links = align(text, text)
    assert all(link.kind == "same" for link in links) and len(links) == 40


def test_score_links_counts_exact_sets_only():
    gold = [Link("changed", (0, 1), (0,), 1.0), Link("added", (), (1,), 1.0)]
    predicted = [Link("changed", (0,), (0,), 0.7), Link("removed", (1,), (), 0.0), Link("added", (), (1,), 0.0)]
    score = score_links(predicted, gold)
    assert score.precision == pytest.approx(1 / 3) and score.recall == pytest.approx(1 / 2)


def test_options_are_honoured():
    a, b = [["trade", "grow", "border"]], [["trade", "grow", "port"]]
    assert align(a, b)[0].kind == "changed"
    strict = AlignOptions(link_threshold=0.99, gap_threshold=0.99, move_threshold=0.99)
    assert [link.kind for link in align(a, b, strict)] == ["removed", "added"]
