"""The screens are views of the session: an edit anywhere shows everywhere, and no widget writes
back a copy of its own."""

from __future__ import annotations

import datetime as dt
import time
import tomllib

from tests.helpers import enter_first_field, until, wait_for_pane
from tui.app.field_editor import FieldEditor
from tui.app.presentation import PresentationScreen
from tui.app.werkboek_app import WerkboekApp
from tui.config import Config
from tui.templates import create_workbook

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone.utc)


def make_app(tmp_path, template: str = "leeg", **kw) -> WerkboekApp:
    path = create_workbook(tmp_path / "werkboek.toml", template)
    return WerkboekApp(path, clock=lambda: NOW, autosave=kw.pop("autosave", 0), config=Config(), **kw)


def another_session_saves(app, path: tuple, value) -> None:
    """Another session on the same file (a second app, a text editor) saves ``value`` at ``path``."""
    from tui import storage

    other = storage.load(app.path)
    other.set(path, value)
    storage.save(other)


def asking(app) -> bool:
    """A question is on screen, built, with an answer to take the keys (a screen just pushed has
    no parts until it is composed: keys sent then go nowhere)."""
    from tui.app.confirm_screen import ChoiceScreen

    return isinstance(app.screen, ChoiceScreen) and app.focused is not None and app.focused.screen is app.screen


async def asked_about_it(pilot, app) -> None:
    """The app reads the file now (not at its next check), with no typing to wait for, and asks."""
    app._last_key_at = 0.0
    app._check_disk()
    await until(pilot, lambda: asking(app))


async def test_an_answer_typed_in_presentation_mode_shows_in_step_1_and_is_not_overwritten(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        path = app.session.cycle_path + ("vraagstuk", "belangrijk")
        step_editor = app.query_one("#veld-vraagstuk-belangrijk", FieldEditor)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PresentationScreen))
        screen = app.screen
        while not (screen.slides[screen.index].path == path):
            await pilot.press("pagedown")
            await pilot.pause()
        await until(pilot, lambda: bool(screen.query("#pres-editor")))
        await pilot.pause()
        await pilot.press(*"Jongeren")
        await until(pilot, lambda: app.session.get(path) == "Jongeren")
        assert step_editor.value == "Jongeren"  # the step's form follows at once
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, PresentationScreen))
        step_editor.focus_input()
        await pilot.pause()
        await pilot.press("end", *" bereiken")
        await until(pilot, lambda: app.session.get(path) == "Jongeren bereiken")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not app.session.dirty)
    saved = tomllib.loads(app.path.read_text(encoding="utf-8"))
    assert saved["cyclus"][0]["vraagstuk"]["belangrijk"] == "Jongeren bereiken"


async def test_a_reload_shows_the_file_in_every_field(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        text = app.path.read_text(encoding="utf-8").replace('kernvraag = ""', 'kernvraag = "Uit de teksteditor"', 1)
        assert "Uit de teksteditor" in text
        app.path.write_text(text, encoding="utf-8")
        app.reload()
        await until(pilot, lambda: bool(app.query("#veld-vraagstuk-kernvraag")) and app.query_one("#veld-vraagstuk-kernvraag", FieldEditor).value == "Uit de teksteditor")


async def test_quit_dialog_stops_autosave_so_quitting_without_saving_saves_nothing(tmp_path):
    app = make_app(tmp_path, autosave=0.05)
    before = None
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        before = app.path.read_bytes()
        app.apply(app.session.cycle_path + ("vraagstuk", "kernvraag"), "niet bewaren")
        await pilot.press("ctrl+q")  # before the autosave is due
        await pilot.pause(0.3)  # well past the autosave delay, with the question open
        assert app.path.read_bytes() == before
        await pilot.click("#choice-weggooien")
    assert app.path.read_bytes() == before


async def test_step_2_typing_in_the_notes_does_not_redraw_the_sources_table(tmp_path):
    from tui.app.record_table import RecordTable

    app = make_app(tmp_path, template="mariniersmuseum")
    async with app.run_test(size=(100, 32)) as pilot:
        app.action_show_tab("data")
        await wait_for_pane(pilot, "data")
        table = app.query_one("#bronnen", RecordTable)
        shown = []
        real = table.show
        table.show = lambda records: (shown.append(len(records)), real(records))  # counts, then draws
        app.apply(app.session.cycle_path + ("data", "notities"), "een notitie")
        await pilot.pause()
        assert shown == []
        app.apply(app.session.cycle_path + ("vraagstuk", "focus"), "programmeren")
        await pilot.pause()
        assert len(shown) == 1



async def test_quitting_with_a_filled_record_form_open_asks_first(tmp_path):
    from tui.app.record_screen import RecordScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        app.record_action("bronnen", "add", None)
        await until(pilot, lambda: isinstance(app.screen, RecordScreen))
        await pilot.pause()
        await pilot.press(*"Kassa")
        await until(pilot, lambda: app.screen.has_changes())
        await pilot.press("ctrl+q")
        await until(pilot, lambda: asking(app))
        assert app.is_running  # the typed record is not thrown away without a word
        await pilot.press("enter")  # 'Terug naar het formulier'
        await until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.is_mounted)
        await pilot.press("f10")
        await until(pilot, lambda: asking(app))
        await pilot.click("#choice-weggooien")
        await until(pilot, lambda: not app.is_running)


