"""Who else has this workbook open: one small marker file per open session, beside the workbook.

``.werkboek.toml.open.HOST.PID`` holds the user, host, process and the time it was opened. Two
SSH sessions or two browser tabs on one workbook see each other (who, since when); the save
itself stays protected by the conflict check in ``tui.storage``. A marker of a process that no
longer runs on this host is removed; one from another host is trusted for a day.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import tomllib
from dataclasses import dataclass
from pathlib import Path

STALE_AFTER = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Presence:
    user: str
    host: str
    pid: int
    since: dt.datetime
    marker: Path

    @property
    def label(self) -> str:
        from tui.model.values import local_time

        return f"{self.user} op {self.host} sinds {local_time(self.since)}"


def _prefix(path: Path) -> str:
    return f".{path.name}.open."


def marker_path(path: Path, host: str | None = None, pid: int | None = None) -> Path:
    return path.with_name(f"{_prefix(path)}{host or socket.gethostname()}.{pid or os.getpid()}")


def _alive(p: Presence, now: dt.datetime) -> bool:
    if p.host == socket.gethostname():
        try:
            os.kill(p.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return now - p.since < STALE_AFTER


def others(path: Path, now: dt.datetime | None = None) -> list[Presence]:
    """Other sessions that have ``path`` open (stale markers of this host are cleaned up)."""
    path = Path(path)
    now = now or dt.datetime.now(dt.timezone.utc)
    mine = marker_path(path)
    out = []
    for marker in sorted(path.parent.glob(_prefix(path) + "*")):
        if marker == mine:
            continue
        try:
            info = tomllib.loads(marker.read_text(encoding="utf-8"))
            p = Presence(str(info["gebruiker"]), str(info["computer"]), int(info["proces"]), info["sinds"], marker)
        except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError):
            continue
        if _alive(p, now):
            out.append(p)
        elif p.host == socket.gethostname():
            marker.unlink(missing_ok=True)
    return out


def claim(path: Path, now: dt.datetime | None = None) -> list[Presence]:
    """Mark ``path`` as open by this process; returns the other sessions that have it open."""
    path = Path(path)
    now = now or dt.datetime.now(dt.timezone.utc)
    found = others(path, now)
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "onbekend"
    text = (
        "# Dit werkboek is geopend in de Publieksdata werkboek-app; dit bestand verdwijnt bij afsluiten.\n"
        f"gebruiker = {json.dumps(user)}\ncomputer = {json.dumps(socket.gethostname())}\nproces = {os.getpid()}\nsinds = {now.isoformat()}\n"
    )
    try:
        marker_path(path).write_text(text, encoding="utf-8")
    except OSError:
        pass  # a read-only folder: the app still works, others just cannot see us
    return found


def release(path: Path) -> None:
    marker_path(Path(path)).unlink(missing_ok=True)
