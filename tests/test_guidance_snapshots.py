"""Snapshots at 80x24 of what the guidance tells a team: the SMART letters, the round dialog,
the usefulness table.

Update after an intended change: pytest tests/test_guidance_snapshots.py --snapshot-update
"""

from __future__ import annotations


from tests.helpers import filled_workbook
from tests.test_snapshots import NOW, form_ready
from tui import storage
from tui.app.werkboek_app import WerkboekApp


def app_with_broad_goal(tmp_path) -> WerkboekApp:
    wb = filled_workbook(tmp_path)
    wb.set(("cyclus", 0, "acties", 0, "doel"), "Voor de voorstelling met 3 acteurs beter publiek trekken")
    storage.save(wb)
    return WerkboekApp(wb.path, clock=lambda: NOW, autosave=0)


async def _wait(pilot, condition) -> None:
    for _ in range(300):
        if condition():
            break
        await pilot.pause(0.01)
    await pilot.pause()
    await pilot.pause(0.1)


def test_smart_letters_in_the_action_form(snap_compare, tmp_path):
    async def open_action(pilot):
        await form_ready(pilot)
        pilot.app.action_show_tab("actie")
        await _wait(pilot, lambda: pilot.app.pane_ready("actie"))
        pilot.app.query_one("#acties DataTable").focus()
        await pilot.press("enter")
        await _wait(pilot, lambda: bool(pilot.app.screen.query("#record-advice")))

    assert snap_compare(app_with_broad_goal(tmp_path), run_before=open_action, terminal_size=(80, 24))


def test_new_round_dialog(snap_compare, tmp_path):
    async def open_dialog(pilot):
        await form_ready(pilot)
        pilot.app.action_new_cycle()
        await _wait(pilot, lambda: bool(pilot.app.screen.query("#round-titel")))
        pilot.app.refresh_bindings()  # the footer behind the dialog: step keys are off while it is open
        await pilot.pause()

    assert snap_compare(app_with_broad_goal(tmp_path), run_before=open_dialog, terminal_size=(80, 24))


def test_usefulness_table_of_the_rounds_sources(snap_compare, tmp_path):
    async def to_table(pilot):
        await form_ready(pilot)
        pilot.app.action_show_tab("data")
        await _wait(pilot, lambda: pilot.app.pane_ready("data") and bool(pilot.app.query("#bruikbaarheid")))
        pane = pilot.app.query_one("#pane-data")
        table = pilot.app.query_one("#bruikbaarheid")
        pane.scroll_to(y=table.virtual_region.y - pane.virtual_region.y - 3, animate=False)
        await pilot.pause(0.2)

    wb = filled_workbook(tmp_path)
    wb.append(("databronnen",), {"id": "enquete", "naam": "Publieksonderzoek regio", "herkomst": "extern", "anonimiteit": "anoniem"})
    wb.set(("cyclus", 0, "data", "bronnen"), ["ticketing", "enquete"])
    wb.set(("cyclus", 0, "vraagstuk", "focus"), "marketing")
    storage.save(wb)
    assert snap_compare(WerkboekApp(wb.path, clock=lambda: NOW, autosave=0), run_before=to_table, terminal_size=(80, 24))
