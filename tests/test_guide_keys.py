"""Rounds, F1 and the documented keys, as a keyboard user meets them at 80x24 (Pilot)."""

from __future__ import annotations

import asyncio
import datetime as dt
import tomllib

from tests.helpers import new_workbook, show_tab, until
from tui import storage
from tui.app.werkboek_app import WerkboekApp
from tui.session import RecordOp

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def make_app(path) -> WerkboekApp:
    return WerkboekApp(path, clock=lambda: NOW, autosave=0)


def shown_text(app) -> str:
    """The text on screen, row by row, from the app's own screenshot."""
    import html
    import re

    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text[^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(parts)) for _, parts in sorted(rows.items()))


# ---------------------------------------------------------------------------------------- rounds
async def test_a_new_round_from_the_palette_is_refused_while_a_record_form_is_open(tmp_path):
    from textual.command import CommandInput

    from tui.app.record_screen import RecordScreen
    from tui.app.round_screen import RoundScreen

    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.pane_ready("vraagstuk"))
        await show_tab(pilot, "actie")
        await until(pilot, lambda: app.pane_ready("actie"))
        app.record_action("acties", RecordOp.ADD, None)
        await until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.focused is not None)
        await pilot.press(*"Half ingevuld")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: bool(app.screen.query(CommandInput)))
        await pilot.press(*"nieuwe ronde")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: not app.screen.query(CommandInput))
        await pilot.pause()
        assert not any(isinstance(s, RoundScreen) for s in app.screen_stack)
        assert isinstance(app.screen, RecordScreen)  # the form is still there, with what was typed
        assert len(app.session.cycles) == 1
        assert any("formulier open" in n.message for n in app._notifications)
        await pilot.press("f2")  # the record goes where it was begun: this round
        await until(pilot, lambda: not isinstance(app.screen, RecordScreen))
        assert [a["titel"] for a in app.session.cycles[0].get("acties", [])] == ["Half ingevuld"]
        assert len(app.session.cycles) == 1


async def test_choosing_another_round_is_refused_while_a_record_form_is_open(tmp_path):
    from tui.app.record_screen import RecordScreen

    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.pane_ready("vraagstuk"))
        app.session.new_round("Een meting", "Tweede ronde")
        app.record_action("bronnen", RecordOp.ADD, None)
        await until(pilot, lambda: isinstance(app.screen, RecordScreen))
        app.select_cycle(0)
        await pilot.pause()
        assert app.cycle_index == 1 and isinstance(app.screen, RecordScreen)


async def test_a_new_round_asks_for_its_title_and_reason_and_loses_nothing(tmp_path):
    from textual.widgets import Input, TextArea

    from tui.app.round_screen import RoundScreen

    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.pane_ready("vraagstuk"))
        app.action_new_cycle()
        await until(pilot, lambda: isinstance(app.screen, RoundScreen) and app.screen.is_mounted)
        await pilot.press("f2")  # nothing filled in
        await pilot.pause()
        assert isinstance(app.screen, RoundScreen) and len(app.session.cycles) == 1
        screen = app.screen
        shown = " ".join(shown_text(app).split())
        assert "Geef de ronde een titel" in shown and "waarom deze ronde begint" in shown
        assert app.focused is screen.query_one("#round-titel", Input)  # at the first field that is missing
        await pilot.press(*"Gezinnen in de herfst")
        await pilot.press("f2")  # a title, no reason yet
        await pilot.pause()
        assert isinstance(app.screen, RoundScreen) and len(app.session.cycles) == 1
        shown = " ".join(shown_text(app).split())
        assert "Geef de ronde een titel" not in shown and "waarom deze ronde begint" in shown
        assert app.focused is screen.query_one("#round-aanleiding", TextArea)
        assert screen.query_one("#round-titel", Input).value == "Gezinnen in de herfst"  # nothing lost
        await pilot.press(*"   ")
        await pilot.press("f2")  # spaces are no reason
        await pilot.pause()
        assert isinstance(app.screen, RoundScreen)
        await pilot.press(*"De meting liet zien dat gezinnen afhaken.")
        await pilot.press("f2")
        await until(pilot, lambda: not isinstance(app.screen, RoundScreen))
        assert len(app.session.cycles) == 2
        assert app.session.cycles[1]["titel"] == "Gezinnen in de herfst"
        assert app.session.cycles[1]["aanleiding"] == "De meting liet zien dat gezinnen afhaken."


