"""Excel exports for management: verwerkingsregister, evaluatielog, databronnen, datalekken, overzicht.

Reads the workbook's plain data (never widgets). openpyxl is imported here only, when exporting.
Rows are streamed (write-only mode), so memory does not grow with the number of rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from tui.model import rules
from tui.model.guide import guide
from tui.model.schema import CONTENT_DIR, load_schema

WRAP_FROM_WIDTH = 22  # text in columns this wide or wider wraps; narrower columns hold short values
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
    """Replace characters Excel cannot hold and cut text over 32,767 characters; report both."""
    if _ILLEGAL.search(value):
        count = len(_ILLEGAL.findall(value))
        value = _ILLEGAL.sub(replacement, value)
        notices.append(Notice(sheet, cell(), f"{count} teken(s) die Excel niet kan bevatten vervangen door {replacement}"))
    if len(value) > MAX_CELL:
        notices.append(Notice(sheet, cell(), f"tekst van {len(value):,} tekens afgekapt op {MAX_CELL:,} (het werkboek houdt de volledige tekst)"))
        value = value[: MAX_CELL - len(marker)] + marker
    return value


# ------------------------------------------------------------------------------ rows per sheet


def _label(choice: str, value: Any) -> str:
    return load_schema().choice_label(choice, value) if value else ""


def _jn_bool(value: Any) -> str:
    return "ja" if value is True else ("nee" if value is False else "")


def _join(values: Any) -> str:
    return "; ".join(str(v) for v in values) if isinstance(values, list) else ""


def rows_verwerkingsregister(data: dict, today: dt.date) -> Iterator[dict]:
    warn = data.get("instellingen", {}).get("review_waarschuwing_dagen", 30)
    for rec in data.get("verwerkingsregister", []):
        verwerkers = rec.get("verwerkers", [])
        base = {
            "kenmerk": rec.get("id", ""),
            "naam": rec.get("naam", ""),
            "verantwoordelijke": rules.register_party(rec, data, "verantwoordelijke"),
            "verantwoordelijke_contact": rec.get("verantwoordelijke_contact", ""),
            "gezamenlijk_verantwoordelijke": rec.get("gezamenlijk_verantwoordelijke", ""),
            "vertegenwoordiger": rec.get("vertegenwoordiger", ""),
            "fg": rules.register_party(rec, data, "fg"),
            "betrokkenen": _join(rec.get("betrokkenen")),
            "persoonsgegevens": _join(rec.get("persoonsgegevens")),
            "bijzondere": _jn_bool(rec.get("bijzondere_gegevens")),
            "strafrechtelijke": _jn_bool(rec.get("strafrechtelijke_gegevens")),
            "ontvangers": _join(rec.get("ontvangers")),
            "verwerkers": "; ".join(v.get("naam", "") for v in verwerkers),
            "verwerkersovereenkomsten": "; ".join(
                f"{v.get('naam', '')}: {v.get('overeenkomst') or 'onbekend'}"
                + (f" ({v['overeenkomst_datum']:%d-%m-%Y})" if isinstance(v.get("overeenkomst_datum"), dt.date) else "")
                for v in verwerkers
            ),
            "doorgifte_landen": _join(rec.get("doorgifte_landen")),
            "doorgifte_waarborg": _label("waarborg", rec.get("doorgifte_waarborg")),
            "bewaartermijn": rec.get("bewaartermijn", ""),
            "bewaartermijn_reden": rec.get("bewaartermijn_reden", ""),
            "beveiliging": rec.get("beveiliging", ""),
            "opslag": rec.get("opslag", ""),
            "databronnen": _join(rec.get("databronnen")),
            "laatste_review": rec.get("laatste_review") or None,
            "volgende_review": rec.get("volgende_review") or None,
            "review_status": {"verlopen": "verlopen", "binnenkort": "binnenkort", "ok": "op tijd"}.get(rules.review_state(rec, today, warn) or "", ""),
        }
        doelen = rec.get("doelen", [])
        # One row per purpose where purposes differ in legal basis; one row when they agree.
        if len({d.get("grondslag", "") for d in doelen}) > 1:
            for d in doelen:
                yield base | {"doel": d.get("doel", ""), "grondslag": _label("grondslag", d.get("grondslag")), "doel_toelichting": d.get("toelichting", "")}
        else:
            yield base | {
                "doel": "; ".join(d.get("doel", "") for d in doelen),
                "grondslag": _label("grondslag", doelen[0].get("grondslag")) if doelen else "",
                "doel_toelichting": "; ".join(d.get("toelichting", "") for d in doelen if d.get("toelichting")),
            }


def rows_evaluatielog(data: dict, today: dt.date) -> Iterator[dict]:
    for cycle in data.get("cyclus", []):
        start = cycle.get("start") if isinstance(cycle.get("start"), dt.date) else None
        for action in cycle.get("acties", []):
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
            for ev in action.get("evaluaties", []):
                yield common | {
                    "datum": ev.get("datum") or None,
                    "waarde": ev.get("waarde"),
                    "voortgang": _FORMULA,
                    "bron": ev.get("bron", ""),
                    "observatie": ev.get("observatie", ""),
                    "conclusie": ev.get("conclusie", ""),
                    "bijstelling": ev.get("bijstelling", ""),
                }


def _latest_focus(data: dict) -> str:
    for cycle in reversed(data.get("cyclus", [])):
        focus = cycle.get("vraagstuk", {}).get("focus", "")
        if focus:
            return focus
    return ""


def rows_databronnen(data: dict, today: dt.date) -> Iterator[dict]:
    focus = _latest_focus(data)
    months = data.get("instellingen", {}).get("actualiteit_maanden", 12)
    for src in data.get("databronnen", []):
        act = rules.actualiteit(src, today, months)
        actueel = act.value
        notes = [f"{k}: {src[k + '_notitie']}" for k in ("relevant", "actualiteit", "bruikbaarheid") if src.get(k + "_notitie")]
        if act.warning or (act.value and not act.answered):
            notes.append(f"actualiteit: {act.text}")
        yield {
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
            "verwerking": src.get("verwerking", ""),
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


def rows_datalekken(data: dict, now: dt.datetime) -> Iterator[dict]:
    for b in data.get("datalekregister", []):
        clock = rules.breach_clock(b, now)
        yield {
            "kenmerk": b.get("id", ""),
            "ontdekt": _naive(b.get("ontdekt")),
            "tijdzone": _offset(b.get("ontdekt")),
            "termijn": _naive(clock.deadline) if clock else None,
            "stand": clock.label if clock else "",
            "ontdekt_door": b.get("ontdekt_door", ""),
            "begin": _naive(b.get("begin")),
            "einde": _naive(b.get("einde")),
            "aard": _label("aard_lek", b.get("aard")),
            "samenvatting": b.get("samenvatting", ""),
            "oorzaak": b.get("oorzaak", ""),
            "aantal_personen": b.get("aantal_personen"),
            "aantal_records": b.get("aantal_records"),
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
            "verwerkingen": _join(b.get("verwerkingen")),
            "status": _label("status_lek", b.get("status")),
        }


def rows_overzicht(data: dict, today: dt.date) -> Iterator[dict]:
    for cycle in data.get("cyclus", []):
        vraag = cycle.get("vraagstuk", {})
        actions = cycle.get("acties", [])
        yield {
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


_FORMULA = object()  # placeholder: the progress formula of this row


def _choice_lists() -> dict[str, dict[str, list[str]]]:
    """Per sheet, per column: the allowed values offered as a drop-down."""
    s = load_schema()

    def labels(name: str) -> list[str]:
        return [s.choice_label(name, v) for v in s.choice_values(name)]

    jn = ["ja", "nee"]
    return {
        "verwerkingsregister": {"grondslag": labels("grondslag"), "doorgifte_waarborg": labels("waarborg"), "bijzondere": jn, "strafrechtelijke": jn, "review_status": ["verlopen", "binnenkort", "op tijd"]},
        "evaluatielog": {"richting": labels("richting"), "status": labels("status_actie"), "deadline_status": ["gehaald", "op koers", "risico", "verlopen"]},
        "databronnen": {"soort": labels("soort_bron"), "herkomst": labels("herkomst"), "anonimiteit": labels("anonimiteit"), "relevant": jn, "actualiteit": jn, "bruikbaarheid": jn},
        "datalekken": {"aard": labels("aard_lek"), "gemeld_ap": jn, "betrokkenen_geinformeerd": jn, "status": labels("status_lek")},
        "overzicht": {"focus": labels("focus"), "huidige_stap": labels("stap")},
    }


def progress_formula(row: int, col: dict[str, str]) -> str:
    """The progress of one evaluation row as an Excel formula over the row's own cells."""
    b, t, d, v = (f"{col[k]}{row}" for k in ("nulmeting", "streefwaarde", "richting", "waarde"))
    up = f'IF({b}="","",IF({t}<={b},IF({v}>={t},1,0),({v}-{b})/({t}-{b})))'
    down = f'IF({b}="","",IF({b}<={t},IF({v}<={t},1,0),({b}-{v})/({b}-{t})))'
    return (
        f'=IF(OR({v}="",{t}=""),"",IF({d}="verhogen",{up},IF({d}="verlagen",{down},'
        f'IF({d}="boven houden",IF({v}>={t},1,0),IF({d}="onder houden",IF({v}<={t},1,0),"")))))'
    )


