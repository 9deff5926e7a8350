"""Shared test helpers: workbooks with something in every table the schema defines."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from tui import storage
from tui.model.schema import load_schema, split_spec
from tui.templates import create_workbook

REPO = Path(__file__).resolve().parent.parent
CET = dt.timezone(dt.timedelta(hours=1))


def new_workbook(folder: Path, name: str = "werkboek.toml", template: str = "leeg") -> Path:
    path = folder / name
    create_workbook(path, template)
    return path


def fill_every_table(wb: storage.Workbook) -> None:
    """Append one record to every array of tables, so every field has a concrete path."""
    wb.append(("databronnen",), {"id": "ticketing", "naam": "Ticketverkoop", "anonimiteit": "gepersonaliseerd", "verwerking": "tickets"})
    v = wb.append(("verwerkingsregister",), {"id": "tickets", "naam": "Verkoop van toegangskaarten"})
    wb.append(("verwerkingsregister", v, "doelen"), {"doel": "Kaartverkoop", "grondslag": "overeenkomst"})
    wb.append(("verwerkingsregister", v, "verwerkers"), {"naam": "Ticketleverancier", "overeenkomst": "ja"})
    wb.append(("datalekregister",), {"id": "2024-01", "ontdekt": dt.datetime(2024, 5, 2, 9, 30, tzinfo=CET)})
    wb.append(("systemen",), {"naam": "Ticketingsysteem"})
    a = wb.append(("cyclus", 0, "acties"), {"id": "r1-a1", "titel": "Meer jonge bezoekers"})
    wb.set(("cyclus", 0, "acties", a, "ab"), {"groep_a": "bestaand publiek", "groep_b": "nieuw publiek"})
    wb.append(("cyclus", 0, "acties", a, "evaluaties"), {"datum": dt.date(2024, 3, 1), "waarde": 10})


def concrete(spec_path: str, key: str) -> tuple:
    """'cyclus[].acties[]', 'titel' -> ('cyclus', 0, 'acties', 0, 'titel')."""
    out: list = []
    for name, many in split_spec(spec_path):
        out.append(name)
        if many:
            out.append(0)
    return tuple(out) + (key,)


def text_field_paths() -> list[tuple]:
    schema = load_schema()
    return [
        concrete(t.path, f.key)
        for t in schema.tables.values()
        for f in t.fields.values()
        if f.type in ("tekst", "lange_tekst") and not f.unique
    ]


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
