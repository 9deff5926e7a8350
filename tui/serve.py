"""`publieksdata serve`: the app in a browser (textual-serve), for a projector or a colleague.

Safe by default: it binds to 127.0.0.1, and every request needs the random token printed in the
URL. The first page sets it as a cookie (HttpOnly, SameSite=Strict) so the page's websocket,
styles and downloads carry it; the websocket also refuses a foreign Origin. Binding to another
address needs an explicit flag and prints a warning. The access log never shows the token.

Each browser tab runs its own app process on the same workbook; the workbook's save-conflict and
in-use checks keep their saves apart. A process ends with its connection: when the tab closes or
the browser disappears, and when this server stops (tui/app/web_driver.py ends it from the app's
side too, should the server itself be killed).

The page is our own (tui/web/index.html): it loads nothing from the internet (the font comes with
textual-serve), so it works without a connection, and `--font-size` sets the size of its cells.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import secrets
import shlex
import socket
import sys
from pathlib import Path

from tui.oserror import reason

COOKIE = "publieksdata_token"
PUBLIC_FLAG = "--i-understand-this-is-public"
DRIVER = "tui.app.web_driver:ServeDriver"
PAGE = Path(__file__).resolve().parent / "web"
FONT_SIZES = range(6, 97)
STOP_SECONDS = 3.0  # how long an app gets to end by itself before it is told to (SIGTERM), then made to


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mask_token(text: str) -> str:
    """A request line or URL as it may be logged: the token's value left out."""
    return re.sub(r"([?&;]token=)[^&\s\"]*", r"\1***", text)


