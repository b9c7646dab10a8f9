"""Start-up and whole-command figures of the architecture issue, each as a ratio to a baseline run in this script.

Whole processes are timed (median of --runs after one warm-up, baseline and command alternating, so a
drift of the machine's speed hits both):
  1. `sco-decl --help` and `sco-decl list --format json` vs `python -c "import click, jinja2"` (target <= 3x);
  2. compare of two analysed 3,000-word texts vs `python -c "import spacy"` (<= 1.0x);
  3. cold compare of the same texts (no cache) vs `python -c "import spacy, jinja2, click, textdistance"`
     (<= 1.5x). "Cold" drops the corpus's parse cache (<texts>/.cache) before each run, so both texts are
     parsed and matched again and spaCy loads; the compiled-lexicon cache (each pattern's expanded
     wordings, keyed by the lexicon's sha256, the tool version and patterns.py's code) lives in the user's
     cache folder (platformdirs' user_cache_dir("sco-decl")/lexicons, or $SCO_DECL_CACHE) and is kept,
     as it is when a user clears a corpus's cache. Then a fresh process times each stage of the cold
     command (benchmarks/compare_stages.py), to show where the time above the imports goes;
then in this process:
  4. themes over N declarations without a cache vs a bare `nlp.pipe` over the same texts (<= 1.2x), against
     two baselines: spaCy's own blank English pipeline (its `sentencizer` and lookup `lemmatizer`, the
     pipeline the design card names: what "spaCy alone" costs), and, stricter, the same pipe with our own
     sentence and lemma components, which are several times faster than spaCy's and which our side runs
     too (so speeding them up raises that ratio while it lowers our time);
and, with --site (or alone with --only site), a site build of 1,000 declarations vs 100 (<= 11x; slow:
each size builds once, in a child process), in wall time and in CPU time of the build process.
Usage: python benchmarks/bench_startup.py [--runs 5] [--themes-n 1000] [--site] [--only themes|site]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
CLI = [sys.executable, "-m", "sco_decl"]


def wall(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def paired(cmd: list[str], baseline: list[str], runs: int, before: list[str] | None = None) -> tuple[float, float, float]:
    """Median seconds of the command and the baseline, and the median of the per-pair ratios. `before` runs
    (untimed) ahead of every command run, e.g. to drop a cache."""
    wall(baseline)
    if before:
        wall(before)
    wall(cmd)
    mine, base, ratios = [], [], []
    for _ in range(runs):
        if before:
            wall(before)
        a = wall(cmd)
        b = wall(baseline)
        mine.append(a)
        base.append(b)
        ratios.append(a / b)
    return statistics.median(mine), statistics.median(base), statistics.median(ratios)


def line(what: str, figures: tuple[float, float, float], target: float) -> None:
    mine, base, ratio = figures
    print(f"  {what:<58} {mine:6.2f}s vs {base:6.2f}s = {ratio:5.2f}x (target <= {target}x)")


def startup(runs: int, texts: Path) -> None:
    print("start-up (whole processes, medians)")
    click_jinja = [sys.executable, "-c", "import click, jinja2"]
    line("sco-decl --help vs import click, jinja2", paired(CLI + ["--help"], click_jinja, runs), 3)
    line("sco-decl list --format json vs import click, jinja2",
         paired(CLI + ["--texts", str(texts), "list", "--format", "json"], click_jinja, runs), 3)


def compare_figures(runs: int, texts: Path) -> None:
    print("compare of two 3,000-word texts")
    compare = CLI + ["--texts", str(texts), "compare", "1001", "1002", "--format", "json"]
    subprocess.run(CLI + ["--texts", str(texts), "themes", "1001", "1002"], env=ENV, check=True,
                   stdout=subprocess.DEVNULL)  # analysed once: the parse cache holds both
    line("analysed texts vs import spacy", paired(compare, [sys.executable, "-c", "import spacy"], runs), 1.0)
    drop = [sys.executable, "-c", f"import shutil; shutil.rmtree({str(texts / '.cache')!r}, ignore_errors=True)"]
    heavy = [sys.executable, "-c", "import spacy, jinja2, click, textdistance"]
    line("cold (no cache) vs import spacy, jinja2, click, textdistance", paired(compare, heavy, runs, drop), 1.5)
    stages = [json.loads(subprocess.run([sys.executable, str(ROOT / "benchmarks" / "compare_stages.py"), str(texts),
                                         "1001", "1002"], env=ENV, capture_output=True, text=True,
                                        check=True).stdout) for _ in range(runs)]
    print("  where a cold compare goes (fresh process, median seconds per stage)")
    for stage in stages[0]:
        print(f"    {stage:<62} {statistics.median(s[stage] for s in stages):6.3f}s")


def themes_figure(n: int, rounds: int = 3) -> None:
    """The Workspace's analysis without a cache (parse, structure, match, count) against spaCy alone on the
    same texts: spaCy's stock pipeline on the stored texts, and our pipeline on the recovered paragraphs."""
    import spacy
    from corpus_gen import generate

    from sco_decl.analysis.pipeline import load_pipeline
    from sco_decl.analysis.structure import blocks
    from sco_decl.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate(Path(tmp) / "texts", n, words=1000)
        nlp = load_pipeline()
        stock = spacy.blank("en")
        stock.add_pipe("sentencizer")
        stock.add_pipe("lemmatizer", config={"mode": "lookup"})
        stock.initialize()
        revisions = corpus.texts_present()
        stored = [corpus.read_text(r) for r in revisions]
        texts = ["\n\n".join(b.text for b in blocks(text)) for text in stored]
        for pipeline in (nlp, stock):
            for _ in pipeline.pipe(texts[:5]):
                pass
        # Rounds alternate the three sides (a drift of the machine's speed hits all); each round has a
        # fresh Workspace, as a command has, warmed on the first text (compiling the lexicon is a one-off per
        # process, not per text), so every side measures the other n - 1.
        figures: dict[str, list[tuple[float, float]]] = {"stock": [], "ours-pipe": [], "ours": []}
        for _ in range(rounds):
            workspace = Workspace(corpus, nlp=nlp, use_cache=False)
            workspace.analysis(revisions[0])
            for name, run in (("stock", lambda: [None for _ in stock.pipe(stored[1:])]),
                              ("ours-pipe", lambda: [None for _ in nlp.pipe(texts[1:])]),
                              ("ours", lambda: workspace.analyses(revisions[1:]))):  # as `sco-decl themes`
                started, cpu = time.perf_counter(), time.process_time()
                run()
                figures[name].append((time.perf_counter() - started, time.process_time() - cpu))
    print(f"themes over {n} declarations, no cache (median of {rounds} rounds)")
    ours = figures["ours"]
    for name, label in (("stock", "spaCy's stock pipe (sentencizer, lookup lemmas)"),
                        ("ours-pipe", "our pipe (our faster components)")):
        bare = figures[name]
        for kind, k in (("wall", 0), ("CPU", 1)):  # on a shared machine wall time also counts waits for a core
            mine, base = [o[k] for o in ours], [b[k] for b in bare]
            ratio = statistics.median(a / b for a, b in zip(mine, base))
            what = f"Workspace.analyses vs {label}" if k == 0 else "  the same in CPU time of this process"
            line(what, (statistics.median(mine), statistics.median(base), ratio), 1.2)


def site_figure() -> None:
    """Each size in a fresh child (bench_site.one_size): generate, build cold, build warm."""
    import json

    seconds, cpu = {}, {}
    for n in (100, 1000):
        done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_site.py"), "--child", str(n), "--words", "800"],
                              env=ENV, capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        seconds[n], cpu[n] = result["cold"], result["cold_cpu"]
    print("site build, cold")
    line("1,000 declarations vs 100", (seconds[1000], seconds[100], seconds[1000] / seconds[100]), 11)
    # CPU time as well: on a machine shared with other work, wall time also counts the waits for a core
    line("  the same in CPU time of the build process", (cpu[1000], cpu[100], cpu[1000] / cpu[100]), 11)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--themes-n", type=int, default=1000)
    parser.add_argument("--site", action="store_true", help="also the 1,000 vs 100 site build (minutes)")
    parser.add_argument("--only", choices=["themes", "site"], help="just one figure (e.g. the in-process themes one)")
    args = parser.parse_args()
    if args.only == "themes":
        themes_figure(args.themes_n)
        return
    if args.only == "site":
        site_figure()
        return
    from corpus_gen import generate

    tmp = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        texts = tmp / "texts"
        generate(texts, 2, words=3000)
        startup(args.runs, texts)
        compare_figures(args.runs, texts)
        themes_figure(args.themes_n)
        if args.site:
            site_figure()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
