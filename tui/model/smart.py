"""The SMART check: reads a goal as written and says per letter what is missing, in Dutch.

Structured fields come first (indicator and target, who agreed, why it is feasible, the
deadline); the free text of the goal second: a target number or percentage, a target group, a
date or period, and vague words such as "meer", "beter", "zoveel mogelijk". A number only counts
as a target when it is one ("met 10% verhogen", "250 studenten"), not when it counts something
else ("met 3 acteurs") or is an age ("van 16 tot 25 jaar"). A period that lies behind ``today``
is reported as passed. The words it looks for live in tui/content/smart.toml.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from tui.model import rules
from tui.model.schema import CONTENT_DIR

OK, MISSING, VAGUE, PASSED, CONTRADICTION = "ok", "ontbreekt", "vaag", "verstreken", "tegenstrijdig"
MARKS = {OK: "✓", MISSING: "✗", VAGUE: "~", PASSED: "!", CONTRADICTION: "✗"}

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
# (first day, last day) of a named period within its year, as (month, day)
HOLIDAYS = {
    "voorjaars": ((2, 14), (3, 2)), "krokus": ((2, 14), (3, 2)), "paas": ((3, 25), (4, 25)),
    "mei": ((4, 25), (5, 10)), "pinkster": ((5, 10), (6, 15)), "zomer": ((7, 1), (8, 31)),
    "herfst": ((10, 10), (10, 31)), "kerst": ((12, 19), (12, 31)), "winter": ((12, 19), (12, 31)),
}
SEASONS = {"lente": ((3, 1), (5, 31)), "voorjaar": ((3, 1), (5, 31)), "zomer": ((6, 1), (8, 31)), "herfst": ((9, 1), (11, 30)), "najaar": ((9, 1), (11, 30)), "winter": ((12, 1), (12, 31))}


@dataclass(frozen=True)
class Letter:
    letter: str  # S, M, A, R or T
    name: str  # Specifiek, ...
    state: str  # ok | ontbreekt | vaag | verstreken | tegenstrijdig
    why: str  # what the check saw
    suggestion: str  # what to write ("" when ok)

    @property
    def ok(self) -> bool:
        return self.state == OK

    @property
    def mark(self) -> str:
        return MARKS[self.state]


@lru_cache(maxsize=1)
def _words() -> dict:
    with open(CONTENT_DIR / "smart.toml", "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def _rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern:
    return re.compile(pattern, flags)


def _any(patterns: list[str], text: str, flags: int = re.IGNORECASE, shown: str | None = None) -> str | None:
    """The first match of ``patterns`` in ``text``, taken from ``shown`` (the text as written) when given."""
    for p in patterns:
        m = _rx(p, flags).search(text)
        if m:
            source = shown if shown is not None and len(shown) == len(text) else text
            return source[m.start(): m.end()].strip()
    return None


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# ------------------------------------------------------------------ S: for whom


def audience(text: str) -> str | None:
    """The target group named in ``text``, as written; None when there is none.

    Every way of naming one counts, and parts that stand next to each other are one group:
    '65-plussers' + 'uit de regio Den Haag' is '65-plussers uit de regio Den Haag'."""
    w = _words()
    low = text.lower()
    spans = [m.span() for p in w["doelgroep"] for m in _rx(p).finditer(low)]
    spans += [m.span() for p in w["doelgroep_plaats"] for m in _rx(p, 0).finditer(text)]
    if not spans:
        return None
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:  # overlapping, or one space apart
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    start, end = max(merged, key=lambda se: (se[1] - se[0], -se[0]))
    return text[start:end].strip(" ,.;:") or None


# ------------------------------------------------------------------ M: how much


def _blank(text: str, patterns: list[str]) -> str:
    """``text`` with every match of ``patterns`` replaced by spaces (same length)."""
    for p in patterns:
        text = _rx(p).sub(lambda m: " " * len(m.group(0)), text)
    return text


def measure(text: str) -> str | None:
    """The target in ``text`` ("met 10%", "250 mbo-studenten", "van 200 naar 220"); None when there is none."""
    w = _words()
    low = text.lower()
    for p in w["getal_woorden"]:
        m = _rx(p).search(low)
        if m:
            return m.group(0)
    scan = _blank(low, w["termijn"])  # dates and years are not targets
    units = _alternatives(w["eenheden"])
    before_words = _alternatives(w["voor_getal"])
    change = w["verandering"]
    person = r"(ouderen|mensen|bezoekers|publiek|jongeren|kinderen|volwassenen|senioren|studenten)"
    names = _alternatives(w["aanduiding"])
    for m in re.finditer(r"\d+(?:[.,]\d+)*", scan):
        number = m.group(0)
        before, after = scan[: m.start()], scan[m.end():]
        # a number that names something ("in zaal 2", "fase 3") is no target
        if re.search(rf"\b({names})\s*$", before):
            continue
        # "van 20% naar 10%": the change as a whole (the target is the second number)
        span = re.match(r"\s*(%|procent\b)?\s*naar\s+(een\s+)?\d+(?:[.,]\d+)*\s*(%|procent\b)?", after)
        if span and re.search(r"\bvan\s*$", before):
            return f"van {number}{span.group(0).rstrip()}"
        # ages and other counts that are not targets
        if re.match(r"\s*(-?jarig|jaar\b|\+|-?plus|-?minners|(tot|en|-)\s*\d+\s*jaar\b)", after):
            continue
        if re.search(r"(ouder|jonger) dan\s*$", before) or re.search(person + r"\s+(boven|onder)\s+de\s*$", before):
            continue
        if re.match(r"\s?(%|procent\b|procentpunt)", after):
            return number + ("%" if after.lstrip().startswith("%") else " procent")
        if re.match(r"\s+op\s+de\s+\d", after):
            return f"{number} op de …"
        u = re.match(rf"\s+(?:[\w'’-]+\s+)?[\w-]*?({units})\b", after)
        if u:
            return number + u.group(0)
        if re.search(r"€\s*$", before):
            return "€ " + number
        b = re.search(rf"\b({before_words})\s+((de|een|het)\s+)?$", before)
        if b:
            return b.group(0) + number
        # "met 500 verhogen", "verhogen met 500": the change is said right by the number
        if re.search(r"\bmet\s+$", before) and (re.search(change + r"\s+met\s+$", before) or re.match(r"\s*([\w'’-]+\s+){0,2}" + change, after)):
            return "met " + number
    return None


# ------------------------------------------------------------------ T: by when


def _date(y: int, md: tuple[int, int]) -> dt.date:
    m, d = md
    return dt.date(y, m, min(d, calendar.monthrange(y, m)[1]))


def period_end(phrase: str) -> dt.date | None:
    """The last day a deadline phrase can mean ("vóór december 2023" → 30-11-2023); None when
    it names no year (relative periods like "binnen 3 maanden" never pass)."""
    low = phrase.lower()
    before = re.match(r"\s*(vóór|voor|per)\b", low) is not None
    m = re.search(r"\b(\d{1,2})[-/](\d{1,2})[-/](\d{2,4})\b", low) or re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", low)
    if m:
        a, b, c = (int(x) for x in m.groups())
        y, mo, d = (a, b, c) if a > 31 else (c + 2000 if c < 100 else c, b, a)
        try:
            day = dt.date(y, mo, d)
        except ValueError:
            return None
        return day - dt.timedelta(days=1) if before else day
    years = [int(y) for y in re.findall(r"\b(\d{4})\b", low)]
    if not years:
        return None
    year = years[-1]
    start_end: tuple[dt.date, dt.date]
    month = next((i + 1 for i, name in enumerate(MONTHS) if re.search(rf"\b{name}\b", low)), None)
    day_m = re.search(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")\b", low)
    q = re.search(r"\b(?:q|kwartaal )([1-4])\b", low)
    half = re.search(r"\b(1e|2e|eerste|tweede) (helft|halfjaar|half jaar)\b", low)
    hol = re.search(r"\b(" + "|".join(HOLIDAYS) + r")vakantie\b", low) or re.search(r"\b(kerst)(mis)?\b|\b(paas|pinkster)", low.replace("pasen", "paas").replace("pinksteren", "pinkster"))
    season = re.search(r"\b(" + "|".join(SEASONS) + r")\b", low)
    if day_m and month:
        day = _date(year, (month, int(day_m.group(1))))
        start_end = (day, day)
    elif month:
        start_end = (_date(year, (month, 1)), _date(year, (month, 31)))
    elif q:
        n = int(q.group(1))
        start_end = (_date(year, (3 * n - 2, 1)), _date(year, (3 * n, 31)))
    elif half:
        second = half.group(1) in ("2e", "tweede")
        start_end = (dt.date(year, 7, 1), dt.date(year, 12, 31)) if second else (dt.date(year, 1, 1), dt.date(year, 6, 30))
    elif hol:
        first, last = HOLIDAYS[next(g for g in hol.groups() if g and g in HOLIDAYS)]
        start_end = (_date(year, first), _date(year, last))
    elif season:
        first, last = SEASONS[season.group(1)]
        start_end = (_date(year, first), _date(year, last))
    elif re.search(r"\b(seizoen|schooljaar|cultuurseizoen|speelseizoen)\b", low) and len(years) > 1 or re.search(r"\d{4}[-/]\d{2}\b", low):
        start_end = (dt.date(years[0], 8, 1), dt.date(years[0] + 1, 7, 31))
    else:
        start_end = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if re.match(r"\s*(na)\b", low):
        return None
    return start_end[0] - dt.timedelta(days=1) if before else start_end[1]


def deadline_phrase(text: str) -> tuple[str | None, bool]:
    """(the period named in ``text``, whether it is precise)."""
    w = _words()
    low = text.lower()
    found = _any(w["termijn"], low, shown=text)
    if found:
        return found, True
    vague = _any(w["termijn_vaag"], low, shown=text)
    return vague, False


# ------------------------------------------------------------------ the check


def smart_check(action: dict, today: dt.date | None = None) -> list[Letter]:
    """Per letter what is there and what is missing. ``today`` decides whether a deadline has
    passed (default: the computer's date)."""
    today = today or dt.date.today()
    w = _words()
    text = " ".join(str(action.get(k, "") or "") for k in ("doel", "specifiek")).strip()
    low = text.lower()
    out = []
    closed = action.get("status") in ("afgerond", "gestopt")

    # S: what exactly, for which audience
    group = action.get("doelgroep") or audience(text)
    if action.get("specifiek") and action.get("doelgroep"):
        out.append(Letter("S", "Specifiek", OK, "doelgroep en omschrijving ingevuld", ""))
    elif group:
        out.append(Letter("S", "Specifiek", OK, f"doelgroep genoemd: ‘{group}’", ""))
    else:
        out.append(Letter("S", "Specifiek", MISSING, "geen doelgroep te zien", w["tips"]["specifiek"]))

    # M: an indicator with a number, in a direction that agrees with it
    contradiction = rules.goal_contradiction(action)
    structured = action.get("indicator") and action.get("streefwaarde") is not None and action.get("richting")
    if contradiction:
        out.append(Letter("M", "Meetbaar", CONTRADICTION, contradiction, w["tips"]["tegenstrijdig"]))
    elif structured:
        out.append(Letter("M", "Meetbaar", OK, f"indicator ‘{action['indicator']}’ met streefwaarde {_dutch_number(action['streefwaarde'])}", ""))
    else:
        number = measure(text)
        vague = _any([rf"\b{re.escape(v)}\b" for v in w["vaag"]] + w["vaag_patronen"], low)
        if number:
            out.append(Letter("M", "Meetbaar", OK, f"streefgetal genoemd: ‘{number}’", ""))
        elif vague:
            out.append(Letter("M", "Meetbaar", VAGUE, f"‘{vague}’ zegt niet hoeveel", w["tips"]["meetbaar"]))
        else:
            out.append(Letter("M", "Meetbaar", MISSING, "geen streefgetal of percentage", w["tips"]["meetbaar"]))

    # A: who agreed: the field, or the goal when it says so ("met akkoord van het MT")
    agreed = _any(w["acceptabel"], low, shown=text)
    if action.get("acceptabel"):
        out.append(Letter("A", "Acceptabel", OK, f"akkoord: {action['acceptabel']}", ""))
    elif agreed:
        out.append(Letter("A", "Acceptabel", OK, f"akkoord genoemd: ‘{agreed}’", ""))
    else:
        out.append(Letter("A", "Acceptabel", MISSING, "niet uit de tekst af te leiden", w["tips"]["acceptabel"]))

    # R: why it is feasible (only the field can tell)
    if action.get("realistisch"):
        out.append(Letter("R", "Realistisch", OK, "onderbouwing ingevuld", ""))
    else:
        out.append(Letter("R", "Realistisch", MISSING, "niet uit de tekst af te leiden", w["tips"]["realistisch"]))

    # T: a deadline, not yet behind us
    deadline = action.get("deadline")
    if isinstance(deadline, dt.date):
        if deadline < today and not closed:
            out.append(Letter("T", "Tijdgebonden", PASSED, f"deadline {deadline:%d-%m-%Y} is verstreken", w["tips"]["verstreken"]))
        else:
            out.append(Letter("T", "Tijdgebonden", OK, f"deadline {deadline:%d-%m-%Y}", ""))
    else:
        when, precise = deadline_phrase(text)
        end = period_end(when) if when and precise else None
        if when and precise and end is not None and end < today and not closed:
            out.append(Letter("T", "Tijdgebonden", PASSED, f"‘{when}’ is al voorbij", w["tips"]["verstreken"]))
        elif when and precise:
            out.append(Letter("T", "Tijdgebonden", OK, f"termijn genoemd: ‘{when}’", ""))
        elif when:
            out.append(Letter("T", "Tijdgebonden", VAGUE, f"‘{when}’ zegt niet precies wanneer", w["tips"]["tijdgebonden_vaag"]))
        else:
            out.append(Letter("T", "Tijdgebonden", MISSING, "geen datum of termijn", w["tips"]["tijdgebonden"]))
    return out


def _dutch_number(n) -> str:
    """40000 -> '40.000', 12.5 -> '12,5' (as a message shows numbers)."""
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        return str(n)
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.10f}".rstrip("0").replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(n):,}".replace(",", ".")


def smart_summary(action: dict, today: dt.date | None = None) -> str:
    """Five short lines, one per letter, each with a symbol and a word (not colour alone)."""
    return "\n".join(f"{x.mark} {x.letter} {x.name}: {x.why}" for x in smart_check(action, today))


def smart_tips(action: dict, today: dt.date | None = None) -> str:
    """What to write, for each letter that is not yet right (one line each)."""
    return "\n".join(f"{x.letter}: {x.suggestion}" for x in smart_check(action, today) if not x.ok)
