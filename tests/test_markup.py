"""User text is never markup: names, answers, file names and paths are shown as typed.

Text such as ``[/]`` would crash the app if it were read as Rich/Textual markup, and
``[@click=app.quit]`` would become an action. A workbook where every text field holds such text
is opened on every tab, every record form, the dialogs, the help, the timeline and presentation
mode: nothing crashes, the app keeps running, and the text is on the screen as it is in the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import DataTable, Static, TextArea
from textual.widgets._toast import Toast

from tests.helpers import fill_every_table, new_workbook, show_tab, text_field_paths, wait_for_pane, started
from tui import storage
from tui.app.confirm_screen import ChoiceScreen
from tui.app.error_screen import ParseErrorScreen
from tui.app.help_screen import HelpScreen
from tui.app.record_screen import RecordScreen
from tui.app.record_table import RecordTable
from tui.app.werkboek_app import WerkboekApp
from tui.session import RECORD_KINDS as RECORDS

HOSTILE = "[/] [@click=app.quit] [b]x"
IN_PATH = "[@click=app.quit] [b]x"  # a file name cannot hold the "/"
SIZE = (200, 60)  # wide enough that the tables' columns show whole values


def hostile_workbook(tmp_path: Path) -> Path:
    """Every text field holds HOSTILE; the folder's name is markup too (paths in messages)."""
    folder = tmp_path / IN_PATH
    folder.mkdir()
    path = new_workbook(folder)
    wb = storage.load(path)
    fill_every_table(wb)
    for p in text_field_paths():
        wb.set(p, HOSTILE)
    wb.set(("cyclus", 0, "vraagstuk", "focus"), "marketing")
    storage.save(wb)
    return path


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def shown(app, widget) -> str:
    """The text the screen shows where ``widget`` is (what a user sees, after rendering)."""
    region = widget.region
    lines = app.screen._compositor.render_strips()
    return "\n".join(strip.crop(region.x, region.right).text for strip in lines[region.y : region.bottom])


async def in_view(pilot, widget) -> str:
    """What the screen shows of ``widget`` once it is scrolled into view and drawn there (on a
    busy machine that takes more than one pause; a widget out of view shows nothing)."""
    for _ in range(100):
        widget.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        if widget.region.height and shown(pilot.app, widget).strip():
            break
    return shown(pilot.app, widget)


def running(app) -> bool:
    return app.is_running and not app._exit and app.return_code is None


async def close_screen(pilot) -> None:
    await pilot.press("escape")
    await pilot.pause()
    if isinstance(pilot.app.screen, ChoiceScreen):  # "Wijzigingen weggooien?": nothing was changed, but be safe
        await pilot.press("escape")
        await pilot.pause()


