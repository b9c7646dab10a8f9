"""Reading and writing a declaration's catalog file (texts/<id>/declaration.toml).

The catalog holds facts only (title, date, place, signatories, editions and where they come from); the
texts are revisions beside it. Validation happens here so every command sees the same clear errors.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from urllib.parse import urlsplit
from pathlib import Path
from typing import Any

import tomli_w

from sco_decl.errors import CatalogError, InvalidNameError
from sco_decl.fsutil import atomic_write_text
from sco_decl.store.model import Declaration, EditionInfo, check_name

CATALOG_FILE = "declaration.toml"
_EDITION_KEYS = {"name", "url", "publisher", "language", "note"}


def parse_date(value: Any, where: str) -> dt.date:
    """Accept a TOML date or a YYYY-MM-DD string; anything else names the file and field."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CatalogError(f"{where}: date {value!r} is missing or invalid: write it as YYYY-MM-DD")


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error names the file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not UTF-8 text; save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = f":{match.group(1)}" if match else ""
        raise CatalogError(f"{path}{line}: malformed TOML ({exc}); fix the file") from exc


def _line_of(source: Path | None, value: str) -> str:
    """':N', the first line of `source` that holds `value` (so an error points at it), or ''."""
    if source is None:
        return ""
    try:
        lines = source.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return next((f":{n}" for n, line in enumerate(lines, 1) if value in line), "")


def check_url(value: Any, where: str, source: Path | None = None) -> str | None:
    """An edition's url becomes a link on the site: only http(s) with a host, never javascript: or data:."""
    if value is None:
        return None
    if isinstance(value, str):
        parts = urlsplit(value.strip())
        if parts.scheme.lower() in ("http", "https") and parts.netloc and not re.search(r"[\s<>\"']", value.strip()):
            return value.strip()
    shown = value if isinstance(value, str) else repr(value)
    line = _line_of(source, shown) if isinstance(value, str) else ""
    at = f"{source}{line}" if source is not None and line else where
    raise CatalogError(f"{at}: url {shown[:80]!r} is not an http(s) address; give the page's http:// or "
                       "https:// URL or remove the url")


def declaration_from_dict(data: dict[str, Any], where: str, folder_id: str | None = None, *,
                          source: Path | None = None) -> Declaration:
    """Build a Declaration from catalog data, checking every field a user could get wrong.

    `source` is the file the data came from, so an error can name the line (catalog files stay short).
    """
    try:
        ident = check_name(data.get("id", folder_id or ""), "declaration id")
    except InvalidNameError as exc:
        raise CatalogError(f"{where}: {exc}") from exc
    if folder_id is not None and ident != folder_id:
        raise CatalogError(f"{where}: id {ident!r} does not match its folder {folder_id!r}; make them the same")
    for key in ("title", "place"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise CatalogError(f"{where}: field {key!r} is missing or empty; add it")
    date = parse_date(data.get("date"), where)
    signatories = data.get("signatories", [])
    if not isinstance(signatories, list) or not all(isinstance(s, str) for s in signatories):
        raise CatalogError(f"{where}: 'signatories' must be a list of names")
    editions: list[EditionInfo] = []
    for i, raw in enumerate(data.get("editions", []), start=1):
        if not isinstance(raw, dict):
            raise CatalogError(f"{where}: edition {i} must be a table ([[editions]])")
        unknown = set(raw) - _EDITION_KEYS
        if unknown:
            raise CatalogError(f"{where}: edition {i} has unknown field(s) {', '.join(sorted(unknown))}")
        try:
            name = check_name(raw.get("name", ""), "edition name")
        except InvalidNameError as exc:
            raise CatalogError(f"{where}: edition {i}: {exc}") from exc
        if any(e.name == name for e in editions):
            raise CatalogError(f"{where}: edition {name!r} is listed twice; keep one")
        url = check_url(raw.get("url"), f"{where}: edition {i}", source)
        editions.append(EditionInfo(name=name, url=url, publisher=raw.get("publisher"),
                                    language=raw.get("language", "en"), note=raw.get("note")))
    default = data.get("default_edition")
    if default is not None:
        try:
            check_name(default, "default_edition")
        except InvalidNameError as exc:
            raise CatalogError(f"{where}: {exc}") from exc
    known = {"id", "title", "date", "place", "signatories", "editions", "default_edition"}
    extra = {k: v for k, v in data.items() if k not in known}
    return Declaration(id=ident, title=data["title"].strip(), date=date, place=data["place"].strip(),
                       signatories=tuple(signatories), editions=tuple(editions), default_edition=default,
                       extra=extra)


def declaration_to_dict(decl: Declaration) -> dict[str, Any]:
    data: dict[str, Any] = {"id": decl.id, "title": decl.title, "date": decl.date, "place": decl.place,
                            "signatories": list(decl.signatories)}
    if decl.default_edition:
        data["default_edition"] = decl.default_edition
    data.update(decl.extra)
    data["editions"] = [{k: v for k, v in vars(e).items() if v is not None} for e in decl.editions]
    return data


def read_declaration(path: Path) -> Declaration:
    return declaration_from_dict(load_toml(path), str(path), folder_id=path.parent.name, source=path)


def write_declaration(path: Path, decl: Declaration) -> None:
    atomic_write_text(path, tomli_w.dumps(declaration_to_dict(decl)))
