"""The theme lexicon: which wordings count for which theme, read from TOML and checked before use.

The shipped lexicon (sco_decl/data/themes.toml) and a user's `--themes FILE` are read by the same code. A
user's theme with a new id is added; one with a shipped id replaces it, or with `extend = true` adds its
patterns and exclusions to the shipped ones. Every error names the file, the theme and the pattern at fault,
because a lexicon is hand-written and a silent mistake would skew every count.

The pattern syntax is SYNTAX below (compiled by sco_decl.analysis.patterns).
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from sco_decl.analysis.patterns import CompiledCache, check_theme
from sco_decl.errors import LexiconError, NotFoundError

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "themes.toml"
SYNTAX = """Pattern syntax (one wording per string; a match overlapping an exclusion of its theme is dropped):
  word              any inflection of the word, any case ("affair" matches "Affairs")
  =word             exactly this form, any case
  Word, UN, U.N.    a word with a capital letter matches exactly that spelling
  non-interference  a hyphenated word also matches "noninterference" and "non interference"
  a|b|c             one of several words
  [a b|c d]         optional words (alternatives separated by |); (a b|c d): one of them, required
  ...   ...5        up to 3 (or 5, at most 15) other words in between, within the same sentence"""
ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_THEME_KEYS = {"id", "label", "description", "colour", "patterns", "exclusions", "all_of", "extend", "examples",
               "near_misses"}


class UnknownThemeError(NotFoundError):
    """A theme id that the lexicon in force does not define."""


@dataclass(frozen=True)
class Theme:
    """One theme: what it counts (patterns), what it must not count (exclusions), and how to show it.

    `all_of` names other themes that, all found in one sentence, also count for this one (the "three evils").
    `origin` says which file(s) the theme came from.
    """

    id: str
    label: str
    description: str
    colour: str
    patterns: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    origin: str = ""
    examples: tuple[str, ...] = ()  # sentences that carry the theme (the codebook; tests check they match)
    near_misses: tuple[str, ...] = ()  # sentences that look like it and do not (checked not to match)

    def matching_dict(self) -> dict[str, Any]:
        """The parts that decide what matches (a changed label must not invalidate cached matches)."""
        return {"id": self.id, "patterns": list(self.patterns), "exclusions": list(self.exclusions),
                "all_of": list(self.all_of)}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.label, "description": self.description,
                               "colour": self.colour, "patterns": list(self.patterns)}
        if self.exclusions:
            out["exclusions"] = list(self.exclusions)
        if self.all_of:
            out["all_of"] = list(self.all_of)
        if self.examples:
            out["examples"] = list(self.examples)
        if self.near_misses:
            out["near_misses"] = list(self.near_misses)
        return out


@dataclass(frozen=True)
class Lexicon:
    """The themes in force, in order, and the files they were read from."""

    themes: tuple[Theme, ...]
    sources: tuple[str, ...] = field(default=())

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def get(self, ident: str) -> Theme:
        for theme in self.themes:
            if theme.id == ident:
                return theme
        raise UnknownThemeError(f"unknown theme {ident!r}; known themes: {', '.join(self.ids)} "
                                "(`sco-decl lexicon` lists them)")

    def select(self, ids: Iterable[str]) -> list[Theme]:
        """The named themes in the order given (all themes if none are named); unknown ids are an error."""
        ids = list(ids)
        return [self.get(i) for i in dict.fromkeys(ids)] if ids else list(self.themes)

    @cached_property
    def sha256(self) -> str:
        """Hash of everything in the lexicon (outputs name it as provenance); made once, as every
        document's provenance and cache key ask for it."""
        return _digest([t.to_dict() for t in self.themes])

    @cached_property
    def match_sha256(self) -> str:
        """Hash of only what decides matches: the cache key, so a relabelled theme keeps its cache."""
        return _digest([t.matching_dict() for t in self.themes])


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}: '{key}' must be a list of strings")
    return tuple(" ".join(v.split()) for v in value)


def _theme(data: Any, where: str, origin: str) -> tuple[Theme, bool]:
    """One [[theme]] table -> (Theme, extend flag), with the checks that need no other theme."""
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: each [[theme]] must be a table")
    ident = data.get("id")
    if not isinstance(ident, str) or not ID_RE.match(ident):
        raise LexiconError(f"{where}: 'id' is missing or not of the form a-z0-9- (e.g. non-interference)")
    where = f"{where} (theme {ident})"
    unknown = sorted(set(data) - _THEME_KEYS)
    if unknown:
        raise LexiconError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_THEME_KEYS))}")
    extend = data.get("extend", False)
    if not isinstance(extend, bool):
        raise LexiconError(f"{where}: 'extend' must be true or false")
    strings = {}
    for key in ("label", "description", "colour"):
        value = data.get(key, "")
        if not isinstance(value, str):
            raise LexiconError(f"{where}: '{key}' must be a string")
        strings[key] = value.strip()
    if not extend:
        for key in ("label", "colour"):
            if not strings[key]:
                raise LexiconError(f"{where}: '{key}' is missing")
    if strings["colour"] and not COLOUR_RE.match(strings["colour"]):
        raise LexiconError(f"{where}: colour {strings['colour']!r} is not of the form #rrggbb")
    theme = Theme(id=ident, label=strings["label"], description=strings["description"],
                  colour=strings["colour"], patterns=_strings(data.get("patterns"), where, "patterns"),
                  exclusions=_strings(data.get("exclusions"), where, "exclusions"),
                  all_of=_strings(data.get("all_of"), where, "all_of"), origin=origin,
                  examples=_strings(data.get("examples"), where, "examples"),
                  near_misses=_strings(data.get("near_misses"), where, "near_misses"))
    if not theme.patterns and not theme.all_of and not extend:
        raise LexiconError(f"{where}: it has no patterns (and no all_of); give at least one pattern")
    return theme, extend


