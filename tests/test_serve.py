"""`publieksdata serve`: only on 127.0.0.1, only with the token, never from a foreign Origin."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.helpers import new_workbook, run_cli


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


@pytest.fixture
def served(tmp_path):
    path = new_workbook(tmp_path)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tui", "serve", str(path), "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=(\S+)", line)
        assert match, line + proc.stderr.read() if proc.poll() is not None else line
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield match[1], match[2]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


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
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("jan op laptop-jan sinds" in m for m in messages), messages
        assert presence.marker_path(path).exists()
    assert not presence.marker_path(path).exists()