async def test_the_palette_says_in_dutch_that_nothing_matches(tmp_path):
    from textual.command import CommandList

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"zqxj")

        def shown() -> bool:
            lists = app.screen.query(CommandList)
            return bool(lists) and any("Geen opdrachten gevonden" in str(o.prompt) for o in lists.first().options)

        await until(pilot, shown)


async def test_a_workbook_with_merge_conflicts_says_so_when_it_opens(tmp_path):
    path = create_workbook(tmp_path / "werkboek.toml", "leeg")
    with path.open("a", encoding="utf-8") as fh:
        fh.write('\n[[conflicten]]\nid = "c1"\npad = "organisatie.naam"\nons = "A"\nhun = "B"\n')
    app = WerkboekApp(path, clock=lambda: NOW, autosave=0, config=Config())
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        assert any("samenvoegconflict" in str(n.message) for n in app._notifications)


async def test_a_key_typed_in_a_filled_long_answer_goes_after_it(tmp_path):
    """Enter on the tab bar (where the app starts) puts the cursor in the first answer, and Tab
    lands in the next: a key typed there is added at the end, not put in front of the team's words."""
    from textual.widgets import TextArea

    app = make_app(tmp_path, template="mariniersmuseum")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        await enter_first_field(pilot)
        await until(pilot, lambda: isinstance(app.focused, TextArea))
        first = app.session.cycle_path + ("vraagstuk", "belangrijk")
        before = app.session.get(first)
        assert before
        await pilot.press("!")
        await until(pilot, lambda: app.session.get(first) == before + "!")
        await pilot.press("tab")
        await until(pilot, lambda: isinstance(app.focused, TextArea) and app.focused.parent.id == "veld-vraagstuk-meten")
        second = app.session.cycle_path + ("vraagstuk", "meten")
        text = app.session.get(second)
        await pilot.press("?")
        await until(pilot, lambda: app.session.get(second) == (text or "") + "?")


async def test_a_fault_while_saving_is_reported_and_the_app_goes_on(tmp_path, monkeypatch):
    """A fault while rendering a save (it once ended the app, losing unsaved work) is told, and
    the edit stays open to save once the cause is gone."""
    from tui import storage

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        app.apply(app.session.cycle_path + ("vraagstuk", "kernvraag"), "Mijn kernvraag")

        def broken(self):
            raise ValueError("kapot bij het opmaken")

        monkeypatch.setattr(storage.Workbook, "rendered", broken)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert any("kapot bij het opmaken" in n.message and n.severity == "error" for n in app._notifications)
        assert app.session.dirty
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.session.dirty
    assert "Mijn kernvraag" in app.path.read_text(encoding="utf-8")