def read_file(path: Path) -> list[tuple[Theme, bool]]:
    """The themes of one lexicon file, checked one by one."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise LexiconError(f"{path}: lexicon file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read the lexicon file ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path}: not valid TOML ({exc})") from exc
    themes = data.get("theme")
    if not isinstance(themes, list) or not themes:
        raise LexiconError(f"{path}: no [[theme]] tables found")
    out: list[tuple[Theme, bool]] = []
    seen: set[str] = set()
    for number, entry in enumerate(themes, 1):
        theme, extend = _theme(entry, f"{path}: theme #{number}", str(path))
        if theme.id in seen:
            raise LexiconError(f"{path}: theme {theme.id!r} is defined twice; merge the two tables")
        seen.add(theme.id)
        out.append((theme, extend))
    return out


def merge(base: list[Theme], extra: list[tuple[Theme, bool]], where: str) -> list[Theme]:
    """A user's themes over the shipped ones: new ids are added, same ids replace or extend."""
    themes = {t.id: t for t in base}
    order = [t.id for t in base]
    for theme, extend in extra:
        old = themes.get(theme.id)
        if extend:
            if old is None:
                raise LexiconError(f"{where}: theme {theme.id!r} has extend = true but there is no such theme "
                                   "to extend; drop 'extend' to add it as a new theme")
            theme = replace(old, label=theme.label or old.label, description=theme.description or old.description,
                            colour=theme.colour or old.colour, patterns=old.patterns + theme.patterns,
                            exclusions=old.exclusions + theme.exclusions, all_of=theme.all_of or old.all_of,
                            examples=old.examples + theme.examples, near_misses=old.near_misses + theme.near_misses,
                            origin=f"{old.origin}, extended by {theme.origin}")
        if theme.id not in themes:
            order.append(theme.id)
        themes[theme.id] = theme
    return [themes[i] for i in order]


def check_references(themes: list[Theme], where: str) -> None:
    """all_of must name other, plain themes (no cycles, no self-reference)."""
    by_id = {t.id: t for t in themes}
    for theme in themes:
        for ref in theme.all_of:
            if ref == theme.id:
                raise LexiconError(f"{where}: theme {theme.id!r}: all_of names the theme itself")
            if ref not in by_id:
                raise LexiconError(f"{where}: theme {theme.id!r}: all_of names unknown theme {ref!r}")
            if by_id[ref].all_of:
                raise LexiconError(f"{where}: theme {theme.id!r}: all_of names {ref!r}, which has an all_of "
                                   "itself; all_of may only name themes defined by patterns")


def load_lexicon(extra: Path | str | None = None, *, shipped: Path | None = None) -> Lexicon:
    """The shipped lexicon, extended or overridden by `extra`; patterns are checked here, not at first use."""
    shipped = shipped or SHIPPED
    base = [theme for theme, _ in read_file(shipped)]
    sources = [str(shipped)]
    where = str(shipped)
    if extra is not None:
        extra = Path(extra)
        base = merge(base, read_file(extra), str(extra))
        sources.append(str(extra))
        where = str(extra)
    check_references(base, where)
    lexicon = Lexicon(themes=tuple(base), sources=tuple(sources))
    cache = CompiledCache.for_lexicon(lexicon.match_sha256)
    if not cache.use():  # checked before with the same patterns and code: no need to expand them again
        for theme in base:
            check_theme(theme)
        cache.save(_pattern_sources(base))
    return lexicon


def _pattern_sources(themes: Iterable[Theme]) -> list[tuple[str, str]]:
    """(pattern, where) of every pattern and exclusion, as the checks name them."""
    out = []
    for theme in themes:
        for kind, sources in (("pattern", theme.patterns), ("exclusion", theme.exclusions)):
            out += [(source, f"lexicon {theme.origin}: theme {theme.id}, {kind} {number}")
                    for number, source in enumerate(sources, 1)]
    return out


def to_toml(lexicon: Lexicon) -> str:
    """The lexicon in force as one TOML file (readable by load_lexicon), each theme saying where it came from."""
    import tomli_w

    lines = ["# The theme lexicon in force, written by `sco-decl lexicon --format toml`.",
             f"# sources: {'; '.join(lexicon.sources)}", f"# sha256: {lexicon.sha256}", "#"]
    lines += ["# " + line if line else "#" for line in SYNTAX.splitlines()] + [""]
    for theme in lexicon.themes:
        lines.append(f"# from: {theme.origin}")
        lines.append(tomli_w.dumps({"theme": [theme.to_dict()]}, multiline_strings=False).rstrip() + "\n")
    return "\n".join(lines)


def to_markdown(lexicon: Lexicon) -> str:
    """The codebook: for every theme what counts and what does not, its examples and near-misses."""
    from sco_decl.outputs.render import render  # jinja2: the Workspace loads a lexicon, a compare to JSON no Jinja

    return render("lexicon.md", lexicon=lexicon, syntax=SYNTAX)