# ------------------------------------------------------------------------------ writing


def export_workbook(
    data: dict,
    out: Path | str,
    sheets: Iterable[str] = SHEETS,
    now: dt.datetime | None = None,
    mode: int | None = 0o600,
    source: str = "",
) -> ExportResult:
    """Write the chosen sheets to ``out`` (temp file, verified, then moved in place)."""
    sheets = list(sheets)
    unknown = [s for s in sheets if s not in SHEETS]
    if unknown:
        raise ExportError(f"onbekend blad: {', '.join(unknown)}; kies uit: {', '.join(SHEETS)}")
    out = Path(out)
    now = now or dt.datetime.now(dt.timezone.utc).astimezone()
    folder = out.parent if str(out.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp-export.xlsx", dir=folder)
    except OSError as exc:
        raise ExportError(f"{folder}: kan hier geen bestand maken ({exc.strerror})") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        result = _write(data, tmp, sheets, now, source)
        _verify(tmp, result)
        existing_mode = out.stat().st_mode & 0o7777 if out.exists() else None
        final_mode = existing_mode if existing_mode is not None else mode
        if final_mode is not None:
            os.chmod(tmp, final_mode)
        os.replace(tmp, out)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, ExportError):
            raise
        if isinstance(exc, OSError):
            raise ExportError(f"{out}: exporteren mislukt ({exc.strerror or exc}); er is geen bestand achtergelaten") from None
        raise
    result.path = out
    return result


