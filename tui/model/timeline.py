"""The cycle timeline as data: what began, what was measured and what is due, along one time axis.

Plain Python over the workbook data; the overview's widget only draws what ``items`` and
``layout`` return. Time is compressed to fit the width (long empty stretches are shortened and
marked ≈); items are never dropped: several on one column share a cell and stay reachable one by one.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from tui.model import rules
from tui.model.schema import load_schema
from tui.model.values import format_value

# Lanes, top to bottom: (kind, label)
LANES = (
    ("ronde", "Rondes"),
    ("actie", "Deadlines"),
    ("evaluatie", "Metingen"),
    ("datalek", "Datalekken"),
)
LANE_ORDER = {kind: i for i, (kind, _) in enumerate(LANES)}

BREACH_SYMBOLS = {
    "open": "!",
    "verlopen": "✗",
    "gemeld": "✓",
    "te_laat_gemeld": "!",
    "niet_melden": "–",
    "afgehandeld": "✓",
}
# When several items share a cell, the most urgent symbol is shown.
URGENCY = ("✗", "!", "◆", "●", "→", "○", "✓", "–", "·")


@dataclass(frozen=True)
class Item:
    kind: str  # ronde | actie | evaluatie | datalek
    day: dt.date
    symbol: str
    title: str
    state: str  # the status in words
    detail: str
    path: tuple  # where it lives in the workbook, e.g. ("cyclus", 0, "acties", 2)

    @property
    def lane(self) -> int:
        return LANE_ORDER[self.kind]


def _d(value) -> str:
    return f"{value:%d-%m-%Y}" if isinstance(value, dt.date) else "—"


def _num(value) -> str:
    return "?" if value is None else format_value("getal", value)


def _steps_text(cycle: dict) -> str:
    schema = load_schema()
    done = [schema.choice_label("stap", s) for s in cycle.get("stappen_klaar", []) if s in schema.choices["stap"]]
    now = cycle.get("huidige_stap")
    parts = []
    parts.append("klaar: " + ", ".join(done) if done else "nog geen stap klaar")
    if now:
        parts.append("nu bij " + schema.choice_label("stap", now))
    return " · ".join(parts)


def items(data: dict, now: dt.datetime) -> list[Item]:
    """Everything with a date, sorted by day, then lane, then place in the file."""
    today = now.date()
    out: list[Item] = []
    cycles = data.get("cyclus", []) or []
    previous_start: dt.date | None = None
    for c, cycle in enumerate(cycles):
        number = cycle.get("nummer", c + 1)
        start = cycle.get("start") if isinstance(cycle.get("start"), dt.date) else None
        day = start or previous_start or today
        previous_start = day
        title = f"Ronde {number}" + (f": {cycle['titel']}" if cycle.get("titel") else "")
        kern = (cycle.get("vraagstuk") or {}).get("kernvraag") or "nog geen kernvraag"
        why = f" · aanleiding: {cycle['aanleiding']}" if cycle.get("aanleiding") else ""
        out.append(Item("ronde", day, "◆", title, _steps_text(cycle) + ("" if start else " · geen startdatum"), f"begonnen {_d(start)}{why} · {kern}", ("cyclus", c)))
        for a, action in enumerate(cycle.get("acties", []) or []):
            name = action.get("titel") or action.get("id") or "actie"
            unit = f" {action['eenheid']}" if action.get("eenheid") else ""
            goal = f"{action.get('indicator') or 'indicator'}: {_num(action.get('nulmeting'))} → {_num(action.get('streefwaarde'))}{unit}"
            if isinstance(action.get("deadline"), dt.date):
                status = rules.action_status(action, today, start)
                out.append(Item("actie", action["deadline"], status.symbol, f"Deadline ronde {number}: {name}", status.word, f"{goal} · {status.uitleg}", ("cyclus", c, "acties", a)))
            for e, ev in enumerate(action.get("evaluaties", []) or []):
                if not isinstance(ev.get("datum"), dt.date):
                    continue
                p = rules.progress(action.get("nulmeting"), action.get("streefwaarde"), action.get("richting", ""), ev.get("waarde"))
                measured = f"gemeten {_num(ev.get('waarde'))}{unit}" if ev.get("waarde") is not None else "geen waarde"
                state = measured + (f" · {p:.0%} van het doel" if p is not None else "")
                conclusion = ev.get("conclusie") or ev.get("observatie") or ""
                out.append(Item("evaluatie", ev["datum"], "●", f"Meting ronde {number}: {name}", state, conclusion or goal, ("cyclus", c, "acties", a, "evaluaties", e)))
    for b, breach in enumerate(data.get("datalekregister", []) or []):
        clock = rules.breach_clock(breach, now)
        if clock is None:
            continue
        ident = breach.get("id") or f"{b + 1}"
        out.append(Item(
            "datalek",
            clock.deadline.date(),
            BREACH_SYMBOLS.get(clock.state, "!"),
            f"Meldtermijn datalek {ident}",
            clock.label,
            f"72 uur na ontdekking: {rules.local_time(clock.deadline)} · {breach.get('samenvatting') or ''}".rstrip(" ·"),
            ("datalekregister", b),
        ))
    out.sort(key=lambda i: (i.day, i.lane, i.path))
    return out


@dataclass
class Layout:
    width: int
    columns: list[int]  # per item, 0 .. width-1
    today: int  # the column of today
    ticks: dict[int, str] = field(default_factory=dict)  # column -> label (years, or months for a short span)
    breaks: list[int] = field(default_factory=list)  # columns where time was compressed


def layout(items_: list[Item], today: dt.date, width: int) -> Layout:
    """Place every item and today on ``width`` columns, left to right in time.

    Gaps between consecutive dates longer than a sixth of the whole span (and at least 60 days)
    are shortened to that length, so a quiet year does not squeeze the busy months together.
    """
    width = max(1, width)
    days = sorted({i.day for i in items_} | {today})
    span = (days[-1] - days[0]).days
    cap = max(span / 6, 60)
    virtual = [0.0]
    breaks_at: list[float] = []
    for prev, cur in zip(days, days[1:]):
        gap = (cur - prev).days
        if gap > cap:
            breaks_at.append(virtual[-1] + cap / 2)
        virtual.append(virtual[-1] + min(gap, cap))
    total = virtual[-1]

    def col_of_virtual(v: float) -> int:
        return round(v / total * (width - 1)) if total else (width - 1) // 2

    def col(day: dt.date) -> int:
        k = bisect.bisect_left(days, day)
        if k < len(days) and days[k] == day:
            return col_of_virtual(virtual[k])
        if k == 0 or k == len(days):
            return -1  # outside the axis
        prev, nxt = days[k - 1], days[k]
        share = (day - prev).days / (nxt - prev).days
        return col_of_virtual(virtual[k - 1] + share * (virtual[k] - virtual[k - 1]))

    result = Layout(width, [col(i.day) for i in items_], col(today), breaks=sorted({col_of_virtual(v) for v in breaks_at}))
    # Ticks: years, or months when everything falls within about a year.
    if span > 400:
        marks = [(dt.date(y, 1, 1), str(y)) for y in range(days[0].year, days[-1].year + 1)]
        marks[0] = (days[0], str(days[0].year)) if days[0].month > 1 or days[0].day > 1 else marks[0]
    else:
        months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
        marks = []
        y, m = days[0].year, days[0].month
        while dt.date(y, m, 1) <= days[-1]:
            marks.append((max(dt.date(y, m, 1), days[0]), months[m - 1] + (f" {y}" if m == 1 or not marks else "")))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    free_from = 0
    for day, label in marks:
        c = col(day)
        if c < 0 or c < free_from or c + len(label) > width:
            continue
        result.ticks[c] = label
        free_from = c + len(label) + 1
    return result


def nearest_in_lane(items_: list[Item], columns: list[int], current: int, lane: int) -> int | None:
    """The item in ``lane`` closest in position to item ``current`` (for moving up and down)."""
    best, best_dist = None, None
    for i, item in enumerate(items_):
        if item.lane != lane:
            continue
        dist = abs(columns[i] - columns[current]), abs((item.day - items_[current].day).days)
        if best_dist is None or dist < best_dist:
            best, best_dist = i, dist
    return best


def nearest_to_day(items_: list[Item], day: dt.date) -> int | None:
    """The first item on or after ``day``, else the last one."""
    if not items_:
        return None
    for i, item in enumerate(items_):
        if item.day >= day:
            return i
    return len(items_) - 1
