"""Benchmark the Russian and Chinese support: cross-lingual link F1 against a length-only baseline, theme
F1 per theme, and parsing speed per language against a bare `nlp.pipe` of the same pipeline.

Link F1: the gold alignments of tests/fixtures/multilingual (ru-en, zh-en with merges and splits; also with
the point numbers stripped, so the anchors must do without them; ru-zh composed through English) scored
for the anchored aligner and for Gale and Church on lengths alone, run here on the same texts.
Speed: our `parse` (structure recovery, sentence rules, lemmas, located sentences) in words per second,
and its ratio to `nlp.pipe` over the same paragraphs, the cost of the pipeline itself.

Usage: python benchmarks/bench_languages.py [--repeat 20]
Prints tables only; nothing here asserts.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from multilingual import ENGLISH, FIXTURES, GOLD, MULTI, composed_gold, gold_pair  # noqa: E402
from sco_decl.analysis.accuracy import read_labels, score  # noqa: E402
from sco_decl.analysis.languages import load_pipeline  # noqa: E402
from sco_decl.analysis.lexicon import load_lexicon  # noqa: E402
from sco_decl.analysis.document import is_word_text  # noqa: E402
from sco_decl.analysis.pipeline import parse, parse_many  # noqa: E402
from sco_decl.analysis.structure import blocks  # noqa: E402
from sco_decl.analysis.themes import find_matches  # noqa: E402
from sco_decl.compare.align import Link, score_links  # noqa: E402
from sco_decl.compare.crosslingual import CrossLink, align_texts, length_only  # noqa: E402
from sco_decl.outputs.textable import text_table  # noqa: E402



def _strip_numbers(text: str) -> str:
    text = re.sub(r"(?m)^\d+[.．]\s*", "", text)
    return re.sub(r"(?m)^(?:[IVX]+|[一二三四五六七八九十]+)\s*$\n?", "", text)


def _links(cross: list[CrossLink], linked_only: bool = False) -> list[Link]:
    return [Link(c.kind, tuple(c.left), tuple(c.right), c.similarity) for c in cross
            if not linked_only or (c.left and c.right)]


def link_f1() -> None:
    rows = []
    for path in GOLD:
        for stripped in (False, True):
            left, right, la, lb, gold = gold_pair(path, _strip_numbers if stripped else None)
            shapes = sum(1 for g in gold if len(g.left) > 1 or len(g.right) > 1)
            ours = score_links(_links(align_texts(left, right, la, lb)), gold)
            base = score_links(_links(length_only(left, right)), gold)
            rows.append((f"{la}-{lb}", path.stem[len("align-"):].split("@")[0], "no" if stripped else "yes",
                         len(gold), shapes, f"{base.f1:.3f}", f"{ours.f1:.3f}", f"{ours.precision:.3f}",
                         f"{ours.recall:.3f}"))
    for doc in ENGLISH:
        gold, left, right = composed_gold(doc)
        ours = score_links(_links(align_texts(left, right, "ru", "zh"), True), gold)
        base = score_links(_links(length_only(left, right), True), gold)
        rows.append(("ru-zh", doc, "yes", len(gold), sum(1 for g in gold if len(g.left) > 1 or len(g.right) > 1),
                     f"{base.f1:.3f}", f"{ours.f1:.3f}", f"{ours.precision:.3f}", f"{ours.recall:.3f}"))
    print("Link F1 (exact link sets; merges and splits must match) against Gale-Church on lengths alone")
    print(text_table(["pair", "text", "points", "gold links", "merges/splits", "length-only F1", "anchored F1",
                      "P", "R"], rows))


def theme_f1() -> None:
    lexicon = load_lexicon()
    rows = []
    for language in ("ru", "zh"):
        nlp = load_pipeline(language)
        labels = read_labels([MULTI / f"themes-{language}.tsv"])
        predicted = {}
        for path in sorted(MULTI.glob(f"*@{language}.txt")):
            parsed = parse(path.read_text("utf-8"), nlp)
            matches = find_matches(parsed, lexicon, nlp)
            for s in parsed.sentences:
                predicted[(path.stem, s.text)] = {m.theme for m in matches if m.sentence == s.index}
        for theme, s in score(labels, predicted, lexicon.ids).items():
            if not s.support and not s.fp:
                continue
            f1 = 2 * s.precision * s.recall / (s.precision + s.recall) if s.precision + s.recall else 0.0
            rows.append((language, theme, s.support, s.tp, s.fp, s.fn, f"{s.precision:.3f}", f"{s.recall:.3f}",
                         f"{f1:.3f}"))
    print("\nTheme accuracy on the labelled Russian and Chinese fixtures (sentence level)")
    print(text_table(["lang", "theme", "support", "tp", "fp", "fn", "P", "R", "F1"], rows))


def speed(repeat: int) -> None:
    rows = []
    for language in ("en", "ru", "zh"):
        nlp = load_pipeline(language)
        texts = [p.read_text("utf-8") for p in sorted(MULTI.glob(f"*@{language}.txt"))]
        if language == "en":
            texts.append((FIXTURES / "mco" / "texts" / "2013-valmora@secretariat.txt").read_text("utf-8"))
        corpus = texts * repeat
        paragraphs = ["\n\n".join(b.text for b in blocks(t)) for t in corpus]
        for text in texts:
            parse(text, nlp)  # warm the caches (jieba's prefix dictionary, lemma memos)
        start = time.perf_counter()
        docs = list(nlp.pipe(paragraphs))
        bare = time.perf_counter() - start
        words = sum(1 for d in docs for t in d if is_word_text(t.text))  # counted outside the timing
        del docs
        start = time.perf_counter()
        ours_words = sum(p.words for p in parse_many(corpus, nlp))  # as the Workspace parses
        ours = time.perf_counter() - start
        rows.append((language, f"{words:,}", f"{words / bare:,.0f}", f"{ours_words / ours:,.0f}",
                     f"{ours / bare:.2f}"))
    print(f"\nParsing speed ({repeat} copies of each fixture text); bare = nlp.pipe of the same pipeline on the "
          "same paragraphs")
    print(text_table(["lang", "words", "bare nlp.pipe words/s", "parse words/s", "time ratio (parse / bare)"],
                     rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    link_f1()
    theme_f1()
    speed(args.repeat)


if __name__ == "__main__":
    main()
