"""End to end: the installed `publieksdata` in a real terminal (tmux) at 80x24, by keyboard."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not shutil.which("tmux"), reason="tmux is not installed (.ci/run installs it)")]

SCRIPT = Path(sys.executable).parent / "publieksdata"


class Tmux:
    def __init__(self, cwd: Path, env: dict[str, str] | None = None, width: int = 80, height: int = 24):
        self.socket = f"werkboek-test-{uuid.uuid4().hex[:8]}"
        self.session = "werkboek"
        environment = " ".join(f"{k}={v}" for k, v in (env or {}).items())
        self.run("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), "-c", str(cwd), f"env {environment} {SCRIPT}")

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear; screen:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.session], capture_output=True).returncode == 0

    def wait_closed(self, timeout: float = 15) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.alive():
            time.sleep(0.2)
        assert not self.alive(), self.screen()

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux_in(tmp_path):
    sessions = []

    def start(env=None, **kw):
        t = Tmux(tmp_path, env, **kw)
        sessions.append(t)
        return t

    yield start
    for t in sessions:
        t.kill()


def test_type_an_answer_save_and_quit_at_80x24(tmp_path, tmux_in):
    t = tmux_in({"TERM": "screen"})
    screen = t.wait_for("Wat is de komende periode belangrijk")  # the form is there
    assert "Formuleer de probleem- of vraagstelling." in screen
    assert (tmp_path / "werkboek.toml").exists()  # created from the blank template
    t.keys("Jonge gezinnen uit de wijk", literal=True)
    t.wait_for("niet opgeslagen")
    t.keys("F2")  # Ctrl+S may be swallowed by the terminal; F2 is the same binding
    t.wait_for("✓ opgeslagen")
    t.keys("C-q")
    t.wait_closed()
    data = tomllib.loads((tmp_path / "werkboek.toml").read_text(encoding="utf-8"))
    assert data["cyclus"][0]["vraagstuk"]["belangrijk"] == "Jonge gezinnen uit de wijk"
