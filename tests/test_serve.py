"""`publieksdata serve`: only on 127.0.0.1, only with the token, never from a foreign Origin."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import new_workbook, run_cli, started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url: str, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


class Served:
    """A running `publieksdata serve` on a free port of 127.0.0.1."""

    def __init__(self, proc: subprocess.Popen, base: str, token: str, path: Path):
        self.proc, self.base, self.token, self.path = proc, base, token, path

    def __iter__(self):  # base, token = served
        return iter((self.base, self.token))

    def apps(self) -> list[int]:
        return children(self.proc.pid)


def children(pid: int) -> list[int]:
    """The running child processes of pid, read from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, timeout: float = 20, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def start_serve(path: Path, *args: str) -> Served:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tui", "serve", str(path), "--port", str(port), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=path.parent)
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=(\S+)", line)
    assert match, line + proc.stderr.read() if proc.poll() is not None else line
    assert wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0)
    return Served(proc, match[1], match[2], path)


def stop_serve(served: Served) -> None:
    apps = served.apps()
    served.proc.terminate()
    try:
        served.proc.wait(15)
    except subprocess.TimeoutExpired:
        served.proc.kill()
    for pid in apps:
        if running(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def served(tmp_path):
    server = start_serve(new_workbook(tmp_path))
    try:
        yield server
    finally:
        stop_serve(server)


def test_requests_without_the_token_are_refused(served):
    base, token = served
    assert status(base + "/")[0] == 403
    assert status(base + "/?token=" + "x" * len(token))[0] == 403
    assert status(base + "/static/css/xterm.css")[0] == 403
    code, headers = status(f"{base}/?token={token}")
    assert code == 200
    assert f"publieksdata_token={token}" in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]


def test_the_websocket_refuses_a_foreign_origin_and_serves_the_app_with_the_token(served):
    from aiohttp import ClientSession, WSMsgType

    base, token = served
    cookie = {"Cookie": f"publieksdata_token={token}"}
    assert status(base + "/ws", {**cookie, "Origin": "http://evil.example"})[0] == 403
    assert status(base + "/ws", {"Origin": base})[0] == 403  # no token

    async def first_frame() -> bytes:
        async with ClientSession() as session:
            async with session.ws_connect(f"{base.replace('http', 'ws')}/ws?width=80&height=24", headers={**cookie, "Origin": base}) as ws:
                received = b""
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and b"Vraagstuk" not in received:
                    msg = await ws.receive(timeout=60)
                    if msg.type == WSMsgType.BINARY:
                        received += msg.data
                    elif msg.type == WSMsgType.TEXT:
                        received += msg.data.encode()
                    else:
                        break
                return received

    assert b"Vraagstuk" in asyncio.run(first_frame())


def test_f5_in_the_browser_downloads_the_export(served, tmp_path):
    """The real app process under textual-serve: F5 offers the .xlsx as a download (no mock)."""
    import io
    import json

    from aiohttp import ClientSession, WSMsgType
    from openpyxl import load_workbook

    base, token = served
    cookie = {"Cookie": f"publieksdata_token={token}"}

    async def export() -> bytes:
        async with ClientSession() as session:
            async with session.ws_connect(f"{base.replace('http', 'ws')}/ws?width=80&height=24", headers={**cookie, "Origin": base}) as ws:
                received, key = b"", None
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and key is None:
                    msg = await ws.receive(timeout=60)
                    if msg.type == WSMsgType.BINARY:
                        received += msg.data
                        if b"Vraagstuk" in received:
                            received = b""
                            await ws.send_str(json.dumps(["stdin", "\x1b[15~"]))  # F5, as xterm.js sends it
                    elif msg.type == WSMsgType.TEXT and json.loads(msg.data)[0] == "deliver_file_start":
                        key = json.loads(msg.data)[1]
                    elif msg.type != WSMsgType.TEXT:
                        break
                assert key, "no download offered"
                async with session.get(f"{base}/download/{key}", headers=cookie) as response:
                    assert response.status == 200
                    assert "werkboek.xlsx" in response.headers["Content-Disposition"]
                    return await response.read()

    data = asyncio.run(export())
    assert "Verwerkingsregister" in load_workbook(io.BytesIO(data)).sheetnames


def test_another_address_needs_the_explicit_flag(tmp_path):
    r = run_cli("serve", str(new_workbook(tmp_path)), "--host", "0.0.0.0", "--port", str(free_port()))
    assert r.returncode == 2
    assert "--i-understand-this-is-public" in r.stderr


# ------------------------------------------------------------------ two sessions on one workbook


