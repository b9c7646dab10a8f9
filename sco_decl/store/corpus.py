"""The corpus store: declarations, their editions, and immutable, verified revisions on disk.

Layout (plain UTF-8 files, readable and git-friendly):

    <root>/<id>/declaration.toml          catalog facts (see catalog.py)
    <root>/<id>/<edition>/r<N>.txt         revision text, exactly as stored
    <root>/<id>/<edition>/r<N>.toml        revision, sha256, added, source, note, [meta]
    <root>/<id>/<edition>/raw/             raw fetched pages, for re-extraction

A revision is never overwritten or deleted: adding different text makes r<N+1>, adding the latest text
again is a no-op. Every write is atomic and done under a lock on <root>/.lock.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

import tomli_w
from filelock import FileLock, Timeout

from sco_decl.store.catalog import CATALOG_FILE, load_toml, read_declaration, write_declaration
from sco_decl.errors import (AmbiguousReferenceError, CatalogError, DuplicateError, InputError,
                             NoTextError, NotFoundError, StoreError)
from sco_decl.fsutil import atomic_write_text
from sco_decl.store.catalog import declaration_from_dict
from sco_decl.store.checkup import Repair, check_corpus, repair
from sco_decl.store.files import LOCK_FILE, REV_RE, normalise_newlines, sha256_text
from sco_decl.store.model import AddResult, Declaration, EditionInfo, Problem, Revision, check_name

_REF_RE = re.compile(r"(?P<decl>[a-z0-9-]+)(?:@(?P<edition>[a-z0-9-]+))?(?::r(?P<number>[0-9]+))?")
_SHA_RE = re.compile(r"(?:sha256:)?(?P<sha>[0-9a-f]{8,64})")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _toml_clean(value: Any) -> Any:
    """TOML has no null: drop None values, recursively."""
    if isinstance(value, dict):
        return {str(k): _toml_clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_toml_clean(v) for v in value if v is not None]
    return value


class Corpus:
    """A folder of declarations. Cheap to open; reads the disk on each call so it never goes stale."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.wrote = False  # set once a write took the lock: the CLI then names the folder it wrote to
        # catalog files left out of declarations() because they do not parse: {path: error}; `check` fails on them
        self.skipped: dict[Path, str] = {}

    @classmethod
    def open(cls, path: Path | str) -> Corpus:
        root = Path(path).expanduser()
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root}: is a file, not a texts folder; pass a folder to --texts")
        return cls(root)

    # -- locking -------------------------------------------------------------------------------------
    def _lock(self) -> FileLock:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the texts folder ({exc.strerror})") from exc
        return FileLock(str(self.root / LOCK_FILE), timeout=30)

    def _locked(self) -> FileLock:
        lock = self._lock()
        try:
            lock.acquire()
        except Timeout as exc:
            raise StoreError(f"{self.root}/.lock: another sco-decl is writing this corpus; try again") from exc
        except OSError as exc:  # a read-only folder or file system
            raise StoreError(f"{self.root}: cannot write to the corpus ({exc.strerror}); make it writable or "
                             "pass another folder with --texts") from exc
        return lock

    # -- declarations --------------------------------------------------------------------------------
    def declarations(self) -> list[Declaration]:
        """Every readable declaration, in date order (then id); an unreadable catalog goes to `skipped`."""
        if not self.root.is_dir():
            return []
        found = []
        for path in sorted(self.root.glob(f"*/{CATALOG_FILE}")):
            try:
                found.append(read_declaration(path))
            except CatalogError as exc:  # one broken file must not stop work on every other declaration
                self.skipped[path] = str(exc)
        return sorted(found, key=lambda d: (d.date, d.id))

    def declaration(self, ident: str) -> Declaration:
        check_name(ident, "declaration id")
        path = self.root / ident / CATALOG_FILE
        if not path.is_file():
            raise NotFoundError(self._unknown_message(ident))
        return read_declaration(path)

    def _unknown_message(self, ref: str) -> str:
        ids = [d.id for d in self.declarations()]
        for path, error in self.skipped.items():
            if path.parent.name.startswith(ref):
                return error
        listing = ", ".join(ids) if ids else "none yet: create one with `sco-decl new`"
        return f"unknown declaration {ref!r}; known: {listing}"

    def new_declaration(self, ident: str, *, title: str, date: dt.date | str, place: str,
                        signatories: Iterable[str] = (), editions: Iterable[EditionInfo] = (),
                        default_edition: str | None = None, extra: Mapping[str, Any] | None = None) -> Declaration:
        """Create a catalog entry; an existing id is an error, never overwritten. ``extra`` holds further
        catalog fields (notes, leads) kept as they are."""
        check_name(ident, "declaration id")
        decl = declaration_from_dict(
            {"id": ident, "title": title, "date": date, "place": place, "signatories": list(signatories),
             "editions": [{k: v for k, v in vars(e).items() if v is not None} for e in editions],
             **({"default_edition": default_edition} if default_edition else {})} | {
                k: v for k, v in (extra or {}).items() if k not in ("id", "title", "date", "place", "editions")},
            where=f"declaration {ident}")
        with self._locked():
            folder = self.root / ident
            if (folder / CATALOG_FILE).exists():
                raise DuplicateError(f"declaration {ident!r} already exists in {self.root}; choose another id")
            folder.mkdir(parents=True, exist_ok=True)
            write_declaration(folder / CATALOG_FILE, decl)
            self.wrote = True
        return decl

    # -- revisions -----------------------------------------------------------------------------------
    def edition_dir(self, decl_id: str, edition: str) -> Path:
        return self.root / check_name(decl_id, "declaration id") / check_name(edition, "edition name")

    def raw_dir(self, decl_id: str, edition: str) -> Path:
        path = self.edition_dir(decl_id, edition) / "raw"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def editions_on_disk(self, decl_id: str) -> list[str]:
        folder = self.root / decl_id
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("r*.toml")))

    def revisions(self, decl_id: str, edition: str) -> list[Revision]:
        folder = self.edition_dir(decl_id, edition)
        numbers = sorted({int(m.group(1)) for p in folder.glob("r*.toml") if (m := REV_RE.fullmatch(p.name))})
        return [self._read_revision(decl_id, edition, n) for n in numbers]

    def _read_revision(self, decl_id: str, edition: str, number: int) -> Revision:
        folder = self.edition_dir(decl_id, edition)
        meta_path = folder / f"r{number}.toml"
        data = load_toml(meta_path)
        sha = data.get("sha256")
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise CatalogError(f"{meta_path}: 'sha256' is missing or malformed; run `sco-decl check`")
        return Revision(declaration=decl_id, edition=edition, number=number, sha256=sha,
                        added=str(data.get("added", "")), source=str(data.get("source", "")),
                        note=data.get("note"), meta=dict(data.get("meta", {})), path=folder / f"r{number}.txt")

    def read_text(self, revision: Revision) -> str:
        """The revision's text, verified against its sha256 so a hand edit never passes silently."""
        try:
            text = revision.path.read_bytes().decode("utf-8")
        except FileNotFoundError as exc:
            raise StoreError(f"{revision.path}: text of {revision.ref} is missing; run `sco-decl check`") from exc
        except UnicodeDecodeError as exc:
            raise StoreError(f"{revision.path}: text of {revision.ref} is corrupt (not UTF-8); "
                             "run `sco-decl check`") from exc
        if sha256_text(text) != revision.sha256:
            raise StoreError(f"{revision.path}: text of {revision.ref} was changed after it was stored "
                             "(sha256 differs); restore it or add the new text as a new revision "
                             "(`sco-decl check` lists every damaged file)")
        return text

    def add(self, decl_id: str, edition: str, text: str, *, source: str, note: str | None = None,
            meta: dict[str, Any] | None = None) -> AddResult:
        """Store `text` as the next revision of the edition, or report it unchanged."""
        check_name(edition, "edition name")
        text = normalise_newlines(text)
        if not text.strip():
            raise InputError(f"{source}: the text is empty; nothing was stored")
        if "\0" in text:
            raise InputError(f"{source}: the text holds a NUL character (binary or damaged); nothing was stored")
        sha = sha256_text(text)
        with self._locked():
            decl = self.declaration(decl_id)
            existing = self.revisions(decl_id, edition)
            if existing and existing[-1].sha256 == sha:
                return AddResult("unchanged", existing[-1])
            folder = self.edition_dir(decl_id, edition)
            folder.mkdir(parents=True, exist_ok=True)
            taken = [int(m.group(1)) for p in folder.iterdir() if (m := REV_RE.fullmatch(p.name))]
            number = max(taken, default=0) + 1
            record: dict[str, Any] = {"revision": number, "sha256": sha, "added": _now(), "source": source}
            if note:
                record["note"] = note
            same_as = next((r for r in existing if r.sha256 == sha), None)
            extra = dict(meta or {})
            if same_as:
                extra["same_text_as"] = f"r{same_as.number}"
            if extra:
                record["meta"] = _toml_clean(extra)
            atomic_write_text(folder / f"r{number}.txt", text)
            atomic_write_text(folder / f"r{number}.toml", tomli_w.dumps(record))
            self.wrote = True
            self._register_edition(decl, edition)
            return AddResult("new", self._read_revision(decl_id, edition, number))

    def _register_edition(self, decl: Declaration, edition: str) -> None:
        """An edition first added by hand joins the catalog; the first one becomes the default."""
        if decl.edition(edition) and decl.default_edition:
            return
        from dataclasses import replace

        editions = decl.editions if decl.edition(edition) else decl.editions + (EditionInfo(name=edition),)
        default = decl.default_edition or (decl.editions[0].name if decl.editions else edition)
        write_declaration(self.root / decl.id / CATALOG_FILE,
                          replace(decl, editions=editions, default_edition=default))

    def set_edition_language(self, decl_id: str, edition: str, language: str) -> None:
        """Record an edition's language in the catalog (`add --language`, or the language detected when a
        new edition is added by hand), so every later analysis reads it in that language."""
        from dataclasses import replace

        with self._locked():
            decl = self.declaration(decl_id)
            info = decl.edition(edition) or EditionInfo(name=edition)
            if info.language == language and decl.edition(edition):
                return
            editions = tuple(replace(e, language=language) if e.name == edition else e for e in decl.editions)
            if not decl.edition(edition):
                editions += (replace(info, language=language),)
            write_declaration(self.root / decl.id / CATALOG_FILE, replace(decl, editions=editions))
            self.wrote = True

    # -- references ----------------------------------------------------------------------------------
    def default_edition(self, decl: Declaration) -> str | None:
        """The catalog's default edition if it has text, else the first edition (catalog order) that has."""
        on_disk = self.editions_on_disk(decl.id)
        order = ([decl.default_edition] if decl.default_edition else []) + [e.name for e in decl.editions]
        order += on_disk
        return next((name for name in order if name in on_disk), None)

    def resolve_declaration(self, ref: str) -> Declaration:
        """`2005`, `2005-astana` or a unique id prefix -> the declaration."""
        decls = self.declarations()
        exact = [d for d in decls if d.id == ref]
        if exact:
            return exact[0]
        if re.fullmatch(r"\d{4}", ref):
            found = [d for d in decls if d.date.year == int(ref)]
        else:
            found = [d for d in decls if d.id.startswith(ref)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise AmbiguousReferenceError(
                f"reference {ref!r} is ambiguous: it matches {', '.join(d.id for d in found)}; name one")
        raise NotFoundError(self._unknown_message(ref))

    def resolve(self, ref: str) -> Revision:
        """Resolve `2005`, `2005-astana`, `2005@worldjpn`, `2005@worldjpn:r1` or a sha256 prefix (>= 8 hex)."""
        ref = ref.strip()
        match = _REF_RE.fullmatch(ref)
        if match and (match.group("edition") or match.group("number") or not _SHA_RE.fullmatch(ref)
                      or self._has_declaration_like(ref)):
            return self._resolve_parts(ref, match.group("decl"), match.group("edition"), match.group("number"))
        sha = _SHA_RE.fullmatch(ref)
        if sha:
            return self._resolve_sha(ref, sha.group("sha"))
        raise NotFoundError(f"reference {ref!r} is not valid: use 2005, 2005-astana, 2005@worldjpn, "
                            "2005@worldjpn:r1 or a sha256 prefix of 8+ hex digits")

    def _has_declaration_like(self, ref: str) -> bool:
        try:
            self.resolve_declaration(ref)
        except NotFoundError:
            return False
        return True

    def _resolve_parts(self, ref: str, decl_ref: str, edition: str | None, number: str | None) -> Revision:
        decl = self.resolve_declaration(decl_ref)
        if edition is None:
            edition = self.default_edition(decl)
            if edition is None:
                raise NoTextError(f"{decl.id} has no text yet: run `sco-decl fetch {decl.id}` or "
                                  f"`sco-decl add FILE --to {decl.id} --edition NAME`")
        revisions = self.revisions(decl.id, edition)
        if not revisions:
            names = self.editions_on_disk(decl.id)
            have = f"editions with text: {', '.join(names)}" if names else "no edition has text yet"
            raise NoTextError(f"{decl.id}@{edition} has no text ({have}); run `sco-decl fetch {decl.id} "
                              f"--edition {edition}` or `sco-decl add FILE --to {decl.id} --edition {edition}`")
        if number is None:
            return revisions[-1]
        chosen = [r for r in revisions if r.number == int(number)]
        if not chosen:
            have = ", ".join(f"r{r.number}" for r in revisions)
            raise NotFoundError(f"{decl.id}@{edition} has no revision r{number}; it has {have}")
        return chosen[0]

    def _resolve_sha(self, ref: str, prefix: str) -> Revision:
        found = [r for r in self.all_revisions() if r.sha256.startswith(prefix)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise AmbiguousReferenceError(
                f"sha256 prefix {ref!r} is ambiguous: {', '.join(r.ref for r in found)}; give more digits")
        raise NotFoundError(f"no revision has a sha256 starting with {prefix!r}; `sco-decl log ID` lists them")

    def all_revisions(self) -> list[Revision]:
        return [r for d in self.declarations() for e in self.editions_on_disk(d.id) for r in self.revisions(d.id, e)]

    def texts_present(self) -> list[Revision]:
        """The latest revision of the default edition of each declaration that has text, in date order."""
        out = []
        for decl in self.declarations():
            edition = self.default_edition(decl)
            if edition:
                out.append(self.revisions(decl.id, edition)[-1])
        return out

    # -- verification --------------------------------------------------------------------------------
    def check(self) -> list[Problem]:
        """Verify every revision against its sha256 and report anything else out of place (checkup.py)."""
        return check_corpus(self)

    def repair(self) -> tuple[list[Repair], list[Problem]]:
        """Under the lock, fix what is safe (checkup.repair); returns what was done and what remains."""
        with self._locked():
            done = repair(self, check_corpus(self))
            self.wrote = bool(done)
            return done, check_corpus(self)
