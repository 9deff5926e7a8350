"""Presentation mode, the user's config (theme and key map) and copying with OSC 52."""

from __future__ import annotations

import asyncio
import datetime as dt
import string
import tomllib

import pytest

from tests.helpers import REPO, enter_first_field, started, until, wait_for_pane
from tui import storage
from tui.app.bigtext import BigText
from tui.app.presentation import PresentationScreen, StepBox
from tui.app.step_tabs import StepBar
from tui.app.werkboek_app import WerkboekApp
from tui.config import Config, config_path, load_config
from tui.model import bigtext, rules
from tui.model.presentation import answer_text, focus_examples, slides, smart_letters, source_checks, summary
from tui.templates import create_workbook

NOW = dt.datetime(2022, 3, 15, 10, 0, tzinfo=dt.timezone.utc)


def example(tmp_path, template: str = "mariniersmuseum", config: Config | None = None) -> WerkboekApp:
    path = create_workbook(tmp_path / "werkboek.toml", template)
    return WerkboekApp(path, clock=lambda: NOW, autosave=0, config=config or Config())


async def present(pilot, *keys: str) -> PresentationScreen:
    await wait_for_pane(pilot, "vraagstuk")
    await pilot.press("f6", *keys)
    for _ in range(300):
        if isinstance(pilot.app.screen, PresentationScreen) and pilot.app.screen.slides:
            break
        await pilot.pause(0.01)
    screen = pilot.app.screen
    assert isinstance(screen, PresentationScreen)
    await shown(pilot, screen)
    return screen


# ------------------------------------------------------------------ the slides (model)


def mariniers(tmp_path) -> dict:
    return tomllib.loads(create_workbook(tmp_path / "w.toml", "mariniersmuseum").read_text(encoding="utf-8"))


def test_slides_follow_the_guide_and_name_their_fields(tmp_path):
    data = mariniers(tmp_path)
    out = slides(data, 1)
    assert out[0].kind == "cirkel" and out[-1].kind == "samenvatting"
    hulpvragen = [s for s in out if s.position.startswith("Hulpvraag")]
    assert len(hulpvragen) == 7
    assert hulpvragen[0].text == "Wat is de komende periode belangrijk voor onze organisatie?"
    assert hulpvragen[2].position == "Hulpvraag 3 van 7"
    step1 = [s.path[-1] for s in out if s.step == "vraagstuk"]
    assert step1[7:] == ["focus", "onderwerp", "waarom", "kernvraag"]
    assert [s.path[-1] for s in out if s.step == "data" and s.kind == "vraag"] == ["strategie", "visie", "eigenaar", "kennis", "klantenbestand", "mogelijkheden", "systemen"]
    # the round chose two sources: a slide each, with its position
    bronnen = [s for s in out if s.kind == "bron"]
    assert [s.text for s in bronnen] == ["Kaartverkoop", "Culturele Doelgroepenmodel"]
    assert bronnen[1].position == "Databron 2 van 2" and bronnen[0].note == ""
    smart = [s for s in out if s.kind == "smart"]
    assert [s.text for s in smart] == [a["titel"] for a in data["cyclus"][1]["acties"]]
    assert smart[0].path == ("cyclus", 1, "acties", 0, "doel")
    kinds = [s.kind for s in out]
    assert kinds.index("niveau") < kinds.index("bron") < kinds.index("smart") < kinds.index("samenvatting")


def test_a_round_without_chosen_sources_shows_all_of_them_and_says_so(tmp_path):
    data = mariniers(tmp_path)
    data["cyclus"][1]["data"]["bronnen"] = []
    bronnen = [s for s in slides(data, 1) if s.kind == "bron"]
    assert len(bronnen) == len(data["databronnen"]) == 4
    assert "Nog geen databron gekozen" in bronnen[0].note


def test_answers_read_as_a_person_reads_them(tmp_path):
    data = mariniers(tmp_path)
    by_field = {s.path[-1]: s for s in slides(data, 1) if s.path}
    assert answer_text(data, by_field["focus"]) == "Marketingcommunicatie & verkoop"  # the label, not the key
    assert answer_text(data, by_field["waarom"]) == "1. Omdat niet elke wijk even goed wordt bereikt.\n2. Omdat één boodschap voor iedereen niet iedereen aanspreekt."
    assert answer_text(data, by_field["strategie"]) == "ja"
    assert focus_examples("marketing") == ["publieksstromen sturen", "publieksaantallen verhogen", "bezoekfrequentie verhogen"]
    assert focus_examples(None) == []


