"""Commands: themes, kwic, trace, lexicon."""
from __future__ import annotations
