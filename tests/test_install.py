"""A non-editable install (a wheel) carries the templates and the guide's content."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.helpers import REPO


@pytest.mark.slow
def test_wheel_install_finds_templates_outside_the_source_tree(tmp_path):
    # build from a clean copy: an old build/ folder in the checkout would hide a missing package
    source = tmp_path / "src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis", ".pytest_cache", "tests", "bench", "docs"))
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    target = tmp_path / "site"
    wheel = next(wheels.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True, capture_output=True)
    probe = (
        "import tui, tui.templates as t, tui.model.schema as s, tui.model.guide as g\n"
        "assert str(tui.__file__).startswith(%r), tui.__file__\n"
        "print(t.templates_dir())\n"
        "print(','.join(x.name for x in t.list_templates()))\n"
        "s.load_schema(); g.guide()\n"
        "t.create_workbook('nieuw.toml')\n"
        "print(open('nieuw.toml', encoding='utf-8').readline().strip())\n"
    ) % str(target)
    work = tmp_path / "elders"
    work.mkdir()
    r = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r})\n" + probe], capture_output=True, text=True, cwd=work)
    assert r.returncode == 0, r.stderr
    folder, names, first = r.stdout.splitlines()
    assert folder.startswith(str(target))
    assert "leeg" in names.split(",")
    assert first == "# Publieksdata werkboek"
    # every module, style sheet, content file and web page of the source tree is in the wheel
    def files(root):
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in (".py", ".tcss", ".toml", ".html") and "__pycache__" not in p.parts}

    installed = files(target / "tui")
    expected = files(REPO / "tui") | {f"workbook_templates/{p.name}" for p in (REPO / "workbook_templates").glob("*.toml")}
    assert expected <= installed, sorted(expected - installed)
