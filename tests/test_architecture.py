"""The model knows nothing of the screen; heavy libraries load only when they are needed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pathlib import Path

TUI = Path(__file__).resolve().parent.parent / "tui"
# Everything outside tui/app: the package, storage, export, the CLI, and every model module.
CORE = ["tui", "tui.storage", "tui.export", "tui.exchange", "tui.verify", "tui.templates", "tui.cli", "tui.formatdoc", "tui.config", "tui.presence", "tui.serve"] + sorted(
    f"tui.model.{p.stem}" for p in (TUI / "model").glob("*.py") if p.stem != "__init__"
)


def test_core_list_covers_every_module_outside_the_app():
    outside = {f"tui.{p.stem}" for p in TUI.glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert outside <= set(CORE)
    assert "tui.model.timeline" in CORE


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


@pytest.mark.parametrize("module", CORE)
def test_core_modules_import_without_textual_or_openpyxl(module):
    loaded = _loaded_after(f"import {module}")
    assert "textual" not in loaded
    assert "openpyxl" not in loaded


def test_check_of_a_workbook_loads_neither_textual_nor_openpyxl_nor_tomlkit(tmp_path):
    from tests.helpers import new_workbook

    path = new_workbook(tmp_path)
    loaded = _loaded_after(f"from tui import storage\nfrom tui.model.validate import validate\nwb = storage.load({str(path)!r})\nvalidate(wb.data, wb.text)")
    assert not {"textual", "openpyxl", "tomlkit"} & loaded


def test_the_probe_can_see_a_loaded_module():
    # guards the tests above against a probe that never reports anything
    assert "textual" in _loaded_after("import textual")


def test_guide_tips_come_from_the_content_files():
    """Content is data: a tip shown in the app is read from tui/content, not typed into Python."""
    import ast

    found = []
    for file in sorted(TUI.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if text.lower().startswith("tip:") and len(text) > len("tip: "):
                    found.append(f"{file.relative_to(TUI)}:{node.lineno}: {text[:50]}")
    assert not found, "\n".join(found)
