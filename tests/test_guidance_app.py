"""What the app tells a team, seen on the screen at 80x24 (Pilot)."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, TextArea

from tests.helpers import enter_first_field, new_workbook, show_tab
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



async def test_step_3_shows_the_same_status_as_the_timeline_and_a_closed_action_is_afgerond(tmp_path):
    from tests.test_guidance import _round_with_actions
    from tui.model import rules

    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.set(("cyclus", 0, "start"), dt.date(2025, 1, 1))
    for action in _round_with_actions()["cyclus"][0]["acties"]:
        wb.append(("cyclus", 0, "acties"), action)
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, "actie")
        table = app.query_one("#acties DataTable")
        for _ in range(200):
            if table.row_count == 4:
                break
            await pilot.pause(0.01)
        headers = [str(c.label) for c in table.columns.values()]
        rows = [dict(zip(headers, (str(v) for v in table.get_row_at(i)))) for i in range(table.row_count)]
        actions = app.workbook.get(("cyclus", 0, "acties"))
        assert [r["Stand"] for r in rows] == [rules.action_status(a, NOW.date(), dt.date(2025, 1, 1)).text for a in actions]
        assert rows[0]["Stand"] == "✓ afgerond" and rows[1]["Stand"] == "· nog niet gemeten"


async def test_the_72_hour_countdown_ticks_in_the_header_and_the_breach_table_in_dutch_time(tmp_path):
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    found = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone.utc)
    wb.append(("datalekregister",), {"id": "lek", "ontdekt": found})
    storage.save(wb)
    moments = [found + dt.timedelta(hours=70)]
    app = WerkboekApp(path, clock=lambda: moments[0], autosave=0)  # the machine's clock in UTC
    app.tick_seconds = 0.05
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, "implementatie")
        alerts = app.query_one("#alerts")
        for _ in range(300):
            if app.query("#datalekregister DataTable") and app.query_one("#datalekregister DataTable").row_count:
                break
            await pilot.pause(0.01)
        table = app.query_one("#datalekregister DataTable")
        assert "nog 2 uur om te melden" in str(alerts.render())
        assert str(table.get_row_at(0)[1]) == "02-03-2026 11:00"  # discovered, in Amsterdam time
        moments[0] += dt.timedelta(minutes=61)  # nothing is edited; only time passes
        for _ in range(300):
            if "nog 59 min" in str(alerts.render()) and "nog 59 min" in str(table.get_row_at(0)[2]):
                break
            await pilot.pause(0.02)
        assert "nog 59 min" in str(alerts.render())
        assert "nog 59 min" in str(table.get_row_at(0)[2])


async def test_textual_speaks_dutch_and_alt_digits_switch_tabs_from_the_first_field(tmp_path):
    from textual.command import CommandInput
    from textual.widgets import Select

    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_first_field(pilot)  # from the tab bar, where the app starts
        assert isinstance(app.focused, (TextArea, Input))
        await pilot.press("alt+3")
        await pilot.pause()
        assert app.query_one("#tabs").active == "tab-actie" or "actie" in str(app.query_one("#tabs").active)
        await pilot.press("alt+1")
        await pilot.pause()
        footer = _rows(app).splitlines()[-1]
        assert "palette" not in footer and "Opdrachten" in footer
        await pilot.press("ctrl+p")
        for _ in range(100):
            if app.screen.query(CommandInput):
                break
            await pilot.pause(0.01)
        assert app.screen.query_one(CommandInput).placeholder == "Zoek een opdracht…"
        assert "Search" not in _rows(app)
        await pilot.press("escape")
        await pilot.pause()
        select = app.query(Select).first()
        select.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        footer = _rows(app).splitlines()[-1]
        assert "Dismiss" not in footer and "Menu sluiten" in footer


async def test_keys_do_what_they_say_in_fields_chain_and_tables(tmp_path):
    from textual.widgets import Input, Select

    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.set(("cyclus", 0, "vraagstuk", "onderwerp"), "Gezinnen")
    for i in range(3):
        wb.append(("databronnen",), {"id": f"b{i}", "naam": f"Bron {i}"})
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(300):
            if app.pane_ready("vraagstuk") and app.query("#waarom-1"):
                break
            await pilot.pause(0.01)
        # tabbing into a filled field: the cursor at the end, nothing selected
        topic = app.query_one("#veld-vraagstuk-onderwerp Input", Input)
        topic.focus()
        await pilot.pause()
        assert topic.selection.is_empty and topic.cursor_position == len("Gezinnen")
        await pilot.press("!")
        assert topic.value == "Gezinnen!"
        # Enter in the 5x waarom chain moves into the next answer
        first = app.query_one("#waarom-1", Input)
        first.focus()
        await pilot.press(*"Omdat het publiek vergrijst", "enter")
        await pilot.pause()
        assert app.focused is app.query_one("#waarom-2", Input)
        await pilot.press(*"Omdat jongeren wegblijven")
        assert first.value == "Omdat het publiek vergrijst" and app.query_one("#waarom-2", Input).value == "Omdat jongeren wegblijven"
        # a ja/nee field takes j and n
        await show_tab(pilot, "data")
        for _ in range(300):
            if app.pane_ready("data") and app.query("#bronnen DataTable"):
                break
            await pilot.pause(0.01)
        strategie = app.query_one("#veld-data-ervaring-strategie Select", Select)
        strategie.focus()
        await pilot.press("j")
        await pilot.pause()
        assert strategie.value == "ja" and app.workbook.get(("cyclus", 0, "data", "ervaring", "strategie")) == "ja"
        await pilot.press("n")
        await pilot.pause()
        assert strategie.value == "nee"
        # a new row is selected after it is added
        table = app.query_one("#bronnen DataTable")
        table.focus()
        await pilot.press("a")
        for _ in range(200):
            if isinstance(app.screen, RecordScreen):
                break
            await pilot.pause(0.01)
        await pilot.press(*"Nieuwe bron")
        await pilot.press("f2")
        for _ in range(200):
            if table.row_count == 4:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert table.cursor_row == 3


async def test_dialog_buttons_are_not_cut_at_80_columns(tmp_path):
    from textual.widgets import Button

    from tui.app.confirm_screen import ChoiceScreen

    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_tab(pilot, "implementatie")
        for _ in range(300):
            if app.query("#verwerkingsregister DataTable"):
                break
            await pilot.pause(0.01)
        app.query_one("#verwerkingsregister DataTable").focus()
        await pilot.press("a")
        for _ in range(200):
            if isinstance(app.screen, ChoiceScreen):
                break
            await pilot.pause(0.01)
        await pilot.pause()
        buttons = list(app.screen.query(Button))
        assert len(buttons) > 3
        for button in buttons:
            label = str(button.label)
            assert button.region.width >= len(label) + 2, label  # the whole label fits
            assert button.region.right <= 80
        shown = _rows(app)
        assert str(buttons[0].label) in shown


async def test_f1_shows_the_fields_own_paragraph_first_in_dutch_and_wrapped(tmp_path):
    from tui.app.help_screen import HelpScreen
    from tui.model.guide import guide

    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_tab(pilot, "data")
        for _ in range(300):
            if app.query("#veld-data-ervaring-eigenaar Select"):
                break
            await pilot.pause(0.01)
        app.query_one("#veld-data-ervaring-eigenaar Select").focus()
        await pilot.press("f1")
        for _ in range(100):
            if isinstance(app.screen, HelpScreen):
                break
            await pilot.pause(0.01)
        await pilot.pause(0.2)
        screen = app.screen
        assert "Is there" not in screen.markdown and "What matters" not in screen.markdown
        assert screen.markdown.startswith(guide()["ervaring"]["vraag"])  # the field's own paragraph first
        assert screen.markdown.index(guide()["stappen"]["data"]["uitleg"][:40]) > 0  # then the whole step
        shown = " ".join(_rows(app).split())
        assert "publieksdatagebruik?" in shown  # the question is wrapped, not cut at 80 columns


async def test_the_organisation_is_editable_in_step_4(tmp_path):
    import tomllib

    from textual.widgets import Input

    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 40)) as pilot:
        await show_tab(pilot, "implementatie")
        for _ in range(300):
            if app.query("#veld-organisatie-naam Input"):
                break
            await pilot.pause(0.01)
        for key, text in (("naam", "Museum Aan Zee"), ("fg", "Privacy Company"), ("email", "info@aanzee.nl"), ("contactpersoon", "Eva"), ("website", "aanzee.nl")):
            app.query_one(f"#veld-organisatie-{key} Input", Input).focus()
            await pilot.press(*text)
        await pilot.pause()
        assert app.title == "Museum Aan Zee"
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
    org = tomllib.loads(path.read_text(encoding="utf-8"))["organisatie"]
    assert org["naam"] == "Museum Aan Zee" and org["fg"] == "Privacy Company"
    # the contact details the register's header names are filled in here too
    assert (org["email"], org["contactpersoon"], org["website"]) == ("info@aanzee.nl", "Eva", "aanzee.nl")


async def test_a_long_organisation_name_never_hides_the_save_state_in_the_header(tmp_path):
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.set(("organisatie", "naam"), "Stichting Theater, Filmhuis en Poppodium De Verenigde Kunsten van Zuidoost-Brabant")
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.query_one("Header")
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        top = lines[header.region.y]
        assert "ronde 1/1 · ✓ opgeslagen" in top and "Stichting Theater" in top and "…" in top, top


async def test_ga_naar_a_register_lands_on_its_table_in_view(tmp_path):
    """'Ga naar: datalekregister' from another step: the focus on its table, and the table on
    screen at 80x24 (the step opened at its top, the table far below)."""
    from textual.widgets import DataTable

    from tests.helpers import filled_workbook

    wb = filled_workbook(tmp_path)
    storage.save(wb)
    app = make_app(wb.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_tab(pilot, "vraagstuk")
        app.goto_register("datalekregister")
        for _ in range(300):
            await pilot.pause(0.01)
            focused = app.focused
            if isinstance(focused, DataTable) and any(a.id == "datalekregister" for a in focused.ancestors) and focused.region.height and app.screen.region.contains_region(focused.region):
                break
        focused = app.focused
        assert isinstance(focused, DataTable) and any(a.id == "datalekregister" for a in focused.ancestors)
        assert focused.region.height and app.screen.region.contains_region(focused.region), focused.region