# ---------------------------------------------------------------------------------------- F1
STEP_1_FIELDS = ["belangrijk", "meten", "afdelingen", "personen", "bereiken", "uitdagingen", "niet_willen", "focus", "onderwerp", "waarom", "kernvraag"]


async def test_f1_on_every_step_1_field_shows_its_own_paragraph_first_then_the_whole_step(tmp_path):
    from tui.app.help_screen import HelpScreen
    from tui.model.guide import guide
    from tui.model.help import field_paragraphs, step_markdown
    from tui.model.schema import load_schema

    step = guide()["stappen"]["vraagstuk"]
    fields = load_schema().tables["cyclus[].vraagstuk"].fields
    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.pane_ready("vraagstuk") and bool(app.query("#waarom-1")))
        for key in STEP_1_FIELDS:
            selector = "#waarom-1" if key == "waarom" else f"#veld-vraagstuk-{key}"
            target = app.query_one(selector)
            target = target if target.focusable else next(w for w in target.query("*") if w.focusable)
            target.focus()
            await pilot.pause()
            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.pause(0.1)
            help_screen = app.screen
            assert help_screen.help_title == fields[key].nl, key  # the field's question, not the step's
            first = help_screen.markdown.split("\n\n")[0]
            own = field_paragraphs("cyclus[].vraagstuk", key)
            assert own and first == own[0], key  # the field's own paragraph first
            assert step["opdracht"] not in first and " ".join(first.split()).lower() != " ".join(fields[key].nl.split()).lower(), key
            assert help_screen.markdown.count(step["opdracht"]) == 1, key  # the step's sentence once, in the step text ...
            assert help_screen.markdown.endswith(step_markdown("vraagstuk")) or step_markdown("vraagstuk") in help_screen.markdown, key  # ... below
            title = help_screen.query_one("#help-title")
            assert title.region.right <= 80 and title.region.height >= -(-len(fields[key].nl) // title.region.width), key
            assert " ".join(fields[key].nl.split()[-2:]) in shown_text(app) and "…" not in shown_text(app), key  # wrapped, not cut
            assert "What" not in help_screen.markdown and "Why" not in help_screen.markdown  # Dutch
            await pilot.press("f1")
            await until(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_the_smart_check_shows_a_long_indicator_whole_at_80x24(tmp_path):
    from tui.app.record_screen import RecordScreen

    indicator = "aantal bezoekers jonger dan 35 jaar uit de wijken Noord en Oost per voorstelling in het seizoen"
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.append(("cyclus", 0, "acties"), {"id": "lang", "titel": "Jonge wijkbewoners", "doel": "Meer jonge bezoekers uit Noord en Oost", "indicator": indicator, "richting": "verhogen", "streefwaarde": 40000})
    storage.save(wb)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_tab(pilot, "actie")
        await until(pilot, lambda: bool(app.query("#acties DataTable")))
        app.query_one("#acties DataTable").focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RecordScreen) and bool(app.screen.query("#record-advice")) and bool(app.screen.query_one("#record-advice").region))
        await pilot.pause()
        from textual.geometry import Region

        advice = app.screen.query_one("#record-advice")
        assert advice.region.right <= 80 and advice.region.bottom <= 24  # all of it on the screen
        drawn = [strip.text.strip("█▌▐ ") for strip in advice.render_lines(Region(0, 0, advice.size.width, advice.size.height))]
        shown = " ".join(" ".join(drawn).split())
        assert f"✓ M Meetbaar: indicator ‘{indicator}’ met streefwaarde 40.000" in shown  # whole, not cut with …
        assert "…" not in shown
        for letter in ("S Specifiek", "M Meetbaar", "A Acceptabel", "R Realistisch", "T Tijdgebonden"):
            assert letter in shown


