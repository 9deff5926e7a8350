"""The command line: new, check, templates, and the documented messages for malformed files."""

from __future__ import annotations

import pytest

from tests.helpers import REPO, run_cli
from tui.templates import list_templates


def test_templates_lists_every_template_with_a_line():
    r = run_cli("templates")
    assert r.returncode == 0
    names = [line.split()[0] for line in r.stdout.splitlines()]
    assert names == [t.name for t in list_templates()]
    assert "leeg" in names


@pytest.mark.parametrize("template", [t.name for t in list_templates()])
def test_new_from_every_template_passes_check(tmp_path, template):
    r = run_cli("new", str(tmp_path / "w.toml"), "--template", template)
    assert r.returncode == 0, r.stderr
    r = run_cli("check", str(tmp_path / "w.toml"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "fout" not in r.stdout


def test_new_refuses_to_overwrite(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text("mijn werk", encoding="utf-8")
    r = run_cli("new", str(path))
    assert r.returncode == 1
    assert "bestaat al" in r.stderr
    assert path.read_text(encoding="utf-8") == "mijn werk"


def test_new_unknown_template(tmp_path):
    r = run_cli("new", str(tmp_path / "w.toml"), "--template", "bestaatniet")
    assert r.returncode == 1
    assert "onbekend sjabloon" in r.stderr and "leeg" in r.stderr
    assert not (tmp_path / "w.toml").exists()


MALFORMED = {
    # name: (bytes, exit code, line:col, words in the message)
    "duplicate_key": (b'schema = 1\n[organisatie]\nnaam = "a"\nnaam = "b"\n', 2, "4:", "dubbele sleutel"),
    "duplicate_table": (b"schema = 1\n[organisatie]\n[organisatie]\n", 2, "3:", "dubbele tabel"),
    "unterminated_string": (b'schema = 1\n[organisatie]\nnaam = "Theater\n', 2, "3:", "zonder afsluitend aanhalingsteken"),
    "truncated": (b'schema = 1\n[[cyclus]]\nnummer = 1\n[cyclus.vraag', 2, "4:", "tabelkop zonder afsluitende ]"),
    "cp1252": (b'schema = 1\n[organisatie]\nnaam = "Caf\xe9 Chantant"\n', 2, "3:12:", "geen geldige UTF-8"),
    "utf16": ('schema = 1\n[organisatie]\nnaam = "Café"\n'.encode("utf-16"), 2, "1:1:", "UTF-16"),
    "utf16_no_bom": ('schema = 1\n[organisatie]\nnaam = "Café"\n'.encode("utf-16-le"), 2, "1:1:", "UTF-16"),
    "empty": (b"", 2, "1:1:", "het bestand is leeg"),
    "unquoted_text": (b"schema = 1\n[organisatie]\nnaam = Theater\n", 2, "3:", "tekst moet tussen aanhalingstekens"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_files_give_the_documented_message_and_exit_code(tmp_path, name):
    raw, code, where, words = MALFORMED[name]
    path = tmp_path / f"{name}.toml"
    path.write_bytes(raw)
    r = run_cli("check", str(path))
    assert r.returncode == code, r.stdout + r.stderr
    assert f"{path}:{where}" in r.stdout, r.stdout
    assert words in r.stdout
    assert path.read_bytes() == raw  # check never writes


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbfschema = 1\n[organisatie]\nnaam = \"De Schalm\"\n")
    r = run_cli("check", str(path))
    assert r.returncode == 0, r.stdout


def test_content_problems_are_all_reported_with_path_and_line(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(
        'schema = 1\n'
        '[organisatie]\n'
        'soort = "bioscoop"\n'
        '[[cyclus]]\n'
        'nummer = 1\n'
        '[[cyclus]]\n'
        'nummer = 2\n'
        '[[cyclus.acties]]\n'
        'id = "a1"\n'
        'titel = "Meer bezoekers"\n'
        'deadline = "1 december"\n'
        'richting = "omhoog"\n'
        'bronnen = ["website"]\n'
        'deadlien = 2024-01-01\n',
        encoding="utf-8",
    )
    r = run_cli("check", str(path))
    assert r.returncode == 1
    out = r.stdout
    assert f"{path}:3:1: organisatie.soort: de tekst 'bioscoop' is geen toegestane waarde" in out
    assert f"{path}:11:1: cyclus[2].acties[1].deadline: verwacht een datum" in out
    assert f"{path}:12:1: cyclus[2].acties[1].richting:" in out and '"verhogen"' in out
    assert f"{path}:13:1: cyclus[2].acties[1].bronnen: verwijst naar databron 'website', die niet bestaat" in out
    assert f"{path}:14:1: hint: cyclus[2].acties[1].deadlien: onbekende sleutel" in out
    assert "4 problemen gevonden" in r.stderr


def test_missing_required_field_and_duplicate_ids(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(
        'schema = 1\n[[databronnen]]\nid = "web"\nnaam = "Website"\n[[databronnen]]\nid = "web"\n',
        encoding="utf-8",
    )
    r = run_cli("check", str(path))
    assert r.returncode == 1
    assert "databronnen[2].id: kenmerk 'web' komt al voor bij databronnen[1]" in r.stdout
    assert "databronnen[2].naam: ontbreekt" in r.stdout


def test_newer_schema_version_is_refused_plainly(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text("schema = 99\n", encoding="utf-8")
    r = run_cli("check", str(path))
    assert r.returncode == 1
    assert "werk de app bij" in r.stdout


def test_check_of_a_missing_file(tmp_path):
    r = run_cli("check", str(tmp_path / "nergens.toml"))
    assert r.returncode == 2
    assert "bestand niet gevonden" in r.stdout


def test_the_format_doc_is_generated_from_the_schema():
    from tui.formatdoc import render

    committed = (REPO / "docs" / "werkboek-formaat.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m tui.formatdoc > docs/werkboek-formaat.md"


def test_no_argument_opens_werkboek_toml_creating_it_from_the_blank_template(tmp_path, monkeypatch):
    from tui import cli
    from tui.app import main as app_main

    opened = []
    monkeypatch.setattr(app_main, "run", lambda p: opened.append(p) or 0)
    monkeypatch.chdir(tmp_path)
    assert cli.main([]) == 0
    assert opened == [cli.Path("werkboek.toml")]
    assert (tmp_path / "werkboek.toml").read_bytes() == (REPO / "workbook_templates" / "leeg.toml").read_bytes()
    # a second start opens the same file and leaves it alone
    (tmp_path / "werkboek.toml").write_text("schema = 1\n", encoding="utf-8")
    assert cli.main([]) == 0
    assert (tmp_path / "werkboek.toml").read_text(encoding="utf-8") == "schema = 1\n"


def test_an_export_never_goes_over_the_workbook_or_something_that_is_not_an_xlsx(tmp_path):
    """`export w.toml -o w.toml` replaced the workbook with the Excel file; -o also replaced a
    pipe. Only an .xlsx that is a regular file (or new) is written."""
    import os

    path = tmp_path / "w.toml"
    assert run_cli("new", str(path), "--template", "mariniersmuseum").returncode == 0
    before = path.read_bytes()
    for target in (path, tmp_path / "rapport", tmp_path / "notities.txt"):
        r = run_cli("export", str(path), "-o", str(target))
        assert r.returncode != 0 and ".xlsx" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert path.read_bytes() == before
    assert not (tmp_path / "rapport").exists() and not (tmp_path / "notities.txt").exists()
    fifo = tmp_path / "pijp.xlsx"
    os.mkfifo(fifo)
    r = run_cli("export", str(path), "-o", str(fifo), timeout=20)
    assert r.returncode != 0 and "geen gewoon bestand" in r.stderr
    assert fifo.is_fifo()


@pytest.mark.parametrize("args", [["serve", "--port", "99999"], ["serve", "--port", "-1"], ["serve", "--port", "0"], ["serve", "--font-size", "0"], ["serve", "--port", "acht"]])
def test_numbers_out_of_range_are_said_in_dutch_without_a_traceback(tmp_path, args):
    r = run_cli(*args, str(tmp_path / "w.toml"), timeout=20)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "kies een getal van" in r.stderr and "fout:" in r.stderr
    assert not (tmp_path / "w.toml").exists()


def test_the_command_lines_own_words_are_dutch():
    r = run_cli("--help")
    assert r.returncode == 0 and r.stdout.startswith("gebruik: publieksdata")
    for english in ("usage:", "options:", "show this help message", "positional arguments"):
        assert english not in r.stdout
    r = run_cli("export")
    assert r.returncode == 2 and "deze argumenten ontbreken: PAD" in r.stderr


def test_check_names_a_late_breach_report_without_reason_also_beside_errors_with_line_and_column(tmp_path):
    """Warnings (a breach reported after the 72 hours without a reason) came only when there was
    no error, and without a line; every finding now says PAD:REGEL:KOLOM."""
    path = tmp_path / "w.toml"
    path.write_text(
        'schema = 1\n'
        '[organisatie]\nsoort = "bioscoop"\n\n'  # an error: not a kind of institution
        '[[datalekregister]]\nid = "lek-1"\nontdekt = 2026-03-02T09:00:00+01:00\n  gemeld_ap = "ja"\n  gemeld_op = 2026-03-06T09:00:00+01:00\n',
        encoding="utf-8",
    )
    r = run_cli("check", str(path))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert any(l.startswith(f"{path}:3:1: organisatie.soort") for l in lines), r.stdout
    late = [l for l in lines if "datalekregister[1].reden_vertraging" in l]
    assert late and late[0].startswith(f"{path}:5:1: waarschuwing:"), r.stdout
    assert "te laat" in late[0]


def test_an_excel_file_given_as_a_workbook_is_named_as_excel_whatever_its_name(tmp_path):
    """`check` said so for a .xlsx; the app (and check, for an export renamed to .toml) spoke of
    Windows-1252."""
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "x"
    renamed = tmp_path / "export.toml"
    book.save(renamed)
    r = run_cli("check", str(renamed))
    assert r.returncode == 2 and "Excel-bestand" in r.stdout + r.stderr and "Windows-1252" not in r.stdout + r.stderr
    assert "publieksdata import" in r.stdout + r.stderr


def test_check_into_head_ends_quietly(tmp_path):
    """`publieksdata check w.toml | head` printed a BrokenPipeError traceback."""
    import subprocess
    import sys

    path = tmp_path / "veel.toml"
    path.write_text("schema = 1\n" + "".join(f'[[databronnen]]\nid = "b{i}"\nnaam = "Bron {i}"\nsoort = "fout"\n\n' for i in range(3000)), encoding="utf-8")
    r = subprocess.run(f'"{sys.executable}" -m tui check "{path}" | head -2', shell=True, capture_output=True, text=True, timeout=120)
    assert len(r.stdout.splitlines()) == 2 and "soort" in r.stdout
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr
