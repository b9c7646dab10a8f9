"""Site build speed and memory as the corpus grows, plus the compare and analysis speed ratios.

Prints, for generated fictional corpora of N declarations (default N = 6, 100, 1000):
  cold build seconds, warm (nothing changed) rebuild seconds and the cold/warm ratio, the rebuild after
  one more declaration is added (what a new summit costs), seconds per page, peak memory of the build;
  then the growth ratio of each N above 100 to N=100 (issue #10: 1,000 vs 100 <= 11x, i.e. linear; for
  another N the same 10% over linear, e.g. 300 vs 100 <= 3.3x).
Each N runs in a fresh subprocess so peak memory is that build's own. Then, in this process, the compare
speed for a 3,000- and a 50,000-word pair against difflib.HtmlDiff (bench_compare.speed) and the analysis
speed in words per second against a plain read of the texts (bench_themes.speed).
Usage: python benchmarks/bench_site.py [--sizes 6,100,1000] [--words 800] [--site-only]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def one_size(n: int, words: int) -> dict:
    """Runs inside the child: generate, build cold, build warm; report times and peak RSS."""
    import datetime as dt
    import random

    from corpus_gen import declaration_text, generate

    from sco_decl.analysis.lexicon import load_lexicon
    from sco_decl.analysis.pipeline import load_pipeline
    from sco_decl.site.build import build_site

    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate(Path(tmp) / "texts", n, words)
        nlp, lexicon = load_pipeline(), load_lexicon()
        started, cpu = time.perf_counter(), time.process_time()
        report = build_site(corpus, Path(tmp) / "site", lexicon=lexicon, nlp=nlp)
        cold, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        again = build_site(corpus, Path(tmp) / "site", lexicon=lexicon, nlp=nlp)
        warm = time.perf_counter() - started
        year = 1001 + n  # the next summit after the generated ones
        corpus.new_declaration(f"{year}-lisk", title=f"Declaration of Lisk {year}", date=dt.date(year, 6, 15),
                               place="Lisk")
        corpus.add(f"{year}-lisk", "secretariat", declaration_text(random.Random(n), year, "Lisk", words),
                   source="generated")
        started = time.perf_counter()
        build_site(corpus, Path(tmp) / "site", lexicon=lexicon, nlp=nlp)
        added = time.perf_counter() - started
    return {"n": n, "pages": report.pages, "cold": cold, "cold_cpu": cold_cpu, "warm": warm, "added": added,
            "remade": len(again.build.made),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="6,100,1000")
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--site-only", action="store_true", help="skip the compare and analysis figures")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_size(args.child, args.words)))
        return
    print(f"{'N':>6} {'pages':>6} {'cold s':>8} {'cpu s':>8} {'warm s':>8} {'cold/warm':>9} {'+1 decl s':>9} "
          f"{'ms/page':>8} {'peak MB':>8}")
    results = {}
    for n in [int(x) for x in args.sizes.split(",")]:
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--words", str(args.words)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results[n] = r
        print(f"{n:>6} {r['pages']:>6} {r['cold']:>8.2f} {r['cold_cpu']:>8.2f} {r['warm']:>8.2f} "
              f"{r['cold'] / r['warm']:>9.1f} {r['added']:>9.2f} {1000 * r['cold'] / r['pages']:>8.1f} "
              f"{r['peak_mb']:>8.0f}", flush=True)
    for n in sorted(k for k in results if k > 100 and 100 in results):
        growth = results[n]["cold"] / results[100]["cold"]
        cpu = results[n]["cold_cpu"] / results[100]["cold_cpu"]
        print(f"growth N={n}/N=100: {growth:.1f}x wall, {cpu:.1f}x CPU of the build process (target <= "
              f"{1.1 * n / 100:.1f}x: linear; on a shared machine the CPU figure is the steady one)")
    if 6 in results:
        print(f"six-declaration cold build: {results[6]['cold']:.2f}s (target < 10s); "
              f"warm rebuild {results[6]['cold'] / results[6]['warm']:.1f}x faster (target >= 5x)")
    if 1000 in results:
        print(f"peak memory N=1000: {results[1000]['peak_mb']:.0f} MB (target < 1024 MB)")
    if not args.site_only:
        other_figures()


def other_figures() -> None:
    """Compare and analysis speed, each against its baseline, from the benchmarks that own them."""
    import bench_compare
    import bench_themes

    from sco_decl.analysis.lexicon import load_lexicon
    from sco_decl.analysis.pipeline import load_pipeline

    nlp = load_pipeline()
    print("\ncompare (after the pipeline loaded; ratio = ours / difflib.HtmlDiff on the same sentences):")
    for words in (3000, 50000):
        bench_compare.speed(nlp, words, 3 if words < 10000 else 1)
    print("\nanalysis (200 generated declarations):")
    bench_themes.speed(200, 1000, nlp, load_lexicon())


if __name__ == "__main__":
    main()
