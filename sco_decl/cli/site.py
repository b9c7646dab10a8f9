"""Commands: site."""
from __future__ import annotations
