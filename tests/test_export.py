"""Excel exports: structure, types, safety against formula injection, and a real spreadsheet program."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import stat
import subprocess

import pytest
from openpyxl import load_workbook

from tests.helpers import DIRECTION_CASES, filled_workbook, new_workbook, run_cli, text_field_paths, started
from tui import export, storage
from tui.model import rules
from tui.templates import list_templates

TITLES = {"verwerkingsregister": "Verwerkingsregister", "evaluatielog": "Evaluatielog", "databronnen": "Databronnen", "datalekken": "Datalekken", "overzicht": "Overzicht"}
NOW = dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
HEADER_ROW = {"verwerkingsregister": 6, "evaluatielog": 1, "databronnen": 1, "datalekken": 5, "overzicht": 6}


def _headers(ws, row=1):
    return [c.value for c in ws[row] if c.value is not None]


@pytest.mark.parametrize("template", [t.name for t in list_templates()])
def test_every_template_exports_cleanly(tmp_path, template):
    wb = storage.load(new_workbook(tmp_path, template=template))
    out = tmp_path / "uit.xlsx"
    result = export.export_workbook(wb.data, out, now=NOW)
    book = load_workbook(out)
    assert book.sheetnames[:5] == list(TITLES.values())
    assert "Toelichting" in book.sheetnames
    assert result.notices == []


def test_filled_workbook_export_structure(tmp_path):
    wb = filled_workbook(tmp_path)
    out = tmp_path / "uit.xlsx"
    result = export.export_workbook(wb.data, out, now=NOW, source="werkboek.toml")
    book = load_workbook(out)
    content = export._content()
    for name, title in TITLES.items():
        ws = book[title]
        header_row = HEADER_ROW[name]
        expected = [c["kop"] + (" op 15-06-2024 12:00" if c.get("moment") else "") for c in content["bladen"][name]["kolommen"].values()]
        if name != "overzicht":
            expected += ["Sleutel (niet wijzigen)", "Controle (niet wijzigen)"]
        assert _headers(ws, header_row) == expected
        assert ws.freeze_panes == f"A{header_row + 1}"
        assert ws.auto_filter.ref.startswith(f"A{header_row}:")
        # every printed page repeats the header row, and the controller/FG block above it
        assert ws.print_title_rows == (f"$1:${header_row}" if header_row > 1 else f"${header_row}:${header_row}")
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9
        assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale >= 70
        head = ws.cell(header_row, 1)
        assert head.font.bold and head.fill.fgColor.rgb.endswith("1F4E79")
        assert head.font.name == "Arial" and head.font.sz == 10
        assert ws.max_row - header_row == result.rows[name]
        assert ws.column_dimensions["A"].width > 5
    assert result.rows == {"verwerkingsregister": 3, "evaluatielog": 1 + len(DIRECTION_CASES), "databronnen": 1, "datalekken": 1, "overzicht": 1}

    # one row per purpose when the purposes differ in legal basis
    reg = book["Verwerkingsregister"]
    cols = {h: i + 1 for i, h in enumerate(_headers(reg, 6))}
    rows = [[reg.cell(r, cols[h]).value for h in ("Kenmerk", "Doel", "Grondslag (art. 6)")] for r in range(7, reg.max_row + 1)]
    assert ["nieuwsbrief", "Nieuwsbrief sturen", "Toestemming (art. 6 lid 1a)"] in rows
    assert ["nieuwsbrief", "Analyse van opens", "Gerechtvaardigd belang (art. 6 lid 1f)"] in rows

    # dates are dates in Dutch format; numbers are numbers
    ev = book["Evaluatielog"]
    cols = {h: i + 1 for i, h in enumerate(_headers(ev))}
    date_cell = ev.cell(2, cols["Datum meting"])
    assert isinstance(date_cell.value, dt.datetime) and date_cell.number_format == "dd-mm-yyyy"
    assert isinstance(ev.cell(2, cols["Gemeten waarde"]).value, (int, float))
    assert ev.cell(2, cols["Voortgang"]).data_type == "f"
    assert ev.cell(2, cols["Voortgang"]).number_format == "0%"
    lek = book["Datalekken"]
    lcols = {h: i + 1 for i, h in enumerate(_headers(lek, 5))}
    assert lek.cell(6, lcols["Ontdekt op"]).value == dt.datetime(2024, 5, 2, 9, 30)
    assert lek.cell(6, lcols["Tijdzone"]).value == "UTC+01:00"
    assert lek.cell(6, lcols["Uiterste meldtermijn"]).value == dt.datetime(2024, 5, 5, 9, 30)

    # choice columns carry a drop-down of the allowed values
    dvs = ev.data_validations.dataValidation
    richting_col = ev.cell(1, cols["Richting"]).column_letter
    dv = next(d for d in dvs if str(d.sqref).startswith(f"{richting_col}2"))
    assert dv.type == "list"
    lists = book["Keuzelijsten"]
    assert lists.sheet_state == "hidden"
    ref_col = dv.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    values = [lists[f"{ref_col}{r}"].value for r in range(2, 6)]
    assert values == ["verhogen", "verlagen", "boven houden", "onder houden"]

    # the organisation is the author, not a person and not the library
    assert book.properties.creator == "Theater De Proef"
    assert book.properties.lastModifiedBy == "Theater De Proef"
    over = book["Overzicht"]
    assert over["A1"].value == "Organisatie" and over["B1"].value == "Theater De Proef"
    assert over["B2"].value == "werkboek.toml"
    assert isinstance(over["B3"].value, dt.datetime)
    toel = book["Toelichting"]
    assert _headers(toel) == ["Blad", "Kolom", "Uitleg"]
    explained = {(toel.cell(r, 1).value, toel.cell(r, 2).value) for r in range(2, toel.max_row + 1)}
    for name, title in TITLES.items():
        for col in export._content()["bladen"][name]["kolommen"].values():
            assert (title, col["kop"]) in explained


HOSTILE = [
    "=1+1", "=HYPERLINK(\"http://example.invalid\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "\nLF",
    "=cmd|' /C calc'!A0", "normale tekst", "bel\x07l", "nul\x00byte", "\ufffe\uffff", "esc\x1b[31m",
]


def test_hostile_text_is_text_and_never_a_formula(tmp_path):
    wb = filled_workbook(tmp_path)
    paths = text_field_paths()
    for i, p in enumerate(paths):
        wb.set(p, HOSTILE[i % len(HOSTILE)])
    out = tmp_path / "uit.xlsx"
    result = export.export_workbook(wb.data, out, now=NOW)
    assert any("vervangen" in n.message for n in result.notices)
    book = load_workbook(out)
    formulas = []
    seen = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    formulas.append((ws.title, c.coordinate, c.value))
                    continue
                if isinstance(c.value, str):
                    seen.add(c.value)
                    if c.value[:1] in "=+-@\t\r\n":
                        assert c.quotePrefix, (ws.title, c.coordinate)
                assert c.hyperlink is None
    # the only formulas are the progress formulas the exporter wrote itself
    assert formulas and all(ws == "Evaluatielog" and v.startswith("=IF(OR(") for ws, _, v in formulas)
    assert "=1+1" in seen and "@SUM(A1)" in seen and "\nLF" in seen
    assert "bel�l" in seen and "nul�byte" in seen and "��" in seen


def test_long_text_is_cut_with_a_marker_and_reported(tmp_path):
    wb = filled_workbook(tmp_path)
    long = "x" * 40_000
    wb.set(("cyclus", 0, "acties", 0, "evaluaties", 0, "observatie"), long)
    out = tmp_path / "uit.xlsx"
    result = export.export_workbook(wb.data, out, now=NOW)
    cut = [n for n in result.notices if "afgekapt" in n.message]
    assert len(cut) == 1 and cut[0].sheet == "Evaluatielog"
    ws = load_workbook(out)["Evaluatielog"]
    cell = ws[cut[0].cell]
    assert len(cell.value) == export.MAX_CELL
    assert cell.value.endswith("[afgekapt: de volledige tekst staat in het werkboek]")
    assert wb.get(("cyclus", 0, "acties", 0, "evaluaties", 0, "observatie")) == long


def test_sheet_names_are_made_valid_and_unique():
    taken: set[str] = set()
    assert export.sheet_title("Register [AVG]: 2024/25?", taken) == "Register _AVG__ 2024_25_"
    assert export.sheet_title("Register [AVG]: 2024/25?", taken) == "Register _AVG__ 2024_25_ (2)"
    long = export.sheet_title("x" * 40, taken)
    assert len(long) == 31
    again = export.sheet_title("x" * 40, taken)
    assert len(again) == 31 and again != long
    assert export.sheet_title("", taken) == "Blad"


def test_a_failed_export_leaves_no_file(tmp_path, monkeypatch):
    wb = filled_workbook(tmp_path)
    out = tmp_path / "uit.xlsx"

    def broken(path, result):
        raise export.ExportError("kapot")

    monkeypatch.setattr(export, "_verify", broken)
    before = wb.path.read_bytes()
    with pytest.raises(export.ExportError):
        export.export_workbook(wb.data, out, now=NOW)
    assert not out.exists()
    assert [p for p in tmp_path.iterdir() if "tmp-export" in p.name] == []
    assert wb.path.read_bytes() == before


def test_an_existing_export_is_replaced_only_when_the_new_one_is_whole(tmp_path, monkeypatch):
    wb = filled_workbook(tmp_path)
    out = tmp_path / "uit.xlsx"
    out.write_bytes(b"vorige export")
    monkeypatch.setattr(export, "_verify", lambda p, r: (_ for _ in ()).throw(export.ExportError("kapot")))
    with pytest.raises(export.ExportError):
        export.export_workbook(wb.data, out, now=NOW)
    assert out.read_bytes() == b"vorige export"


def test_new_exports_are_private_and_existing_modes_are_kept(tmp_path):
    wb = filled_workbook(tmp_path)
    out = tmp_path / "uit.xlsx"
    export.export_workbook(wb.data, out, now=NOW)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.chmod(0o640)
    export.export_workbook(wb.data, out, now=NOW)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    other = tmp_path / "gedeeld.xlsx"
    export.export_workbook(wb.data, other, now=NOW, mode=0o644)
    assert stat.S_IMODE(other.stat().st_mode) == 0o644


def test_cli_export_with_chosen_sheets(tmp_path):
    wb = filled_workbook(tmp_path)
    storage.save(wb)
    out = tmp_path / "register.xlsx"
    r = run_cli("export", str(wb.path), "-o", str(out), "--sheets", "verwerkingsregister,datalekken")
    assert r.returncode == 0, r.stderr
    assert "verwerkingsregister 3 regels" in r.stdout
    assert load_workbook(out).sheetnames == ["Verwerkingsregister", "Datalekken", "Verwerkingsregister (afdruk)", "Datalekken (afdruk)", "Toelichting", "Keuzelijsten", "Exportgegevens"]
    r = run_cli("export", str(wb.path), "--sheets", "begroting")
    assert r.returncode == 1 and "onbekend blad: begroting" in r.stderr
    r = run_cli("export", str(wb.path))
    assert r.returncode == 0 and wb.path.with_suffix(".xlsx").exists()


def test_cli_exports_an_invalid_workbook_with_its_problems_listed_unless_strict(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text('schema = 1\n[organisatie]\nsoort = "bioscoop"\n', encoding="utf-8")
    r = run_cli("export", str(path), "--strict")
    assert r.returncode == 1
    assert "organisatie.soort" in r.stderr and "niets geëxporteerd" in r.stderr
    assert not path.with_suffix(".xlsx").exists()
    r = run_cli("export", str(path))
    assert r.returncode == 1  # exported, but the problems are not hidden
    assert "organisatie.soort" in r.stderr and "blad Problemen" in r.stderr
    book = load_workbook(path.with_suffix(".xlsx"))
    assert book.sheetnames[0] == "Problemen"
    rows = [[c.value for c in row] for row in book["Problemen"].iter_rows(min_row=2)]
    assert any("organisatie.soort" in (where or "") + (what or "") for where, what in rows)
    # where, in the guide's words first (a manager reads it), the key path and line for whoever fixes it
    assert any((where or "").startswith("Organisatie · ") and "(organisatie.soort, regel 3)" in where for where, _ in rows), rows
    assert book["Problemen"].page_setup.paperSize == 9


def test_an_overwritten_export_loses_any_permission_for_others(tmp_path):
    wb = filled_workbook(tmp_path)
    out = tmp_path / "uit.xlsx"
    out.write_bytes(b"oud")
    out.chmod(0o644)
    export.export_workbook(wb.data, out, now=NOW)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_cli_mode_readable_by_others_must_be_asked_twice(tmp_path):
    wb = filled_workbook(tmp_path)
    storage.save(wb)
    out = tmp_path / "uit.xlsx"
    r = run_cli("export", str(wb.path), "-o", str(out), "--mode", "644")
    assert r.returncode == 1 and "twee keer" in r.stderr and not out.exists()
    assert "iedereen op deze computer het bestand lezen" in r.stderr
    from tui.cli import parse_mode

    assert parse_mode(["602"])[0] is None and "het bestand veranderen (" in parse_mode(["602"])[1]  # says what others could do
    assert "lezen en veranderen" in parse_mode(["666"])[1]
    r = run_cli("export", str(wb.path), "-o", str(out), "--mode", "640")
    assert r.returncode == 0 and stat.S_IMODE(out.stat().st_mode) == 0o640
    out.unlink()
    r = run_cli("export", str(wb.path), "-o", str(out), "--mode", "644", "--mode", "644")
    assert r.returncode == 0 and stat.S_IMODE(out.stat().st_mode) == 0o644
    r = run_cli("export", str(wb.path), "-o", str(out), "--mode", "abc")
    assert r.returncode == 1 and "octaal" in r.stderr
    # a mode asked for is the mode, also over an existing file: tighter and looser alike
    r = run_cli("export", str(wb.path), "-o", str(out), "--mode", "600")
    assert r.returncode == 0 and stat.S_IMODE(out.stat().st_mode) == 0o600
    r = run_cli("export", str(wb.path), "-o", str(out), "--mode", "640")
    assert r.returncode == 0 and stat.S_IMODE(out.stat().st_mode) == 0o640
    r = run_cli("export", str(wb.path), "-o", str(out))  # none asked: the file keeps its own
    assert r.returncode == 0 and stat.S_IMODE(out.stat().st_mode) == 0o640


def test_long_text_notice_uses_dutch_numbers(tmp_path):
    wb = filled_workbook(tmp_path)
    wb.set(("cyclus", 0, "acties", 0, "evaluaties", 0, "observatie"), "x" * 40_000)
    result = export.export_workbook(wb.data, tmp_path / "uit.xlsx", now=NOW)
    assert any("40.000 tekens afgekapt op 32.767" in n.message for n in result.notices)


def test_too_many_rows_are_refused_in_seconds_with_a_clear_message(tmp_path):
    import time

    ev = {"datum": dt.date(2024, 1, 1), "waarde": 1}
    data = {"schema": 1, "cyclus": [{"nummer": 1, "acties": [{"id": "a", "titel": "A", "evaluaties": [ev] * 1_048_576}]}]}
    out = tmp_path / "uit.xlsx"
    t0 = time.monotonic()
    with pytest.raises(export.ExportError) as err:
        export.export_workbook(data, out, now=NOW)
    assert time.monotonic() - t0 < 5
    assert "Evaluatielog: 1.048.576 regels" in str(err.value) and "1.048.575" in str(err.value)
    assert not out.exists()
    # other sheets can still be exported without it
    export.export_workbook(data, out, sheets=["overzicht"], now=NOW)
    assert out.exists()


def test_drop_downs_stay_inside_the_sheet_near_the_limit(tmp_path):
    ev = {"datum": dt.date(2024, 1, 1), "waarde": 1}
    data = {"schema": 1, "cyclus": [{"nummer": 1, "acties": [{"id": "a", "titel": "A", "richting": "verhogen", "evaluaties": [ev] * 3}]}]}
    out = tmp_path / "uit.xlsx"
    # the ranges are capped at Excel's last row (a raw ValueError before)
    old = export.EXCEL_MAX_ROWS
    try:
        export.EXCEL_MAX_ROWS = 500
        export.export_workbook(data, out, sheets=["evaluatielog"], now=NOW)
    finally:
        export.EXCEL_MAX_ROWS = old
    ws = load_workbook(out)["Evaluatielog"]
    assert all(int(str(dv.sqref).split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) <= 500 for dv in ws.data_validations.dataValidation)


def _libreoffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "libreoffice-calc-nogui"], capture_output=True, timeout=900)
    return shutil.which("soffice")


@pytest.mark.slow
def test_a_real_spreadsheet_program_shows_hostile_text_literally_and_computes_progress(tmp_path):
    office = _libreoffice()
    if not office:
        pytest.skip("LibreOffice is not installed and could not be installed here (needs root and apt-get)")
    wb = filled_workbook(tmp_path)
    wb.set(("cyclus", 0, "acties", 0, "evaluaties", 0, "conclusie"), "=1+1")
    wb.set(("cyclus", 0, "acties", 0, "evaluaties", 0, "bijstelling"), "@SUM(A1)")
    wb.set(("cyclus", 0, "acties", 0, "evaluaties", 0, "bron"), "-2+3")
    contradictions = [("verlagen", 40, 60, 45), ("verhogen", 10, -5, 3)]  # nothing to measure against
    for direction, base, target, value in contradictions:
        a = wb.append(("cyclus", 0, "acties"), {"titel": f"Tegenstrijdig {direction}", "nulmeting": base, "streefwaarde": target, "richting": direction})
        wb.append(("cyclus", 0, "acties", a, "evaluaties"), {"datum": dt.date(2024, 6, 1), "waarde": value})
    out = tmp_path / "uit.xlsx"
    export.export_workbook(wb.data, out, now=NOW)
    # all sheets, values as shown (token 9), UTF-8 (76)
    opts = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", opts, "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    rows = list(csv.DictReader((tmp_path / "uit-Evaluatielog.csv").open(encoding="utf-8")))
    first = rows[0]
    assert first["Conclusie"] == "=1+1"
    assert first["Bijstelling"] == "@SUM(A1)"
    assert first["Bron meting"] == "-2+3"
    assert first["Datum meting"] == "01-03-2024"
    by_action = {r["Actie"]: r for r in rows}
    for direction, base, target, value in DIRECTION_CASES:
        row = next(r for r in rows if r["Actie"] == f"Actie {direction}" and r["Gemeten waarde"] == str(value))
        expected = rules.progress(base, target, direction, value)
        assert row["Voortgang"] == f"{round(expected * 100)}%", (direction, row["Voortgang"])
    for direction, base, target, value in contradictions:
        assert rules.progress(base, target, direction, value) is None
        assert by_action[f"Tegenstrijdig {direction}"]["Voortgang"] == "", direction  # not "100%"
    assert by_action


def test_privacy_officer_columns_and_the_controller_once_at_the_top(tmp_path):
    wb = filled_workbook(tmp_path)
    wb.set(("organisatie", "plaats"), "Utrecht")
    wb.set(("organisatie", "email"), "privacy@deproef.nl")
    wb.set(("organisatie", "fg"), "J. Jansen, fg@deproef.nl")
    wb.set(("verwerkingsregister", 0, "databronnen"), ["ticketing"])
    wb.set(("verwerkingsregister", 0, "profilering"), "ja")
    wb.set(("verwerkingsregister", 0, "dpia"), "uitgevoerd")
    wb.set(("verwerkingsregister", 0, "doorgifte_organisaties"), ["UNESCO"])
    wb.set(("verwerkingsregister", 0, "doorgifte_document"), "Modelcontract 2024, map AVG")
    wb.set(("datalekregister", 0, "betrokkenen"), ["bezoekers", "abonnees"])
    wb.set(("datalekregister", 0, "gemeld_ap"), "ja")
    wb.set(("datalekregister", 0, "gemeld_op"), dt.datetime(2024, 5, 6, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    out = tmp_path / "uit.xlsx"
    export.export_workbook(wb.data, out, now=NOW)
    book = load_workbook(out)
    reg = book["Verwerkingsregister"]
    top = {reg.cell(r, 1).value: reg.cell(r, 2).value for r in range(1, 5)}
    assert top["Verwerkingsverantwoordelijke"] == "Theater De Proef, Utrecht"
    assert top["Contactgegevens"] == "privacy@deproef.nl"
    assert top["Functionaris gegevensbescherming"] == "J. Jansen, fg@deproef.nl"
    moment = next(reg.cell(r, 2) for r in range(1, 7) if reg.cell(r, 1).value == "Stand van")
    assert isinstance(moment.value, dt.datetime) and moment.alignment.horizontal == "left"  # under the text above it
    cols = {h: i + 1 for i, h in enumerate(_headers(reg, 6))}
    row = {h: reg.cell(7, c).value for h, c in cols.items()}
    assert row["Databronnen"] == "Ticketverkoop"  # the name, not the kenmerk
    assert row["Profilering"] == "ja" and row["DPIA (art. 35)"] == "uitgevoerd"
    assert row["Doorgifte aan internationale organisaties"] == "UNESCO"
    assert row["Document waarborgen"] == "Modelcontract 2024, map AVG"
    # every element of art. 30(1) has its column
    for kop in ("Verwerkingsactiviteit", "Doel", "Categorieën betrokkenen", "Categorieën persoonsgegevens", "Categorieën ontvangers",
                "Doorgifte buiten de EER: landen", "Waarborg bij doorgifte", "Bewaartermijn", "Beveiligingsmaatregelen"):
        assert kop in cols
    lek = book["Datalekken"]
    lcols = {h: i + 1 for i, h in enumerate(_headers(lek, 5))}
    lrow = {h: lek.cell(6, c).value for h, c in lcols.items()}
    assert lrow["Categorieën betrokkenen"] == "bezoekers; abonnees"
    assert lrow["Te laat gemeld op 15-06-2024 12:00"] == "ja, 26 uur na de termijn"
    for kop in ("Aard", "Categorieën gegevens", "Aantal personen", "Gevolgen", "Maatregelen", "Gemeld bij AP", "Reden vertraging"):
        assert kop in lcols  # art. 33(5): the facts, the effects and the measures
    bron = book["Databronnen"]
    bcols = {h: i + 1 for i, h in enumerate(_headers(bron))}
    assert bron.cell(2, bcols["Verwerking (register)"]).value == "Verkoop van toegangskaarten"  # by name


def test_snapshot_columns_carry_the_export_moment_and_offer_no_drop_down(tmp_path):
    wb = filled_workbook(tmp_path)
    out = tmp_path / "uit.xlsx"
    export.export_workbook(wb.data, out, now=NOW)
    book = load_workbook(out)
    for title, header_row, kop in (("Evaluatielog", 1, "Stand"), ("Verwerkingsregister", 6, "Reviewstatus"), ("Datalekken", 5, "Stand")):
        ws = book[title]
        headers = [c.value for c in ws[header_row]]
        col = headers.index(f"{kop} op 15-06-2024 12:00") + 1
        letter = ws.cell(header_row, col).column_letter
        assert not any(str(dv.sqref).startswith(letter + str(header_row + 1)) for dv in ws.data_validations.dataValidation)
    # the overview is a summary that is not read back: it offers no choices to make there
    assert book["Overzicht"].data_validations.dataValidation == []


def test_text_wraps_and_rows_grow_with_their_content(tmp_path):
    wb = filled_workbook(tmp_path)
    wb.set(("cyclus", 0, "acties", 0, "evaluaties", 0, "observatie"), "Een lange observatie over gezinnen uit de wijk. " * 6)
    wb.set(("cyclus", 0, "acties", 0, "evaluaties", 0, "bron"), "7 jaar voor de financiële administratie")
    out = tmp_path / "uit.xlsx"
    export.export_workbook(wb.data, out, now=NOW)
    ws = load_workbook(out)["Evaluatielog"]
    cols = {h: i + 1 for i, h in enumerate(_headers(ws))}
    narrow = ws.cell(2, cols["Bron meting"])
    assert narrow.alignment.wrap_text  # narrower than 22 characters, and still wrapped
    assert ws.row_dimensions[2].height >= 5 * export.LINE_HEIGHT
    assert ws.row_dimensions[1].height >= 2 * export.LINE_HEIGHT  # "Stand op 15-06-2024 12:00" takes two lines
    over = load_workbook(out)["Overzicht"]
    assert over.column_dimensions["A"].width >= len("Ervaringsniveau (laatste ronde)") - 1 or over.cell(4, 1).alignment.wrap_text
    assert ws.HeaderFooter.oddFooter.right.text == "Pagina &P van &N"
    assert load_workbook(out)["Verwerkingsregister"].HeaderFooter.oddFooter.left.text == "Vertrouwelijk"
    assert ws.HeaderFooter.oddFooter.left.text in (None, "")


def test_rows_name_the_controller_and_fg_only_when_they_differ_from_the_top(tmp_path):
    wb = filled_workbook(tmp_path)
    wb.set(("organisatie", "fg"), "J. Jansen")
    wb.set(("verwerkingsregister", 0, "verantwoordelijke"), "Theater De Proef")
    wb.set(("verwerkingsregister", 0, "fg"), "J. Jansen")
    wb.set(("verwerkingsregister", 1, "verantwoordelijke"), "Stichting Vrienden")
    out = tmp_path / "uit.xlsx"
    export.export_workbook(wb.data, out, now=NOW)
    reg = load_workbook(out)["Verwerkingsregister"]
    cols = {h: i + 1 for i, h in enumerate(_headers(reg, 6))}
    by_id = {reg.cell(r, 1).value: r for r in range(7, reg.max_row + 1)}
    assert reg.cell(by_id["tickets"], cols["Verwerkingsverantwoordelijke (als afwijkend)"]).value is None
    assert reg.cell(by_id["tickets"], cols["Functionaris gegevensbescherming (als afwijkend)"]).value is None
    assert reg.cell(by_id["nieuwsbrief"], cols["Verwerkingsverantwoordelijke (als afwijkend)"]).value == "Stichting Vrienden"
    # when the top names another controller (the foundation behind the theatre), a row that
    # names the theatre itself differs from it and says so (it was left empty: the wrong controller)
    wb.set(("organisatie", "verantwoordelijke"), "Stichting Theater De Proef, Utrecht")
    export.export_workbook(wb.data, out, now=NOW)
    reg = load_workbook(out)["Verwerkingsregister"]
    assert reg.cell(by_id["tickets"], cols["Verwerkingsverantwoordelijke (als afwijkend)"]).value == "Theater De Proef"


async def test_the_app_exports_a_workbook_with_problems_and_lists_them(tmp_path):
    from tui.app.werkboek_app import WerkboekApp

    path = new_workbook(tmp_path)
    text = path.read_text(encoding="utf-8").replace('soort = ""', 'soort = "bioscoop"', 1)
    assert 'soort = "bioscoop"' in text
    path.write_text(text, encoding="utf-8")
    app = WerkboekApp(path, clock=lambda: NOW, autosave=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.action_export()
        await app.workers.wait_for_complete()
        await pilot.pause()
    book = load_workbook(path.with_suffix(".xlsx"))
    assert book.sheetnames[0] == "Problemen"
    assert "organisatie.soort" in " ".join(str(c.value) for row in book["Problemen"].iter_rows() for c in row)


def test_register_and_breaches_also_print_one_record_per_block(tmp_path):
    wb = filled_workbook(tmp_path)
    out = tmp_path / "uit.xlsx"
    export.export_workbook(wb.data, out, now=NOW, sheets=["verwerkingsregister", "datalekken", "evaluatielog"])
    book = load_workbook(out)
    assert "Evaluatielog (afdruk)" not in book.sheetnames
    ws = book["Verwerkingsregister (afdruk)"]
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9
    assert ws.HeaderFooter.oddFooter.left.text == "Vertrouwelijk"
    pairs = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(1, ws.max_row + 1)]
    assert ("Verwerkingsactiviteit", "Verkoop van toegangskaarten") in pairs
    assert ("Grondslag (art. 6)", "Uitvoering overeenkomst (art. 6 lid 1b)") in pairs
    assert ("Reviewstatus op 15-06-2024 12:00", "—") in pairs
    assert ("Verwerkingsverantwoordelijke", "Theater De Proef") in pairs
    blocks = [r for r, (a, _) in enumerate(pairs, start=1) if a in ("tickets", "nieuwsbrief")]
    assert len(blocks) == 3  # one block per row of the register: nieuwsbrief has two purposes
    assert len(ws.row_breaks.brk) == 2  # every block after the first starts a page


def test_an_empty_register_says_so_above_its_header_and_reads_back_as_no_change(tmp_path):
    from openpyxl import load_workbook

    from tui import exchange

    wb = storage.load(new_workbook(tmp_path))
    out = tmp_path / "leeg.xlsx"
    export.export_workbook(wb.data, out, now=NOW)
    book = load_workbook(out)
    for title, noun in (("Verwerkingsregister", "verwerkingsactiviteiten"), ("Datalekken", "datalekken")):
        ws = book[title]
        header = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Kenmerk")
        assert ws.cell(header - 1, 1).value == f"Het werkboek bevat (nog) geen {noun}."
        assert ws.row_dimensions[header - 1].height >= 2 * export.LINE_HEIGHT  # two lines in column A, not cut
    result = exchange.read_changes(wb.data, out)
    assert not result.changes and not result.invalid and not result.conflicts


def test_cli_refuses_an_empty_sheet_list_and_a_mode_the_owner_cannot_use(tmp_path):
    wb = filled_workbook(tmp_path)
    storage.save(wb)
    out = tmp_path / "uit.xlsx"
    assert run_cli("export", str(wb.path), "-o", str(out)).returncode == 0
    before = out.read_bytes()
    for empty in ("", ",,", " , "):
        r = run_cli("export", str(wb.path), "-o", str(out), "--sheets", empty)
        assert r.returncode == 1 and "minstens één blad" in r.stderr
    assert out.read_bytes() == before  # the full export is still there
    r = run_cli("export", str(wb.path), "-o", str(out), "--sheets", "overzicht,overzicht")
    assert r.returncode == 0
    from openpyxl import load_workbook

    assert [n for n in load_workbook(out).sheetnames if n.startswith("Overzicht")] == ["Overzicht"]  # once
    for mode in ("000", "400", "200"):
        r = run_cli("export", str(wb.path), "-o", str(tmp_path / f"m{mode}.xlsx"), "--mode", mode)
        assert r.returncode == 1 and "zelf niet lezen" in r.stderr and not (tmp_path / f"m{mode}.xlsx").exists()


def test_the_register_header_does_not_call_the_fg_missing_when_rows_name_their_own(tmp_path):
    from openpyxl import load_workbook

    wb = storage.load(new_workbook(tmp_path))
    wb.append(("verwerkingsregister",), {"id": "tickets", "naam": "Tickets", "fg": "P. de Vries, fg@theater.nl"})
    out = tmp_path / "uit.xlsx"
    export.export_workbook(wb.data, out, now=NOW)
    reg = load_workbook(out)["Verwerkingsregister"]
    top = {reg.cell(r, 1).value: reg.cell(r, 2).value for r in range(1, 6)}
    assert top["Functionaris gegevensbescherming"] == "(niet ingevuld bij de organisatie; zie per regel)"