async def test_a_question_clears_the_notices_that_would_cover_its_answers(tmp_path):
    """At 80x24 notices sit bottom right, where a dialog's buttons are: a question starts clean."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        app.apply(app.session.cycle_path + ("vraagstuk", "kernvraag"), "Mijn kernvraag")
        app.notify("Een melding van eerder", timeout=30)
        await pilot.pause()
        assert app._notifications
        await pilot.press("ctrl+q")
        await until(pilot, lambda: asking(app))
        await pilot.pause()
        assert not list(app._notifications)
        await pilot.press("escape")


async def test_saves_by_another_session_while_a_same_field_question_is_open_are_never_lost(tmp_path):
    """Another session saves the same field three times while this one has it unsaved: one
    question at a time, about the file as it is now; answering 'theirs' ends with their
    latest value, never an older one written back over it (three stacked questions did)."""
    from tui.app.confirm_screen import ChoiceScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        field = app.session.cycle_path + ("vraagstuk", "belangrijk")
        app.apply(field, "Mijn versie, niet opgeslagen")
        questions = []

        another_session_saves(app, field, "Hun versie 1")
        app._last_key_at = time.monotonic()  # the person is typing: the question waits for a pause
        app._check_disk()
        for _ in range(8):  # keys keep coming for a while (a busy machine may take longer than the pause itself)
            await pilot.pause(0.05)
            app._last_key_at = time.monotonic()
            assert not isinstance(app.screen, ChoiceScreen)
        await until(pilot, lambda: asking(app))
        questions.append(app.screen)
        assert "Hun versie 1" in str(app.screen.query_one("#choice-detail").render())
        for n in (2, 3):  # saved again while the question is open
            another_session_saves(app, field, f"Hun versie {n}")
            app._check_disk()
            await pilot.pause(0.1)
            assert app.screen is questions[0] and len(app.screen_stack) == 2  # no second question
        await pilot.press("down", "enter")  # "Hun waarde nemen"
        await until(pilot, lambda: app.session.get(field) == "Hun versie 3" and not isinstance(app.screen, ChoiceScreen))
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: not app.session.dirty)
    assert tomllib.loads(app.path.read_text(encoding="utf-8"))["cyclus"][0]["vraagstuk"]["belangrijk"] == "Hun versie 3"


async def test_a_letter_typed_while_a_same_field_question_appears_goes_to_the_field_and_the_question_returns(tmp_path):
    """The question comes up by itself; someone still typing must not lose letters on its buttons
    (a letter is no answer): the letter reaches the field and the question is asked again later."""
    from tui.app.confirm_screen import ChoiceScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        field = app.session.cycle_path + ("vraagstuk", "belangrijk")
        app.query_one("#veld-vraagstuk-belangrijk", FieldEditor).focus_input()
        await pilot.pause()
        await pilot.press(*"Mijn")
        await until(pilot, lambda: app.session.get(field) == "Mijn")
        another_session_saves(app, field, "Hun versie")
        await asked_about_it(pilot, app)
        first = app.screen
        await pilot.press("x")  # typed on, not an answer
        # the letter reached the field (the question was gone: it takes every key while open);
        # the question may already be back a second later, so that is not waited for apart
        await until(pilot, lambda: app.session.get(field) == "Mijnx")
        await until(pilot, lambda: asking(app) and app.screen is not first)  # asked again at the pause
        assert "Mijnx" in str(app.screen.query_one("#choice-detail").render())
        await pilot.press("enter")  # "Mijn waarde houden"
        await until(pilot, lambda: not isinstance(app.screen, ChoiceScreen))
        assert app.session.get(field) == "Mijnx"


async def test_esc_on_a_same_field_question_keeps_both_values_for_later(tmp_path):
    """Esc is no answer: it must not quietly keep one's own value over a colleague's (the next
    autosave wrote it over theirs). Both stay: ours in place, theirs in [[conflicten]], which
    check reports and the palette settles."""
    from tests.helpers import run_cli
    from tui.app.confirm_screen import ChoiceScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        field = app.session.cycle_path + ("vraagstuk", "belangrijk")
        app.apply(field, "Mijn versie")
        another_session_saves(app, field, "Hun versie")
        await asked_about_it(pilot, app)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ChoiceScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not app.session.dirty)
    saved = tomllib.loads(app.path.read_text(encoding="utf-8"))
    assert saved["cyclus"][0]["vraagstuk"]["belangrijk"] == "Mijn versie"
    [conflict] = saved["conflicten"]
    assert conflict["hun"] == "Hun versie" and conflict["ons"] == "Mijn versie" and conflict["pad"].endswith("vraagstuk.belangrijk")
    from tui import presence

    user, host = presence.me()
    assert conflict["ons_van"] == f"{user} op {host}"  # a name: whoever settles it later may be the other side
    r = run_cli("check", str(app.path))
    assert r.returncode == 1 and "vraagstuk.belangrijk" in r.stdout + r.stderr


async def test_a_choice_left_for_later_by_another_session_is_pointed_out_here(tmp_path):
    """The other session pressed Esc on a same-field question: its [[conflicten]] record comes
    in here with the save; the note says a choice is waiting and where to make it."""
    from tui import storage

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        other = storage.load(app.path)
        other.append(("conflicten",), {"id": "conflict-1", "pad": "organisatie.naam", "ons": "A", "hun": "B", "ons_van": "anna op vm", "hun_van": "bram op vm"})
        storage.save(other)
        app._check_disk()
        await until(pilot, lambda: any(n.title == "Werkboek bijgewerkt" for n in app._notifications))
        [note] = [n for n in app._notifications if n.title == "Werkboek bijgewerkt"]
        assert "Er wacht een keuze tussen twee waarden: Ctrl+P → Werkboek: conflicten oplossen." in note.message