def test_a_second_session_sees_who_has_the_workbook_open(tmp_path):
    import datetime as dt
    import os
    import socket

    from tui import presence

    path = new_workbook(tmp_path)
    # another session on another computer, opened an hour ago
    now = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone.utc)
    other = presence.marker_path(path, "beamer-pc", 4242)
    other.write_text('gebruiker = "marieke"\ncomputer = "beamer-pc"\nproces = 4242\nsinds = 2026-11-24T09:00:00+00:00\n', encoding="utf-8")
    # and a marker left behind by a process on this host that no longer runs
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = presence.marker_path(path, socket.gethostname(), int(child.stdout))
    dead.write_text(f'gebruiker = "x"\ncomputer = "{socket.gethostname()}"\nproces = {int(child.stdout)}\nsinds = 2026-11-24T09:00:00+00:00\n', encoding="utf-8")
    found = presence.claim(path, now)
    assert [p.label.split(" sinds")[0] for p in found] == ["marieke op beamer-pc"]
    assert not dead.exists()
    assert presence.marker_path(path).exists()
    assert presence.others(path, now + dt.timedelta(days=2)) == []  # a day later the other marker is stale
    presence.release(path)
    # a name that looks like a file pattern is a name ('plan [v2].toml' found nobody)
    odd = tmp_path / "plan [v2] *.toml"
    presence.marker_path(odd, "beamer-pc", 4242).write_text('gebruiker = "marieke"\ncomputer = "beamer-pc"\nproces = 4242\nsinds = 2026-11-24T09:00:00+00:00\n', encoding="utf-8")
    assert [p.user for p in presence.others(odd, now)] == ["marieke"]
    assert not presence.marker_path(path).exists()
    assert os.path.exists(other)


