"""Blind recall check of the four codebook themes on paraphrases written by someone who never read the patterns.

tests/fixtures/codebook/paraphrases.tsv (theme, expected, sentence) holds 88 fictional sentences written by a
helper given only the codebook of issue 12: half carry their theme in wordings the lexicon did not use,
half are near-misses (sovereign debt, multipolar motors, radio interference, horror films). Each sentence
is analysed on its own, as a one-sentence text; a theme is predicted when any match of it is found.

Figures (precision / recall per theme) before the patterns were widened, measured with the lexicon of
main at ca9c0f1 and this script:
    sovereignty       P 0.833  R 0.909
    multipolarity     P 0.667  R 0.727
    non-interference  P 1.000  R 0.818
    terrorism         P 1.000  R 0.909
The after figures are what this script prints today.

Usage: python benchmarks/bench_codebook.py [--misses]   (--misses lists every wrong sentence)
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sco_decl.analysis.lexicon import load_lexicon  # noqa: E402
from sco_decl.analysis.pipeline import load_pipeline, parse  # noqa: E402
from sco_decl.analysis.themes import find_matches  # noqa: E402

PARAPHRASES = ROOT / "tests" / "fixtures" / "codebook" / "paraphrases.tsv"


def rows() -> list[tuple[str, bool, str]]:
    out = []
    for line in PARAPHRASES.read_text("utf-8").splitlines()[1:]:
        theme, expected, sentence = line.split("\t")
        out.append((theme, expected == "1", sentence))
    return out


def predictions(nlp, lexicon) -> list[tuple[str, bool, bool, str]]:  # type: ignore[no-untyped-def]
    out = []
    for theme, expected, sentence in rows():
        found = {m.theme for m in find_matches(parse(sentence, nlp), lexicon, nlp)}
        out.append((theme, expected, theme in found, sentence))
    return out


def table(found: list[tuple[str, bool, bool, str]]) -> dict[str, tuple[float, float]]:
    counts: dict[str, Counter[str]] = {}
    for theme, expected, predicted, _ in found:
        c = counts.setdefault(theme, Counter())
        c["tp" if expected and predicted else "fp" if predicted else "fn" if expected else "tn"] += 1
    out = {}
    for theme, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        out[theme] = (p, r)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    nlp = load_pipeline()
    found = predictions(nlp, load_lexicon())
    print(f"## Codebook themes on {len(found)} blind paraphrases")
    for theme, (p, r) in table(found).items():
        print(f"    {theme:17} P {p:.3f}  R {r:.3f}")
    if args.misses:
        for theme, expected, predicted, sentence in found:
            if expected != predicted:
                print(f"{'MISS' if expected else 'FALSE'} {theme}: {sentence}")


if __name__ == "__main__":
    main()
