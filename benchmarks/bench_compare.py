"""Benchmark the comparison: quality against the gold alignments, the sweep behind the chosen measure and
thresholds, and speed on 3,000- and 50,000-word texts as a ratio to difflib's HtmlDiff in the same run.

Usage: python benchmarks/bench_compare.py [--quick]   (--quick skips the 50,000-word run and the sweep)
Prints tables only; nothing here asserts, so the figures can be read on any machine.
"""
from __future__ import annotations

import argparse
import difflib
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus_gen import declaration_text, sentence  # noqa: E402

from sco_decl.compare.align import AlignOptions, Link, align, read_gold, score_links  # noqa: E402
from sco_decl.compare.comparison import align_parsed, sentence_tokens  # noqa: E402
from sco_decl.analysis.pipeline import load_pipeline, parse  # noqa: E402
from sco_decl.compare.similarity import MEASURES  # noqa: E402

MCO = ROOT / "tests" / "fixtures" / "mco"


def gold_pairs(nlp):
    out = []
    for path in sorted(MCO.glob("align-*.tsv")):
        a, b = path.stem[len("align-"):].split("--")
        left = parse((MCO / "texts" / f"{a}.txt").read_text("utf-8"), nlp)
        right = parse((MCO / "texts" / f"{b}.txt").read_text("utf-8"), nlp)
        gold = read_gold(path.read_text("utf-8"), [s.text for s in left.sentences], [s.text for s in right.sentences])
        out.append((f"{a} -> {b}", sentence_tokens(left), sentence_tokens(right), gold))
    return out


def evaluate(pairs, options: AlignOptions):
    scores = []
    for _, (ln, lf), (rn, rf), gold in pairs:
        scores.append(score_links(align(ln, rn, options, lf, rf), gold))
    return scores


def quality_table(pairs) -> None:
    print("\n## Link precision / recall / F1 against the gold alignments (default options)")
    print(f"{'pair':64} {'P':>6} {'R':>6} {'F1':>6} {'kinds':>6}")
    for (name, *_), s in zip(pairs, evaluate(pairs, AlignOptions())):
        print(f"{name:64} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.kind_accuracy:6.3f}")


def sweep(pairs) -> None:
    print("\n## Sweep: similarity measure (other options at their defaults): mean and min F1 over the pairs")
    print(f"{'measure':12} {'mean F1':>8} {'min F1':>8}")
    for measure in MEASURES:
        f1 = [s.f1 for s in evaluate(pairs, replace(AlignOptions(), measure=measure))]
        print(f"{measure:12} {statistics.mean(f1):8.3f} {min(f1):8.3f}")
    print("\n## Sweep: weight of a stop word in the bags (dice, other options at their defaults)")
    print(f"{'stop weight':12} {'mean F1':>8} {'min F1':>8}")
    for weight in (0.0, 0.1, 0.2, 0.35, 0.5, 1.0):
        f1 = [s.f1 for s in evaluate(pairs, replace(AlignOptions(), stop_weight=weight))]
        print(f"{weight:<12} {statistics.mean(f1):8.3f} {min(f1):8.3f}")
    print("\n## Sweep: thresholds for dice (link, move, gap, merge part) -> mean / min F1; best 12 and the default")
    results = []
    for link in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        for move in (0.4, 0.45, 0.5, 0.6):
            for gap in (0.1, 0.2, 0.3, 0.4):
                for part in (0.25, 0.35, 0.5):
                    opts = replace(AlignOptions(), link_threshold=link, move_threshold=move, gap_threshold=gap,
                                   merge_part=part)
                    f1 = [s.f1 for s in evaluate(pairs, opts)]
                    results.append((statistics.mean(f1), min(f1), link, move, gap, part))
    results.sort(reverse=True)
    print(f"{'link':>5} {'move':>5} {'gap':>5} {'part':>5} {'mean F1':>8} {'min F1':>8}")
    default = AlignOptions()
    for mean, low, link, move, gap, part in results[:12]:
        print(f"{link:5.2f} {move:5.2f} {gap:5.2f} {part:5.2f} {mean:8.3f} {low:8.3f}")
    for mean, low, link, move, gap, part in results:
        if (link, move, gap, part) == (default.link_threshold, default.move_threshold, default.gap_threshold,
                                       default.merge_part):
            rank = results.index((mean, low, link, move, gap, part)) + 1
            print(f"default: {link:.2f} {move:.2f} {gap:.2f} {part:.2f} mean {mean:.3f} min {low:.3f} "
                  f"(rank {rank} of {len(results)})")
    flat = sum(1 for r in results if r[0] >= results[0][0] - 0.01)
    print(f"{flat} of {len(results)} settings are within 0.01 of the best mean F1 (a flat optimum is robust)")


