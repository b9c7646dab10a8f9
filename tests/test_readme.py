"""The README stays true: its command table matches the CLI, and its two commands are the real ones."""
from __future__ import annotations

import re
from pathlib import Path

from sco_decl.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def test_readme_lists_exactly_the_cli_commands(cli):
    listed = set(re.findall(r"^\| `sco-decl ([a-z-]+)", README, flags=re.M))
    assert listed == set(main.commands), f"README lacks {set(main.commands) - listed}, has extra {listed - set(main.commands)}"
    help_text = cli("--help").output
    for name in listed:
        assert re.search(rf"^  {name}\b", help_text, flags=re.M), name


def test_readme_opens_with_setup_and_test_commands():
    blocks = re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)
    assert "pip install ." in blocks[0] and "sco-decl fetch" in blocks[0] and "sco-decl site" in blocks[0]
    assert blocks[1].strip() == "bash .ci/run"
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "pytest" in ci and "pip install" in ci
