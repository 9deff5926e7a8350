"""A git repository that merges workbooks by meaning: `publieksdata git-setup`.

It registers `publieksdata merge` as the merge driver ``publieksdata`` in the repository's own
config (with the absolute path of this Python, so it works without an activated venv), marks the
workbooks in ``.gitattributes`` and keeps the in-use markers, the lock file and stray temp files
out of git via ``.gitignore``. Running it again changes nothing.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

DRIVER = "publieksdata"
IGNORED = (".*.open.*", ".*.toml.lock", ".*.tmp-werkboek")  # see tui/presence.py and tui/storage.py


class GitSetupError(Exception):
    pass


def driver_command() -> str:
    return f"{shlex.quote(sys.executable)} -m tui merge %O %A %B %P"


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        raise GitSetupError("git is niet gevonden; installeer git en probeer opnieuw") from None


def _append_lines(path: Path, lines: list[str], header: str) -> list[str]:
    """Add the lines that are not there yet; return those added."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {l.strip() for l in text.splitlines()}
    missing = [l for l in lines if l not in present]
    if missing:
        prefix = "" if not text or text.endswith("\n") else "\n"
        block = ([header] if header not in present else []) + missing
        with path.open("a", encoding="utf-8") as fh:
            fh.write(prefix + "\n".join(block) + "\n")
    return missing


def setup(cwd: Path, workbooks: list[str]) -> list[str]:
    """Set up the repository around ``cwd``; returns what changed, one line each (empty: nothing)."""
    cwd = Path(cwd).resolve()
    top = _git(cwd, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise GitSetupError(f"{cwd}: dit is geen git-werkmap; voer `git init` uit of ga naar de map van de repository")
    root = Path(top.stdout.strip()).resolve()
    changes = []

    command = driver_command()
    current = _git(root, "config", "--local", "--get", f"merge.{DRIVER}.driver")
    if current.stdout.strip() != command:
        for key, value in ((f"merge.{DRIVER}.name", "Publieksdata werkboek: samenvoegen per veld en record"), (f"merge.{DRIVER}.driver", command)):
            done = _git(root, "config", "--local", key, value)
            if done.returncode != 0:
                raise GitSetupError(f"git config {key} mislukt: {done.stderr.strip()}")
        what = "bijgewerkt" if current.stdout.strip() else "geregistreerd"
        changes.append(f".git/config: samenvoeger merge.{DRIVER} {what} ({command})")

    patterns = []
    for wb in workbooks:
        p = (cwd / wb).resolve()
        try:
            rel = p.relative_to(root)
        except ValueError:
            raise GitSetupError(f"{wb}: ligt buiten deze repository ({root})") from None
        rel_text = rel.as_posix()
        if any(ch.isspace() for ch in rel_text):
            rel_text = '"' + rel_text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        patterns.append(f"{rel_text} merge={DRIVER}")
    added = _append_lines(root / ".gitattributes", patterns, "# Publieksdata werkboek: samenvoegen per veld en record (publieksdata git-setup)")
    for line in added:
        changes.append(f".gitattributes: {line}")

    added = _append_lines(root / ".gitignore", list(IGNORED), "# Publieksdata werkboek: in-gebruik-markeringen, slotbestand en tijdelijke bestanden")
    for line in added:
        changes.append(f".gitignore: {line}")
    return changes


def merge_labels() -> tuple[str, str]:
    """Where the two versions of a git merge come from: the current branch and the branch being
    merged (git names it in GITHEAD_<commit> while it runs a merge driver)."""
    ours, theirs = "ons", "hun"
    try:
        head = subprocess.run(["git", "symbolic-ref", "--short", "-q", "HEAD"], capture_output=True, text=True, timeout=5)
        if head.returncode == 0 and head.stdout.strip():
            ours = head.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    names = [v for k, v in sorted(os.environ.items()) if k.startswith("GITHEAD_") and v and v != "HEAD"]
    if names:
        theirs = ", ".join(names)
    return ours, theirs
