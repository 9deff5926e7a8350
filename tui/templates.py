"""The workbook templates in ``workbook_templates/`` (installed with the package)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from tui import storage

INDEX = "sjablonen.toml"


def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    installed = here / "workbook_templates"  # a wheel maps the top-level folder here
    if (installed / INDEX).is_file():
        return installed
    return here.parent / "workbook_templates"  # a source checkout or an editable install


@dataclass(frozen=True)
class Template:
    name: str
    nl: str
    en: str
    path: Path


def list_templates() -> list[Template]:
    folder = templates_dir()
    with open(folder / INDEX, "rb") as fh:
        index = tomllib.load(fh)
    out = []
    for name, info in index.items():
        path = folder / f"{name}.toml"
        if path.is_file():
            out.append(Template(name, info.get("nl", ""), info.get("en", ""), path))
    return out


def get_template(name: str) -> Template:
    for t in list_templates():
        if t.name == name:
            return t
    names = ", ".join(t.name for t in list_templates())
    raise KeyError(f"onbekend sjabloon {name!r}; beschikbaar: {names}")


def create_workbook(path: Path | str, template: str = "leeg") -> Path:
    """Create ``path`` from a template; refuses to overwrite (FileExistsError)."""
    t = get_template(template)
    path = Path(path)
    storage.create_exclusive(path, t.path.read_bytes())
    return path
