"""The model knows nothing of the screen; heavy libraries load only when they are needed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE = ["tui", "tui.storage", "tui.export", "tui.verify", "tui.templates", "tui.cli", "tui.model.schema", "tui.model.validate", "tui.model.rules", "tui.model.guide", "tui.model.locate", "tui.model.smart", "tui.model.values", "tui.model.help"]


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
