"""Commands: chart, appendix, keyness, cite."""
from __future__ import annotations
