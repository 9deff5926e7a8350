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


DIRECTION_CASES = [
    # (direction, baseline, target, measured)
    ("verhogen", 100, 110, 105),
    ("verhogen", 100, 110, 120),
    ("verlagen", 50, 40, 45),
    ("boven_houden", 0, 80, 79),
    ("onder_houden", 0, 5, 4),
    ("verhogen", 100, 100, 90),
]


def filled_workbook(folder: Path) -> storage.Workbook:
    """A workbook with something in every table and an action for every direction."""
    wb = storage.load(new_workbook(folder))
    wb.set(("organisatie", "naam"), "Theater De Proef")
    wb.set(("cyclus", 0, "vraagstuk", "focus"), "marketing")
    wb.set(("cyclus", 0, "vraagstuk", "kernvraag"), "Hoe bereiken we gezinnen met kinderen?")
    wb.set(("cyclus", 0, "start"), dt.date(2024, 1, 1))
    fill_every_table(wb)
    for i, (direction, base, target, value) in enumerate(DIRECTION_CASES):
        a = wb.append(("cyclus", 0, "acties"), {
            "id": f"r1-d{i}", "titel": f"Actie {direction}", "nulmeting": base, "streefwaarde": target,
            "richting": direction, "deadline": dt.date(2024, 12, 1), "status": "lopend",
        })
        wb.append(("cyclus", 0, "acties", a, "evaluaties"), {"datum": dt.date(2024, 6, 1), "waarde": value, "conclusie": f"meting {i}"})
    v = wb.append(("verwerkingsregister",), {"id": "nieuwsbrief", "naam": "Nieuwsbrief"})
    wb.append(("verwerkingsregister", v, "doelen"), {"doel": "Nieuwsbrief sturen", "grondslag": "toestemming"})
    wb.append(("verwerkingsregister", v, "doelen"), {"doel": "Analyse van opens", "grondslag": "gerechtvaardigd_belang"})
    return wb
