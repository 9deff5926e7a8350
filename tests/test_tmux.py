"""End to end: the installed `publieksdata` in a real terminal (tmux) at 80x24, by keyboard."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not shutil.which("tmux"), reason="tmux is not installed (.ci/run installs it)")]

SCRIPT = Path(sys.executable).parent / "publieksdata"


def terminal_env() -> dict[str, str]:
    """This process's environment for a terminal of its own: without COLUMNS and LINES, which a
    test process may carry (readline sets them) and which the app would take as its size over
    the terminal's own (an app at 80x24 in a 100x30 pane, now and then, under load)."""
    return {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


class Tmux:
    def __init__(self, cwd: Path, env: dict[str, str] | None = None, width: int = 80, height: int = 24, command: str | None = None):
        self.socket = f"werkboek-test-{uuid.uuid4().hex[:8]}"
        # the server's only setting, read as it starts: a pane whose app has ended stays, with
        # what the app printed last (a traceback, say), so a test waiting in vain can show it
        self.config = Path(tempfile.gettempdir()) / f"{self.socket}.conf"
        self.config.write_text("set-option -g remain-on-exit on\n", encoding="utf-8")
        self.width, self.height = width, height
        self.session = "werkboek"
        environment = " ".join(f"{k}={v}" for k, v in (env or {}).items())
        self.run("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), "-c", str(cwd), f"env {environment} {command or SCRIPT}")
        # the pane keeps this size: with no client attached tmux may fall back to its default
        # (80x24) when it recalculates sizes, and the app then redraws at 80x24 mid-test
        self.run("set-option", "-g", "default-size", f"{width}x{height}")
        self.run("set-option", "-g", "window-size", "manual")

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", str(self.config), *args], capture_output=True, text=True, timeout=20, env=terminal_env()).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def nudge_size(self) -> None:
        """Resize the pane by one column and back once the app is up: on a busy machine an app
        started in a detached pane now and then keeps 80x24 (tmux's default) as its size; the
        resize tells it the real one (SIGWINCH), as a person's terminal does."""
        width, height = self.width, self.height
        self.run("resize-window", "-t", self.session, "-x", str(width + 1), "-y", str(height))
        self.run("resize-window", "-t", self.session, "-x", str(width), "-y", str(height))

    def size(self) -> str:
        """The pane's size, its terminal's as the kernel has it, and the size variables the app
        sees: what tells a wrong size apart in a failure."""
        shown = self.run("display", "-p", "-t", self.session, "window #{window_width}x#{window_height}, pane #{pane_width}x#{pane_height}").strip()
        tty = self.run("display", "-p", "-t", self.session, "#{pane_tty}").strip()
        stty = subprocess.run(["stty", "-F", tty, "size"], capture_output=True, text=True).stdout.strip() if tty else ""
        pid = self.run("display", "-p", "-t", self.session, "#{pane_pid}").strip()
        env = []
        for p in [pid] + subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split() if pid else []:
            try:
                env += [v.decode() for v in open(f"/proc/{p}/environ", "rb").read().split(b"\0") if v.startswith((b"COLUMNS=", b"LINES=", b"TEXTUAL"))]
            except OSError:
                pass
        return f"{shown}, tty {stty or '?'}, env {' '.join(env) or '-'}"

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            if not self.alive():
                raise AssertionError(f"the app ended ({self.ended()}) before {text!r} appeared; what it printed last:\n{self.run('capture-pane', '-p', '-S', '-200', '-t', self.session).strip()}")
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear; pane {self.size()}; screen:\n{self.screen()}")

    def wait_for_gone(self, text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text not in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not go away; screen:\n{self.screen()}")

    def alive(self) -> bool:
        """The app still runs in the pane (the pane itself stays after it ends: remain-on-exit)."""
        return self.run("display", "-p", "-t", self.session, "#{pane_dead}").strip() == "0"

    def ended(self) -> str:
        return "exit status " + (self.run("display", "-p", "-t", self.session, "#{pane_dead_status}").strip() or "?")

    def wait_closed(self, timeout: float = 15) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.alive():
            time.sleep(0.2)
        assert not self.alive(), self.screen()

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        self.config.unlink(missing_ok=True)


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
    assert "Enter of ↓ om te beginnen met typen" in screen  # the app starts on the tab bar and says how to begin
    assert (tmp_path / "werkboek.toml").exists()  # created from the blank template
    t.keys("Enter")
    t.wait_for_gone("Enter of ↓ om te beginnen met typen")
    t.keys("Jonge gezinnen uit de wijk", literal=True)
    t.wait_for("niet opgeslagen")
    t.keys("F2")  # Ctrl+S may be swallowed by the terminal; F2 is the same binding
    t.wait_for("✓ opgeslagen")
    t.keys("C-q")
    t.wait_closed()
    data = tomllib.loads((tmp_path / "werkboek.toml").read_text(encoding="utf-8"))
    assert data["cyclus"][0]["vraagstuk"]["belangrijk"] == "Jonge gezinnen uit de wijk"


@pytest.mark.parametrize(
    "env",
    [{"TERM": "screen"}, {"TERM": "xterm-256color", "NO_COLOR": "1"}, {"TERM": "linux"}],
    ids=["screen", "no-color", "linux-16-colours"],
)
def test_walk_all_steps_and_presentation_mode_by_keyboard(tmp_path, tmux_in, env):
    from tui.templates import create_workbook

    create_workbook(tmp_path / "werkboek.toml", "mariniersmuseum")
    before = (tmp_path / "werkboek.toml").read_bytes()
    t = tmux_in(env)
    t.wait_for("Welke doelgroepen bereiken we per wijk nog niet")  # step 1 of round 2
    t.wait_for("De groei vasthouden")  # its form, with the focus on the tab bar above it
    t.keys("F4")
    t.wait_for("Is er een strategie gericht op publieksdata?")  # each step's form, read before moving on
    t.keys("F4")
    screen = t.wait_for("Targeten per wijk")
    assert "afgerond" in screen  # status in words, whatever the colours
    t.keys("F4")
    t.wait_for("Het beleid dat volgt uit het vraagstuk")
    t.keys("F4")
    screen = t.wait_for("Tijdlijn")
    assert "Rondes" in screen and "Deadlines" in screen and "✓" in screen
    t.keys("F6")
    screen = t.wait_for("Dia 1 van")
    assert "◀ nu" in screen and "Vraagstuk" in screen and "Implementatie" in screen
    t.keys("PageDown")
    t.wait_for("Hulpvraag 1 van 7")
    t.keys("PageDown")
    screen = t.wait_for("Hulpvraag 2 van 7")  # the question itself in block letters, its answer in the field
    assert "Welke doelgroepen en welke wijken bereiken we nog niet?" in screen
    t.keys("Escape")
    # back in the workbook, in step 1 at the field of the last slide (not on the overview it came from)
    end = time.monotonic() + 30
    while time.monotonic() < end and ("Tijdlijn" in t.screen() or "PgDn volgende" in t.screen()):
        time.sleep(0.2)
    screen = t.wait_for("Is er een (probleem)vraagstuk dat we willen meten?")
    assert "Tijdlijn" not in screen and "PgDn volgende" not in screen
    t.keys("C-q")
    t.wait_closed()
    assert (tmp_path / "werkboek.toml").read_bytes() == before  # looking changes nothing
    assert not list(tmp_path.glob(".werkboek.toml.open.*"))  # the in-use marker is gone


@pytest.mark.parametrize("term", ["screen", "xterm-256color"])
def test_the_documented_step_keys_work_from_the_first_frame_and_type_nothing(tmp_path, tmux_in, term):
    """The README's keys for the tabs: 1 … 5 from where the app starts (the tab bar), also in
    tmux, where Alt+3 may arrive as a character; nothing is typed into an answer."""
    from tui.templates import create_workbook

    create_workbook(tmp_path / "werkboek.toml")
    before = (tmp_path / "werkboek.toml").read_bytes()
    t = tmux_in({"TERM": term})
    t.wait_for("1 Vraagstuk")  # the first frame
    t.keys("3")
    screen = t.wait_for("Ga over tot actie")
    assert "Enter of ↓ om te beginnen met typen" in screen  # still on the tab bar
    t.keys("1")
    t.wait_for("Formuleer de probleem- of vraagstelling.")
    t.keys("4")
    t.wait_for("Het beleid dat volgt uit het vraagstuk")
    t.keys("1")
    t.wait_for("Wat is de komende periode belangrijk")
    # Alt+3 from inside an answer: tmux sends Esc 3, which must show step 3, not type '£'
    t.keys("Enter")
    t.wait_for_gone("Enter of ↓ om te beginnen met typen")
    t.keys("M-3")
    t.wait_for("Ga over tot actie")
    t.keys("Escape", "2")  # Esc and a digit pressed quickly: the same sequence
    t.wait_for("Breng de organisatie en beschikbare data in kaart")
    t.keys("M-1")
    t.wait_for("Formuleer de probleem- of vraagstelling.")
    t.keys("C-q")
    t.wait_closed()  # nothing to save: it did not ask
    assert (tmp_path / "werkboek.toml").read_bytes() == before
    data = tomllib.loads(before.decode("utf-8"))
    assert not data["cyclus"][0]["vraagstuk"].get("belangrijk")


def test_bytes_that_are_not_utf8_neither_crash_nor_lose_text_at_80x24(tmp_path, tmux_in):
    """A paste of bytes that are not UTF-8, and 'é' typed on a terminal set to Windows-1252, arrive
    as characters; the app keeps running and saves what was typed."""
    t = tmux_in({"TERM": "screen"})
    t.wait_for("Wat is de komende periode belangrijk")
    t.wait_for("Enter of ↓ om te beginnen met typen")
    t.keys("Down")  # from the tab bar into the first answer
    t.wait_for_gone("Enter of ↓ om te beginnen met typen")
    t.keys("Voor ", literal=True)
    t.keys("-H", "1b", "5b", "32", "30", "30", "7e", "ff", "fe", "1b", "5b", "32", "30", "31", "7e")  # bracketed paste of \xff\xfe
    t.keys("-H", "20", "63", "61", "66", "e9", "20")  # " caf\xe9 " as a cp1252 terminal sends it
    t.keys("gezinnen", literal=True)
    t.wait_for("gezinnen")
    t.wait_for("niet opgeslagen")
    t.keys("F2")
    t.wait_for("✓ opgeslagen")
    end = time.monotonic() + 20
    while time.monotonic() < end:  # the form may hand over the last keys after a first save
        saved = tomllib.loads((tmp_path / "werkboek.toml").read_text(encoding="utf-8"))["cyclus"][0]["vraagstuk"]["belangrijk"]
        if saved == "Voor ÿþ café gezinnen":
            break
        t.keys("F2")
        time.sleep(0.2)
    assert saved == "Voor ÿþ café gezinnen"
    assert t.alive()
    t.keys("C-q")
    t.wait_closed()


def _can_mount_read_only() -> bool:
    if not shutil.which("unshare") or not shutil.which("mount"):
        return False
    return subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind -o ro /tmp /tmp"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs unshare and mount (root or CAP_SYS_ADMIN) for a real read-only mount")
def test_on_a_read_only_mount_quitting_offers_save_as_and_ends_cleanly(tmp_path, tmux_in):
    """The app runs in a private mount namespace where its folder is a real read-only bind mount."""
    from tui.templates import create_workbook

    ro = tmp_path / "gedeeld"
    ro.mkdir()
    create_workbook(ro / "werkboek.toml")
    before = (ro / "werkboek.toml").read_bytes()
    home = tmp_path / "thuis"
    home.mkdir()
    rc = tmp_path / "exit-status"
    command = f"unshare -m sh -c 'mount --bind -o ro {ro} {ro} && cd {ro} && {SCRIPT}; echo $? > {rc}'"
    t = tmux_in({"TERM": "screen", "HOME": str(home)}, command=command)
    t.wait_for("Wat is de komende periode belangrijk")
    t.wait_for("Enter of ↓ om te beginnen met typen")
    t.keys("Enter")
    t.wait_for_gone("Enter of ↓ om te beginnen met typen")
    t.keys("Alleen-lezen map", literal=True)
    t.wait_for("niet opgeslagen")
    t.keys("C-q")
    t.wait_for("Opslaan en afsluiten")
    t.keys("Enter")
    screen = t.wait_for("Opslaan als")
    assert "alleen-lezen" in screen
    t.keys("Enter")  # the proposed path in the home folder
    t.wait_closed()
    assert rc.read_text().strip() == "0"  # no traceback from removing the in-use marker
    assert (ro / "werkboek.toml").read_bytes() == before
    saved = tomllib.loads((home / "werkboek.toml").read_text(encoding="utf-8"))
    assert saved["cyclus"][0]["vraagstuk"]["belangrijk"] == "Alleen-lezen map"


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs unshare and mount (root or CAP_SYS_ADMIN) for a real read-only mount")
def test_on_a_read_only_mount_looking_and_quitting_exits_0(tmp_path, tmux_in):
    from tui.templates import create_workbook

    ro = tmp_path / "gedeeld"
    ro.mkdir()
    create_workbook(ro / "werkboek.toml")
    rc = tmp_path / "exit-status"
    command = f"unshare -m sh -c 'mount --bind -o ro {ro} {ro} && cd {ro} && {SCRIPT}; echo $? > {rc}'"
    t = tmux_in({"TERM": "screen"}, command=command)
    t.wait_for("Wat is de komende periode belangrijk")
    t.keys("C-q")
    t.wait_closed()
    assert rc.read_text().strip() == "0"  # it was 1: a traceback from removing the in-use marker
