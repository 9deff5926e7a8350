"""Files that are odd, hostile or shared: deep nesting, devices and pipes, huge files, groups,
edits behind the app's back, markers of sessions that died, and folders where nothing can be saved."""

from __future__ import annotations

import grp
import os
import shutil
import stat
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from tests.helpers import new_workbook, run_cli
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
        await pilot.pause()
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
        await pilot.pause()
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
