"""Record forms lose nothing unasked, and F1 explains their fields as it does everywhere."""

from __future__ import annotations

import tomllib

from textual.widgets import Input

from tests.helpers import new_workbook, wait_for_pane
from tui.app.confirm_screen import ChoiceScreen
from tui.app.help_screen import HelpScreen
from tui.app.record_screen import RecordScreen
from tui.app.record_table import RecordTable
from tui.app.werkboek_app import WerkboekApp
from tui.model.help import field_help


def read(path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def open_form(pilot, table_id: str, index: int | None = None) -> RecordScreen:
    pilot.app.record_action(table_id, "add" if index is None else "edit", index)
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecordScreen)
    return pilot.app.screen


async def test_esc_on_a_filled_form_asks_before_throwing_it_away(tmp_path):
    path = new_workbook(tmp_path)
    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        form = await open_form(pilot, "bronnen")
        await pilot.press(*"Kassasysteem")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "Wijzigingen weggooien?" in app.screen.question
        await pilot.press("escape")  # = keep editing
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#veld-naam Input", Input).value == "Kassasysteem"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#choice-verder")  # "Verder bewerken"
        await pilot.pause()
        assert app.screen is form
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#choice-weggooien")
        await pilot.pause()
        assert not isinstance(app.screen, (RecordScreen, ChoiceScreen))
    assert read(path).get("databronnen", []) == []


async def test_esc_on_an_untouched_form_closes_at_once(tmp_path):
    app = WerkboekApp(new_workbook(tmp_path), autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        form = await open_form(pilot, "bronnen")
        form.query_one("#veld-systeem Input").focus()
        await pilot.press("x", "backspace")  # typed and taken back: nothing to lose
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (RecordScreen, ChoiceScreen))


async def test_esc_after_adding_a_measurement_to_an_action_asks(tmp_path):
    path = new_workbook(tmp_path, template="mariniersmuseum")
    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        form = await open_form(pilot, "acties", 0)
        table = form.query_one("#sub-evaluaties", RecordTable)
        before = len(table.records)
        table.post_message(RecordTable.Action(table, "add", None))
        await pilot.pause()
        measurement = app.screen
        assert isinstance(measurement, RecordScreen) and measurement is not form
        await pilot.press(*"01-06-2026", "tab", *"12")
        await pilot.press("f2")  # the measurement goes into the action's form (not yet the file)
        await pilot.pause()
        assert app.screen is form and len(table.records) == before + 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen), "the new measurement would be lost without a word"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form


async def test_f1_in_a_record_form_shows_the_fields_guide_text(tmp_path):
    app = WerkboekApp(new_workbook(tmp_path), autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        form = await open_form(pilot, "bronnen")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        title, text = field_help("databronnen[]", "naam")
        assert app.screen.help_title == title and app.screen.markdown == text
        await pilot.press("f1")  # F1 again closes it
        await pilot.pause()
        assert app.screen is form
        await pilot.press(*"Kassa", "escape")  # and in the dialog over the form: the same field
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.help_title == title


async def test_f1_in_a_dialog_without_a_field_explains_the_step(tmp_path):
    app = WerkboekApp(new_workbook(tmp_path), autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        app.screen.set_focus(None)
        app.action_choose_cycle()  # a question with buttons only
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.help_title == "Uitleg bij deze stap"


async def test_esc_in_the_new_round_dialog_asks_when_something_was_typed(tmp_path):
    """A title and a reason typed for a new round are not thrown away by one Esc; going back
    into the typed title puts the cursor at its end (it selected all, so a key replaced it)."""
    from tui.app.round_screen import RoundScreen

    path = new_workbook(tmp_path)
    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        app.action_new_cycle()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RoundScreen)
        await pilot.press(*"Herfst", "tab", *"Omdat het moet")
        await pilot.press("shift+tab", *"!")
        assert dialog.values() == {"titel": "Herfst!", "aanleiding": "Omdat het moet"}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")  # = keep editing
        await pilot.pause()
        assert app.screen is dialog and dialog.values()["titel"] == "Herfst!"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#choice-weggooien")
        await pilot.pause()
        assert not isinstance(app.screen, (RoundScreen, ChoiceScreen))
        assert len(app.session.cycles) == 1
        app.action_new_cycle()  # an untouched dialog closes at once
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (RoundScreen, ChoiceScreen))


async def test_esc_in_the_excel_import_dialog_asks_once_a_path_was_typed(tmp_path):
    from tui.app.import_screen import ImportScreen

    app = WerkboekApp(new_workbook(tmp_path), autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        app.action_import_excel()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportScreen)
        await pilot.press("escape")  # nothing typed: closes
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        app.action_import_excel()
        await pilot.pause()
        dialog = app.screen
        await pilot.press(*"export-van-marieke.xlsx")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog


async def test_an_action_form_starts_at_its_first_field_and_shows_measurements_in_dutch_dates(tmp_path):
    """Editing an action began in its technical 'Kenmerk', and its measurements table showed
    dates as 2024-03-01 where everything else says 01-03-2024."""
    from textual.widgets import DataTable

    from tests.helpers import filled_workbook
    from tui import storage

    wb = filled_workbook(tmp_path)
    storage.save(wb)
    app = WerkboekApp(wb.path, autosave=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        form = await open_form(pilot, "acties", 0)
        await pilot.pause()
        editor = next(node for node in app.focused.ancestors if node.__class__.__name__ == "FieldEditor")
        assert editor.field.key != "id"
        table = form.query_one("#sub-evaluaties DataTable", DataTable)
        cells = [str(c) for c in table.get_row_at(0)]
        assert "01-03-2024" in cells and not any("2024-03-01" in c for c in cells), cells


async def test_an_export_of_another_workbook_is_named_and_esc_after_nothing_to_take_over_closes(tmp_path):
    """The command line warned that an export came from another workbook; the app did not. And
    with nothing to take over, Esc asked 'Niets overnemen?' with a form's buttons."""
    from textual.widgets import Input

    from tests.helpers import filled_workbook
    from tui import export, storage
    from tui.app.import_screen import ImportScreen

    (tmp_path / "ander").mkdir()
    other = filled_workbook(tmp_path / "ander")
    storage.save(other)
    xlsx = tmp_path / "van-het-andere.xlsx"
    export.export_workbook(storage.load(other.path).data, xlsx, source="museum.toml")
    (tmp_path / "hier").mkdir()
    app = WerkboekApp(new_workbook(tmp_path / "hier"), autosave=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        app.action_import_excel()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportScreen)
        dialog.query_one("#import-path", Input).value = str(xlsx)
        await pilot.press("enter")
        for _ in range(200):
            if dialog.result is not None:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        status = str(dialog.query_one("#import-status").render())
        assert "gemaakt uit museum.toml, niet uit werkboek.toml" in status and "0 wijzigingen." in status
        await pilot.press("escape")  # nothing to take over: straight back, no question
        await pilot.pause()
        assert not isinstance(app.screen, (ImportScreen, ChoiceScreen))


async def test_a_required_field_with_an_invalid_value_is_named_once_as_not_valid(tmp_path):
    """'31-02-2026 25:99' typed as the breach's discovery: named as not valid, not also as empty."""
    from tui.app.field_editor import FieldEditor

    app = WerkboekApp(new_workbook(tmp_path), autosave=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        form = await open_form(pilot, "datalekregister")
        form.query_one("#veld-ontdekt", FieldEditor).focus_input()
        await pilot.pause()
        await pilot.press(*"31-02-2026 25:99")
        await pilot.press("f2")
        await pilot.pause()
        message = str(form.query_one("#record-message").render())
        assert "nog niet geldig: Ontdekt op" in message and "nog in te vullen: Ontdekt op" not in message
        assert app.screen is form


async def test_an_action_whose_goal_contradicts_itself_is_kept_but_named_when_saved(tmp_path):
    """Baseline 40, target 60, 'verlagen': the form shows ✗ M; F2 keeps what was typed (it can be
    fixed later) and says plainly that the goal contradicts itself and check will report it."""
    app = WerkboekApp(new_workbook(tmp_path), autosave=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        form = await open_form(pilot, "acties")
        from tui.app.field_editor import FieldEditor

        form.query_one("#veld-titel", FieldEditor).focus_input()
        await pilot.pause()
        await pilot.press(*"Minder no-shows")
        form.record.update({"nulmeting": 40, "streefwaarde": 60, "richting": "verlagen"})
        await pilot.press("f2")
        for _ in range(50):
            if app.screen is not form:
                break
            await pilot.pause(0.02)
        assert app.screen is not form, str(form.query_one("#record-message").render())
        assert app.session.get(app.session.cycle_path + ("acties",))[-1]["streefwaarde"] == 60
        [said] = [n for n in app._notifications if n.title == "Doel tegenstrijdig"]
        assert "verlagen" in said.message and said.severity == "warning"


async def test_step_keys_do_not_change_the_step_behind_an_open_form(tmp_path):
    """Esc then 2 typed fast arrives as Alt+2: with a form open, the step behind it stayed put
    only in appearance (step 2 loaded behind the form, and saving the form landed there)."""
    app = WerkboekApp(new_workbook(tmp_path), autosave=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        await pilot.press("4")
        await pilot.pause()
        before = app.query_one("#tabs").active
        form = await open_form(pilot, "datalekregister")
        await pilot.press("alt+2", "f3", "f4")
        await pilot.pause()
        assert app.screen is form and app.query_one("#tabs").active == before


async def test_the_chosen_row_of_a_table_is_scrolled_into_view_at_80x24(tmp_path):
    """↓ in step 3's table at 80x24 chose rows below the screen (Enter then opened one no one
    could see); a record just added is chosen and shown too."""
    from textual.widgets import DataTable

    from tests.helpers import show_tab
    from tui.templates import create_workbook

    app = WerkboekApp(create_workbook(tmp_path / "wb.toml", "mariniersmuseum"), autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        for i in range(8):
            app.session.add_record("acties", {"titel": f"Actie {i}"})
        await show_tab(pilot, "actie")
        table = app.query_one("#acties DataTable", DataTable)
        table.focus()
        await pilot.pause()

        def row_on_screen() -> bool:
            y = table.region.y + 1 + table.cursor_row - round(table.scroll_offset.y)
            return 0 <= y < app.size.height - 1  # above the footer

        for _ in range(9):
            await pilot.press("down")
            await pilot.pause()
            assert row_on_screen(), table.cursor_row


async def test_chosen_sources_are_marked_by_shape_not_colour_alone(tmp_path):
    """Every box showed the same X, chosen or not (in 256 colours the difference was hard to see)."""
    from tui.app.marked_selection_list import MarkedSelectionList
    from tui.templates import create_workbook

    app = WerkboekApp(create_workbook(tmp_path / "wb.toml", "mariniersmuseum"), autosave=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        form = await open_form(pilot, "acties", 0)
        choices = form.query_one(MarkedSelectionList)
        await pilot.pause()
        lines = [choices.render_line(y).text for y in range(choices.option_count)]
        chosen = set(form.record.get("bronnen", []))
        for i, line in enumerate(lines):
            value = choices.get_option_at_index(i).value
            assert line[1] == ("✓" if value in chosen else " "), line
        assert chosen and len(chosen) < len(lines)
