"""Edits from an exported Excel file back into the workbook: `publieksdata import`."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import subprocess
import tomllib
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import filled_workbook, run_cli, started
from tui import exchange, export, storage
from tui.model.schema import load_schema

NOW = dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
EDITABLE_SHEETS = ("verwerkingsregister", "evaluatielog", "databronnen", "datalekken")


def _saved_workbook(folder: Path) -> storage.Workbook:
    wb = filled_workbook(folder)
    storage.save(wb)
    return storage.load(wb.path)


def _export(wb: storage.Workbook, out: Path) -> Path:
    export.export_workbook(wb.data, out, now=NOW, source=wb.path.name)
    return out


def _header(ws) -> tuple[int, dict[str, int]]:
    for row in ws.iter_rows(max_row=10):
        labels = [c.value for c in row]
        if "Sleutel (niet wijzigen)" in labels:
            return row[0].row, {v: i + 1 for i, v in enumerate(labels) if v}
    raise AssertionError("no header")


def _new_value(f, current_label):
    """A different valid cell value for field ``f``, as a manager would type it."""
    s = load_schema()
    if f.type in ("tekst", "lange_tekst"):
        return f"Nieuw: {f.key}"
    if f.type == "datum":
        return dt.datetime(2025, 1, 2)
    if f.type == "tijdstip":
        return dt.datetime(2025, 1, 2, 10, 30)
    if f.type in ("geheel", "getal"):
        return 7
    if f.type == "keuze":
        return next(s.choice_label(f.choices, v) for v in s.choice_values(f.choices) if s.choice_label(f.choices, v) != current_label)
    if f.type in ("jn", "waarheid"):
        return "nee" if current_label == "ja" else "ja"
    if f.type == "lijst":
        return "eerste; tweede"
    raise AssertionError(f.type)


def edit_every_column(path: Path) -> set[tuple[str, str, str]]:
    """Change every editable column in one row of each sheet; return {(sheet, cell, field key)}."""
    content = export._content()
    book = load_workbook(path)
    edits = set()
    for sheet in EDITABLE_SHEETS:
        spec = content["bladen"][sheet]
        ws = book[spec["titel"]]
        header_row, cols = _header(ws)
        row = next(r for r in range(header_row + 1, ws.max_row + 1)
                   if sheet != "verwerkingsregister" or ws.cell(r, cols["Sleutel (niet wijzigen)"]).value.count("|") == 2)
        for key in export.editable_columns(sheet):
            f = export.field_of(sheet, spec["kolommen"][key]["veld"])
            cell = ws.cell(row, cols[spec["kolommen"][key]["kop"]])
            cell.value = _new_value(f, cell.value)
            edits.add((spec["titel"], cell.coordinate, f.key))
    book.save(path)
    return edits


def _office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(office: str, src: Path, fmt: str, outdir: Path, profile: Path) -> Path:
    outdir.mkdir(exist_ok=True)
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    return outdir / f"{src.stem}.{fmt.split(':')[0]}"


LONG_ORGANISATION = {
    "verantwoordelijke": "Stichting Theater De Proef, Oudegracht 1, Utrecht",
    "fg": "Jan de Vries, functionaris gegevensbescherming, fg@deproef.nl",
}


@pytest.fixture(scope="module")
def office_round_trip(tmp_path_factory):
    """Once per module: an export edited in every editable column and saved again by LibreOffice,
    and the PDF LibreOffice prints of an export."""
    office = _office()
    if not office:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("office")
    wb = _saved_workbook(folder)
    for key, value in LONG_ORGANISATION.items():  # long enough to wrap on a printed page
        wb.set(("organisatie", key), value)
    for n in range(8):  # enough entries for the register to run onto pages below the first
        wb.append(("verwerkingsregister",), {"id": f"extra-{n}", "naam": f"Extra verwerking {n}: " + "een lange omschrijving " * 6,
                                             "doelen": [{"id": f"extra-{n}-doel", "doel": "Een doel dat ook wat langer is " * 3, "grondslag": "toestemming"}]})
    storage.save(wb)
    wb = storage.load(wb.path)
    original = wb.path.read_bytes()
    exported = _export(wb, folder / "export.xlsx")
    pdf = _convert(office, exported, "pdf", folder / "pdf", folder / "lo")
    edited = folder / "bewerkt.xlsx"
    shutil.copy(exported, edited)
    edits = edit_every_column(edited)
    resaved = _convert(office, edited, "xlsx", folder / "lo-out", folder / "lo")
    return {"wb": wb.path, "original": original, "edits": edits, "resaved": resaved, "pdf": pdf, "folder": folder}


# ------------------------------------------------------------------------------ round trip


@pytest.mark.slow
def test_round_trip_through_libreoffice_shows_exactly_the_edits_and_writes_exactly_them(office_round_trip):
    rt = office_round_trip
    wb_path: Path = rt["wb"]
    r = run_cli("import", str(wb_path), str(rt["resaved"]))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "niets geschreven" in r.stdout
    assert wb_path.read_bytes() == rt["original"]  # a dry run writes nothing

    result = exchange.read_changes(storage.load(wb_path).data, rt["resaved"])
    assert not result.conflicts and not result.invalid and not result.ignored, (result.conflicts, result.invalid, result.ignored)
    seen = {(c.sheet, c.cell, c.path[-1]) for c in result.changes}
    assert seen == rt["edits"]
    for c in result.changes:
        assert f"{c.sheet}!{c.cell}: " in r.stdout and " → " in r.stdout

    r = run_cli("import", str(wb_path), str(rt["resaved"]), "--apply")
    assert r.returncode == 0, r.stdout + r.stderr
    after = storage.load(wb_path)
    for c in result.changes:
        assert exchange.same(after.get(c.path), c.new), c
    # the rest of the file is byte for byte what it was: only lines of the changed keys differ
    before_lines = rt["original"].decode("utf-8").splitlines()
    after_lines = wb_path.read_text(encoding="utf-8").splitlines()
    changed_keys = {c.path[-1] for c in result.changes}
    diff = [line for line in difflib.unified_diff(before_lines, after_lines, n=0, lineterm="") if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert diff
    for line in diff:
        key = line[1:].split("=", 1)[0].strip()
        assert key in changed_keys or line[1:].strip() in ('"""', "") or not re.match(r"^[a-z_]+ =", line[1:]), line
    assert sum(1 for line in diff if line.startswith("+") and re.match(r"^\+[a-z_]+ =", line)) == len(result.changes)
    # and reading the same file again finds nothing left to do
    again = exchange.read_changes(after.data, rt["resaved"])
    assert again.changes == [] and again.conflicts == []


