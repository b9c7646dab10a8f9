"""Assertions shared by CLI tests: a failed command says one clear line and nothing else."""
from __future__ import annotations

import os
from pathlib import Path


def one_line_error(result, *fragments: str) -> None:
    """Non-zero exit, a single `Error: ...` line with no traceback, containing every fragment."""
    assert result.exit_code != 0
    out = result.output.strip()
    assert out.startswith("Error: ") and "\n" not in out and "Traceback" not in out, out
    for fragment in fragments:
        assert fragment in out, out


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in (root ignores file modes, so it gets /sys)."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    return folder
