"""`publieksdata serve`: the app in a browser (textual-serve), for a projector or a colleague.

Safe by default: it binds to 127.0.0.1, and every request needs the random token printed in the
URL. The first page sets it as a cookie (HttpOnly, SameSite=Strict) so the page's websocket,
styles and downloads carry it; the websocket also refuses a foreign Origin. Binding to another
address needs an explicit flag and prints a warning. Each browser tab runs its own app process on
the same workbook; the workbook's save-conflict and in-use checks keep their saves apart.
"""

from __future__ import annotations

import ipaddress
import secrets
import shlex
import sys
from pathlib import Path

COOKIE = "publieksdata_token"
PUBLIC_FLAG = "--i-understand-this-is-public"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(path: Path, host: str, port: int, token: str):
    from aiohttp import web
    from textual_serve.server import Server

    command = shlex.join([sys.executable, "-m", "tui", "open", str(path)])
    origin_host = f"[{host}]" if ":" in host else host

    class TokenServer(Server):
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

    return TokenServer(command, host=host, port=port, title="Publieksdata werkboek", public_url=f"http://{origin_host}:{port}")


def serve(path: Path, host: str = "127.0.0.1", port: int = 8000, public: bool = False, token: str | None = None) -> int:
    if not is_loopback(host) and not public:
        print(f"serve: {host} is bereikbaar voor anderen op het netwerk; alleen met {PUBLIC_FLAG}", file=sys.stderr)
        return 2
    if not path.exists():
        from tui.templates import create_workbook

        create_workbook(path)
    token = token or secrets.token_urlsafe(24)
    server = make_server(path.resolve(), host, port, token)
    if not is_loopback(host):
        print(f"LET OP: de app is bereikbaar op {host}:{port} voor iedereen die het token heeft; het verkeer is niet versleuteld.", file=sys.stderr)
    print(f"Open in de browser: {server.public_url}/?token={token}", flush=True)
    print("Stoppen: Ctrl+C", flush=True)
    server.serve()
    return 0
