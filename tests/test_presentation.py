"""Presentation mode, the user's config (theme and key map) and copying with OSC 52."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from tests.helpers import REPO, wait_for_pane
from tui import storage
from tui.app.presentation import PresentationScreen
from tui.app.werkboek_app import WerkboekApp
from tui.config import Config, config_path, load_config
from tui.model.presentation import slides
from tui.templates import create_workbook

NOW = dt.datetime(2022, 3, 15, 10, 0, tzinfo=dt.timezone.utc)


def example(tmp_path, template: str = "mariniersmuseum", config: Config | None = None) -> WerkboekApp:
    path = create_workbook(tmp_path / "werkboek.toml", template)
    return WerkboekApp(path, clock=lambda: NOW, autosave=0, config=config or Config())


async def present(pilot, *keys: str) -> PresentationScreen:
    await pilot.pause(0.2)
    await pilot.press("f6", *keys)
    await pilot.pause(0.3)
    screen = pilot.app.screen
    assert isinstance(screen, PresentationScreen)
    return screen


# ------------------------------------------------------------------ the slides (model)


def test_slides_follow_the_guide_and_name_their_fields(tmp_path):
    data = tomllib.loads(create_workbook(tmp_path / "w.toml", "mariniersmuseum").read_text(encoding="utf-8"))
    out = slides(data, 1)
    assert out[0].kind == "cirkel"
    questions = [s for s in out if s.step == "vraagstuk"]
    assert len(questions) == 8  # seven hulpvragen and the core question
    assert questions[0].text == "Wat is de komende periode belangrijk voor onze organisatie?"
    assert questions[-1].path == ("cyclus", 1, "vraagstuk", "kernvraag")
    assert [s.path[-1] for s in out if s.step == "data" and s.kind == "vraag"] == ["strategie", "visie", "eigenaar", "kennis", "klantenbestand", "mogelijkheden", "systemen"]
    smart = [s for s in out if s.kind == "smart"]
    assert [s.text for s in smart] == [a["titel"] for a in data["cyclus"][1]["acties"]]
    assert smart[0].path == ("cyclus", 1, "acties", 0, "doel")


# ------------------------------------------------------------------ the screen


async def test_f6_opens_the_circle_in_high_contrast_and_esc_goes_back(tmp_path):
    app = example(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await present(pilot)
        assert app.theme == "publieksdata-hoog-contrast"
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
        await pilot.pause(0.2)
        assert "Is er een (probleem)vraagstuk" in str(screen.query_one(".pres-question").render())
        await pilot.press("pageup")
        await pilot.pause(0.2)
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
        await pilot.pause(0.3)
        text = str(screen.query_one(".pres-answer").render())
        assert "Lerend" in text and "6× ja, 1× nee" in text


async def test_smart_slide_checks_the_goal_live(tmp_path):
    path = create_workbook(tmp_path / "werkboek.toml")
    wb = storage.load(path)
    wb.append(("cyclus", 0, "acties"), {"id": "bezoek", "titel": "Meer bezoekers"})
    storage.save(wb)
    app = WerkboekApp(path, clock=lambda: NOW, autosave=0, config=Config())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await present(pilot)
        screen.index = next(i for i, s in enumerate(screen.slides) if s.kind == "smart")
        await pilot.pause(0.3)
        assert "Meer bezoekers" in str(screen.query_one(".pres-question").render())
        smart = screen.query_one("#pres-smart")
        await pilot.press(*"bezoekersaantallen verhogen")
        await pilot.pause(0.2)
        vague = {line[2] for line in str(smart.render()).splitlines() if not line.startswith("✓")}
        assert {"M", "T"} <= vague
        app.focused.text = ""
        await pilot.press(*"Het aantal bezoekers uit de gemeente Utrecht van 25 jaar oud, voor voorstelling x, verhogen met 10% vóór december 2023")
        await pilot.pause(0.2)
        ok = {line[2] for line in str(smart.render()).splitlines() if line.startswith("✓")}
        assert {"S", "M", "T"} <= ok
        await pilot.press("escape")
        await pilot.pause()
    assert app.workbook.get(("cyclus", 0, "acties", 0, "doel")).startswith("Het aantal bezoekers uit de gemeente Utrecht")


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("slide", ["cirkel", "vraag"])
def test_presentation_snapshots(snap_compare, tmp_path, size, slide):
    async def run_before(pilot):
        await pilot.pause(0.3)
        await pilot.press("f6")
        await pilot.pause(0.3)
        if slide == "vraag":
            await pilot.press("pagedown")
        await pilot.pause(0.3)

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
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
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
