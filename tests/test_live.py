"""Two people on one workbook, each in their own terminal: what one saves appears in the other
within seconds, merged with what the other has not saved yet; only the same field asks."""

from __future__ import annotations

import time
import tomllib

import pytest

from tests.test_tmux import Tmux, pytestmark  # noqa: F401 - the same skips and marks

FIRST_FIELD = "Wat is de komende periode belangrijk"


def read(path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def wait_until(condition, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.1)


START_TYPING = "Enter of ↓ om te beginnen met typen"


def into_first_field(t: Tmux) -> None:
    """The app starts on the tab bar: Enter goes into the first answer."""
    t.wait_for(FIRST_FIELD)
    t.nudge_size()
    t.wait_for(START_TYPING)
    t.keys("Enter")
    t.wait_for_gone(START_TYPING)


@pytest.fixture
def two(tmp_path):
    # No autosave: who saves when is up to each test (an autosave on a busy machine would
    # otherwise decide who saves second).
    config = tmp_path / "config.toml"
    config.write_text("automatisch_opslaan = 0\n", encoding="utf-8")
    env = {"TERM": "screen", "PUBLIEKSDATA_CONFIG": str(config)}
    a = Tmux(tmp_path, env, width=100, height=30)
    into_first_field(a)
    b = Tmux(tmp_path, env, width=100, height=30)
    into_first_field(b)
    yield a, b
    a.kill()
    b.kill()


def test_a_save_in_one_session_appears_in_the_other_and_both_edits_are_kept(tmp_path, two):
    a, b = two
    b.keys("x")  # once this shows as an edit, the focus is in the first field ...
    b.wait_for("niet opgeslagen")
    b.keys("BSpace")
    wait_until(lambda: not any(line.startswith(" ▊ x ") for line in b.screen().splitlines()))
    b.keys("Tab")  # ... and b works in the second field, unsaved
    b.keys("Een kernvraag van b", literal=True)
    b.wait_for("Een kernvraag van b")
    b.wait_for("niet opgeslagen")
    a.keys("Belangrijk volgens a", literal=True)
    a.keys("F2")
    a.wait_for("✓ opgeslagen")
    screen = b.wait_for("Belangrijk volgens a", timeout=20)  # within seconds, in b's field
    assert "Een kernvraag van b" in screen
    assert "Hetzelfde veld" not in screen  # no question: different fields
    b.keys("F2")
    b.wait_for("✓ opgeslagen")
    data = read(tmp_path / "werkboek.toml")["cyclus"][0]["vraagstuk"]
    assert data["belangrijk"] == "Belangrijk volgens a"
    assert data["meten"] == "Een kernvraag van b"


def test_the_same_field_saved_in_both_asks_in_the_second(tmp_path, two):
    a, b = two
    b.keys("Versie van b", literal=True)
    b.wait_for("niet opgeslagen")
    a.keys("Versie van a", literal=True)
    a.keys("F2")
    a.wait_for("✓ opgeslagen")
    screen = b.wait_for("Hetzelfde veld", timeout=20)
    assert "Versie van a" in screen and "Versie van b" in screen
    b.keys("Enter")  # the first answer: keep mine
    end = time.monotonic() + 10
    while "Hetzelfde veld" in b.screen() and time.monotonic() < end:
        time.sleep(0.2)
    b.keys("F2")
    b.wait_for("✓ opgeslagen")
    assert read(tmp_path / "werkboek.toml")["cyclus"][0]["vraagstuk"]["belangrijk"] == "Versie van b"