@pytest.mark.slow
def test_printed_pages_are_a4_readable_and_carry_header_and_footer(office_round_trip):
    pdf: Path = office_round_trip["pdf"]
    if not shutil.which("pdfinfo") or not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) is not installed")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes
    for w, h in sizes:
        assert {round(float(w)), round(float(h))} == {842, 595}, (w, h)  # A4
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    heights = [float(b) - float(a) for a, b in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', bbox)]
    assert heights
    # a word's box is about 1,16 times the font size: 8,1 pt of box is 7 pt of text
    assert min(heights) >= 8.1, min(heights)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    for n, page in enumerate(pages, start=1):
        first = next(line for line in page.splitlines() if line.strip())
        assert "Theater De Proef" in first and "Geëxporteerd 15-06-2024" in first, first
        assert f"Pagina {n} van {len(pages)}" in page
        if "Verwerkingsregister" in first or "Datalekken" in first:
            assert "Vertrouwelijk" in page
            # the controller and the FG stand whole on every page, the pages to the right too
            # (the text ran on over cells that only the first page prints)
            words = " ".join(page.split())
            for value in LONG_ORGANISATION.values():  # pages below the first and every record of "(afdruk)" too
                assert all(word in words for word in value.split()), (n, value, page)  # (the label column may interleave lines)
        if "Evaluatielog" in first:
            assert "Vertrouwelijk" not in page


# ------------------------------------------------------------------------------ without LibreOffice


def test_dry_run_lists_edits_as_record_field_old_new_and_apply_writes_them(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    ws = book["Databronnen"]
    hr, cols = _header(ws)
    ws.cell(hr + 1, cols["Eigenaar"]).value = "Hoofd marketing"
    ws.cell(hr + 1, cols["Toegang"]).value = "alles"  # derived
    book.save(out)
    before = wb.path.read_bytes()
    r = run_cli("import", str(wb.path), str(out))
    assert r.returncode == 0
    assert "Databronnen!E2: ticketing, Eigenaar: (leeg) → 'Hoofd marketing'" in r.stdout
    assert "genegeerd: Databronnen!G2: ticketing, Toegang: niet overgenomen: volgt uit de herkomst" in r.stdout
    assert wb.path.read_bytes() == before
    r = run_cli("import", str(wb.path), str(out), "--apply")
    assert r.returncode == 0 and "1 wijziging geschreven" in r.stdout
    text = wb.path.read_text(encoding="utf-8")
    assert 'eigenaar = "Hoofd marketing"' in text
    assert text.replace('eigenaar = "Hoofd marketing"\n', "") == before.decode("utf-8")


def test_a_changed_choice_is_listed_by_its_labels_as_the_sheet_shows_them(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    ws = book["Verwerkingsregister"]
    hr, cols = _header(ws)
    row = next(r for r in range(hr + 1, ws.max_row + 1) if ws.cell(r, cols["Grondslag (art. 6)"]).value == "Toestemming (art. 6 lid 1a)")
    ws.cell(row, cols["Grondslag (art. 6)"]).value = "Gerechtvaardigd belang (art. 6 lid 1f)"
    book.save(out)
    [change] = exchange.read_changes(storage.load(wb.path).data, out).changes
    assert change.new == "gerechtvaardigd_belang"
    assert change.format().endswith("Grondslag (art. 6): 'Toestemming (art. 6 lid 1a)' → 'Gerechtvaardigd belang (art. 6 lid 1f)'")


def test_a_field_changed_on_both_sides_is_a_conflict_and_never_overwritten(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    wb.set(("databronnen", 0, "eigenaar"), "Directie")
    wb.set(("databronnen", 0, "systeem"), "Nieuw systeem")  # changed only in the workbook
    storage.save(wb)
    book = load_workbook(out)
    ws = book["Databronnen"]
    hr, cols = _header(ws)
    ws.cell(hr + 1, cols["Eigenaar"]).value = "Hoofd marketing"
    ws.cell(hr + 1, cols["Databron"]).value = "Kaartverkoop"
    book.save(out)
    result = exchange.read_changes(storage.load(wb.path).data, out)
    assert result.workbook_changed
    assert [(c.cell, c.new) for c in result.changes] == [(f"B{hr + 1}", "Kaartverkoop")]
    assert len(result.conflicts) == 1 and "Directie" in result.conflicts[0].message and "Hoofd marketing" in result.conflicts[0].message
    r = run_cli("import", str(wb.path), str(out), "--apply")
    assert r.returncode == 1 and "conflict: Databronnen!E2" in r.stdout
    after = storage.load(wb.path)
    assert after.get(("databronnen", 0, "eigenaar")) == "Directie"
    assert after.get(("databronnen", 0, "systeem")) == "Nieuw systeem"
    assert after.get(("databronnen", 0, "naam")) == "Kaartverkoop"


def test_bad_cells_are_reported_by_sheet_and_cell_and_the_rest_goes_on_only_with_apply(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    ev = book["Evaluatielog"]
    hr, cols = _header(ev)
    ev.cell(hr + 1, cols["Gemeten waarde"]).value = "=2*3"  # a formula is text, never evaluated
    ev.cell(hr + 1, cols["Datum meting"]).value = "31-02-2024"
    ev.cell(hr + 1, cols["Richting"]).value = "omhoog"
    ev.cell(hr + 1, cols["Conclusie"]).value = "=HYPERLINK(\"http://x\")"
    ev.cell(hr + 2, cols["Gemeten waarde"]).value = "1.250,5"  # Dutch notation
    ev.cell(hr + 3, cols["Datum meting"]).value = "01-07-2024"
    book.save(out)
    before = wb.path.read_bytes()
    r = run_cli("import", str(wb.path), str(out))
    assert r.returncode == 1
    assert "ongeldig: Evaluatielog!J2" in r.stdout and "schrijf een getal" in r.stdout
    assert "ongeldig: Evaluatielog!I2" in r.stdout and "die datum bestaat niet" in r.stdout
    assert "ongeldig: Evaluatielog!G2" in r.stdout and "omhoog" in r.stdout
    assert wb.path.read_bytes() == before
    r = run_cli("import", str(wb.path), str(out), "--apply")
    assert r.returncode == 1 and "3 wijzigingen geschreven; 3 niet overgenomen" in r.stdout
    after = storage.load(wb.path)
    ev0 = after.get(("cyclus", 0, "acties", 0, "evaluaties", 0))
    assert ev0["conclusie"] == '=HYPERLINK("http://x")' and ev0["waarde"] == 10
    assert after.get(("cyclus", 0, "acties", 1, "evaluaties", 0, "waarde")) == 1250.5
    assert after.get(("cyclus", 0, "acties", 2, "evaluaties", 0, "datum")) == dt.date(2024, 7, 1)


def test_added_rows_become_new_records_where_the_sheet_allows_it(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    ws = book["Databronnen"]
    hr, cols = _header(ws)
    r = ws.max_row + 1
    ws.cell(r, cols["Kenmerk"]).value = "enquete"
    ws.cell(r, cols["Databron"]).value = "Bezoekersenquête"
    ws.cell(r, cols["Herkomst"]).value = "Extern"
    ev = book["Evaluatielog"]
    hr, cols = _header(ev)
    r = ev.max_row + 1
    ev.cell(r, cols["Actie"]).value = "Meer jonge bezoekers"
    ev.cell(r, cols["Datum meting"]).value = dt.datetime(2024, 9, 1)
    ev.cell(r, cols["Gemeten waarde"]).value = 14
    book.save(out)
    result = exchange.read_changes(storage.load(wb.path).data, out)
    new = [c for c in result.changes if c.kind == "nieuw"]
    assert len(new) == 2, (result.changes, result.invalid)
    r = run_cli("import", str(wb.path), str(out), "--apply")
    assert r.returncode == 0, r.stdout
    after = storage.load(wb.path)
    assert after.get(("databronnen", 1)) == {"id": "enquete", "naam": "Bezoekersenquête", "herkomst": "extern"}
    assert after.get(("cyclus", 0, "acties", 0, "evaluaties", 1)) == {"datum": dt.date(2024, 9, 1), "waarde": 14, "id": "r1-a1-2024-09-01"}  # a new record gets its id with the save
    # the same file applied again adds nothing twice
    before_again = wb.path.read_bytes()
    again = run_cli("import", str(wb.path), str(out), "--apply")
    assert "staat al in het werkboek" in again.stdout
    assert len(storage.load(wb.path).get(("cyclus", 0, "acties", 0, "evaluaties"))) == 2
    assert wb.path.read_bytes() == before_again


def test_check_on_an_excel_file_points_to_import(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    r = run_cli("check", str(out))
    assert r.returncode == 2
    assert "Excel-bestand" in r.stderr and f"publieksdata import WERKBOEK {out}" in r.stderr
    assert "1252" not in r.stderr + r.stdout
    renamed = tmp_path / "zonder-extensie"
    shutil.copy(out, renamed)
    r = run_cli("check", str(renamed))
    assert "Excel-bestand" in r.stderr


@pytest.mark.parametrize("name", ["terug.ods", "terug-zonder-extensie"])
def test_check_on_an_opendocument_sheet_says_what_it_is_and_how_to_read_it_in(tmp_path, name):
    """LibreOffice saves .ods unless told otherwise: check names it as such (not "Excel") and
    says to save it as .xlsx, which import reads (import refuses .ods)."""
    ods = tmp_path / name
    with zipfile.ZipFile(ods, "w") as zf:  # as LibreOffice writes it: the mimetype first, stored
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", "<office:document-content/>")
    r = run_cli("check", str(ods))
    assert r.returncode == 2 and "OpenDocument-rekenblad (.ods)" in r.stderr and "Excel-bestand" not in r.stderr
    assert "sla het op als Excel-werkmap (.xlsx)" in r.stderr
    with pytest.raises(storage.WorkbookError, match="OpenDocument-rekenblad"):
        storage.load(ods)


# ------------------------------------------------------------------------------ hostile files


def _refused_fast(wb: storage.Workbook, bad: Path, words: str) -> None:
    before = wb.path.read_bytes()
    t0 = time.monotonic()
    with pytest.raises(exchange.ExchangeError) as err:
        exchange.read_changes(wb.data, bad)
    assert time.monotonic() - t0 < 5
    assert words in str(err.value) and "niets ingelezen" in str(err.value)
    r = run_cli("import", str(wb.path), str(bad), "--apply")
    assert r.returncode == 2 and words in r.stderr
    assert wb.path.read_bytes() == before


def _rewrite_part(src: Path, dst: Path, part: str, payload: bytes | None = None, writer=None) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == part:
                if writer is not None:
                    with zout.open(part, "w", force_zip64=True) as fh:
                        writer(fh)
                else:
                    zout.writestr(part, payload)
            else:
                zout.writestr(info, zin.read(info.filename))


def test_a_file_that_is_no_export_of_this_product_is_refused(tmp_path):
    from openpyxl import Workbook

    wb = _saved_workbook(tmp_path)
    other = tmp_path / "begroting.xlsx"
    book = Workbook()
    book.active["A1"] = "Begroting"
    book.save(other)
    _refused_fast(wb, other, "geen export van het Publieksdata werkboek")
    text = tmp_path / "tekst.xlsx"
    text.write_text("geen zip", encoding="utf-8")
    _refused_fast(wb, text, "geen Excel-bestand")
    # an OpenDocument spreadsheet (as LibreOffice saves by default), also renamed to .xlsx:
    # said in Dutch, not as openpyxl's English error
    import zipfile

    for name in ("begroting.ods", "begroting-hernoemd.xlsx"):
        ods = tmp_path / name
        with zipfile.ZipFile(ods, "w") as zf:
            zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            zf.writestr("content.xml", "<office:document-content/>")
        _refused_fast(wb, ods, "OpenDocument-rekenblad (.ods)")


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    bomb = tmp_path / "bom.xlsx"
    chunk = b" " * (1024 * 1024)

    def write(fh):
        fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        for _ in range(300):  # 300 MB of whitespace: a few hundred kB once compressed
            fh.write(chunk)
        fh.write(b"</sheetData></worksheet>")

    _rewrite_part(out, bomb, "xl/worksheets/sheet1.xml", writer=write)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    _refused_fast(wb, bomb, "zip-bom")


def test_entity_expansion_is_refused(tmp_path):
    import openpyxl

    assert openpyxl.DEFUSEDXML  # openpyxl parses with defusedxml
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
        + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    )
    bad = tmp_path / "lachen.xlsx"
    _rewrite_part(out, bad, "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in zipfile.ZipFile(out).namelist() else "xl/worksheets/sheet1.xml", laughs)
    _refused_fast(wb, bad, "DOCTYPE")
    # a DOCTYPE further in than the quick look reaches is refused by the parser itself (defusedxml)
    late = (
        b'<?xml version="1.0"?><!--' + b" " * (exchange.HEAD_BYTES + 10) + b'--><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    bad2 = tmp_path / "laat.xlsx"
    _rewrite_part(out, bad2, "xl/worksheets/sheet1.xml", late)
    _refused_fast(wb, bad2, "EntitiesForbidden")


# ------------------------------------------------------------------------------ in the app


async def test_app_palette_import_accepts_or_skips_each_change(tmp_path):
    from textual.widgets import Input, SelectionList

    from tui.app.import_screen import ImportScreen
    from tui.app.werkboek_app import WerkboekApp

    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "werkboek.xlsx")
    book = load_workbook(out)
    ws = book["Databronnen"]
    hr, cols = _header(ws)
    ws.cell(hr + 1, cols["Eigenaar"]).value = "Hoofd marketing"
    ws.cell(hr + 1, cols["Systeem"]).value = "Nieuw systeem"
    ws.cell(hr + 1, cols["Herkomst"]).value = "Partner"
    book.save(out)

    app = WerkboekApp(wb.path, clock=lambda: NOW, autosave=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await started(pilot)
        assert any(c.title == "Werkboek: wijzigingen uit Excel overnemen" for c in app.get_system_commands(app.screen))
        app.action_import_excel()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        assert screen.query_one("#import-path", Input).value == str(out)
        await pilot.press("enter")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        options = screen.query_one("#import-changes", SelectionList)
        assert options.option_count == 3
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(3)]
        skip = next(i for i, p in enumerate(prompts) if "Systeem" in p)
        options.deselect(skip)
        await pilot.pause()
        await pilot.click("#import-accept")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        assert app.workbook.get(("databronnen", 0, "eigenaar")) == "Hoofd marketing"
        assert app.workbook.get(("databronnen", 0, "herkomst")) == "partner"
        assert app.workbook.get(("databronnen", 0, "systeem")) in (None, "")
        assert app.workbook.dirty
        app.action_save()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert 'eigenaar = "Hoofd marketing"' in wb.path.read_text(encoding="utf-8")


def test_deleted_rows_and_missing_columns_are_reported_not_applied(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    ws = book["Databronnen"]
    hr, cols = _header(ws)
    ws.delete_rows(hr + 1)
    reg = book["Verwerkingsregister"]
    hr, cols = _header(reg)
    reg.cell(hr, cols["Bewaartermijn"]).value = "Hoe lang"
    book.save(out)
    result = exchange.read_changes(storage.load(wb.path).data, out)
    messages = [f.format() for f in result.ignored]
    assert any(m.startswith("Databronnen: ticketing: ") and "ontbreekt in Excel" in m for m in messages), messages
    assert any("Bewaartermijn" in m and "kolom ontbreekt" in m for m in messages), messages
    assert result.changes == []


def test_a_new_register_row_becomes_a_record_with_its_purpose(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    ws = book["Verwerkingsregister"]
    hr, cols = _header(ws)
    r = ws.max_row + 1
    ws.cell(r, cols["Kenmerk"]).value = "fondsenwerving"
    ws.cell(r, cols["Verwerkingsactiviteit"]).value = "Fondsenwerving bij vrienden"
    ws.cell(r, cols["Doel"]).value = "Vrienden om een gift vragen"
    ws.cell(r, cols["Grondslag (art. 6)"]).value = "Gerechtvaardigd belang (art. 6 lid 1f)"
    ws.cell(r, cols["Bijzondere gegevens (art. 9)"]).value = "nee"
    ws.cell(r, cols["Verwerkers"]).value = "Mailchimp"  # worked out from the register's processors: listed, not lost silently
    ws.cell(r + 1, cols["Kenmerk"]).value = "tickets"  # taken
    ws.cell(r + 1, cols["Verwerkingsactiviteit"]).value = "Dubbel"
    book.save(out)
    result = exchange.read_changes(storage.load(wb.path).data, out)
    assert [(f.field, f.message.split(":")[0]) for f in result.ignored] == [("Verwerkers", "niet overgenomen")]
    assert [c.new for c in result.changes if c.kind == "nieuw"] == [{
        "id": "fondsenwerving", "naam": "Fondsenwerving bij vrienden", "bijzondere_gegevens": False,
        "doelen": [{"doel": "Vrienden om een gift vragen", "grondslag": "gerechtvaardigd_belang"}],
    }]
    assert any("bestaat al" in f.message for f in result.invalid)
    # what a new row brings is listed before anything is written, choices by their labels
    [new] = [c.format() for c in result.changes if c.kind == "nieuw"]
    assert "Doel van de verwerking: 'Vrienden om een gift vragen'" in new and "Grondslag: 'Gerechtvaardigd belang (art. 6 lid 1f)'" in new
    # applied, then the same file read again: the row is there already, not "invalid"
    wb = storage.load(wb.path)
    exchange.apply_changes(wb, result.changes)
    storage.save(wb)
    again = exchange.read_changes(storage.load(wb.path).data, out)
    assert not [c for c in again.changes if c.kind == "nieuw"]
    assert [f.record for f in again.ignored if "eerder overgenomen" in f.message] == ["fondsenwerving"]
    assert [f.record for f in again.invalid] == ["tickets"]


def test_sorting_by_the_filter_keeps_each_key_on_its_row(tmp_path):
    from openpyxl.utils import get_column_letter

    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    for sheet in EDITABLE_SHEETS:
        ws = book[export._content()["bladen"][sheet]["titel"]]
        hr, cols = _header(ws)
        last = ws.auto_filter.ref.split(":")[1].rstrip("0123456789")
        assert last == get_column_letter(cols["Controle (niet wijzigen)"]), sheet


def test_messages_about_a_file_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_FINDINGS", 2)
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    ev = book["Evaluatielog"]
    hr, cols = _header(ev)
    for r in range(hr + 1, ev.max_row + 1):
        ev.cell(r, cols["Gemeten waarde"]).value = "veel"
    book.save(out)
    result = exchange.read_changes(storage.load(wb.path).data, out)
    assert len(result.invalid) == 2 and result.invalid.dropped == ev.max_row - hr - 2


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_import_refuses_a_pipe_or_a_device_at_once(tmp_path, kind):
    import os

    from tests.helpers import new_workbook, run_cli

    path = new_workbook(tmp_path)
    if kind == "fifo":
        source = tmp_path / "export.xlsx"
        os.mkfifo(source)
    else:
        source = "/dev/zero"
    before = path.read_bytes()
    r = run_cli("import", str(path), str(source), timeout=30)  # the old code read /dev/zero until memory ran out
    assert r.returncode == 2, r.stdout + r.stderr
    assert "geen gewoon bestand" in r.stderr
    assert path.read_bytes() == before


def test_apply_writes_only_the_listed_values_also_in_an_older_file_without_ids(tmp_path):
    """An older workbook (records without ids): --apply changed ten more lines than the dry run
    listed (ids given to records the import did not touch). Now only the listed edits are written;
    a new measurement comes with its own id."""
    import difflib

    wb = _saved_workbook(tmp_path)
    text = wb.path.read_text(encoding="utf-8")
    old = "\n".join(l for l in text.splitlines() if not (l.startswith("id = ") and ("-20" in l or "ticketingsysteem" in l))) + "\n"
    wb.path.write_text(old, encoding="utf-8")
    wb = storage.load(wb.path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    ws = book["Databronnen"]
    hr, cols = _header(ws)
    ws.cell(hr + 1, cols["Eigenaar"]).value = "Hoofd marketing"
    log = book["Evaluatielog"]
    lhr, lcols = _header(log)
    title = log.cell(lhr + 1, lcols["Actie"]).value
    new_row = log.max_row + 1
    log.cell(new_row, lcols["Actie"]).value = title
    log.cell(new_row, lcols["Datum meting"]).value = dt.datetime(2024, 7, 1)
    log.cell(new_row, lcols["Gemeten waarde"]).value = 15
    book.save(out)
    r = run_cli("import", str(wb.path), str(out), "--apply")
    assert r.returncode == 0, r.stdout + r.stderr
    new = wb.path.read_text(encoding="utf-8")
    added = [l for l in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0) if l[:1] in "+-" and l[:3] not in ("+++", "---")]
    assert '+eigenaar = "Hoofd marketing"' in added
    ids = [l for l in added if l.startswith("+id = ")]
    assert len(ids) == 1 and "2024-07-01" in ids[0], added  # the new measurement's own id, nothing else
    assert all(l.startswith("+") for l in added)


def test_a_number_typed_over_the_progress_formula_is_listed_as_ignored(tmp_path):
    wb = _saved_workbook(tmp_path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    log = book["Evaluatielog"]
    hr, cols = _header(log)
    assert str(log.cell(hr + 1, cols["Voortgang"]).value).startswith("=")
    log.cell(hr + 1, cols["Voortgang"]).value = 0.5
    log.cell(hr + 2, cols["Voortgang"]).value = "90%"
    book.save(out)
    r = run_cli("import", str(wb.path), str(out))
    ignored = [l for l in r.stdout.splitlines() if l.startswith("genegeerd: Evaluatielog!") and "Voortgang: niet overgenomen" in l]
    assert len(ignored) == 2 and "pas de gemeten waarde aan" in ignored[0], r.stdout


def test_an_action_without_measurements_has_its_row_and_a_date_and_value_there_become_its_first(tmp_path):
    """The evaluation log listed measurements only: an action not measured yet was missing from
    what management saw. It has a row of its own now ('nog niet gemeten'); its fields can be
    edited there, and a date and value typed in become the action's first measurement."""
    wb = _saved_workbook(tmp_path)
    wb.append(("cyclus", 0, "acties"), {"id": "r1-nieuw", "titel": "Nieuwe actie", "indicator": "bezoekers", "nulmeting": 100,
                                         "streefwaarde": 120, "richting": "verhogen", "deadline": dt.date(2024, 12, 1)})
    storage.save(wb)
    wb = storage.load(wb.path)
    out = _export(wb, tmp_path / "e.xlsx")
    book = load_workbook(out)
    log = book["Evaluatielog"]
    hr, cols = _header(log)
    rows = [r for r in range(hr + 1, log.max_row + 1) if log.cell(r, cols["Actie"]).value == "Nieuwe actie"]
    assert len(rows) == 1
    row = rows[0]
    assert log.cell(row, cols["Stand op 15-06-2024 12:00"]).value == "nog niet gemeten"
    assert log.cell(row, cols["Datum meting"]).value is None and log.cell(row, cols["Voortgang"]).value is None
    log.cell(row, cols["Indicator"]).value = "bezoekers uit de wijk"
    log.cell(row, cols["Datum meting"]).value = dt.datetime(2024, 7, 1)
    log.cell(row, cols["Gemeten waarde"]).value = 108
    book.save(out)
    r = run_cli("import", str(wb.path), str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Indicator: 'bezoekers' → 'bezoekers uit de wijk'" in r.stdout
    assert "r1-nieuw, meting van 01-07-2024: 108" in r.stdout  # the value too, as the manager typed it
    r = run_cli("import", str(wb.path), str(out), "--apply")
    assert r.returncode == 0, r.stdout + r.stderr
    action = tomllib.loads(wb.path.read_text(encoding="utf-8"))["cyclus"][0]["acties"][-1]
    assert action["indicator"] == "bezoekers uit de wijk"
    assert action["evaluaties"] == [{"id": "r1-nieuw-2024-07-01", "datum": dt.date(2024, 7, 1), "waarde": 108}]
    # the same file once more: nothing new, and nothing twice
    r = run_cli("import", str(wb.path), str(out))
    assert "staat al in het werkboek" in r.stdout and "meting van 01-07-2024" not in r.stdout.replace("genegeerd", "")
    # the status snapshot moved because of the first import, not because someone typed it
    assert "Stand op" not in r.stdout, r.stdout
