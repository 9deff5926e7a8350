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
        if f.type in ("tekst", "lange_tekst") and not f.unique and t.path != "conflicten[]"  # merge records, not for typing
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


def timeline_workbook(folder: Path, cycles: int, name: str = "werkboek.toml") -> storage.Workbook:
    """``cycles`` rounds a quarter apart from January 2023, each with two actions (deadlines and
    measurements in every state) and, every third round, a data breach: the overview's material."""
    wb = storage.load(new_workbook(folder, name))
    wb.set(("organisatie", "naam"), "Theater De Proef")
    for c in range(cycles):
        start = dt.date(2023 + (c * 3) // 12, 1 + (c * 3) % 12, 9)
        cycle = {"nummer": c + 1, "start": start, "huidige_stap": "actie" if c == cycles - 1 else "implementatie",
                 "stappen_klaar": ["vraagstuk", "data"] if c == cycles - 1 else ["vraagstuk", "data", "actie"],
                 "vraagstuk": {"kernvraag": f"Hoe bereiken we gezinnen in wijk {c + 1}?"}}
        if c == 0:
            wb.set(("cyclus", 0), cycle)
        else:
            wb.append(("cyclus",), cycle)
        for a in range(2):
            deadline = start + dt.timedelta(days=70 + 40 * a)
            action = wb.append(("cyclus", c, "acties"), {
                "id": f"r{c + 1}-a{a + 1}", "titel": f"Gezinsvoorstelling wijk {c + 1}" if a == 0 else f"Nieuwsbrief wijk {c + 1}",
                "indicator": "bezoekers", "eenheid": "bezoekers", "nulmeting": 100, "streefwaarde": 120,
                "richting": "verhogen", "deadline": deadline, "status": "lopend"})
            for k in range(1 + (c + a) % 3):
                wb.append(("cyclus", c, "acties", action, "evaluaties"), {
                    "datum": start + dt.timedelta(days=20 + 25 * k), "waarde": 100 + 8 * (k + a) + c % 4,
                    "conclusie": f"Meting {k + 1}: meer gezinnen uit wijk {c + 1}."})
        if c % 3 == 0:
            wb.append(("datalekregister",), {
                "id": f"lek-{c + 1}", "ontdekt": dt.datetime.combine(start + dt.timedelta(days=30), dt.time(9, 30), CET),
                "samenvatting": "Mailing met zichtbare adressen.", **({"gemeld_ap": "ja"} if c else {})})
    return wb


async def show_tab(pilot, tab: str, limit: int = 200) -> None:
    """Switch the app to ``tab`` and wait until its form (mounted after the first frame) is there."""
    pilot.app.action_show_tab(tab)
    await wait_for_pane(pilot, tab, limit)


async def started(pilot, limit: int = 400) -> None:
    """Wait until the app has started as a person sees it: step 1's form is mounted (it comes
    after the first frame), or a dialog is on top (an error, a question), or the app ended."""
    app = pilot.app
    for _ in range(limit):
        if app._exit or len(app.screen_stack) > 1 or not hasattr(app, "pane_ready") or app.pane_ready("vraagstuk"):
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def wait_for_pane(pilot, tab: str, limit: int = 200) -> None:
    """Wait, without switching, until ``tab``'s form is mounted and has had a frame to take the
    focus (on a busy machine that takes a while)."""
    for _ in range(limit):
        if pilot.app.pane_ready(tab):
            break
        await pilot.pause(0.01)
    await pilot.pause()


def key_event(key: str):
    """The event a terminal sends for ``key`` (as Pilot builds it)."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def burst(pilot, *keys: str) -> None:
    """Keys as a terminal delivers typed text: all at once, each a key event in order, then wait
    until the screen has handled them (Pilot's ``press`` waits for an idle app after every key,
    and the screen redraws after each; a person's typing arrives faster than that)."""
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot._wait_for_screen()


async def enter_first_field(pilot, limit: int = 300) -> None:
    """The app starts on the tab bar; Enter takes the user into the first field of the step
    shown, as a keyboard user does before typing."""
    from tui.app.step_tabs import StepBar

    app = pilot.app
    for _ in range(limit):
        if isinstance(app.focused, StepBar) and app.pane_ready(app.query_one("#tabs").active):
            break
        await pilot.pause(0.01)
    assert isinstance(app.focused, StepBar), app.focused  # where the user starts
    await pilot.press("enter")
    for _ in range(limit):
        if not isinstance(app.focused, StepBar):
            break
        await pilot.pause(0.01)
    assert not isinstance(app.focused, StepBar), "Enter on the tab bar goes into the first field"


async def until(pilot, condition, what: str = "the condition to hold", timeout: float = 10.0) -> None:
    """Wait until ``condition()`` holds (a busy machine takes longer than any fixed pause); fail
    saying ``what`` was awaited."""
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"waited {timeout:.0f} s in vain: {what}")
        await pilot.pause(0.02)
