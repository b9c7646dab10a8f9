"""Wheel build hook: ship the catalog (texts/*/declaration.toml and texts/chronology.toml) inside the package,
and nothing else of texts/."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        for catalog in sorted((root / "texts").glob("*/declaration.toml")):
            target = f"sco_decl/_catalog/{catalog.parent.name}/declaration.toml"
            build_data["force_include"][str(catalog)] = target
        chronology = root / "texts" / "chronology.toml"
        if chronology.is_file():
            build_data["force_include"][str(chronology)] = "sco_decl/_catalog/chronology.toml"
