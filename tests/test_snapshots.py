"""Snapshots of the screens people see, at the smallest supported and a roomy terminal size.

Update after an intended change: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import filled_workbook, timeline_workbook
from tui import storage
from tui.app.werkboek_app import WerkboekApp

NOW = dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
SIZES = [(80, 24), (120, 40)]


def example_app(tmp_path) -> WerkboekApp:
    wb = filled_workbook(tmp_path)
    for key, text in (("belangrijk", "Nieuw, jonger publiek naast onze vaste bezoekers."), ("bereiken", "Gezinnen met kinderen uit de regio.")):
        wb.set(("cyclus", 0, "vraagstuk", key), text)
    wb.set(("cyclus", 0, "vraagstuk", "waarom"), ["Omdat de vaste bezoeker ouder wordt.", "Omdat we de zaal willen blijven vullen."])
    for key, answer in zip(("strategie", "visie", "eigenaar", "kennis", "klantenbestand", "mogelijkheden", "systemen"), ["nee", "ja", "nee", "nee", "ja", "nee", "nee"]):
        wb.set(("cyclus", 0, "data", "ervaring", key), answer)
    wb.set(("cyclus", 0, "data", "bronnen"), ["ticketing"])
    wb.append(("databronnen",), {"id": "website", "naam": "Website-statistieken", "soort": "website_analytics", "herkomst": "intern", "anonimiteit": "anoniem", "bijgewerkt": dt.date(2024, 5, 1), "relevant": "ja", "actualiteit": "ja", "bruikbaarheid": "nee"})
    storage.save(wb)
    return WerkboekApp(wb.path, clock=lambda: NOW, autosave=0)


async def form_ready(pilot, tab: str = "vraagstuk") -> None:
    """Wait until the shown step's form is mounted, focused and laid out (it mounts after the
    first frame, and a background parse competes for the interpreter): two equal frames in a row."""
    app = pilot.app
    for _ in range(300):
        if app.pane_ready(tab) and app.focused is not None:
            break
        await pilot.pause(0.01)
    await app.workers.wait_for_complete()
    previous = None
    for _ in range(50):
        await pilot.pause(0.05)
        frame = app.export_screenshot()
        if frame == previous:
            return
        previous = frame


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_step_1_vraagstuk(snap_compare, tmp_path, size):
    assert snap_compare(example_app(tmp_path), run_before=form_ready, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_step_2_data(snap_compare, tmp_path, size):
    async def to_data(pilot):
        await form_ready(pilot)
        await pilot.press("f4")
        await form_ready(pilot, "data")

    assert snap_compare(example_app(tmp_path), run_before=to_data, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_step_2_data_sources(snap_compare, tmp_path, size):
    async def to_sources(pilot):
        await form_ready(pilot)
        await pilot.press("f4")
        await form_ready(pilot, "data")
        pilot.app.query_one("#bronnen DataTable").focus()
        await pilot.pause()

    assert snap_compare(example_app(tmp_path), run_before=to_sources, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_step_4_implementatie(snap_compare, tmp_path, size):
    async def to_step_4(pilot):
        await form_ready(pilot)
        pilot.app.action_show_tab("implementatie")
        await form_ready(pilot, "implementatie")

    assert snap_compare(example_app(tmp_path), run_before=to_step_4, terminal_size=size)


@pytest.mark.parametrize("register", ["verwerkingsregister", "datalekregister"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_registers(snap_compare, tmp_path, size, register):
    async def to_register(pilot):
        await form_ready(pilot)
        pilot.app.goto_register(register)
        await form_ready(pilot, "implementatie")
        await pilot.pause()

    assert snap_compare(example_app(tmp_path), run_before=to_register, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_step_3_actie(snap_compare, tmp_path, size):
    async def to_step_3(pilot):
        await form_ready(pilot)
        pilot.app.action_show_tab("actie")
        await form_ready(pilot, "actie")

    assert snap_compare(example_app(tmp_path), run_before=to_step_3, terminal_size=size)


TIMELINE_NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.mark.parametrize("cycles", [1, 3, 12])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_overview_timeline(snap_compare, tmp_path, size, cycles):
    wb = timeline_workbook(tmp_path, cycles)
    storage.save(wb)

    async def to_overview(pilot):
        await form_ready(pilot)
        pilot.app.action_show_tab("overzicht")
        await form_ready(pilot, "overzicht")
        await pilot.press("home", "right")  # the second round (or the only one) chosen

    app = WerkboekApp(wb.path, clock=lambda: TIMELINE_NOW, autosave=0)
    assert snap_compare(app, run_before=to_overview, terminal_size=size)
