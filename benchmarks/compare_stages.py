"""Where a cold `sco-decl compare A B --format json` spends its time, stage by stage, in one fresh process.

Run by bench_startup.py in a child (so every import is paid, as in the command); prints one JSON object of
seconds per stage. It follows the command's path (the CLI module, one Workspace, compare_documents, the
JSON renderer) with a clock between the stages; the parse cache of the corpus is dropped first, the
compiled-lexicon cache in the user's cache folder is kept (as the cold figure keeps it).
Usage: python benchmarks/compare_stages.py TEXTS REF_A REF_B
"""
from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()


def main() -> None:
    texts, ref_a, ref_b = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    shutil.rmtree(texts / ".cache", ignore_errors=True)
    seconds: dict[str, float] = {}
    mark = [STARTED]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        seconds[stage] = round(now - mark[0], 4)
        mark[0] = now

    import sco_decl.cli  # noqa: F401  (what `python -m sco_decl` imports before any command runs)
    lap("import the CLI (click, store, workspace)")
    from sco_decl.compare.comparison import compare_documents
    from sco_decl.outputs.formats import render_comparison
    lap("import compare and its renderers (textdistance, numpy)")
    import spacy  # noqa: F401
    lap("import spaCy")
    from sco_decl.store.corpus import Corpus
    from sco_decl.workspace import Workspace

    workspace = Workspace(Corpus.open(texts))
    lexicon = workspace.lexicon
    lap("load the lexicon")
    nlp = workspace.pipeline("en")
    lap("load the pipeline (lemma table)")
    from sco_decl.analysis.patterns import compiled

    compiled(lexicon, nlp)
    lap("build the PhraseMatchers (wordings from the disk cache)")
    left, right = workspace.document(ref_a), workspace.document(ref_b)
    lap("parse and match both texts, write the parse cache")
    comparison = compare_documents(workspace, left, right)
    lap("compare (align, word diffs, phrases, theme rates)")
    render_comparison(comparison, "json")
    lap("render the JSON")
    print(json.dumps(seconds))


if __name__ == "__main__":
    main()
