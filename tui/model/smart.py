"""The SMART check: reads a goal as written and says per letter what is missing, in Dutch.

Structured fields come first (indicator and target, who agreed, why it is feasible, the
deadline); the free text of the goal second: a number or percentage, a target group, a date or
deadline word, and vague words such as "meer", "beter", "zoveel mogelijk". The words it looks
for live in tui/content/smart.toml.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from tui.model.schema import CONTENT_DIR

OK, MISSING, VAGUE = "ok", "ontbreekt", "vaag"


@dataclass(frozen=True)
class Letter:
    letter: str  # S, M, A, R or T
    name: str  # Specifiek, ...
    state: str  # ok | ontbreekt | vaag
    why: str  # what the check saw
    suggestion: str  # what to write ("" when ok)

    @property
    def ok(self) -> bool:
        return self.state == OK


@lru_cache(maxsize=1)
def _words() -> dict:
    with open(CONTENT_DIR / "smart.toml", "rb") as fh:
        return tomllib.load(fh)


def _any(patterns: list[str], text: str) -> str | None:
    for p in patterns:
        m = re.search(p, text, re.IGNORECASE)
        if m:
            return m.group(0)
    return None


def smart_check(action: dict) -> list[Letter]:
    w = _words()
    text = " ".join(str(action.get(k, "")) for k in ("doel", "specifiek")).strip()
    low = text.lower()
    out = []

    # S: what exactly, for which audience
    group = action.get("doelgroep") or _any(w["doelgroep"], low)
    if action.get("specifiek") and action.get("doelgroep"):
        out.append(Letter("S", "Specifiek", OK, "doelgroep en omschrijving ingevuld", ""))
    elif group:
        out.append(Letter("S", "Specifiek", OK, f"doelgroep genoemd: ‘{group}’", ""))
    else:
        out.append(Letter("S", "Specifiek", MISSING, "geen doelgroep te zien", w["tips"]["specifiek"]))

    # M: an indicator with a number
    vague = _any([rf"\b{re.escape(v)}\b" for v in w["vaag"]], low)
    number = _any(w["getal"], low)
    structured = action.get("indicator") and action.get("streefwaarde") is not None and action.get("richting")
    if structured:
        out.append(Letter("M", "Meetbaar", OK, f"indicator ‘{action['indicator']}’ met streefwaarde {action['streefwaarde']}", ""))
    elif number:
        out.append(Letter("M", "Meetbaar", OK, f"meetbaar: ‘{number}’", ""))
    elif vague:
        out.append(Letter("M", "Meetbaar", VAGUE, f"‘{vague}’ zegt niet hoeveel", w["tips"]["meetbaar"]))
    else:
        out.append(Letter("M", "Meetbaar", MISSING, "geen getal of percentage", w["tips"]["meetbaar"]))

    # A: who agreed (only the field can tell)
    if action.get("acceptabel"):
        out.append(Letter("A", "Acceptabel", OK, f"akkoord: {action['acceptabel']}", ""))
    else:
        out.append(Letter("A", "Acceptabel", MISSING, "niet uit de tekst af te leiden", w["tips"]["acceptabel"]))

    # R: why it is feasible (only the field can tell)
    if action.get("realistisch"):
        out.append(Letter("R", "Realistisch", OK, "onderbouwing ingevuld", ""))
    else:
        out.append(Letter("R", "Realistisch", MISSING, "niet uit de tekst af te leiden", w["tips"]["realistisch"]))

    # T: a deadline
    when = _any(w["termijn"], low)
    if isinstance(action.get("deadline"), dt.date):
        out.append(Letter("T", "Tijdgebonden", OK, f"deadline {action['deadline']:%d-%m-%Y}", ""))
    elif when:
        out.append(Letter("T", "Tijdgebonden", OK, f"termijn genoemd: ‘{when}’", ""))
    else:
        out.append(Letter("T", "Tijdgebonden", MISSING, "geen datum of termijn", w["tips"]["tijdgebonden"]))
    return out


def smart_summary(action: dict) -> str:
    """One block of text for a form: a line per letter, with a symbol and a word (not colour alone)."""
    lines = []
    for letter in smart_check(action):
        mark = {"ok": "✓", "ontbreekt": "✗", "vaag": "~"}[letter.state]
        line = f"{mark} {letter.letter} {letter.name}: {letter.why}"
        if letter.suggestion:
            line += f". {letter.suggestion}"
        lines.append(line)
    return "\n".join(lines)