def test_a_data_source_shows_its_hygiene_and_usefulness(tmp_path):
    data = mariniers(tmp_path)
    checks = source_checks(data, 1, 0)
    assert [(c.mark, c.label) for c in checks] == [("✓", "Relevant"), ("✓", "Actualiteit"), ("✓", "Bruikbaarheid"), ("✓", "Zeer bruikbaar")]
    data["databronnen"][0]["actualiteit"] = "nee"
    data["databronnen"][0]["anonimiteit"] = ""
    checks = source_checks(data, 1, 0)
    assert (checks[1].mark, checks[1].state) == ("✗", "nee")
    assert (checks[3].mark, checks[3].label) == ("?", "Bruikbaar voor deze focus?")


def test_smart_letters_are_all_five_with_a_symbol():
    letters = smart_letters({"doel": "bezoekersaantallen verhogen"})
    assert [c.label.split()[0] for c in letters] == ["S", "M", "A", "R", "T"]
    assert all({"ok": "✓", "ontbreekt": "✗", "vaag": "~"}[c.state] == c.mark for c in letters)
    assert (letters[4].mark, letters[4].state) == ("✗", "ontbreekt")  # no date, no deadline


def test_the_summary_has_core_question_level_sources_and_deadlines(tmp_path):
    data = mariniers(tmp_path)
    out = dict(summary(data, 1, dt.date(2026, 12, 7)))
    assert out["Kernvraag"].startswith("Welke doelgroepen bereiken we per wijk")
    assert out["Ervaringsniveau"] == "Lerend"
    assert out["Databronnen"] == "Kaartverkoop; Culturele Doelgroepenmodel"
    # with the status step 3 and the timeline show for it
    action = data["cyclus"][1]["acties"][0]
    status = rules.action_status(action, dt.date(2026, 12, 7), data["cyclus"][1]["start"]).text
    assert out["Acties"] == f"Targeten per wijk (deadline 30-06-2022 · {status})"


# ------------------------------------------------------------------ large letters (model)

DUTCH = "éëïóöüèàáâêîôûçÉËÏÓÖÜ"


def test_every_letter_digit_sign_and_dutch_accent_has_a_glyph():
    missing = bigtext.font().glyphs["missing"]
    plain = string.ascii_letters + string.digits + " .,:;?!-()'\"&%+/*‘’“”×·…€–—"
    assert [c for c in plain + DUTCH if bigtext.glyph(c) == missing] == []
    assert bigtext.glyph("☃") == missing  # what the font does not know shows as a box, not a crash


def test_an_accent_is_composed_above_its_letter():
    e, ee = bigtext.glyph("e"), bigtext.glyph("ë")
    assert ee[3:] == e[3:]  # the letter itself is untouched
    assert ee[1].count(True) == 2 and not any(e[1])  # two dots above it
    ii = bigtext.glyph("ï")
    assert len(ii[0]) == 3 and ii[1] == (True, False, True) and not any(ii[2])  # the i's own dot gives way
    assert bigtext.glyph("é")[1] != bigtext.glyph("è")[1]
    cap = bigtext.glyph("É")
    assert any(cap[0]) and cap[1:] == bigtext.glyph("E")[1:]


def test_each_size_draws_letters_of_its_own_size():
    groot = bigtext.render("Ja", bigtext.GROOT, 80)
    middel = bigtext.render("Ja", bigtext.MIDDEL, 80)
    assert groot.height == 7 and groot.width == 2 * (5 + 1 + 5)  # a dot is two cells wide, a row high
    assert middel.height == 4 and middel.width == 11  # a dot is a cell wide, half a row high
    assert set("".join(groot.lines)) <= {" ", "█"} and set("".join(middel.lines)) <= set(" ▀▄█")
    two = bigtext.render("ja nee", bigtext.MIDDEL, 18)  # wraps by width in dots: two lines of 5 rows
    assert two.height == 9 and len({len(line) for line in two.lines}) == 1  # a block: every row as wide
    assert bigtext.render("Organisatie", bigtext.GROOT, 80) is None  # a word is never cut in two


def test_fit_gives_the_question_the_largest_letters_that_fit():
    q = "Wat is de komende periode belangrijk voor onze organisatie?"
    a = "De groei vasthouden en de doelgroepen bereiken die nog ontbreken."
    big = bigtext.fit([q, a], 156, 34)
    assert [r.size for r in big] == ["middel", "middel"] and sum(r.height for r in big) + 1 <= 34
    assert bigtext.fit(["Wat willen we niet?", "Ja"], 156, 40)[0].size == "groot"
    small = bigtext.fit([q, a], 76, 12)
    assert [r.size for r in small] == ["normaal", "normaal"]
    assert small[0].lines == ("Wat is de komende periode belangrijk voor onze organisatie?",)
    # a short answer may be larger than a long question, unless the order is kept
    assert [r.size for r in bigtext.fit([q, "Ja"], 156, 34)] == ["middel", "groot"]
    assert [r.size for r in bigtext.fit([q, "Ja"], 156, 34, ordered=True)] == ["middel", "middel"]
    for width, height in ((80, 20), (120, 36), (160, 41)):
        for r in [bigtext.fit([q, a], width, height)]:
            assert all(len(line) <= width for x in r for line in x.lines)