# ---------------------------------------------------------------------------------------- keys
async def test_the_app_starts_on_the_tab_bar_where_the_documented_keys_work_and_say_so(tmp_path):
    from textual.widgets import TextArea

    from tui.app.help_screen import HelpScreen
    from tui.app.step_tabs import StepBar, StepTabs
    from tui.model.guide import key_texts

    path = new_workbook(tmp_path)
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        tabs = app.query_one(StepTabs)
        bar = app.query_one(StepBar)
        await until(pilot, lambda: app.pane_ready("vraagstuk"))
        await pilot.pause()
        assert app.focused is bar  # where the user starts, once the form is there too
        rows = shown_text(app).splitlines()
        assert "Enter of ↓ om te beginnen met typen" in rows[3]  # said under the tabs, in view at 80x24
        assert "Typen" in rows[-1] and "1…5" in rows[-1]  # the footer says the same
        await pilot.press("3")
        await pilot.pause()
        assert tabs.active == "actie" and app.focused is bar
        await pilot.press("1")
        await pilot.pause()
        assert tabs.active == "vraagstuk" and app.focused is bar
        assert not app.session.dirty and path.read_bytes() == before  # nothing typed anywhere
        await pilot.press("f1")  # on the bar: the keys, then the step
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert app.screen.markdown.startswith(key_texts()["uitleg"]) and "**1 … 5**" in app.screen.markdown
        await pilot.press("f1")
        await until(pilot, lambda: app.focused is bar)
        await pilot.press("down")  # into the first answer, and typing works there
        await until(pilot, lambda: isinstance(app.focused, TextArea))
        assert "Enter of ↓ om te beginnen met typen" not in shown_text(app)
        await pilot.press(*"5 jaar")
        await until(pilot, lambda: app.session.get(app.session.cycle_path + ("vraagstuk", "belangrijk")) == "5 jaar")
        assert tabs.active == "vraagstuk"
        await pilot.press("escape")  # back to the tab bar, where 1 … 5 work again
        await pilot.pause()
        assert app.focused is bar
        await pilot.press("2")
        await pilot.pause()
        assert tabs.active == "data" and app.focused is bar
        await pilot.press("enter")
        await until(pilot, lambda: app.focused is not bar and app.query_one("#pane-data") in app.focused.ancestors)
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is bar
        await pilot.press("tab")  # Tab from the bar: the first field of the step shown
        await pilot.pause()
        assert app.focused is not bar and app.query_one("#pane-data") in app.focused.ancestors
        await pilot.press("shift+tab", "f4")  # on the bar, F4 too keeps the focus there
        await pilot.pause()
        assert tabs.active == "actie" and app.focused is bar
    assert app.session.get(app.session.cycle_path + ("vraagstuk", "belangrijk")) == "5 jaar"


async def test_text_sent_in_one_burst_right_after_tab_or_enter_lands_in_the_next_field(tmp_path):
    """Over a slow link, or from a fast typist, keys arrive together: Enter on the tab bar or Tab
    in a form must move the focus before the keys after it are handed out (they went into the
    field Tab left, or to the tab bar, and were lost)."""
    from tests.helpers import burst, started
    from tui.app.record_screen import RecordScreen

    app = make_app(new_workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await burst(pilot, "enter", *"Jonge gezinnen", "tab", *"Tweede")
        await pilot.pause()
        areas = [a.text for a in app.query("#pane-vraagstuk TextArea")]
        assert areas[:2] == ["Jonge gezinnen", "Tweede"]

        app.record_action("bronnen", "add", None, offer_examples=False)
        await until(pilot, lambda: isinstance(app.screen, RecordScreen))
        await pilot.pause()
        await burst(pilot, *"Kassa", "tab", "t", "tab", *"Sys")  # naam, soort (t: ticketing), systeem
        await pilot.pause()
        await pilot.pause(0.2)
        values = {e.field.key: e.value for e in app.screen.query("FieldEditor")}
        assert (values["naam"], values["soort"], values["systeem"]) == ("Kassa", "ticketing", "Sys")


async def test_text_typed_after_enter_while_the_form_is_still_being_built_goes_into_its_first_field(tmp_path, monkeypatch):
    """On a slow server the tab bar (with 'Enter of ↓ om te beginnen met typen') is there before
    step 1's form: Enter, then typing at once, lost the text (the keys reached the bar) and the
    focus went into the field afterwards as if nothing was typed. Digits typed then are text too,
    not a step number; the text goes at the end of what the field holds."""
    from tests.helpers import burst
    from tui.app.panes.base import StepPane
    from tui.app.step_tabs import StepBar

    form_may_come = asyncio.Event()
    build = StepPane._mount_form

    async def slow_form(self):  # the form's build waits, as on a loaded machine
        await form_may_come.wait()
        await build(self)

    monkeypatch.setattr(StepPane, "_mount_form", slow_form)
    path = new_workbook(tmp_path, template="mariniersmuseum")
    before = storage.load(path).get(("cyclus", 1, "vraagstuk", "belangrijk"))
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.focused, StepBar))
        assert not app.pane_ready("vraagstuk")
        await burst(pilot, "enter", *"Ook 2 scholen")
        assert app.query_one(StepBar).active == "vraagstuk"  # "2" did not switch to step 2
        form_may_come.set()
        await until(pilot, lambda: app.pane_ready("vraagstuk") and not isinstance(app.focused, StepBar))
        await pilot.pause()
        assert app.focused.text == before + "Ook 2 scholen"
        await pilot.press("x")  # what is typed next follows it
        assert app.focused.text == before + "Ook 2 scholenx"


