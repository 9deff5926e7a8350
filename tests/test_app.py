"""The app, driven by keyboard only through Textual's Pilot, checked in the TOML file it writes."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from textual.widgets import Input, Select, TextArea

from tests.helpers import burst, enter_first_field, new_workbook, show_tab, started, wait_for_pane
from tui.app.confirm_screen import ChoiceScreen
from tui.app.conflict_screen import ConflictScreen
from tui.app.error_screen import ParseErrorScreen
from tui.app.help_screen import HelpScreen
from tui.app.level_panel import LevelPanel
from tui.app.record_screen import RecordScreen
from tui.app.step_tabs import StepBar, StepTabs
from tui.app.werkboek_app import WerkboekApp

NOW = dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
HULPVRAGEN = ("belangrijk", "meten", "afdelingen", "personen", "bereiken", "uitdagingen", "niet_willen")


def make_app(path, **kw) -> WerkboekApp:
    return WerkboekApp(path, clock=lambda: NOW, autosave=kw.pop("autosave", 0), **kw)


def read(path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def type_text(pilot, text: str) -> None:
    """Type as a person would once the cursor is in a field (the form mounts after the first
    frame: keys typed before land nowhere, on a busy machine too)."""
    from textual.widgets import Input, TextArea

    for _ in range(300):
        if isinstance(pilot.app.focused, (Input, TextArea)):
            break
        await pilot.pause(0.01)
    assert isinstance(pilot.app.focused, (Input, TextArea)), f"no text field has the cursor: {pilot.app.focused!r}"
    await burst(pilot, *["enter" if ch == "\n" else ch for ch in text])
    await pilot.pause()  # what the text brings up (the next "waarom" field) is there before the next key


def source_rows(app) -> list[dict]:
    """The data-source table as dicts keyed by column header."""
    table = app.query_one("#bronnen DataTable")
    headers = [str(c.label) for c in table.columns.values()]
    return [dict(zip(headers, (str(v) for v in table.get_row_at(i)))) for i in range(table.row_count)]


def field_of(app):
    """The schema key of the field editor that holds the focus."""
    node = app.focused
    while node is not None and node.__class__.__name__ != "FieldEditor":
        node = node.parent
    return node.field.key if node is not None else None


async def choose(pilot, steps_down: int) -> None:
    """Open the focused Select and pick the option ``steps_down`` below the prompt."""
    await pilot.press("enter")
    for _ in range(steps_down):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def save_and_wait(pilot, app) -> None:
    await pilot.press("f2")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_step_1_filled_by_keyboard_only(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_first_field(pilot)  # from the tab bar, where the app starts
        for i, key in enumerate(HULPVRAGEN):
            assert field_of(app) == key
            await type_text(pilot, f"Antwoord {i}\ntweede regel")
            await pilot.press("tab")
        assert field_of(app) == "focus"
        await choose(pilot, 3)  # strategie, programmeren, marketing
        await pilot.press("tab")
        assert field_of(app) == "onderwerp"
        await type_text(pilot, "publieksstromen sturen")
        await pilot.press("tab")
        for i in range(1, 6):
            assert app.focused.id == f"waarom-{i}"
            await type_text(pilot, f"waarom {i}")
            await pilot.press("tab")
        assert field_of(app) == "kernvraag"
        await type_text(pilot, "Hoe sturen we publieksstromen naar de matinee?")
        examples = str(app.query_one("#focus-examples").render())
        assert "publieksstromen sturen" in examples
        summary = app.query_one("#kern-summary")
        assert summary.display and "matinee" in str(summary.render())
        assert "niet opgeslagen" in app.sub_title
        await save_and_wait(pilot, app)
        assert "opgeslagen" in app.sub_title and "niet" not in app.sub_title
    v = read(path)["cyclus"][0]["vraagstuk"]
    for i, key in enumerate(HULPVRAGEN):
        assert v[key] == f"Antwoord {i}\ntweede regel"
    assert v["focus"] == "marketing"
    assert v["onderwerp"] == "publieksstromen sturen"
    assert v["waarom"] == [f"waarom {i}" for i in range(1, 6)]
    assert v["kernvraag"] == "Hoe sturen we publieksstromen naar de matinee?"
    # the file still reads as a guide: the comments are where they were
    assert "# Wie willen we bereiken? En waarom?" in path.read_text(encoding="utf-8")


async def test_step_2_filled_by_keyboard_only(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)
    answers = ["ja", "ja", "nee", "ja", "ja", "nee", "ja"]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        await pilot.press("f4")
        await pilot.pause()
        assert app.query_one(StepTabs).active == "data"
        assert isinstance(app.focused, StepBar)  # from the tab bar, a step key keeps the focus there
        await enter_first_field(pilot)
        for key, answer in zip(("strategie", "visie", "eigenaar", "kennis", "klantenbestand", "mogelijkheden", "systemen"), answers):
            assert field_of(app) == key
            await choose(pilot, 1 if answer == "ja" else 2)
            await pilot.press("tab")
        await pilot.pause()
        panel = str(app.query_one(LevelPanel).render())
        assert "Lerend" in panel and "5× ja, 2× nee" in panel and "groepje mensen verantwoordelijk" in panel
        assert field_of(app) == "vanzelfsprekend"  # the follow-up appears for a learning organisation
        await choose(pilot, 2)
        await pilot.press("tab")
        # the data-source table: add one with every field
        assert app.focused.__class__.__name__ == "DataTable"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        assert field_of(app) == "naam"
        await type_text(pilot, "Ticketverkoop")
        await pilot.press("tab")
        await choose(pilot, 2)  # soort: ticketing
        await pilot.press("tab")
        await type_text(pilot, "Ticketsysteem X")
        await pilot.press("tab")
        await type_text(pilot, "Marketing")
        await pilot.press("tab")
        await choose(pilot, 1)  # herkomst: intern
        await pilot.press("tab")
        await choose(pilot, 2)  # gepersonaliseerd
        await pilot.press("tab")
        assert field_of(app) == "bijgewerkt"
        await type_text(pilot, "15-01-2024")
        await pilot.press("tab")
        assert field_of(app) == "verwerking"  # no register entries yet: leave empty
        await pilot.press("tab")
        for check in ("relevant", "actualiteit", "bruikbaarheid"):
            assert field_of(app) == check
            await choose(pilot, 1)
            await pilot.press("tab")
            await type_text(pilot, f"{check} toegelicht")
            await pilot.press("tab")
        await pilot.press("f2")
        await pilot.pause()
        assert not isinstance(app.screen, RecordScreen)
        await pilot.press("space")  # use this source in this cycle
        await pilot.pause()
        row = source_rows(app)[0]
        assert row["Ronde"] == "✓ ja" and row["Naam"] == "Ticketverkoop"
        assert row["Toegang"] == "volledig" and row["Data"] == "persoonlijk"
        assert row["Bruikbaar"] == "·"  # no focus chosen in step 1 yet
        assert row["Register"] == "⚠ ontbreekt"  # personalised, used, and not in the register
        assert "verwerkingsregister" in str(app.query_one("#bronnen .detail").render())
        await pilot.press("tab")
        assert field_of(app) == "data_mist"
        await type_text(pilot, "Postcodes van bezoekers")
        await pilot.press("tab")
        await type_text(pilot, "Besproken op 1 juni")
        await save_and_wait(pilot, app)
    data = read(path)
    erv = data["cyclus"][0]["data"]["ervaring"]
    assert [erv[k] for k in ("strategie", "visie", "eigenaar", "kennis", "klantenbestand", "mogelijkheden", "systemen")] == answers
    assert erv["vanzelfsprekend"] == "nee"
    src = data["databronnen"][0]
    assert src == {
        "id": "ticketverkoop", "naam": "Ticketverkoop", "soort": "ticketing", "systeem": "Ticketsysteem X", "eigenaar": "Marketing",
        "herkomst": "intern", "anonimiteit": "gepersonaliseerd", "bijgewerkt": dt.date(2024, 1, 15),
        "relevant": "ja", "relevant_notitie": "relevant toegelicht", "actualiteit": "ja", "actualiteit_notitie": "actualiteit toegelicht",
        "bruikbaarheid": "ja", "bruikbaarheid_notitie": "bruikbaarheid toegelicht",
    }
    assert data["cyclus"][0]["data"]["bronnen"] == ["ticketverkoop"]
    assert data["cyclus"][0]["data"]["data_mist"] == "Postcodes van bezoekers"
    assert data["cyclus"][0]["data"]["notities"] == "Besproken op 1 juni"


async def test_usefulness_follows_the_cycle_focus(tmp_path):
    from tui import storage

    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.set(("cyclus", 0, "vraagstuk", "focus"), "beleving")
    wb.append(("databronnen",), {"id": "web", "naam": "Website", "anonimiteit": "anoniem", "bijgewerkt": dt.date(2022, 1, 1)})
    wb.append(("databronnen",), {"id": "crm", "naam": "CRM", "anonimiteit": "gepersonaliseerd"})
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        web, crm = source_rows(app)
        assert web["Bruikbaar"] == "✗ weinig" and crm["Bruikbaar"] == "✓ zeer"
        assert "⚠ oud" in web["Bijgewerkt"]  # older than the 12-month threshold
        assert crm["Register"] == "⚠ nodig"


async def test_an_invalid_value_shows_a_message_and_is_not_written(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "f4", "f4")  # step 4: the policy date
        await pilot.pause()
        app.query_one("#veld-implementatie-beleid_datum Input").focus()
        await type_text(pilot, "31-02-2024")
        await pilot.pause()
        editor = app.query_one("#veld-implementatie-beleid_datum")
        assert "bestaat niet" in str(editor.query_one(".message").render())
        assert editor.query_one(Input).has_class("-invalid")
        assert app.workbook.get(("cyclus", 0, "implementatie", "beleid_datum")) is None
        assert not app.workbook.dirty
        for _ in range(10):
            await pilot.press("backspace")
        await type_text(pilot, "28-02-2024")
        await pilot.pause()
        assert app.workbook.get(("cyclus", 0, "implementatie", "beleid_datum")) == dt.date(2024, 2, 28)


async def test_tab_bar_arrows_and_clicks_switch_steps(tmp_path):
    """The bar above the steps: focused with Shift+Tab from the first field, ← and → move
    between tabs (round the circle), a click on a label shows that step and builds its pane."""
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_first_field(pilot)
        tabs = app.query_one(StepTabs)
        bar = app.query_one(StepBar)
        assert app.focused is not bar
        await pilot.press("shift+tab")
        assert app.focused is bar
        await pilot.press("right")
        await pilot.pause()
        assert tabs.active == "data" and bar.active == "data"
        assert app.query("#pane-data")
        assert [p.id for p in app.query("StepPage") if p.display] == ["data"]
        assert app.focused is bar  # browsing the tabs: the focus stays on the bar
        await pilot.press("left", "left")
        await pilot.pause()
        assert tabs.active == "overzicht"
        start, end = next((s, e) for k, s, e in bar.spans() if k == "actie")
        await pilot.click(StepBar, offset=(start + (end - start) // 2, 0))
        await pilot.pause()
        assert tabs.active == "actie"
        await wait_for_pane(pilot, "actie")
        assert app.query("#pane-actie")
        assert app.focused is not bar and app.query_one("#pane-actie") in app.focused.ancestors  # a click goes into the step
        await pilot.click(StepBar, offset=(bar.size.width - 1, 0))  # beside the labels: nothing
        await pilot.pause()
        assert tabs.active == "actie"
        lines = bar.render().plain.splitlines()
        assert lines[0].startswith(" 1 Vraagstuk  2 Data  3 Actie & evaluatie ")
        assert len(lines[1]) == bar.size.width


async def test_number_keys_switch_tabs_only_outside_text_fields(tmp_path):
    path = new_workbook(tmp_path)
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        bar = app.query_one(StepBar)
        assert app.focused is bar  # where the app starts: the number keys work at once
        await pilot.press("3")
        await pilot.pause()
        assert app.query_one(StepTabs).active == "actie" and app.focused is bar
        await pilot.press("1")
        await pilot.pause()
        assert app.query_one(StepTabs).active == "vraagstuk" and app.focused is bar
        assert not app.session.dirty and path.read_bytes() == before
        await enter_first_field(pilot)
        assert isinstance(app.focused, TextArea)
        await pilot.press("3")
        assert app.query_one(StepTabs).active == "vraagstuk"
        assert app.focused.text == "3"
        await pilot.press("f4")  # works inside a text field
        await pilot.pause()
        assert app.query_one(StepTabs).active == "data"
        assert isinstance(app.focused, Select)
        await pilot.press("4")
        await pilot.pause()
        assert app.query_one(StepTabs).active == "implementatie"
        await pilot.press("f3")
        await pilot.pause()
        assert app.query_one(StepTabs).active == "actie"
        await pilot.press("5")
        await pilot.pause()
        assert app.query_one(StepTabs).active == "overzicht"


async def test_opening_every_tab_changes_nothing(tmp_path):
    from tests.helpers import filled_workbook

    wb = filled_workbook(tmp_path)
    from tui import storage

    storage.save(wb)
    before = wb.path.read_bytes()
    app = make_app(wb.path)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):
            await pilot.press("f4")
            await pilot.pause()
        assert not app.workbook.dirty
        await pilot.press("f2")
        await app.workers.wait_for_complete()
    assert wb.path.read_bytes() == before


async def test_hidden_tabs_are_built_when_first_shown(tmp_path):
    app = make_app(new_workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert app._built == {"vraagstuk"}
        assert not app.query("#pane-data")
        await pilot.press("f4")
        await pilot.pause()
        assert app._built == {"vraagstuk", "data"}
        assert app.query("#pane-data")


async def test_f1_shows_the_guide_for_the_focused_field(tmp_path):
    app = make_app(new_workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.query_one("#veld-vraagstuk-focus Select").focus()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.markdown
        assert "publieksstromen sturen" in text and "Formuleer de probleem- of vraagstelling." in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.focused.parent.field.key == "focus"


async def test_quitting_with_unsaved_changes_asks_first(tmp_path):
    path = new_workbook(tmp_path)
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_first_field(pilot)  # from the tab bar, where the app starts
        await type_text(pilot, "nog niet bewaard")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")  # cancel
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceScreen) and app.is_running
        await pilot.press("f10")  # the non-ctrl key does the same
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#choice-opslaan")
        await pilot.pause()
    assert read(path)["cyclus"][0]["vraagstuk"]["belangrijk"] == "nog niet bewaard"
    assert path.read_bytes() != before


async def test_quitting_without_saving_leaves_the_file(tmp_path):
    path = new_workbook(tmp_path)
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_first_field(pilot)  # from the tab bar, where the app starts
        await type_text(pilot, "weg ermee")
        await pilot.press("ctrl+q")
        await pilot.pause()
        app.screen.query_one("#choice-weggooien").focus()
        await pilot.press("enter")
        await pilot.pause()
    assert path.read_bytes() == before


async def test_autosave_after_the_last_change(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path, autosave=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_first_field(pilot)  # from the tab bar, where the app starts
        await type_text(pilot, "vanzelf bewaard")
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        assert read(path)["cyclus"][0]["vraagstuk"]["belangrijk"] == "vanzelf bewaard"
        assert not app.workbook.dirty


async def _settled(pilot, app, condition, limit: int = 300) -> None:
    for _ in range(limit):
        await app.workers.wait_for_complete()
        await pilot.pause(0.01)
        if condition():
            return
    assert condition()


async def test_a_save_after_another_session_saved_another_field_merges_both(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await enter_first_field(pilot)  # from the tab bar, where the app starts
        await type_text(pilot, "mijn tekst")
        path.write_text(path.read_text(encoding="utf-8").replace('naam = ""', 'naam = "Hun theater"', 1), encoding="utf-8")
        await save_and_wait(pilot, app)
        await _settled(pilot, app, lambda: not app.session.dirty)
        assert not isinstance(app.screen, ConflictScreen)
        assert app.title == "Hun theater"  # what came in is on screen
    assert read(path)["organisatie"]["naam"] == "Hun theater"
    assert read(path)["cyclus"][0]["vraagstuk"]["belangrijk"] == "mijn tekst"


async def test_the_same_field_changed_elsewhere_asks_which_value_to_keep(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await enter_first_field(pilot)  # from the tab bar, where the app starts
        await type_text(pilot, "mijn tekst")
        path.write_text(path.read_text(encoding="utf-8").replace('belangrijk = ""', 'belangrijk = "hun tekst"', 1), encoding="utf-8")
        await save_and_wait(pilot, app)
        # asked once the keys have paused, and clickable once laid out (an answer has the focus)
        await _settled(pilot, app, lambda: isinstance(app.screen, ChoiceScreen) and app.focused is not None)
        assert "hun tekst" in str(app.screen.query_one("#choice-detail").render())
        await pilot.click("#choice-hun")
        await _settled(pilot, app, lambda: app.session.get(("cyclus", 0, "vraagstuk", "belangrijk")) == "hun tekst")
        assert app.query_one("#veld-vraagstuk-belangrijk").value == "hun tekst"  # the field shows it
        await save_and_wait(pilot, app)
    assert read(path)["cyclus"][0]["vraagstuk"]["belangrijk"] == "hun tekst"


async def _conflict(tmp_path, pilot, app, path):
    """The file on disk is not a workbook now (a text editor half-way): nothing can be merged."""
    await enter_first_field(pilot)
    await type_text(pilot, "mijn tekst")
    path.write_text(path.read_text(encoding="utf-8").replace('naam = ""', 'naam = "Hun theater', 1), encoding="utf-8")
    await save_and_wait(pilot, app)
    await _settled(pilot, app, lambda: isinstance(app.screen, ConflictScreen) and app.screen.is_mounted)
    lost = str(app.screen.query_one("#conflict-diff Static").render())
    assert 'belangrijk = "mijn tekst"' in lost


async def test_save_conflict_offers_a_copy(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _conflict(tmp_path, pilot, app, path)
        broken = path.read_bytes()
        await pilot.click("#kopie")
        await pilot.pause()
    assert path.read_bytes() == broken  # their half-done edit is untouched
    copy = tmp_path / "werkboek-mijn-versie.toml"
    assert read(copy)["cyclus"][0]["vraagstuk"]["belangrijk"] == "mijn tekst"


async def test_save_conflict_by_keyboard_keeps_both_versions(tmp_path):
    """By keyboard: Enter at once keeps both (the focus starts on 'Opslaan als kopie'), and
    Enter in the name of the copy saves it there (it did nothing)."""
    from textual.widgets import Input

    for how in ("enter", "path"):
        folder = tmp_path / how
        folder.mkdir()
        path = new_workbook(folder)
        app = make_app(path)
        async with app.run_test(size=(100, 30)) as pilot:
            await _conflict(folder, pilot, app, path)
            broken = path.read_bytes()
            if how == "path":
                app.screen.query_one("#copy-path", Input).focus()
                app.screen.query_one("#copy-path", Input).value = str(folder / "eigen-kopie.toml")
            await pilot.press("enter")
            await _settled(pilot, app, lambda: not isinstance(app.screen, ConflictScreen))
        assert path.read_bytes() == broken
        copy = folder / ("werkboek-mijn-versie.toml" if how == "enter" else "eigen-kopie.toml")
        assert read(copy)["cyclus"][0]["vraagstuk"]["belangrijk"] == "mijn tekst"


async def test_save_conflict_keep_mine(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _conflict(tmp_path, pilot, app, path)
        await pilot.click("#overschrijven")
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert read(path)["cyclus"][0]["vraagstuk"]["belangrijk"] == "mijn tekst"
    assert read(path)["organisatie"]["naam"] == ""


async def test_a_file_that_does_not_parse_opens_an_error_screen_and_is_never_written(tmp_path):
    path = tmp_path / "kapot.toml"
    raw = b'schema = 1\n[organisatie]\nnaam = "De Schalm\n'
    path.write_bytes(raw)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, ParseErrorScreen)
        shown = str(app.screen.query_one("#error-lines").render())
        assert f"{path}:3:" in shown and "aanhalingsteken" in shown
        footer = " ".join(str(k.render()) for k in app.screen.query("FooterKey"))
        assert "Afsluiten" in footer and "Opslaan" not in footer and "Vorige stap" not in footer, footer
        await pilot.press("f2", "ctrl+s", "a", "b")
        await pilot.press("q")
        await pilot.pause()
    assert path.read_bytes() == raw


async def test_every_palette_command_on_the_error_screen_leaves_the_app_running(tmp_path):
    """With a file that cannot be read the palette offers only what works without it (checking,
    rounds and 'Ga naar' raised there and ended the app); the theme list speaks Dutch."""
    path = tmp_path / "kapot.toml"
    raw = b'schema = 1\nnaam = "x\n'
    path.write_bytes(raw)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        assert "App: afsluiten" in titles and not any(t.startswith(("Werkboek:", "Ronde:", "Ga naar:")) for t in titles)
        for command in commands:
            if command.title == "App: afsluiten":
                continue
            command.callback()
            await pilot.pause()
            assert app.is_running and app.return_code is None, command.title
            while len(app.screen_stack) > 1 and not isinstance(app.screen, ParseErrorScreen):
                if command.title == "App: alle thema's":
                    assert app.screen.query_one("Input").placeholder == "Zoek een thema…"
                app.pop_screen()
                await pilot.pause()
    assert path.read_bytes() == raw


async def test_palette_offers_the_namespaced_commands(tmp_path):
    app = make_app(new_workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Werkboek: opslaan", "Ronde: nieuwe ronde", "Ga naar: 1 Vraagstuk", "Ga naar: 4 Implementatie",
                       "Ga naar: verwerkingsregister", "Ga naar: datalekregister", "Werkboek: exporteren naar Excel", "Werkboek: controleren"):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "ga naar 2")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(StepTabs).active == "data"


async def test_every_binding_has_an_id_and_a_tooltip():
    from tui.app.keys import all_bindings

    found = all_bindings()
    for where, b in found:
        assert b.id and b.tooltip, (where, b.key)
    assert {"WerkboekApp", "RecordTable", "Timeline", "ActiePane", "ChoiceScreen", "PresentationScreen"} <= {w for w, _ in found}
    ids = [b.id for _, b in found]
    assert len(ids) == len(set(ids)), "binding ids must be unique, or a key map cannot tell them apart"


async def test_new_cycle_carries_over_question_sources_and_open_actions(tmp_path):
    from tui import storage

    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.set(("cyclus", 0, "vraagstuk", "kernvraag"), "Hoe bereiken we gezinnen?")
    wb.append(("databronnen",), {"id": "web", "naam": "Website"})
    wb.set(("cyclus", 0, "data", "bronnen"), ["web"])
    wb.append(("cyclus", 0, "acties"), {"id": "a1", "titel": "Open actie", "status": "lopend"})
    wb.append(("cyclus", 0, "acties"), {"id": "a2", "titel": "Klaar", "status": "afgerond"})
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.action_new_cycle()
        await pilot.pause()
        await type_text(pilot, "Gezinnen in de herfst")
        await pilot.press("enter")
        await type_text(pilot, "De eerste ronde liet zien dat gezinnen afhaken.")
        await pilot.press("f2")
        await pilot.pause()
        assert "ronde 2/2" in app.sub_title
        await save_and_wait(pilot, app)
    second = read(path)["cyclus"][1]
    assert second["nummer"] == 2 and second["voortgezet_uit"] == 1 and second["start"] == NOW.date()
    assert second["titel"] == "Gezinnen in de herfst" and second["aanleiding"] == "De eerste ronde liet zien dat gezinnen afhaken."
    assert second["vraagstuk"]["kernvraag"] == "Hoe bereiken we gezinnen?"
    assert second["data"]["bronnen"] == ["web"]
    assert [a["titel"] for a in second["acties"]] == ["Open actie"]
    assert second["acties"][0]["meegenomen_uit"] == 1 and second["acties"][0]["vervolg_op"] == "a1"
    assert read(path)["cyclus"][0]["acties"][0]["id"] == "a1"


async def test_export_from_the_app(tmp_path):
    from openpyxl import load_workbook

    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_first_field(pilot)  # from the tab bar, where the app starts
        await type_text(pilot, "niet eerst opgeslagen")
        assert app.session.dirty
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
    out = path.with_suffix(".xlsx")
    assert load_workbook(out).sheetnames[:5] == ["Verwerkingsregister", "Evaluatielog", "Databronnen", "Datalekken", "Overzicht"]


async def test_opening_the_app_does_not_import_openpyxl(tmp_path):
    import subprocess
    import sys

    path = new_workbook(tmp_path)
    probe = (
        "import asyncio, sys\n"
        "from tui.app.werkboek_app import WerkboekApp\n"
        "async def main():\n"
        f"    app = WerkboekApp({str(path)!r}, autosave=0)\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.press('f4', 'f4', 'f4', 'f4')\n"
        "        await pilot.pause()\n"
        "asyncio.run(main())\n"
        "print('openpyxl' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


# F5 in a browser session (the download through textual-serve) is tested end to end in
# tests/test_serve.py and tests/test_browser.py.


async def goto_by_palette(pilot, words: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, words)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def tab_until(pilot, app, predicate, limit: int = 80) -> None:
    for _ in range(limit):
        if app.focused is not None and predicate(app.focused):
            return
        await pilot.press("tab")
    raise AssertionError(f"focus never reached the target; at {app.focused}")


async def test_register_record_from_an_example_with_an_extra_purpose_by_keyboard(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await goto_by_palette(pilot, "ga naar verwerkingsregister")
        assert app.query_one(StepTabs).active == "implementatie"
        assert app.focused.__class__.__name__ == "DataTable" and app.focused.parent.id == "verwerkingsregister"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await tab_until(pilot, app, lambda w: w.id == "choice-ticketverkoop")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        assert field_of(app) == "naam"
        await pilot.press("end")
        await type_text(pilot, " (Theater De Proef)")
        await tab_until(pilot, app, lambda w: w.parent is not None and w.parent.id == "sub-doelen")
        await pilot.press("a")
        await pilot.pause()
        assert field_of(app) == "doel"
        await type_text(pilot, "Klanttevredenheid meten")
        await pilot.press("tab")
        await choose(pilot, 6)  # gerechtvaardigd belang
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f2")  # accept the processing activity
        await pilot.pause()
        assert not isinstance(app.screen, RecordScreen)
        await save_and_wait(pilot, app)
    text = path.read_text(encoding="utf-8")
    assert "[[verwerkingsregister.doelen]]" in text  # written as blocks a person can read
    rec = read(path)["verwerkingsregister"][0]
    assert rec["id"] == "ticketverkoop"  # the example's short id
    assert rec["naam"] == "Verkoop en administratie van toegangskaarten (Theater De Proef)"
    assert rec["persoonsgegevens"][:2] == ["naam", "e-mailadres"]
    assert [d["grondslag"] for d in rec["doelen"]] == ["overeenkomst", "overeenkomst", "wettelijke_verplichting", "gerechtvaardigd_belang"]
    assert rec["doelen"][3]["doel"] == "Klanttevredenheid meten"
    assert [v["naam"] for v in rec["verwerkers"]] == ["Ticketingleverancier", "Betaaldienstverlener"]


async def test_data_breach_by_keyboard_starts_the_72_hour_clock(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)  # now: 15-06-2024 12:00 +02:00
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await goto_by_palette(pilot, "ga naar datalekregister")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        assert field_of(app) == "ontdekt"
        await type_text(pilot, "14-06-2024 09:30")
        await pilot.press("tab")
        await type_text(pilot, "Servicedesk")
        await tab_until(pilot, app, lambda w: getattr(getattr(w, "parent", None), "field", None) is not None and w.parent.field.key == "samenvatting")
        await type_text(pilot, "Nieuwsbrief met zichtbare adressen verstuurd")
        await tab_until(pilot, app, lambda w: getattr(getattr(w, "parent", None), "field", None) is not None and w.parent.field.key == "aantal_personen")
        await type_text(pilot, "1.250")
        await pilot.press("f2")
        await pilot.pause()
        assert not isinstance(app.screen, RecordScreen)
        alerts = str(app.query_one("#alerts").render())
        assert "nog 45 uur 30 min om te melden" in alerts  # 72 h after 14-06 09:30, seen at 15-06 12:00
        table = app.query_one("#datalekregister DataTable")
        assert "nog 45 uur 30 min om te melden" in [str(c) for c in table.get_row_at(0)]
        await save_and_wait(pilot, app)
    breach = read(path)["datalekregister"][0]
    assert breach["ontdekt"] == dt.datetime(2024, 6, 14, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert breach["ontdekt_door"] == "Servicedesk"
    assert breach["aantal_personen"] == 1250
    assert breach["id"] == "datalek"


async def test_action_form_shows_the_smart_check_as_you_type(tmp_path):
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await show_tab(pilot, "actie")
        app.query_one("#acties DataTable").focus()
        await pilot.press("a")
        await pilot.pause()
        assert field_of(app) == "titel"
        await type_text(pilot, "Jonge Utrechters")
        await pilot.press("tab")
        assert field_of(app) == "doel"
        await type_text(pilot, "bezoekersaantallen verhogen")
        await pilot.pause()
        advice = str(app.screen.query_one("#record-advice").render())
        assert "✗ S Specifiek" in advice and "~ M Meetbaar" in advice
        await type_text(pilot, " bij bezoekers uit de gemeente Utrecht van 25 jaar oud met 10% vóór december 2025")
        await pilot.pause()
        advice = str(app.screen.query_one("#record-advice").render())
        assert "✓ S Specifiek" in advice and "✓ M Meetbaar" in advice and "✓ T Tijdgebonden" in advice
        assert "✗ A Acceptabel" in advice
        await pilot.press("f2")
        await pilot.pause()
        await save_and_wait(pilot, app)
    action = read(path)["cyclus"][0]["acties"][0]
    assert action["titel"] == "Jonge Utrechters" and action["id"] == "jonge-utrechters"
    assert action["doel"].startswith("bezoekersaantallen verhogen bij bezoekers uit de gemeente Utrecht")


async def test_action_with_ab_comparison_and_evaluations(tmp_path):
    from tui import storage

    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.append(("cyclus", 0, "acties"), {"id": "lab", "titel": "Innovation:Lab", "nulmeting": 100, "streefwaarde": 110, "richting": "verhogen"})
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await show_tab(pilot, "actie")
        app.query_one("#acties DataTable").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        await tab_until(pilot, app, lambda w: getattr(getattr(w, "parent", None), "path", None) == ("ab", "groep_a"))
        await type_text(pilot, "bestaand publiek")
        await pilot.press("tab")
        await type_text(pilot, "nieuw publiek")
        await tab_until(pilot, app, lambda w: w.parent is not None and w.parent.id == "sub-evaluaties")
        await pilot.press("a")
        await pilot.pause()
        assert field_of(app) == "datum"
        await type_text(pilot, "01-10-2024")
        await pilot.press("tab")
        await type_text(pilot, "105")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        row = [str(c) for c in app.query_one("#acties DataTable").get_row_at(0)]
        assert "50%" in row  # halfway from 100 to 110
        await save_and_wait(pilot, app)
    action = read(path)["cyclus"][0]["acties"][0]
    assert action["ab"] == {"groep_a": "bestaand publiek", "groep_b": "nieuw publiek"}
    assert action["evaluaties"] == [{"datum": dt.date(2024, 10, 1), "waarde": 105, "id": f"{action['id']}-2024-10-01"}]  # the id comes with the save


async def test_step_back_to_data_when_data_is_missing(tmp_path):
    from tui import storage

    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.set(("cyclus", 0, "huidige_stap"), "actie")
    wb.set(("cyclus", 0, "stappen_klaar"), ["vraagstuk", "data"])
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await goto_by_palette(pilot, "terug naar 2 data")
        await pilot.pause()
        assert app.query_one(StepTabs).active == "data"
        assert field_of(app) == "data_mist"
        await type_text(pilot, "Postcodes ontbreken")
        await save_and_wait(pilot, app)
    cycle = read(path)["cyclus"][0]
    assert cycle["huidige_stap"] == "data" and cycle["stappen_klaar"] == ["vraagstuk"]
    assert cycle["data"]["data_mist"] == "Postcodes ontbreken"


async def test_many_open_breaches_fold_into_one_line_led_by_the_nearest_deadline(tmp_path):
    from tui import storage

    path = new_workbook(tmp_path)
    wb = storage.load(path)
    for k, hours_ago in enumerate([200, 100, 30, 60, 90]):  # three past, two still open
        wb.append(("datalekregister",), {"id": f"lek-{k}", "ontdekt": NOW - dt.timedelta(hours=hours_ago)})
    wb.append(("datalekregister",), {"id": "gemeld", "ontdekt": NOW - dt.timedelta(hours=10), "gemeld_ap": "ja"})
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        bar = app.query_one("#alerts")
        text = str(bar.render())
        assert text.startswith("⚠ Datalek lek-3: nog 12 uur om te melden")  # 72 - 60 hours
        assert "en nog 4 datalekken" in text
        assert bar.outer_size.height <= 3


async def test_tab_keys_in_a_burst_lose_no_steps(tmp_path):
    """Keys pressed quickly, while tabs are still being built: each F4 must count."""
    import asyncio

    from textual import events

    app = make_app(new_workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        for _ in range(12):  # 12 steps right of 1 Vraagstuk in a circle of 5 tabs: 3 Actie
            app.screen._forward_event(events.Key("f4", None))
            await asyncio.sleep(0.03)  # a person's quick presses: the app is still building tabs
        await pilot.pause(1.0)
        assert app.query_one(StepTabs).active == "actie"
        for _ in range(9):  # 9 steps left: 4 Implementatie
            app.screen._forward_event(events.Key("f3", None))
            await asyncio.sleep(0.03)
        await pilot.pause(1.0)
        assert app.query_one(StepTabs).active == "implementatie"


async def test_a_window_smaller_than_80x24_is_named_once_with_what_to_do(tmp_path):
    """A projector with large letters (serve --font-size 28 at 1280x800 gives 76x21) or a small
    terminal: the app says so, once, and how to get room; at 80x24 it says nothing."""
    app = make_app(new_workbook(tmp_path))
    async with app.run_test(size=(76, 21)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        said = [n for n in app._notifications if n.title == "Klein venster"]
        assert len(said) == 1 and "76×21" in said[0].message and "--font-size" in said[0].message
        await pilot.resize_terminal(74, 21)
        await pilot.pause(0.1)
        assert len([n for n in app._notifications if n.title == "Klein venster"]) == 1  # not again while small
        app.clear_notifications()
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        assert not app._notifications
    (tmp_path / "b").mkdir()
    app = make_app(new_workbook(tmp_path / "b"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        assert not [n for n in app._notifications if n.title == "Klein venster"]


@pytest.mark.parametrize("field", ["#veld-vraagstuk-belangrijk", "#veld-vraagstuk-onderwerp"])
async def test_a_joiner_typed_inside_an_emoji_family_is_kept(tmp_path, field):
    """The zero-width joiner that makes 👩‍👩‍👧 one family is part of the text (Textual drops every
    key that is not printable; three separate people were saved)."""
    from textual import events

    from tui.app.field_editor import FieldEditor

    app = make_app(new_workbook(tmp_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        editor = app.query_one(field, FieldEditor)
        editor.focus_input()
        await pilot.pause()
        for ch in "Gezin 👩\u200d👩\u200d👧":  # as a terminal delivers them: one key per character
            app.post_message(events.Key(ch, ch))
        await pilot.pause(0.3)
        assert app.session.get(editor.path) == "Gezin 👩\u200d👩\u200d👧"


async def test_every_text_field_has_a_steady_cursor():
    """A blinking cursor repaints twice a second (traffic over SSH) and made the round dialog's
    snapshot depend on the moment it was taken: every text field of the app keeps it steady."""
    from textual.app import App

    from tui.app.ordered_keys import OrderedInput
    from tui.app.safe_text_area import SafeTextArea

    class Fields(App):
        def compose(self):
            yield OrderedInput("x")
            yield SafeTextArea("x")

    app = Fields()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert [f.cursor_blink for f in (app.query_one(OrderedInput), app.query_one(SafeTextArea))] == [False, False]
