"""Files that are odd, hostile or shared: deep nesting, devices and pipes, huge files, groups,
edits behind the app's back, markers of sessions that died, and folders where nothing can be saved."""

from __future__ import annotations

import errno
import grp
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest

from tests.helpers import new_workbook, run_cli, started
from tui import storage
from tui.storage import SaveConflict

DEEP = 2000
DEEP_FILES = {
    # name: (text, line, column where the nesting first goes past the limit)
    "arrays": ("schema = 1\nx = " + "[" * DEEP + "]" * DEEP + "\n", 2, 5 + getattr(storage, "MAX_DEPTH", 50)),
    "inline_tables": ("schema = 1\nx = " + "{a = " * DEEP + "1" + "}" * DEEP + "\n", 2, None),
    "dotted_keys": ("schema = 1\n" + ".".join(["a"] * DEEP) + " = 1\n", 2, None),
    "dotted_table": ("schema = 1\n[" + ".".join(["a"] * DEEP) + "]\nb = 1\n", 2, None),
}


# ------------------------------------------------------------------ 1. deep nesting


@pytest.mark.parametrize("name", DEEP_FILES)
def test_deep_nesting_is_a_parse_error_with_line_and_column(tmp_path, name):
    text, line, col = DEEP_FILES[name]
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    r = run_cli("check", str(path))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and "RecursionError" not in r.stdout + r.stderr
    assert "te diep genest" in r.stdout
    where = f"{path}:{line}:{col}:" if col else f"{path}:{line}:"
    assert where in r.stdout, r.stdout
    assert path.read_text(encoding="utf-8") == text


def test_brackets_in_strings_and_comments_are_not_nesting():
    text = 'a = "[[[[" # {{{{\nb = \'{{{{\'\nc = """\n[[[[ ""\n"""\nx = [[1]]\n'
    assert storage.nesting_location(text, limit=1) == (6, 6)  # the second [ of x, nothing before it


def test_nesting_up_to_the_limit_is_read_and_saved(tmp_path):
    """The limit is far above what a workbook needs, and below what tomlkit can parse in a worker."""
    path = new_workbook(tmp_path)
    depth = storage.MAX_DEPTH - 1
    with path.open("a", encoding="utf-8") as f:
        f.write("\n[extra]\ndiep = " + "[" * depth + "1" + "]" * depth + "\n")
    wb = storage.load(path)
    errors = []

    def parse():
        try:
            wb.document()
        except BaseException as exc:  # noqa: BLE001 - the test reports whatever went wrong
            errors.append(exc)

    worker = threading.Thread(target=parse)  # the app parses the tomlkit document in a worker
    worker.start()
    worker.join()
    assert errors == []
    wb.set(("organisatie", "naam"), "Diep")
    storage.save(wb)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["organisatie"]["naam"] == "Diep"


async def test_the_app_shows_the_parse_error_screen_for_deep_dotted_tables(tmp_path):
    from tui.app.error_screen import ParseErrorScreen
    from tui.app.werkboek_app import WerkboekApp

    text, *_ = DEEP_FILES["dotted_table"]
    path = tmp_path / "werkboek.toml"
    path.write_text(text, encoding="utf-8")
    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, ParseErrorScreen)
        assert any("te diep genest" in line and f"{path}:2:" in line for line in app.screen.lines)
        await pilot.press("q")
    assert app.return_code in (0, None)
    assert path.read_text(encoding="utf-8") == text


# ------------------------------------------------------------------ 2. not a regular file, too big


def test_check_refuses_a_device_at_once():
    r = run_cli("check", "/dev/zero", timeout=20)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "geen gewoon bestand" in r.stdout and "Traceback" not in r.stderr


