"""Who else has this workbook open: one small marker file per open session, beside the workbook.

``.werkboek.toml.open.HOST.PID`` holds the user, host, process and the time it was opened. Two
SSH sessions or two browser tabs on one workbook see each other (who, since when); the save
itself stays protected by the conflict check in ``tui.storage``. A marker of a process that no
longer runs on this host is removed (a process id that was reused since, or belongs to a process
that died and was not yet reaped, does not count: the marker holds the process's start time);
one from another host is trusted for a day. Nothing here ever raises for a file problem: a
read-only folder only means others cannot see this session.
"""

from __future__ import annotations

import datetime as dt
import contextlib
import getpass
import json
import os
import socket
import stat
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
    started: str = ""  # the process's start, as process_start() gave it

    @property
    def label(self) -> str:
        from tui.model.values import local_time

        return f"{self.user} op {self.host} sinds {local_time(self.since)}"

    def short_label(self, now: dt.datetime) -> str:
        """'jan op laptop-jan sinds 09:14' (today) or '... sinds 24-11 09:14', in Dutch time."""
        from tui.model.values import LOCAL_ZONE

        since = self.since.astimezone(LOCAL_ZONE)
        when = f"{since:%H:%M}" if since.date() == now.astimezone(LOCAL_ZONE).date() else f"{since:%d-%m %H:%M}"
        return f"{self.user} op {self.host} sinds {when}"


def _prefix(path: Path) -> str:
    return f".{path.name}.open."


def marker_path(path: Path, host: str | None = None, pid: int | None = None) -> Path:
    return path.with_name(f"{_prefix(path)}{host or socket.gethostname()}.{pid or os.getpid()}")


def _proc_stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


def process_start(pid: int | str = "self") -> str:
    """Boot id and start time (clock ticks since boot) of a process: with the pid, this names
    one process for as long as the computer runs. Empty where /proc does not tell."""
    fields = _proc_stat(pid)
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            boot = f.read().strip()
    except OSError:
        return ""
    return f"{boot}:{fields[19]}" if fields and len(fields) > 19 else ""


def _alive(p: Presence, now: dt.datetime) -> bool:
    if p.host == socket.gethostname():
        if not 0 < p.pid < 2**31:  # kill(0 or -1, 0) would ask about whole process groups
            return False
        try:
            os.kill(p.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # someone else's process: it exists
        except OSError:
            return False
        fields = _proc_stat(p.pid)
        if fields is None:
            return True  # no /proc to ask: the process exists
        if fields[0] in ("Z", "X"):
            return False  # died, not yet reaped by its parent
        return not p.started or p.started == process_start(p.pid)  # else: the pid was reused
    return now - p.since < STALE_AFTER


def others(path: Path, now: dt.datetime | None = None) -> list[Presence]:
    """Other sessions that have ``path`` open (stale markers of this host are cleaned up)."""
    path = Path(path)
    now = now or dt.datetime.now(dt.timezone.utc)
    mine = marker_path(path)
    out = []
    prefix = _prefix(path)
    try:  # not glob: a name such as 'plan [v2].toml' would be read as a pattern
        markers = sorted(path.parent / name for name in os.listdir(path.parent) if name.startswith(prefix))
    except OSError:
        return []
    for marker in markers:
        if marker == mine:
            continue
        try:
            info = tomllib.loads(_read_marker(marker))
            since = info["sinds"]
            if not isinstance(since, dt.datetime):
                continue
            if since.tzinfo is None:
                since = since.replace(tzinfo=dt.timezone.utc)
            p = Presence(str(info["gebruiker"]), str(info["computer"]), int(info["proces"]), since, marker, str(info.get("gestart", "")))
        except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError):
            continue
        if _alive(p, now):
            out.append(p)
        elif p.host == socket.gethostname():
            with contextlib.suppress(OSError):
                marker.unlink(missing_ok=True)
    return out


def _read_marker(marker: Path) -> str:
    """A marker's text; anything but a small regular file (a pipe would wait forever) is refused."""
    fd = os.open(marker, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("geen gewoon bestand")
        return os.read(fd, 4096).decode("utf-8")
    finally:
        os.close(fd)


def me() -> tuple[str, str]:
    """(user, computer) of this process, as a marker names them."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "onbekend"
    return user, socket.gethostname()


def claim(path: Path, now: dt.datetime | None = None) -> list[Presence]:
    """Mark ``path`` as open by this process; returns the other sessions that have it open."""
    path = Path(path)
    now = now or dt.datetime.now(dt.timezone.utc)
    found = others(path, now)
    user = me()[0]
    text = (
        "# Dit werkboek is geopend in de Publieksdata werkboek-app; dit bestand verdwijnt bij afsluiten.\n"
        f"gebruiker = {json.dumps(user)}\ncomputer = {json.dumps(socket.gethostname())}\nproces = {os.getpid()}\nsinds = {now.isoformat()}\n"
        f"gestart = {json.dumps(process_start())}\n"
    )
    try:
        marker_path(path).write_text(text, encoding="utf-8")
    except OSError:
        pass  # a read-only folder: the app still works, others just cannot see us
    return found


def release(path: Path) -> None:
    """Remove this process's marker; a folder that cannot be written (a read-only mount) is no error."""
    with contextlib.suppress(OSError):
        marker_path(Path(path)).unlink(missing_ok=True)