# ------------------------------------------------------------------ the screen


async def test_f6_opens_the_circle_in_high_contrast_and_esc_goes_back(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot)
        assert app.theme == "textual-dark"  # the workbook's theme is left alone: the slide has its own colours
        assert screen.styles.background.rgb == (0, 0, 0) and screen.styles.color.rgb == (255, 255, 255)
        boxes = screen.query(".step-box")
        assert len(boxes) == 4
        current = [b for b in boxes if b.has_class("-current")]
        assert [b.step for b in current] == ["actie"]  # round 2 is at step 3
        assert "◀ nu" in str(current[0].query_one(".step-title").render())
        assert "Dia 1 van" in str(screen.query_one("#pres-foot").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PresentationScreen)
        assert app.theme == "textual-dark"


async def test_typing_the_teams_answer_is_written_to_the_workbook(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot, "pagedown")
        assert "Wat is de komende periode belangrijk" in str(screen.query_one(".pres-question").render())
        area = app.focused
        area.text = ""
        await pilot.press(*"Meer gezinnen")
        await pilot.pause()
        await pilot.press("pagedown")  # on to the next question while the cursor is in the text
        await shown(pilot, screen)
        assert "Is er een (probleem)vraagstuk" in screen.query_one(".pres-question", BigText).text  # drawn in block letters
        await pilot.press("pageup")
        await shown(pilot, screen)
        assert app.focused.text == "Meer gezinnen"
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
    data = tomllib.loads(app.path.read_text(encoding="utf-8"))
    assert data["cyclus"][1]["vraagstuk"]["belangrijk"] == "Meer gezinnen"
    assert data["cyclus"][0]["vraagstuk"]["belangrijk"].startswith("Ons publiek verbreden")


async def test_experience_level_slide_shows_the_outcome(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot)
        level = next(i for i, s in enumerate(screen.slides) if s.kind == "niveau")
        screen.index = level
        await shown(pilot, screen)
        assert screen.query_one(".pres-answer").text == "Lerend\n6× ja · 1× nee"
        assert screen.query_one(".pres-answer").size_name in ("groot", "middel")
        assert str(screen.query_one(".pres-detail").render()).startswith("Verbreed dan de betrokkenheid")


async def test_smart_slide_checks_the_goal_live(tmp_path):
    path = create_workbook(tmp_path / "werkboek.toml")
    wb = storage.load(path)
    wb.append(("cyclus", 0, "acties"), {"id": "bezoek", "titel": "Meer bezoekers"})
    storage.save(wb)
    app = WerkboekApp(path, clock=lambda: NOW, autosave=0, config=Config())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await present(pilot)
        screen.index = next(i for i, s in enumerate(screen.slides) if s.kind == "smart")
        await shown(pilot, screen)
        assert "Meer bezoekers" in screen.query_one(".pres-question").text  # drawn in block letters
        smart = screen.query_one("#pres-smart")
        await pilot.press(*"bezoekersaantallen verhogen")

        def letters(checked: bool) -> set[str]:
            return {line[2] for line in str(smart.render()).splitlines() if line.startswith("✓") == checked}

        await until(pilot, lambda: {"M", "T"} <= letters(False), "a vague goal fails M and T")
        app.focused.text = "Het aantal bezoekers uit de gemeente Utrecht van 25 jaar oud, voor voorstelling x, verhogen met 10% vóór december 2023"  # a paste
        await until(pilot, lambda: {"S", "M", "T"} <= letters(True), "a SMART goal passes S, M and T")
        await pilot.press("escape")
        await pilot.pause()
    assert app.workbook.get(("cyclus", 0, "acties", 0, "doel")).startswith("Het aantal bezoekers uit de gemeente Utrecht")


async def left(pilot) -> None:
    """Wait until presentation mode has closed (its screen is popped)."""
    for _ in range(40):
        await pilot.pause(0.05)
        if not isinstance(pilot.app.screen, PresentationScreen):
            break
    assert not isinstance(pilot.app.screen, PresentationScreen)


async def goto(pilot, screen: PresentationScreen, kind: str, field: str | None = None) -> None:
    screen.index = next(i for i, s in enumerate(screen.slides) if s.kind == kind and (field is None or s.path[-1] == field))
    await shown(pilot, screen)


