"""The user's config file as a hostile or careless user writes it: the app always starts, each
mistake is named with its line, and a key that cannot work keeps its default."""

from __future__ import annotations

import os
import string
import threading
from pathlib import Path

import pytest

from tests.helpers import until, wait_for_pane
from tui.app.werkboek_app import WerkboekApp
from tui.config import CHARACTER_KEYS, MAX_KEYS, key_problem, load_config
from tui.templates import create_workbook


def written(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def table() -> dict[str, tuple[str, str]]:
    from tui.app.keys import binding_table

    return binding_table()


def loaded_soon(path: Path, bindings=None):
    """load_config in a thread that must end within seconds (a pipe once waited for ever)."""
    out = []
    reader = threading.Thread(target=lambda: out.append(load_config(path, bindings)), daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), f"reading {path} did not end"
    return out[0]


# ------------------------------------------------------------------ files that are not a config


def test_deep_nesting_is_reported_not_raised(tmp_path):
    cfg = load_config(written(tmp_path, "thema = " + "[" * 1000 + "]" * 1000 + "\n"))
    assert cfg.thema == "standaard" and "te diep genest" in cfg.problems[0].message


def test_a_pipe_a_device_and_a_huge_file_are_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert "geen gewoon bestand" in loaded_soon(fifo).problems[0].message
    assert "geen gewoon bestand" in loaded_soon(Path("/dev/zero")).problems[0].message
    huge = written(tmp_path, "# commentaar\n" * 100_000)
    assert "te groot" in loaded_soon(huge).problems[0].message


async def test_a_config_link_that_leads_nowhere_is_reported(tmp_path):
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    assert "niet te lezen" in load_config(tmp_path / "a.toml").problems[0].message
    app = WerkboekApp(create_workbook(tmp_path / "werkboek.toml", "leeg"), autosave=0, config=load_config(tmp_path / "a.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: any("niet te lezen" in n.message for n in app._notifications), "the looping link is reported")


def test_a_bom_is_fine_and_bytes_that_are_not_utf8_are_named_with_their_line(tmp_path):
    cfg = load_config(written(tmp_path, "\ufeffthema = \"licht\"\n"))
    assert cfg.thema == "licht" and cfg.problems == []
    cfg = load_config(written(tmp_path, b'thema = "licht"\n# caf\xe9\n'))
    [problem] = cfg.problems
    assert problem.line == 2 and "UTF-8" in problem.message and cfg.thema == "standaard"


# ------------------------------------------------------------------ key names


@pytest.mark.parametrize("key", ["blablabla", "ctrl+alt+shift+super+hyper+meta+f99", "☃x", "ctrl+", "cmd+s", "ctrl+ctrl+s", "f25"])
def test_a_key_name_the_terminal_never_sends_is_refused_and_the_default_stays(tmp_path, key):
    cfg = load_config(written(tmp_path, f'thema = "licht"\n[toetsen]\n"app.quit" = "{key}"\n'))
    assert cfg.toetsen == {}
    [problem] = cfg.problems
    assert problem.line == 3 and problem.path == "toetsen.app.quit"


def test_capitals_in_key_names_are_read_as_the_terminal_names_them(tmp_path):
    cfg = load_config(written(tmp_path, '[toetsen]\n"app.save" = "F9"\n"app.presentation" = "Ctrl+O, Alt+P"\n"records.add" = "N"\n'))
    assert cfg.problems == []
    assert cfg.toetsen == {"app.save": "f9", "app.presentation": "ctrl+o,alt+p", "records.add": "N"}


def test_at_most_a_few_keys_per_binding(tmp_path):
    keys = ",".join(f"ctrl+{c}" for c in "abcdefghijk"[: MAX_KEYS + 1])
    cfg = load_config(written(tmp_path, f'[toetsen]\n"app.save" = "{keys}"\n'))
    assert cfg.toetsen == {} and str(MAX_KEYS) in cfg.problems[0].message


def test_the_character_key_names_are_the_ones_textual_reports():
    from textual.keys import _character_to_key

    reported = {_character_to_key(c) for c in string.printable if c.isprintable() and not c.isalnum()}
    assert reported == set(CHARACTER_KEYS)
    assert all(key_problem(k) is None for k in reported)


# ------------------------------------------------------------------ keys that cannot work as set


def test_a_key_that_types_a_character_is_refused_where_the_default_does_not_type(tmp_path):
    cfg = load_config(written(tmp_path, '[toetsen]\n"app.quit" = "q"\n"app.save" = "e"\n"app.palette" = "space"\n"records.add" = "n"\n"app.tab1" = "!"\n'), table())
    assert {p.path for p in cfg.problems} == {"toetsen.app.quit", "toetsen.app.save", "toetsen.app.palette"}
    assert all("typt een teken" in p.message for p in cfg.problems)
    assert cfg.toetsen == {"records.add": "n", "app.tab1": "!"}  # letters are their kind of key


def test_a_key_taken_from_another_binding_is_refused_for_both(tmp_path):
    cfg = load_config(written(tmp_path, '[toetsen]\n"app.save" = "f9"\n"app.presentation" = "f9"\n"app.help" = "escape"\n"app.copy" = "tab"\n'), table())
    assert {(p.path, p.line) for p in cfg.problems} == {("toetsen.app.save", 2), ("toetsen.app.presentation", 3), ("toetsen.app.help", 4), ("toetsen.app.copy", 5)}
    assert "app.presentation" in next(p.message for p in cfg.problems if p.path == "toetsen.app.save")
    assert cfg.toetsen == {}


def test_keys_that_only_meet_on_other_screens_and_a_binding_set_to_its_default_are_fine(tmp_path):
    text = '[toetsen]\n"record.accept" = "f9"\n"round.accept" = "f9"\n"app.dismiss_presence" = "escape"\n"app.copy" = "f5"\n"app.export" = "f7"\n'
    cfg = load_config(written(tmp_path, text), table())
    assert cfg.problems == []
    assert cfg.toetsen["app.copy"] == "f5" and cfg.toetsen["app.export"] == "f7"  # swapped


# ------------------------------------------------------------------ in the app


def app_with(tmp_path: Path, config_text: str) -> WerkboekApp:
    path = written(tmp_path, config_text)
    return WerkboekApp(create_workbook(tmp_path / "werkboek.toml", "leeg"), autosave=0, config=load_config(path))


async def test_quit_stays_reachable_with_a_key_name_that_does_not_exist(tmp_path):
    app = app_with(tmp_path, '[toetsen]\n"app.quit" = "blablabla"\n"app.palette" = "blablabla"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app._exit, "Ctrl+Q ends the app")
    assert app.return_code == 0


async def test_a_clashing_key_gets_its_default_back_once_the_config_is_checked(tmp_path):
    from tui.app.presentation import PresentationScreen

    app = app_with(tmp_path, '[toetsen]\n"app.save" = "f9"\n"app.presentation" = "f9"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: any("app.presentation" in n.message for n in app._notifications), "the clash is reported")
        await pilot.pause()
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PresentationScreen), "F6 opens presentation mode again")


async def test_many_mistakes_make_a_notice_that_fits_the_screen(tmp_path):
    lines = [f'"app.bestaat{n}" = "f9"' for n in range(15)]
    app = app_with(tmp_path, 'thema = "paars"\n[toetsen]\n' + "\n".join(lines) + "\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: any("bestaat" in n.message for n in app._notifications), "the mistakes are reported")
        [notice] = [n for n in app._notifications if "bestaat" in n.message]
        assert notice.message.splitlines()[0].endswith("thema: onbekend thema 'paars'; kies uit standaard, licht, hoog-contrast")
        assert "… en nog 11 meldingen" in notice.message and len(notice.message.splitlines()) <= 8
