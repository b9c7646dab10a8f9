"""Kill `add` and `site` at random moments (SIGKILL), then show that `check` ends clean and nothing is lost.

For `add`: a fictional text is added N times, each run killed after a random delay drawn from the run time
of an uncut `add` measured first in the same script (half the delays anywhere in the run, half in its last
fifth, where the writes happen). Afterwards every text whose `add` finished must be stored and verified,
`check` lists what the kills left, `check --repair` cleans it, and a second `check` must pass.

For `site`: the site is built once, then rebuilt N times after a new revision, each build killed after a
random delay from the measured build time. After each kill the site folder must still be a complete site
(every file of its manifest present, nothing else) and only the fixed work folders may be left beside it;
the next build must remove them.

Usage: python benchmarks/kill_loop.py [--adds 30] [--sites 6] [--seed 1]
Prints counts only; nothing here asserts, so the figures can be read on any machine (non-zero "lost" or
"incomplete" figures are failures of the guarantees in the README).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
PLACES = ["Port Alder", "Kestrel", "Valmora", "Tessaly", "Ombrin", "Lisk", "Harrowgate"]
STATES = ["Arvalia", "Brenmark", "Calderra", "Dovrenia", "Estmarch", "Fenwyn", "Galicor"]


def cli(texts: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "sco_decl", "--texts", str(texts), *args]


def run(texts: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli(texts, *args), capture_output=True, text=True, env=ENV)


def fictional_text(seed: int, paragraphs: int) -> str:
    rng = random.Random(seed)
    out = [f"Declaration of the Heads of State of the Meridian Cooperation Organization, text {seed}."]
    for i in range(paragraphs):
        a, b = rng.sample(STATES, 2)
        out.append(f"{i + 1}. The member states, meeting in {rng.choice(PLACES)}, reaffirmed respect for the "
                   f"sovereignty of {a} and {b}, non-interference in internal affairs and the settlement of "
                   f"disputes by peaceful means, and agreed to meet again in {rng.choice(PLACES)} ({seed}-{i}).")
    return "\n\n".join(out) + "\n"


def started_and_killed(cmd: list[str], delay: float) -> tuple[bool, float]:
    """Run `cmd`, SIGKILL it after `delay` seconds; (finished before the kill, seconds it ran)."""
    began = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV,
                             start_new_session=True)
    try:
        child.wait(timeout=delay)
        return child.returncode == 0, time.perf_counter() - began
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        return False, time.perf_counter() - began


def stored_hashes(texts: Path) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in texts.glob("*/*/r*.txt")}


def delays(rng: random.Random, n: int, full: float) -> list[float]:
    """Half anywhere in the run, half in its last fifth (where the writes are)."""
    return [rng.uniform(0.0, full * 1.05) if i % 2 == 0 else rng.uniform(full * 0.8, full * 1.05) for i in range(n)]


def add_loop(base: Path, n: int, rng: random.Random) -> dict[str, object]:
    texts = base / "texts"
    run(texts, "new", "2011-port-alder", "--title", "Founding Declaration", "--date", "2011-06-14",
        "--place", "Port Alder")
    sources = []
    for i in range(n + 1):
        path = base / f"text-{i}.txt"
        path.write_text(fictional_text(i, 9000), "utf-8")  # ~2.5 MB: the write is a real share of the run
        sources.append(path)
    began = time.perf_counter()
    assert run(texts, "add", str(sources[0]), "--to", "2011", "--edition", "secretariat").returncode == 0
    full = time.perf_counter() - began
    finished: list[str] = [hashlib.sha256(sources[0].read_bytes()).hexdigest()]
    killed = 0
    for source, delay in zip(sources[1:], delays(rng, n, full)):
        done, _ = started_and_killed(cli(texts, "add", str(source), "--to", "2011", "--edition", "secretariat"),
                                     delay)
        if done:
            finished.append(hashlib.sha256(source.read_bytes()).hexdigest())
        else:
            killed += 1
    found = run(texts, "check")
    kinds: dict[str, int] = {}
    for line in found.stdout.splitlines():
        if line.startswith("ok:"):
            continue
        kinds[line.split(":")[0]] = kinds.get(line.split(":")[0], 0) + 1
    repaired = run(texts, "check", "--repair")
    final = run(texts, "check")
    stored = stored_hashes(texts)
    return {"runs": n, "uncut add (s)": round(full, 2), "killed": killed, "finished": len(finished) - 1,
            "revisions stored": len(list(texts.glob("*/*/r*.toml"))),
            "check found": ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "nothing",
            "repaired": sum(line.startswith("repaired:") for line in repaired.stdout.splitlines()),
            "check after repair": "clean" if final.returncode == 0 else final.stdout.strip(),
            "finished texts lost": sum(h not in stored for h in finished)}


def site_complete(out: Path) -> bool:
    """Every file the manifest lists is there, nothing else, and the manifest says the build completed."""
    try:
        manifest = json.loads((out / ".sco-decl-site.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} - {".sco-decl-site.json"}
    return manifest.get("complete") is True and set(manifest["files"]) == on_disk


def site_loop(base: Path, n: int, rng: random.Random) -> dict[str, object]:
    texts = base / "site-texts"
    for year, place in ((2011, "Port Alder"), (2012, "Kestrel"), (2013, "Valmora")):
        ident = f"{year}-{place.lower().replace(' ', '-')}"
        run(texts, "new", ident, "--title", f"{place} Declaration", "--date", f"{year}-06-14", "--place", place)
        source = base / f"{ident}.txt"
        source.write_text(fictional_text(year, 40), "utf-8")
        run(texts, "add", str(source), "--to", ident, "--edition", "secretariat")
    out = base / "out" / "site"
    out.parent.mkdir()
    began = time.perf_counter()
    assert run(texts, "site", "-o", str(out)).returncode == 0
    full = time.perf_counter() - began
    intact = incomplete = litter_after_kill = litter_after_build = killed = 0
    for i, delay in enumerate(delays(rng, n, full)):
        source = base / f"edit-{i}.txt"
        source.write_text(fictional_text(5000 + i, 40), "utf-8")
        run(texts, "add", str(source), "--to", "2012", "--edition", "secretariat")
        done, _ = started_and_killed(cli(texts, "site", "-o", str(out)), delay)
        killed += not done
        litter_after_kill += len([p for p in out.parent.iterdir() if p.name != "site"])
        if out.exists() and site_complete(out):
            intact += 1
        elif not out.exists() and (out.parent / ".site.sco-decl-old").exists():
            intact += 1  # killed between the two renames (no atomic exchange): the next build restores it
        else:
            incomplete += 1
        rebuilt = run(texts, "site", "-o", str(out))
        if rebuilt.returncode != 0 or not site_complete(out):
            incomplete += 1
        litter_after_build += len([p for p in out.parent.iterdir() if p.name != "site"])
    return {"runs": n, "uncut build (s)": round(full, 2), "killed": killed,
            "site complete after the kill": intact, "incomplete or lost": incomplete,
            "work folders left by kills": litter_after_kill, "left after the next build": litter_after_build,
            "check after all": "clean" if run(texts, "check").returncode == 0 else "problems"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=30)
    parser.add_argument("--sites", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        for name, loop, n in (("add", add_loop, args.adds), ("site", site_loop, args.sites)):
            figures = loop(Path(tmp), n, rng)
            print(f"\nkills of `{name}`")
            for key, value in figures.items():
                print(f"  {key:<30} {value}")


if __name__ == "__main__":
    main()