async def shown(pilot, screen: PresentationScreen) -> None:
    """Wait until the slide at ``screen.index`` is on screen (a busy machine takes its time)."""
    for _ in range(300):  # no Pilot pause here: it would draw the slide while it is being built
        if screen.ready == screen.index:
            break
        await asyncio.sleep(0.01)
    await pilot.pause()


async def test_the_question_is_in_large_letters_with_its_position(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await present(pilot, "pagedown", "pagedown", "pagedown")
        assert str(screen.query_one("#pres-position").render()) == "Hulpvraag 3 van 7"
        question, answer = screen.query(BigText)
        assert question.size_name in ("groot", "middel") and answer.size_name in ("groot", "middel")
        assert question.region.height >= 8 and question.region.bottom <= answer.region.y
        lowest = max(w.region.bottom for w in screen.query("#pres-body > *"))
        assert lowest >= 45 - 10  # the screen is used, not its top half only
        assert screen.query_one("#pres-foot").region.bottom == 45  # nothing pushed off the screen
        await pilot.press("ctrl+home")
        await shown(pilot, screen)
        assert {b.query_one(".step-big").size_name for b in screen.query(StepBox)} == {"groot"}  # the circle too


async def test_at_80x24_one_question_and_its_answer_stay_readable(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot, "pagedown")
        question = screen.query_one(".pres-question", BigText)
        assert question.rendering.lines == ("Wat is de komende periode belangrijk voor onze organisatie?",)
        assert app.focused.text == "De groei vasthouden en de doelgroepen bereiken die nog ontbreken."
        assert app.focused.region.bottom <= screen.query_one("#pres-foot").region.y
        assert str(screen.query_one("#pres-position").render()) == "Hulpvraag 1 van 7"


async def test_typing_adds_to_the_end_of_an_existing_answer(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot, "pagedown")
        await pilot.press(*" Echt.")
        await pilot.pause()
        await goto(pilot, screen, "vraag", "onderwerp")  # a one-line field
        await pilot.press(*" en meer")
        await pilot.pause()
    assert app.workbook.get(("cyclus", 1, "vraagstuk", "belangrijk")) == "De groei vasthouden en de doelgroepen bereiken die nog ontbreken. Echt."
    assert app.workbook.get(("cyclus", 1, "vraagstuk", "onderwerp")) == "publieksstromen sturen en meer"


async def test_the_answer_on_the_slide_follows_what_is_typed(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await present(pilot, "pagedown")
        app.focused.text = ""
        await pilot.press(*"Gezinnen")
        answer = screen.query_one(".pres-answer", BigText)
        await until(pilot, lambda: answer.text == "Gezinnen", "the answer in block letters follows the typing")
        assert answer.rendering.lines == bigtext.render("Gezinnen", answer.size_name, answer.rendering.width + 10).lines


async def test_leaving_returns_to_the_field_of_the_last_slide(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await present(pilot)
        await goto(pilot, screen, "vraag", "kernvraag")
        await pilot.press("escape")
        for _ in range(40):
            await pilot.pause(0.05)
            if app.focused is not None and app.focused.parent.id == "veld-vraagstuk-kernvraag":
                break
        assert app.focused.parent.id == "veld-vraagstuk-kernvraag"
        # a slide of no field (the summary): on the step tabs, never nowhere
        app.focused.blur()
        screen = await present(pilot, "ctrl+end")
        assert screen.slide.kind == "samenvatting"
        await pilot.press("escape")
        for _ in range(40):
            await pilot.pause(0.05)
            if isinstance(app.focused, StepBar):
                break
        assert isinstance(app.focused, StepBar)
        screen = await present(pilot)
        await goto(pilot, screen, "vraag", "kennis")
        await pilot.press("f6")
        for _ in range(40):
            await pilot.pause(0.05)
            if app.focused is not None and app.focused.parent.id == "veld-data-ervaring-kennis":
                break
        assert app.focused.parent.id == "veld-data-ervaring-kennis"


async def test_home_and_end_go_to_the_first_and_last_slide_outside_a_text_field(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot)
        await goto(pilot, screen, "vraag", "strategie")  # a ja/nee choice, not a text field
        await pilot.press("end")
        await shown(pilot, screen)
        assert screen.slide.kind == "samenvatting"
        await pilot.press("home")
        await shown(pilot, screen)
        assert screen.index == 0
        await pilot.press("pagedown")  # a text field: Home and End move the cursor
        await shown(pilot, screen)
        area = app.focused
        await pilot.press("home")
        await shown(pilot, screen)
        assert screen.index == 1 and area.cursor_location == (0, 0)
        await pilot.press("ctrl+end")  # with Ctrl: the last slide, also from a text field
        await shown(pilot, screen)
        assert screen.slide.kind == "samenvatting"


async def test_a_clickers_blank_key_blacks_out_the_screen(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot, "b")
        assert screen.has_class("-blank") and screen.query_one("#pres-body").display is False
        await pilot.press("pagedown")
        await shown(pilot, screen)
        assert not screen.has_class("-blank") and screen.index == 1


async def test_the_blank_key_on_a_drop_down_blanks_and_in_a_text_field_types(tmp_path):
    """A drop-down took "b" as the first letter of an answer: the clicker's blank button wrote
    'bedrijfsvoering' into the team's answer."""
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot)
        await goto(pilot, screen, "focus")
        focus = app.session.cycle_path + ("vraagstuk", "focus")
        before = app.workbook.get(focus)
        assert type(app.focused).__name__ == "SafeSelect"
        await pilot.press("b")
        await until(pilot, lambda: screen.has_class("-blank"), "b blanks the screen over a drop-down")
        await pilot.press("full_stop")
        await until(pilot, lambda: not screen.has_class("-blank"), ". brings the slide back")
        await until(pilot, lambda: type(app.focused).__name__ == "SafeSelect", "the drop-down has the focus again")
        await pilot.press("enter")  # the list open: it took "b" as the first letter of an option
        await until(pilot, lambda: type(app.focused).__name__ == "SelectOverlay", "the list opens")
        overlay = app.focused
        highlighted = overlay.highlighted
        await pilot.press("b")
        await until(pilot, lambda: screen.has_class("-blank"), "b blanks the screen over an open list")
        assert overlay.highlighted == highlighted
        await pilot.press("full_stop")
        await until(pilot, lambda: not screen.has_class("-blank") and type(app.focused).__name__ in ("SafeSelect", "SelectOverlay"), ". brings the slide back, with the drop-down")
        await pilot.press("escape")
        await pilot.pause()
        assert app.workbook.get(focus) == before and app.screen is screen
        await goto(pilot, screen, "vraag", "belangrijk")
        await pilot.press("b", "full_stop")
        await until(pilot, lambda: app.focused.text.endswith("b."), "b and . typed in a text field")
        assert not screen.has_class("-blank")


async def test_no_other_round_while_the_slides_show_one(tmp_path):
    """Choosing a round from the palette during the presentation left the slides on the old
    round while the form switched: what was typed next seemed to vanish."""
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await present(pilot)
        cycle = app.session.cycle_path
        app.action_new_cycle()
        app.select_cycle(0)  # "Ronde: kies een ronde" from the palette
        step = app.session.cycle.get("huidige_stap")
        app.action_step_back()  # "Ronde: terug naar 2 Data": the circle would still say step 3
        await pilot.pause()
        assert app.session.cycle_path == cycle and isinstance(app.screen, PresentationScreen)
        assert app.session.cycle.get("huidige_stap") == step == "actie"
        assert any("De presentatie loopt" in n.message for n in app._notifications)


async def test_a_dialog_over_a_slide_is_high_contrast_and_the_theme_comes_back(tmp_path):
    """With the light theme a question over a slide was a light box on a greyed slide; it is
    drawn in high contrast for as long as it is up, and the user's theme returns after it (or
    the theme picked meanwhile)."""
    app = example(tmp_path, config=Config(thema="licht"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot)
        assert app.theme == "textual-light"
        app.action_help()
        await until(pilot, lambda: app.screen is not screen and app.theme == "publieksdata-hoog-contrast", "help over the slide, high contrast")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen and app.theme == "textual-light", "the slide again, the user's theme back")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen is not screen and app.theme == "publieksdata-hoog-contrast", "the palette over the slide, high contrast")
        app.set_theme_name("standaard")  # picked from the palette meanwhile
        assert app.theme == "publieksdata-hoog-contrast"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen and app.theme == "textual-dark", "the theme picked meanwhile")
        await pilot.press("escape")
        await left(pilot)
        assert app.theme == "textual-dark"