def test_check_and_export_refuse_a_fifo_without_waiting(tmp_path):
    fifo = tmp_path / "werkboek.toml"
    os.mkfifo(fifo)
    for args in (("check", str(fifo)), ("export", str(fifo))):
        r = run_cli(*args, timeout=20)  # the old code waits here for a writer that never comes
        assert r.returncode == 2, r.stdout + r.stderr
        assert "geen gewoon bestand" in r.stdout + r.stderr


def test_a_file_beyond_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = new_workbook(tmp_path)
    size = path.stat().st_size
    monkeypatch.setattr(storage, "MAX_BYTES", size - 1)
    with pytest.raises(storage.WorkbookError) as exc:
        storage.load(path)
    message = str(exc.value)
    assert "te groot" in message and "werkboek mag hooguit" in message
    monkeypatch.setattr(storage, "MAX_BYTES", size)
    storage.load(path)  # exactly at the limit is fine


def test_a_sparse_file_of_60_mb_is_refused_by_the_cli(tmp_path):
    path = tmp_path / "groot.toml"
    with path.open("wb") as f:
        f.truncate(60 * 1024 * 1024)  # sparse: costs no disk, but would cost memory to read
    r = run_cli("check", str(path))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "te groot" in r.stdout and "62.914.560 bytes" in r.stdout and "50 MB" in r.stdout


async def test_the_app_shows_the_parse_error_screen_for_a_fifo(tmp_path):
    from tui.app.error_screen import ParseErrorScreen
    from tui.app.werkboek_app import WerkboekApp

    fifo = tmp_path / "werkboek.toml"
    os.mkfifo(fifo)
    result: dict = {}

    def make():  # the old code hangs in open(); a thread lets the test fail instead of hang
        result["app"] = WerkboekApp(fifo, autosave=0)

    maker = threading.Thread(target=make, daemon=True)
    maker.start()
    maker.join(10)
    if maker.is_alive():
        with open(fifo, "wb"):  # let the stuck reader go
            pass
        pytest.fail("opening a FIFO hangs")
    app = result["app"]
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, ParseErrorScreen)
        assert any("geen gewoon bestand" in line for line in app.screen.lines)


# ------------------------------------------------------------------ 3. owner and group survive a save


def _other_group() -> int | None:
    """A group this process may give a file: any group for root, else one of its own groups."""
    mine = os.getegid()
    if os.geteuid() == 0:
        candidates = [g.gr_gid for g in grp.getgrall() if g.gr_gid != mine]
    else:
        candidates = [g for g in os.getgroups() if g != mine]
    return candidates[0] if candidates else None


def test_a_save_keeps_the_group(tmp_path):
    gid = _other_group()
    if gid is None:
        pytest.skip("this process belongs to one group only: no second group to give the file")
    path = new_workbook(tmp_path)
    os.chown(path, -1, gid)
    path.chmod(0o640)
    wb = storage.load(path)
    wb.set(("organisatie", "naam"), "Voor de hele afdeling")
    storage.save(wb)
    st = path.stat()
    assert st.st_gid == gid
    assert stat.S_IMODE(st.st_mode) == 0o640
    assert tomllib.loads(path.read_text(encoding="utf-8"))["organisatie"]["naam"] == "Voor de hele afdeling"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another owner")
def test_a_save_by_root_keeps_the_owner(tmp_path):
    path = new_workbook(tmp_path)
    os.chown(path, 65534, 65534)  # nobody:nogroup, as for a file root edits for someone else
    wb = storage.load(path)
    wb.set(("organisatie", "naam"), "x")
    storage.save(wb)
    assert (path.stat().st_uid, path.stat().st_gid) == (65534, 65534)


# ------------------------------------------------------------------ 4. an edit with the old mtime put back


def _edit_in_place_keeping_mtime(path: Path, old: bytes, new: bytes) -> None:
    st = path.stat()
    raw = path.read_bytes()
    assert len(old) == len(new) and old in raw
    with path.open("r+b") as f:  # same inode, same size
        f.write(raw.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old mtime put back
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)