async def test_the_app_says_who_else_has_the_workbook_open_and_cleans_up(tmp_path):
    import datetime as dt

    from tui import presence
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    path = new_workbook(tmp_path)
    since = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    presence.marker_path(path, "laptop-jan", 99).write_text(f'gebruiker = "jan"\ncomputer = "laptop-jan"\nproces = 99\nsinds = {since.isoformat()}\n', encoding="utf-8")
    app = WerkboekApp(path, autosave=0, config=Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()  # the in-use check runs in a thread
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("jan op laptop-jan sinds" in m for m in messages), messages
        assert presence.marker_path(path).exists()
    assert not presence.marker_path(path).exists()


# ------------------------------------------------------------------ an app ends with its connection

CLIENT = """
import asyncio, json, sys, time
from aiohttp import ClientSession, WSMsgType
base, token, typed = sys.argv[1], sys.argv[2], sys.argv[3:]
deadline = time.monotonic() + 60
async def until(ws, seen, text):
    while text not in seen:
        assert time.monotonic() < deadline, seen[-2000:]
        msg = await ws.receive(timeout=60)
        assert msg.type == WSMsgType.BINARY, msg
        seen += msg.data
    return seen
async def main():
    async with ClientSession() as session:
        async with session.ws_connect(base.replace("http", "ws") + "/ws?width=80&height=24", headers={"Cookie": "publieksdata_token=" + token, "Origin": base}) as ws:
            seen = await until(ws, b"", b"Vraagstuk")
            if typed:  # into the first field, once the step's form is there; until it shows
                seen = await until(ws, seen, "komende periode".encode())
                await ws.send_str(json.dumps(["stdin", typed[0]]))
                seen = await until(ws, seen, typed[0].encode())
                await until(ws, seen, "● niet opgeslagen".encode())  # the app has it; saving waits 3 s
            print("ready", flush=True)
            while (await ws.receive()).type not in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
                pass
asyncio.run(main())
"""


def open_session(served: Served, typed: str = "") -> tuple[subprocess.Popen, int]:
    """A browser stand-in with the app on screen (and typed text shown), and the app's process id."""
    client = subprocess.Popen([sys.executable, "-c", CLIENT, served.base, served.token, *([typed] if typed else [])], stdout=subprocess.PIPE, text=True)
    assert client.stdout.readline().strip() == "ready"
    apps = served.apps()
    assert len(apps) == 1, apps
    return client, apps[0]


def markers(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.open.*"))


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_the_apps_end_when_the_server_stops_or_is_killed(served, how):
    client, app = open_session(served, typed="Bewaard bij het stoppen")
    try:
        served.proc.send_signal(getattr(signal, how))
        served.proc.wait(20)
        # killed, the server cannot tell its apps: each app sees its input end and stops by itself
        assert wait_for(lambda: not running(app), 15), f"the app outlives a server that got {how}"
        assert "Bewaard bij het stoppen" in served.path.read_text(encoding="utf-8")
        assert not markers(served.path)
    finally:
        client.kill()


@pytest.mark.parametrize("how", ["tab closed abruptly", "SIGTERM", "SIGHUP", "SIGINT"])
def test_an_app_ends_cleanly_with_its_connection_and_on_signals(served, how):
    """Within the 3 s before the autosave, the browser goes away without a goodbye, or the app is
    told to stop (SIGINT: Ctrl+C in the terminal of `serve` reaches its apps too). The app ends,
    keeps what was typed and removes its in-use marker; the server goes on."""
    client, app = open_session(served, typed="Zichtbaar op de beamer")
    try:
        assert markers(served.path)
        if how.startswith("SIG"):
            os.kill(app, getattr(signal, how))
        else:
            client.kill()
        assert wait_for(lambda: not running(app), 15), f"the app still runs after: {how}"
        beside = sorted(p.name for p in served.path.parent.iterdir())  # a copy, if it came to that
        assert "Zichtbaar op de beamer" in served.path.read_text(encoding="utf-8"), beside
        assert not markers(served.path), "the app did not clean up on its way out"
        assert served.proc.poll() is None
    finally:
        client.kill()


# ------------------------------------------------------------------ port, log, page


def test_a_port_in_use_is_said_in_dutch_without_a_link(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = run_cli("serve", str(new_workbook(tmp_path)), "--port", str(port), timeout=30)
    assert r.returncode == 2
    assert f"poort {port} is al in gebruik" in r.stderr and "--port" in r.stderr
    assert "token" not in r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_the_access_log_never_shows_the_token(tmp_path):
    server = start_serve(new_workbook(tmp_path))
    try:
        assert status(f"{server.base}/?token={server.token}")[0] == 200
        assert status(f"{server.base}/?token=wrong{server.token}")[0] == 403
        assert status(f"{server.base}/static/css/xterm.css", {"Cookie": f"publieksdata_token={server.token}", "Referer": f"{server.base}/?token={server.token}"})[0] == 200
    finally:
        stop_serve(server)
    log = server.proc.stdout.read() + server.proc.stderr.read()
    assert "GET /?token=***" in log, log  # the request is logged, its token not
    assert "/static/css/xterm.css" in log
    assert server.token not in log


EXTERNAL = re.compile(r"""(?:https?:)?//(?!127\.0\.0\.1[:/])[\w.-]+\.[a-z]{2,}""", re.I)


def test_the_page_loads_nothing_from_outside(served):
    """Every asset the page names comes from this server, so `serve` works without internet."""
    cookie = {"Cookie": f"publieksdata_token={served.token}"}

    def fetch(url: str) -> bytes:
        with urllib.request.urlopen(urllib.request.Request(url, headers=cookie), timeout=10) as response:
            assert response.status == 200, url
            return response.read()

    page = fetch(served.base + "/").decode()
    assets = re.findall(r"""(?:href|src)="([^"]+)"|url\("([^"]+)"\)""", page)
    assets = sorted({a or b for a, b in assets})
    assert len(assets) >= 4, assets  # the stylesheet, the script and the two fonts
    assert all(a.startswith(served.base + "/static/") for a in assets), assets
    assert not EXTERNAL.findall(page), EXTERNAL.findall(page)
    for url in assets:
        body = fetch(url)
        if url.endswith(".css"):
            css = re.sub(r"/\*.*?\*/", "", body.decode(), flags=re.S)  # comments name the authors' sites
            assert not EXTERNAL.findall(css), (url, EXTERNAL.findall(css))
        elif url.endswith(".js"):
            assert not EXTERNAL.findall(body.decode()), (url, EXTERNAL.findall(body.decode())[:5])
        else:
            assert len(body) > 10_000, url  # a real font file


def test_font_size_sets_the_size_of_the_cells(tmp_path):
    server = start_serve(new_workbook(tmp_path), "--font-size", "28")
    try:
        with urllib.request.urlopen(f"{server.base}/?token={server.token}", timeout=10) as response:
            page = response.read().decode()
        assert 'data-font-size="28"' in page
        with urllib.request.urlopen(f"{server.base}/?token={server.token}&fontsize=12", timeout=10) as response:
            assert 'data-font-size="12"' in response.read().decode()
    finally:
        stop_serve(server)
    r = run_cli("serve", str(tmp_path / "x.toml"), "--font-size", "500", "--port", str(free_port()))
    assert r.returncode == 2 and "--font-size" in r.stderr


@pytest.mark.parametrize("quit_first", [False, True], ids=["ends unasked", "after the user quit"])
async def test_end_session_keeps_an_edit_unless_the_user_already_quit(tmp_path, quit_first):
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    path = new_workbook(tmp_path)
    app = WerkboekApp(path, autosave=0, config=Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.apply(("cyclus", 0, "vraagstuk", "kernvraag"), "Hoe bereiken we gezinnen?")
        if quit_first:
            app.exit()  # e.g. "weggooien" in the quit dialog; then the connection closes
        app.end_session()
    assert ("Hoe bereiken we gezinnen?" in path.read_text(encoding="utf-8")) is not quit_first
    assert not list(tmp_path.glob("*-mijn-versie.toml"))


async def test_end_session_never_overwrites_a_workbook_changed_on_disk(tmp_path):
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    path = new_workbook(tmp_path)
    app = WerkboekApp(path, autosave=0, config=Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.apply(("cyclus", 0, "vraagstuk", "kernvraag"), "Hoe bereiken we gezinnen?")
        path.write_text(path.read_text(encoding="utf-8").replace('naam = ""', 'naam = "Van een collega"', 1) + "\n# een collega was eerder\n", encoding="utf-8")
        app.end_session()
    # merged: the colleague's edit and comment stay, ours is added
    text = path.read_text(encoding="utf-8")
    assert "# een collega was eerder" in text
    saved = tomllib.loads(text)
    assert saved["organisatie"]["naam"] == "Van een collega"
    assert saved["cyclus"][0]["vraagstuk"]["kernvraag"] == "Hoe bereiken we gezinnen?"


async def test_end_session_keeps_a_same_field_conflict_in_a_copy_beside_the_workbook(tmp_path):
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    path = new_workbook(tmp_path)
    app = WerkboekApp(path, autosave=0, config=Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.apply(("cyclus", 0, "vraagstuk", "kernvraag"), "Hoe bereiken we gezinnen?")
        path.write_text(path.read_text(encoding="utf-8").replace('kernvraag = ""', 'kernvraag = "Die van een collega"', 1), encoding="utf-8")
        app.end_session()
    assert tomllib.loads(path.read_text(encoding="utf-8"))["cyclus"][0]["vraagstuk"]["kernvraag"] == "Die van een collega"
    assert "Hoe bereiken we gezinnen?" in (tmp_path / "werkboek-mijn-versie.toml").read_text(encoding="utf-8")


async def test_end_session_keeps_what_a_failed_save_could_not_write_in_a_copy(tmp_path):
    """The workbook became read-only while the session ran (or any other save failure), then the
    browser closed: what was typed goes to a copy beside it, next to an earlier copy, not lost."""
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    path = new_workbook(tmp_path)
    (tmp_path / "werkboek-mijn-versie.toml").write_text("# een eerdere kopie\n", encoding="utf-8")
    app = WerkboekApp(path, autosave=0, config=Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.apply(("cyclus", 0, "vraagstuk", "kernvraag"), "Hoe bereiken we gezinnen?")
        path.chmod(0o444)
        try:
            app.end_session()
        finally:
            path.chmod(0o644)
    assert "Hoe bereiken we gezinnen?" not in path.read_text(encoding="utf-8")
    assert (tmp_path / "werkboek-mijn-versie.toml").read_text(encoding="utf-8") == "# een eerdere kopie\n"
    copy = tomllib.loads((tmp_path / "werkboek-mijn-versie-2.toml").read_text(encoding="utf-8"))
    assert copy["cyclus"][0]["vraagstuk"]["kernvraag"] == "Hoe bereiken we gezinnen?"


async def test_a_session_stuck_past_its_grace_keeps_a_copy_before_the_process_ends(tmp_path, monkeypatch):
    """The app did not end within the grace period after the connection went (stuck, or a very
    loaded machine): before the process is ended, unsaved work goes to a copy. Not after the
    person chose to quit without saving."""
    from tui.app import web_driver
    from tui.app.werkboek_app import WerkboekApp
    from tui.config import Config

    ended = []
    monkeypatch.setattr(web_driver.os, "_exit", lambda code: ended.append(code))
    path = new_workbook(tmp_path)
    app = WerkboekApp(path, autosave=0, config=Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.apply(("cyclus", 0, "vraagstuk", "kernvraag"), "Hoe bereiken we gezinnen?")
        web_driver.ServeDriver._end_process_later(app, grace=0)
        assert ended == [1]
        copy = tmp_path / "werkboek-mijn-versie.toml"
        assert "Hoe bereiken we gezinnen?" in copy.read_text(encoding="utf-8")
        copy.unlink()
        app.apply(("cyclus", 0, "vraagstuk", "kernvraag"), "Weggooien")
        app._discarded = True  # as "Afsluiten zonder opslaan" sets it
        web_driver.ServeDriver._end_process_later(app, grace=0)
        assert ended == [1, 1] and not copy.exists()