SYNONYMS = {"strengthen": "reinforce", "cooperation": "collaboration", "support": "back", "note": "observe",
            "welcome": "hail", "region": "area", "important": "significant", "develop": "expand",
            "states": "countries", "agree": "concur", "continue": "keep", "joint": "common", "security": "safety",
            "efforts": "work", "international": "global", "call": "appeal", "will": "shall"}


def reword(sentence_text: str, rng: random.Random, rate: float) -> str:
    out = []
    for word in sentence_text.split(" "):
        core = word.strip(".,;:")
        if core.lower() in SYNONYMS and rng.random() < rate * 2:
            word = word.replace(core, SYNONYMS[core.lower()])
        elif len(core) > 5 and rng.random() < rate / 3:
            word = word.replace(core, rng.choice(["notably", "duly", "broadly", "firmly"]))
        out.append(word)
    return " ".join(out)


def synthetic_pair(a: list[str], extra: list[str], rng: random.Random, rate: float):
    """B made from A's sentences with known edits (reworded, dropped, merged, split, added, moved)."""
    extra = [s for s in extra if s not in a]
    items: list[tuple[tuple[int, ...], list[str]]] = []
    i = 0
    while i < len(a):
        roll = rng.random()
        if i >= 2 and roll < 0.08:
            items.append(((i,), []))
            i += 1
        elif i >= 2 and roll < 0.14 and i + 1 < len(a) and a[i].endswith("."):
            items.append(((i, i + 1), [a[i][:-1] + ", and " + a[i + 1][0].lower() + a[i + 1][1:]]))
            i += 2
        elif i >= 2 and roll < 0.20 and a[i].count(", ") >= 2 and len(a[i].split()) > 16:
            parts = a[i].split(", ")
            half = len(parts) // 2
            second = ", ".join(parts[half:])
            items.append(((i,), [", ".join(parts[:half]) + ".", second[0].upper() + second[1:]]))
            i += 1
        else:
            items.append(((i,), [reword(a[i], rng, rate if roll < 0.8 else 0.0)]))
            i += 1
        if rng.random() < 0.08 and extra:
            items.append(((), [extra.pop(rng.randrange(len(extra)))]))
    for _ in range(2):
        k, m = rng.randrange(3, len(items)), rng.randrange(3, len(items))
        items.insert(m, items.pop(k))
    b: list[str] = []
    truth = []
    for left, texts in items:
        truth.append(Link("?", left, tuple(range(len(b), len(b) + len(texts))), 1.0))
        b += texts
    return b, truth


def synthetic_table(nlp) -> None:
    print("\n## Robustness: known edits applied to fixture texts (reworded, dropped, merged, split, added, moved)")
    print(f"{'text':36} {'reword':>6} {'seeds':>5} {'mean F1':>8} {'min F1':>8}")
    texts = sorted((MCO / "texts").glob("*.txt"))
    for n, path in enumerate(texts[:4]):
        left = parse(path.read_text("utf-8"), nlp)
        a = [s.text for s in left.sentences]
        extra = [s.text for s in parse(texts[(n + 3) % len(texts)].read_text("utf-8"), nlp).sentences]
        for rate in (0.25, 0.8, 1.5):
            f1 = []
            for seed in range(4):
                b, truth = synthetic_pair(a, extra, random.Random(seed), rate)
                right = parse("\n\n".join(b) + "\n", nlp)
                if len(right.sentences) != len(b):
                    continue  # the segmenter split a made-up sentence: the truth no longer holds
                links = [Link(x.kind, tuple(x.left), tuple(x.right), 0.0) for x in align_parsed(left, right)]
                f1.append(score_links(links, truth).f1)
            if f1:
                print(f"{path.stem:36} {rate:6.2f} {len(f1):5} {statistics.mean(f1):8.3f} {min(f1):8.3f}")


