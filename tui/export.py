"""Excel exports for management: verwerkingsregister, evaluatielog, databronnen, datalekken, overzicht.

Reads the workbook's plain data (never widgets). openpyxl is imported here only, when exporting.
Rows are streamed (write-only mode), so memory does not grow with the number of rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from tui.model import rules
from tui.model.problems import Problem
from tui.model.schema import CONTENT_DIR, load_schema
from tui.model.values import LOCAL_ZONE
from tui.oserror import reason

SHEETS = ("verwerkingsregister", "evaluatielog", "databronnen", "datalekken", "overzicht")
MAX_CELL = 32_767
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
PERCENT_FORMAT = "0%"
# Characters an xlsx file cannot hold: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Text that a spreadsheet would read as a formula or command when typed in.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class ExportError(Exception):
    """The export failed; no file was left behind and the workbook was not touched."""


@dataclass(frozen=True)
class Notice:
    sheet: str
    cell: str
    message: str

    def format(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.message}"


@dataclass
class ExportResult:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


def _content() -> dict:
    import tomllib

    with open(CONTENT_DIR / "export.toml", "rb") as fh:
        return tomllib.load(fh)


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, not empty, at most 31 characters."""
    base = _SHEET_NAME_BAD.sub("_", name).strip("'") or "Blad"
    base = base[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def clean_text(value: str, notices: list[Notice], sheet: str, cell: Callable[[], str], marker: str, replacement: str) -> str:
    """Replace characters Excel cannot hold and cut text over 32.767 characters; report both."""
    if _ILLEGAL.search(value):
        count = len(_ILLEGAL.findall(value))
        value = _ILLEGAL.sub(replacement, value)
        notices.append(Notice(sheet, cell(), f"{count} teken(s) die Excel niet kan bevatten vervangen door {replacement}"))
    if len(value) > MAX_CELL:
        notices.append(Notice(sheet, cell(), f"tekst van {nl_int(len(value))} tekens afgekapt op {nl_int(MAX_CELL)} (het werkboek houdt de volledige tekst)"))
        value = value[: MAX_CELL - len(marker)] + marker
    return value


# ------------------------------------------------------------------------------ rows per sheet
# Every row carries "_key": where its record sits in the workbook (position and kenmerk), so an
# edited export can be matched back (see tui/exchange.py).


def nl_int(n: int) -> str:
    """A whole number in Dutch notation: 40.000."""
    return f"{n:,}".replace(",", ".")


def _label(choice: str, value: Any) -> str:
    return load_schema().choice_label(choice, value) if value else ""


def _jn_bool(value: Any) -> str:
    return "ja" if value is True else ("nee" if value is False else "")


def _join(values: Any) -> str:
    return "; ".join(str(v) for v in values) if isinstance(values, list) else ""


def _names(data: dict, table: str, ids: Any) -> str:
    """Names instead of kenmerken: "Ticketing; Culturele Doelgroepenmodel"."""
    if not isinstance(ids, list):
        ids = [ids] if isinstance(ids, str) and ids else []
    by_id = {r.get("id"): r.get("naam") or r.get("id") for r in data.get(table, []) if isinstance(r, dict)}
    return "; ".join(str(by_id.get(i, i)) for i in ids)


def rows_verwerkingsregister(data: dict, today: dt.date) -> Iterator[dict]:
    warn = data.get("instellingen", {}).get("review_waarschuwing_dagen", 30)
    org = data.get("organisatie", {}) if isinstance(data.get("organisatie"), dict) else {}

    top_controller, _, top_fg = _controller(data)

    def unless_org(value: Any, *same: Any) -> Any:
        """The controller and the FG stand once at the top: a row names them only when it
        differs from what the top says."""
        return "" if value and value in same else value

    for i, rec in enumerate(data.get("verwerkingsregister", [])):
        verwerkers = rec.get("verwerkers", [])
        base = {
            "_key": f"{i}|{rec.get('id', '')}",
            "kenmerk": rec.get("id", ""),
            "naam": rec.get("naam", ""),
            # the organisation's own name counts as the same only when the top names the organisation
            "verantwoordelijke": unless_org(rec.get("verantwoordelijke", ""), top_controller, *(() if org.get("verantwoordelijke") else (org.get("naam"),))),
            "verantwoordelijke_contact": unless_org(rec.get("verantwoordelijke_contact", ""), org.get("email"), org.get("contactpersoon")),
            "gezamenlijk_verantwoordelijke": rec.get("gezamenlijk_verantwoordelijke", ""),
            "vertegenwoordiger": rec.get("vertegenwoordiger", ""),
            "fg": unless_org(rec.get("fg", ""), top_fg),
            "betrokkenen": _join(rec.get("betrokkenen")),
            "persoonsgegevens": _join(rec.get("persoonsgegevens")),
            "bijzondere": _jn_bool(rec.get("bijzondere_gegevens")),
            "strafrechtelijke": _jn_bool(rec.get("strafrechtelijke_gegevens")),
            "profilering": rec.get("profilering", ""),
            "dpia": _label("dpia", rec.get("dpia")),
            "dpia_datum": rec.get("dpia_datum") or None,
            "ontvangers": _join(rec.get("ontvangers")),
            "verwerkers": "; ".join(v.get("naam", "") for v in verwerkers),
            "verwerkersovereenkomsten": "; ".join(
                f"{v.get('naam', '')}: {v.get('overeenkomst') or 'onbekend'}"
                + (f" ({v['overeenkomst_datum']:%d-%m-%Y})" if isinstance(v.get("overeenkomst_datum"), dt.date) else "")
                for v in verwerkers
            ),
            "doorgifte_landen": _join(rec.get("doorgifte_landen")),
            "doorgifte_organisaties": _join(rec.get("doorgifte_organisaties")),
            "doorgifte_waarborg": _label("waarborg", rec.get("doorgifte_waarborg")),
            "doorgifte_document": rec.get("doorgifte_document", ""),
            "bewaartermijn": rec.get("bewaartermijn", ""),
            "bewaartermijn_reden": rec.get("bewaartermijn_reden", ""),
            "beveiliging": rec.get("beveiliging", ""),
            "opslag": rec.get("opslag", ""),
            "databronnen": _names(data, "databronnen", rec.get("databronnen")),
            "laatste_review": rec.get("laatste_review") or None,
            "volgende_review": rec.get("volgende_review") or None,
            "review_status": {"verlopen": "verlopen", "binnenkort": "binnenkort", "ok": "op tijd"}.get(rules.review_state(rec, today, warn) or "", ""),
        }
        doelen = rec.get("doelen", [])
        # One row per purpose where purposes differ in legal basis; one row when they agree.
        if len({d.get("grondslag", "") for d in doelen}) > 1:
            for d_i, d in enumerate(doelen):
                yield base | {"_key": f"{base['_key']}|{d_i}", "doel": d.get("doel", ""), "grondslag": _label("grondslag", d.get("grondslag")), "doel_toelichting": d.get("toelichting", "")}
        else:
            yield base | {
                "_key": base["_key"] + ("|0" if len(doelen) == 1 else ""),
                "doel": "; ".join(d.get("doel", "") for d in doelen),
                "grondslag": _label("grondslag", doelen[0].get("grondslag")) if doelen else "",
                "doel_toelichting": "; ".join(d.get("toelichting", "") for d in doelen if d.get("toelichting")),
            }


UNMEASURED = "-"  # in a row's key instead of the measurement's number: an action not measured yet


def rows_evaluatielog(data: dict, today: dt.date) -> Iterator[dict]:
    """One row per measurement; an action without one gets a row of its own (a date and value
    filled in there become its first measurement)."""
    for c, cycle in enumerate(data.get("cyclus", [])):
        start = cycle.get("start") if isinstance(cycle.get("start"), dt.date) else None
        for a, action in enumerate(cycle.get("acties", [])):
            state = rules.action_status(action, today, start).word
            common = {
                "ronde": cycle.get("nummer"),
                "actie": action.get("titel", ""),
                "doel": action.get("doel", ""),
                "indicator": action.get("indicator", ""),
                "nulmeting": action.get("nulmeting"),
                "streefwaarde": action.get("streefwaarde"),
                "richting": _label("richting", action.get("richting")),
                "deadline": action.get("deadline") or None,
                "deadline_status": state,
                "status": _label("status_actie", action.get("status")),
                "ab": ab.text if (ab := rules.ab_comparison(action)) else "",
            }
            evaluations = action.get("evaluaties", []) or []
            for e, ev in enumerate(evaluations):
                yield common | {
                    "_key": f"{c}|{a}|{e}|{action.get('id', '')}",
                    "datum": ev.get("datum") or None,
                    "waarde": ev.get("waarde"),
                    "voortgang": _FORMULA,
                    "bron": ev.get("bron", ""),
                    "observatie": ev.get("observatie", ""),
                    "conclusie": ev.get("conclusie", ""),
                    "bijstelling": ev.get("bijstelling", ""),
                }
            if not evaluations:  # not measured yet: the action is on the log all the same
                yield common | {"_key": f"{c}|{a}|{UNMEASURED}|{action.get('id', '')}", "datum": None, "waarde": None, "voortgang": None,
                                "bron": "", "observatie": "", "conclusie": "", "bijstelling": ""}


def _latest_focus(data: dict) -> str:
    for cycle in reversed(data.get("cyclus", [])):
        focus = cycle.get("vraagstuk", {}).get("focus", "")
        if focus:
            return focus
    return ""


def rows_databronnen(data: dict, today: dt.date) -> Iterator[dict]:
    focus = _latest_focus(data)
    months = data.get("instellingen", {}).get("actualiteit_maanden", 12)
    for i, src in enumerate(data.get("databronnen", [])):
        act = rules.actualiteit(src, today, months)
        actueel = act.value
        notes = [f"{k}: {src[k + '_notitie']}" for k in ("relevant", "actualiteit", "bruikbaarheid") if src.get(k + "_notitie")]
        if act.warning or (act.value and not act.answered):
            notes.append(f"actualiteit: {act.text}")
        yield {
            "_key": f"{i}|{src.get('id', '')}",
            "kenmerk": src.get("id", ""),
            "naam": src.get("naam", ""),
            "soort": _label("soort_bron", src.get("soort")),
            "systeem": src.get("systeem", ""),
            "eigenaar": src.get("eigenaar", ""),
            "herkomst": _label("herkomst", src.get("herkomst")),
            "toegang": rules.access_for(src.get("herkomst", "")),
            "anonimiteit": _label("anonimiteit", src.get("anonimiteit")),
            "bijgewerkt": src.get("bijgewerkt") or None,
            "relevant": src.get("relevant", ""),
            "actualiteit": actueel,
            "bruikbaarheid": src.get("bruikbaarheid", ""),
            "nut": rules.usefulness_text(focus, src.get("anonimiteit", "")) if focus else "",
            "verwerking": _names(data, "verwerkingsregister", src.get("verwerking", "")),
            "notities": "; ".join(notes),
        }


def _naive(value: Any) -> Any:
    """Excel has no time zones: the wall-clock time as recorded (the zone has its own column)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value or None


def _offset(value: Any) -> str:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        off = value.utcoffset() or dt.timedelta(0)
        sign = "-" if off < dt.timedelta(0) else "+"
        minutes = abs(int(off.total_seconds())) // 60
        return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return ""


def late_report(breach: dict, now: dt.datetime) -> str:
    """'ja (…)' when the report to the AP came, or is, more than 72 hours after discovery."""
    clock = rules.breach_clock(breach, now)
    if clock is None:
        return ""
    reported = breach.get("gemeld_op")
    if breach.get("gemeld_ap") == "ja" and isinstance(reported, dt.datetime) and reported.tzinfo is not None:
        late = reported - clock.deadline
        if late.total_seconds() > 0:
            return f"ja, {nl_int(int(late.total_seconds() // 3600))} uur na de termijn"
        return "nee"
    if clock.state == "verlopen":
        return "ja, nog niet gemeld"
    return ""


def rows_datalekken(data: dict, now: dt.datetime) -> Iterator[dict]:
    for i, b in enumerate(data.get("datalekregister", [])):
        clock = rules.breach_clock(b, now)
        yield {
            "_key": f"{i}|{b.get('id', '')}",
            "kenmerk": b.get("id", ""),
            "ontdekt": _naive(b.get("ontdekt")),
            "tijdzone": _offset(b.get("ontdekt")),
            "termijn": _naive(clock.deadline) if clock else None,
            "stand": clock.label if clock else "",
            "te_laat": late_report(b, now),
            "ontdekt_door": b.get("ontdekt_door", ""),
            "begin": _naive(b.get("begin")),
            "einde": _naive(b.get("einde")),
            "aard": _label("aard_lek", b.get("aard")),
            "samenvatting": b.get("samenvatting", ""),
            "oorzaak": b.get("oorzaak", ""),
            "aantal_personen": b.get("aantal_personen"),
            "aantal_records": b.get("aantal_records"),
            "betrokkenen": _join(b.get("betrokkenen")),
            "categorieen": _join(b.get("categorieen")),
            "gevolgen": b.get("gevolgen", ""),
            "maatregelen": b.get("maatregelen", ""),
            "herhaling_voorkomen": b.get("herhaling_voorkomen", ""),
            "gemeld_ap": b.get("gemeld_ap", ""),
            "gemeld_op": _naive(b.get("gemeld_op")),
            "registratienummer": b.get("registratienummer", ""),
            "reden_niet_melden": b.get("reden_niet_melden", ""),
            "reden_vertraging": b.get("reden_vertraging", ""),
            "betrokkenen_geinformeerd": b.get("betrokkenen_geinformeerd", ""),
            "informeren_hoe": b.get("informeren_hoe", ""),
            "verwerkingen": _names(data, "verwerkingsregister", b.get("verwerkingen")),
            "status": _label("status_lek", b.get("status")),
        }


def rows_overzicht(data: dict, today: dt.date) -> Iterator[dict]:
    for c, cycle in enumerate(data.get("cyclus", [])):
        vraag = cycle.get("vraagstuk", {})
        actions = cycle.get("acties", [])
        yield {
            "_key": f"{c}",
            "ronde": cycle.get("nummer"),
            "titel": cycle.get("titel", ""),
            "start": cycle.get("start") or None,
            "focus": _label("focus", vraag.get("focus")),
            "kernvraag": vraag.get("kernvraag", ""),
            "niveau": rules.experience_level(cycle.get("data", {}).get("ervaring")).naam,
            "huidige_stap": _label("stap", cycle.get("huidige_stap")),
            "acties": len(actions),
            "evaluaties": sum(len(a.get("evaluaties", [])) for a in actions),
        }


def row_counts(data: dict) -> dict[str, int]:
    """How many rows each sheet would get, counted without building them."""

    def register_rows(rec: dict) -> int:
        doelen = rec.get("doelen", []) if isinstance(rec, dict) else []
        return len(doelen) if len({d.get("grondslag", "") for d in doelen if isinstance(d, dict)}) > 1 else 1

    cycles = [c for c in data.get("cyclus", []) if isinstance(c, dict)]
    return {
        "verwerkingsregister": sum(register_rows(r) for r in data.get("verwerkingsregister", [])),
        "evaluatielog": sum(len(a.get("evaluaties", [])) for c in cycles for a in c.get("acties", []) if isinstance(a, dict)),
        "databronnen": len(data.get("databronnen", [])),
        "datalekken": len(data.get("datalekregister", [])),
        "overzicht": len(cycles),
    }


def row_builders(data: dict, now: dt.datetime) -> dict[str, Callable[[], Iterator[dict]]]:
    today = now.date()
    return {
        "verwerkingsregister": lambda: rows_verwerkingsregister(data, today),
        "evaluatielog": lambda: rows_evaluatielog(data, today),
        "databronnen": lambda: rows_databronnen(data, today),
        "datalekken": lambda: rows_datalekken(data, now),
        "overzicht": lambda: rows_overzicht(data, today),
    }


# ------------------------------------------------------------------------------ what comes back
# Per editable cell the export keeps a short digest of what it wrote (a hidden column), so an
# import can tell a manager's edit from an unchanged cell, and a change in the workbook since.

SHEET_RECORD = {  # the record a row stands for, and the record a "prefix." field belongs to
    "verwerkingsregister": ("verwerkingsregister[]", {"doel": "verwerkingsregister[].doelen[]"}),
    "evaluatielog": ("cyclus[].acties[].evaluaties[]", {"actie": "cyclus[].acties[]"}),
    "databronnen": ("databronnen[]", {}),
    "datalekken": ("datalekregister[]", {}),
}


def field_of(sheet: str, veld: str):
    """The schema field behind an export column's `veld` ("naam", "actie.titel")."""
    from tui.model.schema import field_spec

    own, prefixes = SHEET_RECORD[sheet]
    prefix, _, key = veld.rpartition(".")
    return field_spec(load_schema(), prefixes[prefix] if prefix else own, key)


def editable_columns(sheet: str) -> list[str]:
    if sheet not in SHEET_RECORD:
        return []
    return [k for k, col in _content()["bladen"][sheet]["kolommen"].items() if col.get("veld")]


def canon(value: Any, kind: str = "") -> str:
    """One text for a cell value, the same before and after Excel or LibreOffice saved it."""
    if value is None or value == "":
        return ""
    if kind == "datum" and isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        return format(value, ".12g")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n")


def digest(value: Any, kind: str = "") -> str:
    """A short checksum of a cell (it tells an edit from an unchanged cell; it guards against
    nothing more, so a CRC is enough and cheap on a million rows)."""
    if value is None or value == "":
        return "0"
    return format(_crc32(canon(value, kind).encode("utf-8", "surrogatepass")), "x")


from zlib import crc32 as _crc32  # noqa: E402


def written_value(value: Any, marker: str, replacement: str) -> Any:
    """The value as the export writes it into a cell (cleaned, cut), without notices."""
    if isinstance(value, str) and (_ILLEGAL.search(value) or len(value) > MAX_CELL):
        return clean_text(value, [], "", lambda: "", marker, replacement)
    return value


def data_fingerprint(data: dict) -> str:
    """A digest of the workbook's values: the same workbook gives the same text."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


_FORMULA = object()  # placeholder: the progress formula of this row


def _choice_lists() -> dict[str, dict[str, list[str]]]:
    """Per sheet, per column: the allowed values offered as a drop-down."""
    s = load_schema()

    def labels(name: str) -> list[str]:
        return [s.choice_label(name, v) for v in s.choice_values(name)]

    jn = ["ja", "nee"]
    return {
        "verwerkingsregister": {"grondslag": labels("grondslag"), "doorgifte_waarborg": labels("waarborg"), "bijzondere": jn, "strafrechtelijke": jn, "profilering": jn, "dpia": labels("dpia")},
        "evaluatielog": {"richting": labels("richting"), "status": labels("status_actie")},
        "databronnen": {"soort": labels("soort_bron"), "herkomst": labels("herkomst"), "anonimiteit": labels("anonimiteit"), "relevant": jn, "bruikbaarheid": jn},
        "datalekken": {"aard": labels("aard_lek"), "gemeld_ap": jn, "betrokkenen_geinformeerd": jn, "status": labels("status_lek")},
    }  # no drop-downs on the overview: it is a summary, not read back (`publieksdata import`)


def progress_formula(row: int, col: dict[str, str]) -> str:
    """The progress of one evaluation row as an Excel formula over the row's own cells."""
    b, t, d, v = (f"{col[k]}{row}" for k in ("nulmeting", "streefwaarde", "richting", "waarde"))
    # as rules.progress: a target on the wrong side of the baseline is a contradiction (empty)
    up = f'IF({b}="","",IF({t}<{b},"",IF({t}={b},IF({v}>={t},1,0),({v}-{b})/({t}-{b}))))'
    down = f'IF({b}="","",IF({b}<{t},"",IF({b}={t},IF({v}<={t},1,0),({b}-{v})/({b}-{t}))))'
    return (
        f'=IF(OR({v}="",{t}=""),"",IF({d}="verhogen",{up},IF({d}="verlagen",{down},'
        f'IF({d}="boven houden",IF({v}>={t},1,0),IF({d}="onder houden",IF({v}<={t},1,0),"")))))'
    )


# ------------------------------------------------------------------------------ writing

EXCEL_MAX_ROWS = 1_048_576
FONT_NAME, FONT_SIZE = "Arial", 10
PRINT_SCALE = 80  # 10 pt text prints at 8 pt: readable, and a page holds a sensible group of columns
LINE_HEIGHT = 13.0  # points per line of 10 pt text
MAX_ROW_HEIGHT = 409.0  # Excel's limit
CHARS_PER_WIDTH = 0.9  # characters of 10 pt text per unit of column width (on the safe side)
PRINT_SHEETS = ("verwerkingsregister", "datalekken")  # also printed one record per block
META_SHEET = "Exportgegevens"
META_MARKER = "publieksdata-export"
META_VERSION = 1


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes when wrapped word by word in a column ``width`` wide (a
    spreadsheet breaks a line between words; only a word longer than the line is cut)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    total = 0
    for part in text.split("\n"):
        if len(part) <= per_line:
            total += 1
            continue
        lines, used = 1, 0
        for word in part.split(" "):
            size = len(word)
            if used and used + 1 + size <= per_line:
                used += 1 + size
                continue
            if used:
                lines += 1
            lines += (size - 1) // per_line if size else 0  # a word longer than a line
            used = size % per_line or (per_line if size else 0)
        total += lines
    return total


def header_width(header: str, width: float) -> float:
    """A column at least as wide as the longest word of its header, so no word is broken."""
    longest = max((len(w) for w in header.split()), default=0)
    return max(width, longest / CHARS_PER_WIDTH * 1.2 + 1)  # bold letters are wider


def row_height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


def size_problems(data: dict, sheets: Iterable[str]) -> list[str]:
    """Sheets with more rows than Excel can hold, counted before anything is written."""
    counts = row_counts(data)
    out = []
    for name in sheets:
        header_row = {"overzicht": 6, "verwerkingsregister": 6, "datalekken": 5}.get(name, 1)
        room = EXCEL_MAX_ROWS - header_row
        if counts.get(name, 0) > room:
            title = _content()["bladen"][name]["titel"]
            out.append(
                f"{title}: {nl_int(counts[name])} regels, maar een Excel-blad heeft plaats voor {nl_int(room)}; "
                f"exporteer zonder dit blad (--sheets) of splits het werkboek per ronde"
            )
    return out


def export_workbook(
    data: dict,
    out: Path | str,
    sheets: Iterable[str] = SHEETS,
    now: dt.datetime | None = None,
    mode: int | None = None,
    source: str = "",
    problems: Iterable[Problem] = (),
) -> ExportResult:
    """Write the chosen sheets to ``out`` (temp file, verified, then moved in place).

    ``problems``: content problems of the workbook, listed on their own sheet "Problemen" with
    where they are in the guide's words.
    ``mode``: the file's mode as asked for; without it a new file gets 600 (only its owner) and
    an existing one keeps its mode, without any permission for others.
    """
    sheets = list(sheets)
    unknown = [s for s in sheets if s not in SHEETS]
    if unknown:
        raise ExportError(f"onbekend blad: {', '.join(unknown)}; kies uit: {', '.join(SHEETS)}")
    too_big = size_problems(data, sheets)
    if too_big:
        raise ExportError("; ".join(too_big) + "; er is niets geëxporteerd")
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ExportError(f"{out}: een export is een Excel-bestand; geef een naam die eindigt op .xlsx (er is niets geschreven)")
    if out.exists() and not out.is_file():
        raise ExportError(f"{out}: dat is geen gewoon bestand (een map, apparaat of pijp); kies een andere naam (er is niets geschreven)")
    now = now.astimezone(LOCAL_ZONE) if now is not None and now.tzinfo is not None else (now or dt.datetime.now(LOCAL_ZONE))
    folder = out.parent if str(out.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp-export.xlsx", dir=folder)
    except OSError as exc:
        raise ExportError(f"{folder}: kan hier geen bestand maken ({reason(exc)})") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        result = _write(data, tmp, sheets, now, source, list(problems))
        _verify(tmp, result)
        if mode is not None:
            final_mode = mode
        elif out.exists():
            final_mode = out.stat().st_mode & 0o7777 & ~0o007
        else:
            final_mode = 0o600
        os.chmod(tmp, final_mode)
        os.replace(tmp, out)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, ExportError):
            raise
        if isinstance(exc, OSError):
            raise ExportError(f"{out}: exporteren mislukt ({reason(exc)}); er is geen bestand achtergelaten") from None
        raise
    result.path = out
    return result


def _hf(text: str) -> str:
    """Text for a page header or footer: & starts a code there, so it is doubled."""
    return text.replace("&", "&&")


def _page_setup(ws, title_rows: str | None, title_cols: str | None, org: str, now: dt.datetime, confidential: bool, narrow: bool = False) -> None:
    """A4 landscape. A narrow sheet is fitted to the page width (it shrinks a little at most); a wide
    one prints at a fixed readable scale, in page-wide groups of columns with the key columns repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.pageOrder = "overThenDown"  # the column groups of one block of rows follow each other
    ws.sheet_properties.pageSetUpPr.fitToPage = narrow
    if narrow:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:
        ws.page_setup.scale = PRINT_SCALE
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    for part, text in (
        (ws.oddHeader.left, _hf(org)),
        (ws.oddHeader.center, "&A"),  # the sheet's name
        (ws.oddHeader.right, f"Geëxporteerd {now:%d-%m-%Y %H:%M}"),
        (ws.oddFooter.left, "Vertrouwelijk" if confidential else ""),
        (ws.oddFooter.right, "Pagina &P van &N"),
    ):
        if text:
            part.text = text
            part.font = f"{FONT_NAME},Regular"
            part.size = 9


def _controller(data: dict) -> tuple[str, str, str]:
    org = data.get("organisatie", {}) if isinstance(data.get("organisatie"), dict) else {}
    name = org.get("verantwoordelijke") or ", ".join(x for x in (org.get("naam", ""), org.get("plaats", "")) if x)
    contact = "; ".join(x for x in (org.get("contactpersoon", ""), org.get("email", ""), org.get("website", "")) if x)
    return name, contact, org.get("fg", "")


def _problem_row(problem: Problem, data: dict) -> list[str]:
    """A content problem as a manager reads it: where in the guide's words (the key path and line
    for whoever fixes it), and what is wrong."""
    from tui.merge import describe_key_path
    from tui.model.locate import parse_path

    where = ""
    if problem.path:
        try:
            where = describe_key_path(parse_path(problem.path), data)
        except (KeyError, ValueError, TypeError, IndexError):
            where = ""
    technical = ", ".join(x for x in (problem.path, f"regel {problem.line}" if problem.line else "") if x)
    return [f"{where}\n({technical})" if where and technical else (where or technical), problem.message]


def _write(data: dict, path: Path, sheets: list[str], now: dt.datetime, source: str, problems: list[Problem] | None = None) -> ExportResult:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.pagebreak import Break

    content = _content()
    marker, replacement = content["markering_afgekapt"], content["vervangteken"]
    org = data.get("organisatie", {}).get("naam", "") or "Publieksdata werkboek"
    result = ExportResult(path)
    notices = result.notices
    moment = f"{now:%d-%m-%Y %H:%M}"

    wb = Workbook(write_only=True)
    # The default font sets the unit of every column width: Arial 10, as in the cells.
    from openpyxl.utils.indexed_list import IndexedList

    wb._fonts = IndexedList([Font(name=FONT_NAME, size=FONT_SIZE, family=2)])
    # and the default cell sits at the top of its row, like the wrapped text beside it
    from openpyxl.styles.cell_style import StyleArray

    wb._alignments = IndexedList([Alignment(), Alignment(vertical="top")])
    wb._cell_styles = IndexedList([StyleArray([0, 0, 0, 0, 0, 1, 0, 0, 0])])
    normal = wb._named_styles["Normal"]  # LibreOffice takes an unstyled cell's look from here
    normal.font = Font(name=FONT_NAME, size=FONT_SIZE, family=2)
    normal.alignment = Alignment(vertical="top")
    wb.properties.creator = org
    wb.properties.lastModifiedBy = org
    wb.properties.title = f"Publieksdata werkboek: export {now:%d-%m-%Y}"
    wb.properties.subject = "Stappenplan: aan de slag met publieksdata"
    wb.properties.created = now.replace(tzinfo=None)
    wb.properties.modified = now.replace(tzinfo=None)

    taken: set[str] = set()
    header_font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="FFFFFF")
    body_font = Font(name=FONT_NAME, size=FONT_SIZE)
    label_font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    header_fill = PatternFill("solid", fgColor="1F4E79")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

    def styled(ws, **attrs):
        c = WriteOnlyCell(ws, value=None)
        for k, v in attrs.items():
            setattr(c, k, v)
        return c._style

    def make_cell(ws, value, style):
        # Write-only cells are serialised at once and dropped, so one style array can be shared.
        c = WriteOnlyCell(ws, value=value)
        c._style = style
        return c

    def table_sheet(title: str, headers: list[tuple[str, float]], rows: Iterable[list[str]], confidential: bool = False) -> None:
        """A plain sheet of wrapped text (Toelichting, Problemen)."""
        ws = wb.create_sheet(sheet_title(title, taken))
        ws.freeze_panes = "A2"
        for i, (_, width) in enumerate(headers):
            ws.column_dimensions[get_column_letter(i + 1)].width = width
            ws.column_dimensions[get_column_letter(i + 1)].alignment = top  # the column's own style: LibreOffice uses it for unstyled cells
        _page_setup(ws, "1:1", None, org, now, confidential, narrow=True)
        st_h = styled(ws, font=header_font, fill=header_fill, alignment=wrap)
        st_t = styled(ws, font=body_font, alignment=wrap)
        ws.row_dimensions[1].height = row_height(max(text_lines(h, w) for h, w in headers))
        ws.append([make_cell(ws, h, st_h) for h, _ in headers])
        n = 1
        for row in rows:
            n += 1
            ws.row_dimensions[n].height = row_height(max(text_lines(v, w) for v, (_, w) in zip(row, headers)))
            ws.append([make_cell(ws, v, st_t) for v in row])
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{n}"

    def print_sheet(name: str, preamble: list[tuple[str, Any]]) -> None:
        """A4 portrait, two columns (field, value), one block per row of the table sheet."""
        spec = content["bladen"][name]
        ws = wb.create_sheet(sheet_title(spec["titel"] + " (afdruk)", taken))
        widths = (28, 50)
        for i, width in enumerate(widths):
            ws.column_dimensions[get_column_letter(i + 1)].width = width
            ws.column_dimensions[get_column_letter(i + 1)].alignment = top
        # the controller and FG (rows 2 and on, below the note) head every printed record
        _page_setup(ws, f"2:{1 + len(preamble)}" if preamble else None, None, org, now, spec.get("vertrouwelijk", False))
        ws.page_setup.orientation = "portrait"
        st_block = styled(ws, font=header_font, fill=header_fill, alignment=wrap)
        st_block_q = styled(ws, font=header_font, fill=header_fill, alignment=wrap, quotePrefix=True)
        st_val_q = styled(ws, font=body_font, alignment=wrap, quotePrefix=True)
        st_lbl = styled(ws, font=label_font, alignment=wrap)
        st_val = styled(ws, font=body_font, alignment=wrap)
        st_d = styled(ws, font=body_font, alignment=Alignment(vertical="top", horizontal="left"), number_format=DATE_FORMAT)
        st_dt = styled(ws, font=body_font, alignment=Alignment(vertical="top", horizontal="left"), number_format=DATETIME_FORMAT)
        st_n = styled(ws, font=body_font, alignment=Alignment(vertical="top", horizontal="left"))
        n = 0

        def text(value: Any, style, quoted):
            """Text stays text: what looks like a formula gets the quote prefix."""
            if not isinstance(value, str):
                return make_cell(ws, value, st_dt if isinstance(value, dt.datetime) else style)
            c = make_cell(ws, value, quoted if value.startswith(_FORMULA_START) else style)
            c.data_type = "s"
            return c

        def put(cells: list, lines: int = 1) -> None:
            nonlocal n
            n += 1
            if lines > 1:
                ws.row_dimensions[n].height = row_height(lines)
            ws.append(cells)

        note = content["afdruk_uitleg"].format(blad=spec["titel"])
        put([make_cell(ws, "Afdruk", st_lbl), make_cell(ws, note, st_val)], text_lines(note, widths[1]))
        for label, value in preamble:
            lines = max(text_lines(label, widths[0] * 0.9), text_lines(value, widths[1]) if isinstance(value, str) else 1)
            put([make_cell(ws, label, st_lbl), text(written_value(value, marker, replacement), st_val, st_val_q)], lines)
        columns = [(k, col["kop"] + (f" op {moment}" if col.get("moment") else "")) for k, col in spec["kolommen"].items()]
        for row in row_builders(data, now)[name]():
            put([])
            if n > 1 + len(preamble) + 1:
                ws.row_breaks.append(Break(id=n - 1))  # every record on a page of its own
            title = written_value(" · ".join(str(row.get(k)) for k in ("naam", "doel") if row.get(k)), marker, replacement)
            put([text(written_value(str(row.get("kenmerk") or ""), marker, replacement), st_block, st_block_q), text(title, st_block, st_block_q)],
                max(text_lines(title, widths[1]), 1))
            for key, kop in columns:
                if key == "kenmerk":
                    continue
                value = written_value(row.get(key), marker, replacement)
                if value is _FORMULA:
                    continue
                if value is None or value == "":
                    cell, lines = make_cell(ws, "—", st_val), 1
                elif isinstance(value, str):
                    cell, lines = text(value, st_val, st_val_q), text_lines(value, widths[1])
                elif isinstance(value, dt.datetime):
                    cell, lines = make_cell(ws, value, st_dt), 1
                elif isinstance(value, dt.date):
                    cell, lines = make_cell(ws, value, st_d), 1
                else:
                    cell, lines = make_cell(ws, value, st_n), 1
                put([make_cell(ws, kop, st_lbl), cell], max(lines, text_lines(kop, widths[0] * 0.9)))  # bold takes more room
            ws.row_dimensions.pop(n, None)

    if problems:
        table_sheet(
            "Problemen",
            [("Waar", 40), ("Probleem in het werkboek (los het op in de app of met publieksdata check)", 80)],
            (_problem_row(p, data) for p in problems),
        )

    choices_by_sheet = _choice_lists()
    # The drop-down lists live on a hidden sheet (a list typed into a validation is capped at 255 characters).
    lists_title = sheet_title("Keuzelijsten", {content["bladen"][s]["titel"].lower() for s in sheets} | {"toelichting", "problemen"})
    builders = row_builders(data, now)
    controller, contact, fg = _controller(data)
    meta_columns: dict[str, list[str]] = {}
    preambles: dict[str, list[tuple[str, Any]]] = {}
    all_lists: list[tuple[str, str, list[str]]] = []
    for name in sheets:
        spec = content["bladen"][name]
        columns = list(spec["kolommen"].items())
        keys = [k for k, _ in columns]
        letters = {k: get_column_letter(i + 1) for i, k in enumerate(keys)}
        widths = {k: header_width(col["kop"] + (f" op {moment}" if col.get("moment") else ""), col.get("breedte", 14)) for k, col in columns}
        editable = editable_columns(name)
        kinds = {k: (f.type if (f := field_of(name, spec["kolommen"][k]["veld"])) else "") for k in editable}
        ws = wb.create_sheet(sheet_title(spec["titel"], taken))
        preamble: list[tuple[str, Any]] = []
        if name == "overzicht":
            preamble = [
                ("Organisatie", org),
                ("Werkboek", source),
                ("Geëxporteerd op", now.replace(tzinfo=None)),
                ("Ervaringsniveau (laatste ronde)", rules.experience_level((data.get("cyclus") or [{}])[-1].get("data", {}).get("ervaring")).naam),
            ]
        elif name in ("verwerkingsregister", "datalekken"):
            preamble = [("Verwerkingsverantwoordelijke", controller or org)]
            if name == "verwerkingsregister":
                preamble.append(("Contactgegevens", contact or "(niet ingevuld in het werkboek)"))
            own_fg = name == "verwerkingsregister" and any(r.get("fg") for r in data.get("verwerkingsregister", []) if isinstance(r, dict))
            preamble += [
                ("Functionaris gegevensbescherming", fg or ("(niet ingevuld bij de organisatie; zie per regel)" if own_fg else "(niet ingevuld in het werkboek)")),
                ("Stand van", now.replace(tzinfo=None)),
            ]
        preambles[name] = preamble
        header_row = len(preamble) + 2 if preamble else 1  # a blank row between preamble and table
        ws.freeze_panes = f"A{header_row + 1}"
        if preamble:  # the labels and their values, in the two columns every printed page repeats
            widths[keys[0]] = max(widths[keys[0]], 30)
            widths[keys[1]] = max(widths[keys[1]], 30)
        for i, k in enumerate(keys):
            ws.column_dimensions[get_column_letter(i + 1)].width = widths[k]
            ws.column_dimensions[get_column_letter(i + 1)].alignment = top  # the column's own style: LibreOffice uses it for unstyled cells
        hidden_at = len(keys) + 1
        if editable:  # the key and the digests, for `publieksdata import`
            for j in (hidden_at, hidden_at + 1):
                ws.column_dimensions[get_column_letter(j)].width = 12
                ws.column_dimensions[get_column_letter(j)].hidden = True
            meta_columns[name] = editable
        fixed = spec.get("vaste_kolommen", 0)
        # every printed page repeats the header row, and the controller and FG above it
        _page_setup(ws, f"1:{header_row}" if preamble else f"{header_row}:{header_row}", f"A:{get_column_letter(fixed)}" if fixed else None, org, now, spec.get("vertrouwelijk", False))

        st_header = styled(ws, font=header_font, fill=header_fill, alignment=wrap)
        st_text = styled(ws, font=body_font, alignment=wrap)
        st_text_quoted = styled(ws, font=body_font, alignment=wrap, quotePrefix=True)
        st_plain = styled(ws, font=body_font, alignment=top)
        st_date = styled(ws, font=body_font, alignment=top, number_format=DATE_FORMAT)
        st_datetime = styled(ws, font=body_font, alignment=top, number_format=DATETIME_FORMAT)
        st_datetime_left = styled(ws, font=body_font, alignment=Alignment(vertical="top", horizontal="left"), number_format=DATETIME_FORMAT)
        st_pct = styled(ws, font=body_font, alignment=top, number_format=PERCENT_FORMAT)
        st_label = styled(ws, font=label_font, alignment=wrap)

        title = ws.title
        lines = [1]

        def value_cell(value: Any, letter: str, row: int, width: float = 14):
            """Every value goes through here: text is cleaned, always stays text, and wraps."""
            if isinstance(value, str):
                if not value:
                    return None  # an empty cell is no cell at all
                if _ILLEGAL.search(value) or len(value) > MAX_CELL:
                    value = clean_text(value, notices, title, lambda: f"{letter}{row}", marker, replacement)
                fits = len(value) <= width * CHARS_PER_WIDTH and "\n" not in value
                if not fits:
                    n = text_lines(value, width)
                    if n > lines[0]:
                        lines[0] = n
                if value.startswith(_FORMULA_START):
                    c = make_cell(ws, value, st_text_quoted)
                    c.data_type = "s"  # never a formula
                    return c
                # Text that fits on one line needs no style (the default font is the cells' font);
                # longer text wraps, whatever the column's width.
                return value if fits else make_cell(ws, value, st_text)
            if isinstance(value, dt.datetime):
                return make_cell(ws, value, st_datetime)
            if isinstance(value, dt.date):
                return make_cell(ws, value, st_date)
            if isinstance(value, bool):
                return "ja" if value else "nee"
            return value  # numbers and empty cells need no style

        for i, (label, value) in enumerate(preamble, start=1):
            # wrapped in its own column: a printed page to the right repeats the first two
            # columns only, and text running on over the cells beside them was cut there
            lines[0] = text_lines(label, widths[keys[0]])
            if isinstance(value, dt.datetime):  # left, under the text values above it (a date sits right by default)
                cell = make_cell(ws, value, st_datetime_left)
            else:
                cell = value_cell(value, "B", i, widths[keys[1]])
            cells = [make_cell(ws, label, st_label), cell]
            ws.row_dimensions[i].height = row_height(lines[0])
            ws.append(cells)
        rows = builders[name]()
        first = next(rows, None)
        if preamble:  # the blank row above the header says so when there is nothing below it
            if first is None and spec.get("leeg"):
                ws.row_dimensions[header_row - 1].height = row_height(text_lines(spec["leeg"], widths[keys[0]]))
                ws.append([make_cell(ws, spec["leeg"], st_label)])
            else:
                ws.append([])
        headers = [col["kop"] + (f" op {moment}" if col.get("moment") else "") for _, col in columns]
        ws.row_dimensions[header_row].height = row_height(max(text_lines(h, widths[k]) for h, k in zip(headers, keys)))
        hidden_headers = [content["kop_sleutel"], content["kop_controle"]] if editable else []
        ws.append([make_cell(ws, h, st_header) for h in headers] + [make_cell(ws, h, st_plain) for h in hidden_headers])

        row_no = header_row
        for row in ([] if first is None else itertools.chain([first], rows)):
            row_no += 1
            lines[0] = 1
            cells = [
                make_cell(ws, progress_formula(row_no, letters), st_pct) if (value := row.get(key)) is _FORMULA
                else value_cell(value, letters[key], row_no, widths[key])
                for key in keys
            ]
            if editable:
                check = " ".join(digest(written_value(row.get(k), marker, replacement), kinds[k]) for k in editable)
                cells += [row["_key"], check]
            if lines[0] > 1:
                ws.row_dimensions[row_no].height = row_height(lines[0])
            ws.append(cells)
            ws.row_dimensions.pop(row_no, None)  # written; keep memory flat
        result.rows[name] = row_no - header_row
        # The filter covers the hidden key columns too: sorting by a filter keeps each key on its row.
        last = get_column_letter(len(columns) + (2 if editable else 0))
        ws.auto_filter.ref = f"A{header_row}:{last}{max(row_no, header_row)}"
        for key, values in choices_by_sheet.get(name, {}).items():
            if key not in letters:
                continue
            all_lists.append((name, key, values))
            ref = f"'{lists_title}'!${get_column_letter(len(all_lists))}$2:${get_column_letter(len(all_lists))}${len(values) + 1}"
            dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True, showErrorMessage=True, errorTitle="Ongeldige waarde", error="Kies een waarde uit de lijst.")
            dv.add(f"{letters[key]}{header_row + 1}:{letters[key]}{min(EXCEL_MAX_ROWS, max(row_no, header_row + 1) + 1000)}")
            ws.data_validations.append(dv)

    # The register and the datalekken once more, one record per block: what a person prints.
    for name in sheets:
        if name in PRINT_SHEETS:
            print_sheet(name, preambles.get(name, []))

    # Explanations in plain Dutch.
    explained: list[list[str]] = []
    for name in sheets:
        spec = content["bladen"][name]
        explained.append([spec["titel"], "(het hele blad)", spec["uitleg"]])
        for _, col in spec["kolommen"].items():
            text = col["uitleg"] + (f" Een momentopname: de stand op {moment}." if col.get("moment") else "")
            explained.append([spec["titel"], col["kop"], text])
    table_sheet("Toelichting", [("Blad", 20), ("Kolom", 28), ("Uitleg", 72)], explained)

    if all_lists:
        lw = wb.create_sheet(sheet_title(lists_title, taken))
        lw.sheet_state = "hidden"
        longest = max(len(v) for _, _, v in all_lists)
        lw.append([f"{content['bladen'][s]['titel']}: {content['bladen'][s]['kolommen'][k]['kop']}" for s, k, _ in all_lists])
        for i in range(longest):
            lw.append([v[i] if i < len(v) else None for _, _, v in all_lists])

    # What this export was made from, for `publieksdata import`.
    meta = wb.create_sheet(sheet_title(META_SHEET, taken))
    meta.sheet_state = "hidden"
    meta.append([META_MARKER, META_VERSION])
    meta.append(["werkboek", data_fingerprint(data)])
    meta.append(["bestand", source])
    meta.append(["geëxporteerd", now.isoformat(timespec="seconds")])
    for name, cols in meta_columns.items():
        meta.append(["blad", name, content["bladen"][name]["titel"], ",".join(cols)])
    wb.save(path)
    return result


def _verify(path: Path, result: ExportResult) -> None:
    """Re-open the written file with openpyxl's reader and check that it is whole.

    Every zip member's checksum is tested, and openpyxl reads the package manifest, the shared
    strings, the workbook, the styles and the sheet list, and each sheet part must be present.
    The rows themselves are not parsed again (that would cost more than writing them).
    """
    import zipfile

    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
        if bad:
            raise ExportError(f"{path.name}: beschadigd onderdeel {bad}")
        reader = ExcelReader(str(path), read_only=True)
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            reader.read_properties()
            apply_stylesheet(reader.archive, reader.wb)
            present = set(reader.archive.namelist())
            found = {}
            for sheet, rel in reader.parser.find_sheets():
                found[sheet.name] = rel.target.lstrip("/") in present
        finally:
            reader.archive.close()
        wanted = {_content()["bladen"][s]["titel"] for s in result.rows}
        missing = sorted(t for t in wanted if not found.get(t))
        if missing:
            raise ExportError(f"na het schrijven ontbreken bladen: {', '.join(missing)}")
    except ExportError:
        raise
    except Exception as exc:  # a file openpyxl cannot read back is not delivered
        raise ExportError(f"de export kon niet worden teruggelezen ({exc}); er is geen bestand achtergelaten") from None