async def test_backspaces_arrows_and_text_in_one_burst_take_effect_in_their_order(tmp_path):
    """Backspace then text (fast typing, a paste after erasing): the letters were inserted first
    and the Backspaces applied after them, deleting the end of what was just typed (in every
    text field; found in tmux). Arrows and Home in the same burst too."""
    from textual import events

    from tests.helpers import burst, started
    from tui.app.record_screen import RecordScreen

    app = make_app(new_workbook(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await burst(pilot, "enter", *"abcdefghij")
        await burst(pilot, *(["backspace"] * 5), *"XYZ", "left", "left", *"ab", "home", "Q")
        await pilot.pause()
        path = app.session.cycle_path + ("vraagstuk", "belangrijk")
        assert app.session.get(path) == "QabcdeXabYZ"
        for key in ["end"] + ["backspace"] * 6:
            event = events.Key(key, None)
            event.set_sender(app)
            app._driver.send_message(event)
        app._driver.send_message(events.Paste(" geplakt"))
        await pilot._wait_for_screen()
        await pilot.pause()
        assert app.session.get(path) == "Qabcd geplakt"

        app.record_action("bronnen", "add", None, offer_examples=False)
        await until(pilot, lambda: isinstance(app.screen, RecordScreen))
        await pilot.pause()
        await burst(pilot, *"Kassa oud", *(["backspace"] * 3), *"nieuw")  # a one-line field
        await pilot.pause()
        values = {e.field.key: e.value for e in app.screen.query("FieldEditor")}
        assert values["naam"] == "Kassa nieuw"


async def test_a_letter_typed_just_before_ctrl_q_or_ctrl_s_counts(tmp_path):
    """'K' and Ctrl+Q in one burst: the app quit without asking and the K was lost; 'Q' and F2
    said there was nothing new to save."""
    from tests.helpers import burst, enter_first_field
    from tui.app.confirm_screen import ChoiceScreen

    path = new_workbook(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_first_field(pilot)
        await burst(pilot, "K", "ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen) or app._exit)
        assert isinstance(app.screen, ChoiceScreen) and not app._exit  # asked: the K is unsaved
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ChoiceScreen))
        await burst(pilot, "Q", "f2")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: not app.session.dirty)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["cyclus"][0]["vraagstuk"]["belangrijk"].startswith("KQ")


def test_esc_and_a_digit_read_as_alt_digit_not_as_a_symbol(tmp_path):
    """tmux sends Alt+3 as Esc 3; Textual read that as '£' (typed into the answer)."""
    from textual._xterm_parser import XTermParser

    make_app(new_workbook(tmp_path))  # the app sets the reading up
    for digit in "12345":
        parser = XTermParser()
        keys = [e.key for e in parser.feed("\x1b" + digit)] + [e.key for e in parser.feed("")]
        assert keys == [f"alt+{digit}"], keys
    parser = XTermParser()
    assert [e.key for e in parser.feed("£")] == ["pound_sign"]  # typed as a character: still '£'
