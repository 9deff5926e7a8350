"""A real headless Chromium against a real `publieksdata serve`, with no way out to the internet.

Chromium is driven over its DevTools protocol with a small websocket client (aiohttp, which
textual-serve already brings): no WebDriver package, no chromedriver whose version must match.
One browser serves the whole module; a test that kills its browser starts its own.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import new_workbook
from tests.test_serve import running, start_serve, stop_serve, wait_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
]

# Every binary frame the page's websocket receives, as text: what the terminal in the page is given.
RECORD_TERMINAL = """
(() => {
  const decoder = new TextDecoder();
  window.__terminal = "";
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") {
          window.__terminal += decoder.decode(new Uint8Array(event.data), { stream: true });
        }
      });
    }
  };
})();
"""
ESCAPES = re.compile(r"\x1b(?:\[[0-9;?<>=!$ ]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")
KEYS = {"F5": 116, "F6": 117}


class Chromium:
    """A headless Chromium, its DevTools websocket served by an event loop in a thread of its own."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.downloads = folder / "downloads"
        self.downloads.mkdir(parents=True)
        profile = folder / "profile"
        args = [
            CHROMIUM,
            "--headless=new",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            # no internet: every name but 127.0.0.1 is unknown, and a proxy that is not there
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--proxy-server=http://127.0.0.1:9",
            "--window-size=1280,800",
            "about:blank",
        ]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        active = profile / "DevToolsActivePort"
        assert wait_for(lambda: active.exists() and len(active.read_text().split()) == 2, 30), "Chromium did not start"
        port, path = active.read_text().split()
        self.events: list[dict] = []
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="devtools", daemon=True).start()
        self._call(self._connect(f"ws://127.0.0.1:{port}{path}"))
        self.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(self.downloads), "eventsEnabled": True})

    # -- the protocol
    def _call(self, coroutine, timeout: float = 60):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _connect(self, url: str) -> None:
        from aiohttp import ClientSession

        self._session = ClientSession()
        self._ws = await self._session.ws_connect(url, max_msg_size=0)
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        async for message in self._ws:
            data = json.loads(message.data)
            if "id" in data:
                future = self._pending.pop(data["id"], None)
                if future is not None and not future.done():
                    if "error" in data:
                        future.set_exception(RuntimeError(f"{data['error']}"))
                    else:
                        future.set_result(data.get("result", {}))
            else:
                self.events.append(data)

    async def _send(self, method: str, params: dict, session: str | None) -> dict:
        number = next(self._ids)
        future = self.loop.create_future()
        self._pending[number] = future
        message = {"id": number, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        await self._ws.send_str(json.dumps(message))
        return await asyncio.wait_for(future, 30)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        return self._call(self._send(method, params or {}, session))

    # -- pages
    def open(self, url: str) -> str:
        """A new tab that records its terminal and its requests, on url; its session id."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Network.enable", session=session)
        self.send("Page.enable", session=session)
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_TERMINAL}, session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        return session

    def target(self, session: str) -> str:
        return self.send("Target.getTargetInfo", session=session)["targetInfo"]["targetId"]

    def evaluate(self, session: str, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        return result["result"].get("value")

    def screen_text(self, session: str) -> str:
        return ESCAPES.sub("", self.evaluate(session, "window.__terminal || ''"))

    def press(self, session: str, key: str) -> None:
        self.evaluate(session, "document.querySelector('.xterm-helper-textarea').focus()")
        code = KEYS[key]
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}, session=session)

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in list(self.events) if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("Browser.close")
            except Exception:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

        async def finish() -> None:
            self._reader.cancel()
            await self._session.close()

        try:
            self._call(finish(), 10)
        except Exception:
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Chromium(tmp_path_factory.mktemp("chromium"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = start_serve(new_workbook(tmp_path_factory.mktemp("served")))
    yield server
    stop_serve(server)


def link(served) -> str:
    return f"{served.base}/?token={served.token}"


def app_started(served, before: set[int]) -> int:
    assert wait_for(lambda: set(served.apps()) - before, 30), "no app process started"
    (app,) = set(served.apps()) - before
    return app


def test_the_page_shows_the_app_and_f6_the_first_slide(browser, served):
    before = set(served.apps())
    tab = browser.open(link(served))
    assert wait_for(lambda: "1 Vraagstuk" in browser.screen_text(tab), 60), browser.screen_text(tab)[-2000:]
    assert browser.evaluate(tab, "document.body.classList.contains('-first-byte')")  # the terminal is shown
    fonts = "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    assert wait_for(lambda: any("Roboto Mono" in f for f in browser.evaluate(tab, fonts)), 10), browser.evaluate(tab, fonts)
    app_started(served, before)
    browser.evaluate(tab, "window.__terminal = ''")
    browser.press(tab, "F6")
    assert wait_for(lambda: "Dia 1 van" in browser.screen_text(tab), 30), browser.screen_text(tab)[-2000:]
    # everything came from our server: no font, script or style from outside
    urls = browser.requested_urls()
    outside = [u for u in urls if not u.startswith((served.base + "/", "data:", "blob:", "about:"))]
    assert not outside, outside
    assert any(u.endswith(".ttf") for u in urls), urls  # the font that ships with the program
    browser.send("Target.closeTarget", {"targetId": browser.target(tab)})


def test_f5_downloads_the_export_and_closing_the_tab_ends_the_app(browser, served):
    from openpyxl import load_workbook

    before = set(served.apps())
    tab = browser.open(link(served))
    assert wait_for(lambda: "1 Vraagstuk" in browser.screen_text(tab), 60)
    app = app_started(served, before)
    browser.press(tab, "F5")
    done = browser.downloads / "werkboek.xlsx"
    assert wait_for(lambda: done.exists() and not list(browser.downloads.glob("*.crdownload")), 30), sorted(browser.downloads.iterdir())
    assert "Verwerkingsregister" in load_workbook(done).sheetnames
    assert running(app)  # the session goes on after the download
    browser.send("Target.closeTarget", {"targetId": browser.target(tab)})
    assert wait_for(lambda: not running(app), 15), "the app still runs after its tab closed"


def test_a_browser_that_disappears_ends_its_app(served, tmp_path):
    chromium = Chromium(tmp_path)
    try:
        before = set(served.apps())
        tab = chromium.open(link(served))
        assert wait_for(lambda: "1 Vraagstuk" in chromium.screen_text(tab), 60)
        app = app_started(served, before)
        os.kill(chromium.proc.pid, signal.SIGKILL)  # no goodbye at all
        chromium.proc.wait()
        started = time.monotonic()
        assert wait_for(lambda: not running(app), 20), "the app still runs after its browser disappeared"
        assert time.monotonic() - started < 20
        assert served.proc.poll() is None
    finally:
        chromium.kill()


@pytest.mark.parametrize("size,small", [(22, False), (28, True)])
def test_large_letters_that_leave_less_than_80x24_are_named(browser, served, size, small):
    """At 1280x800 a projector's large letters can leave fewer than 80x24 cells: the app says so
    (and how to get room); the largest size the README names for that screen fits."""
    before = set(served.apps())
    tab = browser.open(f"{link(served)}&fontsize={size}")
    app_started(served, before)
    assert wait_for(lambda: "Vraagstuk" in browser.screen_text(tab), 30), browser.screen_text(tab)[-2000:]
    # the notice comes with the first resize that makes the window too small (on a busy machine a while after the first frame)
    said = wait_for(lambda: "Klein venster" in browser.screen_text(tab), 20 if small else 3)
    text = browser.screen_text(tab)
    assert said == small, (size, re.findall(r"venster is \S+", text), browser.evaluate(tab, "[innerWidth, innerHeight]"))
    browser.send("Target.closeTarget", {"targetId": browser.target(tab)})
