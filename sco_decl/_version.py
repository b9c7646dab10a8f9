"""The tool's version, in a leaf module so that reading it imports nothing else."""
from __future__ import annotations

__version__ = "0.1.0"


def tool_info() -> dict[str, str]:
    """Provenance of every output: the tool and version that made it."""
    return {"name": "sco-decl", "version": __version__}
