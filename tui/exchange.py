"""Edits made in an exported Excel file, back into the workbook.

Plain Python (no textual): the CLI (`publieksdata import`) and the app call the same functions.

An export keeps, per row, a hidden key (where the record sits, and its kenmerk) and a hidden
digest of every editable cell as written; a hidden sheet says which workbook it was made from.
So an import can tell a manager's edit from an unchanged cell, and a field that changed in the
workbook since the export (a conflict: listed, never overwritten).

Hostile files are refused before openpyxl parses them: not a zip, too many parts, parts that
inflate beyond the limits (a zip bomb), XML with a DOCTYPE or entities (openpyxl parses with
defusedxml as well). Formulas are read as their text, never evaluated.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui import export
from tui.model import values
from tui.model.schema import JA_NEE, load_schema, spec_path_of
from tui.oserror import reason

MAX_FILE_BYTES = 50 * 1024 * 1024  # the .xlsx itself
MAX_PARTS = 2_000
MAX_PART_BYTES = 200 * 1024 * 1024  # one part, inflated
MAX_TOTAL_BYTES = 400 * 1024 * 1024  # all parts, inflated
MAX_RATIO = 200  # inflated / compressed, for parts over 1 MB
HEAD_BYTES = 64 * 1024  # where a DOCTYPE would be


class ExchangeError(Exception):
    """The file is refused as a whole; nothing was read into the workbook."""


@dataclass(frozen=True)
class Change:
    """One value to write: ``path`` in the workbook gets ``new`` (None removes the key).

    A new record has kind "nieuw": ``path`` is the list it is appended to, ``new`` the record."""

    sheet: str
    cell: str
    record: str
    field: str
    path: tuple
    old: Any
    new: Any
    kind: str = "wijziging"
    type: str = "tekst"
    choices: str = ""  # a choice field: its values are shown by their labels, as in Excel

    def format(self) -> str:
        if self.kind == "nieuw":  # with what goes into it: nothing is written that was not listed
            what = _record_text(spec_path_of(self.path + (0,)), self.new)  # path: the list it joins
            return f"{self.sheet}!{self.cell}: nieuw: {self.record}" + (f" ({what})" if what else "")
        return f"{self.sheet}!{self.cell}: {self.record}, {self.field}: {show(self.old, self.type, self.choices)} → {show(self.new, self.type, self.choices)}"


@dataclass(frozen=True)
class Finding:
    """Something in the file that is not taken over: a conflict, an invalid cell, an ignored edit."""

    sheet: str
    cell: str
    record: str
    field: str
    message: str

    def format(self) -> str:
        who = ", ".join(x for x in (self.record, self.field) if x)
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet  # a row that is gone has no cell
        return f"{where}: {who + ': ' if who else ''}{self.message}"


MAX_FINDINGS = 1_000  # per kind: a hostile file cannot fill the memory with messages


class Findings(list):
    """A list that keeps the first MAX_FINDINGS and counts the rest in ``dropped``."""

    dropped = 0

    def append(self, item) -> None:
        if len(self) < MAX_FINDINGS:
            super().append(item)
        else:
            self.dropped += 1


@dataclass
class ImportResult:
    source: str = ""
    exported: str = ""
    workbook_changed: bool = False
    changes: list[Change] = field(default_factory=list)
    conflicts: Findings = field(default_factory=Findings)
    invalid: Findings = field(default_factory=Findings)
    ignored: Findings = field(default_factory=Findings)


def _record_text(spec: str, record: dict) -> str:
    """'Soort: 'Nieuwsbrief'; Eigenaar: 'Marketing'', each field by its question's short label
    (``spec``: the record's table, e.g. 'databronnen[]')."""
    table = load_schema().tables.get(spec)
    parts = []
    for key, value in record.items():
        if key == "id" or value in (None, "", []):
            continue
        f = table.fields.get(key) if table else None
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            parts.extend(_record_text(f"{spec}.{key}[]", v) for v in value)
            continue
        label = (f.nl.split(":")[0].split(" (")[0] if f else key)
        parts.append(f"{label}: {show(value, f.type if f else 'tekst', f.choices if f else '')}")
    return "; ".join(p for p in parts if p)


def show(value: Any, kind: str = "tekst", choices: str = "") -> str:
    """A value as a person reads it in a list of changes; a choice by its label ("Toestemming
    (art. 6 lid 1a)"), the words the spreadsheet shows, not the workbook's key."""
    if value is None or value == "" or value == []:
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if choices and isinstance(value, str):
        return repr(load_schema().choice_label(choices, value))
    text = values.format_value(kind, value)
    return repr(text) if kind in ("tekst", "lange_tekst", "keuze", "jn", "verwijzing") else text


# ------------------------------------------------------------------------------ the file


def check_package(path: Path) -> None:
    """Refuse, quickly and without inflating anything, a file that is no sane .xlsx."""
    import stat

    try:
        st = path.stat()
    except OSError as exc:
        raise ExchangeError(f"{path}: kan het bestand niet lezen ({reason(exc)})") from None
    if not stat.S_ISREG(st.st_mode):  # a device (/dev/zero) or a pipe would be read for ever
        raise ExchangeError(f"{path}: geen gewoon bestand; een export is een .xlsx-bestand. Er is niets ingelezen")
    size = st.st_size
    if size > MAX_FILE_BYTES:
        raise ExchangeError(f"{path}: {export.nl_int(size // (1024 * 1024))} MB is te groot voor een export van het werkboek; er is niets ingelezen")
    if not zipfile.is_zipfile(path):
        raise ExchangeError(f"{path}: geen Excel-bestand (.xlsx); er is niets ingelezen")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names:
                kind = "een OpenDocument-rekenblad (.ods)" if "mimetype" in names or path.suffix.lower() == ".ods" else "een zip-bestand"
                raise ExchangeError(f"{path}: dit is {kind}, geen Excel-bestand (.xlsx); sla het op als Excel-werkmap (.xlsx) en lees dat in. Er is niets ingelezen")
            if len(infos) > MAX_PARTS:
                raise ExchangeError(f"{path}: {export.nl_int(len(infos))} onderdelen: geen export van het werkboek; er is niets ingelezen")
            total = 0
            for info in infos:
                total += info.file_size
                too_big = info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES
                ratio = info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(1, info.compress_size)
                if too_big or ratio:
                    raise ExchangeError(
                        f"{path}: onderdeel {info.filename} pakt uit tot {export.nl_int(info.file_size // (1024 * 1024))} MB "
                        "(een zip-bom?); er is niets ingelezen"
                    )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as fh:
                        head = fh.read(HEAD_BYTES)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise ExchangeError(f"{path}: onderdeel {info.filename} bevat een DOCTYPE of entiteiten; dat maakt Excel nooit, er is niets ingelezen")
    except zipfile.BadZipFile as exc:
        raise ExchangeError(f"{path}: beschadigd Excel-bestand ({exc}); er is niets ingelezen") from None


def _open(path: Path):
    import openpyxl

    check_package(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # defusedxml refusals, broken parts: all the same to the user
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: BaseException) -> ExchangeError:
    root = exc
    while root.__cause__ is not None or root.__context__ is not None:
        root = root.__cause__ or root.__context__  # type: ignore[assignment]
    name = type(root).__name__
    if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"):
        return ExchangeError(f"{path}: het bestand bevat een DOCTYPE of entiteiten ({name}); dat maakt Excel nooit, er is niets ingelezen")
    return ExchangeError(f"{path}: kan het Excel-bestand niet lezen ({name}: {str(root).splitlines()[0] if str(root) else ''}); er is niets ingelezen")


@dataclass
class _Meta:
    fingerprint: str
    source: str
    exported: dt.datetime
    sheets: dict[str, tuple[str, list[str]]]  # name -> (title, editable columns)


def _meta(book, path: Path) -> _Meta:
    if export.META_SHEET not in book.sheetnames:
        raise ExchangeError(f"{path}: geen export van het Publieksdata werkboek (het blad {export.META_SHEET} ontbreekt); er is niets ingelezen")
    rows = [[c for c in row] for row in book[export.META_SHEET].iter_rows(max_row=50, max_col=5, values_only=True)]
    if not rows or rows[0][0] != export.META_MARKER:
        raise ExchangeError(f"{path}: geen export van het Publieksdata werkboek; er is niets ingelezen")
    try:
        version = int(rows[0][1])
    except (TypeError, ValueError):
        version = 0
    if version != export.META_VERSION:
        raise ExchangeError(f"{path}: een export in een andere versie ({rows[0][1]}); exporteer opnieuw")
    info = {r[0]: r[1] for r in rows[1:] if r and r[0] != "blad"}
    sheets = {}
    for r in rows[1:]:
        if r and r[0] == "blad" and r[1] in export.SHEET_RECORD:
            sheets[r[1]] = (str(r[2]), [c for c in str(r[3] or "").split(",") if c])
    try:
        exported = dt.datetime.fromisoformat(str(info.get("geëxporteerd")))
    except ValueError:
        raise ExchangeError(f"{path}: de exportgegevens zijn beschadigd; exporteer opnieuw") from None
    return _Meta(str(info.get("werkboek", "")), str(info.get("bestand", "") or ""), exported, sheets)


# ------------------------------------------------------------------------------ cell values


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def same(a: Any, b: Any) -> bool:
    """The same workbook value: empty is empty, 7 is 7.0, a date is not a datetime."""
    if _blank(a) and _blank(b):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def _excel_date(serial: float) -> dt.datetime:
    return dt.datetime(1899, 12, 30) + dt.timedelta(days=float(serial))


def convert(value: Any, f, current: Any = None) -> Any:
    """A cell's value as the workbook value of field ``f``; ValueError with a Dutch message."""
    t = f.type
    if _blank(value):
        return "" if t in ("tekst", "lange_tekst", "jn", "verwijzing") else None
    if t in ("tekst", "lange_tekst", "verwijzing"):
        if isinstance(value, bool):
            return "ja" if value else "nee"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (int, float)):
            return str(value).replace(".", ",")
        if isinstance(value, dt.datetime):
            return f"{value:%d-%m-%Y}" if value.time() == dt.time(0) else f"{value:%d-%m-%Y %H:%M}"
        text = str(value).replace("\r\n", "\n")
        return text if t == "lange_tekst" else text.strip()
    if t == "datum":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _excel_date(value).date()
        return values.parse_date(str(value))
    if t == "tijdstip":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = _excel_date(value)
        if isinstance(value, dt.datetime):
            naive = value.replace(tzinfo=None, second=0, microsecond=0)
            local = naive.replace(tzinfo=values.LOCAL_ZONE)
            if isinstance(current, dt.datetime) and current.tzinfo is not None and current.utcoffset() != current.astimezone(values.LOCAL_ZONE).utcoffset():
                return naive.replace(tzinfo=current.tzinfo)  # recorded in another zone: keep that zone
            return local.astimezone(dt.timezone(local.utcoffset()))
        return values.parse_datetime(str(value))
    if t in ("geheel", "getal"):
        if isinstance(value, bool):
            raise ValueError("schrijf een getal, zoals 250 of 10,5")
        if isinstance(value, (int, float)):
            if t == "geheel":
                if float(value) != int(value):
                    raise ValueError("schrijf een geheel getal")
                return int(value)
            return int(value) if isinstance(value, float) and value.is_integer() and isinstance(current, int) else value
        return values.parse_number(str(value), whole=t == "geheel")
    if t == "keuze":
        schema = load_schema()
        text = str(value).strip().lower()
        for v in schema.choice_values(f.choices):
            if text in (v.lower(), schema.choice_label(f.choices, v).lower()):
                return v
        allowed = ", ".join(schema.choice_label(f.choices, v) for v in schema.choice_values(f.choices))
        raise ValueError(f"{str(value)!r} is geen toegestane waarde; kies uit: {allowed}")
    if t == "jn":
        text = ("ja" if value else "nee") if isinstance(value, bool) else str(value).strip().lower()
        if text not in JA_NEE:
            raise ValueError('schrijf "ja" of "nee" (of laat de cel leeg)')
        return text
    if t == "waarheid":
        text = ("ja" if value else "nee") if isinstance(value, bool) else str(value).strip().lower()
        if text not in JA_NEE:
            raise ValueError('schrijf "ja" of "nee"')
        return text == "ja"
    if t in ("lijst", "verwijzingen"):
        return values.parse_list(str(value))
    raise ValueError(f"dit soort veld ({t}) kan niet uit Excel komen")


