"""The parallel fictional texts of tests/fixtures/multilingual and their gold alignments, read once for the
tests and the benchmark (bench_languages.py imports this module)."""
from __future__ import annotations

from pathlib import Path

from sco_decl.analysis.languages import load_pipeline
from sco_decl.analysis.pipeline import ParsedText, parse
from sco_decl.compare.align import Link, read_gold

FIXTURES = Path(__file__).parent / "fixtures"
MULTI = FIXTURES / "multilingual"
GOLD = sorted(MULTI.glob("align-*.tsv"))
ENGLISH = {"2017-lisk": "en", "2013-valmora": "secretariat"}  # the English edition each original is paired with


def text_path(name: str) -> Path:
    """`2017-lisk@ru` -> its file (the English MCO texts live in fixtures/mco/texts)."""
    path = MULTI / f"{name}.txt"
    return path if path.exists() else FIXTURES / "mco" / "texts" / f"{name}.txt"


def language(name: str) -> str:
    edition = name.split("@")[1]
    return edition if edition in ("ru", "zh") else "en"


def parsed(name: str, text: str | None = None) -> ParsedText:
    return parse(text if text is not None else text_path(name).read_text("utf-8"), load_pipeline(language(name)))


def gold_pair(path: Path, transform=None) -> tuple[ParsedText, ParsedText, str, str, list[Link]]:  # type: ignore[no-untyped-def]
    """Both texts of a gold file (optionally transformed, e.g. numbers stripped) and the gold links."""
    a, b = path.stem[len("align-"):].split("--")
    texts = [text_path(n).read_text("utf-8") for n in (a, b)]
    if transform is not None:
        texts = [transform(t) for t in texts]
    left, right = parsed(a, texts[0]), parsed(b, texts[1])
    gold = read_gold(path.read_text("utf-8"), [s.text for s in left.sentences], [s.text for s in right.sentences])
    return left, right, language(a), language(b), gold


def composed_gold(doc: str) -> tuple[list[Link], ParsedText, ParsedText]:
    """ru-zh gold: the ru-en and zh-en links that share an English sentence, joined (links with both sides)."""
    parts = {}
    for lang in ("ru", "zh"):
        left, _, _, _, gold = gold_pair(MULTI / f"align-{doc}@{lang}--{doc}@{ENGLISH[doc]}.tsv")
        parts[lang] = (left, [(set(g.left), set(g.right)) for g in gold if g.left and g.right])
    merged: list[tuple[set[int], set[int]]] = []
    for ru_set, en_set in parts["ru"][1]:
        zh_set = set().union(*[z for z, e in parts["zh"][1] if e & en_set])
        for other in merged:
            if other[0] & ru_set or other[1] & zh_set:
                other[0].update(ru_set)
                other[1].update(zh_set)
                break
        else:
            merged.append((set(ru_set), set(zh_set)))
    gold = [Link("changed", tuple(sorted(a)), tuple(sorted(b)), 1.0) for a, b in merged if a and b]
    return gold, parts["ru"][0], parts["zh"][0]