async def test_every_tab_shows_user_text_literally(tmp_path):
    app = WerkboekApp(hostile_workbook(tmp_path), autosave=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        assert HOSTILE in shown(app, app.query_one("Header"))  # organisatie.naam as the title
        assert f"Ons vraagstuk: {HOSTILE}" in await in_view(pilot, app.query_one("#kern-summary"))

        await show_tab(pilot, "data")
        table = app.query_one("#bronnen DataTable", DataTable)
        assert HOSTILE in await in_view(pilot, table)
        table.focus()
        await pilot.pause()
        assert HOSTILE in await in_view(pilot, app.query_one("#bronnen .detail"))

        await show_tab(pilot, "actie")
        assert HOSTILE in await in_view(pilot, app.query_one("#acties DataTable"))

        await show_tab(pilot, "implementatie")
        for table_id in ("systemen", "verwerkingsregister"):
            assert HOSTILE in await in_view(pilot, app.query_one(f"#{table_id} DataTable"))

        await show_tab(pilot, "overzicht")
        assert HOSTILE in await in_view(pilot, app.query_one("#cycles"))
        timeline = app.query_one("#timeline")
        action = next(i for i, it in enumerate(timeline.items) if it.path[2:3] == ("acties",))
        timeline.select(action)
        await pilot.pause()
        assert HOSTILE in await in_view(pilot, app.query_one("#timeline-detail"))
        assert running(app)
    assert app.return_code in (None, 0)  # 1 after an exception


async def test_every_record_form_and_dialog_shows_user_text_literally(tmp_path):
    app = WerkboekApp(hostile_workbook(tmp_path), autosave=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        for table_id in RECORDS:
            app.record_action(table_id, "edit", 0)
            for _ in range(300):  # pushed and laid out
                await pilot.pause()
                if isinstance(app.screen, RecordScreen) and app.screen.shown_focus and "".join(screen_lines(app)).strip():
                    break
            screen = app.screen
            assert isinstance(screen, RecordScreen)
            text = "\n".join(screen_lines(app))
            if table_id != "datalekregister":  # a breach has no text field in view at the top
                assert HOSTILE in text, table_id
            for key, child in screen.nested().items():  # purposes, processors of a register entry
                if any(f.type == "tekst" for f in list(child.fields.values())[:2]):  # the columns shown
                    assert HOSTILE in await in_view(pilot, screen.query_one(f"#sub-{key} DataTable")), key
            for sub_key in screen.nested():  # and their own forms
                sub = screen.query_one(f"#sub-{sub_key}", RecordTable)
                sub.post_message(RecordTable.Action(sub, "edit", 0))
                for _ in range(300):  # the sub-form is pushed and laid out (a busy machine takes its time)
                    await pilot.pause()
                    if isinstance(app.screen, RecordScreen) and app.screen is not screen and HOSTILE in "\n".join(screen_lines(app)):
                        break
                assert isinstance(app.screen, RecordScreen) and app.screen is not screen
                assert HOSTILE in "\n".join(screen_lines(app))
                await close_screen(pilot)
            await close_screen(pilot)
            assert not isinstance(app.screen, RecordScreen)

            app.record_action(table_id, "remove", 0)  # "Databron '…' verwijderen?"
            await pilot.pause()
            assert isinstance(app.screen, ChoiceScreen)
            if table_id != "datalekregister":
                assert HOSTILE in shown(app, app.screen.query_one("#choice-question"))
            await close_screen(pilot)

        # a data source's processing is chosen by name: the drop-down shows the name as typed
        app.record_action("bronnen", "edit", 0)
        await pilot.pause()
        assert f"{HOSTILE} (tickets)" in await in_view(pilot, app.screen.query_one("#veld-verwerking"))
        await close_screen(pilot)

        # the timeline's measurement dialog names the action
        await show_tab(pilot, "overzicht")
        timeline = app.query_one("#timeline")
        measurement = next(i for i, it in enumerate(timeline.items) if len(it.path) == 6)
        timeline.select(measurement)
        timeline.action_open()
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert HOSTILE in shown(app, app.screen.query_one("#choice-question"))
        await close_screen(pilot)
        assert running(app)
    assert app.return_code in (None, 0)  # 1 after an exception


async def test_help_check_presentation_and_notifications_with_user_text(tmp_path):
    path = hostile_workbook(tmp_path)
    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        app.action_check()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")

        await pilot.press("f6")
        for _ in range(12):  # the hulpvragen, the core question, the levels, each action's SMART check
            await pilot.press("pagedown")
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()

        # a notification with the file's path (the folder's name is markup)
        area = app.query_one("#veld-vraagstuk-belangrijk TextArea", TextArea)
        area.focus()
        await pilot.press("!")
        app.action_save()
        await app.workers.wait_for_complete()
        await pilot.pause()
        toasts = [shown(app, t) for t in app.screen.query(Toast)]
        assert any(IN_PATH in t.replace("\n", "") for t in toasts), toasts
        assert running(app)
        typed = area.text
    assert app.return_code in (None, 0)  # 1 after an exception
    assert "!" in typed and HOSTILE in typed
    assert tomllib.loads(path.read_text(encoding="utf-8"))["cyclus"][0]["vraagstuk"]["belangrijk"] == typed


async def test_typing_markup_into_the_core_question_keeps_the_app_and_the_text(tmp_path):
    path = new_workbook(tmp_path)
    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        area = app.query_one("#veld-vraagstuk-kernvraag TextArea", TextArea)
        area.focus()
        await pilot.press(*"Kassa [/] oud [@click=app.quit]")
        await pilot.pause()
        assert running(app)
        summary = app.query_one("#kern-summary", Static)
        assert "Ons vraagstuk: Kassa [/] oud [@click=app.quit]" in await in_view(pilot, summary)
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code in (None, 0)  # 1 after an exception
    assert tomllib.loads(path.read_text(encoding="utf-8"))["cyclus"][0]["vraagstuk"]["kernvraag"] == "Kassa [/] oud [@click=app.quit]"


async def test_an_unreadable_file_with_markup_in_its_name(tmp_path):
    path = tmp_path / f"{IN_PATH}.toml"
    path.write_text("naam = [/]\n", encoding="utf-8")
    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert isinstance(app.screen, ParseErrorScreen)
        text = "\n".join(screen_lines(app))
        assert f"{IN_PATH}.toml kan niet worden geopend" in text
        assert running(app)
        await pilot.press("q")
    assert path.read_text(encoding="utf-8") == "naam = [/]\n"