def _checked(raw: Any, f, current: Any = None) -> Any:
    """``convert``, then checked as any edit is; ValueError with the Dutch reason."""
    from tui.model.validate import _check_value

    value = convert(raw, f, current)
    problem = None if value is None else _check_value(load_schema(), f, value)
    if problem:
        raise ValueError(problem)
    return value


# ------------------------------------------------------------------------------ reading changes


def _record_paths(sheet: str, key: str, data: dict) -> tuple[tuple, tuple | None, str] | None:
    """(record path, prefix record path, label) for a row key, checked against the kenmerk;
    a record that moved is found by its kenmerk. None when it is gone."""
    parts = key.split("|")
    try:
        if sheet == "evaluatielog":
            c, a, ident = int(parts[0]), int(parts[1]), parts[3]
            e = None if parts[2] == export.UNMEASURED else int(parts[2])
            cycles = data.get("cyclus", [])
            action = cycles[c]["acties"][a] if c < len(cycles) and a < len(cycles[c].get("acties", [])) else None
            if action is None or action.get("id", "") != ident:
                found = [(ci, ai) for ci, cy in enumerate(cycles) for ai, ac in enumerate(cy.get("acties", [])) if ac.get("id") == ident and ident]
                if len(found) != 1:
                    return None
                c, a = found[0]
                action = cycles[c]["acties"][a]
            if e is None:  # an action that was not measured at the export: the row stands for the action
                return ("cyclus", c, "acties", a), ("cyclus", c, "acties", a), f"{ident or action.get('titel', '')}, nog geen meting"
            if e >= len(action.get("evaluaties", [])):
                return None
            return ("cyclus", c, "acties", a, "evaluaties", e), ("cyclus", c, "acties", a), f"{ident or action.get('titel', '')}, meting {e + 1}"
        table = {"verwerkingsregister": "verwerkingsregister", "databronnen": "databronnen", "datalekken": "datalekregister"}[sheet]
        i, ident = int(parts[0]), parts[1]
        records = data.get(table, [])
        if i >= len(records) or records[i].get("id", "") != ident:
            found = [n for n, r in enumerate(records) if r.get("id") == ident and ident]
            if len(found) != 1:
                return None
            i = found[0]
        prefix = None
        if sheet == "verwerkingsregister" and len(parts) > 2:
            d = int(parts[2])
            if d >= len(records[i].get("doelen", [])):
                return None
            prefix = (table, i, "doelen", d)
        return (table, i), prefix, ident
    except (ValueError, IndexError, KeyError, TypeError, AttributeError):
        return None


