"""Benchmark structure recovery, themes and alignment on every page layout (tests/fixtures/layouts/).

Per layout it prints: sentence segmentation F1 against the gold sentences, locator accuracy (section and
point, or paragraph where there is no numbering), theme precision/recall for the four codebook themes, link
F1 of the layout against the clean text, link F1 across years (the MCO gold year pairs re-laid out in the
same layout), and the share of spelling-only links reported `same`. The layout fixtures are one fictional
declaration written in six layouts; the seven MCO texts re-laid out in four layouts (one, `tight`, not among
the fixtures: a news page wrapped at 80 with no blank lines and an update time) are a second check. The target is >= 0.95 on every figure.

Usage: python benchmarks/bench_layouts.py     (prints tables only; nothing here asserts)
"""
from __future__ import annotations

import sys
import textwrap
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sco_decl.analysis.lexicon import load_lexicon  # noqa: E402
from sco_decl.analysis.pipeline import ParsedText, load_pipeline, parse  # noqa: E402
from sco_decl.analysis.structure import recover  # noqa: E402
from sco_decl.analysis.themes import find_matches  # noqa: E402
from sco_decl.compare.align import Link, read_gold, score_links  # noqa: E402
from sco_decl.compare.comparison import align_parsed  # noqa: E402

LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
MCO = ROOT / "tests" / "fixtures" / "mco"
THEMES = ("sovereignty", "multipolarity", "non-interference", "terrorism")


def gold(name: str) -> list[tuple[str, str, set[str]]]:
    rows = [r.split("\t") for r in (LAYOUTS / f"{name}.gold.tsv").read_text("utf-8").splitlines()[1:]]
    return [(r[0], r[1], set(filter(None, r[2].split(",")))) for r in rows]


def segmentation_f1(got: list[str], want: list[str]) -> float:
    """F1 of sentences as exact strings (a sentence cut or glued wrong counts as a miss and a false hit)."""
    hits = sum((Counter(got) & Counter(want)).values())
    if not got or not want:
        return 0.0
    p, r = hits / len(got), hits / len(want)
    return 2 * p * r / (p + r) if p + r else 0.0


def locator_accuracy(parsed: ParsedText, want: list[tuple[str, str, set[str]]]) -> float:
    wanted = Counter((s, loc) for s, loc, _ in want)
    got = Counter((s.text, s.locator) for s in parsed.sentences)
    return sum((got & wanted).values()) / len(want)


def theme_counts(parsed: ParsedText, want: list[tuple[str, str, set[str]]], lexicon, nlp,  # type: ignore[no-untyped-def]
                 totals: dict[str, Counter[str]]) -> None:
    found: dict[str, set[str]] = {}
    for m in find_matches(parsed, lexicon, nlp):
        found.setdefault(parsed.sentences[m.sentence].text, set()).add(m.theme)
    for text, _, themes in want:
        for theme in THEMES:
            predicted, expected = theme in found.get(text, set()), theme in themes
            totals[theme]["tp" if predicted and expected else "fp" if predicted else "fn" if expected else "tn"] += 1


