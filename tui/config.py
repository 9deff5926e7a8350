"""The user's own settings: theme and key map, in a small TOML file beside nothing else.

Where: ``$PUBLIEKSDATA_CONFIG``, else ``$XDG_CONFIG_HOME/publieksdata/config.toml``, else
``~/.config/publieksdata/config.toml``. A missing file means the defaults. A file with mistakes
still gives a usable config: each mistake is reported (file, line, key) and the default is kept.

    thema = "hoog-contrast"        # standaard, licht of hoog-contrast
    automatisch_opslaan = 3        # seconden na de laatste wijziging; 0 = alleen met Ctrl+S/F2

    [toetsen]                      # binding id = toetsen, komma's tussen alternatieven
    "app.save" = "ctrl+s,f2"
    "app.presentation" = "f6"

The binding ids and their defaults are listed in docs/toetsen.md.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tui.model.locate import line_index, locate
from tui.model.problems import Problem

THEMES = {"standaard": "textual-dark", "licht": "textual-light", "hoog-contrast": "publieksdata-hoog-contrast"}
AUTOSAVE_SECONDS = 3.0
AUTOSAVE_MAX = 3600
KEY = re.compile(r"^[a-z0-9_+\-]+$")


@dataclass
class Config:
    path: Path | None = None
    thema: str = "standaard"
    toetsen: dict[str, str] = field(default_factory=dict)
    automatisch_opslaan: float = AUTOSAVE_SECONDS
    problems: list[Problem] = field(default_factory=list)

    @property
    def textual_theme(self) -> str:
        return THEMES[self.thema]


def config_path(env: dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("PUBLIEKSDATA_CONFIG"):
        return Path(env["PUBLIEKSDATA_CONFIG"])
    base = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else Path(env.get("HOME", "~")).expanduser() / ".config"
    return base / "publieksdata" / "config.toml"


def load_config(path: Path | None = None, binding_ids: set[str] | None = None) -> Config:
    """Read the config; ``binding_ids`` (when given) are the ids a key may be set for."""
    path = path or config_path()
    cfg = Config(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return cfg
    except (OSError, UnicodeDecodeError) as exc:
        cfg.problems.append(Problem(f"niet te lezen: {exc}"))
        return cfg
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+), column (\d+)", str(exc))
        cfg.problems.append(Problem(f"geen geldige TOML ({str(exc).split(' (at')[0]}); de standaardinstellingen gelden", line=int(m[1]) if m else None, col=int(m[2]) if m else None))
        return cfg
    index = line_index(text)

    def problem(message: str, *path) -> None:
        cfg.problems.append(Problem(message, ".".join(str(p) for p in path), line=locate(index, tuple(path))))

    for key in data:
        if key not in ("thema", "automatisch_opslaan", "toetsen"):
            problem("onbekende instelling; bekend zijn 'thema', 'automatisch_opslaan' en '[toetsen]'", key)
    thema = data.get("thema", "standaard")
    if thema in THEMES:
        cfg.thema = thema
    else:
        problem(f"onbekend thema {thema!r}; kies uit {', '.join(THEMES)}", "thema")
    seconds = data.get("automatisch_opslaan", AUTOSAVE_SECONDS)
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and 0 <= seconds <= AUTOSAVE_MAX:
        cfg.automatisch_opslaan = float(seconds)
    else:
        problem(f"verwacht een aantal seconden van 0 (uit) tot {AUTOSAVE_MAX}, bijvoorbeeld automatisch_opslaan = 3", "automatisch_opslaan")
    keys = data.get("toetsen", {})
    if not isinstance(keys, dict):
        problem("verwacht een tabel [toetsen] met binding-id = \"toetsen\"", "toetsen")
        keys = {}
    for ident, value in keys.items():
        if binding_ids is not None and ident not in binding_ids:
            problem("onbekende binding-id; zie docs/toetsen.md voor de lijst", "toetsen", ident)
            continue
        parts = [p.strip() for p in value.split(",")] if isinstance(value, str) else []
        if not parts or not all(p and KEY.match(p) for p in parts):
            problem("verwacht toetsen als tekst, bijvoorbeeld \"ctrl+s,f2\"", "toetsen", ident)
            continue
        cfg.toetsen[ident] = ",".join(parts)
    return cfg