def _current_rows(data: dict, sheet: str, now: dt.datetime) -> dict[tuple, dict]:
    """The rows an export made now would have, by the record they stand for."""
    out = {}
    for row in export.row_builders(data, now)[sheet]():
        found = _record_paths(sheet, row["_key"], data)
        if found:
            out[(found[0], found[1])] = row
    return out


def read_changes(data: dict, xlsx: Path | str) -> ImportResult:
    """Every change in ``xlsx`` (an edited export) against the workbook values ``data``.

    Raises ExchangeError when the file is refused as a whole."""
    path = Path(xlsx)
    book = _open(path)
    try:
        return _read(book, path, data)
    except ExchangeError:
        raise
    except Exception as exc:  # a part that only breaks when its rows are read
        raise _unreadable(path, exc) from None
    finally:
        book.close()


def _read(book, path: Path, data: dict) -> ImportResult:
    content = export._content()
    marker, replacement = content["markering_afgekapt"], content["vervangteken"]
    meta = _meta(book, path)
    result = ImportResult(source=meta.source, exported=f"{meta.exported:%d-%m-%Y %H:%M}")
    result.workbook_changed = meta.fingerprint != export.data_fingerprint(data)
    by_path: dict[tuple, Change] = {}
    for sheet, (title, editable) in meta.sheets.items():
        if title not in book.sheetnames:
            result.ignored.append(Finding(title, "", "", "", "dit blad ontbreekt in het bestand; niets van dit blad ingelezen"))
            continue
        spec = content["bladen"][sheet]["kolommen"]
        ws = book[title]
        rows = ws.iter_rows(values_only=False)
        header_index: dict[str, int] = {}
        for row in rows:
            labels = [c.value if isinstance(c.value, str) else "" for c in row]
            if content["kop_sleutel"] in labels:
                header_index = {label: i for i, label in enumerate(labels) if label}
                break
        if not header_index:
            result.ignored.append(Finding(title, "", "", "", "de kopregel met de verborgen sleutelkolom ontbreekt; niets van dit blad ingelezen"))
            continue
        col_of: dict[str, int] = {}
        for key, col in spec.items():
            for label, i in header_index.items():
                if label == col["kop"] or (col.get("moment") and label.startswith(col["kop"] + " op ")):
                    col_of[key] = i
        key_col, check_col = header_index[content["kop_sleutel"]], header_index.get(content["kop_controle"], -1)
        for key in editable:
            if key in spec and key not in col_of:
                result.ignored.append(Finding(title, "", "", spec[key]["kop"], "deze kolom ontbreekt (verwijderd of hernoemd); niets uit deze kolom ingelezen"))
        current = _current_rows(data, sheet, meta.exported)
        seen: set[tuple] = set()
        kinds = {k: (f.type if (f := export.field_of(sheet, spec[k]["veld"])) else "") for k in editable if k in spec}
        for row in rows:
            cells = list(row)

            def cell(i: int):
                return cells[i] if 0 <= i < len(cells) else None

            def value(i: int):
                c = cell(i)
                return getattr(c, "value", None) if c is not None else None

            key = value(key_col)
            row_no = next((c.row for c in cells if getattr(c, "row", None)), None)
            if row_no is None:
                continue  # an empty row
            if not isinstance(key, str) or not key:
                if any(not _blank(value(i)) for i in col_of.values()):
                    _new_row(sheet, title, spec, col_of, value, row_no, data, result)
                continue
            found = _record_paths(sheet, key, data)
            if found is None:
                result.conflicts.append(Finding(title, f"{_letter(key_col)}{row_no}", key.split("|")[-1], "", "dit record bestaat niet meer in het werkboek; niets overgenomen"))
                continue
            record_path, prefix_path, label = found
            seen.add((record_path, prefix_path))
            first_measurement: dict[str, Any] = {}  # an unmeasured action's row: its measurement fields
            now_row = current.get((record_path, prefix_path), {})
            digests = str(value(check_col) or "").split()
            if len(digests) != len(editable):
                result.invalid.append(Finding(title, f"A{row_no}", label, "", "de verborgen controlekolom is veranderd; deze regel is niet ingelezen"))
                continue
            for j, col_key in enumerate(editable):
                if col_key not in col_of or col_key not in spec:
                    continue
                coord = f"{_letter(col_of[col_key])}{row_no}"
                raw = value(col_of[col_key])
                kind = kinds.get(col_key, "")
                if export.digest(raw, kind) == digests[j]:
                    continue  # unchanged in Excel
                veld = spec[col_key]["veld"]
                prefix, _, fkey = veld.rpartition(".")
                f = export.field_of(sheet, veld)
                head = spec[col_key]["kop"]
                if prefix == "actie":
                    target = record_path[:4] + (fkey,)
                elif sheet == "evaluatielog" and len(record_path) == 4:
                    try:
                        new = _checked(raw, f)
                    except ValueError as exc:
                        result.invalid.append(Finding(title, coord, label, head, f"{exc}; niet overgenomen"))
                        continue
                    if not _blank(new):
                        first_measurement[fkey] = new
                    continue
                elif prefix == "doel":
                    if prefix_path is None:
                        result.ignored.append(Finding(title, coord, label, head, "meerdere doelen op één regel: pas ze aan in het werkboek"))
                        continue
                    target = prefix_path + (fkey,)
                else:
                    target = record_path + (fkey,)
                old = _get(data, target)
                try:
                    new = _checked(raw, f, old)
                except ValueError as exc:
                    result.invalid.append(Finding(title, coord, label, head, f"{exc}; niet overgenomen"))
                    continue
                if f.required and _blank(new):
                    result.invalid.append(Finding(title, coord, label, head, "dit veld is verplicht; niet overgenomen"))
                    continue
                now_digest = export.digest(export.written_value(now_row.get(col_key), marker, replacement), kind)
                if now_digest != digests[j]:  # the workbook changed this field since the export
                    if not same(new, old):
                        result.conflicts.append(Finding(title, coord, label, head,
                            f"ook in het werkboek gewijzigd sinds de export: werkboek {show(old, f.type, f.choices)}, Excel {show(new, f.type, f.choices)}; niet overgenomen"))
                    continue
                if same(new, old):
                    continue
                change = Change(title, coord, label, head, target, old, new, type=f.type, choices=f.choices)
                earlier = by_path.get(target)
                if earlier is not None:
                    if not same(earlier.new, new):
                        result.conflicts.append(Finding(title, coord, label, head,
                            f"op {earlier.cell} staat {show(earlier.new, f.type, f.choices)}, hier {show(new, f.type, f.choices)}; geen van beide overgenomen"))
                        by_path[target] = None  # type: ignore[assignment]
                    continue
                by_path[target] = change
            if first_measurement:
                _first_measurement(title, row_no, record_path, label, first_measurement, data, result)
            _ignored_edits(title, spec, col_of, value, row_no, now_row, label, result, marker, replacement)
        if not result.workbook_changed:  # rows deleted in Excel: records are removed only in the workbook
            for (record_path, prefix_path), row in current.items():
                if (record_path, prefix_path) not in seen:
                    result.ignored.append(Finding(title, "", row.get("kenmerk") or row["_key"].split("|")[-1], "",
                                                  "deze regel ontbreekt in Excel; verwijderen kan alleen in het werkboek (niets verwijderd)"))
    result.changes = [c for c in by_path.values() if c is not None] + [c for c in result.changes if c.kind == "nieuw"]
    return result