def listen(host: str, port: int) -> socket.socket:
    """The listening socket; an OSError when the address cannot be used (the port is taken)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if host == "localhost":
        host = "127.0.0.1"
    return socket.create_server((host, port), family=family)


def make_server(path: Path, host: str, port: int, token: str, font_size: int = 16):
    import asyncio
    import logging
    import signal

    import aiohttp_jinja2
    from aiohttp import web
    from aiohttp.abc import AbstractAccessLogger
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    # exec: the shell becomes the app, so a signal to the process reaches the app itself
    command = "exec " + shlex.join([sys.executable, "-m", "tui", "open", str(path)])
    origin_host = f"[{host}]" if ":" in host else host
    log = logging.getLogger("textual-serve")

    class SessionService(AppService):
        """One app process, run with our driver and ended for sure when its connection ends."""

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width, height)
            environment["TEXTUAL_DRIVER"] = DRIVER
            return environment

        async def stop(self) -> None:
            try:  # textual-serve's own stop: "quit" to the app, then wait for its output to end
                await asyncio.wait_for(super().stop(), STOP_SECONDS)
            except (asyncio.TimeoutError, OSError):
                self._task = None
            await self._end_process()

        async def _end_process(self) -> None:
            process = self._process
            if process is None:
                return
            if self._stdin is not None and not self._stdin.is_closing():
                self._stdin.close()  # end of input: the app ends
            for action in (None, process.terminate, process.kill):
                if process.returncode is not None:
                    return
                if action is not None:
                    try:
                        action()
                    except ProcessLookupError:
                        return
                for _ in range(int(STOP_SECONDS * 20)):
                    if process.returncode is not None:
                        return
                    await asyncio.sleep(0.05)

    class MaskedAccessLogger(AbstractAccessLogger):
        def log(self, request, response, time: float) -> None:
            line = mask_token(f"{request.method} {request.path_qs} HTTP/{request.version.major}.{request.version.minor}")
            self.logger.info('%s "%s" %s %s', request.remote, line, response.status, response.body_length)

    class TokenServer(Server):
        def initialize_logging(self) -> None:
            super().initialize_logging()
            for handler in logging.getLogger().handlers:  # a traceback never lists local values (the token)
                if hasattr(handler, "tracebacks_show_locals"):
                    handler.tracebacks_show_locals = False

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()

            @web.middleware
            async def require_token(request: web.Request, handler):
                given = request.query.get("token") or request.cookies.get(COOKIE) or ""
                if not secrets.compare_digest(given.encode(), token.encode()):
                    raise web.HTTPForbidden(text="Geen toegang: open de link met het token die `publieksdata serve` toonde.\n")
                if request.path == "/ws":
                    origin = request.headers.get("Origin", "")
                    allowed = {f"http://{origin_host}:{port}", f"https://{origin_host}:{port}"}
                    if host in ("127.0.0.1", "localhost"):
                        allowed |= {f"http://localhost:{port}", f"http://127.0.0.1:{port}"}
                    if origin not in allowed:
                        raise web.HTTPForbidden(text="Geen toegang vanaf een andere website.\n")
                response = await handler(request)
                if request.query.get("token") and isinstance(response, web.StreamResponse) and not response.prepared:
                    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict")
                return response

            app.middlewares.append(require_token)
            return app

        async def on_startup(self, app) -> None:
            pass  # the URL with the token is printed by serve(), not textual-serve's banner

        async def on_shutdown(self, app) -> None:
            # the server stops: every app ends (each connection's handler stops its app)
            sessions = list(self.sessions)
            await asyncio.gather(*(ws.close() for ws, _ in sessions), return_exceptions=True)
            await asyncio.gather(*(service.stop() for _, service in sessions), return_exceptions=True)

        @aiohttp_jinja2.template("index.html")
        async def handle_index(self, request: web.Request) -> dict:
            context = await Server.handle_index.__wrapped__(self, request)
            size = to_int(request.query.get("fontsize", str(font_size)), font_size)
            context["font_size"] = size if size in FONT_SIZES else font_size
            return context

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve's handler, with our app service, which it remembers until it ends
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            service: SessionService | None = None
            try:
                await websocket.prepare(request)
                service = SessionService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                self.sessions.add((websocket, service))
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.error("Fout in een sessie: %s", error)
            finally:
                if service is not None:
                    await service.stop()
                    self.sessions.discard((websocket, service))
            return websocket

        def run(self, sock: socket.socket) -> None:
            """Serve on a socket that is already listening, until Ctrl+C, SIGTERM or SIGHUP."""
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                if signal.getsignal(number) is not signal.SIG_IGN:  # nohup stays nohup
                    loop.add_signal_handler(number, self.request_exit)
            web.run_app(
                self._make_app(),
                sock=sock,
                handle_signals=False,
                loop=loop,
                print=None,
                access_log_class=MaskedAccessLogger,
                shutdown_timeout=STOP_SECONDS * 3,
            )

    server = TokenServer(
        command,
        host=host,
        port=port,
        title="Publieksdata werkboek",
        public_url=f"http://{origin_host}:{port}",
        templates_path=PAGE,
    )
    server.sessions = set()  # (websocket, app service) of every open connection
    return server


def serve(path: Path, host: str = "127.0.0.1", port: int = 8000, public: bool = False, token: str | None = None, font_size: int = 16) -> int:
    if not is_loopback(host) and not public:
        print(f"serve: {host} is bereikbaar voor anderen op het netwerk; alleen met {PUBLIC_FLAG}", file=sys.stderr)
        return 2
    if font_size not in FONT_SIZES:
        print(f"serve: --font-size {font_size} kan niet; kies {FONT_SIZES.start} tot en met {FONT_SIZES.stop - 1}", file=sys.stderr)
        return 2
    try:
        sock = listen(host, port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(f"serve: poort {port} is al in gebruik (draait `publieksdata serve` al?). Kies een andere poort, bijvoorbeeld --port {port + 1 if port < 65535 else 8001}.", file=sys.stderr)
        else:
            print(f"serve: kan niet luisteren op {host}:{port}: {reason(error)}", file=sys.stderr)
        return 2
    if not path.exists():
        from tui.templates import create_workbook

        create_workbook(path)
    token = token or secrets.token_urlsafe(24)
    server = make_server(path.resolve(), host, port, token, font_size)
    if not is_loopback(host):
        print(f"LET OP: de app is bereikbaar op {host}:{port} voor iedereen die het token heeft; het verkeer is niet versleuteld.", file=sys.stderr)
    print(f"Open in de browser: {server.public_url}/?token={token}", flush=True)
    print("Stoppen: Ctrl+C", flush=True)
    server.run(sock)
    return 0