def test_same_size_edit_with_the_old_mtime_is_a_conflict(tmp_path):
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    _edit_in_place_keeping_mtime(path, b"schema = 1", b"schema = 2")
    edited = path.read_bytes()
    wb.set(("organisatie", "naam"), "mijn versie")
    with pytest.raises(SaveConflict):
        storage.save(wb)
    assert path.read_bytes() == edited


def test_same_size_edit_with_the_old_mtime_is_seen_by_its_ctime(tmp_path, monkeypatch):
    """Long after the file was read, the cheap check alone (size, mtime, inode and ctime) must see it."""
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    # The file was read long ago: no content check because the fingerprint is recent.
    monkeypatch.setattr(storage, "RACY_NS", 0)
    probe = tmp_path / "klok"
    while True:  # wait until the file system's clock has moved on (a few milliseconds at most)
        probe.write_bytes(b"")
        if probe.stat().st_ctime_ns > wb.fingerprint.ctime_ns:
            break
    _edit_in_place_keeping_mtime(path, b"schema = 1", b"schema = 2")
    assert path.stat().st_ctime_ns != wb.fingerprint.ctime_ns
    wb.set(("organisatie", "naam"), "mijn versie")
    with pytest.raises(SaveConflict):
        storage.save(wb)


def test_a_save_right_after_another_save_still_sees_a_same_size_edit(tmp_path):
    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.set(("organisatie", "naam"), "eerste")
    storage.save(wb)
    _edit_in_place_keeping_mtime(path, b'"eerste"', b'"tweede"')
    wb.set(("organisatie", "naam"), "derde")
    with pytest.raises(SaveConflict):
        storage.save(wb)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["organisatie"]["naam"] == "tweede"


# ------------------------------------------------------------------ 5. markers of sessions that are gone


def _marker(path: Path, pid: int, started: str | None = None) -> Path:
    import socket

    from tui import presence

    marker = presence.marker_path(path, socket.gethostname(), pid)
    extra = f'gestart = "{started}"\n' if started is not None else ""
    marker.write_text(f'gebruiker = "root"\ncomputer = "{socket.gethostname()}"\nproces = {pid}\nsinds = 2026-11-24T09:00:00+00:00\n{extra}', encoding="utf-8")
    return marker


def _proc_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    return text[text.rfind(")") + 2 :].split()


def _start_of(pid: int) -> str:
    """What the marker records: boot id and start time in clock ticks (field 22 of /proc/PID/stat)."""
    boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    return f"{boot}:{_proc_fields(pid)[19]}"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to know when a process started")
