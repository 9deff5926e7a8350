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
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tui.model.locate import line_index, locate
from tui.model.problems import Problem

THEMES = {"standaard": "textual-dark", "licht": "textual-light", "hoog-contrast": "publieksdata-hoog-contrast"}
AUTOSAVE_SECONDS = 3.0
AUTOSAVE_MAX = 3600
MAX_CONFIG_BYTES = 256 * 1024  # a config is a few lines; anything bigger is not one
MAX_KEYS = 8  # keys for one binding
# Key names as the terminal driver reports them: modifiers joined by "+" before one key.
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED_KEYS = frozenset(
    ["escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup", "pagedown", "up", "down", "left", "right"]
    + [f"f{n}" for n in range(1, 25)]
)
# keys that type a character, by name (what a terminal reports for , . - and so on)
CHARACTER_KEYS = frozenset(
    "ampersand apostrophe asterisk at backslash circumflex_accent colon comma dollar_sign equals_sign exclamation_mark "
    "full_stop grave_accent greater_than_sign left_curly_bracket left_parenthesis left_square_bracket less_than_sign minus "
    "number_sign percent_sign plus question_mark quotation_mark right_curly_bracket right_parenthesis right_square_bracket "
    "semicolon slash space tilde underscore vertical_line".split()
)
APP_CLASS = "WerkboekApp"  # its keys work on every screen: they may not take another's key


def key_problem(key: str) -> str | None:
    """What is wrong with one key name (``ctrl+s``, ``f2``, ``a``, ``full_stop``), or None."""
    *mods, base = key.split("+")
    if not base:
        return f"'{key}' eindigt op '+' (schrijf 'plus' voor de plus-toets)"
    for mod in mods:
        if mod not in MODIFIERS:
            return f"'{mod}' in '{key}' is geen bekende modifier ({', '.join(MODIFIERS)})"
    if len(set(mods)) != len(mods):
        return f"'{key}' noemt een modifier twee keer"
    if not (base in NAMED_KEYS or base in CHARACTER_KEYS or (len(base) == 1 and base.isprintable() and not base.isspace())):
        return f"'{base}' is geen bekende toets (bijvoorbeeld f2, ctrl+s, escape, pagedown, a, full_stop)"
    return None


def types_a_character(key: str) -> bool:
    """A key without modifiers that types a character: in a text field it becomes text."""
    return "+" not in key and (len(key) == 1 or key in CHARACTER_KEYS)


def _normalised(part: str) -> str:
    """'Ctrl+S' and 'F9' as the driver names them ('ctrl+s', 'f9'); a letter alone keeps its case
    ('Q' is what Shift+Q types)."""
    *mods, base = part.split("+")
    return "+".join([m.lower() for m in mods] + [base if len(base) == 1 and not mods else base.lower()])


def _read(path: Path) -> tuple[str | None, Problem | None]:
    """The config's text; None when there is none; a problem when it cannot be a config. A pipe,
    a device or a huge file is refused at once (the app must start, whatever the path names)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None, None
    except IsADirectoryError:
        return None, Problem("dit is een map, geen instellingenbestand")
    except OSError as exc:
        return None, Problem(f"niet te lezen ({exc.strerror or exc})")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, Problem("geen gewoon bestand (een map, pipe of apparaat); de standaardinstellingen gelden")
        data = os.read(fd, MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        return None, Problem(f"niet te lezen ({exc.strerror or exc})")
    finally:
        os.close(fd)
    if len(data) > MAX_CONFIG_BYTES:
        return None, Problem(f"te groot voor een instellingenbestand (meer dan {MAX_CONFIG_BYTES // 1024} kB); de standaardinstellingen gelden")
    try:
        return data.decode("utf-8-sig"), None  # a BOM, as Windows Notepad writes it, is fine
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(f"geen UTF-8-tekst (byte {data[exc.start]:#04x}); bewaar het bestand als UTF-8. De standaardinstellingen gelden", line=line)


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


def load_config(path: Path | None = None, bindings: set[str] | dict[str, tuple[str, str]] | None = None) -> Config:
    """Read the config. ``bindings`` (when given) are the binding ids a key may be set for, or
    for each id where it lives (a class name) and its default keys: then a key that would type a
    character where the default does not, and a key taken from another binding, are refused."""
    path = path or config_path()
    cfg = Config(path=path)
    text, trouble = _read(path)
    if trouble is not None:
        cfg.problems.append(trouble)
    if text is None:
        return cfg
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+), column (\d+)", str(exc))
        cfg.problems.append(Problem(f"geen geldige TOML ({str(exc).split(' (at')[0]}); de standaardinstellingen gelden", line=int(m[1]) if m else None, col=int(m[2]) if m else None))
        return cfg
    except RecursionError:
        cfg.problems.append(Problem("te diep genest (haakjes [ ] of { } in elkaar); de standaardinstellingen gelden"))
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
        if bindings is not None and ident not in bindings:
            problem("onbekende binding-id; zie docs/toetsen.md voor de lijst", "toetsen", ident)
            continue
        parts = [_normalised(p.strip()) for p in value.split(",")] if isinstance(value, str) else []
        if not parts or not all(parts):
            problem("verwacht toetsen als tekst, gescheiden door komma's, bijvoorbeeld \"ctrl+s,f2\"", "toetsen", ident)
            continue
        if len(parts) > MAX_KEYS:
            problem(f"{len(parts)} toetsen; hooguit {MAX_KEYS} per binding", "toetsen", ident)
            continue
        wrong = next((w for w in map(key_problem, parts) if w), None)
        if wrong:
            problem(wrong + "; de standaardtoets blijft", "toetsen", ident)
            continue
        cfg.toetsen[ident] = ",".join(dict.fromkeys(parts))
    if isinstance(bindings, dict):
        _refuse_clashes(cfg, bindings, problem)
    return cfg


def _refuse_clashes(cfg: Config, bindings: dict[str, tuple[str, str]], problem) -> None:
    """Keys that cannot work as set: a key that types a character for a binding whose own keys
    do not (in a text field it would become text, or the action would take the letter away),
    and a key another binding already has where both apply (the same screen or widget, or the
    app's own keys, which work everywhere). Each is reported and its binding keeps its default."""
    effective = {ident: [k.strip() for k in (cfg.toetsen.get(ident) or default).split(",")] for ident, (_, default) in bindings.items()}
    refused = []
    for ident, value in cfg.toetsen.items():
        where, default = bindings[ident]
        own = [k.strip() for k in default.split(",")]
        keys = [k for k in value.split(",") if k not in own]  # a default's overlaps are meant
        typing = [k for k in keys if types_a_character(k)]
        if typing and not any(types_a_character(k) for k in own):
            problem(f"'{typing[0]}' typt een teken: in een tekstveld wordt het tekst. Kies een toets met ctrl of alt, of een F-toets; de standaardtoets blijft", "toetsen", ident)
            refused.append(ident)
            continue
        for other, (other_where, _) in bindings.items():
            if other == ident or not (other_where == where or APP_CLASS in (where, other_where)):
                continue
            shared = [k for k in keys if k in effective[other]]
            if shared:
                problem(f"'{shared[0]}' is ook de toets van {other}; de standaardtoets blijft", "toetsen", ident)
                refused.append(ident)
                break
    for ident in refused:
        del cfg.toetsen[ident]