def _first_measurement(title: str, row_no: int, action_path: tuple, label: str, record: dict, data: dict, result: ImportResult) -> None:
    """A date and value filled in on the row of an action that had no measurement: its first."""
    if "datum" not in record:
        result.invalid.append(Finding(title, f"A{row_no}", label, "", "een meting heeft een datum nodig; niet overgenomen"))
        return
    existing = _get(data, action_path + ("evaluaties",)) or []
    if any(all(ev.get(k) == v for k, v in record.items()) for ev in existing if isinstance(ev, dict)):
        result.ignored.append(Finding(title, f"A{row_no}", label, "", "deze meting staat al in het werkboek (eerder overgenomen); niet nog eens toegevoegd"))
        return
    result.changes.append(Change(title, f"A{row_no}", label.replace("nog geen meting", _measurement(record)), "", action_path + ("evaluaties",), None, record, kind="nieuw"))


def _measurement(record: dict) -> str:
    """'meting van 15-01-2027: 1350', as a new measurement is listed."""
    text = f"meting van {values.format_value('datum', record['datum'])}"
    return text + (f": {values.format_value('getal', record['waarde'])}" if record.get("waarde") is not None else "")


def _get(data: dict, path: tuple) -> Any:
    node: Any = data
    for p in path:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _ignored_edits(title, spec, col_of, value, row_no, now_row, label, result, marker, replacement) -> None:
    """Edits in derived columns: listed with the reason they cannot come back."""
    for col_key, col in spec.items():
        if col.get("veld") or col_key not in col_of:
            continue
        if col_key == "voortgang":  # a formula: it stays one unless someone typed over it
            raw = value(col_of[col_key])
            if not _blank(raw) and not (isinstance(raw, str) and raw.startswith("=")):
                result.ignored.append(Finding(title, f"{_letter(col_of[col_key])}{row_no}", label, col["kop"], f"niet overgenomen: {col.get('afgeleid', 'afgeleid')}; pas de gemeten waarde aan, dan rekent de voortgang mee"))
            continue
        if result.workbook_changed:
            # what the export wrote here is not kept, and the workbook moved on since: a
            # difference may be the workbook's own (an earlier import), not someone typing
            continue
        raw = value(col_of[col_key])
        now_value = export.written_value(now_row.get(col_key), marker, replacement)
        kind = "datum" if isinstance(now_value, dt.date) and not isinstance(now_value, dt.datetime) else ""
        if export.canon(raw, kind) != export.canon(now_value, kind):
            result.ignored.append(Finding(title, f"{_letter(col_of[col_key])}{row_no}", label, col["kop"], f"niet overgenomen: {col.get('afgeleid', 'afgeleid')}"))


