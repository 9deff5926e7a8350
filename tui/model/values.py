"""Turning what a person types into workbook values and back, in Dutch notation."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
_DATE_NL = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_DATE_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DT = re.compile(r"^\s*(?P<date>\S+)[ T](?P<h>\d{1,2}):(?P<m>\d{2})\s*(?P<tz>[+-]\d{2}:?\d{2}|Z)?\s*$")


def parse_date(text: str) -> dt.date | None:
    """'01-12-2024', '1-12-2024' or '2024-12-01'; '' is None. ValueError with a Dutch message."""
    if not text.strip():
        return None
    m = _DATE_NL.match(text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _DATE_ISO.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError("die datum bestaat niet") from None
    raise ValueError("schrijf een datum als 01-12-2024")


def parse_datetime(text: str) -> dt.datetime | None:
    """'02-05-2024 09:30' (Nederlandse tijd) or with an offset '... +02:00'; stored with a fixed offset."""
    if not text.strip():
        return None
    m = _DT.match(text)
    if not m:
        raise ValueError("schrijf datum en tijd als 02-05-2024 09:30")
    day = parse_date(m.group("date"))
    hour, minute = int(m.group("h")), int(m.group("m"))
    if hour > 23 or minute > 59:
        raise ValueError("die tijd bestaat niet")
    tz_text = m.group("tz")
    if tz_text:
        if tz_text == "Z":
            tz = dt.timezone.utc
        else:
            sign = -1 if tz_text[0] == "-" else 1
            digits = tz_text[1:].replace(":", "")
            tz = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_ZONE)
    return local.astimezone(dt.timezone(local.utcoffset()))


def local_time(value: dt.datetime) -> str:
    """A moment in Dutch time (Europe/Amsterdam), as people read it: '02-05-2024 09:30'."""
    return f"{value.astimezone(LOCAL_ZONE):%d-%m-%Y %H:%M}"


def parse_number(text: str, whole: bool = False) -> int | float | None:
    """'10', '10,5', '1.250' (thousands) or '1.250,5'; '' is None."""
    t = text.strip().replace(" ", "")
    if not t:
        return None
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", t):
        t = t.replace(".", "")
    try:
        value = float(t)
    except ValueError:
        raise ValueError("schrijf een getal, zoals 250 of 10,5") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("schrijf een getal, zoals 250 of 10,5")
    if whole:
        if value != int(value):
            raise ValueError("schrijf een geheel getal")
        return int(value)
    return int(value) if value == int(value) and "." not in t else value


def parse_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def format_value(kind: str, value: Any) -> str:
    """A workbook value as a person would type it."""
    if value is None or value == "":
        return ""
    if kind == "datum" and isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    if kind == "tijdstip" and isinstance(value, dt.datetime):
        text = f"{value:%d-%m-%Y %H:%M}"
        if value.tzinfo is not None:
            local = value.astimezone(LOCAL_ZONE)
            if local.utcoffset() != value.utcoffset():
                off = value.strftime("%z")
                text += f" {off[:3]}:{off[3:]}"
        return text
    if kind in ("getal", "geheel") and isinstance(value, (int, float)):
        return str(value).replace(".", ",")
    if kind in ("lijst", "verwijzingen") and isinstance(value, list):
        return "; ".join(value)
    return str(value)


ID_LENGTH = 40


def slug(text: str, taken: set[str] | None = None, limit: int | None = ID_LENGTH) -> str:
    """An id from a name: lower case, a-z0-9 and dashes, at most ``limit`` characters (cut at a
    word boundary), unique among ``taken``."""
    import unicodedata

    base = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-")
    if limit is not None and len(base) > limit:  # cut at a word boundary
        base = base[: limit + 1].rsplit("-", 1)[0] if "-" in base[: limit + 1] else base[:limit]
    base = base or "item"
    taken = taken or set()
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def from_difference(a: str, b: str, lead: int) -> tuple[str, str]:
    """Two texts that begin alike, each from ``lead`` characters before where they first differ
    ('…' marks what is left out), so a reader sees the difference, not the shared start."""
    same = 0
    while same < min(len(a), len(b)) and a[same] == b[same]:
        same += 1
    start = max(0, same - lead)
    mark = "…" if start else ""
    return mark + a[start:], mark + b[start:]