def test_a_marker_whose_pid_now_belongs_to_another_process_is_stale(tmp_path):
    """After a crash the process id is reused: a live process, but not the one that wrote the marker."""
    from tui import presence

    path = new_workbook(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        real = _start_of(other.pid)
        reused = _marker(path, other.pid, real.rsplit(":", 1)[0] + ":1")  # started at another moment
        assert presence.others(path) == []
        assert not reused.exists()
        live = _marker(path, other.pid, real)  # the process that wrote it still runs
        assert [p.pid for p in presence.others(path)] == [other.pid]
        assert live.exists()
    finally:
        other.stdin.close()
        other.wait()
    assert presence.process_start() == _start_of(os.getpid())  # what claim() writes


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see a process that died")
def test_a_marker_of_a_process_that_died_but_was_not_reaped_is_stale(tmp_path):
    """A killed terminal's app can linger as a zombie whose parent never waits for it: os.kill(pid, 0)
    still succeeds, but it is not running."""
    from tui import presence

    path = new_workbook(tmp_path)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 10
        while _proc_fields(child.pid)[0] != "Z":  # exited, not yet waited for
            assert time.monotonic() < deadline
            time.sleep(0.01)
        marker = _marker(path, child.pid)  # an old marker: no start time in it
        assert presence.others(path) == []
        assert not marker.exists()
    finally:
        child.wait()


async def test_the_presence_notice_is_short_and_esc_closes_it(tmp_path):
    """At 80x24 the notice takes a few lines, not half the screen, and Esc closes it."""
    from textual.widgets._toast import Toast

    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    path = new_workbook(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        _marker(path, other.pid, _start_of(other.pid))
        app = WerkboekApp(path, autosave=0, config=Config())
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            for _ in range(200):
                if app.query(Toast):
                    break
                await pilot.pause(0.02)
            toasts = app.query(Toast)
            assert len(toasts) == 1
            text = str(toasts.first().render())
            assert "root op" in text and "sinds" in text
            assert toasts.first().outer_size.height <= 6  # padding, title and at most two lines
            await pilot.press("escape")
            for _ in range(100):
                if not app.query(Toast):
                    break
                await pilot.pause(0.02)
            assert not app.query(Toast)
            await pilot.press("enter", "a")  # after that Esc and every other key go to the app again: from the tab bar into the form
            await pilot.pause()
            assert app.workbook.dirty
    finally:
        other.stdin.close()
        other.wait()


async def test_a_session_that_opens_the_workbook_later_is_named_in_the_first_one_too(tmp_path):
    """Not only the second session learns of the first: the first hears when the second opens it."""
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    path = new_workbook(tmp_path)
    app = WerkboekApp(path, autosave=0, config=Config())
    app.PRESENCE_CHECK_SECONDS = 0.2
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            assert not [n for n in app._notifications if n.title == "Ook in gebruik"]  # alone
            _marker(path, other.pid, _start_of(other.pid))  # another session opens it now
            for _ in range(100):
                if [n for n in app._notifications if n.title == "Ook in gebruik"]:
                    break
                await pilot.pause(0.05)
            [said] = [n for n in app._notifications if n.title == "Ook in gebruik"]
            assert said.message.startswith("Nu ook geopend door root op ")
            await pilot.pause(0.6)  # said once, not at every check
            assert len([n for n in app._notifications if n.title == "Ook in gebruik"]) == 1
    finally:
        other.stdin.close()
        other.wait()


# ------------------------------------------------------------------ 6. nothing can be saved here


def test_release_and_claim_never_raise_for_a_file_problem(tmp_path):
    """Where the marker cannot be removed (here: something else, a folder, has its name) quitting
    must not end in a traceback."""
    from tui import presence

    path = new_workbook(tmp_path)
    presence.marker_path(path).mkdir()  # unlink() of it fails with a real OSError (EISDIR)
    assert presence.claim(path) == []
    presence.release(path)
    gone = tmp_path / "weg" / "werkboek.toml"  # a folder that is not there (ENOENT)
    assert presence.claim(gone) == []
    presence.release(gone)


def _can_mount_read_only() -> bool:
    if not shutil.which("unshare") or not shutil.which("mount"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind -o ro /tmp /tmp"], capture_output=True)
    return probe.returncode == 0


READ_ONLY_SCRIPT = r"""
import sys, tomllib
from pathlib import Path
from tui import presence, storage
path = Path(sys.argv[1])
wb = storage.load(path)
found = presence.claim(path)          # cannot write its marker: no error
wb.set(("organisatie", "naam"), "elders")
try:
    storage.save(wb)
except storage.SaveError as exc:
    print("SaveError", exc.elsewhere, exc)
presence.release(path)                # the traceback on quitting came from here
copy = storage.save_copy(wb, Path(sys.argv[2]))
print("kopie", tomllib.loads(copy.read_text(encoding="utf-8"))["organisatie"]["naam"])
"""


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs unshare and mount (root or CAP_SYS_ADMIN) for a real read-only mount")
def test_on_a_real_read_only_mount_saving_fails_plainly_and_a_copy_elsewhere_works(tmp_path):
    """A real read-only bind mount in a private mount namespace (root ignores file modes, not this)."""
    ro = tmp_path / "ro"
    ro.mkdir()
    path = new_workbook(ro)
    before = path.read_bytes()
    home = tmp_path / "thuis"
    home.mkdir()
    r = subprocess.run(
        ["unshare", "-m", "sh", "-c", f'mount --bind -o ro "$1" "$1" && exec "{sys.executable}" -c "$2" "$3" "$4"', "sh", str(ro), READ_ONLY_SCRIPT, str(path), str(home / "werkboek.toml")],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent,
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "SaveError True" in r.stdout and "alleen-lezen" in r.stdout, r.stdout
    assert "kopie elders" in r.stdout
    assert path.read_bytes() == before
    assert not list(ro.glob(".werkboek.toml.open.*"))


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs unshare and mount (root or CAP_SYS_ADMIN) for a real read-only mount")
def test_a_workbook_file_mounted_read_only_in_a_writable_folder_offers_another_place(tmp_path):
    """Only the file is mounted read-only: replacing it fails with 'busy' (EBUSY), which is as
    much 'not here' as a read-only folder (it only said 'Device or resource busy')."""
    path = new_workbook(tmp_path)
    before = path.read_bytes()
    home = tmp_path / "thuis"
    home.mkdir()
    r = subprocess.run(
        ["unshare", "-m", "sh", "-c", f'mount --bind -o ro "$1" "$1" && exec "{sys.executable}" -c "$2" "$1" "$3"', "sh", str(path), READ_ONLY_SCRIPT, str(home / "werkboek.toml")],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent,
    )
    assert r.returncode == 0, r.stderr
    assert "SaveError True" in r.stdout and "in gebruik of vastgezet" in r.stdout, r.stdout
    assert "kopie elders" in r.stdout
    assert path.read_bytes() == before


async def _wait_for_screen(pilot, cls, limit: int = 200):
    for _ in range(limit):
        if isinstance(pilot.app.screen, cls):
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"{cls.__name__} did not appear; screen is {pilot.app.screen!r}")


async def test_a_save_that_cannot_be_written_offers_save_as_in_the_home_folder(tmp_path, monkeypatch):
    """A real failing save: the folder the workbook was in is replaced by a file, so nothing can be
    created there (ENOTDIR from the kernel, even for root)."""
    from textual.widgets import Input

    from tui.app.save_as_screen import SaveAsScreen
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    home = tmp_path / "thuis"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    folder = tmp_path / "gedeeld"
    folder.mkdir()
    path = new_workbook(folder)
    app = WerkboekApp(path, autosave=0, config=Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.apply(("organisatie", "naam"), "Mijn werk")
        folder.rename(tmp_path / "gedeeld-weg")
        folder.write_text("geen map", encoding="utf-8")
        await pilot.press("f2")
        screen = await _wait_for_screen(pilot, SaveAsScreen)
        assert screen.query_one("#save-as-path", Input).value == str(home / "werkboek.toml")
        # first a place that cannot be written either (a folder that is a file): asked again, with why
        screen.query_one("#save-as-path", Input).value = str(folder / "kopie.toml")
        await pilot.press("enter")
        for _ in range(100):
            if isinstance(app.screen, SaveAsScreen) and app.screen is not screen:
                break
            await pilot.pause(0.02)
        screen = app.screen
        assert isinstance(screen, SaveAsScreen) and app.is_running
        assert "kopie.toml" in str(screen.query_one("#save-as-reason").render())
        screen.query_one("#save-as-path", Input).value = str(home / "werkboek.toml")
        await pilot.press("enter")
        for _ in range(100):
            if not isinstance(app.screen, SaveAsScreen):
                break
            await pilot.pause(0.02)
        assert app.path == home / "werkboek.toml"
        assert not app.workbook.dirty
        app.apply(("organisatie", "naam"), "Mijn werk, verder")  # later saves go to the new place
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert tomllib.loads((home / "werkboek.toml").read_text(encoding="utf-8"))["organisatie"]["naam"] == "Mijn werk, verder"


async def test_quitting_with_a_read_only_file_offers_save_as_then_quits(tmp_path, monkeypatch):
    """The app refuses to replace a read-only workbook (chmod 444); 'Opslaan en afsluiten' then
    offers another place instead of leaving the user stuck."""
    from tui.app.confirm_screen import ChoiceScreen
    from tui.app.save_as_screen import SaveAsScreen
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    home = tmp_path / "thuis"
    home.mkdir()
    (home / "werkboek.toml").write_text("van iemand anders", encoding="utf-8")  # never overwritten
    monkeypatch.setenv("HOME", str(home))
    path = new_workbook(tmp_path)
    path.chmod(0o444)
    before = path.read_bytes()
    app = WerkboekApp(path, autosave=0, config=Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.apply(("organisatie", "naam"), "Mijn werk")
        await pilot.press("ctrl+q")
        await _wait_for_screen(pilot, ChoiceScreen)
        await pilot.press("enter")  # the first answer: Opslaan en afsluiten
        screen = await _wait_for_screen(pilot, SaveAsScreen)
        assert screen.query_one("#save-as-path").value == str(home / "werkboek-kopie.toml")
        await pilot.press("enter")
        for _ in range(100):
            if app._exit:
                break
            await pilot.pause(0.02)
        assert app._exit
    assert path.read_bytes() == before
    assert (home / "werkboek.toml").read_text(encoding="utf-8") == "van iemand anders"
    assert tomllib.loads((home / "werkboek-kopie.toml").read_text(encoding="utf-8"))["organisatie"]["naam"] == "Mijn werk"


async def test_save_as_declined_once_is_offered_again_when_quitting_with_save(tmp_path, monkeypatch):
    """Ctrl+S on a read-only workbook offers another place; declined once, 'Opslaan en afsluiten'
    said "Bezig met opslaan…" and then nothing at all. Asked to save, it offers again."""
    from tui.app.confirm_screen import ChoiceScreen
    from tui.app.save_as_screen import SaveAsScreen
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    home = tmp_path / "thuis"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    path = new_workbook(tmp_path)
    path.chmod(0o444)
    app = WerkboekApp(path, autosave=0, config=Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.apply(("organisatie", "naam"), "Mijn werk")
        await pilot.press("ctrl+s")
        await _wait_for_screen(pilot, SaveAsScreen)
        await pilot.press("escape")  # not now
        await pilot.pause()
        assert not isinstance(app.screen, SaveAsScreen)
        await pilot.press("ctrl+q")
        await _wait_for_screen(pilot, ChoiceScreen)
        await pilot.press("enter")  # Opslaan en afsluiten
        await _wait_for_screen(pilot, SaveAsScreen)  # asked again: the person wants it saved
        await pilot.press("enter")
        for _ in range(100):
            if app._exit:
                break
            await pilot.pause(0.02)
        assert app._exit
    assert tomllib.loads((home / "werkboek.toml").read_text(encoding="utf-8"))["organisatie"]["naam"] == "Mijn werk"


# ------------------------------------------------------------------ 7. input that is not UTF-8


def test_the_tolerant_driver_runs_textuals_own_input_loop_with_a_decoder_that_never_raises():
    from textual.drivers.linux_driver import LinuxDriver

    from tui.app import tolerant_driver
    from tui.app.werkboek_app import WerkboekApp

    # Textual's loop itself, not a copy: if Textual stops looking the decoder up by name, this fails
    assert tolerant_driver._LOOP is not None
    assert tolerant_driver._LOOP.__code__ is LinuxDriver.run_input_thread.__code__
    decode = tolerant_driver.tolerant_incremental_decoder("utf-8")().decode
    assert decode(b"caf\xe9 \xff\xfe ") == "café ÿþ "
    assert decode(b"\xc3", final=False) + decode(b"\xa9") == "é"  # UTF-8 split over two reads stays UTF-8
    assert WerkboekApp.__new__(WerkboekApp).get_driver_class() is tolerant_driver.TolerantLinuxDriver


async def test_the_parse_error_screen_shows_a_path_with_brackets_literally(tmp_path):
    from tui.app.error_screen import ParseErrorScreen
    from tui.app.werkboek_app import WerkboekApp

    folder = tmp_path / "Kassa [" / "b] oud"  # the path holds '[/b]', a closing tag with no opening one
    folder.mkdir(parents=True)
    path = folder / "werkboek.toml"
    path.write_bytes(b"")
    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, ParseErrorScreen)
        assert f"{path} kan niet worden geopend" in str(app.screen.query_one("#error-title").render())


def test_odd_markers_are_skipped_without_waiting_or_crashing(tmp_path):
    import socket

    from tui import presence

    path = new_workbook(tmp_path)
    host = socket.gethostname()
    os.mkfifo(presence.marker_path(path, host, 1111))  # reading a pipe would wait for a writer
    for pid, since in ((0, "2026-11-24T09:00:00+00:00"), (-1, "2026-11-24T09:00:00+00:00"), (10**30, "2026-11-24T09:00:00+00:00"), (2222, '"gisteren"'), (3333, "2020-01-01T09:00:00")):
        presence.marker_path(path, host if pid != 3333 else "elders", abs(pid) % 10**6 or 7).write_text(
            f'gebruiker = "x"\ncomputer = "{host if pid != 3333 else "elders"}"\nproces = {pid}\nsinds = {since}\n', encoding="utf-8")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(presence.others(path)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "others() waits on a pipe"
    assert [p.host for p in result[0]] == []  # a naive time (elders, 2020) is read as UTC: long stale


async def test_the_error_screen_points_at_line_and_column_only_when_it_shows_them(tmp_path):
    from tui.app.error_screen import ParseErrorScreen
    from tui.app.werkboek_app import WerkboekApp

    folder = tmp_path / "map.toml"
    folder.mkdir()
    broken = tmp_path / "kapot.toml"
    broken.write_bytes(b'schema = 1\n[organisatie]\nnaam = "De Schalm\n')
    for path, located in ((folder, False), (broken, True)):
        app = WerkboekApp(path, autosave=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await started(pilot)
            assert isinstance(app.screen, ParseErrorScreen)
            advice = str(app.screen.query_one("#error-advice").render())
            assert ("regel en kolom staan hierboven" in advice) is located, advice


@pytest.mark.parametrize("no_link", [errno.EPERM, errno.EOPNOTSUPP])
def test_save_as_onto_a_disk_without_hard_links_still_never_overwrites(tmp_path, monkeypatch, no_link):
    """A FAT or exFAT USB stick refuses hard links (EPERM): saving a copy there works all the
    same, and a name that exists is still never overwritten. The kernel's refusal is stood in
    for here (mounting a FAT disk needs privileges a test does not have)."""
    from tui import storage

    wb = storage.load(new_workbook(tmp_path))

    def refuse(*args, **kw):
        raise OSError(no_link, os.strerror(no_link))

    monkeypatch.setattr(os, "link", refuse)
    target = tmp_path / "usb" / "kopie.toml"
    target.parent.mkdir()
    storage.save_copy(wb, target)
    assert target.read_text(encoding="utf-8") == wb.text
    assert [p.name for p in target.parent.iterdir()] == ["kopie.toml"]  # no temp file left
    (tmp_path / "usb" / "bezet.toml").write_text("van iemand anders", encoding="utf-8")
    with pytest.raises(FileExistsError):
        storage.save_copy(wb, tmp_path / "usb" / "bezet.toml")
    assert (tmp_path / "usb" / "bezet.toml").read_text(encoding="utf-8") == "van iemand anders"
