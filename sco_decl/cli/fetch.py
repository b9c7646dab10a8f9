"""Commands: fetch, reextract."""
from __future__ import annotations
