"""Never crash: quitting at any moment, and seeded random keys, pastes and resizes everywhere.

Work that runs later (the form mounted after the first frame, a worker's callback, a slide shown
after a refresh) must find the app quitting or its screen gone without raising.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.helpers import wait_for_pane
from tui.app.werkboek_app import WerkboekApp
from tui.templates import create_workbook

SCRIPT = Path(sys.executable).parent / "publieksdata"


def example(tmp_path: Path, name: str = "werkboek.toml", template: str = "mariniersmuseum") -> Path:
    path = tmp_path / name
    create_workbook(path, template)
    return path


# ---------------------------------------------------------------------- quitting at once


@pytest.mark.parametrize("seed", range(20))
async def test_quit_right_after_the_first_frame(tmp_path, seed):
    """Ctrl+Q (or F10) while step 1's form is still being mounted: the app ends, status 0."""
    rnd = random.Random(seed)
    app = WerkboekApp(example(tmp_path), autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(rnd.randint(0, 2)):
            await pilot.pause()
        await pilot.press(rnd.choice(["ctrl+q", "f10"]))
    assert app.return_code == 0


@pytest.mark.parametrize("seed", range(5))
async def test_presentation_opened_and_closed_in_one_tick(tmp_path, seed):
    """F6 and a screen pop (Esc, F6) in the same moment: the slide shown later finds its screen gone."""
    rnd = random.Random(seed)
    app = WerkboekApp(example(tmp_path), autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_pane(pilot, "vraagstuk")
        for _ in range(3):
            app.action_presentation()
            for _ in range(rnd.randint(0, 2)):
                await pilot.pause()
            app.screen.index = rnd.randint(1, 3)  # the next slide is shown after a refresh
            app.action_presentation()
            for _ in range(rnd.randint(0, 2)):
                await pilot.pause()
        await pilot.press("ctrl+q")
    assert app.return_code == 0


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("tmux"), reason="tmux is not installed (.ci/run installs it)")
def test_quit_at_once_in_a_real_terminal(tmp_path):
    """Ten starts in tmux at 80x24, each quit the moment the first frame is there."""
    example(tmp_path)
    for attempt in range(10):
        socket = f"werkboek-quit-{uuid.uuid4().hex[:8]}"

        def tmux(*args: str) -> str:
            return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=20).stdout

        # the shell prints the exit status after the app; the pane stays for us to read it
        tmux("new-session", "-d", "-s", "w", "-x", "80", "-y", "24", "-c", str(tmp_path),
             f"env TERM=screen sh -c '{SCRIPT} werkboek.toml; echo EXIT=$?; sleep 60'")
        try:
            key = "C-q" if attempt % 2 == 0 else "F10"
            end = time.monotonic() + 30
            sent = False
            screen = ""
            while time.monotonic() < end:
                screen = tmux("capture-pane", "-p", "-S", "-200", "-t", "w")
                if "EXIT=" in screen:
                    break
                if "1 Vraagstuk" in screen and not sent:
                    tmux("send-keys", "-t", "w", key)  # at once: the form may still be mounting
                    sent = True
                time.sleep(0.01 if not sent else 0.1)
            assert "EXIT=0" in screen, f"attempt {attempt}:\n{screen}"
            assert "Traceback" not in screen and "Error" not in screen, f"attempt {attempt}:\n{screen}"
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
