"""What the app tells a team, seen on the screen at 80x24 (Pilot)."""

from __future__ import annotations

import datetime as dt

from tests.helpers import new_workbook, show_tab
from tui import storage
from tui.app.record_screen import RecordScreen
from tui.app.werkboek_app import WerkboekApp

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def make_app(path) -> WerkboekApp:
    return WerkboekApp(path, clock=lambda: NOW, autosave=0)


def _rows(app) -> str:
    """The text on screen, row by row, from the app's own screenshot."""
    import html
    import re

    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text[^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(parts)) for _, parts in sorted(rows.items()))


async def open_bad_goal(pilot, app) -> None:
    await show_tab(pilot, "actie")
    app.query_one("#acties DataTable").focus()
    await pilot.press("enter")
    for _ in range(200):
        if isinstance(app.screen, RecordScreen) and app.screen.query("#record-advice") and app.screen.query_one("#record-advice").region:
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def test_all_five_smart_letters_are_readable_at_80x24(tmp_path):
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.append(("cyclus", 0, "acties"), {"id": "breed", "titel": "Breed doel", "doel": "Voor de voorstelling met 3 acteurs beter publiek trekken en de bezoekersaantallen verhogen"})
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_bad_goal(pilot, app)
        advice = app.screen.query_one("#record-advice")
        assert advice.region.height == 5 and advice.region.bottom <= 24
        shown = _rows(app)
        for letter in ("✗ S Specifiek", "~ M Meetbaar", "✗ A Acceptabel", "✗ R Realistisch", "✗ T Tijdgebonden"):
            assert letter in shown
        assert "Tip S: Noem voor wie het is" in shown

