"""A plain (non-editable) install finds its catalog and templates: built, installed into a new venv, run."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_into_a_new_venv_and_runs(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
                            str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    wheel = next(dist.glob("sco_decl-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sco_decl/_templates/base.html" in names
    assert "sco_decl/_catalog/2005-astana/declaration.toml" in names
    assert "sco_decl/_catalog/chronology.toml" in names  # the events, seeded like the catalog (issue 15)
    assert "sco_decl/data/catalogs/sco-2007-2025.toml" in names   # the later summits, added on request
    assert not [n for n in names if n.startswith("sco_decl/_catalog/") and n.endswith(".txt")]

    # A new venv whose only extra path is this environment's site-packages (for the dependencies, which the
    # registry would otherwise provide); the package itself comes from the wheel alone.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True).stdout.strip()
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                              "--no-index", "-q", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]

    env = {k: v for k, v in os.environ.items() if k not in ("SCO_DECL_TEXTS", "PYTHONPATH")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    where = subprocess.run([str(python), "-c", "import sco_decl, sco_decl.paths as p; print(sco_decl.__file__);"
                            "print(p.templates_dir()); print(p.default_texts_dir())"],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    module, templates, texts = where.stdout.split("\n")[:3]
    assert module.startswith(str(env_dir)) and templates.startswith(str(env_dir))
    assert texts.startswith(str(tmp_path / "data"))
    listed = subprocess.run([str(env_dir / "bin" / "sco-decl"), "list"], capture_output=True, text=True,
                            env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "2005-astana" in listed.stdout and "2006-shanghai" in listed.stdout
    chronology = subprocess.run([str(env_dir / "bin" / "sco-decl"), "chronology", "--to", "2006", "--format", "csv"],
                                capture_output=True, text=True, env=env, cwd=tmp_path)
    assert chronology.returncode == 0, chronology.stderr
    assert "1996-04-26," in chronology.stdout and "2006-06-15," in chronology.stdout
    assert "2010-tashkent" not in listed.stdout   # the default corpus stays the six
    later = subprocess.run([str(env_dir / "bin" / "sco-decl"), "catalog", "add", "sco-2007-2025"],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert later.returncode == 0, later.stderr
    assert later.stdout.startswith("catalog sco-2007-2025: added 19 declaration(s) to " + str(tmp_path / "data"))
    listed = subprocess.run([str(env_dir / "bin" / "sco-decl"), "list"], capture_output=True, text=True,
                            env=env, cwd=tmp_path)
    assert "2010-tashkent" in listed.stdout and "2025-tianjin" in listed.stdout and "2001-shanghai" in listed.stdout
    rendered = subprocess.run([str(python), "-c", "from sco_decl.outputs.render import render; "
                               "print(render('base.html'))"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert rendered.returncode == 0 and "<!DOCTYPE html>" in rendered.stdout, rendered.stderr
