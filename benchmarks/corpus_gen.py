"""Generate a fictional corpus of N declarations in the store's format, for benchmarks.

The organisation, states and cities are invented (the Meridian Cooperation Organization); sentences are
assembled from a small bank of fictional clauses with a seeded random generator, so runs are repeatable.
Usage: python benchmarks/corpus_gen.py OUT_DIR N [--words W]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sco_decl.store.corpus import Corpus  # noqa: E402

CITIES = ["Port Alder", "Kestrel", "Valmora", "Tessaly", "Ombrin", "Lisk", "Harrowgate", "Dunmere", "Caskell",
          "Orrin Bay", "Selwick", "Marrowdale"]
STATES = ["Arvalia", "Brenmark", "Calderra", "Dovrenia", "Estmarch", "Fenwyn", "Galicor"]
SUBJECTS = ["The Member States", "The heads of state", "The parties", "The leaders of {s} and {t}",
            "The Council of Ministers", "The Secretariat", "The delegations"]
VERBS = ["reaffirm", "stress", "note with satisfaction", "agree to strengthen", "call for", "welcome",
         "support", "underline", "resolve to develop", "express concern about"]
OBJECTS = [
    "respect for the sovereignty and territorial integrity of every state",
    "non-interference in the internal affairs of one another",
    "a multipolar world in which no single power claims a monopoly on world affairs",
    "joint efforts against terrorism, separatism and extremism in all their forms",
    "the central role of the United Nations in keeping international peace",
    "closer cooperation in trade, transport, energy and investment",
    "the fight against illicit drug trafficking along the northern routes",
    "the right of each people to choose its own path of development",
    "a just and rational international order",
    "regular joint anti-terrorist exercises of their competent services",
    "the timely withdrawal of foreign military bases from the region",
    "the spirit of mutual trust, mutual benefit, equality and consultation",
    "new scholarships for students from {s} and {t}",
    "a regional fund for flood relief in the valleys of {s}",
    "a rail corridor between {c} and {d}",
    "the exchange of archives between the national libraries of {s} and {t}",
    "sovereign debt markets and their effect on small economies",
    "research in the polar regions and in mountain glaciers",
    "the protection of rare birds along the {c} wetlands",
    "common standards for radio interference in border areas",
]
TAILS = ["", " in the coming years", " as a matter of priority", " on the basis of equality",
         " within the framework of the Organization", " before the next summit in {c}"]


def sentence(rng: random.Random) -> str:
    s, t = rng.sample(STATES, 2)
    c, d = rng.sample(CITIES, 2)
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
    return text.format(s=s, t=t, c=c, d=d)


def declaration_text(rng: random.Random, year: int, city: str, words: int) -> str:
    """Title, place line, then Roman-numbered sections of numbered paragraphs until `words` is reached."""
    parts = [f"Declaration of the Heads of State of the Meridian Cooperation Organization ({year})",
             f"{city}, {rng.randint(1, 28)} June {year}"]
    count, section, point = 0, 0, 0
    numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    while count < words:
        if point % 6 == 0:
            parts.append(numerals[section % len(numerals)])
            section += 1
        point += 1
        para = " ".join(sentence(rng) for _ in range(rng.randint(1, 4)))
        count += len(para.split())
        parts.append(f"{point}. {para}")
    return "\n\n".join(parts) + "\n"


def generate(root: Path, n: int, words: int = 1000, seed: int = 2001) -> Corpus:
    """Write N declarations (one per year from 1001 on, so dates stay valid for any N)."""
    rng = random.Random(seed)
    corpus = Corpus.open(root)
    for i in range(n):
        year = 1001 + i
        city = CITIES[i % len(CITIES)]
        ident = f"{year}-{city.lower().replace(' ', '-')}"
        corpus.new_declaration(ident, title=f"Declaration of {city} {year}", date=dt.date(year, 6, 15), place=city,
                               signatories=[f"Head of State of {s}" for s in STATES[:6]])
        corpus.add(ident, "secretariat", declaration_text(rng, year, city, words), source="generated")
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--words", type=int, default=1000)
    args = parser.parse_args()
    generate(args.out, args.n, args.words)
    print(f"wrote {args.n} declarations to {args.out}")


if __name__ == "__main__":
    main()