def _new_row(sheet, title, spec, col_of, value, row_no, data, result: ImportResult) -> None:
    """A row added in Excel: a new record where the sheet allows it."""
    record: dict[str, Any] = {}
    doel: dict[str, Any] = {}
    action_title = ""
    for col_key, i in col_of.items():
        veld = spec[col_key].get("veld")
        raw = value(i)
        if not veld:
            if col_key == "kenmerk" and not _blank(raw):
                record["id"] = str(raw).strip()
            elif col_key != "kenmerk" and not _blank(raw) and not (isinstance(raw, str) and raw.startswith("=")):
                # typed into a column that is worked out (a formula copied down is no typing)
                result.ignored.append(Finding(title, f"{_letter(i)}{row_no}", "nieuwe regel", spec[col_key]["kop"], f"niet overgenomen: {spec[col_key].get('afgeleid', 'afgeleid')}"))
            continue
        prefix, _, fkey = veld.rpartition(".")
        if prefix == "actie":
            if fkey == "titel":
                action_title = str(raw or "").strip()
            continue
        f = export.field_of(sheet, veld)
        letter = _letter(i)
        try:
            new = _checked(raw, f)
        except ValueError as exc:
            result.invalid.append(Finding(title, f"{letter}{row_no}", "nieuwe regel", spec[col_key]["kop"], f"{exc}; de nieuwe regel is niet overgenomen"))
            return
        if not _blank(new):
            (doel if prefix == "doel" else record)[fkey] = new
    if doel:
        record["doelen"] = [doel]
    if sheet == "evaluatielog":
        matches = [(c, a) for c, cy in enumerate(data.get("cyclus", [])) for a, ac in enumerate(cy.get("acties", [])) if ac.get("titel") == action_title]
        if len(matches) != 1:
            why = "geen actie met deze titel" if not matches else "meer acties met deze titel"
            result.invalid.append(Finding(title, f"A{row_no}", action_title or "nieuwe regel", "", f"{why}; de nieuwe meting is niet overgenomen"))
            return
        if "datum" not in record:
            result.invalid.append(Finding(title, f"A{row_no}", action_title, "", "een meting heeft een datum nodig; niet overgenomen"))
            return
        c, a = matches[0]
        list_path = ("cyclus", c, "acties", a, "evaluaties")
        label = f"{_measurement(record)} bij {action_title}"
        existing = data["cyclus"][c]["acties"][a].get("evaluaties", []) or []
        if any(all(ev.get(k) == v for k, v in record.items()) for ev in existing):
            # the same export applied twice: this row was taken over before
            result.ignored.append(Finding(title, f"A{row_no}", label, "", "deze meting staat al in het werkboek (eerder overgenomen); niet nog eens toegevoegd"))
            return
    else:
        table = {"verwerkingsregister": "verwerkingsregister", "databronnen": "databronnen", "datalekken": "datalekregister"}[sheet]
        spec_path = export.SHEET_RECORD[sheet][0]
        schema_fields = load_schema().tables[spec_path].fields
        missing = [schema_fields[k].nl for k, f in schema_fields.items() if f.required and _blank(record.get(k))]
        if missing:
            result.invalid.append(Finding(title, f"A{row_no}", record.get("id", "nieuwe regel"), "", f"ontbreekt: {', '.join(missing)}; de nieuwe regel is niet overgenomen"))
            return
        same_id = [r for r in data.get(table, []) if r.get("id") == record["id"]]
        if same_id and _taken_over(same_id[0], record):
            # the same export applied twice: this row was taken over before
            result.ignored.append(Finding(title, f"A{row_no}", record["id"], "", "deze regel staat al in het werkboek (eerder overgenomen); niet nog eens toegevoegd"))
            return
        if same_id or any(c.kind == "nieuw" and c.path == (table,) and c.new.get("id") == record["id"] for c in result.changes):
            result.invalid.append(Finding(title, f"A{row_no}", record["id"], "", "dit kenmerk bestaat al met andere gegevens; de nieuwe regel is niet overgenomen (geef de regel een eigen kenmerk)"))
            return
        list_path = (table,)
        label = record["id"]
    result.changes.append(Change(title, f"A{row_no}", label, "", list_path, None, record, kind="nieuw"))