def _write(data: dict, path: Path, sheets: list[str], now: dt.datetime, source: str) -> ExportResult:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    content = _content()
    marker, replacement = content["markering_afgekapt"], content["vervangteken"]
    org = data.get("organisatie", {}).get("naam", "") or "Publieksdata werkboek"
    result = ExportResult(path)
    notices = result.notices
    today = now.date()

    wb = Workbook(write_only=True)
    wb.properties.creator = org
    wb.properties.lastModifiedBy = org
    wb.properties.title = f"Publieksdata werkboek: export {now:%d-%m-%Y}"
    wb.properties.subject = "Stappenplan: aan de slag met publieksdata"
    wb.properties.created = now.replace(tzinfo=None)
    wb.properties.modified = now.replace(tzinfo=None)

    taken: set[str] = set()
    header_font = Font(bold=True, color="FFFFFF")
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

    choices_by_sheet = _choice_lists()
    # The drop-down lists live on a hidden sheet (a list typed into a validation is capped at 255 characters).
    lists_title = sheet_title("Keuzelijsten", {content["bladen"][s]["titel"].lower() for s in sheets} | {"toelichting"})
    builders = {
        "verwerkingsregister": lambda: rows_verwerkingsregister(data, today),
        "evaluatielog": lambda: rows_evaluatielog(data, today),
        "databronnen": lambda: rows_databronnen(data, today),
        "datalekken": lambda: rows_datalekken(data, now),
        "overzicht": lambda: rows_overzicht(data, today),
    }
    all_lists: list[tuple[str, str, list[str]]] = []
    for name in sheets:
        spec = content["bladen"][name]
        columns = list(spec["kolommen"].items())
        keys = [k for k, _ in columns]
        letters = {k: get_column_letter(i + 1) for i, k in enumerate(keys)}
        ws = wb.create_sheet(sheet_title(spec["titel"], taken))
        preamble: list[tuple[str, Any]] = []
        if name == "overzicht":
            preamble = [
                ("Organisatie", org),
                ("Werkboek", source),
                ("Geëxporteerd op", now.replace(tzinfo=None)),
                ("Ervaringsniveau (laatste ronde)", rules.experience_level((data.get("cyclus") or [{}])[-1].get("data", {}).get("ervaring")).naam),
            ]
        header_row = len(preamble) + 2 if preamble else 1  # a blank row between preamble and table
        ws.freeze_panes = f"A{header_row + 1}"
        for i, (_, col) in enumerate(columns):
            ws.column_dimensions[get_column_letter(i + 1)].width = col.get("breedte", 14)
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

        st_header = styled(ws, font=header_font, fill=header_fill, alignment=wrap)
        st_text = styled(ws, alignment=wrap)
        st_text_quoted = styled(ws, alignment=wrap, quotePrefix=True)
        st_date = styled(ws, alignment=top, number_format=DATE_FORMAT)
        st_datetime = styled(ws, alignment=top, number_format=DATETIME_FORMAT)
        st_pct = styled(ws, alignment=top, number_format=PERCENT_FORMAT)
        st_label = styled(ws, font=Font(bold=True), alignment=top)

        title = ws.title

        # text wraps in wide columns, and only when it is longer than the column
        wrap_at = {k: col.get("breedte", 14) for k, col in columns if col.get("breedte", 14) >= WRAP_FROM_WIDTH}

        def value_cell(value: Any, letter: str, row: int, wrap_width: int = 0):
            """Every value goes through here: text is cleaned and always stays text."""
            if isinstance(value, str):
                if _ILLEGAL.search(value) or len(value) > MAX_CELL:
                    value = clean_text(value, notices, title, lambda: f"{letter}{row}", marker, replacement)
                if value.startswith(_FORMULA_START):
                    c = make_cell(ws, value, st_text_quoted)
                    c.data_type = "s"  # never a formula
                    return c
                if len(value) > wrap_width or "\n" in value:
                    return make_cell(ws, value, st_text)
                return value  # short plain text that cannot be a formula needs no style
            if isinstance(value, dt.datetime):
                return make_cell(ws, value, st_datetime)
            if isinstance(value, dt.date):
                return make_cell(ws, value, st_date)
            if isinstance(value, bool):
                return "ja" if value else "nee"
            return value  # numbers and empty cells need no style

        for i, (label, value) in enumerate(preamble, start=1):
            ws.append([make_cell(ws, label, st_label), value_cell(value, "B", i)])
        if preamble:
            ws.append([])
        ws.append([make_cell(ws, col["kop"], st_header) for _, col in columns])

        row_no = header_row
        for row in builders[name]():
            row_no += 1
            ws.append([
                make_cell(ws, progress_formula(row_no, letters), st_pct) if (value := row.get(key)) is _FORMULA
                else value_cell(value, letters[key], row_no, wrap_at.get(key, 10**6))
                for key in keys
            ])
        result.rows[name] = row_no - header_row
        last = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A{header_row}:{last}{max(row_no, header_row)}"
        for key, values in choices_by_sheet.get(name, {}).items():
            if key not in letters:
                continue
            all_lists.append((name, key, values))
            ref = f"'{lists_title}'!${get_column_letter(len(all_lists))}$2:${get_column_letter(len(all_lists))}${len(values) + 1}"
            dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True, showErrorMessage=True, errorTitle="Ongeldige waarde", error="Kies een waarde uit de lijst.")
            dv.add(f"{letters[key]}{header_row + 1}:{letters[key]}{max(row_no, header_row + 1) + 1000}")
            ws.data_validations.append(dv)

    # Explanations in plain Dutch.
    ws = wb.create_sheet(sheet_title("Toelichting", taken))
    ws.freeze_panes = "A2"
    for letter, width in zip("ABC", (22, 32, 90)):
        ws.column_dimensions[letter].width = width
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    st_header = styled(ws, font=header_font, fill=header_fill, alignment=wrap)
    st_text = styled(ws, alignment=wrap)
    ws.append([make_cell(ws, h, st_header) for h in ("Blad", "Kolom", "Uitleg")])
    n = 1
    for name in sheets:
        spec = content["bladen"][name]
        ws.append([make_cell(ws, spec["titel"], st_text), make_cell(ws, "(het hele blad)", st_text), make_cell(ws, spec["uitleg"], st_text)])
        n += 1
        for _, col in spec["kolommen"].items():
            ws.append([make_cell(ws, spec["titel"], st_text), make_cell(ws, col["kop"], st_text), make_cell(ws, col["uitleg"], st_text)])
            n += 1
    ws.auto_filter.ref = f"A1:C{n}"

    if all_lists:
        lw = wb.create_sheet(sheet_title(lists_title, taken))
        lw.sheet_state = "hidden"
        longest = max(len(v) for _, _, v in all_lists)
        lw.append([f"{content['bladen'][s]['titel']}: {content['bladen'][s]['kolommen'][k]['kop']}" for s, k, _ in all_lists])
        for i in range(longest):
            lw.append([v[i] if i < len(v) else None for _, _, v in all_lists])
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
