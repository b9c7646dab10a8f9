"""Scoring the lexicon against hand labels: precision and recall per theme, sentence by sentence.

Labels are a TSV (`doc<TAB>sentence<TAB>themes`, themes comma-separated) with one row per sentence; they are
aligned to the parsed sentences by sentence text, so a label file stays valid when offsets change. The TSV
holds raw quotes, so it is split on tabs and never read with a CSV quoting dialect.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from sco_decl.errors import InputError


@dataclass(frozen=True)
class Label:
    doc: str
    sentence: str
    themes: frozenset[str]


@dataclass
class Score:
    theme: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


def read_labels(paths: Iterable[Path]) -> list[Label]:
    out = []
    for path in paths:
        lines = path.read_text("utf-8").splitlines()
        if not lines or lines[0].split("\t")[:3] != ["doc", "sentence", "themes"]:
            raise InputError(f"{path}: the first line must be the header doc<TAB>sentence<TAB>themes")
        for number, line in enumerate(lines[1:], 2):
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise InputError(f"{path}:{number}: expected doc<TAB>sentence<TAB>themes")
            themes = parts[2] if len(parts) > 2 else ""
            out.append(Label(parts[0], parts[1], frozenset(t.strip() for t in themes.split(",") if t.strip())))
    return out


def score(labels: Sequence[Label], predicted: Mapping[tuple[str, str], set[str]],
          themes: Sequence[str]) -> dict[str, Score]:
    """Per theme, compare labelled and predicted sentences; `predicted` maps (doc, sentence text) -> themes."""
    scores = {t: Score(t) for t in themes}
    for label in labels:
        got = predicted.get((label.doc, label.sentence))
        if got is None:
            raise InputError(f"label for {label.doc} has no matching sentence (segmentation differs?): "
                             f"{label.sentence[:80]!r}")
        for theme in themes:
            want, have = theme in label.themes, theme in got
            s = scores[theme]
            if want and have:
                s.tp += 1
            elif have:
                s.fp += 1
                s.false_positives.append(f"{label.doc}: {label.sentence}")
            elif want:
                s.fn += 1
                s.false_negatives.append(f"{label.doc}: {label.sentence}")
    return scores