def _taken_over(existing: dict, record: dict) -> bool:
    """Whether every value of a new row is already in the record with its kenmerk (its purpose
    among the record's purposes): the row was taken over by an earlier import."""
    for k, v in record.items():
        if k == "doelen":
            if not all(any(all(d.get(dk) == dv for dk, dv in doel.items()) for d in existing.get("doelen", []) or []) for doel in v):
                return False
        elif existing.get(k) != v:
            return False
    return True


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


# ------------------------------------------------------------------------------ writing


def apply_changes(wb, changes: list[Change]) -> int:
    """Write ``changes`` into a storage.Workbook in place (the caller saves). Returns how many."""
    from tui.model.ids import natural_id

    n = 0
    for c in changes:
        if c.kind == "nieuw":
            record = dict(c.new)
            if not record.get("id"):  # a measurement: its id from its action and date, as a save gives it
                parent = wb.get(c.path[:-1]) or {}
                taken = {str(r.get("id")) for r in (wb.get(c.path) or []) if isinstance(r, dict) and r.get("id")}
                record = {"id": natural_id(record, str(parent.get("id") or ""), taken), **record}
            wb.append(c.path, record)
        else:
            wb.set(c.path, None if c.new == "" and wb.get(c.path) is None else c.new)
        n += 1
    return n