def difflib_links(a: list[str], b: list[str]) -> list[Link]:
    """difflib's alignment of two sentence lists: equal and replaced runs paired in order, the rest alone."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        n = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
        out += [Link("x", (i1 + k,), (j1 + k,), 1.0) for k in range(n)]
        out += [Link("removed", (k,), (), 0.0) for k in range(i1 + n, i2)]
        out += [Link("added", (), (k,), 0.0) for k in range(j1 + n, j2)]
    return out


def length_table(nlp, sizes: tuple[int, ...]) -> None:
    """Link F1 as texts grow: generated declarations reuse a few sentence templates, so every sentence has
    many look-alikes, which is where a fixed candidate cap and loose out-of-order pairing broke down."""
    print("\n## Quality with length: known edits on generated texts with many similar sentences")
    print(f"{'words':>7} {'sentences':>10} {'ours F1':>8} {'difflib F1':>11} {'ours s':>8} {'difflib s':>10}")
    for words in sizes:
        rng = random.Random(words)
        left = parse(declaration_text(rng, 2001, "Port Alder", words), nlp)
        a = [s.text for s in left.sentences]
        b, truth = synthetic_pair(a, [sentence(rng) for _ in range(len(a) // 5)], rng, 0.25)
        right = parse("\n\n".join(b) + "\n", nlp)
        if len(right.sentences) != len(b):
            print(f"{words:>7} (the segmenter split a made-up sentence; skipped)")
            continue
        start = time.perf_counter()
        ours = [Link(x.kind, tuple(x.left), tuple(x.right), 0.0) for x in align_parsed(left, right)]
        took = time.perf_counter() - start
        start = time.perf_counter()
        theirs = difflib_links(a, b)
        baseline = time.perf_counter() - start
        print(f"{words:>7} {len(a):>10} {score_links(ours, truth).f1:8.3f} {score_links(theirs, truth).f1:11.3f} "
              f"{took:8.2f} {baseline:10.2f}")


def edited(text: str, rng: random.Random) -> str:
    """A later 'edition': sentences reworded, dropped, added and paragraphs moved, like a new year's text."""
    paragraphs = text.split("\n\n")
    out = []
    for para in paragraphs:
        roll = rng.random()
        if roll < 0.08 and len(out) > 2:
            continue  # dropped
        words = para.split(" ")
        if roll < 0.5:
            for _ in range(max(1, len(words) // 12)):
                k = rng.randrange(len(words))
                words[k] = rng.choice(["steadfast", "renewed", "joint", "regional", "lasting", "broad"])
        out.append(" ".join(words))
        if rng.random() < 0.08:
            out.append(sentence(rng))  # added
    for _ in range(len(out) // 25):  # moved paragraphs
        k, m = rng.randrange(2, len(out)), rng.randrange(2, len(out))
        out.insert(m, out.pop(k))
    return "\n\n".join(out)


def best_of(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def speed(nlp, words: int, repeat: int) -> None:
    rng = random.Random(words)
    a = declaration_text(rng, 2001, "Port Alder", words)
    b = edited(a, rng)
    left, right = parse(a, nlp), parse(b, nlp)
    ours = best_of(lambda: align_parsed(left, right), repeat)
    with_parse = best_of(lambda: align_parsed(parse(a, nlp), parse(b, nlp)), 1)
    a_lines = [s.text for s in left.sentences]
    b_lines = [s.text for s in right.sentences]
    baseline = best_of(lambda: difflib.HtmlDiff().make_table(a_lines, b_lines), 1 if words > 10000 else repeat)
    print(f"{words:>7} words  {len(a_lines):>5} x {len(b_lines):>5} sentences  align+word diff {ours:7.3f} s  "
          f"(with parsing {with_parse:7.3f} s)  difflib.HtmlDiff {baseline:7.3f} s  ratio {ours / baseline:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    nlp = load_pipeline()
    pairs = gold_pairs(nlp)
    quality_table(pairs)
    synthetic_table(nlp)
    length_table(nlp, (3000, 10000) if args.quick else (3000, 10000, 50000, 100000))
    if not args.quick:
        sweep(pairs)
    print("\n## Speed (pipeline loaded; best of runs; ratio = ours / difflib on the same sentences)")
    speed(nlp, 3000, 5)
    if not args.quick:
        speed(nlp, 50000, 1)


if __name__ == "__main__":
    main()