async def test_every_kind_of_slide_shows_what_belongs_to_it(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await present(pilot)
        await goto(pilot, screen, "focus")
        assert "publieksstromen sturen" in str(screen.query_one("#pres-examples").render())
        assert screen.query_one(".pres-answer", BigText).text == "Marketingcommunicatie & verkoop"
        await goto(pilot, screen, "waarom")
        assert screen.query_one(".pres-answer", BigText).text.startswith("1. Omdat niet elke wijk")
        await goto(pilot, screen, "bron")
        assert str(screen.query_one("#pres-position").render()) == "Databron 1 van 2"
        assert "✓ Relevant: ja" in str(screen.query_one(".pres-detail").render())
        await goto(pilot, screen, "smart")
        letters = [b.text for b in screen.query(".smart-letter")]
        assert [t[0] for t in letters] == ["S", "M", "A", "R", "T"] and all(t[1] in "✓✗~" for t in letters)
        assert all(b.size_name in ("groot", "middel") for b in screen.query(".smart-letter"))
        await goto(pilot, screen, "samenvatting")
        texts = [b.text for b in screen.query(".pres-summary")]
        assert texts[0].startswith("Kernvraag: Welke doelgroepen") and "Targeten per wijk (deadline 30-06-2022 · ✓ afgerond)" in texts[3]


async def test_f5_exports_from_the_closing_slide_without_leaving(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot, "ctrl+end")
        assert screen.slide.kind == "samenvatting"
        assert "F5 exporteren" in str(screen.query_one("#pres-foot").render())
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert app.path.with_suffix(".xlsx").exists()
        assert app.screen is screen


SLIDE_KINDS = ["cirkel", "vraag", "focus", "waarom", "niveau", "bron", "smart", "samenvatting"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("slide", SLIDE_KINDS)
def test_presentation_snapshots(snap_compare, tmp_path, size, slide):
    async def run_before(pilot):
        app = pilot.app
        await wait_for_pane(pilot, "vraagstuk")
        await pilot.press("f6")
        for _ in range(500):  # conditions, not fixed pauses: a busy machine takes its time
            if isinstance(app.screen, PresentationScreen) and app.screen.slides:
                break
            await pilot.pause(0.01)
        screen = app.screen
        screen.index = next(i for i, s in enumerate(screen.slides) if s.kind == slide)
        for _ in range(500):
            if screen.ready == screen.index:
                break
            await asyncio.sleep(0.01)
        # the slide is fitted, and its SMART letters checked, after refreshes: wait until the
        # screen stays the same (a busy machine takes longer than any fixed pause)
        shown = None
        for _ in range(100):
            await pilot.pause(0.05)
            now = app.export_screenshot()
            if now == shown:
                break
            shown = now

    assert snap_compare(example(tmp_path), run_before=run_before, terminal_size=size)


# ------------------------------------------------------------------ config: theme and keys


def test_config_path_follows_the_environment(tmp_path):
    assert config_path({"PUBLIEKSDATA_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"
    assert config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "publieksdata" / "config.toml"
    assert config_path({"HOME": str(tmp_path)}) == tmp_path / ".config" / "publieksdata" / "config.toml"


def test_missing_config_is_the_defaults(tmp_path):
    cfg = load_config(tmp_path / "geen.toml")
    assert (cfg.thema, cfg.toetsen, cfg.problems) == ("standaard", {}, [])


def test_every_mistake_in_the_config_is_reported_with_its_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('thema = "paars"\nkleur = 1\n[toetsen]\n"app.save" = "f9"\n"app.bestaatniet" = "f8"\n"app.export" = 5\n', encoding="utf-8")
    cfg = load_config(path, {"app.save", "app.export"})
    found = {(p.path, p.line) for p in cfg.problems}
    assert found == {("thema", 1), ("kleur", 2), ("toetsen.app.bestaatniet", 5), ("toetsen.app.export", 6)}
    assert cfg.thema == "standaard" and cfg.toetsen == {"app.save": "f9"}
    thema = next(p for p in cfg.problems if p.path == "thema").format(str(path))
    assert thema.startswith(f"{path}:1: thema: ") and "paars" in thema


def test_autosave_can_be_set_or_turned_off_and_a_wrong_value_is_reported(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("automatisch_opslaan = 0\n", encoding="utf-8")
    assert load_config(path).automatisch_opslaan == 0
    path.write_text("automatisch_opslaan = 10\n", encoding="utf-8")
    assert load_config(path).automatisch_opslaan == 10
    for wrong in ('"snel"', "-1", "true", "99999"):
        path.write_text(f'thema = "licht"\nautomatisch_opslaan = {wrong}\n', encoding="utf-8")
        cfg = load_config(path)
        assert cfg.automatisch_opslaan == 3 and cfg.thema == "licht"
        assert [(p.path, p.line) for p in cfg.problems] == [("automatisch_opslaan", 2)]


async def test_with_autosave_off_an_edit_waits_for_ctrl_s(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("automatisch_opslaan = 0\n", encoding="utf-8")
    app = WerkboekApp(create_workbook(tmp_path / "werkboek.toml", "mariniersmuseum"), clock=lambda: NOW, config=load_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.apply(app.session.cycle_path + ("vraagstuk", "onderwerp"), "Nieuw onderwerp")
        await pilot.pause(0.3)
        assert app._autosave_timer is None and app.session.dirty
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.session.dirty
        assert "Nieuw onderwerp" in app.path.read_text(encoding="utf-8")


def test_a_config_that_is_not_toml_keeps_the_defaults(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('thema = "licht"\n[toetsen\n', encoding="utf-8")
    cfg = load_config(path)
    assert cfg.thema == "standaard" and cfg.problems[0].line == 2


async def test_the_config_sets_theme_and_keys_in_the_app(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('thema = "licht"\n[toetsen]\n"app.presentation" = "f9"\n', encoding="utf-8")
    app = example(tmp_path, config=load_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        assert app.theme == "textual-light"
        await pilot.press("f6")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, PresentationScreen)
        await pilot.press("f9")
        await pilot.pause(0.2)
        assert isinstance(app.screen, PresentationScreen)


async def test_config_mistakes_are_shown_after_start(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[toetsen]\n"app.bestaatniet" = "f9"\n', encoding="utf-8")
    app = example(tmp_path, config=load_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: any("app.bestaatniet" in n.message for n in app._notifications), "the config check reports the unknown binding id")
        messages = [n.message for n in app._notifications]
        assert any(f"{path}:2" in m and "app.bestaatniet" in m for m in messages), messages


def test_key_doc_is_in_sync():
    from tui.app.keys import render

    assert (REPO / "docs" / "toetsen.md").read_text(encoding="utf-8") == render(), "run: python -m tui.app.keys > docs/toetsen.md"


# ------------------------------------------------------------------ copy (OSC 52)


async def test_f7_copies_the_question_and_the_answer(tmp_path, monkeypatch):
    app = example(tmp_path)
    copied = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        await enter_first_field(pilot)  # from the tab bar, where the app starts
        await pilot.press("f7")
        await pilot.pause()
        assert copied == ["Wat is de komende periode belangrijk voor onze organisatie?\nDe groei vasthouden en de doelgroepen bereiken die nog ontbreken."]
        await present(pilot, "pagedown", "pagedown")
        await pilot.press("f7")
        await pilot.pause()
        assert copied[-1].startswith("Is er een (probleem)vraagstuk dat we willen meten?\nWelke doelgroepen")


async def test_themes_can_be_chosen_live_from_the_palette(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        for title, theme in (("Thema: licht", "textual-light"), ("Thema: hoog contrast", "publieksdata-hoog-contrast"), ("Thema: standaard (donker)", "textual-dark")):
            commands[title]()
            await pilot.pause()
            assert app.theme == theme


async def test_esc_takes_a_warning_off_the_slide_before_it_leaves_but_not_a_plain_message(tmp_path):
    """A warning over a slide in front of a room: the first Esc closes it, the next one leaves.
    A plain message (an export from the closing slide) goes by itself: Esc leaves at once."""
    app = example(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await present(pilot)
        app.notify("Geëxporteerd naar werkboek.xlsx", title="Export", timeout=8)
        await pilot.pause(0.1)
        await pilot.press("escape")
        await left(pilot)
        app.clear_notifications()
        screen = await present(pilot)
        app.notify("Het werkboek kon niet worden ingelezen van schijf", title="Werkboek", severity="warning", timeout=8)
        await pilot.pause(0.1)
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.screen is screen and not app._notifications
        await pilot.press("escape")
        await left(pilot)


async def test_keys_work_while_the_config_check_is_importing_the_presentation_screen(tmp_path, monkeypatch):
    """With a config file, the app imports every screen in a thread after the first frame (to
    know the binding ids). Meanwhile the presentation module is in sys.modules half-initialised
    (no PresentationScreen yet): a key then ended the app with an AttributeError (seen in tmux)."""
    import sys
    import types

    half = types.ModuleType("tui.app.presentation")
    monkeypatch.setitem(sys.modules, "tui.app.presentation", half)
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_first_field(pilot)
        app.notify("Let op", severity="warning", timeout=8)  # Esc is asked whether it takes a warning
        await pilot.press(*"Gezinnen", "escape")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.workbook.get(("cyclus", 1, "vraagstuk", "belangrijk")).endswith("Gezinnen")


def test_the_summary_names_an_unmeasured_action_without_a_double_dot():
    from tui.model import presentation as pres

    data = {"cyclus": [{"nummer": 1, "acties": [{"titel": "Vrienden werven", "deadline": dt.date(2027, 3, 31), "nulmeting": 10, "streefwaarde": 20, "richting": "verhogen"}]}]}
    text = " ".join(value for _, value in pres.summary(data, 0, dt.date(2026, 12, 7)))
    assert "Vrienden werven (deadline 31-03-2027 · nog niet gemeten)" in text and "· ·" not in text


def test_the_guides_example_on_an_action_slide_is_labelled_as_an_example():
    """On a projector the guide's SMART example must not read as the action's own goal."""
    data = {"cyclus": [{"nummer": 1, "acties": [{"titel": "Vrienden werven"}]}]}
    [smart] = [s for s in slides(data, 0) if s.kind == "smart"]
    assert smart.note.startswith("Voorbeeld uit de gids: ") and "Utrecht" in smart.note


async def test_the_goal_field_of_a_weak_action_stays_on_the_slide_at_80x24(tmp_path):
    """Five letters with advice pushed the goal's own field below the screen: the facilitator
    typed without seeing it. At 80x24 the slide gives the verdicts only and leaves out the
    guide's example."""
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        app.session.add_record("acties", {"titel": "Meer publiek", "doel": "Meer jonge mensen naar het museum trekken, zo snel mogelijk, met betere marketing en meer zichtbaarheid online",
                                          "nulmeting": 120, "streefwaarde": 90, "richting": "verhogen"})
        screen = await present(pilot)
        screen.index = [i for i, s in enumerate(screen.slides) if s.kind == "smart"][-1]
        await shown(pilot, screen)
        for _ in range(50):
            await pilot.pause(0.02)
            if "Stand:" in str(screen.query_one("#pres-smart").render()):
                break
        editor = screen.query_one("#pres-editor")
        # above the foot line once the slide has been fitted to the screen (after its first frame)
        await until(pilot, lambda: 0 < editor.region.bottom <= app.size.height - 1, f"the goal's field above the foot line (at first {editor.region})")
        assert "Noem voor wie" not in str(screen.query_one("#pres-smart").render())  # verdicts, not the advice


async def test_a_question_is_never_drawn_smaller_than_its_answer(tmp_path):
    """At 80x24 some slides showed the question in ordinary text and the answer in block letters
    (the answer is in the field below it anyway; the room reads the question)."""
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot)
        for i, slide in enumerate(screen.slides):
            if slide.kind != "vraag":
                continue
            screen.index = i
            await shown(pilot, screen)
            await pilot.pause()
            question, answer = screen.query("#pres-body BigText").results(BigText)
            if answer.rendering is not None and answer.rendering.height:
                assert bigtext.RANK[question.size_name] >= bigtext.RANK[answer.size_name], (i, question.text, answer.text)


# ------------------------------------------------------------------ read from the back of the room


def _luminance(rgb) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(fg, bg) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _runs(screen) -> list[tuple]:
    runs = []
    for strip in screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            fg, bg = style.color, style.bgcolor
            if style.reverse:
                fg, bg = bg, fg
            runs.append((segment.text, fg.triplet if fg else None, bg.triplet if bg else None))
    return runs


async def _slide_colours(tmp_path, thema: str) -> list[list[tuple]]:
    """Every slide of the example's round at 80x24, as the (text, foreground, background) of each
    run of text on screen, spaces included (the backgrounds, the cursor)."""
    tmp_path.mkdir()
    app = example(tmp_path, config=Config(thema=thema))
    out = []
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        # a scroll bar, and a bracket that the field marks when the cursor stands on its pair
        app.apply(app.session.cycle_path + ("vraagstuk", "belangrijk"), "\n".join(f"Regel {i}" for i in range(30)) + " (a) [b]")
        screen = await present(pilot)
        for index in range(len(screen.slides)):
            if index:
                await pilot.press("pagedown")
                await shown(pilot, screen)
            if index == 1:
                await pilot.press("left")
            # the slide is fitted to the screen a frame after it is shown: take it once it is still
            runs, before = _runs(screen), None
            for _ in range(100):
                if runs == before:
                    break
                await pilot.pause(0.05)
                runs, before = _runs(screen), runs
            out.append(runs)
        await pilot.press("escape")
        await left(pilot)
        assert app.theme == Config(thema=thema).textual_theme  # the user's own theme is back
    return out


async def test_every_slide_reads_from_the_back_of_the_room_whatever_the_theme(tmp_path):
    """The slides are high contrast (every letter at least 7:1 against its background, WCAG's
    highest level) and look the same whichever theme the user picked for the workbook."""
    light = await _slide_colours(tmp_path / "licht", "licht")
    dark = await _slide_colours(tmp_path / "standaard", "standaard")
    assert len(light) == len(dark) > 20
    for number, (a, b) in enumerate(zip(light, dark), start=1):
        assert a == b, f"slide {number} differs between the light and the dark theme"
        for text, fg, bg in a:
            if not text.strip():
                continue  # a background: the same in both themes is enough
            assert fg is not None and bg is not None, f"slide {number}: {text!r} has no colour of its own"
            assert _contrast(fg, bg) >= 7, f"slide {number}: {text!r} {fg} on {bg} is {_contrast(fg, bg):.1f}:1"