def prf(c: Counter[str]) -> tuple[float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r


def identity_gold(left: ParsedText, right: ParsedText) -> list[Link]:
    return [Link("same", (n,), (n,), 1.0) for n in range(min(len(left.sentences), len(right.sentences)))]


def relayout(text: str, layout: str) -> str:
    """A clean MCO text in another layout (its heading block and numbering written the layout's way)."""
    structure = recover(text)
    head = [structure.header.title or "", structure.header.dateline or ""]
    lines: list[str] = []
    section = None
    if layout == "tight":  # a news page: wrapped title, update time, bracketed dateline, no blank lines
        head = [*textwrap.wrap(head[0], 80), "Updated: 2016-06-15 10:20", f"({head[1]})"]
    for block in structure.blocks:
        if block.section != section and layout == "tight":
            section = block.section
            lines.append(str(section))
        elif block.section != section:
            section = block.section
            lines.append(f"{' ' * 30 if layout == 'indented' else ''}{section}{'.' if layout == 'wrapped' else ''}")
            if layout == "wrapped":
                lines.append("")
        body = block.text
        if layout == "singleline":
            if block.point:
                lines.append(f"{block.point}.")
            lines.append(body)
        elif layout in ("wrapped", "tight"):
            lines += textwrap.wrap(f"{block.point}. {body}" if block.point else body, 66 if layout == "wrapped"
                                   else 80, break_on_hyphens=False)
            lines += [""] if layout == "wrapped" else []
        else:
            lines += textwrap.wrap(f"{block.point}. {body}" if block.point else body, 78, initial_indent="    ",
                                   break_on_hyphens=False)
    sep = "\n\n" if layout == "wrapped" else "\n"
    return sep.join(head) + sep + "\n".join(lines) + "\n"


def year_pairs(layout: str, nlp) -> float:  # type: ignore[no-untyped-def]
    """Mean link F1 over the MCO gold year pairs, both texts re-laid out in `layout`."""
    scores = []
    for path in sorted(MCO.glob("align-*.tsv")):
        a, b = path.stem[len("align-"):].split("--")
        texts = [(MCO / "texts" / f"{n}.txt").read_text("utf-8") for n in (a, b)]
        if layout != "clean":
            texts = [relayout(t, layout) for t in texts]
        left, right = parse(texts[0], nlp), parse(texts[1], nlp)
        try:
            want = read_gold(path.read_text("utf-8"), [s.text for s in left.sentences],
                             [s.text for s in right.sentences])
        except ValueError:
            scores.append(0.0)  # the layout lost a sentence the gold names
            continue
        got = [Link(k.kind, tuple(k.left), tuple(k.right), k.similarity) for k in align_parsed(left, right)]
        scores.append(score_links(got, want).f1)
    return sum(scores) / len(scores)


def mco_segmentation(layout: str, nlp) -> float:  # type: ignore[no-untyped-def]
    """Sentence segmentation F1 over the seven MCO texts re-laid out in `layout` (their gold sentences)."""
    scores = []
    for path in sorted((MCO / "texts").glob("*.txt")):
        text = path.read_text("utf-8")
        want = [s.text for s in parse(text, nlp).sentences]
        got = [s.text for s in parse(relayout(text, layout) if layout != "clean" else text, nlp).sentences]
        scores.append(segmentation_f1(got, want))
    return sum(scores) / len(scores)


def spelling_same(nlp) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Link F1 of the American copy against its British original, and the share of its links called same."""
    left = parse((LAYOUTS / "clean.txt").read_text("utf-8"), nlp)
    right = parse((LAYOUTS / "american.txt").read_text("utf-8"), nlp)
    want = read_gold((LAYOUTS / "align-clean--american.tsv").read_text("utf-8"),
                     [s.text for s in left.sentences], [s.text for s in right.sentences])
    got = align_parsed(left, right)
    links = [Link(k.kind, tuple(k.left), tuple(k.right), k.similarity) for k in got]
    same = sum(1 for k in got if k.kind == "same") / len(got)
    return score_links(links, want).f1, same


def runon_f1(nlp) -> float:  # type: ignore[no-untyped-def]
    left = parse((LAYOUTS / "runon.txt").read_text("utf-8"), nlp)
    right = parse((LAYOUTS / "clean.txt").read_text("utf-8"), nlp)
    want = read_gold((LAYOUTS / "align-runon--clean.tsv").read_text("utf-8"),
                     [s.text for s in left.sentences], [s.text for s in right.sentences])
    got = [Link(k.kind, tuple(k.left), tuple(k.right), k.similarity) for k in align_parsed(left, right)]
    return score_links(got, want).f1


def main() -> None:
    nlp = load_pipeline()
    lexicon = load_lexicon()
    clean = parse((LAYOUTS / "clean.txt").read_text("utf-8"), nlp)
    names = sorted(p.name.split(".")[0] for p in LAYOUTS.glob("*.gold.tsv"))
    print("## Per layout (target >= 0.95 on each figure)")
    header = f"{'layout':11} {'seg F1':>7} {'locator':>8} " + " ".join(f"{t[:8] + ' P/R':>15}" for t in THEMES)
    print(header + f" {'vs clean':>9} {'years':>6}")
    for name in names:
        want = gold(name)
        parsed = parse((LAYOUTS / f"{name}.txt").read_text("utf-8"), nlp)
        seg = segmentation_f1([s.text for s in parsed.sentences], [s for s, _, _ in want])
        loc = locator_accuracy(parsed, want)
        totals: dict[str, Counter[str]] = {t: Counter() for t in THEMES}
        theme_counts(parsed, want, lexicon, nlp, totals)
        themes = " ".join(f"{prf(totals[t])[0]:7.3f}/{prf(totals[t])[1]:.3f}" for t in THEMES)
        if name in ("american", "runon"):
            versus = "   (below)"
        else:
            links = [Link(k.kind, tuple(k.left), tuple(k.right), k.similarity) for k in align_parsed(clean, parsed)]
            versus = f"{score_links(links, identity_gold(clean, parsed)).f1:9.3f}"
        years = f"{year_pairs(name, nlp):6.3f}" if name in ("clean", "singleline", "wrapped", "indented") else "     -"
        print(f"{name:11} {seg:7.3f} {loc:8.3f} {themes} {versus} {years}")
    print("\n## The seven MCO texts re-laid out (their hand-labelled sentences): segmentation F1 / link F1 across years")
    for layout in ("singleline", "wrapped", "indented", "tight"):
        print(f"{layout:11} {mco_segmentation(layout, nlp):7.3f} {year_pairs(layout, nlp):7.3f}")
    f1, same = spelling_same(nlp)
    print(f"\n## American copy of a British text: link F1 {f1:.3f}, share of spelling-only links reported same {same:.3f}")
    print(f"## Run-on preamble edition against the split one: link F1 {runon_f1(nlp):.3f}")


if __name__ == "__main__":
    main()
